"""Builders for small task definitions, so each test shows only what it is about."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import CliResult

EXECUTION_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
TASK_ROLE = "arn:aws:iam::123456789012:role/web-task"
AWSLOGS: dict[str, Any] = {
    "logDriver": "awslogs",
    "options": {
        "awslogs-group": "/ecs/web",
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "web",
    },
}


def container(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "web",
        "image": "public.ecr.aws/nginx/nginx:1.27",
        "memory": 512,
        "logConfiguration": copy.deepcopy(AWSLOGS),
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not _DROP}


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


#: Pass as a field value to leave the field out.
DROP: Any = _Drop()
_DROP = DROP


def ec2_task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "family": "web",
        "taskRoleArn": TASK_ROLE,
        "executionRoleArn": EXECUTION_ROLE,
        "containerDefinitions": list(containers) or [container()],
    }
    task.update(fields)
    return {key: value for key, value in task.items() if value is not _DROP}


def fargate_task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
    }
    defaults.update(fields)
    return ec2_task(*containers, **defaults)


def describe(task: dict[str, Any]) -> dict[str, Any]:
    """The same task as describe-task-definition prints it."""
    body = dict(task)
    body.update(
        {
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
            "revision": 3,
            "status": "ACTIVE",
            "compatibilities": ["EC2", "FARGATE"],
            "registeredAt": "2024-01-02T03:04:05.678000+00:00",
        }
    )
    return {"taskDefinition": body, "tags": []}


def of(result: CliResult, rule: str) -> list[dict[str, Any]]:
    """The findings of one rule."""
    return [finding for finding in result.findings if finding["rule"] == rule]


def unevaluated(result: CliResult) -> dict[str, str]:
    """ECS001 findings by path."""
    return {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
