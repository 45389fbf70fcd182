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
    """The user's command makes a venv, installs ecslint alone (not the dev tools) and
    checks an example that ships; the developer's installs the dev extra and runs the tests.
    (Both are run for real on a fresh clone before a release: see .ci/run and CHANGELOG.)"""
    assert len(RUNS) >= 1
    blocks = re.findall(r"```sh\n([^`]+?)\n```", README)
    user, developer = blocks[0].strip(), blocks[1].strip()
    assert user.startswith("python3 -m venv .venv && ")
    assert ".venv/bin/pip install . " in user and "[dev]" not in user
    example = re.search(r"ecslint check (examples/\S+)$", user)
    assert example and (ROOT / example.group(1)).is_file()
    assert developer.startswith("python3 -m venv .venv && ")
    assert ".venv/bin/pip install -e '.[dev]'" in developer
    assert developer.endswith("&& .venv/bin/python -m pytest")


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
