"""The rules about the file and the run rather than its content (ECS001-ECS006) through the CLI.

Their findings come from the loader, the engine and the filter (``ecslint/checks/meta.py``
only registers the ``engine`` check they name). Suppressions are tested at length in
tests/test_suppressions.py, and ECS246 (a family ``scan --aws`` could not describe) in
tests/test_iam_aws.py, against moto.
"""

from __future__ import annotations

from pathlib import Path

from tests.builders import task
from tests.conftest import lint, lint_file

LATEST = {"name": "web", "image": "nginx:latest"}


def test_unevaluated_value_is_reported_not_judged() -> None:
    result = lint(task({"name": "web", "image": "${IMAGE}"}), "--select", "ECS001,ECS401")
    assert [(f["rule"], f["path"]) for f in result.findings] == [
        ("ECS001", "/containerDefinitions/0/image")
    ]
    assert "${IMAGE}" in result.findings[0]["message"]


def test_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "family": \n', encoding="utf-8")
    result = lint_file(path, "--select", "ECS0")
    [finding] = result.findings
    assert (finding["rule"], finding["severity"]) == ("ECS002", "error")
    assert finding["line"] == 3
    assert result.exit_code == 1


def test_duplicate_key_keeps_the_last_value(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text(
        '{"family": "web",\n "family": "api",\n "containerDefinitions": '
        '[{"name": "a", "image": "nginx:1.27", "memory": 512}]}\n',
        encoding="utf-8",
    )
    [finding] = lint_file(path, "--select", "ECS0").findings
    assert (finding["rule"], finding["path"], finding["line"]) == ("ECS003", "/family", 2)
    assert "JSON keeps only the last value" in finding["message"]


def test_duplicate_key_in_yaml_says_yaml(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "family: web\nfamily: api\ncontainerDefinitions:\n"
        "  - {name: a, image: nginx:1.27, memory: 512}\n",
        encoding="utf-8",
    )
    [finding] = lint_file(path, "--select", "ECS0").findings
    assert (finding["rule"], finding["line"]) == ("ECS003", 2)
    assert "YAML loaders keep only the last value" in finding["message"]
    assert "JSON" not in finding["message"]


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = lint_file(tmp_path / "missing.json", "--select", "ECS0")
    [finding] = result.findings
    assert finding["rule"] == "ECS004" and "cannot read" in finding["message"]
    assert result.exit_code == 2


def test_unused_suppression_and_suppression_without_reason() -> None:
    unused = task(LATEST, tags=[{"key": "ecslint:ignore:ECS101", "value": "logs elsewhere"}])
    found = lint(unused, "--select", "ECS0,ECS101,ECS401").findings
    assert {(f["rule"], f["path"]) for f in found} == {
        ("ECS005", "/tags/0/key"),
        ("ECS401", "/containerDefinitions/0/image"),
    }
    bare = task(LATEST, tags=[{"key": "ecslint:ignore:ECS401", "value": ""}])
    found = lint(bare, "--select", "ECS0,ECS401").findings
    assert {f["rule"] for f in found} == {"ECS006", "ECS401"}
