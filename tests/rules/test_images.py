"""Image rules (ECS401-ECS404) through the real CLI, placeholders included."""

from __future__ import annotations

import pytest

from tests.builders import DROP, describe, ec2_task, logged_container, of, unevaluated_paths
from tests.conftest import lint

IMAGE = "/containerDefinitions/0/image"
DIGEST = "sha256:" + "a" * 64


def with_image(image: object) -> dict[str, object]:
    return ec2_task(logged_container(image=image))


# --- ECS401 latest-image-tag ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "fact"),
    [
        ("nginx", "has no tag"),
        ("nginx:latest", "mutable tag 'latest'"),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:latest", "mutable tag 'latest'"),
        ("registry.example.com:5000/team/app", "has no tag"),
        ("${REGISTRY}/app:latest", "mutable tag 'latest'"),
        ("ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/app", "has no tag"),
    ],
)
def test_latest_or_untagged_images_warn(image: str, fact: str) -> None:
    [finding] = of(lint(with_image(image)), "ECS401")
    assert finding["path"] == IMAGE
    assert finding["severity"] == "warning"
    assert fact in finding["message"]


@pytest.mark.parametrize(
    "image",
    [
        "nginx:1.27.2",
        f"nginx@{DIGEST}",
        f"nginx:latest@{DIGEST}",
        "registry.example.com:5000/team/app:2024-01-02",
        "${REGISTRY}/app:1.4.2",
    ],
)
def test_versioned_or_digest_pinned_images_pass(image: str) -> None:
    assert not of(lint(with_image(image)), "ECS401")


@pytest.mark.parametrize(
    "image", ["${IMAGE}", "<IMAGE1_NAME>", "nginx:${TAG}", "{{ must_env `IMAGE` }}"]
)
def test_placeholders_are_not_evaluated_never_pass_or_fail(image: str) -> None:
    result = lint(with_image(image))
    assert not [f for f in result.findings if f["rule"] in {"ECS401", "ECS402", "ECS403", "ECS404"}]
    message = unevaluated_paths(result)[IMAGE]
    assert "latest-image-tag" in message
    assert result.findings[[f["path"] for f in result.findings].index(IMAGE)]["severity"] == "info"


# --- ECS402 missing-image ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "fact"),
    [
        (DROP, "has no image"),
        (None, "has no image"),
        ("", "has an empty image"),
        ("  ", "empty image"),
    ],
)
def test_missing_or_empty_image_fails_with_aws_message(image: object, fact: str) -> None:
    result = lint(with_image(image))
    [finding] = of(result, "ECS402")
    assert finding["path"] == IMAGE
    assert finding["severity"] == "error"
    assert fact in finding["message"]
    assert "Container.image should not be null or empty." in finding["message"]


def test_present_image_passes() -> None:
    assert not of(lint(with_image("nginx:1.27")), "ECS402")


# --- ECS403 invalid-image-reference ------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "fact"),
    [
        ("nginx: 1.27", "' '"),
        ('"nginx:1.27"', "'\"'"),
        ("a/" * 130 + "b", "255 characters or less"),
        ("nginx@sha256:abc", "64 hex digits"),
        ("nginx@md5:" + "a" * 32, "sha256"),
    ],
)
def test_references_ecs_refuses_fail(image: str, fact: str) -> None:
    [finding] = of(lint(with_image(image)), "ECS403")
    assert finding["path"] == IMAGE
    assert finding["severity"] == "error"
    assert fact in finding["message"]


def test_digest_part_does_not_count_towards_255() -> None:
    image = "r" * 250 + "@" + DIGEST
    assert not of(lint(with_image(image)), "ECS403")


@pytest.mark.parametrize("image", ["<container-image>", "{your-account-id}.dkr.ecr.x/repo"])
def test_template_text_is_not_evaluated_instead_of_invalid(image: str) -> None:
    result = lint(with_image(image))
    assert not of(result, "ECS403")
    assert "invalid-image-reference" in unevaluated_paths(result)[IMAGE]


# --- ECS404 unpullable-image-reference ---------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "fact"),
    [
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/MyApp:1.0", "lowercase"),
        ("myorg/app#1:1.0", "'#'"),
        ("nginx:" + "v" * 129, "at most 128"),
        ("app-:1", "grammar"),
    ],
)
def test_references_docker_cannot_parse_warn(image: str, fact: str) -> None:
    result = lint(with_image(image))
    [finding] = of(result, "ECS404")
    assert finding["severity"] == "warning"
    assert finding["path"] == IMAGE
    assert fact in finding["message"]
    assert not of(result, "ECS403")


def test_valid_references_pass() -> None:
    for image in ("nginx:1.27", "MyRegistry.example.com/app:1", "localhost:5000/a/b_c__d-e:1.0"):
        assert not of(lint(with_image(image)), "ECS404"), image


def test_template_words_are_not_evaluated_instead_of_unpullable() -> None:
    result = lint(with_image("REPOSITORY_URI:TAG"))
    assert not of(result, "ECS404")
    assert "unpullable-image-reference" in unevaluated_paths(result)[IMAGE]


# --- describe-task-definition output -------------------------------------------------------


def test_describe_output_image_paths() -> None:
    result = lint(describe(with_image("nginx:latest")))
    [finding] = of(result, "ECS401")
    assert finding["path"] == "/taskDefinition" + IMAGE
    clean = lint(describe(with_image("nginx:1.27")))
    assert not [f for f in clean.findings if f["rule"].startswith("ECS4")]


def test_a_whole_placeholder_image_is_not_evaluated_by_every_image_rule() -> None:
    result = lint(with_image("${IMAGE}"))
    message = unevaluated_paths(result)[IMAGE]
    for slug in ("latest-image-tag", "unpullable-image-reference"):
        assert slug in message, message


@pytest.mark.parametrize("image", [5, [], {}, True, "", "  "])
def test_an_image_that_is_not_a_string_or_is_blank_is_no_crash(image: object) -> None:
    result = lint(with_image(image))  # type: ignore[arg-type]
    assert result.exit_code in (0, 1), result.stderr
    names = {f["name"] for f in result.findings}
    assert not names & {"invalid-image-reference", "unpullable-image-reference"}
