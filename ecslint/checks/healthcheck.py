"""Checks of container health checks: values ECS refuses, and timings that overlap."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ecslint.checks import check
from ecslint.checks._common import as_int
from ecslint.checks.view import TaskView
from ecslint.facts import healthcheck as facts
from ecslint.load.unknown import Unknown
from ecslint.model import Problem


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
    for index, health in _health_checks(task):
        command = health.get("command")
        if not isinstance(command, list) or not command:
            continue  # missing or mistyped: the schema's finding
        path = task.container_path(index, "healthCheck", "command", 0)
        first = command[0]
        if isinstance(first, Unknown):
            yield task.not_evaluated(path, first)
        elif isinstance(first, str) and first not in facts.COMMAND_TYPES:
            hint = ""
            if " " in first.strip():
                hint = (
                    f"; run as an exec-form command, {first!r} is looked up as one executable "
                    "name and the check always fails (use CMD-SHELL for a shell command)"
                )
            yield task.problem(
                path,
                f"{task.container_label(index)}: healthCheck.command starts with {first!r}, "
                f"not CMD or CMD-SHELL{hint}",
            )


@check("health-check-timeout-not-below-interval")
def health_check_timeout_not_below_interval(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    default_interval = facts.RANGES["interval"][2]
    default_timeout = facts.RANGES["timeout"][2]
    for index, health in _health_checks(task):
        interval_value, timeout_value = health.get("interval"), health.get("timeout")
        if interval_value is None and timeout_value is None:
            continue  # the defaults (30 s, 5 s) are fine
        if isinstance(interval_value, Unknown) or isinstance(timeout_value, Unknown):
            continue  # health-check-value-out-of-range already reports the placeholder
        interval = as_int(interval_value) if interval_value is not None else default_interval
        timeout = as_int(timeout_value) if timeout_value is not None else default_timeout
        if interval is None or timeout is None or timeout < interval:
            continue
        given = "timeout" if timeout_value is not None else "interval"
        yield task.problem(
            task.container_path(index, "healthCheck", given),
            f"{task.container_label(index)}: healthCheck.timeout ({timeout} s) is not below "
            f"healthCheck.interval ({interval} s); a slow check overlaps the next one",
        )
