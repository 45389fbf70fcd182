"""Inputs that once crashed ecslint (found by the fuzzers in ``fuzz/``), replayed through the CLI.

Each file in ``tests/regressions/`` is linted on its own and must give findings
or a clean pass: exit 0 or 1, JSON output, no internal error, no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import lint_file

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
INPUTS = sorted(p for p in REGRESSIONS.iterdir() if p.is_file())


def test_there_are_regression_inputs() -> None:
    assert INPUTS


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_regression_input_is_linted_without_crashing(path: Path) -> None:
    result = lint_file(path)
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    for finding in result.findings:
        assert finding["line"] >= 1 and finding["column"] >= 1
