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


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "ecslint"]
    assert isinstance(hook, dict)
    return hook


@pytest.mark.parametrize(
    "name",
    [
        "task-definition.json",
        "deploy/ecs.yaml",
        "infra/template.yml",
        "stack.template",
        "main.tf",
        "package.json",  # passed to ecslint, which skips it by content, silently
    ],
)
def test_the_hook_passes_every_json_yaml_template_and_tf_file(name: str) -> None:
    assert re.search(str(_hook()["files"]), name)


def test_the_hook_is_concise_quiet_about_skips_and_serial() -> None:
    hook = _hook()
    assert hook["entry"] == "ecslint check --format concise --quiet-skips"
    assert hook["require_serial"] is True


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


CFN_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: api
      ContainerDefinitions:
        - Name: api
          Image: nginx:latest
          Memory: 512
"""

TERRAFORM = """\
resource "aws_ecs_task_definition" "worker" {
  family = "worker"
  container_definitions = jsonencode([
    { name = "worker", image = "busybox:latest", memory = 256, essential = true }
  ])
}
"""

#: JSON and YAML that are not ECS inputs: the hook must say nothing about them.
UNRELATED = {
    "package.json": '{"name": "web", "version": "1.0.0", "scripts": {"test": "jest"}}\n',
    ".github/workflows/ci.yml": (
        "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    container: {image: 'node:latest'}\n    steps:\n      - run: npm test\n"
    ),
    "docker-compose.yml": (
        "services:\n  web:\n    image: nginx:latest\n    environment: {DB_PASSWORD: hunter2}\n"
    ),
    "k8s/deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  template:\n    spec:\n      containers:\n"
        "        - {name: web, image: 'nginx:latest'}\n"
    ),
    "infra/vpc.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
}


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    for name, content in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(content)
    _git(repo, "add", ".")
    return repo


def test_try_repo_lints_task_definitions_templates_and_terraform(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    repo = _repo(
        tmp_path,
        {
            "deploy/task-definition.json": json.dumps(BROKEN, indent=2),
            "cfn/service.yaml": CFN_TEMPLATE,
            "tf/ecs.tf": TERRAFORM,
            **UNRELATED,
        },
    )
    result = _try_repo(repo, pre_commit_home)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    # file:line:col of the latest tag, which sits on line 9 of the indented file
    assert "deploy/task-definition.json:9:" in out
    assert re.search(r"cfn/service\.yaml:\d+:\d+: ECS401 \[warning\] latest-image-tag", out)
    assert re.search(r"tf/ecs\.tf:\d+:\d+: ECS401 \[warning\] latest-image-tag", out)
    for name in UNRELATED:
        assert name not in out + result.stderr, name
    assert "note:" not in out and "skipped:" not in out
    summaries = [line for line in out.splitlines() if line.startswith("Found ")]
    assert len(summaries) == 1, out
    assert "(8 files, 3 task definitions, 5 skipped)" in summaries[0]


def _repo_with(tmp_path: Path, name: str, content: str) -> Path:
    return _repo(tmp_path, {name: content, **UNRELATED})


def test_try_repo_passes_a_clean_task_definition(tmp_path: Path, pre_commit_home: Path) -> None:
    clean = (ROOT / "examples" / "fargate-clean.json").read_text()
    repo = _repo_with(tmp_path, "task-definition.json", clean)
    result = _try_repo(repo, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
