"""Checks about the file itself rather than its content: parse errors and duplicate keys.

The engine reports these findings directly (a file that does not parse has no
task definition to give a check); these registrations exist so the rules that
document them resolve like every other rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks.view import TaskView
from ecslint.model import Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


@check("engine")
def engine(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """Findings of these rules come from the loader and the engine, not from a check."""
    return iter(())
