"""Scanning a task definition for entries of an "unsupported parameter" table.

Shared by the Fargate and Windows checks: each table entry
(:class:`~ecslint.facts.fargate_params.UnsupportedParam`) says where a parameter
lives and which values count, so one loop serves every table.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator

from ecslint.checks._common import entries, volume_label
from ecslint.checks.view import TaskView
from ecslint.facts.fargate_params import UnsupportedParam
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

Objects = list[tuple[PathParts, dict[str, "Any"], int]]
#: By scope: the objects a parameter can sit in (path, object, container or volume
#: index), and the keys any of them has (a parameter none has needs no walk).
Scopes = dict[str, tuple[Objects, Container["Any"]]]


def _scopes(task: TaskView) -> Scopes:
    """Made once per task definition: eight Fargate rules scan the same objects."""
    containers = list(task.containers())
    linux: Objects = [
        (task.container_path(i, "linuxParameters"), c["linuxParameters"], i)
        for i, c in containers
        if isinstance(c.get("linuxParameters"), dict)
    ]
    volumes: Objects = [(("volumes", i), v, i) for i, v in entries(task.task, "volumes")]
    return {
        "task": ([((), task.task, -1)], task.task),
        "container": ([(task.container_path(i), c, i) for i, c in containers], task.container_keys),
        "linux": (linux, {key for _, obj, _ in linux for key in obj}),
        "volume": (volumes, {key for _, obj, _ in volumes for key in obj}),
    }


#: The table entries a rule's ``fields`` name, by (table, fields) identity; the cached
#: value keeps both alive, so their ids cannot be reused by other objects.
_PLANS: dict[tuple[int, int], tuple[object, object, list[tuple[UnsupportedParam, bool]]]] = {}


def _plan(
    table: dict[str, UnsupportedParam], keys: Iterable[Any]
) -> list[tuple[UnsupportedParam, bool]]:
    """(entry, whether an omitted value fails its test) for each key that names an entry."""
    cached = _PLANS.get((id(table), id(keys)))
    if cached is not None and cached[0] is table and cached[1] is keys:
        return cached[2]
    plan = [
        (param, param.test.startswith("not:"))
        for param in (table.get(str(key)) for key in keys)
        if param is not None
    ]
    if len(_PLANS) >= 256:  # a long-lived process that loads rules again and again
        _PLANS.clear()
    _PLANS[(id(table), id(keys))] = (table, keys, plan)
    return plan


def _label(task: TaskView, scope: str, obj: dict[str, Any], index: int) -> str:
    if scope == "volume":
        return f"volume {volume_label(obj, index)}"
    return task.container_label(index)


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
    scopes = task.memo("unsupported.scopes", lambda: _scopes(task))
    for param, negated in _plan(table, keys):
        field = param.field
        objects, keys_present = scopes[param.scope]
        if not negated and field[0] not in keys_present:
            continue
        for base, obj, index in objects:
            if not negated and obj.get(field[0]) is None:
                continue  # omitted or null: only a not: test reports that
            present, value = _lookup(obj, field)
            path = (*base, *field)
            if isinstance(value, Unknown):
                yield task.not_evaluated(path, value)
                continue
            for sub, bad in _violations(param, present, value):
                shown = absent if bad is None else _show(bad)
                message = param.message.format(value=shown)
                if param.scope != "task":
                    message = f"{_label(task, param.scope, obj, index)}: {message}"
                yield task.problem((*path, *sub), message)
