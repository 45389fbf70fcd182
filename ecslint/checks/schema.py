"""The schema check: one validation per task definition, shared by the schema rules.

Rules ECS010-ECS016 and ECS018 all run this check with a different ``kind``; the validation
itself (``ecslint.schema``) runs once per task definition and is memoised on the
task view, so eight rules cost one validation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import Param, check
from ecslint.checks.view import TaskView
from ecslint.model import Problem
from ecslint.schema import KINDS

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


@check(
    "schema",
    params={
        "kind": Param(str, None, "The kind of schema error this rule reports (a template).", KINDS)
    },
)
def schema(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    from ecslint.schema import validate_task

    kind = params.get("kind")
    if kind not in KINDS:
        raise ValueError(f"the schema check needs params.kind, one of: {', '.join(KINDS)}")
    problems = task.memo("schema", lambda: validate_task(task.task, task.shape, task.target.plain))
    yield from problems.get(kind, ())
    yield from task.target.contract.get(kind, ())  # the input's own engine (CloudFormation, ...)
