"""Image policy: where images may come from, and where they are pulled from.

Policy differs per organisation, so the registry allow-list does nothing until a
user configures it (the rule's ``allowed`` param).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase

from ecslint.checks import Param, check
from ecslint.checks._common import parsed_image
from ecslint.checks.view import TaskView
from ecslint.facts.images import ImageReference, parse_image
from ecslint.load.unknown import Unknown
from ecslint.model import Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


def _full_name(reference: ImageReference) -> tuple[str, str]:
    """(registry host, host/repository) with Docker Hub's implicit names spelled out."""
    domain = reference.domain or "docker.io"
    repository = reference.repository
    if domain in ("docker.io", "index.docker.io", "registry-1.docker.io"):
        domain = "docker.io"
        if "/" not in repository:
            repository = f"library/{repository}"
    return domain, f"{domain}/{repository}"


def image_allowed(image: str, allowed: list[str]) -> bool | None:
    """Whether ``image`` matches an allow-list entry; None when it is not a valid reference.

    An entry without ``/`` names registry hosts (``*.dkr.ecr.*.amazonaws.com``); an entry
    with ``/`` is matched against host/repository (``public.ecr.aws/aws-observability/*``,
    ``docker.io/library/*``). Shell-style wildcards; hosts are compared in lower case.
    """
    reference = parse_image(image)
    if reference is None:
        return None
    host, name = _full_name(reference)
    for entry in allowed:
        pattern = entry.strip()
        if "/" in pattern:
            head, _, rest = pattern.partition("/")
            if fnmatchcase(name, f"{head.lower()}/{rest}"):
                return True
        elif fnmatchcase(host.lower(), pattern.lower()):
            return True
    return False


@check(
    "image-registry-not-allowed",
    params={
        "allowed": Param(
            list,
            [],
            "Image globs (registry/repository, e.g. 123456789012.dkr.ecr.*.amazonaws.com/*); "
            "empty turns the rule off.",
        )
    },
)
def image_registry_not_allowed(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    allowed = [str(entry) for entry in params["allowed"] if str(entry).strip()]
    if not allowed:
        return  # off until configured
    for index, container in task.containers():
        image = container.get("image")
        path = task.container_path(index, "image")
        if isinstance(image, Unknown):
            yield task.not_evaluated(path, image)
        elif isinstance(image, str) and image_allowed(image.strip(), allowed) is False:
            yield task.problem(
                path,
                f"{task.container_label(index)} pulls {image!r} from a registry that is not "
                f"in the allow-list ({', '.join(allowed)})",
            )


@check("image-region-differs-from-log-region")
def image_region_differs_from_log_region(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    """Compares a private ECR image's region with the container's awslogs-region."""
    for index, container in task.containers():
        image = container.get("image")
        log = container.get("logConfiguration")
        options = log.get("options") if isinstance(log, dict) else None
        if not (
            isinstance(log, dict)
            and log.get("logDriver") == "awslogs"
            and isinstance(options, dict)
        ):
            continue
        region = options.get("awslogs-region")
        if region is None:
            continue
        image_path = task.container_path(index, "image")
        if isinstance(image, Unknown):
            yield task.not_evaluated(image_path, image)
            continue
        if not isinstance(image, str):
            continue
        reference = parsed_image(task, image.strip())
        ecr = reference.ecr if reference is not None else None
        if ecr is None:
            continue
        if isinstance(region, Unknown):
            region_path = task.container_path(
                index, "logConfiguration", "options", "awslogs-region"
            )
            yield task.not_evaluated(region_path, region)
        elif isinstance(region, str) and region.strip() and region.strip() != ecr[1]:
            yield task.problem(
                image_path,
                f"{task.container_label(index)} pulls its image from ECR in {ecr[1]} but logs "
                f"to {region.strip()}: the task runs in one region, so either the image is "
                "pulled across regions (slower starts, cross-region transfer charges) or the "
                "logs go to another region",
            )
