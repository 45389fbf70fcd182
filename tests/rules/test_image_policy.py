"""Image policy rules ECS420-ECS421."""

from __future__ import annotations

from typing import Any

import pytest

from ecslint.checks.image_policy import image_allowed
from tests.builders import (
    describe_filled,
    findings,
    hardened_bridge_task,
    hardened_container,
    hardened_fargate_task,
    rule_paths,
)
from tests.conftest import lint, lint_with_params

ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"


def _images(*images: Any) -> dict[str, Any]:
    return hardened_bridge_task(
        *(
            hardened_container(name=f"c{i}", memory=128, image=image)
            for i, image in enumerate(images)
        )
    )


# --- ECS420 ------------------------------------------------------------------------


def test_ecs420_does_nothing_until_configured() -> None:
    assert findings(_images("nginx:1.27", "ghcr.io/org/tool:2", ECR), "ECS420") == []


def test_ecs420_with_an_allow_list() -> None:
    task = _images(
        ECR,
        "nginx:1.27",
        "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
        "ghcr.io/org/tool:2",
    )
    found = lint_with_params(
        task,
        "ECS420",
        {"allowed": ["*.dkr.ecr.*.amazonaws.com", "public.ecr.aws/aws-observability/*"]},
    )
    assert [f.path for f in found] == [
        "/containerDefinitions/1/image",
        "/containerDefinitions/3/image",
    ]
    assert "'nginx:1.27'" in found[0].message and found[0].severity.label == "warning"


def test_ecs420_placeholder_not_evaluated_when_configured() -> None:
    task = _images("${IMAGE}")
    found = lint_with_params(task, "ECS420", {"allowed": ["ghcr.io"]})
    assert found == []
    assert "ECS420" not in lint(task).rules()


@pytest.mark.parametrize(
    ("image", "allowed", "expected"),
    [
        ("nginx", ["docker.io"], True),
        ("nginx:1.27", ["docker.io/library/*"], True),
        ("bitnami/redis:7", ["docker.io/library/*"], False),
        ("index.docker.io/bitnami/redis:7", ["docker.io/bitnami/*"], True),
        (ECR, ["123456789012.dkr.ecr.*.amazonaws.com"], True),
        (ECR, ["999999999999.dkr.ecr.*.amazonaws.com"], False),
        ("ghcr.io/org/tool:2", ["GHCR.IO"], True),
        (
            "registry.example.com:5000/team/app@sha256:" + "a" * 64,
            ["registry.example.com:5000"],
            True,
        ),
        ("not a reference", ["docker.io"], None),
    ],
)
def test_image_allowed(image: str, allowed: list[str], expected: bool | None) -> None:
    assert image_allowed(image, allowed) is expected


# --- ECS421 ------------------------------------------------------------------------


def _logged(image: Any, region: Any) -> dict[str, Any]:
    options = {
        "awslogs-group": "/ecs/app",
        "awslogs-region": region,
        "awslogs-stream-prefix": "app",
    }
    return hardened_container(
        image=image, logConfiguration={"logDriver": "awslogs", "options": options}
    )


def test_ecs421_cross_region_pull_is_info() -> None:
    task = hardened_fargate_task(
        _logged("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0", "eu-west-1")
    )
    found = findings(task, "ECS421")
    assert [(f["path"], f["severity"]) for f in found] == [
        ("/containerDefinitions/0/image", "info")
    ]
    assert "us-east-1" in found[0]["message"] and "eu-west-1" in found[0]["message"]
    assert rule_paths(describe_filled(task), "ECS421") == [
        "/taskDefinition/containerDefinitions/0/image"
    ]


def test_ecs421_same_region_other_registries_and_other_drivers() -> None:
    assert findings(hardened_fargate_task(_logged(ECR, "eu-west-1")), "ECS421") == []
    assert (
        findings(
            hardened_fargate_task(_logged("public.ecr.aws/nginx/nginx:1.27", "us-east-1")), "ECS421"
        )
        == []
    )
    splunk = hardened_container(
        image="123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0",
        logConfiguration={"logDriver": "splunk", "options": {"splunk-url": "https://s"}},
    )
    assert findings(hardened_fargate_task(splunk), "ECS421") == []


def test_ecs421_unknowns() -> None:
    result = lint(
        hardened_fargate_task(
            _logged("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0", "${AWS_REGION}")
        )
    )
    assert "ECS421" not in result.rules()
    assert any(
        f["rule"] == "ECS001" and f["path"].endswith("/awslogs-region") for f in result.findings
    )
    result = lint(hardened_fargate_task(_logged("${IMAGE}", "eu-west-1")))
    assert "ECS421" not in result.rules()


def test_ecs421_a_placeholder_image_is_not_evaluated_by_slug() -> None:
    result = lint(hardened_fargate_task(_logged("${IMAGE}", "eu-west-1")))
    skipped = {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
    assert "image-region-differs-from-log-region" in skipped["/containerDefinitions/0/image"]


@pytest.mark.parametrize(
    ("image", "allowed", "expected"),
    [
        ("localhost/app:1.0", ["localhost"], True),  # localhost names a registry host
        ("localhost/app:1.0", ["docker.io"], False),
        ("localhost:5000/app:1.0", ["localhost:5000"], True),
        ("Registry/app:1.0", ["Registry"], True),  # an upper-case first part is a host too
    ],
)
def test_image_allowed_registry_hosts(image: str, allowed: list[str], expected: bool) -> None:
    assert image_allowed(image, allowed) is expected
