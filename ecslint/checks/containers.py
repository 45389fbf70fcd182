"""Checks of containers: essential containers, dependsOn, and ulimits the kernel refuses."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks._common import as_int, entries, is_essential
from ecslint.checks.view import TaskView
from ecslint.facts import registration as facts
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


@check("no-essential-container")
def no_essential_container(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    containers = list(task.containers())
    if not containers:
        return  # an empty list is empty-container-list's finding
    unknown: tuple[int, Unknown] | None = None
    for index, container in containers:
        essential = is_essential(container)
        if essential is True:
            return
        if isinstance(essential, Unknown) and unknown is None:
            unknown = (index, essential)
    if unknown is not None:
        yield task.not_evaluated(task.container_path(unknown[0], "essential"), unknown[1])
        return
    yield task.problem(
        ("containerDefinitions",),
        f"every container sets essential: false ('{facts.MSG_NO_ESSENTIAL}'); "
        "at least one must be essential (an omitted essential counts as true)",
    )


Dependencies = list[tuple[int, dict[str, "Any"], int, PathParts, "Any", "Any"]]


def _dependencies(task: TaskView) -> Dependencies:
    """(container index, container, entry index, entry path, target name, condition);
    made once per task for the five dependsOn rules."""
    if "dependsOn" not in task.container_keys:
        return []
    return task.memo("containers.dependencies", lambda: _find_dependencies(task))


def _find_dependencies(task: TaskView) -> Dependencies:
    return [
        (
            index,
            container,
            number,
            ("containerDefinitions", index, "dependsOn", number),
            entry.get("containerName"),
            entry.get("condition"),
        )
        for index, container in task.containers()
        for number, entry in entries(container, "dependsOn")
    ]


def _names_unknown(task: TaskView) -> Unknown | None:
    for _, container in task.containers():
        if isinstance(container.get("name"), Unknown):
            return container["name"]  # type: ignore[no-any-return]
    return None


@check("depends-on-unknown-container")
def depends_on_unknown_container(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if not _dependencies(task):
        return
    names = task.container_names()
    unknown_name = _names_unknown(task)
    for index, _, _, path, target, _ in _dependencies(task):
        target_path = (*path, "containerName")
        if isinstance(target, Unknown):
            yield task.not_evaluated(target_path, target)
        elif isinstance(target, str) and target not in names:
            if unknown_name is not None:
                yield task.not_evaluated(target_path, unknown_name, "a container name")
            else:
                known = ", ".join(sorted(names)) or "none"
                yield task.problem(
                    target_path,
                    f"{task.container_label(index)} depends on {target!r}, which is not a "
                    f"container of this task (containers: {known})",
                )


@check("depends-on-self")
def depends_on_self(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container, _, path, target, _ in _dependencies(task):
        if isinstance(target, str) and target == container.get("name"):
            yield task.problem(
                (*path, "containerName"),
                f"{task.container_label(index)} depends on itself; it could never start",
            )


@check("depends-on-cycle")
def depends_on_cycle(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    # Graph of container name -> (names it depends on, path of each entry); self-edges
    # are depends-on-self's finding and unknown targets cannot be followed.
    if not _dependencies(task):
        return
    index_of: dict[str, int] = {}
    edges: dict[str, list[tuple[str, PathParts]]] = {}
    for index, container in task.containers():
        name = container.get("name")
        if isinstance(name, str) and name not in index_of:
            index_of[name] = index
            edges[name] = []
    for _, container, _, path, target, _ in _dependencies(task):
        name = container.get("name")
        if (
            isinstance(name, str)
            and isinstance(target, str)
            and target != name
            and (target in edges and name in edges)
        ):
            edges[name].append((target, path))
    reported: set[frozenset[str]] = set()
    for start in sorted(edges, key=index_of.__getitem__):
        cycle = _find_cycle(start, edges)
        if cycle is None:
            continue
        members = frozenset(cycle)
        if members in reported:
            continue
        reported.add(members)
        # Starts are tried in file order, so the cycle begins at its first container.
        entry_path = next(p for target, p in edges[cycle[0]] if target == cycle[1])
        yield task.problem(
            (*entry_path, "containerName"),
            f"dependsOn forms a cycle: {' -> '.join(cycle)}; none of these containers can start",
        )


def _find_cycle(start: str, edges: dict[str, list[tuple[str, PathParts]]]) -> list[str] | None:
    """A path start -> ... -> start, found depth-first without recursion."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for target, _ in reversed(edges[node]):
            if target == start:
                return [*trail, start]
            if target not in visited:
                visited.add(target)
                stack.append((target, [*trail, target]))
    return None


@check("depends-on-essential-completion")
def depends_on_essential_completion(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, _, _, path, target, condition in _dependencies(task):
        if isinstance(condition, Unknown):
            yield task.not_evaluated((*path, "condition"), condition)
            continue
        if condition not in ("COMPLETE", "SUCCESS") or not isinstance(target, str):
            continue
        found = task.container_by_name(target)
        if found is None:
            continue
        target_index, target_container = found
        essential = is_essential(target_container)
        if isinstance(essential, Unknown):
            yield task.not_evaluated(task.container_path(target_index, "essential"), essential)
        elif essential:
            how = "is essential" if "essential" in target_container else "is essential by default"
            yield task.problem(
                (*path, "condition"),
                f"{task.container_label(index)} waits for {target!r} to {condition}, but "
                f"{target!r} {how} ('{facts.MSG_ESSENTIAL_DEPENDENCY}')",
            )


@check("depends-on-healthy-without-health-check")
def depends_on_healthy_without_health_check(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    for index, _, _, path, target, condition in _dependencies(task):
        if isinstance(condition, Unknown):
            yield task.not_evaluated((*path, "condition"), condition)
            continue
        if condition != "HEALTHY" or not isinstance(target, str):
            continue
        found = task.container_by_name(target)
        if found is None:
            continue
        health = found[1].get("healthCheck")
        if isinstance(health, Unknown):
            yield task.not_evaluated(task.container_path(found[0], "healthCheck"), health)
        elif not isinstance(health, dict):
            yield task.problem(
                (*path, "condition"),
                f"{task.container_label(index)} waits for {target!r} to be HEALTHY, but "
                f"{target!r} has no healthCheck, so it never reports healthy",
            )


@check("ulimit-soft-limit-above-hard-limit")
def ulimit_soft_limit_above_hard_limit(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if "ulimits" not in task.container_keys:
        return
    for index, container in task.containers():
        for number, ulimit in entries(container, "ulimits"):
            soft_value, hard_value = ulimit.get("softLimit"), ulimit.get("hardLimit")
            path = task.container_path(index, "ulimits", number, "softLimit")
            for value, field in ((soft_value, "softLimit"), (hard_value, "hardLimit")):
                if isinstance(value, Unknown):
                    yield task.not_evaluated(
                        task.container_path(index, "ulimits", number, field), value
                    )
            soft, hard = as_int(soft_value), as_int(hard_value)
            if soft is not None and hard is not None and _limit(soft) > _limit(hard):
                name = ulimit.get("name")
                label = f"ulimit {name!r}" if isinstance(name, str) else f"ulimits[{number}]"
                yield task.problem(
                    path,
                    f"{task.container_label(index)}: {label} has softLimit {soft} above "
                    f"hardLimit {hard}; the kernel refuses it and the container does not start",
                )


def _limit(value: int) -> float:
    """-1 is Docker's 'unlimited' (RLIM_INFINITY)."""
    return float("inf") if value < 0 else float(value)


#: Quote characters a shell would strip: written inside a JSON array item they stay.
_QUOTES = ("'", '"')


def _shell_quoted(item: object) -> bool:
    """``"\\"nginx\\""``: the whole item wrapped in one pair of shell quotes."""
    return (
        isinstance(item, str)
        and len(item) >= 2
        and item[0] in _QUOTES
        and item[-1] == item[0]
        and item[0] not in item[1:-1]
    )


@check("shell-quoted-command-item")
def shell_quoted_command_item(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """The program of an exec-form command written with its shell quotes: the first item
    of ``entryPoint``, or of ``command`` when there is no entryPoint."""
    if "entryPoint" not in task.container_keys and "command" not in task.container_keys:
        return
    for index, container in task.containers():
        entry_point, command = container.get("entryPoint"), container.get("command")
        if isinstance(entry_point, list) and entry_point:
            field, first = "entryPoint", entry_point[0]
        elif entry_point is None and isinstance(command, list) and command:
            field, first = "command", command[0]
        else:
            continue
        if isinstance(first, Unknown) or not _shell_quoted(first):
            continue
        yield task.problem(
            task.container_path(index, field, 0),
            f"{task.container_label(index)}: {field}[0] is {first!r}, quotes included; no shell"
            f" strips them from an exec-form array, so Docker looks for a program named "
            f"{first!r}, does not find it, and the container does not start (write "
            f"{first[1:-1]!r})",
        )
