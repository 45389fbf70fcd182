"""The loader on every kind of input: shapes, positions, and each way a file can be bad."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ecslint.load import LoadError, Source, detect_targets, parse
from ecslint.load.source import MAX_BYTES, decode
from ecslint.load.unknown import Unknown
from tests.conftest import lint, lint_file, run_cli

TASK = {
    "family": "web",
    "containerDefinitions": [
        {
            "name": "web",
            "image": "nginx:1.27",
            "memory": 512,
            "logConfiguration": {"logDriver": "awslogs", "options": {}},
        }
    ],
}


def _doc(text: str, path: str = "t.json") -> object:
    return parse(Source(path, text))


def test_positions_of_json_values_and_keys() -> None:
    text = json.dumps(TASK, indent=2)
    document = parse(Source("t.json", text))
    span = document.span(("containerDefinitions", 0, "image"))
    line = text.splitlines()[span.line - 1]
    assert line[span.column - 1 : span.end_column - 1] == '"nginx:1.27"'
    key = document.span(("containerDefinitions", 0, "image"), key=True)
    assert text.splitlines()[key.line - 1][key.column - 1 : key.end_column - 1] == '"image"'


def test_positions_of_yaml_values() -> None:
    text = "family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx:1.27\n"
    document = parse(Source("t.yaml", text))
    span = document.span(("containerDefinitions", 0, "image"))
    assert (span.line, span.column) == (4, 12)
    assert document.data["containerDefinitions"][0]["image"] == "nginx:1.27"


def test_missing_key_points_at_the_object_that_lacks_it() -> None:
    text = json.dumps(TASK, indent=2)
    document = parse(Source("t.json", text))
    missing = document.span(("containerDefinitions", 0, "portMappings"))
    container = document.span(("containerDefinitions", 0))
    assert missing == container


def test_escaped_keys_and_unicode_positions() -> None:
    text = (
        '{"family": "w", "a/b~c": {"x": 1}, "containerDefinitions": [{"name": "é", "image": "x"}]}'
    )
    document = parse(Source("t.json", text))
    span = document.span(("a/b~c", "x"))
    assert text[span.column - 1 : span.end_column - 1] == "1"
    image = document.span(("containerDefinitions", 0, "image"))
    assert text[image.column - 1 : image.end_column - 1] == '"x"'


def test_shapes_register_describe_and_export() -> None:
    register = detect_targets(parse(Source("a.json", json.dumps(TASK))))
    assert [t.shape for t in register] == ["register"]
    described = {"taskDefinition": {**TASK, "revision": 3}, "tags": [{"key": "a", "value": "b"}]}
    (target,) = detect_targets(parse(Source("b.json", json.dumps(described))))
    assert target.shape == "describe"
    assert target.task["tags"] == [{"key": "a", "value": "b"}]
    assert target.locate(("tags", 0)) == ("tags", 0)
    assert target.locate(("family",)) == ("taskDefinition", "family")
    export = {
        **TASK,
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
    }
    assert [t.shape for t in detect_targets(parse(Source("c.json", json.dumps(export))))] == [
        "export"
    ]


def test_placeholders_become_unknown_values() -> None:
    text = json.dumps({**TASK, "containerDefinitions": [{"name": "w", "image": "${IMAGE}"}]})
    (target,) = detect_targets(parse(Source("t.json", text)))
    image = target.task["containerDefinitions"][0]["image"]
    assert isinstance(image, Unknown)
    assert image.text == "${IMAGE}"


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ('{"family": "a"\n  "containerDefinitions": []}', 2, 3, "Expecting ',' delimiter"),
        ('{"family": "a",}', 1, 16, "Expecting property name"),
        ("[1, 2", 1, 6, "Expecting"),
        ('{"a": NaN}', 1, 1, "NaN is not valid JSON"),
    ],
)
def test_json_syntax_errors_carry_line_and_column(
    text: str, line: int, column: int, fragment: str
) -> None:
    with pytest.raises(LoadError) as caught:
        _doc(text)
    assert caught.value.rule == "ECS002"
    assert (caught.value.line, caught.value.column) == (line, column)
    assert fragment in caught.value.message


def test_yaml_syntax_error_carries_line_and_column() -> None:
    with pytest.raises(LoadError) as caught:
        _doc("family: web\ncontainerDefinitions:\n  - name: a\n   image: b\n", "t.yaml")
    assert caught.value.rule == "ECS002"
    assert caught.value.line == 4


def test_yaml_python_tags_are_refused_not_constructed() -> None:
    with pytest.raises(LoadError) as caught:
        _doc("family: !!python/object/apply:os.system ['echo pwned']\n", "t.yaml")
    assert "not supported" in caught.value.message
    assert caught.value.line == 1


def test_yaml_alias_bomb_is_refused() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    with pytest.raises(LoadError) as caught:
        _doc("\n".join(lines) + "\n", "bomb.yaml")
    assert "alias" in caught.value.message


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(LoadError) as caught:
        _doc('{"family": ' + "[" * 5000 + "]" * 5000 + "}")
    assert "nested deeper" in caught.value.message
    with pytest.raises(LoadError):
        _doc("family: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yaml")


def test_nesting_just_past_the_limit_is_refused_at_the_first_value_too_deep() -> None:
    """65 levels parse fine (the decoder allows ~1,000); the depth check names where."""
    deep = '{"family": "f",\n "x": ' + "[" * 65 + "]" * 65 + "}"
    with pytest.raises(LoadError) as caught:
        _doc(deep)
    assert caught.value.message == "nested deeper than 64 levels"
    assert (caught.value.line, caught.value.column) == (2, 7 + 64)
    _doc('{"family": "f",\n "x": ' + "[" * 63 + "]" * 63 + "}")  # 64 levels: accepted


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b'{"family": "\xff"}', "not valid UTF-8"),
        (b'{"family": "a\x00"}', "NUL"),
    ],
)
def test_binary_and_bad_encodings_are_refused(data: bytes, fragment: str) -> None:
    with pytest.raises(LoadError) as caught:
        decode(data)
    assert fragment in caught.value.message


def test_utf16_with_a_bom_is_read() -> None:
    text = json.dumps(TASK)
    assert decode("\ufeff".encode("utf-16-le") + text.encode("utf-16-le")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode()) == text


def test_empty_file_is_a_syntax_finding(tmp_path: Path) -> None:
    path = tmp_path / "task-definition.json"
    path.write_text("  \n")
    result = lint_file(path)
    assert result.exit_code == 1
    assert result.rules() == ["ECS002"]
    assert "empty" in result.findings[0]["message"]


def test_huge_file_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b"[" + b"0," * (MAX_BYTES // 2) + b"0]")
    result = lint_file(path)
    assert result.exit_code == 1
    assert result.rules() == ["ECS004"]
    assert "at most" in result.findings[0]["message"]


def test_duplicate_keys_are_reported_where_the_second_one_is(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{\n  "family": "a",\n  "family": "b",\n  "containerDefinitions": []\n}\n')
    result = lint_file(path, "--select", "ECS003")
    (finding,) = result.findings
    assert (finding["rule"], finding["line"], finding["column"]) == ("ECS003", 3, 3)
    assert finding["path"] == "/family"


def test_duplicate_keys_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("family: a\nfamily: b\ncontainerDefinitions: []\n")
    result = lint_file(path, "--select", "ECS003")
    assert [(f["rule"], f["line"]) for f in result.findings] == [("ECS003", 2)]


def test_stdin_is_read_with_dash() -> None:
    result = lint(TASK, "--select", "ECS101")
    assert result.exit_code == 0
    assert result.json["summary"]["task_definitions"] == 1


def test_directory_walk_skips_files_that_are_not_task_definitions(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "task-definition.json").write_text(json.dumps(TASK))
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "bad.json").write_text("{")
    result = run_cli(["check", "--format", "json", str(tmp_path)])
    assert result.json["summary"]["files"] == 2
    assert result.json["summary"]["task_definitions"] == 1
    (skipped,) = result.json["skipped"]
    assert skipped["file"].endswith("package.json")
    assert "note:" in result.stderr and "package.json" in result.stderr


def test_symlink_loop_in_a_walk_terminates(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "taskdef.json").write_text(json.dumps(TASK))
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    result = run_cli(["check", "--format", "json", str(tmp_path)])
    assert result.json["summary"]["files"] == 1


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_a_file_whose_size_the_system_does_not_know_is_read_whole() -> None:
    """/proc files report size 0; reading only what stat says would read nothing."""
    from ecslint.load.source import read_source

    assert os.stat("/proc/self/status").st_size == 0
    assert "Name:" in read_source("/proc/self/status").text


def test_files_without_an_ecs_word_are_skipped_unparsed_and_others_are_linted(
    tmp_path: Path,
) -> None:
    """The cheap look before parsing: a walk passes by only a text no detector can accept."""
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.0.0"}')
    (tmp_path / "workflow.yaml").write_text("on: push\njobs:\n  build:\n    runs-on: x\n")
    # a Helm template is not YAML until rendered: reading it would be a syntax error
    (tmp_path / "chart.yaml").write_text("kind: {{ .Values.kind }}\n  bad: [\n")
    (tmp_path / "empty.json").write_text("")
    (tmp_path / "escaped.json").write_text('{"\\u0066amily": "web", "containerDefinitions": []}')
    (tmp_path / "task.json").write_text(json.dumps(TASK))
    result = run_cli(["check", "--format", "json", "--fail-on", "never", str(tmp_path)])
    document = json.loads(result.stdout)
    skipped = {Path(item["file"]).name: item["reason"] for item in document["skipped"]}
    assert set(skipped) == {"package.json", "workflow.yaml", "chart.yaml"}
    assert all(reason.startswith("not an ECS input") for reason in skipped.values())
    by_file = {Path(f["file"]).name for f in document["findings"]}
    # the empty file is a syntax error; the escaped key is read as "family"
    assert {"empty.json", "escaped.json", "task.json"} <= by_file
    assert document["summary"]["task_definitions"] == 2
    # a file named is always read, and so is any file with --input-format
    named = run_cli(["check", "--format", "json", str(tmp_path / "chart.yaml")])
    assert json.loads(named.stdout)["findings"][0]["rule"] == "ECS002"
    forced = run_cli(
        ["check", "--format", "json", "--input-format", "taskdef", str(tmp_path / "chart.yaml")]
    )
    assert json.loads(forced.stdout)["findings"][0]["rule"] == "ECS002"
