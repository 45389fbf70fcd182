"""What a run knows beyond the files: chosen by command-line options, read by checks.

The engine carries one :class:`RunContext` to every :class:`TaskView` as
``task.context``, so checks reach sources such as ``--iam FILE`` without globals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class RunContext:
    #: Where execution roles can be looked up (``ecslint.iam.roles.RoleSource``), in order.
    role_sources: list[Any] = field(default_factory=list)
    #: The AWS Region the task definitions are deployed in, when the run knows it.
    region: str | None = None
