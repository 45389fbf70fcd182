"""The exit code for a path that cannot be read comes from the load error's kind
(``LoadError.io_error``, carried on the report as ``FileReport.unreadable``), not from
the text of its message."""

from __future__ import annotations

from pathlib import Path

from ecslint.catalog import load_builtin_catalog
from ecslint.engine import Linter
from tests.conftest import run_cli


def test_a_missing_path_exits_2_and_a_file_that_is_not_text_exits_1(tmp_path: Path) -> None:
    binary = tmp_path / "task.json"
    binary.write_bytes(b'{"family": "\xc3\x28"}')
    missing = tmp_path / "missing.json"

    not_text = run_cli(["check", "--format", "json", str(binary)])
    assert not_text.exit_code == 1, not_text.stderr
    assert [f["rule"] for f in not_text.json["findings"]] == ["ECS004"]

    gone = run_cli(["check", "--format", "json", str(missing), str(binary)])
    assert gone.exit_code == 2
    assert [f["rule"] for f in gone.json["findings"]] == ["ECS004", "ECS004"]


def test_the_report_carries_the_kind_of_the_load_error(tmp_path: Path) -> None:
    catalog = load_builtin_catalog()
    linter = Linter(catalog, list(catalog))
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\x00\x01")
    assert linter.lint_path(str(tmp_path / "missing.json")).unreadable
    assert not linter.lint_path(str(binary)).unreadable
    assert not linter.lint_path(str(tmp_path)).unreadable  # a directory named as a file
