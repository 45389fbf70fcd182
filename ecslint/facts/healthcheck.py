"""Container health checks and ulimits (ecs-facts.md §1.2 HealthCheck and Ulimit, §3.5)."""

from __future__ import annotations

#: field -> (minimum, maximum, default, unit); ``startPeriod`` has no default (off).
RANGES: dict[str, tuple[int, int, int | None, str]] = {
    "interval": (5, 300, 30, "seconds"),
    "timeout": (2, 60, 5, "seconds"),
    "retries": (1, 10, 3, "retries"),
    "startPeriod": (0, 300, None, "seconds"),
}
#: The first element of ``healthCheck.command`` says how Docker runs the rest.
COMMAND_TYPES = frozenset({"CMD", "CMD-SHELL"})
