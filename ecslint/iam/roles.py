"""A role as the rules see it, wherever it came from, and whether ECS tasks may assume it."""

from __future__ import annotations

import json
from urllib.parse import unquote

from ecslint.facts.iam import AWS_MANAGED_POLICIES, ECS_TASKS_PRINCIPALS
from ecslint.iam.evaluate import Policy, statements, wildcard_match
from ecslint.lazy_re import lazy_re
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Protocol

_ROLE_ARN = lazy_re(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(?:.*/)?([^/]+)$")
_AWS_MANAGED = lazy_re(r"^arn:aws[a-z-]*:iam::aws:policy/(.+)$")


class RoleInfo:
    __slots__ = ("arn", "name", "origin", "policies", "trust", "unknown_policies")

    def __init__(
        self,
        name: str,
        arn: str | None,
        trust: Any,
        policies: list[Policy] | None = None,
        unknown_policies: list[str] | None = None,
        origin: str = "",
    ) -> None:
        self.name = name
        self.arn = arn
        #: The trust policy (AssumeRolePolicyDocument); None when the source does not say.
        self.trust = trust
        self.policies: list[Policy] = [] if policies is None else policies
        #: Attached policies whose documents the source does not hold.
        self.unknown_policies: list[str] = [] if unknown_policies is None else unknown_policies
        #: Where the role came from, for messages ("the --iam file", "the template").
        self.origin = origin

    def __repr__(self) -> str:
        return f"RoleInfo({self.name!r}, {self.arn!r}, origin={self.origin!r})"


if TYPE_CHECKING:  # a type for mypy: the sources do not inherit from it

    class RoleSource(Protocol):
        """Somewhere roles can be looked up by ARN or name."""

        description: str

        def find(self, ref: str) -> RoleInfo | None: ...


class RoleArn(Record):
    partition: str
    account: str
    name: str


def parse_role_arn(value: str) -> RoleArn | None:
    match = _ROLE_ARN.match(value)
    return RoleArn(match.group(1), match.group(2), match.group(3)) if match else None


def role_name(ref: str) -> str:
    """The role name in a role ARN, or the reference itself (a bare name)."""
    parsed = parse_role_arn(ref)
    return parsed.name if parsed else ref


def aws_managed_policy(arn: str) -> Policy | None:
    """A known AWS managed policy (section 4.3), by ARN in any partition."""
    match = _AWS_MANAGED.match(arn)
    if match is None:
        return None
    document = AWS_MANAGED_POLICIES.get(match.group(1))
    return Policy(match.group(1).rsplit("/", 1)[-1], document) if document else None


def load_document(value: Any) -> Any:
    """A policy document as IAM's API may return it: a dict, or URL-encoded JSON text."""
    if isinstance(value, str):
        for text in (value, unquote(value)):
            try:
                return json.loads(text)
            except ValueError:
                continue
        return None
    return value


def _principal_services(principal: Any) -> list[str] | None:
    """Service principals named, or None for ``"*"`` (anyone)."""
    if principal == "*":
        return None
    if isinstance(principal, dict):
        if principal.get("AWS") == "*":
            return None
        service = principal.get("Service")
        if isinstance(service, str):
            return [service]
        if isinstance(service, list):
            return [item for item in service if isinstance(item, str)]
    return []


def _assume_action(statement: dict[str, Any]) -> bool:
    actions = statement.get("Action")
    items = actions if isinstance(actions, list) else [actions]
    return any(
        isinstance(a, str) and wildcard_match(a, "sts:AssumeRole", ignore_case=True) for a in items
    )


def _has_intrinsic(value: Any) -> bool:
    """A CloudFormation function (``{"Fn::Sub": ...}``, ``{"Ref": ...}``) anywhere in value."""
    if isinstance(value, dict):
        if any(isinstance(k, str) and (k == "Ref" or k.startswith("Fn::")) for k in value):
            return True
        return any(_has_intrinsic(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_intrinsic(v) for v in value)
    return False


def ecs_tasks_can_assume(trust: Any) -> bool | None:
    """Whether the trust policy lets ``ecs-tasks.amazonaws.com`` call sts:AssumeRole.

    None when that cannot be read offline (no statements, or intrinsic functions in
    them). Conditions are ignored on Allow: the recommended ones (aws:SourceAccount,
    aws:SourceArn) hold for the account's own tasks.
    """
    if not statements(trust) or _has_intrinsic(statements(trust)):
        return None
    allowed = False
    for statement in statements(trust):
        if not isinstance(statement, dict) or not _assume_action(statement):
            continue
        services = _principal_services(statement.get("Principal"))
        names = services is None or bool(ECS_TASKS_PRINCIPALS.intersection(services or []))
        if not names:
            continue
        if statement.get("Effect") == "Deny" and not statement.get("Condition"):
            return False
        if statement.get("Effect") == "Allow":
            allowed = True
    return allowed
