"""Roles read from the AWS account the credentials point at (``--aws``; read-only calls).

boto3 is an optional extra (``pip install 'ecslint[aws]'``) and is imported only here,
only when ``--aws`` is used.
"""

from __future__ import annotations

import threading
from typing import Any

from ecslint.iam.evaluate import Policy
from ecslint.iam.roles import RoleInfo, aws_managed_policy, load_document, role_name


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


def client_config() -> Any:
    """Retries for throttling: botocore's adaptive mode (client-side rate limiting too)."""
    from botocore.config import Config

    # Timeouts, so an endpoint that never answers ends the call (there were none), and
    # fewer attempts: with ecslint's own backoff on top, a throttled family took 38 calls.
    return Config(
        retries={"max_attempts": 3, "mode": "adaptive"},
        max_pool_connections=16,
        connect_timeout=5,
        read_timeout=20,
    )


class LiveRoles:
    """Looks roles up with get-role and their policies with the list/get calls, once each."""

    description = "the AWS account"

    def __init__(self, session: Any) -> None:
        self._iam = session.client("iam", config=client_config())
        self._cache: dict[str, RoleInfo | None] = {}
        self._policies: dict[str, Any] = {}
        self._lock = threading.Lock()
        #: Why the last lookups failed (access denied, ...), for "not evaluated" messages.
        self.errors: dict[str, str] = {}

    def find(self, ref: str) -> RoleInfo | None:
        name = role_name(ref)
        with self._lock:
            if name not in self._cache:
                self._cache[name] = self._load(name)
            return self._cache[name]

    def _load(self, name: str) -> RoleInfo | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            role = self._iam.get_role(RoleName=name)["Role"]
            policies: list[Policy] = []
            unknown: list[str] = []
            for page in self._iam.get_paginator("list_role_policies").paginate(RoleName=name):
                for policy_name in page.get("PolicyNames", []):
                    got = self._iam.get_role_policy(RoleName=name, PolicyName=policy_name)
                    policies.append(
                        Policy(f"inline policy {policy_name}", load_document(got["PolicyDocument"]))
                    )
            paginator = self._iam.get_paginator("list_attached_role_policies")
            for page in paginator.paginate(RoleName=name):
                for attached in page.get("AttachedPolicies", []):
                    document = self._managed(attached["PolicyArn"])
                    if document is not None:
                        policies.append(
                            Policy(f"managed policy {attached['PolicyName']}", document)
                        )
                    elif (known := aws_managed_policy(attached["PolicyArn"])) is not None:
                        policies.append(known)
                    else:
                        unknown.append(attached["PolicyArn"])
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code != "NoSuchEntity":
                self.errors[name] = f"{code}: {exc.response.get('Error', {}).get('Message', '')}"
            return None
        except BotoCoreError as exc:
            self.errors[name] = str(exc)
            return None
        return RoleInfo(
            name=role["RoleName"],
            arn=role.get("Arn"),
            trust=load_document(role.get("AssumeRolePolicyDocument")),
            policies=policies,
            unknown_policies=unknown,
            origin=self.description,
        )

    def _managed(self, arn: str) -> Any:
        from botocore.exceptions import ClientError

        if arn not in self._policies:
            try:
                policy = self._iam.get_policy(PolicyArn=arn)["Policy"]
                version = self._iam.get_policy_version(
                    PolicyArn=arn, VersionId=policy["DefaultVersionId"]
                )["PolicyVersion"]
                self._policies[arn] = load_document(version["Document"])
            except ClientError:
                self._policies[arn] = None
        return self._policies[arn]
