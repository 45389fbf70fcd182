"""Checks of container health checks: values ECS refuses, and commands that cannot run.

ECS520 (health-check-timeout-not-below-interval) was retired: Docker runs probes one
after another (the interval counts from the end of the previous probe), so a timeout
at or above the interval never makes two probes overlap."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks._common import as_int
from ecslint.checks.view import TaskView
from ecslint.facts import healthcheck as facts
from ecslint.load.unknown import Unknown
from ecslint.model import Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


def _health_checks(task: TaskView) -> list[tuple[int, dict[str, Any]]]:
    """(container index, healthCheck) for each container with one; made once per task."""
    if "healthCheck" not in task.container_keys:
        return []
    return task.memo(
        "healthcheck.containers",
        lambda: [
            (index, container["healthCheck"])
            for index, container in task.containers()
            if isinstance(container.get("healthCheck"), dict)
        ],
    )


@check("health-check-value-out-of-range")
def health_check_value_out_of_range(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, health in _health_checks(task):
        for field, (low, high, _, unit) in facts.RANGES.items():
            value = health.get(field)
            path = task.container_path(index, "healthCheck", field)
            if isinstance(value, Unknown):
                yield task.not_evaluated(path, value)
                continue
            number = as_int(value)
            if number is not None and not low <= number <= high:
                yield task.problem(
                    path,
                    f"{task.container_label(index)}: healthCheck.{field} is {number}; "
                    f"ECS accepts {low}-{high} {unit}",
                )


@check("health-check-command-type")
def health_check_command_type(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """A command whose first element, run as ECS runs it, cannot be what was meant.

    ECS assumes ``CMD`` when the array starts with neither ``CMD`` nor ``CMD-SHELL``
    (Developer Guide; the ECS agent's functional tests and AWS's ADOT samples rely on
    ``["/healthcheck"]``), so a bare program runs and is not reported. What is reported
    is a first element that then names no program: a shell command line in one string
    (``"curl -f http://localhost/ || exit 1"``) or a mis-cased ``cmd-shell``.
    """
    for index, health in _health_checks(task):
        command = health.get("command")
        if not isinstance(command, list) or not command:
            continue  # missing or mistyped: the schema's finding
        path = task.container_path(index, "healthCheck", "command", 0)
        first = command[0]
        if isinstance(first, Unknown):
            yield task.not_evaluated(path, first)
            continue
        if not isinstance(first, str) or first in facts.COMMAND_TYPES:
            continue
        label = task.container_label(index)
        if first.strip().upper() in facts.COMMAND_TYPES:
            yield task.problem(
                path,
                f"{label}: healthCheck.command starts with {first!r}; the type is case-sensitive,"
                f" so ECS assumes CMD and runs a program named {first!r}, and the check always"
                f" fails (write {first.strip().upper()!r})",
            )
        elif any(char.isspace() for char in first.strip()):
            yield task.problem(
                path,
                f"{label}: healthCheck.command starts with {first!r}, not CMD or CMD-SHELL; ECS"
                f" then assumes CMD and looks {first!r} up as one executable name, so the check"
                " always fails (use CMD-SHELL for a shell command)",
            )
