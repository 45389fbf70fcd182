"""Network modes and port mappings (ecs-facts.md §3.1, §1.2 PortMapping, §7)."""

from __future__ import annotations

#: Modes in which hostPort must be omitted or equal containerPort.
STATIC_PORT_MODES = frozenset({"awsvpc", "host"})
#: Modes in which containers of one task share one network namespace (one port space).
SHARED_NAMESPACE_MODES = frozenset({"awsvpc", "host"})
#: containerPortRange is allowed only in these modes.
PORT_RANGE_MODES = frozenset({"bridge", "awsvpc"})
#: links work only in bridge mode.
LINK_MODES = frozenset({"bridge"})

#: Host ports a container instance reserves by default: SSH, Docker, the ECS agent.
RESERVED_HOST_PORTS: dict[int, str] = {
    22: "SSH",
    2375: "the Docker daemon",
    2376: "the Docker daemon (TLS)",
    51678: "the ECS container agent",
    51679: "the ECS container agent",
    51680: "the ECS container agent",
}
#: The default ephemeral range when /proc/sys/net/ipv4/ip_local_port_range is unavailable.
EPHEMERAL_START_LINUX = 49153
EPHEMERAL_START_WINDOWS = 49152
EPHEMERAL_END = 65535
PORT_MIN = 1
PORT_MAX = 65535

MSG_AWSVPC_PORTS = (
    "When networkMode=awsvpc, the host ports and container ports in port mappings must match."
)
MSG_AWSVPC_HOSTNAME = "hostname is not supported on container when networkMode=awsvpc."
MSG_AWSVPC_LINKS = "Links are not supported when networkMode=awsvpc."


def invalid_container_port_message(name: str) -> str:
    return f"Invalid 'containerPort' setting for container '{name}'."
