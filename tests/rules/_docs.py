"""Builders for small task definitions used by the rule tests (catalog-a's rules)."""

from __future__ import annotations

from typing import Any

from tests.conftest import lint

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


def findings(document: dict[str, Any] | str, rule: str) -> list[dict[str, Any]]:
    """The findings of one rule, after checking the CLI ran cleanly."""
    result = lint(document)
    assert result.exit_code in (0, 1), result.stderr
    return [f for f in result.findings if f["rule"] == rule]


def unevaluated(document: dict[str, Any] | str) -> list[dict[str, Any]]:
    return findings(document, "ECS001")
