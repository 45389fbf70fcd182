"""Property-based tests of the engine's invariants, on generated and mutated task definitions.

Inputs come from mutations of the real corpus files (drop a key, change a type,
insert a placeholder, duplicate a container, swap cpu and memory, truncate the
text, insert junk bytes) and, once it exists, from ``schemas/task-definition.schema.json``.
The budget is the hypothesis profile loaded in ``tests/conftest.py`` (``ci`` by default).

Invariants:
- the engine never raises and records no internal error;
- every finding's pointer resolves in the parsed document (a file-level finding has
  path ""; a missing key's parent resolves), and its line and column are in the file;
- reformatting (indentation, key order) changes nothing but line and column, and the
  fingerprint is stable;
- the same definition as JSON, YAML and describe output gives the same findings.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import cache
from typing import Any

import pytest
import yaml
from hypothesis import assume, example, given
from hypothesis import strategies as st

from ecslint.catalog import load_builtin_catalog
from ecslint.engine import Linter
from ecslint.load import Source
from ecslint.load.yaml_doc import dump_yaml, load_yaml
from ecslint.model import Finding
from tests.conftest import CORPUS, ROOT

SCHEMA = ROOT / "schemas" / "task-definition.schema.json"
PLACEHOLDERS = ["${IMAGE}", "<IMAGE1_NAME>", "{{ must_env `TAG` }}", "#{Octopus.Tag}"]
JUNK = [b"\x00", b"\xff\xfe", b"\xc3(", b"{", b"]", b"&a *a", b"!!python/name:os.system", b"\r"]


@cache
def linter() -> Linter:
    catalog = load_builtin_catalog()
    return Linter(catalog, list(catalog))


@cache
def corpus_definitions() -> list[dict[str, Any]]:
    """Every corpus task definition that parses, in its register shape."""
    found: list[dict[str, Any]] = []
    for path in sorted((CORPUS / "taskdef").glob("*")):
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = json.loads(text) if text.lstrip()[:1] in "{[" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict):
            data = data["taskDefinition"]
        if isinstance(data, dict) and ("containerDefinitions" in data or "family" in data):
            found.append(data)
    return found


needs_definitions = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="the shared corpus is not beside the checkout (ECSLINT_CORPUS)"
)


# --- running the engine -----------------------------------------------------------------------


def lint_text(text: str, name: str = "taskdef.json") -> list[Finding]:
    engine = linter()
    report = engine.lint_source(Source(name, text))
    errors = list(engine.internal_errors)
    engine.internal_errors.clear()
    assert not errors, errors
    return report.findings


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def check_locations(text: str, findings: list[Finding], data: Any) -> None:
    """Each pointer resolves in ``data`` (or is a missing key whose parent does), and
    each finding's line and column are in the text."""
    lines = lines_of(text)
    for finding in findings:
        span = finding.span
        assert 1 <= span.line <= len(lines), finding
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, finding
        assert (span.end_line, span.end_column) >= (span.line, span.column), finding
        if finding.path == "":
            continue
        parts = pointer_parts(finding.path)
        if not resolves(data, parts):
            assert resolves(data, parts[:-1]), f"{finding.rule} {finding.path} does not resolve"


def pointer_parts(pointer: str) -> list[str]:
    assert pointer.startswith("/"), pointer
    return [raw.replace("~1", "/").replace("~0", "~") for raw in pointer[1:].split("/")]


def resolves(data: Any, parts: list[str]) -> bool:
    node = data
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def essence(
    findings: list[Finding], strip: str = "", *, key_order: bool = False
) -> Counter[tuple[Any, ...]]:
    """What must not change when only the layout of a file changes.

    With ``key_order=True`` a message is compared by its characters, not their order:
    some rules quote a wrong-typed value (an object where a number belongs) as written,
    and its keys then follow the file's order. Everything else must be identical.
    """
    return Counter(
        (
            f.rule,
            f.path.removeprefix(strip) if f.path.startswith(strip + "/") else f.path,
            f.severity,
            "".join(sorted(f.message)) if key_order else f.message,
            f.container,
        )
        for f in findings
    )


# --- mutations --------------------------------------------------------------------------------


def all_paths(data: Any) -> list[tuple[Any, ...]]:
    paths: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        paths.append(path)
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else []
        )
        stack.extend((child, (*path, key)) for key, child in items)
    return sorted(paths, key=repr)


def parent_and_key(data: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


OTHER_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(PLACEHOLDERS),
    # A new empty list or dict each time: st.just([]) hands out one shared object, which
    # later mutations (duplicate, retype inside it) grew across examples: the deep
    # profile grew about 70 MB/s and ended in MemoryError or FlakyStrategyDefinition.
    st.builds(list),
    st.builds(dict),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["name", "image", "value", "cpu"]), st.text(max_size=5)),
)


@st.composite
def mutated_definitions(draw: st.DrawFn) -> dict[str, Any]:
    """A corpus task definition after one to four structural mutations."""
    data = copy.deepcopy(draw(st.sampled_from(corpus_definitions())))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["drop", "retype", "placeholder", "duplicate", "swap"]))
        paths = [p for p in all_paths(data) if p]
        if kind == "duplicate":
            containers = data.get("containerDefinitions")
            if isinstance(containers, list) and containers:
                containers.append(copy.deepcopy(draw(st.sampled_from(containers))))
            continue
        if kind == "swap":
            containers = data.get("containerDefinitions")
            targets = [data, *(containers if isinstance(containers, list) else [])]
            target = draw(st.sampled_from(targets))
            if isinstance(target, dict):
                target["cpu"], target["memory"] = target.get("memory"), target.get("cpu")
            continue
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        parent, key = parent_and_key(data, path)
        if kind == "drop":
            del parent[key]
        elif kind == "retype":
            parent[key] = draw(OTHER_VALUES)
        else:
            parent[key] = draw(st.sampled_from(PLACEHOLDERS))
    return data


# --- properties -------------------------------------------------------------------------------


@needs_definitions
@given(data=mutated_definitions(), indent=st.sampled_from([None, 1, 2, 4]))
def test_mutated_definitions_never_crash_and_findings_resolve(
    data: dict[str, Any], indent: int | None
) -> None:
    text = json.dumps(data, indent=indent)
    check_locations(text, lint_text(text), json.loads(text))


@needs_definitions
@given(data=mutated_definitions())
def test_reformatting_changes_only_lines_and_columns(data: dict[str, Any]) -> None:
    compact = lint_text(json.dumps(data))
    pretty = lint_text(json.dumps(data, indent=4, sort_keys=True))
    assert essence(compact, key_order=True) == essence(pretty, key_order=True)
    assert Counter(f.fingerprint for f in compact) == Counter(f.fingerprint for f in pretty)


@needs_definitions
@given(data=mutated_definitions())
def test_json_and_yaml_give_the_same_findings(data: dict[str, Any]) -> None:
    as_json = lint_text(json.dumps(data, indent=2))
    yaml_text = dump_yaml(data, width=80)
    as_yaml = lint_text(yaml_text, "taskdef.yaml")
    check_locations(yaml_text, as_yaml, yaml.safe_load(yaml_text))
    assert essence(as_json) == essence(as_yaml)


_TEXT = st.text(st.characters(codec="utf-8"))  # any character a file can hold


@example(value={"name": "\x85"})  # NEL: a line break in YAML 1.1 (found by the test above)
@example(value={"a\x85b": ["\x85", "x\x85 "]})
@given(value=st.dictionaries(_TEXT, _TEXT | st.lists(_TEXT, max_size=3), max_size=4))
def test_the_yaml_ecslint_writes_reads_back_as_the_same_data(value: dict[str, Any]) -> None:
    """What ``dump_yaml`` writes (``ecslint convert``, the YAML side of the test above) is
    the same data to ecslint's YAML reader: a YAML text that reads differently would make
    the JSON/YAML comparison compare two different task definitions."""
    for width in (80, 1000):
        text = dump_yaml(value, width=width)
        assert load_yaml(text)[0] == value, text


def as_exported(data: dict[str, Any]) -> dict[str, Any]:
    """The definition as AWS prints it: with read-only fields, without AWS's own tags.

    Register input and describe output are validated differently on purpose (schema.py:
    describe tolerates nulls and read-only fields; ECS rules skip the ``aws:`` tags AWS
    adds itself), so the comparison is between the two forms AWS prints: a console
    export (read-only fields at the top) and describe output. Tags whose key starts
    with ``aws:`` cannot be in describe output written by a user, so they are left out.
    """
    exported = dict(data)
    exported.setdefault("revision", 1)
    exported.setdefault("status", "ACTIVE")
    tags = exported.get("tags")
    if isinstance(tags, list):
        exported["tags"] = [
            tag
            for tag in tags
            if not (isinstance(tag, dict) and str(tag.get("key", ""))[:4].lower() == "aws:")
        ]
    return exported


@needs_definitions
@given(data=mutated_definitions())
def test_an_export_and_describe_output_give_the_same_findings(data: dict[str, Any]) -> None:
    # Without either key, a bare file is not recognised as a task definition at all.
    assume("family" in data or "containerDefinitions" in data)
    exported = as_exported(data)
    as_export = lint_text(json.dumps(exported, indent=2))
    task = {k: v for k, v in exported.items() if k != "tags"}
    describe = {
        "taskDefinition": task,
        **({"tags": exported["tags"]} if "tags" in exported else {}),
    }
    describe_text = json.dumps(describe, indent=2)
    as_describe = lint_text(describe_text)
    check_locations(describe_text, as_describe, describe)
    assert essence(as_export) == essence(as_describe, strip="/taskDefinition")


@needs_definitions
@given(
    data=mutated_definitions(),
    cut=st.floats(min_value=0, max_value=1),
    junk=st.lists(
        st.tuples(st.floats(min_value=0, max_value=1), st.sampled_from(JUNK)), max_size=3
    ),
    name=st.sampled_from(["taskdef.json", "taskdef.yaml", "taskdef"]),
)
def test_truncated_text_and_junk_bytes_never_crash(
    data: dict[str, Any], cut: float, junk: list[tuple[float, bytes]], name: str
) -> None:
    from ecslint.load.source import LoadError, decode

    raw = json.dumps(data, indent=2).encode()
    raw = raw[: int(len(raw) * cut)]
    for where, piece in junk:
        at = int(len(raw) * where)
        raw = raw[:at] + piece + raw[at:]
    try:
        text = decode(raw)
    except LoadError:
        return
    findings = lint_text(text, name)
    for finding in findings:
        assert finding.span.line >= 1 and finding.span.column >= 1
    parsed = _parsed(text, name)
    if parsed is not None:
        check_locations(text, findings, parsed)


def _parsed(text: str, name: str) -> Any:
    from ecslint.load import LoadError, parse

    try:
        return parse(Source(name, text)).data
    except LoadError:
        return None


@pytest.mark.skipif(
    not SCHEMA.is_file(), reason="schemas/task-definition.schema.json not generated yet"
)
def test_schema_generated_definitions_never_crash() -> None:
    from hypothesis_jsonschema import from_schema

    schema = json.loads(SCHEMA.read_text())

    @given(from_schema(schema))
    def run(data: Any) -> None:
        text = json.dumps(data, indent=2)
        check_locations(text, lint_text(text), data)
        reordered = lint_text(json.dumps(data, sort_keys=True))
        assert essence(reordered, key_order=True) == essence(lint_text(text), key_order=True)

    run()
