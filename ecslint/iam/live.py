"""Roles read from the AWS account the credentials point at (``--aws``; read-only calls).

boto3 is an optional extra (``pip install 'ecslint[aws]'``) and is imported only here,
only when ``--aws`` is used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from ecslint.iam.evaluate import Policy
from ecslint.iam.roles import RoleInfo, aws_managed_policy, load_document, role_name
from ecslint.sources.awscall import (
    DEFAULT_TIMEOUT,
    AwsCallFailed,
    Deadline,
    aws_call,
    client_config,
)


class AwsUnavailable(Exception):
    """boto3 is not installed, or no session can be made; the message says what to do."""


def make_session(region: str | None) -> Any:
    try:
        import boto3
    except ImportError:
        raise AwsUnavailable(
            "--aws needs boto3: pip install boto3 (or install ecslint with its aws extra)"
        ) from None
    return boto3.session.Session(region_name=region)


class LiveRoles:
    """Looks roles up with get-role and their policies with the list/get calls, once each,
    every call through :func:`~ecslint.sources.awscall.aws_call`, all of one role's calls
    within one deadline of ``timeout`` seconds.

    A role the account says does not exist (NoSuchEntity) is not found (ECS242); a role
    that could not be read (no answer, access denied, throttled past the retries, an
    answer that cannot be read) is recorded in :attr:`errors` (ECS247): never "not in the
    account" when the account could not be asked.
    """

    description = "the AWS account"

    def __init__(self, session: Any, timeout: float = DEFAULT_TIMEOUT) -> None:
        # IAM is global: without a Region in the config, its endpoint is us-east-1's
        # (botocore would refuse the call: "You must specify a region").
        region = getattr(session, "region_name", None) or "us-east-1"
        self._iam = session.client("iam", region_name=region, config=client_config(timeout))
        self.timeout = timeout
        self._cache: dict[str, RoleInfo | None] = {}
        self._policies: dict[str, Any] = {}
        self._lock = threading.Lock()
        #: Roles that could not be read, and why ("iam:GetRole web: AccessDenied: ...").
        self.errors: dict[str, str] = {}
        #: Set once the account cannot be reached at all (no credentials, no connection):
        #: the later roles are not asked, each reported with this reason.
        self._unreachable: str | None = None

    def find(self, ref: str) -> RoleInfo | None:
        name = role_name(ref)
        with self._lock:
            if name not in self._cache:
                self._cache[name] = self._read(name)
            return self._cache[name]

    def _read(self, name: str) -> RoleInfo | None:
        if self._unreachable is not None:
            self.errors[name] = f"not asked: {self._unreachable}"
            return None
        try:
            return self._load(name, Deadline(self.timeout))
        except AwsCallFailed as exc:
            if exc.code == "NoSuchEntity" and exc.call.startswith("iam:GetRole "):
                return None  # the account says there is no such role
            self.errors[name] = str(exc)
            if exc.unreachable:
                self._unreachable = f"an earlier call failed ({exc})"
            return None

    def _load(self, name: str, deadline: Deadline) -> RoleInfo:
        role = self._call(partial(self._iam.get_role, RoleName=name), "GetRole", name, deadline)
        policies: list[Policy] = []
        unknown: list[str] = []
        for policy_name in self._pages("list_role_policies", "PolicyNames", name, deadline):
            got = self._call(
                partial(self._iam.get_role_policy, RoleName=name, PolicyName=policy_name),
                "GetRolePolicy",
                f"{name} {policy_name}",
                deadline,
            )
            with _answer("GetRolePolicy", f"{name} {policy_name}"):
                document = load_document(got["PolicyDocument"])
            policies.append(Policy(f"inline policy {policy_name}", document))
        for attached in self._pages(
            "list_attached_role_policies", "AttachedPolicies", name, deadline
        ):
            with _answer("ListAttachedRolePolicies", name):
                arn, policy_name = str(attached["PolicyArn"]), str(attached["PolicyName"])
            document = self._managed(arn, deadline)
            if document is not None:
                policies.append(Policy(f"managed policy {policy_name}", document))
            elif (known := aws_managed_policy(arn)) is not None:
                policies.append(known)
            else:
                unknown.append(arn)
        with _answer("GetRole", name):
            found = role["Role"]
            return RoleInfo(
                name=str(found["RoleName"]),
                arn=found.get("Arn"),
                trust=load_document(found.get("AssumeRolePolicyDocument")),
                policies=policies,
                unknown_policies=unknown,
                origin=self.description,
            )

    def _call(self, call: Callable[[], Any], action: str, what: str, deadline: Deadline) -> Any:
        return aws_call(call, f"iam:{action} {what}", deadline)

    def _pages(self, method: str, key: str, name: str, deadline: Deadline) -> Iterator[Any]:
        """The items of a Marker-paginated IAM list call, one call per page."""
        action = "".join(part.title() for part in method.split("_"))
        marker: str | None = None
        while True:
            more = {"Marker": marker} if marker else {}
            page = self._call(
                partial(getattr(self._iam, method), RoleName=name, **more), action, name, deadline
            )
            items = page.get(key) if isinstance(page, dict) else None
            if not isinstance(items, list):
                raise AwsCallFailed(f"iam:{action} {name}", f"an answer without {key}")
            yield from items
            marker = page.get("Marker") if page.get("IsTruncated") else None
            if not marker or not isinstance(marker, str):
                return

    def _managed(self, arn: str, deadline: Deadline) -> Any:
        """A managed policy's default version; None when it is gone, or when it cannot be
        read and ecslint knows it (an AWS managed policy of section 4.3)."""
        if arn not in self._policies:
            try:
                got = self._call(
                    partial(self._iam.get_policy, PolicyArn=arn), "GetPolicy", arn, deadline
                )
                with _answer("GetPolicy", arn):
                    default = str(got["Policy"]["DefaultVersionId"])
                version = self._call(
                    partial(self._iam.get_policy_version, PolicyArn=arn, VersionId=default),
                    "GetPolicyVersion",
                    arn,
                    deadline,
                )
                with _answer("GetPolicyVersion", arn):
                    self._policies[arn] = load_document(version["PolicyVersion"]["Document"])
            except AwsCallFailed as exc:
                if exc.code != "NoSuchEntity" and aws_managed_policy(arn) is None:
                    raise
                self._policies[arn] = None
        return self._policies[arn]


@contextmanager
def _answer(action: str, what: str) -> Iterator[None]:
    """Reading an answer: one without the keys and types it should have is AwsCallFailed."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise AwsCallFailed(
            f"iam:{action} {what}",
            f"an answer that cannot be read ({type(exc).__name__}: {exc})",
        ) from None
