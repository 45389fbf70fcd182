"""Roles defined in the same CloudFormation template as the task definition.

Reads ``AWS::IAM::Role`` resources (trust policy, inline ``Policies``,
``ManagedPolicyArns``), plus ``AWS::IAM::Policy`` and ``AWS::IAM::ManagedPolicy``
resources that attach to a role through ``Roles: [!Ref Role]``. Intrinsic
functions in policy documents are left as they are: the evaluator calls such a
statement unresolved rather than guess what it becomes.
"""

from __future__ import annotations

from ecslint.iam.evaluate import Policy
from ecslint.iam.roles import RoleInfo, aws_managed_policy
from ecslint.lazy_re import lazy_re

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

_SUB_AWS_MANAGED = lazy_re(r"^arn:(?:\$\{AWS::Partition\}|aws[a-z-]*):iam::aws:policy/(.+)$")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return {}
    return {
        key: value
        for key, value in resources.items()
        if isinstance(key, str) and isinstance(value, dict)
    }


def _ref(value: Any) -> str | None:
    """The logical id in ``{"Ref": id}`` or ``{"Fn::GetAtt": [id, ...]}``."""
    if isinstance(value, dict) and len(value) == 1:
        if isinstance(value.get("Ref"), str):
            return str(value["Ref"])
        target = value.get("Fn::GetAtt")
        if isinstance(target, list) and target and isinstance(target[0], str):
            return target[0]
        if isinstance(target, str):
            return target.split(".", 1)[0]
    return None


def _managed_arn_text(value: Any) -> str | None:
    """An AWS managed policy ARN as written: a string, or ``Fn::Sub``/``Fn::Join`` of one."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        sub = value.get("Fn::Sub")
        if isinstance(sub, str):
            return sub
        join = value.get("Fn::Join")
        if (
            isinstance(join, list)
            and len(join) == 2
            and join[0] == ""
            and isinstance(join[1], list)
        ):
            parts = []
            for part in join[1]:
                if isinstance(part, str):
                    parts.append(part)
                elif part == {"Ref": "AWS::Partition"}:
                    parts.append("${AWS::Partition}")
                else:
                    return None
            return "".join(parts)
    return None


def roles_from_cloudformation(template: dict[str, Any]) -> dict[str, RoleInfo]:
    """Every ``AWS::IAM::Role`` of the template by logical id, with the policies it gets."""
    resources = _resources(template)
    roles: dict[str, RoleInfo] = {}
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::IAM::Role":
            continue
        props = resource.get("Properties")
        props = props if isinstance(props, dict) else {}
        name = props.get("RoleName")
        role = RoleInfo(
            name=name if isinstance(name, str) else logical_id,
            arn=None,
            trust=props.get("AssumeRolePolicyDocument"),
            origin="the CloudFormation template",
        )
        for inline in _list(props.get("Policies")):
            if isinstance(inline, dict):
                label = inline.get("PolicyName")
                label = label if isinstance(label, str) else "inline policy"
                role.policies.append(Policy(f"inline policy {label}", inline.get("PolicyDocument")))
        for arn in _list(props.get("ManagedPolicyArns")):
            _attach_managed(role, arn, resources)
        roles[logical_id] = role
    for logical_id, resource in resources.items():
        kind = resource.get("Type")
        if kind not in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            continue
        props = resource.get("Properties")
        if not isinstance(props, dict):
            continue
        for target in _list(props.get("Roles")):
            ref = _ref(target)
            if ref in roles:
                roles[ref].policies.append(
                    Policy(f"{kind} {logical_id}", props.get("PolicyDocument"))
                )
    return roles


def _attach_managed(role: RoleInfo, value: Any, resources: dict[str, dict[str, Any]]) -> None:
    ref = _ref(value)
    if ref is not None and resources.get(ref, {}).get("Type") == "AWS::IAM::ManagedPolicy":
        props = resources[ref].get("Properties")
        if isinstance(props, dict):
            # Attached through Roles as well: added there, not twice.
            if not any(_ref(r) is not None for r in _list(props.get("Roles"))):
                role.policies.append(
                    Policy(f"AWS::IAM::ManagedPolicy {ref}", props.get("PolicyDocument"))
                )
            return
    text = _managed_arn_text(value)
    match = _SUB_AWS_MANAGED.match(text) if text else None
    if match is not None:
        known = aws_managed_policy(f"arn:aws:iam::aws:policy/{match.group(1)}")
        if known is not None:
            role.policies.append(known)
            return
    role.unknown_policies.append(text or repr(value))
