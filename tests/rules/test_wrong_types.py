"""Wrong types anywhere never crash the Fargate, Windows, security or image-policy checks."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.builders import hardened_container, hardened_fargate_task
from tests.conftest import lint

ODD_VALUES: list[Any] = [None, True, 0, -1, 1.5, "", "x", [], [1, "a", None], {}, {"a": [1]}]

TASK_FIELDS = [
    "networkMode",
    "ipcMode",
    "pidMode",
    "placementConstraints",
    "inferenceAccelerators",
    "ephemeralStorage",
    "runtimePlatform",
    "volumes",
    "requiresCompatibilities",
    "cpu",
    "proxyConfiguration",
]
CONTAINER_FIELDS = [
    "privileged",
    "links",
    "dnsServers",
    "extraHosts",
    "disableNetworking",
    "user",
    "readonlyRootFilesystem",
    "linuxParameters",
    "resourceRequirements",
    "environment",
    "environmentFiles",
    "secrets",
    "mountPoints",
    "firelensConfiguration",
    "logConfiguration",
    "startTimeout",
    "stopTimeout",
    "image",
    "systemControls",
    "ulimits",
]
NESTED = [
    ("linuxParameters", {"capabilities": "ALL"}),
    ("linuxParameters", {"capabilities": {"add": "NET_ADMIN"}}),
    ("linuxParameters", {"capabilities": {"add": [None, 3, {"a": 1}]}}),
    ("environment", [{"name": "DB_PASSWORD", "value": ["a"]}, {"name": None}]),
    ("firelensConfiguration", {"options": ["config-file-type"]}),
    ("logConfiguration", {"logDriver": "awslogs", "options": {"awslogs-region": 5}}),
    ("resourceRequirements", [{"type": None}, "GPU"]),
    ("mountPoints", [{"sourceVolume": ["x"]}]),
]


def _run(task: dict[str, Any]) -> None:
    for document in (task, {**task, "requiresCompatibilities": ["EC2"]}):
        result = lint(document)
        assert result.exit_code in (0, 1), result.stderr
        assert "internal error" not in result.stderr


@pytest.mark.parametrize("field", TASK_FIELDS)
def test_task_fields_of_any_type(field: str) -> None:
    for value in ODD_VALUES:
        task = hardened_fargate_task()
        task[field] = copy.deepcopy(value)
        _run(task)


@pytest.mark.parametrize("field", CONTAINER_FIELDS)
def test_container_fields_of_any_type(field: str) -> None:
    for value in ODD_VALUES:
        _run(hardened_fargate_task(hardened_container(**{field: copy.deepcopy(value)})))
        windows = hardened_fargate_task(
            hardened_container(**{field: copy.deepcopy(value)}),
            runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
        )
        _run(windows)


@pytest.mark.parametrize(("field", "value"), NESTED)
def test_nested_odd_shapes(field: str, value: Any) -> None:
    _run(hardened_fargate_task(hardened_container(**{field: value})))


def test_odd_volumes() -> None:
    volumes = [None, "v", {"name": 3, "host": "x"}, {"name": "h", "host": {"sourcePath": 5}}]
    _run(hardened_fargate_task(volumes=volumes))
