"""Small builders for rule tests: a best-practice Fargate task and an EC2 bridge task."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import lint

ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"


def container(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "app",
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2",
        "essential": True,
        "user": "1000:1000",
        "readonlyRootFilesystem": True,
        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": "/ecs/app",
                "awslogs-region": "eu-west-1",
                "awslogs-stream-prefix": "app",
            },
        },
    }
    base.update(fields)
    return base


def fargate_task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "family": "app",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "512",
        "memory": "1024",
        "executionRoleArn": ROLE,
        "taskRoleArn": "arn:aws:iam::123456789012:role/app-task",
        "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
        "containerDefinitions": list(containers) or [container()],
    }
    task.update(fields)
    return task


def ec2_bridge_task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """EC2, bridge mode, dynamic host ports: the other common shape."""
    definitions = list(containers) or [
        container(memory=512, portMappings=[{"containerPort": 80, "hostPort": 0}])
    ]
    task: dict[str, Any] = {
        "family": "app",
        "requiresCompatibilities": ["EC2"],
        "networkMode": "bridge",
        "executionRoleArn": ROLE,
        "containerDefinitions": definitions,
    }
    task.update(fields)
    return task


def describe(task: dict[str, Any]) -> dict[str, Any]:
    """The same task as describe-task-definition prints it (wrapped, defaults filled in)."""
    body = copy.deepcopy(task)
    body.update(
        {
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/app:3",
            "revision": 3,
            "status": "ACTIVE",
            "compatibilities": ["EC2", "FARGATE"],
            "placementConstraints": [],
            "volumes": body.get("volumes", []),
        }
    )
    for definition in body["containerDefinitions"]:
        definition.setdefault("cpu", 0)
        for key in ("environment", "mountPoints", "volumesFrom", "systemControls"):
            definition.setdefault(key, [])
    return {"taskDefinition": body}


def findings(document: dict[str, Any] | str, rule_prefix: str) -> list[dict[str, Any]]:
    """Findings of the rules whose ids start with ``rule_prefix`` (ECS8, or one id: ECS901),
    after checking the CLI ran cleanly."""
    result = lint(document)
    assert result.exit_code in (0, 1), result.stderr
    return [f for f in result.findings if f["rule"].startswith(rule_prefix)]


def rule_paths(document: dict[str, Any], rule: str) -> list[str]:
    return [f["path"] for f in findings(document, rule) if f["rule"] == rule]
