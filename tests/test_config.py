"""The configuration file through the CLI: discovery, every key, errors, schema, show."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import task
from tests.conftest import ROOT, run_cli, write_json

WATCHED = {"ECS101", "ECS401"}
LATEST = {"name": "web", "image": "nginx:latest"}
NO_LOGS = {"name": "web", "image": "nginx:latest", "logConfiguration": None}


def _config(repo: Path, text: str, name: str = ".ecslint.yaml") -> Path:
    path = repo / name
    path.write_text(text, encoding="utf-8")
    return path


def _rules(*args: str) -> list[str]:
    result = run_cli(["check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.stderr
    # Only the rules these tests are about: the catalog grows, the tests stay exact.
    return sorted(f["rule"] for f in result.findings if f["rule"] in WATCHED)


def _error(*args: str) -> str:
    result = run_cli(["check", *args])
    assert result.exit_code == 2, result.stdout
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


def _bad_task(repo: Path) -> Path:
    document = task(LATEST)
    del document["containerDefinitions"][0]["logConfiguration"]
    return write_json(repo / "svc" / "app.json", document)


# --- discovery ----------------------------------------------------------------------------


def test_config_is_found_from_a_subdirectory_up_to_the_repository_root(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bad_task(repo)
    assert _rules("svc/app.json") == ["ECS101", "ECS401"]
    _config(repo, "ignore: [ECS401]\n")
    monkeypatch.chdir(repo / "svc")
    assert _rules("app.json") == ["ECS101"]


def test_config_above_the_repository_root_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, "ignore: [ECS401]\n")
    inner = tmp_path / "project"
    (inner / ".git").mkdir(parents=True)
    _bad_task(inner)
    monkeypatch.chdir(inner)
    assert _rules("svc/app.json") == ["ECS101", "ECS401"]


def test_pyproject_tool_section(repo: Path) -> None:
    _bad_task(repo)
    _config(
        repo,
        '[project]\nname = "x"\n\n[tool.ecslint]\nignore = ["latest-image-tag"]\n',
        "pyproject.toml",
    )
    assert _rules("svc/app.json") == ["ECS101"]


def test_pyproject_without_the_section_is_skipped(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "[tool.ruff]\nline-length = 100\n", "pyproject.toml")
    assert _rules("svc/app.json") == ["ECS101", "ECS401"]


def test_explicit_config_and_isolated(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "ignore: [ECS101]\n")
    other = _config(repo, "ignore: [ECS401]\n", "other.yaml")
    assert _rules("--config", str(other), "svc/app.json") == ["ECS101"]
    assert _rules("svc/app.json") == ["ECS401"]
    assert _rules("--isolated", "svc/app.json") == ["ECS101", "ECS401"]
    assert "no such file" in _error("--config", "missing.yaml", "svc/app.json")


# --- errors -------------------------------------------------------------------------------


def test_unknown_key_names_the_file_line_and_key(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "select: [ECS]\nignroe: [ECS401]\n")
    assert _error("svc/app.json") == "ecslint: error: .ecslint.yaml:2: ignroe: unknown key"


def test_bad_values_name_the_key(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "severity:\n  ECS401: fatal\n")
    message = _error("svc/app.json")
    assert message.startswith("ecslint: error: .ecslint.yaml:2: severity.ECS401: ")
    assert "'fatal'" in message
    _config(repo, "fail-on: sometimes\n")
    assert ".ecslint.yaml:1: fail-on:" in _error("svc/app.json")
    _config(repo, "ignore: ECS401\n")
    assert ".ecslint.yaml:1: ignore:" in _error("svc/app.json")
    _config(repo, "- just\n- a list\n")
    assert "must be a mapping" in _error("svc/app.json")
    _config(repo, "ignore: [ECS401\n")
    assert "invalid YAML" in _error("svc/app.json")


def test_unknown_rules_in_selectors_name_the_line(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "ignore:\n  - ECS401\n  - no-such-rule\n")
    message = _error("svc/app.json")
    assert message.startswith("ecslint: error: .ecslint.yaml:3: ignore.1: unknown rule")
    _config(repo, "per-file-ignores:\n  'svc/*': [nope]\n")
    assert ".ecslint.yaml:2: per-file-ignores.svc/*.0: unknown rule 'nope'" in _error(
        "svc/app.json"
    )


def test_pyproject_errors_name_the_table_and_line(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, '[tool.ecslint]\nselect = ["ECS"]\nfail_onn = "error"\n', "pyproject.toml")
    assert _error("svc/app.json") == (
        "ecslint: error: pyproject.toml:3: tool.ecslint.fail_onn: unknown key"
    )


def test_params_are_checked_against_what_the_check_takes(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "params:\n  latest-image-tag:\n    allow: [nginx]\n")
    message = _error("svc/app.json")
    assert ".ecslint.yaml:3: params.latest-image-tag.allow: " in message
    assert "takes no param 'allow'" in message
    _config(repo, "params:\n  ECS999: {}\n")
    assert "unknown rule 'ECS999'" in _error("svc/app.json")


def test_param_values_are_checked_against_the_declared_types_before_linting(repo: Path) -> None:
    """A bad value was accepted and crashed its rule at lint time (the type was guessed from
    the YAML's example, null); the declaration on the check says integer."""
    bridge = {
        "family": "web",
        "networkMode": "bridge",
        "containerDefinitions": [
            {
                "name": "web",
                "image": "nginx:1.27",
                "memory": 512,
                "portMappings": [{"containerPort": 80, "hostPort": 50000}],
            }
        ],
    }
    write_json(repo / "svc" / "app.json", bridge)
    _config(repo, "params:\n  ECS609:\n    ephemeral_start: x\n")
    result = run_cli(["check", "--format", "json", "svc/app.json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert ".ecslint.yaml:3: params.ECS609.ephemeral_start: " in result.stderr
    assert "must be an integer or null, not string" in result.stderr
    for bad, why in (
        ("true", "must be an integer or null, not boolean"),
        ("[1]", "must be an integer or null, not list"),
    ):
        _config(repo, f"params:\n  ECS609:\n    ephemeral_start: {bad}\n")
        assert why in _error("svc/app.json")
    _config(repo, "params:\n  ECS909:\n    capabilities: [SYS_ADMIN, 7]\n")
    assert "must be a list of strings" in _error("svc/app.json")
    _config(repo, "params:\n  ECS804:\n    fields: [privileged, colour]\n")
    assert "'colour' is not one of" in _error("svc/app.json")
    for start, reported in ((60000, False), (32768, True)):
        _config(repo, f"params:\n  ECS609:\n    ephemeral_start: {start}\n")
        result = run_cli(["check", "--format", "json", "--select", "ECS609", "svc/app.json"])
        assert result.exit_code in (0, 1), result.stderr
        assert ("ECS609" in result.rules()) is reported


# --- keys ---------------------------------------------------------------------------------


def test_select_extend_select_and_ignore_by_id_prefix_and_slug(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "select: [ECS1]\n")
    assert _rules("svc/app.json") == ["ECS101"]
    _config(repo, "select: [ECS1]\nextend-select: [latest-image-tag]\n")
    assert _rules("svc/app.json") == ["ECS101", "ECS401"]
    _config(repo, "ignore: [ECS4, missing-log-configuration]\n")
    assert _rules("svc/app.json") == []


def test_cli_overrides_the_file(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "select: [ECS1]\nextend-select: [ECS0]\nfail-on: error\n")
    assert _rules("--select", "ECS401", "svc/app.json") == ["ECS401"]
    assert run_cli(["check", "svc/app.json"]).exit_code == 0  # warnings under fail-on: error
    assert run_cli(["check", "--fail-on", "warning", "svc/app.json"]).exit_code == 1
    _config(repo, "ignore: [ECS101]\n")
    assert _rules("--ignore", "ECS401", "svc/app.json") == []


def test_severity_overrides(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "severity:\n  latest-image-tag: error\n  ECS1: info\nfail-on: error\n")
    result = run_cli(["check", "--format", "json", "svc/app.json"])
    assert {f["rule"]: f["severity"] for f in result.findings if f["rule"] in WATCHED} == {
        "ECS101": "info",
        "ECS401": "error",
    }
    assert result.exit_code == 1
    sarif = json.loads(run_cli(["check", "--format", "sarif", "svc/app.json"]).stdout)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ECS401"]["defaultConfiguration"]["level"] == "error"


def test_exclude_globs(repo: Path) -> None:
    _bad_task(repo)
    write_json(repo / "legacy" / "old.json", task(LATEST))
    write_json(repo / "svc" / "gen" / "x.generated.json", task(LATEST))
    _config(repo, "exclude: [legacy, '*.generated.json']\n")
    result = run_cli(["check", "--format", "json", "."])
    assert {f["file"] for f in result.findings} == {"svc/app.json"}


def test_per_file_ignores(repo: Path) -> None:
    _bad_task(repo)
    write_json(repo / "batch" / "job.json", task(LATEST))
    _config(repo, "per-file-ignores:\n  'svc/**': [ECS401]\n  'batch/*.json': [ECS4]\n")
    result = run_cli(["check", "--format", "json", "svc", "batch"])
    found = [(f["file"], f["rule"]) for f in result.findings if f["rule"] in WATCHED]
    assert found == [("svc/app.json", "ECS101")]


def test_baseline_key_in_the_config(repo: Path) -> None:
    _bad_task(repo)
    assert run_cli(["check", "--write-baseline", "ci/baseline.json", "svc"]).exit_code == 0
    _config(repo, "baseline: ci/baseline.json\n")
    assert run_cli(["check", "svc"]).exit_code == 0


# --- schema and show ----------------------------------------------------------------------


def test_published_schema_matches_the_model() -> None:
    printed = json.loads(run_cli(["config", "schema"]).stdout)
    published = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
    assert printed == published, "regenerate: ecslint config schema > schemas/config.schema.json"


def test_schema_accepts_a_full_config_and_rejects_unknown_keys() -> None:
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
    config = {
        "select": ["ECS"],
        "extend-select": ["ACME"],
        "ignore": ["ECS001"],
        "severity": {"ECS401": "error"},
        "params": {"ACME001": {"message": "x"}},
        "exclude": ["legacy/**"],
        "per-file-ignores": {"svc/*": ["ECS401"]},
        "fail-on": "error",
        "baseline": "ci/baseline.json",
        "custom-rules": [
            "rules/acme.yaml",
            {
                "id": "ACME001",
                "name": "x",
                "severity": "info",
                "check": "json-schema",
                "summary": "s",
                "params": {},
            },
        ],
        "suppressions": [{"rules": ["ECS401"], "files": "svc/*", "reason": "r"}],
    }
    jsonschema.Draft202012Validator(schema).validate(config)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"ignroe": []}))
    assert errors


def test_config_show_prints_the_merged_settings(repo: Path) -> None:
    _config(repo, "ignore: [ECS401]\nfail-on: error\nseverity: {ECS101: info}\n")
    result = run_cli(["config", "show"])
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["config-file"].endswith(".ecslint.yaml")
    assert shown["ignore"] == ["ECS401"] and shown["fail-on"] == "error"
    assert shown["severity"] == {"ECS101": "info"}
    assert "ECS401" not in shown["enabled-rules"] and "ECS101" in shown["enabled-rules"]
    default = json.loads(run_cli(["config", "show", "--config", "/dev/null"]).stdout)
    assert default["fail-on"] == "warning"


# --- start-up cost ------------------------------------------------------------------------

_PROBE = (  # main(argv) returns by SystemExit (the console script's main() ends the process)
    "import sys\n"
    "from ecslint.entry import main\n"
    "try:\n    main(['check', 'a.json'])\n"
    "except SystemExit:\n    pass\n"
    "print('PYDANTIC' if 'pydantic' in sys.modules else 'NO-PYDANTIC', file=sys.stderr)\n"
)


def _imports_pydantic(cwd: Path) -> bool:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert "1 task definition" in result.stdout, result.stderr  # the check really ran
    return result.stderr.strip().splitlines()[-1] == "PYDANTIC"


def test_no_pydantic_without_a_config(repo: Path) -> None:
    write_json(repo / "a.json", task(LATEST))
    assert not _imports_pydantic(repo)
    _config(repo, "ignore: [ECS401]\n")
    assert _imports_pydantic(repo)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &a [*a]\n", ".ecslint.yaml:1: a YAML alias refers to itself"),
        ("exclude: ['[z-a]']\n", ".ecslint.yaml:1: exclude.0: bad glob '[z-a]'"),
        ("ignore: [a, a]\nignore: [b]\n", ".ecslint.yaml:2: ignore: key appears more than once"),
        ("custom-rules: [{id: ACME1}]\n", ".ecslint.yaml:1: custom-rules.0.name: Field required"),
    ],
)
def test_hostile_or_broken_config_is_one_line(repo: Path, text: str, expected: str) -> None:
    _bad_task(repo)
    _config(repo, text)
    assert expected in _error("svc/app.json")


def test_first_baseline_can_be_written_when_the_config_names_it(repo: Path) -> None:
    _bad_task(repo)
    _config(repo, "baseline: ci/baseline.json\n")
    assert run_cli(["check", "svc"]).exit_code == 2  # named but not written yet
    assert run_cli(["check", "--write-baseline", "ci/baseline.json", "svc"]).exit_code == 0
    assert run_cli(["check", "svc"]).exit_code == 0


def test_a_param_given_a_number_says_so(repo: Path) -> None:
    write_json(
        repo / "svc" / "app.json",
        {"family": "web", "containerDefinitions": [{"name": "a", "image": "nginx:1"}]},
    )
    _config(repo, "params:\n  ECS909:\n    capabilities: 1.5\n")
    import re

    assert re.search(r"must be a list of strings, not number\b", _error("svc/app.json"))
