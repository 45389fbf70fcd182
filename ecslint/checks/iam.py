"""Checks that evaluate the execution role's policies against what the task needs.

They run only when a source of roles is at hand (``--iam FILE``, ``--aws``, or the
CloudFormation template the task definition is in); without one, they say nothing,
and a role no source knows is reported as not evaluated, never as passing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks.view import TaskView
from ecslint.model import Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

    from ecslint.iam.analysis import Analysis, Outcome

ROLE_PATH = ("executionRoleArn",)


def _verdict() -> Any:
    from ecslint.iam.evaluate import Verdict

    return Verdict


def _analysis(task: TaskView) -> Analysis | None:
    """The shared evaluation; nothing is imported or computed without a source of roles."""
    if not getattr(task.context, "role_sources", None) and task.shape != "cloudformation":
        return None

    def compute() -> Analysis | None:
        from ecslint.iam.analysis import analyse

        return analyse(task)

    return task.memo("iam.execution-role", compute)


def _message(analysis: Analysis, outcome: Outcome, verb: str) -> str:
    need = outcome.need
    text = f"execution role {analysis.label} {verb} {need.action} on {need.resource}"
    if outcome.decision.verdict is _verdict().DENIED:
        text += f" (explicitly denied by {', '.join(outcome.decision.because)})"
    elif outcome.decision.verdict is _verdict().CONDITIONAL:
        text += f" (under the Condition of {', '.join(outcome.decision.because)})"
    text += f"; needed {need.why}"
    if need.any_account:
        text += " (the account is unknown, so the policies were matched for any account)"
    return text


def _missing(task: TaskView, instance_role: bool) -> Iterator[Problem]:
    analysis = _analysis(task)
    if analysis is None or analysis.role is None:
        return
    for outcome in analysis.outcomes:
        if outcome.need.instance_role_may_cover != instance_role:
            continue
        if outcome.decision.verdict in (_verdict().NOT_ALLOWED, _verdict().DENIED):
            message = _message(analysis, outcome, "does not allow")
            if instance_role:
                message += "; on EC2 the container instance role may grant it instead"
            yield task.problem(outcome.need.path, message)


@check("execution-role-missing-permission")
def execution_role_missing_permission(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    yield from _missing(task, instance_role=False)
    analysis = _analysis(task)
    if analysis is None:
        return
    if analysis.unknown is not None:
        yield task.not_evaluated(ROLE_PATH, analysis.unknown, "the execution role")
        return
    if analysis.role is None:
        return
    for path, unknown, what in analysis.needs.unknown:
        yield task.not_evaluated(path, unknown, what)
    for path, why in analysis.needs.undecidable:
        yield Problem(path, why, evaluated=False)
    for outcome in analysis.outcomes:
        if outcome.decision.verdict is _verdict().UNKNOWN:
            yield Problem(
                outcome.need.path,
                f"whether execution role {analysis.label} allows {outcome.need.action} on "
                f"{outcome.need.resource} depends on "
                f"{', '.join(outcome.decision.because)}, which cannot be read offline",
                evaluated=False,
            )


@check("execution-role-missing-permission-ec2")
def execution_role_missing_permission_ec2(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    yield from _missing(task, instance_role=True)


@check("execution-role-conditional-permission")
def execution_role_conditional_permission(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    analysis = _analysis(task)
    if analysis is None or analysis.role is None:
        return
    for outcome in analysis.outcomes:
        if outcome.decision.verdict is _verdict().CONDITIONAL:
            yield task.problem(
                outcome.need.path, _message(analysis, outcome, "allows only conditionally")
            )


@check("execution-role-not-found")
def execution_role_not_found(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    analysis = _analysis(task)
    if analysis is None or analysis.role is not None or analysis.unknown is not None:
        return
    if analysis.not_read_from:
        return  # a source could not be asked: execution-role-not-read says so
    yield task.problem(
        ROLE_PATH,
        f"execution role {analysis.label} is not in {' or '.join(analysis.not_found_in)}: "
        "its permissions were not evaluated",
    )


@check("execution-role-not-read")
def execution_role_not_read(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    analysis = _analysis(task)
    if analysis is None or analysis.role is not None or not analysis.not_read_from:
        return
    yield task.problem(
        ROLE_PATH,
        f"execution role {analysis.label} could not be read from "
        f"{' or '.join(analysis.not_read_from)}: its permissions were not evaluated",
    )


@check("execution-role-untrusted")
def execution_role_untrusted(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    analysis = _analysis(task)
    if analysis is not None and analysis.trusted is False:
        yield task.problem(
            ROLE_PATH,
            f"execution role {analysis.label}'s trust policy does not let "
            "ecs-tasks.amazonaws.com call sts:AssumeRole, so ECS cannot use it",
        )


@check("execution-role-customer-kms-key")
def execution_role_customer_kms_key(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    analysis = _analysis(task)
    if analysis is None or analysis.role is None or not analysis.needs.encrypted:
        return
    count = len(analysis.needs.encrypted)
    yield task.problem(
        analysis.needs.encrypted[0],
        f"{count} secret(s) or environment file(s) are read with execution role "
        f"{analysis.label}; if one is encrypted with a customer managed KMS key, the role "
        "also needs kms:Decrypt on that key, which the task definition does not show",
    )
