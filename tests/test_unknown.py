"""Placeholder syntaxes seen in real task definitions are recognised; real values are not."""

from __future__ import annotations

import pytest

from ecslint.load.unknown import Unknown, find_placeholder, mark_placeholders


@pytest.mark.parametrize(
    "text",
    [
        "${IMAGE}",
        "123456789012.dkr.ecr.${AWS_REGION}.amazonaws.com/app:${TAG}",
        "<IMAGE1_NAME>",
        "{{ must_env `IMAGE` }}",
        "{{ tfstate `aws_ecr_repository.app.repository_url` }}:latest",
        "$IMAGE_URI",
        "%IMAGE%",
        "$$$TEST_IMAGE$$$",
        "<+input>",
        "#{Octopus.Action.Image}",
        "arn:aws:iam::{your-account-id}:role/ecsTaskExecutionRole",
        "<family>",
        "arn:aws:iam::<account-id>:role/<task_role>",
    ],
)
def test_placeholders_are_found(text: str) -> None:
    assert find_placeholder(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "nginx:1.27",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:" + "a" * 64,
        "CMD-SHELL",
        "curl -f http://localhost/ || exit 1",
        '{"key": "value"}',
        "<html><body>hi</body></html>",
        "echo <b>bold</b>",
        "50%",
        "a$b",
        "",
    ],
)
def test_real_values_are_not_placeholders(text: str) -> None:
    assert find_placeholder(text) is None


def test_mark_placeholders_replaces_values_not_keys() -> None:
    data = {"${KEY}": "x", "image": "${IMAGE}", "list": ["a", "<B>", {"c": "%C%"}]}
    mark_placeholders(data)
    assert data["${KEY}"] == "x"
    assert data["image"] == Unknown("${IMAGE}")
    assert data["list"][0] == "a"
    assert isinstance(data["list"][1], Unknown)
    assert isinstance(data["list"][2]["c"], Unknown)
