"""The shipped pre-commit hook, driven by the real ``pre-commit try-repo``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BROKEN = {
    "family": "web",
    "requiresCompatibilities": ["FARGATE"],
    "containerDefinitions": [{"name": "web", "image": "nginx:latest", "memory": 512}],
}


def _hook_pattern() -> re.Pattern[str]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "ecslint"]
    return re.compile(hook["files"])


@pytest.mark.parametrize(
    "name",
    [
        "task-definition.json",
        "deploy/taskdef.json",
        ".aws/task-definition-prod.json",
        "ecs-task-def.yaml",
        "infra/task_definition.yml",
        "ecs/mvc-task-definition.json",
        "TaskDefinition.json",
    ],
)
def test_default_files_pattern_matches_common_names(name: str) -> None:
    assert _hook_pattern().search(name)


@pytest.mark.parametrize("name", ["package.json", "tsconfig.json", ".pre-commit-config.yaml"])
def test_default_files_pattern_skips_other_files(name: str) -> None:
    assert not _hook_pattern().search(name)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "ecslint", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _repo_with(tmp_path: Path, name: str, content: str) -> Path:
    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(content)
    (repo / "package.json").write_text('{"name": "not-a-task-definition"}\n')
    _git(repo, "add", ".")
    return repo


def test_try_repo_fails_on_a_broken_task_definition(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = _repo_with(tmp_path, "deploy/task-definition.json", json.dumps(BROKEN, indent=2))
    result = _try_repo(repo, pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    # file:line:col of the latest tag, which sits on line 9 of the indented file
    assert "deploy/task-definition.json:9:" in result.stdout
    assert "latest-image-tag" in result.stdout
    assert "package.json" not in result.stdout


def test_try_repo_passes_a_clean_task_definition(tmp_path: Path, pre_commit_home: Path) -> None:
    clean = (ROOT / "examples" / "fargate-clean.json").read_text()
    repo = _repo_with(tmp_path, "task-definition.json", clean)
    result = _try_repo(repo, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
