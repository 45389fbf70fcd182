"""Scanning a task definition for entries of an "unsupported parameter" table.

Shared by the Fargate and Windows checks: each table entry
(:class:`~ecslint.facts.fargate_params.UnsupportedParam`) says where a parameter
lives and which values count, so one loop serves every table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ecslint.checks._common import entries, volume_label
from ecslint.checks.view import TaskView
from ecslint.facts.fargate_params import UnsupportedParam
from ecslint.model import PathParts, Problem
from ecslint.unknown import Unknown


def _scopes(task: TaskView, param: UnsupportedParam) -> Iterator[tuple[PathParts, Any, str]]:
    """(path, object, label) for every object the parameter can sit in."""
    if param.scope == "task":
        yield (), task.task, "the task"
    elif param.scope in ("container", "linux"):
        for index, container in task.containers():
            if param.scope == "container":
                yield task.container_path(index), container, task.container_label(index)
            else:
                linux = container.get("linuxParameters")
                if isinstance(linux, dict):
                    path = task.container_path(index, "linuxParameters")
                    yield path, linux, task.container_label(index)
    else:
        for index, volume in entries(task.task, "volumes"):
            yield ("volumes", index), volume, f"volume {volume_label(volume, index)}"


def _lookup(obj: Any, field: tuple[str, ...]) -> tuple[bool, Any]:
    for part in field:
        if not isinstance(obj, dict) or part not in obj:
            return False, None
        obj = obj[part]
    return True, obj


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, (str, int, float, bool)) else "a value"


def _violations(
    param: UnsupportedParam, present: bool, value: Any
) -> Iterator[tuple[PathParts, Any]]:
    """Sub-paths (relative to the field) and values that break the rule."""
    test = param.test
    if test.startswith("not:"):
        if not present or value is None:
            yield (), None
        elif isinstance(value, str) and value != test[4:]:
            yield (), value
        return
    if not present or value is None:
        return
    if test == "set":
        if value != "":
            yield (), value
    elif test == "true":
        if value is True:
            yield (), value
    elif test == "nonempty":
        if isinstance(value, (list, dict)) and value:
            yield (), value
    elif test.startswith("is:"):
        if value == test[3:]:
            yield (), value
    elif test.startswith("item:") and isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict) and item.get("type") == test[5:]:
                yield (index, "type"), item.get("type")


def scan(
    task: TaskView, table: dict[str, UnsupportedParam], keys: Iterable[Any], absent: str = ""
) -> Iterator[Problem]:
    """Problems for the entries of ``table`` named by ``keys`` (a rule's ``fields``).

    ``absent`` describes an omitted value for ``not:`` tests (e.g. the default mode).
    """
    for key in keys:
        param = table.get(str(key))
        if param is None:
            continue
        for base, obj, label in _scopes(task, param):
            present, value = _lookup(obj, param.field)
            path = (*base, *param.field)
            if isinstance(value, Unknown):
                yield task.not_evaluated(path, value)
                continue
            for sub, bad in _violations(param, present, value):
                shown = absent if bad is None else _show(bad)
                message = param.message.format(value=shown)
                if param.scope != "task":
                    message = f"{label}: {message}"
                yield task.problem((*path, *sub), message)
