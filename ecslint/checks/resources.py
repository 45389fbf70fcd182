"""Checks about task and container cpu and memory (ecs-facts.md §2.1, §3.2).

The Fargate size table and the string forms ECS accepts live in ``ecslint.facts.fargate``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from ecslint.checks import Param, check
from ecslint.checks._common import COMPAT_PATH, as_count, fargate, is_blank
from ecslint.checks.view import TaskView
from ecslint.facts import fargate as facts
from ecslint.load.unknown import Unknown
from ecslint.model import Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

MSG_CPU_REQUIRED = "Fargate requires that 'cpu' be defined at the task level."
MSG_MEMORY_REQUIRED = "Fargate requires that 'memory' be defined at the task level."
MSG_CPU_SUM = (
    "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."
)
MSG_MEMORY_SUM = (
    "The sum of all container 'memoryReservation' values cannot be greater than the value "
    "of the task 'memory'."
)


@check(
    "invalid-fargate-cpu-memory",
    params={
        "allow_32_vcpu": Param(
            bool, True, "Accept the 32 vCPU size (32768 cpu with 61440, 122880 or 249856 MiB)."
        )
    },
)
def invalid_fargate_cpu_memory(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    cpu_raw, memory_raw = task.task.get("cpu"), task.task.get("memory")
    if is_blank(cpu_raw) or is_blank(memory_raw):
        return  # fargate-missing-task-size
    on_fargate = fargate(task)
    if on_fargate is False:
        return
    if isinstance(on_fargate, Unknown):
        yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
        return
    if isinstance(cpu_raw, Unknown) or isinstance(memory_raw, Unknown):
        unknown = cpu_raw if isinstance(cpu_raw, Unknown) else memory_raw
        assert isinstance(unknown, Unknown)
        yield task.not_evaluated(("cpu",) if unknown is cpu_raw else ("memory",), unknown)
        return
    allow_32 = bool(params["allow_32_vcpu"])
    sizes = facts.fargate_sizes(allow_32)
    cpu = facts.parse_task_cpu(cpu_raw)
    if cpu is None or cpu not in sizes:
        valid = ", ".join(str(units) for units in sorted(sizes))
        extra = ""
        if cpu in facts.FARGATE_32_VCPU and not allow_32:
            extra = " (the 32 vCPU size is disabled by this rule's allow_32_vcpu parameter)"
        yield task.problem(
            ("cpu",), f"task cpu {cpu_raw!r} is not a Fargate size; use one of {valid}{extra}"
        )
        return
    memory = facts.parse_task_memory(memory_raw)
    if memory is None:
        yield task.problem(
            ("memory",),
            f'task memory {memory_raw!r} is not MiB ("2048") or GB ("2 GB")',
        )
        return
    if memory not in sizes[cpu]:
        yield task.problem(
            ("memory",),
            f"task memory {memory} MiB is not valid with cpu {cpu} on Fargate; with "
            f"{cpu} cpu units use {facts.describe_memory_options(sizes[cpu])}",
        )


@check("fargate-windows-cpu-too-low")
def fargate_windows_cpu_too_low(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    cpu_raw = task.task.get("cpu")
    if is_blank(cpu_raw):
        return
    on_fargate = fargate(task)
    if on_fargate is False:
        return
    family = task.os_family
    if isinstance(family, str) and not family.startswith("WINDOWS"):
        return
    if isinstance(on_fargate, Unknown):
        yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
        return
    if isinstance(family, Unknown):
        yield task.not_evaluated(("runtimePlatform", "operatingSystemFamily"), family)
        return
    if isinstance(cpu_raw, Unknown):
        yield task.not_evaluated(("cpu",), cpu_raw)
        return
    cpu = facts.parse_task_cpu(cpu_raw)
    if cpu is not None and cpu < facts.FARGATE_WINDOWS_MIN_CPU:
        yield task.problem(
            ("cpu",),
            f"task cpu {cpu_raw!r} is below 1 vCPU: Windows containers on Fargate need "
            f"cpu 1024, 2048 or 4096 ({family})",
        )


@check("fargate-missing-task-size")
def fargate_missing_task_size(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    missing = [key for key in ("cpu", "memory") if is_blank(task.task.get(key))]
    if not missing:
        return
    on_fargate = fargate(task)
    if isinstance(on_fargate, Unknown):
        yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
        return
    if not on_fargate:
        return
    for key in missing:
        message = MSG_CPU_REQUIRED if key == "cpu" else MSG_MEMORY_REQUIRED
        yield task.problem((key,), f"a Fargate task needs a task-level {key!r}: {message}")


def _containers_above_task(
    task: TaskView,
    key: str,
    parse: Callable[[Any], int | None],
    amount: Callable[[dict[str, Any]], tuple[str, int | Unknown | None]],
    message: Callable[[int, str, int], str],
) -> Iterator[Problem]:
    """The sum of the containers' ``amount`` above the task-level ``key``.

    ``amount`` gives (field, value) for one container; ``message`` gets the total, the
    per-container parts and the task's value.
    """
    raw = task.task.get(key)
    if is_blank(raw):
        return
    if isinstance(raw, Unknown):
        yield task.not_evaluated((key,), raw)
        return
    limit = parse(raw)
    if limit is None:
        return
    total = 0
    amounts: list[tuple[int, int]] = []
    for index, container in task.containers():
        field, value = amount(container)
        if isinstance(value, Unknown):
            yield task.not_evaluated(task.container_path(index, field), value)
            return
        if value:
            total += value
            amounts.append((index, value))
    if total > limit:
        parts = ", ".join(f"{task.container_label(index)} {value}" for index, value in amounts)
        yield task.problem((key,), message(total, parts, limit))


@check("container-cpu-exceeds-task")
def container_cpu_exceeds_task(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _containers_above_task(
        task,
        "cpu",
        facts.parse_task_cpu,
        lambda container: ("cpu", as_count(container.get("cpu"))),
        lambda total, parts, limit: (
            f"containers ask for {total} cpu units ({parts}) but the task has {limit}"
        ),
    )


def _reserved_memory(container: dict[str, Any]) -> tuple[str, int | Unknown | None]:
    """The memory reservation, else the hard limit."""
    reservation = as_count(container.get("memoryReservation"))
    if reservation:
        return "memoryReservation", reservation
    return "memory", as_count(container.get("memory"))


@check("container-memory-exceeds-task")
def container_memory_exceeds_task(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """The reserved memory of all containers (reservation, else hard limit) above the task's."""
    yield from _containers_above_task(
        task,
        "memory",
        facts.parse_task_memory,
        _reserved_memory,
        lambda total, parts, limit: (
            f"containers reserve {total} MiB ({parts}) but the task has {limit} MiB"
        ),
    )


@check("memory-reservation-above-memory")
def memory_reservation_above_memory(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if "memoryReservation" not in task.container_keys:
        return
    for index, container in task.containers():
        hard = as_count(container.get("memory"))
        soft = as_count(container.get("memoryReservation"))
        if hard is None or soft is None or hard == 0:
            continue
        if isinstance(hard, Unknown) or isinstance(soft, Unknown):
            unknown = hard if isinstance(hard, Unknown) else soft
            assert isinstance(unknown, Unknown)
            key = "memory" if unknown is hard else "memoryReservation"
            yield task.not_evaluated(task.container_path(index, key), unknown)
            continue
        if soft > hard:
            yield task.problem(
                task.container_path(index, "memoryReservation"),
                f"{task.container_label(index)} reserves {soft} MiB (memoryReservation) but "
                f"its hard limit (memory) is {hard} MiB",
            )


@check("container-memory-not-set")
def container_memory_not_set(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    memory_raw = task.task.get("memory")
    if not is_blank(memory_raw) and not isinstance(memory_raw, Unknown):
        return
    offenders = []
    for index, container in task.containers():
        values = [as_count(container.get(key)) for key in ("memory", "memoryReservation")]
        if not any(isinstance(value, Unknown) or value for value in values):
            offenders.append(index)
    if not offenders:
        return
    if isinstance(memory_raw, Unknown):
        yield task.not_evaluated(("memory",), memory_raw)
        return
    on_fargate = fargate(task)
    if isinstance(on_fargate, Unknown):
        yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
        return
    if on_fargate:
        return  # fargate-missing-task-size asks for task memory instead
    for index in offenders:
        name = task.task["containerDefinitions"][index].get("name")
        if isinstance(name, Unknown):
            name = name.text
        yield task.problem(
            task.container_path(index, "memory"),
            f"{task.container_label(index)} has no memory or memoryReservation and the task "
            f"has no memory: Invalid setting for container '{name}'. At least one of "
            "'memory' or 'memoryReservation' must be specified.",
        )


@check(
    "container-memory-too-low",
    params={
        "minimum_mib": Param(
            int, facts.MIN_CONTAINER_MEMORY_MIB, "The least memory Docker gives a container, MiB."
        )
    },
)
def container_memory_too_low(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    minimum = int(params["minimum_mib"])
    for index, container in task.containers():
        for key in ("memory", "memoryReservation"):
            if container.get(key) is None:
                continue
            value = as_count(container[key])
            if isinstance(value, Unknown):
                yield task.not_evaluated(task.container_path(index, key), value)
            elif value is not None and 0 < value < minimum:
                yield task.problem(
                    task.container_path(index, key),
                    f"{task.container_label(index)} {key} is {value} MiB; Docker refuses "
                    f"limits below {minimum} MiB",
                )
