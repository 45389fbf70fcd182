"""What a run knows beyond the files: chosen by command-line options, read by checks.

The engine carries one :class:`RunContext` to every :class:`TaskView` as
``task.context``, so checks reach sources such as ``--iam FILE`` without globals.
"""

from __future__ import annotations

from typing import Any


class RunContext:
    # A plain class, not a dataclass: importing dataclasses (with inspect, ast, dis and
    # tokenize) cost a cold CloudFormation run a sixth of its instructions.
    __slots__ = ("region", "role_sources")

    def __init__(self, role_sources: list[Any] | None = None, region: str | None = None) -> None:
        #: Where execution roles can be looked up (``ecslint.iam.roles.RoleSource``), in order.
        self.role_sources: list[Any] = [] if role_sources is None else role_sources
        #: The AWS Region the task definitions are deployed in, when the run knows it.
        self.region = region
