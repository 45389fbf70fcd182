"""Checks of network modes and port mappings (ecs-facts.md §3.1)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import Param, check
from ecslint.checks._common import as_int, entries, has_items
from ecslint.checks.view import TaskView
from ecslint.facts import networking as facts
from ecslint.load.unknown import Unknown
from ecslint.model import Edit, PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


def effective_mode(task: TaskView) -> str | Unknown:
    """The network mode the task runs with: Fargate can only be awsvpc (another rule
    reports a Fargate definition that says otherwise), EC2 Linux defaults to bridge."""
    return task.memo("networking.mode", lambda: _effective_mode(task))


def _effective_mode(task: TaskView) -> str | Unknown:
    if "networkMode" not in task.task and task.is_fargate:
        return "awsvpc"
    mode = task.network_mode
    if mode == "default" and not task.is_windows:
        return "bridge"  # Docker's default network on Linux is the bridge
    return mode


Mappings = list[tuple[int, int, dict[str, "Any"], PathParts]]


def _mappings(task: TaskView) -> Mappings:
    """(container index, position, mapping, its path) for every port mapping, made once."""
    return task.memo("networking.mappings", lambda: _all_mappings(task))


def _all_mappings(task: TaskView) -> Mappings:
    return [
        (index, number, mapping, ("containerDefinitions", index, "portMappings", number))
        for index, container in task.containers()
        for number, mapping in entries(container, "portMappings")
    ]


def _no_ports(task: TaskView) -> bool:
    """No container has portMappings: every port rule can return at once."""
    return "portMappings" not in task.container_keys


def _resolve_mode(task: TaskView, needed: bool) -> tuple[str | None, list[Problem]]:
    """The effective mode, or None and a not-evaluated problem (when ``needed``) for a
    placeholder: a check that found nothing mode-dependent stays silent."""
    mode = effective_mode(task)
    if isinstance(mode, Unknown):
        return None, [task.not_evaluated(("networkMode",), mode)] if needed else []
    return mode, []


def _protocol(mapping: dict[str, Any]) -> str:
    """ECS treats anything but 'udp' as tcp (§1.2 PortMapping)."""
    return "udp" if mapping.get("protocol") == "udp" else "tcp"


@check("host-port-mismatch")
def host_port_mismatch(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if _no_ports(task):
        return
    mappings = [m for m in _mappings(task) if "hostPort" in m[2] and m[2]["hostPort"] is not None]
    mode, problems = _resolve_mode(task, bool(mappings))
    yield from problems
    if mode not in facts.STATIC_PORT_MODES:
        return
    for index, _, mapping, path in mappings:
        host, container = mapping.get("hostPort"), mapping.get("containerPort")
        if isinstance(host, Unknown) or isinstance(container, Unknown):
            unknown = host if isinstance(host, Unknown) else container
            assert isinstance(unknown, Unknown)
            yield task.not_evaluated((*path, "hostPort"), unknown)
            continue
        host_port, container_port = as_int(host), as_int(container)
        if host_port is None or container_port is None or host_port == container_port:
            continue
        quoted = f" ('{facts.MSG_AWSVPC_PORTS}')" if mode == "awsvpc" else ""
        yield Problem(
            (*path, "hostPort"),
            f"{task.container_label(index)} maps containerPort {container_port} to hostPort "
            f"{host_port}; with networkMode {mode} hostPort must be omitted or equal "
            f"containerPort{quoted}",
            fix=(Edit("replace", (*path, "hostPort"), container_port),),
        )


@check("port-mappings-with-network-mode-none")
def port_mappings_with_network_mode_none(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if _no_ports(task):
        return
    with_ports = [(i, c) for i, c in task.containers() if has_items(c.get("portMappings"))]
    mode, problems = _resolve_mode(task, bool(with_ports))
    yield from problems
    if mode != "none":
        return
    for index, _ in with_ports:
        yield task.problem(
            task.container_path(index, "portMappings"),
            f"{task.container_label(index)} has portMappings, but networkMode none gives the "
            "task no network to map them to",
        )


def _field_where_mode(
    task: TaskView, field: str, forbidden: Any, describe: str
) -> Iterator[Problem]:
    """``field`` set on a container while the mode is in ``forbidden`` (a predicate)."""
    if field not in task.container_keys:
        return
    users = [(i, c) for i, c in task.containers() if c.get(field) not in (None, "", [])]
    mode, problems = _resolve_mode(task, bool(users))
    yield from problems
    if mode is None or not forbidden(mode):
        return
    for index, _ in users:
        yield task.problem(
            task.container_path(index, field),
            f"{task.container_label(index)} sets {field}, {describe.format(mode=mode)}",
        )


@check("hostname-with-awsvpc")
def hostname_with_awsvpc(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _field_where_mode(
        task,
        "hostname",
        lambda mode: mode == "awsvpc",
        f"which networkMode awsvpc does not support ('{facts.MSG_AWSVPC_HOSTNAME}')",
    )


@check("links-outside-bridge")
def links_outside_bridge(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if task.is_windows:
        return  # Windows does not support links at all: a Windows rule reports it
    yield from _field_where_mode(
        task,
        "links",
        lambda mode: mode not in facts.LINK_MODES,
        "but links work only in networkMode bridge, not {mode} "
        "(containers of an awsvpc or host task reach each other on localhost)",
    )


@check("extra-hosts-with-awsvpc")
def extra_hosts_with_awsvpc(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _field_where_mode(
        task,
        "extraHosts",
        lambda mode: mode == "awsvpc",
        "which networkMode awsvpc does not support",
    )


@check("container-port-mapped-twice")
def container_port_mapped_twice(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if _no_ports(task):
        return
    for index, container in task.containers():
        seen: dict[int, tuple[int, dict[str, Any]]] = {}
        for number, mapping in entries(container, "portMappings"):
            path = task.container_path(index, "portMappings", number, "containerPort")
            if isinstance(mapping.get("containerPort"), Unknown):
                yield task.not_evaluated(path, mapping["containerPort"])
                continue
            port = as_int(mapping.get("containerPort"))
            if port is None:
                continue
            if port not in seen:
                seen[port] = (number, mapping)
                continue
            first_number, first = seen[port]
            if _protocol(first) != _protocol(mapping):
                yield task.problem(
                    path,
                    f"{task.container_label(index)} exposes containerPort {port} for both "
                    f"{_protocol(first)} and {_protocol(mapping)}; registration accepts it, but "
                    "creating a service can fail with 'Container port "
                    f"{port} is used in more than one port mapping'",
                )
            elif first.get("hostPort") == mapping.get("hostPort"):
                yield task.problem(
                    path,
                    f"{task.container_label(index)} maps containerPort {port}/{_protocol(mapping)}"
                    f" twice (portMappings {first_number} and {number}); a port can be in only "
                    "one mapping per container",
                )


@check("port-used-by-two-containers")
def port_used_by_two_containers(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if _no_ports(task):
        return
    mappings = _mappings(task)
    mode, problems = _resolve_mode(task, len({m[0] for m in mappings}) > 1)
    yield from problems
    if mode not in facts.SHARED_NAMESPACE_MODES:
        return
    owner: dict[tuple[int, str], int] = {}
    for index, _, mapping, path in mappings:
        if isinstance(mapping.get("containerPort"), Unknown):
            yield task.not_evaluated((*path, "containerPort"), mapping["containerPort"])
            continue
        port = as_int(mapping.get("containerPort"))
        if port is None:
            continue
        key = (port, _protocol(mapping))
        if key not in owner:
            owner[key] = index
        elif owner[key] != index:
            yield task.problem(
                (*path, "containerPort"),
                f"{task.container_label(index)} and {task.container_label(owner[key])} both "
                f"use port {port}/{key[1]}; in networkMode {mode} the containers of a task "
                "share one network namespace, so only one of them can bind it",
            )


def _host_port(mapping: dict[str, Any], mode: str) -> int | None:
    """The static host port a mapping reserves; None for a dynamic one."""
    if mode == "host":
        host = mapping.get("hostPort")
        port = as_int(host) if host is not None else as_int(mapping.get("containerPort"))
    else:
        port = as_int(mapping.get("hostPort"))
    return port if port else None


def _unknown_port(mapping: dict[str, Any]) -> tuple[str, Unknown] | None:
    for field in ("hostPort", "containerPort"):
        value = mapping.get(field)
        if isinstance(value, Unknown):
            return field, value
    return None


@check("reserved-host-port")
def reserved_host_port(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if _no_ports(task):
        return
    mappings = _mappings(task)
    mode, problems = _resolve_mode(task, bool(mappings))
    yield from problems
    if mode not in ("bridge", "host"):
        return
    for index, _, mapping, path in mappings:
        unknown = _unknown_port(mapping)
        if unknown is not None:
            yield task.not_evaluated((*path, unknown[0]), unknown[1])
            continue
        port = _host_port(mapping, mode)
        if port in facts.RESERVED_HOST_PORTS:
            field = "hostPort" if "hostPort" in mapping else "containerPort"
            yield task.problem(
                (*path, field),
                f"{task.container_label(index)} needs host port {port}, which every container "
                f"instance reserves for {facts.RESERVED_HOST_PORTS[port]}; the task can never "
                "be placed",
            )


@check(
    "static-host-port-in-ephemeral-range",
    params={
        "ephemeral_start": Param(
            int,
            None,
            "The first port of the instances' ephemeral range; unset means the ECS-optimized "
            "AMI's (49153 on Linux, 49152 on Windows).",
        )
    },
)
def static_host_port_in_ephemeral_range(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if _no_ports(task):
        return
    mappings = [
        m
        for m in _mappings(task)
        if as_int(m[2].get("hostPort")) or isinstance(m[2].get("hostPort"), Unknown)
    ]
    mode, problems = _resolve_mode(task, bool(mappings))
    yield from problems
    if mode != "bridge":
        return
    start = facts.EPHEMERAL_START_WINDOWS if task.is_windows else facts.EPHEMERAL_START_LINUX
    start = params["ephemeral_start"] or start
    for index, _, mapping, path in mappings:
        if isinstance(mapping.get("hostPort"), Unknown):
            yield task.not_evaluated((*path, "hostPort"), mapping["hostPort"])
            continue
        port = as_int(mapping.get("hostPort"))
        if port is not None and start <= port <= facts.EPHEMERAL_END:
            yield task.problem(
                (*path, "hostPort"),
                f"{task.container_label(index)} uses static hostPort {port}, inside the "
                f"ephemeral range ({start}-{facts.EPHEMERAL_END}) that ECS hands out for "
                "dynamic ports; it can clash with another task's dynamic port",
            )


def parse_range(text: str) -> tuple[int, int] | None:
    """'start-end' as two ints, or None when it is not of that form."""
    from ecslint.numbers import parse_count

    parts = text.strip().split("-")
    if len(parts) != 2:
        return None
    start, end = parse_count(parts[0]), parse_count(parts[1])
    return None if start is None or end is None else (start, end)


def _ranges(task: TaskView) -> list[tuple[int, dict[str, Any], PathParts, Any]]:
    return [
        (index, mapping, (*path, "containerPortRange"), mapping["containerPortRange"])
        for index, _, mapping, path in _mappings(task)
        if mapping.get("containerPortRange") is not None
    ]


@check("invalid-container-port-range")
def invalid_container_port_range(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if _no_ports(task):
        return
    for index, _, path, value in _ranges(task):
        if isinstance(value, Unknown):
            yield task.not_evaluated(path, value)
            continue
        label = task.container_label(index)
        bounds = parse_range(value) if isinstance(value, str) else None
        if bounds is None:
            yield task.problem(
                path, f"{label}: containerPortRange {value!r} is not of the form 'start-end'"
            )
            continue
        first, last = bounds
        if not all(facts.PORT_MIN <= port <= facts.PORT_MAX for port in bounds):
            yield task.problem(
                path,
                f"{label}: containerPortRange {value!r} leaves {facts.PORT_MIN}-{facts.PORT_MAX}",
            )
        elif first >= last:
            yield task.problem(
                path,
                f"{label}: containerPortRange {value!r} must start below its end "
                f"({first} >= {last})",
            )


@check("container-port-range-with-host-port")
def container_port_range_with_host_port(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if _no_ports(task):
        return
    for index, mapping, path, _ in _ranges(task):
        if mapping.get("hostPort") is not None:
            yield task.problem(
                (*path[:-1], "hostPort"),
                f"{task.container_label(index)} sets hostPort beside containerPortRange; "
                "leave hostPort out, ECS picks the host ports for a range",
            )


@check("container-port-range-network-mode")
def container_port_range_network_mode(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if _no_ports(task):
        return
    ranges = _ranges(task)
    mode, problems = _resolve_mode(task, bool(ranges))
    yield from problems
    if mode is None or mode in facts.PORT_RANGE_MODES:
        return
    for index, _, path, _ in ranges:
        yield task.problem(
            path,
            f"{task.container_label(index)} uses containerPortRange, which works only in "
            f"networkMode bridge or awsvpc, not {mode}",
        )


@check("overlapping-container-port-ranges")
def overlapping_container_port_ranges(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if _no_ports(task):
        return
    for index, container in task.containers():
        spans: list[tuple[int, int, str, str]] = []  # first, last, protocol, what
        for number, mapping in entries(container, "portMappings"):
            path = task.container_path(index, "portMappings", number)
            text = mapping.get("containerPortRange")
            if isinstance(text, str) and (bounds := parse_range(text)) and bounds[0] < bounds[1]:
                span = (bounds[0], bounds[1], _protocol(mapping), f"range {text!r}")
                field = "containerPortRange"
            elif (port := as_int(mapping.get("containerPort"))) is not None and text is None:
                span = (port, port, _protocol(mapping), f"port {port}")
                field = "containerPort"
            else:
                continue
            for first, last, protocol, what in spans:
                if protocol == span[2] and span[0] <= last and first <= span[1]:
                    if span[0] == span[1] and first == last:
                        break  # two single ports: container-port-mapped-twice reports it
                    yield task.problem(
                        (*path, field),
                        f"{task.container_label(index)}: {span[3]} overlaps {what}; "
                        "a port can be in only one mapping per container",
                    )
                    break
            spans.append(span)


@check("invalid-container-port")
def invalid_container_port(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if _no_ports(task):
        return
    for index, container in task.containers():
        for number, mapping in entries(container, "portMappings"):
            path = task.container_path(index, "portMappings", number, "containerPort")
            value = mapping.get("containerPort")
            if isinstance(value, Unknown):
                yield task.not_evaluated(path, value)
                continue
            if isinstance(value, (str, bool)):
                continue  # a type error: wrong-type (ECS011) reports it
            if value is None:
                if mapping.get("containerPortRange") is not None:
                    continue
                what = "has no containerPort (and no containerPortRange)"
            else:
                port = as_int(value)
                if port is not None and facts.PORT_MIN <= port <= facts.PORT_MAX:
                    continue
                what = f"has containerPort {value!r}, not a port number 1-{facts.PORT_MAX}"
            name = container.get("name") if isinstance(container.get("name"), str) else f"#{index}"
            yield task.problem(
                path,
                f"{task.container_label(index)}: portMappings[{number}] {what} "
                f"('{facts.invalid_container_port_message(str(name))}')",
            )
