"""Builders for small task definitions used by the rule tests (catalog-a's rules).

``findings`` is re-exported from :mod:`tests.rules.helpers`.
"""

from __future__ import annotations

from typing import Any

from tests.rules.helpers import findings as findings  # the one copy, shared

IMAGE = "public.ecr.aws/nginx/nginx:1.27"


def container(name: str = "web", **fields: Any) -> dict[str, Any]:
    return {"name": name, "image": IMAGE, "memory": 512, **fields}


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


def unevaluated(document: dict[str, Any] | str) -> list[dict[str, Any]]:
    return findings(document, "ECS001")
