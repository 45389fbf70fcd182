"""The README's pasted runs are real: each one is run again and compared."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: A fenced block that starts with "$ ecslint ..." and holds that command's output.
RUNS = re.findall(r"```\n\$ ecslint ([^\n]+)\n(.*?)\n```", README, flags=re.S)


def test_readme_has_pasted_runs_and_the_two_set_up_commands() -> None:
    assert len(RUNS) >= 2
    blocks = re.findall(r"```sh\n([^`]+?)\n```", README)
    assert "pip install" in blocks[0] and "ecslint check examples/" in blocks[0]
    assert blocks[1].strip() == "python3 -m pytest"


@pytest.mark.parametrize(("command", "output"), RUNS, ids=[run[0] for run in RUNS])
def test_pasted_output_is_current(
    command: str, output: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)
    if "--fix" in shlex.split(command):  # it writes: run it on a copy of the examples
        shutil.copytree(ROOT / "examples", tmp_path / "examples")
        monkeypatch.chdir(tmp_path)
    result = run_cli(shlex.split(command))
    assert result.stdout.rstrip() == output.rstrip(), (
        "README.md shows an old run; paste the new output of: ecslint " + command
    )
