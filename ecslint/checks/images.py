"""Checks about container image references."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ecslint.checks import check
from ecslint.checks.view import TaskView
from ecslint.imageref import parse_image
from ecslint.model import Problem
from ecslint.unknown import Unknown


@check("latest-image-tag")
def latest_image_tag(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in task.containers():
        image = container.get("image")
        path = task.container_path(index, "image")
        if isinstance(image, Unknown):
            yield task.not_evaluated(path, image)
            continue
        if not isinstance(image, str) or not image.strip():
            continue  # a missing or empty image is another rule's finding
        reference = parse_image(image)
        if reference is None or reference.digest:
            continue
        if reference.tag is None:
            yield task.problem(
                path,
                f"image {image!r} has no tag, so it runs whatever 'latest' points to at pull time",
            )
        elif reference.tag == "latest":
            yield task.problem(
                path, f"image {image!r} uses the mutable tag 'latest'; what runs can change"
            )
