"""Checks about where container logs go: logConfiguration, awslogs, FireLens."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ecslint.checks import check
from ecslint.checks.view import TaskView
from ecslint.model import Problem


@check("missing-log-configuration")
def missing_log_configuration(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in task.containers():
        if "logConfiguration" not in container:
            yield task.problem(
                task.container_path(index, "logConfiguration"),
                f"{task.container_label(index)} has no logConfiguration: its output is "
                "not collected anywhere you can read it",
            )
