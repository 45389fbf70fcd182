"""The one set of builders for small task definitions, so each test shows only what it is about.

Each builder has one name and one set of defaults:

- ``container(name="web", **fields)``: the least a container needs (name, image, memory).
- ``logged_container(**fields)``: the same with an awslogs configuration (ECS101 quiet).
- ``hardened_container(**fields)``: a best-practice container (non-root user, read-only
  root, pinned ECR image, a port, awslogs) that draws no warning on its own.
- ``ec2`` / ``fargate``: the least a task needs around the given containers;
  ``ec2_task`` / ``fargate_task`` add task and execution roles and logged containers;
  ``hardened_fargate_task`` / ``hardened_bridge_task`` are best-practice tasks;
  ``task`` is the workflow tests' clean EC2 task.

A field given as ``DROP`` is left out. Findings are read through the real CLI
(``tests.conftest.lint``).
"""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import CliResult, lint

IMAGE = "public.ecr.aws/nginx/nginx:1.27"
ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"
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


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


#: Pass as a field value to leave the field out.
DROP: Any = _Drop()


def _without_dropped(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not DROP}


# --- containers ------------------------------------------------------------------------------


def container(name: str = "web", **fields: Any) -> dict[str, Any]:
    return _without_dropped({"name": name, "image": IMAGE, "memory": 512, **fields})


def logged_container(**fields: Any) -> dict[str, Any]:
    return container(**{"logConfiguration": copy.deepcopy(AWSLOGS), **fields})


def hardened_container(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "app",
        "image": ECR_IMAGE,
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
    return _without_dropped({**base, **fields})


# --- tasks -----------------------------------------------------------------------------------


def ec2(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"family": "web", **fields, "containerDefinitions": list(containers) or [container()]}


def fargate(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "family": "web",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        **fields,
        "containerDefinitions": list(containers) or [container()],
    }


def ec2_task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "family": "web",
        "taskRoleArn": TASK_ROLE,
        "executionRoleArn": EXECUTION_ROLE,
        "containerDefinitions": list(containers) or [logged_container()],
        **fields,
    }
    return _without_dropped(task)


def fargate_task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
    }
    return ec2_task(*containers, **{**defaults, **fields})


def hardened_fargate_task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "family": "app",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "512",
        "memory": "1024",
        "executionRoleArn": EXECUTION_ROLE,
        "taskRoleArn": "arn:aws:iam::123456789012:role/app-task",
        "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
        "containerDefinitions": list(containers) or [hardened_container()],
        **fields,
    }


def hardened_bridge_task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """EC2, bridge mode, dynamic host ports: the other common shape."""
    definitions = list(containers) or [
        hardened_container(memory=512, portMappings=[{"containerPort": 80, "hostPort": 0}])
    ]
    return {
        "family": "app",
        "requiresCompatibilities": ["EC2"],
        "networkMode": "bridge",
        "executionRoleArn": EXECUTION_ROLE,
        "containerDefinitions": definitions,
        **fields,
    }


#: What the workflow tests' task definitions carry so that only the rules under test fire.
_CLEAN_TASK = {
    "taskRoleArn": "arn:aws:iam::123456789012:role/web",
    "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
    "memory": "512",
}


def task(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A small EC2 task definition that is clean apart from its containers' images (the
    workflow tests'). Containers get an awslogs configuration unless they say otherwise."""
    logged = [{"logConfiguration": AWSLOGS, **c} for c in containers]
    return {"family": "web", **_CLEAN_TASK, **fields, "containerDefinitions": logged}


def describe(task: dict[str, Any]) -> dict[str, Any]:
    """The same task as describe-task-definition prints it, with its (empty) tags."""
    body = {**task, **_described(task), "registeredAt": "2024-01-02T03:04:05.678000+00:00"}
    return {"taskDefinition": body, "tags": []}


def describe_filled(task: dict[str, Any]) -> dict[str, Any]:
    """The same, with the defaults ECS fills in (container cpu 0, empty lists), no tags."""
    body = {**copy.deepcopy(task), **_described(task), "placementConstraints": []}
    body["volumes"] = body.get("volumes", [])
    for definition in body["containerDefinitions"]:
        definition.setdefault("cpu", 0)
        for key in ("environment", "mountPoints", "volumesFrom", "systemControls"):
            definition.setdefault(key, [])
    return {"taskDefinition": body}


def _described(task: dict[str, Any]) -> dict[str, Any]:
    family = task.get("family", "web")
    return {
        "taskDefinitionArn": f"arn:aws:ecs:eu-west-1:123456789012:task-definition/{family}:3",
        "revision": 3,
        "status": "ACTIVE",
        "compatibilities": ["EC2", "FARGATE"],
    }


# --- findings --------------------------------------------------------------------------------


def findings(document: dict[str, Any] | str, rule_prefix: str) -> list[dict[str, Any]]:
    """Findings of the rules whose ids start with ``rule_prefix`` (ECS8, or one id: ECS901),
    after checking the CLI ran cleanly."""
    result = lint(document)
    assert result.exit_code in (0, 1), result.stderr
    return [f for f in result.findings if f["rule"].startswith(rule_prefix)]


def rule_paths(document: dict[str, Any], rule: str) -> list[str]:
    return [f["path"] for f in findings(document, rule) if f["rule"] == rule]


def of(result: CliResult, rule: str) -> list[dict[str, Any]]:
    """The findings of one rule."""
    return [finding for finding in result.findings if finding["rule"] == rule]


def unevaluated(document: dict[str, Any] | str) -> list[dict[str, Any]]:
    """The ECS001 findings of a document."""
    return findings(document, "ECS001")


def unevaluated_paths(result: CliResult) -> dict[str, str]:
    """ECS001 findings by path."""
    return {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
