"""Placeholder syntaxes seen in real task definitions are recognised; real values are not."""

from __future__ import annotations

from typing import Any

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


# --- the placeholder families of issue 12, through the CLI --------------------------------

SECRET_ARN_WORDS = "arn:aws:secretsmanager:region:aws_account_id:secret:db-AbCdEf"


@pytest.mark.parametrize(
    ("document", "rule"),
    [
        # region and aws_account_id written as words in an ARN (AWS's guides do)
        (
            {"secrets": [{"name": "DB", "valueFrom": SECRET_ARN_WORDS}]},
            "ECS220",
        ),
        (
            {"secrets": [{"name": "DB", "valueFrom": "arn:aws:ssm:YOUR_REGION:1:parameter/x"}]},
            "ECS220",
        ),
        # xxxxxxxxxx: an account id of any length
        ({"task": {"taskRoleArn": "arn:aws:iam::xxxxxxxxxx:role/app"}}, "ECS205"),
        ({"task": {"executionRoleArn": "arn:aws:iam::XXXXXXXXXXXX:role/exec"}}, "ECS205"),
        ({"task": {"executionRoleArn": "arn:aws:iam::YOUR_ACCOUNT_ID:role/exec"}}, "ECS205"),
        # {INSERT ...} in a family
        ({"task": {"family": "repro-{INSERT ticket/issue ID}"}}, "ECS506"),
        # stand-in image names are not a 'latest' tag
        ({"image": "application-image"}, "ECS401"),
        ({"image": "your-app-image"}, "ECS401"),
        ({"image": "placeholder"}, "ECS401"),
    ],
)
def test_placeholder_families_are_not_evaluated(document: dict[str, Any], rule: str) -> None:
    from tests.builders import findings

    container: dict[str, Any] = {"name": "app", "image": "nginx:1.27", "memory": 256}
    task: dict[str, Any] = {"family": "app", "containerDefinitions": [container]}
    task.update(document.pop("task", {}))
    container.update(document)
    if "secrets" in container:
        task["executionRoleArn"] = "arn:aws:iam::123456789012:role/exec"
    assert not findings(task, rule)
    unevaluated = findings(task, "ECS001")
    assert unevaluated, "a placeholder is reported as not evaluated, never as passing"


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        # a lower-case word that does not name the field is a mistake, not a placeholder
        ("arn:aws:secretsmanager:eu-west-1:secret:db", "ECS220"),
        ("arn:aws:secretsmanager:us-east-1:12345:secret:db-AbCdEf", "ECS220"),
    ],
)
def test_real_mistakes_near_placeholders_are_still_reported(value: str, rule: str) -> None:
    from tests.builders import findings

    container = {"name": "app", "image": "nginx:1.27", "memory": 256}
    container["secrets"] = [{"name": "DB", "valueFrom": value}]  # type: ignore[list-item]
    task = {
        "family": "app",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "containerDefinitions": [container],
    }
    assert findings(task, rule)


def test_latest_tag_still_seen_behind_placeholder_host() -> None:
    from tests.builders import findings

    image = "ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/app:latest"
    task = {"family": "a", "containerDefinitions": [{"name": "a", "image": image, "memory": 64}]}
    assert findings(task, "ECS401")


@pytest.mark.parametrize("image", ["nginx", "my-app", "imagemagick:7", "amazon/amazon-ecs-sample"])
def test_real_image_names_are_not_stand_ins(image: str) -> None:
    from ecslint.load.unknown import standin_image

    assert not standin_image(image)
