"""Fargate task sizes and how ECS spells cpu and memory (ecs-facts.md §2.1, §3.2).

The table is data, not logic: a new Fargate size is one line here.
"""

from __future__ import annotations

import itertools
import re

from ecslint.lazy_re import lazy_re


def _steps(first: int, last: int, step: int) -> frozenset[int]:
    return frozenset(range(first, last + 1, step))


#: Task cpu units -> valid task memory (MiB) on Fargate (§2.1, botocore 1.44.8 and
#: the AWS "invalid CPU or memory" troubleshooting page).
FARGATE_SIZES: dict[int, frozenset[int]] = {
    256: frozenset({512, 1024, 2048}),
    512: _steps(1024, 4096, 1024),
    1024: _steps(2048, 8192, 1024),
    2048: _steps(4096, 16384, 1024),
    4096: _steps(8192, 30720, 1024),
    8192: _steps(16384, 61440, 4096),
    16384: _steps(32768, 122880, 8192),
}

#: The 32 vCPU tier (§2.1: [unverified] in the AWS model and docs read, but shipped
#: by cfn-lint 1.58.0 and pulumi-awsx after AWS announced it). Behind a rule param.
FARGATE_32_VCPU: dict[int, frozenset[int]] = {32768: frozenset({61440, 122880, 249856})}

#: Windows containers on Fargate need at least 1 vCPU (§2.1, §2.4).
FARGATE_WINDOWS_MIN_CPU = 1024

#: Docker >= 20.10 refuses a memory limit below 6 MiB (§3.2).
MIN_CONTAINER_MEMORY_MIB = 6

# "1 vCPU", ".25 vcpu", "2vCPU" (cfn-lint's pattern, case-insensitive, any spacing);
# a leading 0 ("0.25 vCPU") is [unverified] and accepted rather than flagged.
_VCPU = lazy_re(r"^\s*(0?\.25|0?\.5|\d+(?:\.\d+)?)\s*vcpu\s*$", re.IGNORECASE | re.ASCII)
# "2GB", "2 GB", "0.5GB", ".5 gb" (case-insensitive, optional space).
_GB = lazy_re(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*gb\s*$", re.IGNORECASE | re.ASCII)
_INT = lazy_re(r"^\s*\d+\s*$", re.ASCII)


def _parse_size(value: object, unit: re.Pattern[str]) -> int | None:
    """An integer, a digit string, or a number of ``unit`` (vCPU or GB) times 1024."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    from ecslint.numbers import MAX_DIGITS, parse_count

    if _INT.match(value):
        return parse_count(value)
    match = unit.match(value)
    if match and len(match.group(1)) <= MAX_DIGITS:
        scaled = float(match.group(1)) * 1024
        return int(scaled) if scaled.is_integer() else None
    return None


def parse_task_cpu(value: object) -> int | None:
    """Task cpu in units: "1024", "1 vCPU", ".25 vcpu", or an integer; None if unreadable."""
    return _parse_size(value, _VCPU)


def parse_task_memory(value: object) -> int | None:
    """Task memory in MiB: "2048", "2GB", "2 GB", "0.5GB", or an integer; None if unreadable."""
    return _parse_size(value, _GB)


def fargate_sizes(allow_32_vcpu: bool) -> dict[int, frozenset[int]]:
    return {**FARGATE_SIZES, **FARGATE_32_VCPU} if allow_32_vcpu else FARGATE_SIZES


def describe_memory_options(memories: frozenset[int]) -> str:
    """A short human list of valid memory values: "2048-8192 (step 1024)" or "512, 1024, 2048"."""
    ordered = sorted(memories)
    steps = {b - a for a, b in itertools.pairwise(ordered)}
    if len(ordered) > 3 and len(steps) == 1:
        return f"{ordered[0]}-{ordered[-1]} MiB in steps of {steps.pop()}"
    return ", ".join(str(m) for m in ordered) + " MiB"
