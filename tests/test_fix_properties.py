"""Property: a fix never makes the file unparsable, and changes nothing outside its span.

Task definitions with the mistakes the fixes are about (numbers for task cpu, quoted
booleans and ports, a misspelt key, mismatched host ports, awslogs options without a
stream prefix) are written as JSON and YAML in many layouts (indentation, flow or block
style, CRLF, comments). Every fix the engine offers is applied alone, and then:

- the text outside the edited span is byte for byte what it was;
- the file still parses;
- the parsed data differs from before only at the value, key or member the fix is about.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from ecslint.catalog import Rule, load_builtin_catalog
from ecslint.engine import Linter
from ecslint.fixes import apply
from ecslint.load import Source, Target, parse
from ecslint.model import Edit, Finding, PathParts, Problem

_options = st.dictionaries(
    st.sampled_from(["awslogs-group", "awslogs-region", "awslogs-stream-prefix", "mode"]),
    st.sampled_from(["/ecs/web", "eu-west-1", "", "non-blocking"]),
    max_size=4,
)
_container = st.fixed_dictionaries(
    {"name": st.sampled_from(["web", "app", "side-car"]), "image": st.just("nginx:1.27")},
    optional={
        "essential": st.sampled_from([True, "true", "false", "True"]),
        "user": st.none(),
        "command": st.sampled_from([None, ["sh"]]),
        "readOnlyRootFilesystem": st.booleans(),
        "readonlyRootFilesystem": st.sampled_from([False, True, "false"]),
        "memory": st.sampled_from([512, "512"]),
        "portMappings": st.lists(
            st.fixed_dictionaries(
                {"containerPort": st.sampled_from([80, 8080, "8080"])},
                optional={"hostPort": st.sampled_from([80, 8080, 0, "80"])},
            ),
            max_size=2,
        ),
        "logConfiguration": st.fixed_dictionaries(
            {"logDriver": st.just("awslogs")}, optional={"options": _options}
        ),
    },
)
_task = st.fixed_dictionaries(
    {
        "family": st.just("web"),
        "containerDefinitions": st.lists(_container, min_size=1, max_size=3),
    },
    optional={
        "requiresCompatibilities": st.just(["FARGATE"]),
        "networkMode": st.sampled_from(["awsvpc", "bridge"]),
        "cpu": st.sampled_from([256, "256", 1024]),
        "memory": st.sampled_from([512, "512"]),
        "taskRoleArn": st.none(),
        "pidMode": st.sampled_from([None, "task"]),
    },
)


@st.composite
def _files(draw: st.DrawFn) -> tuple[str, str]:
    task = draw(_task)
    if draw(st.booleans()):
        indent = draw(st.sampled_from([None, 2, 4, "\t"]))
        separators = draw(st.sampled_from([(", ", ": "), (",", ":"), (",", ": ")]))
        text = json.dumps(task, indent=indent, separators=separators) + "\n"
        name = "taskdef.json"
    else:
        flow = draw(st.sampled_from([False, None]))
        text = yaml.safe_dump(
            task, default_flow_style=flow, indent=draw(st.sampled_from([2, 4])), sort_keys=False
        )
        if flow is False and draw(st.booleans()):
            text = "".join(line + "  # note\n" for line in text.splitlines())
        name = "taskdef.yaml"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return name, text


class _Recording(Linter):
    """A linter that keeps each fixable finding's problem and target."""

    def __init__(self) -> None:
        catalog = load_builtin_catalog()
        super().__init__(catalog, list(catalog))
        self.fixes = True
        self.seen: list[tuple[Target, Problem, Finding]] = []

    def finding(self, rule: Rule, target: Target, path: str, problem: Problem) -> Finding:
        found = super().finding(rule, target, path, problem)
        if found.edits:
            self.seen.append((target, problem, found))
        return found


def _touched(target: Target, edit: Edit) -> list[PathParts]:
    """The document paths a fix may change."""
    if edit.op == "replace":
        return [target.locate(edit.path)]
    if edit.op == "remove":
        return [target.locate(edit.path)]
    if edit.op == "rename":
        renamed = target.locate((*edit.path[:-1], edit.value))
        return [target.locate(edit.path), renamed]
    return [target.locate((*edit.path, edit.key))]


def _differences(a: Any, b: Any, at: PathParts = ()) -> list[PathParts]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[PathParts] = []
        for key in a.keys() | b.keys():
            if key not in a or key not in b:
                out.append((*at, key))
            else:
                out += _differences(a[key], b[key], (*at, key))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = enumerate(zip(a, b, strict=True))
        return [p for i, (x, y) in pairs for p in _differences(x, y, (*at, i))]
    return [] if type(a) is type(b) and a == b else [at]


@given(_files())
def test_a_fix_changes_only_its_span_and_the_file_still_parses(file: tuple[str, str]) -> None:
    name, text = file
    linter = _Recording()
    report = linter.lint_source(Source(name, text))
    assert not linter.internal_errors
    before = parse(Source(name, text)).data
    for target, problem, finding in linter.seen:
        assert finding.edits is not None
        edits = finding.edits[1]
        fixed = apply(text, edits)
        for edit in edits:  # nothing outside the span changed
            assert fixed[: edit.start] == text[: edit.start]
            tail = len(text) - max(e.end for e in edits)
            assert fixed[len(fixed) - tail :] == text[len(text) - tail :]
        after = parse(Source(name, fixed)).data  # raises if the fix broke the file
        touched = [path for edit in problem.fix for path in _touched(target, edit)]
        for difference in _differences(before, after):
            assert any(difference[: len(t)] == t for t in touched), (difference, touched)
        assert _differences(before, after), "a fix that changes nothing"
    assert report.path == name


@example(value="\x85")  # NEL is a line break in YAML 1.1: raw, it folds into a space
@example(value="a\u2028b\x9f")
@given(value=st.text(st.characters(codec="utf-8")))
def test_a_yaml_scalar_a_fix_writes_reads_back_as_its_value(value: str) -> None:
    """Whatever the quoting style a fix keeps, the scalar it writes is the value."""
    from ecslint.fixes import _yaml_scalar
    from ecslint.load.yaml_doc import load_yaml

    for quote in ("", "'", '"'):
        written = _yaml_scalar(value, quote)
        assert load_yaml(f"key: {written}\n")[0] == {"key": value}, written
