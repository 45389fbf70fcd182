"""Hostile --iam files, templates and task definitions: findings or exit 2, never a traceback."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from tests.conftest import lint

WEIRD: list[Any] = [
    None,
    0,
    1.5,
    True,
    "",
    "x",
    [],
    {},
    [None],
    {"a": None},
    ["*"],
    {"Fn::Sub": "x"},
]

BASE_ROLE: dict[str, Any] = {
    "RoleName": "execRole",
    "Arn": "arn:aws:iam::123456789012:role/execRole",
    "AssumeRolePolicyDocument": {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ]
    },
    "RolePolicyList": [
        {
            "PolicyName": "p",
            "PolicyDocument": {
                "Statement": [
                    {"Effect": "Allow", "Action": ["ecr:*", "logs:*"], "Resource": "*"},
                    {"Effect": "Deny", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::b/*"},
                ]
            },
        }
    ],
    "AttachedManagedPolicies": [{"PolicyName": "m", "PolicyArn": "arn:aws:iam::1:policy/m"}],
}
BASE_TASK: dict[str, Any] = {
    "family": "orders",
    "executionRoleArn": "arn:aws:iam::123456789012:role/execRole",
    "containerDefinitions": [
        {
            "name": "api",
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1",
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {"awslogs-group": "g", "awslogs-region": "eu-west-1"},
                "secretOptions": [
                    {"name": "k", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/x"}
                ],
            },
            "secrets": [{"name": "A", "valueFrom": "arn:aws:secretsmanager:r:1:secret:x"}],
            "environmentFiles": [{"value": "arn:aws:s3:::b/a.env", "type": "s3"}],
            "repositoryCredentials": {
                "credentialsParameter": "arn:aws:secretsmanager:r:1:secret:y"
            },
        }
    ],
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _mutate(value: Any, rng: random.Random) -> Any:
    copy = json.loads(json.dumps(value))
    for _ in range(3):
        path = rng.choice(_paths(copy))
        parent = copy
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = json.loads(json.dumps(rng.choice(WEIRD)))
    return copy


def test_mutated_inputs_never_crash(tmp_path: Path) -> None:
    rng = random.Random(7)
    iam = tmp_path / "auth.json"
    for _ in range(60):
        role = _mutate(BASE_ROLE, rng)
        iam.write_text(json.dumps({"RoleDetailList": [role]}), encoding="utf-8")
        result = lint(_mutate(BASE_TASK, rng), "--iam", str(iam), "--region", "eu-west-1")
        assert result.exit_code in (0, 1), result.stderr
        assert "internal error" not in result.stderr
