"""--jobs and streamed reports: the same output, byte for byte, however the run is made."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecslint.commands.lint import PARALLEL_FROM, default_jobs

TASK = {
    "family": "web",
    "containerDefinitions": [
        {"name": "web", "image": "nginx:latest", "memory": 512, "environment": []}
    ],
}


def _tree(root: Path, count: int) -> Path:
    """``count`` files: findings of every severity, suppressions, a broken file, a skip."""
    root.mkdir()
    for index in range(count):
        task = json.loads(json.dumps(TASK))
        task["family"] = f"web-{index}"
        if index % 3 == 0:
            task["tags"] = [{"key": "ecslint:ignore:ECS401", "value": "pinned by the pipeline"}]
        if index % 5 == 0:
            task["cpu"] = 256  # a number where the API wants a string
        (root / f"td-{index:04d}.json").write_text(json.dumps(task, indent=2))
    (root / "broken.json").write_text('{"family": "x", "containerDefinitions": [')
    (root / "package.json").write_text('{"name": "web"}')
    (root / ".ecslint.yaml").write_text(
        "suppressions:\n  - rules: [ECS101]\n    files: 'td-00*'\n    reason: legacy\n"
    )
    return root


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecslint", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "junit", "concise"])
def test_jobs_give_the_output_of_one_process(tmp_path: Path, fmt: str) -> None:
    tree = _tree(tmp_path / "repo", 60)
    one = _run("--format", fmt, "--jobs", "1", ".", cwd=tree)
    two = _run("--format", fmt, "--jobs", "2", ".", cwd=tree)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    if fmt == "json":
        summary = json.loads(one.stdout)["summary"]
        assert summary["files"] == 63 and summary["task_definitions"] == 60


def test_a_baseline_is_matched_in_file_order_with_jobs(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "repo", 40)
    written = _run("--write-baseline", "baseline.json", ".", cwd=tree)
    assert written.returncode == 0, written.stderr
    (tree / "td-0007.json").write_text(json.dumps({**TASK, "family": "new", "cpu": 512}))
    one = _run("--format", "json", "--baseline", "baseline.json", "--jobs", "1", ".", cwd=tree)
    two = _run("--format", "json", "--baseline", "baseline.json", "--jobs", "2", ".", cwd=tree)
    assert one.stdout == two.stdout and one.stderr == two.stderr
    new = [f for f in json.loads(two.stdout)["findings"] if f.get("suppressed") is None]
    assert new and {f["file"] for f in new} <= {"td-0007.json", "broken.json"}


def test_a_streamed_report_is_the_report_kept_whole(tmp_path: Path) -> None:
    """--output keeps every report (two formats are written); the document is the same."""
    tree = _tree(tmp_path / "repo", 30)
    streamed = _run("--format", "json", ".", cwd=tree)
    kept = _run("--format", "json", "--output", "report.json", ".", cwd=tree)
    assert streamed.stdout == (tree / "report.json").read_text()
    assert kept.returncode == streamed.returncode == 1


def test_default_jobs_start_only_when_there_are_enough_files() -> None:
    assert default_jobs(PARALLEL_FROM - 1) == 1
    assert default_jobs(PARALLEL_FROM) >= 1
