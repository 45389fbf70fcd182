"""Checks about container image references (ecs-facts.md §5).

Two grammars apply: the one ECS checks at registration (a character set and a
255-character limit, §5.1) and Docker's (distribution/reference, §5.3), which the
runtime applies at pull time. ``ecslint.facts.images`` implements the second.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks._common import parsed_image, template_token
from ecslint.checks.view import TaskView
from ecslint.facts.images import registry_host
from ecslint.lazy_re import lazy_re
from ecslint.load.unknown import Unknown, find_placeholder
from ecslint.model import Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: What ECS itself accepts in ``image`` (§5.1): letters, digits, - _ : . / #, then an
#: optional ``@sha256:<64 hex>`` digest; at most 255 characters before the ``@``.
_ECS_BAD_CHAR = lazy_re(r"[^A-Za-z0-9_:./#-]")
_ECS_DIGEST = lazy_re(r"^sha256:[A-Fa-f0-9]{64}$")
MAX_IMAGE_LENGTH = 255
MSG_EMPTY = "Container.image should not be null or empty."
MSG_TOO_LONG = "Container.image should be 255 characters or less"


def _visible_tag(text: str) -> tuple[str | None, bool] | None:
    """(tag, pinned) when a placeholder hides neither; None when it hides the answer.

    ``${REGISTRY}/app:latest`` has the tag ``latest`` whatever the registry is, and
    ``${REGISTRY}/app`` has none; ``${IMAGE}`` or ``app:${TAG}`` could be anything.
    """
    name, at, digest = text.partition("@")
    if at:
        return (None, True) if not find_placeholder(digest) else None
    last = name.rsplit("/", 1)[-1]
    if find_placeholder(last):
        return None
    _repo, colon, tag = last.partition(":")
    return (tag if colon else None, False)


@check("latest-image-tag")
def latest_image_tag(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in task.containers():
        image = container.get("image")
        path = task.container_path(index, "image")
        if isinstance(image, Unknown):
            # An Unknown whose text holds no placeholder (a stand-in name such as
            # application-image) is unknown as a whole: nothing in it is visible.
            visible = _visible_tag(image.text) if find_placeholder(image.text) else None
            if visible is None:
                yield task.not_evaluated(path, image)
                continue
            tag, pinned = visible
            shown = image.text
        elif isinstance(image, str) and image.strip():
            reference = parsed_image(task, image)
            if reference is not None:
                tag, pinned, shown = reference.tag, reference.digest is not None, image
            elif template_token(image) is not None:
                # ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/app:latest still says latest.
                visible = _visible_tag(image)
                hidden = template_token(image.rsplit("/", 1)[-1])
                if visible is None or hidden is not None:
                    yield task.not_evaluated(path, hidden or Unknown(image))
                    continue
                tag, pinned = visible
                shown = image
            else:
                continue  # malformed: invalid-image-reference / unpullable-image-reference
        else:
            continue  # a missing or empty image is missing-image's finding
        if pinned:
            continue
        if tag is None:
            yield task.problem(
                path,
                f"image {shown!r} has no tag, so it runs whatever 'latest' points to at pull time",
            )
        elif tag == "latest":
            yield task.problem(
                path, f"image {shown!r} uses the mutable tag 'latest'; what runs can change"
            )


@check("missing-image")
def missing_image(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in task.containers():
        image = container.get("image")
        if image is None or (isinstance(image, str) and not image.strip()):
            what = "has no image" if image is None else "has an empty image"
            yield task.problem(
                task.container_path(index, "image"),
                f"{task.container_label(index)} {what}: {MSG_EMPTY}",
            )


def _ecs_rejects(image: str) -> str | None:
    """Why ECS's own validation refuses ``image``, or None."""
    name, at, digest = image.partition("@")
    if len(name) > MAX_IMAGE_LENGTH:
        return f"is {len(name)} characters long ({MSG_TOO_LONG})"
    bad = sorted(set(_ECS_BAD_CHAR.findall(name)))
    if bad:
        shown = ", ".join(repr(char) for char in bad)
        return f"contains characters ECS does not allow in an image: {shown}"
    if not name:
        return "has a digest but no repository"
    if at and not _ECS_DIGEST.match(digest):
        return f"has the digest {digest!r}; ECS accepts only sha256: followed by 64 hex digits"
    return None


@check("invalid-image-reference")
def invalid_image_reference(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in task.containers():
        image = container.get("image")
        path = task.container_path(index, "image")
        if isinstance(image, Unknown):
            yield task.not_evaluated(path, image)
        elif isinstance(image, str) and image.strip():
            why = _ecs_rejects(image)
            template = template_token(image) if why else None
            if template is not None:
                yield task.not_evaluated(path, template)
            elif why:
                yield task.problem(path, f"image {image!r} {why}")


def _docker_rejects(image: str) -> str:
    name = image.partition("@")[0]
    host = registry_host(name)
    path = name[len(host) + 1 :] if host else name
    repository = path.rsplit(":", 1)[0] if ":" in path.rsplit("/", 1)[-1] else path
    tag = path[len(repository) + 1 :] if len(path) > len(repository) else ""
    if "#" in name:
        return "'#' is not valid in a Docker image reference"
    if repository != repository.lower():
        return "the repository path has uppercase letters; Docker requires lowercase"
    if len(tag) > 128:
        return f"the tag is {len(tag)} characters; Docker allows at most 128"
    return "does not follow Docker's image reference grammar"


@check("unpullable-image-reference")
def unpullable_image_reference(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """ECS accepts it, but the container runtime will not parse it at pull time."""
    for index, container in task.containers():
        image = container.get("image")
        path = task.container_path(index, "image")
        if isinstance(image, Unknown):
            yield task.not_evaluated(path, image)
        elif (
            isinstance(image, str)
            and image.strip()
            and parsed_image(task, image) is None
            and _ecs_rejects(image) is None
        ):
            template = template_token(image)
            if template is not None:
                yield task.not_evaluated(path, template)
                continue
            yield task.problem(
                path,
                f"image {image!r}: {_docker_rejects(image)}, so the pull fails "
                "(CannotPullContainerError: invalid reference format)",
            )
