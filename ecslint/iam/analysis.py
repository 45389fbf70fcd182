"""One task definition's execution role, looked up and evaluated once for all IAM rules."""

from __future__ import annotations

from ecslint.iam.evaluate import Decision, Request, Verdict, evaluate
from ecslint.iam.needs import Need, Needs, execution_role_needs, task_location
from ecslint.iam.roles import RoleInfo, ecs_tasks_can_assume, role_name
from ecslint.load.unknown import Unknown
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


class Outcome(Record):
    need: Need
    decision: Decision


class Analysis:
    __slots__ = ("label", "needs", "not_found_in", "not_read_from", "outcomes", "role", "unknown")

    def __init__(
        self, label: str, role: RoleInfo | None = None, unknown: Unknown | None = None
    ) -> None:
        #: The role's name as messages show it.
        self.label = label
        self.role = role
        #: The role value is unknown (a placeholder, or a Ref to something that is not a role).
        self.unknown = unknown
        #: Sources that were asked and do not know the role.
        self.not_found_in: list[str] = []
        #: Sources that could not be asked (the AWS account did not answer, denied access,
        #: answered what cannot be read), each with why.
        self.not_read_from: list[str] = []
        self.needs = Needs()
        self.outcomes: list[Outcome] = []

    @property
    def trusted(self) -> bool | None:
        if self.role is None or self.role.trust is None:
            return None
        return ecs_tasks_can_assume(self.role.trust)


def _sources(view: Any) -> list[Any]:
    context = getattr(view, "context", None)
    return list(getattr(context, "role_sources", None) or [])


#: The roles of the template read last, and the template: each task definition of a
#: template asks, and reading every resource once per task definition was quadratic
#: (40 s for 10,000 task definitions in one template).
_TEMPLATE_ROLES: list[tuple[Any, dict[str, RoleInfo], dict[str, RoleInfo]]] = []


def _template_roles(view: Any) -> tuple[dict[str, RoleInfo], dict[str, RoleInfo]]:
    """The template's roles by logical id, and by role name (the first of each name)."""
    if view.shape != "cloudformation":
        return {}, {}
    template = view.target.document.data
    if not isinstance(template, dict):
        return {}, {}
    if not _TEMPLATE_ROLES or _TEMPLATE_ROLES[0][0] is not template:
        from ecslint.iam.cloudformation import roles_from_cloudformation

        roles = roles_from_cloudformation(template)
        by_name: dict[str, RoleInfo] = {}
        for role in roles.values():
            by_name.setdefault(role.name, role)
        _TEMPLATE_ROLES[:] = [(template, roles, by_name)]
    return _TEMPLATE_ROLES[0][1], _TEMPLATE_ROLES[0][2]


def analyse(view: Any) -> Analysis | None:
    """None when there is nothing to evaluate against: no role, or no source of roles."""
    value = view.task.get("executionRoleArn")
    sources = _sources(view)
    template_roles, roles_by_name = _template_roles(view)
    if value is None or not (sources or template_roles):
        return None
    if isinstance(value, Unknown):
        role = template_roles.get(value.ref) if value.ref else None
        if role is None:
            return Analysis(label=value.text, unknown=value)
        analysis = Analysis(label=role.name, role=role)
    elif isinstance(value, str):
        analysis = Analysis(label=role_name(value))
        name = role_name(value)
        role = roles_by_name.get(name)
        for source in sources:
            if role is not None:
                break
            role = source.find(value)
            if role is None:
                reason = getattr(source, "errors", {}).get(name)
                if reason:
                    analysis.not_read_from.append(f"{source.description} ({reason})")
                else:
                    analysis.not_found_in.append(source.description)
        if role is None:
            return analysis
        analysis.role = role
    else:
        return None
    _evaluate(view, analysis, value)
    return analysis


def _evaluate(view: Any, analysis: Analysis, value: Any) -> None:
    role = analysis.role
    assert role is not None
    context = getattr(view, "context", None)
    role_arn = value if isinstance(value, str) and value.startswith("arn:") else role.arn
    where = task_location(view.task, getattr(context, "region", None), role_arn)
    analysis.needs = execution_role_needs(view.task, where, view.is_fargate)
    for need in analysis.needs.needs:
        decision = evaluate(role.policies, Request(need.action, need.resource, need.any_account))
        if role.unknown_policies and decision.verdict in (Verdict.NOT_ALLOWED, Verdict.CONDITIONAL):
            decision = Decision(Verdict.UNKNOWN, [f"policy {p}" for p in role.unknown_policies])
        analysis.outcomes.append(Outcome(need, decision))
