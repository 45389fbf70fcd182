"""Roles from ``aws iam get-account-authorization-details`` output (the ``--iam FILE`` option)."""

from __future__ import annotations

from typing import Any

from ecslint.iam.evaluate import Policy
from ecslint.iam.roles import RoleInfo, aws_managed_policy, load_document, role_name


class AuthDetailsError(Exception):
    """The file is not authorization-details JSON; the message says why."""


class AuthorizationDetails:
    """Roles matched by ARN or by name, with their inline and attached managed policies."""

    def __init__(self, data: Any, description: str) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("RoleDetailList"), list):
            raise AuthDetailsError(
                f"{description}: not the output of 'aws iam get-account-authorization-details'"
                " (no RoleDetailList)"
            )
        self.description = description
        self._managed: dict[str, Any] = {}
        for policy in _list(data.get("Policies")):
            if isinstance(policy, dict) and isinstance(policy.get("Arn"), str):
                document = _default_version(policy)
                if document is not None:
                    self._managed[policy["Arn"]] = document
        self._by_arn: dict[str, dict[str, Any]] = {}
        self._by_name: dict[str, dict[str, Any]] = {}
        for role in data["RoleDetailList"]:
            if isinstance(role, dict) and isinstance(role.get("RoleName"), str):
                self._by_name[role["RoleName"]] = role
                if isinstance(role.get("Arn"), str):
                    self._by_arn[role["Arn"]] = role

    @classmethod
    def from_file(cls, path: str) -> AuthorizationDetails:
        from ecslint.safeio import FileError, load_json, read_text

        try:
            data = load_json(read_text(path))
        except FileError as exc:
            raise AuthDetailsError(f"{path}: cannot read: {exc.message}") from None
        except ValueError as exc:
            raise AuthDetailsError(f"{path}: not valid JSON: {exc}") from None
        return cls(data, f"the --iam file {path}")

    def find(self, ref: str) -> RoleInfo | None:
        raw = self._by_arn.get(ref) or self._by_name.get(role_name(ref))
        if raw is None:
            return None
        policies: list[Policy] = []
        unknown: list[str] = []
        for inline in _list(raw.get("RolePolicyList")):
            if isinstance(inline, dict):
                name = inline.get("PolicyName") or "inline policy"
                policies.append(
                    Policy(f"inline policy {name}", load_document(inline.get("PolicyDocument")))
                )
        for attached in _list(raw.get("AttachedManagedPolicies")):
            if not isinstance(attached, dict) or not isinstance(attached.get("PolicyArn"), str):
                continue
            arn = attached["PolicyArn"]
            if arn in self._managed:
                name = attached.get("PolicyName") or arn.rsplit("/", 1)[-1]
                policies.append(Policy(f"managed policy {name}", self._managed[arn]))
            elif (known := aws_managed_policy(arn)) is not None:
                policies.append(known)
            else:
                unknown.append(arn)
        return RoleInfo(
            name=raw["RoleName"],
            arn=raw.get("Arn") if isinstance(raw.get("Arn"), str) else None,
            trust=load_document(raw.get("AssumeRolePolicyDocument")),
            policies=policies,
            unknown_policies=unknown,
            origin=self.description,
        )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _default_version(policy: dict[str, Any]) -> Any:
    versions = _list(policy.get("PolicyVersionList"))
    default_id = policy.get("DefaultVersionId")
    for version in versions:
        if isinstance(version, dict) and (
            version.get("IsDefaultVersion") is True or version.get("VersionId") == default_id
        ):
            return load_document(version.get("Document"))
    return None
