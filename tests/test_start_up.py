"""What keeps a one-file ``ecslint check`` cheap to start (bench/figures.py counts it):
guards, so that what was gained cannot come back unnoticed.

- no ``compile()`` on the check path (typing.NamedTuple compiled every field's string
  annotation; ``ecslint.records.Record`` does not),
- module-level regular expressions compiled on first use (``ecslint.lazy_re``), and every
  one of them a valid pattern,
- none of the heavy modules a plain check does not need imported,
- garbage collection deferred through the start-up and back on for the files,
- the console script's exit without interpreter teardown loses no output.
"""

from __future__ import annotations

import gc
import importlib
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import ecslint
from ecslint.lazy_re import _LazyPattern, lazy_re
from ecslint.records import Record
from tests.conftest import EXAMPLES

CLEAN = str(EXAMPLES / "fargate-clean.json")
BROKEN = str(EXAMPLES / "fargate-broken.json")

#: Run one check in a fresh interpreter, counting compile() calls and the regular
#: expressions compiled, and list the modules it imported.
PROBE = """
import builtins, json, sys
calls = []
real_compile = builtins.compile
def counting_compile(source, filename, mode, *args, **kwargs):
    if not str(filename).endswith(".py"):  # not a module read from source (no .pyc yet)
        calls.append([str(filename), mode])
    return real_compile(source, filename, mode, *args, **kwargs)
builtins.compile = counting_compile
from ecslint.entry import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
import gc
from ecslint.lazy_re import _LazyPattern
patterns = [o for o in gc.get_objects() if isinstance(o, _LazyPattern)]
print(json.dumps({
    "code": code,
    "compile": calls,
    "modules": sorted(sys.modules),
    "patterns": len(patterns),
    "compiled": sum(1 for p in patterns if "search" in vars(p)),
}), file=sys.stderr)
"""


def probe(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    result: dict[str, Any] = json.loads(done.stderr.strip().splitlines()[-1])
    return result


#: Modules a plain one-file check (text or json) has no use for; each cost a cold run
#: from a few to a few hundred million instructions.
NOT_ON_THE_CHECK_PATH = (
    "ast",
    "typing",
    "dataclasses",
    "inspect",
    "hashlib",
    "tempfile",
    "subprocess",
    "multiprocessing",
    "yaml",
    "jsonschema",
    "pydantic",
    "typer",
    "click",
    "lark",
    "hcl2",
    "ecslint.catalog.pages",
    "ecslint.deploy",
    "ecslint.fixes",
    "ecslint.cli",
)


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_clean_check_compiles_no_code_and_imports_none_of_the_heavy_modules(
    output_format: str,
) -> None:
    result = probe("check", "--format", output_format, CLEAN)
    assert result["code"] == 0
    assert result["compile"] == []
    imported = set(result["modules"])
    assert sorted(imported.intersection(NOT_ON_THE_CHECK_PATH)) == []


def test_a_cloudformation_template_with_roles_imports_none_of_the_heavy_modules(
    tmp_path: Path,
) -> None:
    task = json.loads(Path(CLEAN).read_text())
    template = {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ]
                    }
                },
            },
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "Family": task["family"],
                    "ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                    "ContainerDefinitions": [
                        {"Name": "app", "Image": "public.ecr.aws/nginx/nginx:1.27"}
                    ],
                },
            },
        }
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    result = probe("check", str(path))
    imported = set(result["modules"])
    assert "ecslint.iam.analysis" in imported  # the role in the template was evaluated
    assert result["compile"] == []
    assert sorted(imported.intersection(NOT_ON_THE_CHECK_PATH)) == ["ecslint.deploy"]


def test_a_clean_check_compiles_only_the_patterns_it_uses() -> None:
    result = probe("check", CLEAN)
    # 46 patterns on the path today, 17 used by this file; a module compiling its
    # patterns at import again would make them all compiled.
    assert result["patterns"] >= 30
    assert result["compiled"] <= result["patterns"] // 2


def _lazy_patterns(value: object) -> list[_LazyPattern]:
    if isinstance(value, _LazyPattern):
        return [value]
    if isinstance(value, (tuple, list)):
        return [found for item in value for found in _lazy_patterns(item)]
    return []


def test_every_pattern_compiled_on_first_use_is_a_valid_pattern() -> None:
    found: list[tuple[str, str]] = []
    for module in pkgutil.walk_packages(ecslint.__path__, "ecslint."):
        if module.name == "ecslint.__main__":  # runs the command line
            continue
        try:
            loaded = importlib.import_module(module.name)
        except ImportError:  # an optional dependency (the language server's pygls)
            continue
        for name, value in vars(loaded).items():
            for pattern in _lazy_patterns(value):
                source, flags = pattern._source
                re.compile(source, flags)  # raises re.error for a broken one
                found.append((module.name, name))
    assert len(found) >= 40


def test_a_lazy_pattern_behaves_as_the_compiled_one() -> None:
    lazy = lazy_re(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    compiled = re.compile(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    assert "search" not in vars(lazy)  # nothing compiled yet
    text = "x Web-12 and api-3"
    assert lazy.search(text).group("word") == compiled.search(text).group("word")  # type: ignore[union-attr]
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.sub("_", text) == compiled.sub("_", text)
    assert lazy.fullmatch("a-1") is not None and lazy.match("-1") is None
    assert (lazy.pattern, lazy.flags, lazy.groups) == (
        compiled.pattern,
        compiled.flags,
        compiled.groups,
    )
    assert "search" in vars(lazy)  # held as its own attribute from the first use on
    with pytest.raises(AttributeError):
        lazy.no_such_attribute  # type: ignore[attr-defined]  # noqa: B018


class _Typed(NamedTuple):
    name: str
    size: int = 0
    tags: tuple[str, ...] = ()

    def label(self) -> str:
        return f"{self.name}:{self.size}"


class _Record(Record):
    """A record."""

    name: str
    size: int = 0
    tags: tuple[str, ...] = ()

    def label(self) -> str:
        return f"{self.name}:{self.size}"


def test_a_record_is_the_class_typing_namedtuple_makes() -> None:
    typed, record = _Typed("a", 2), _Record("a", 2)
    assert tuple(record) == tuple(typed) == ("a", 2, ())
    assert record._fields == typed._fields
    assert record._field_defaults == typed._field_defaults
    assert record._replace(size=3) == ("a", 3, ())
    assert record.label() == "a:2" and record._asdict() == typed._asdict()
    assert _Record.__doc__ == "A record." and _Record.__module__ == __name__
    assert _Record.__qualname__ == "_Record"
    assert list(_Record.__annotations__) == ["name", "size", "tags"]
    assert _Record.__bases__ == (tuple,)
    assert hash(record) == hash(typed)
    with pytest.raises(TypeError, match="cannot follow default field"):

        class _Bad(Record):
            size: int = 0
            name: str  # type: ignore[misc]

    with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute"):

        class _Worse(Record):
            name: str

            def _replace(self) -> None: ...  # type: ignore[misc]


def test_the_start_up_defers_collection_and_the_files_are_linted_with_it() -> None:
    code = (
        "import gc, io, sys\n"
        "from ecslint.commands import start_up\n"
        "from ecslint.commands.check import run_check\n"
        "from ecslint.commands.quickargs import parse_check\n"
        "start_up.defer_collection()\n"
        "assert not gc.isenabled()\n"
        "seen = []\n"
        "import ecslint.engine as engine\n"
        "real = engine.Linter.lint_path\n"
        "def lint_path(self, *a, **k):\n"
        "    seen.append(gc.isenabled())\n"
        "    return real(self, *a, **k)\n"
        "engine.Linter.lint_path = lint_path\n"
        f"run_check(parse_check(['check', {CLEAN!r}, {BROKEN!r}]))\n"
        "print(seen, gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stderr.strip().splitlines()[-1] == "[True, True] True True"
    # a library or a test calling run_check keeps its collector as it is
    assert gc.isenabled()


def test_the_console_scripts_quick_exit_loses_no_output(tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    text = Path(BROKEN).read_text()
    for index in range(300):  # a report far larger than any pipe buffer
        (many / f"td-{index:03d}.json").write_text(text)
    out = tmp_path / "report.sarif"
    done = subprocess.run(
        [sys.executable, "-m", "ecslint", "check", "--format", "json", "-o", str(out), str(many)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(out.read_text())["summary"]["files"] == 300
    assert done.stdout.rstrip().endswith("(300 files, 300 task definitions).")
    piped = subprocess.run(
        [sys.executable, "-m", "ecslint", "check", "--format", "json", "--jobs", "1", str(many)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert piped.returncode == 1
    assert json.loads(piped.stdout)["summary"]["files"] == 300
    usage = subprocess.run(
        [sys.executable, "-m", "ecslint", "check", "--select", "NOPE", CLEAN],
        capture_output=True,
        text=True,
        check=False,
    )
    assert usage.returncode == 2
    assert usage.stderr == "ecslint: error: unknown rule 'NOPE' (see 'ecslint rules')\n"


# --- SARIF's rule descriptors, rendered at build time ------------------------------------


def _old_render(run: Any, stream: Any, color: bool = False) -> None:
    """What --format sarif wrote before the descriptors were pre-rendered."""
    from ecslint.report import sarif

    json.dump(sarif.build(run), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


@pytest.mark.parametrize(
    "config",
    [
        "",
        "severity:\n  ECS401: error\n  ECS1: info\n",  # the run's rules differ from the shipped
        "params:\n  image-registry-not-allowed:\n    allowed: [public.ecr.aws]\n",
        "custom-rules:\n  - id: ACME010\n    name: missing-cpu\n    severity: info\n"
        "    check: json-schema\n    summary: Task cpu is not set\n"
        "    params: {target: task, schema: {required: [cpu]}}\n",
    ],
)
def test_sarif_is_byte_for_byte_json_dump_of_its_document(
    repo: Path, monkeypatch: pytest.MonkeyPatch, config: str
) -> None:
    from ecslint.report import sarif
    from tests.conftest import run_cli

    if config:
        (repo / ".ecslint.yaml").write_text(config)
    (repo / "td.json").write_text(Path(BROKEN).read_text())
    args = ["check", "--format", "sarif", "td.json", CLEAN]
    fast = run_cli(args)
    assert fast.exit_code == 1, fast.stderr
    monkeypatch.setattr(sarif, "render", _old_render)
    assert run_cli(args).stdout == fast.stdout
    if config:  # a rule the config changed is rendered, not taken from the shipped text
        rules = json.loads(fast.stdout)["runs"][0]["tool"]["driver"]["rules"]
        described = {rule["id"]: rule for rule in rules}
        if "ECS401: error" in config:
            assert described["ECS401"]["defaultConfiguration"]["level"] == "error"
        if "allowed" in config:
            assert "public.ecr.aws" in described["ECS420"]["help"]["markdown"]
        if "ACME010" in config:
            assert described["ACME010"]["shortDescription"]["text"] == "Task cpu is not set"


def test_the_shipped_descriptors_are_the_built_in_rules_as_rendered() -> None:
    from ecslint.catalog import builtin_rules
    from ecslint.report import sarif

    shipped = sarif._shipped_descriptors()
    rules = builtin_rules()
    assert sorted(shipped) == sorted(rule.id for rule in rules)
    for rule in rules:
        assert shipped[rule.id] == sarif.descriptor_text(rule), rule.id
