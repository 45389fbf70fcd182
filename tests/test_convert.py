"""``ecslint convert``: describe output and console exports become register input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CORPUS, run_cli

DESCRIBE = {
    "taskDefinition": {
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
        "family": "web",
        "revision": 3,
        "status": "ACTIVE",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "compatibilities": ["EC2", "FARGATE"],
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
        "registeredAt": "2024-05-01T10:00:00.000Z",
        "registeredBy": "arn:aws:iam::123456789012:user/ci",
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "taskRoleArn": None,
        "containerDefinitions": [
            {
                "name": "web",
                "image": "public.ecr.aws/nginx/nginx:1.27",
                "cpu": 0,
                "essential": True,
                "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
                "environment": [],
                "mountPoints": [],
                "volumesFrom": [],
                "user": None,
            }
        ],
        "volumes": [],
        "placementConstraints": [],
    },
    "tags": [{"key": "team", "value": "web"}],
}


def test_describe_output_becomes_register_input(tmp_path: Path) -> None:
    path = tmp_path / "describe.json"
    path.write_text(json.dumps(DESCRIBE, indent=4))
    result = run_cli(["convert", str(path)])
    assert result.exit_code == 0, result.stderr
    task = json.loads(result.stdout)
    assert task["family"] == "web"
    assert task["tags"] == [{"key": "team", "value": "web"}]
    for field in ("taskDefinitionArn", "revision", "status", "compatibilities", "registeredAt"):
        assert field not in task
    assert "taskRoleArn" not in task and "user" not in task["containerDefinitions"][0]
    assert task["containerDefinitions"][0]["portMappings"][0]["hostPort"] == 80
    out = tmp_path / "register.json"
    out.write_text(result.stdout)
    clean = run_cli(["check", "--isolated", "--format", "json", "--select", "ECS0", str(out)])
    assert clean.findings == [], clean.stdout
    assert run_cli(["check", "--isolated", "--format", "json", str(out)]).json["summary"]


def test_convert_writes_a_file_and_keeps_yaml(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "describe.yaml"
    path.write_text(yaml.safe_dump(DESCRIBE))
    out = tmp_path / "register.yaml"
    result = run_cli(["convert", str(path), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    task = yaml.safe_load(out.read_text())
    assert "revision" not in task and task["cpu"] == "256"
    as_json = run_cli(["convert", str(path), "--to", "json"])
    assert json.loads(as_json.stdout) == task


def test_convert_refuses_what_is_not_a_task_definition(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"services": []}')
    result = run_cli(["convert", str(path)])
    assert result.exit_code == 2
    assert "not describe-task-definition output" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"family": ')
    assert run_cli(["convert", str(broken)]).exit_code == 2


def test_corpus_describe_outputs_convert_to_input_without_read_only_keys() -> None:
    folder = CORPUS / "taskdef"
    if not folder.is_dir():
        pytest.skip("no corpus")
    converted = 0
    for path in sorted(folder.iterdir()):
        if path.suffix != ".json" or '"taskDefinitionArn"' not in path.read_text(errors="replace"):
            continue
        result = run_cli(["convert", str(path)])
        if result.exit_code != 0:
            continue  # not valid JSON, or not a task definition at all
        task = json.loads(result.stdout)
        assert not set(task) & {"taskDefinitionArn", "revision", "status", "compatibilities"}
        converted += 1
    assert converted >= 5


def test_convert_to_yaml_keeps_a_name_with_nel(tmp_path: Path) -> None:
    """U+0085 (NEL) is a line break in YAML 1.1: written raw in a quoted scalar it would
    read back as a space, so the YAML written must escape it, and the YAML file must lint
    as the JSON one does (ECS504 "empty name" must not appear from the YAML only)."""
    task = json.loads(json.dumps(DESCRIBE["taskDefinition"]))
    task["containerDefinitions"][0]["name"] = "web\x85"
    source = tmp_path / "describe.json"
    source.write_text(json.dumps({"taskDefinition": task}), encoding="utf-8")
    out = tmp_path / "register.yaml"
    result = run_cli(["convert", str(source), "--to", "yaml", "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "\x85" not in text and '"web\\N"' in text
    json_out = tmp_path / "register.json"
    assert run_cli(["convert", str(source), "--output", str(json_out)]).exit_code == 0
    findings = {}
    for path in (out, json_out):
        report = run_cli(["check", "--isolated", "--format", "json", str(path)])
        findings[path.suffix] = sorted((f["rule"], f["message"]) for f in report.findings)
    assert findings[".yaml"] == findings[".json"]
    assert any("web\\x85" in message for _, message in findings[".yaml"])
