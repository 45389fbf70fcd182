"""The task definitions registered in an AWS account: the source of ``ecslint scan --aws``.

:class:`Account` makes every AWS call of a scan (list, describe), in one place.
:func:`scan_account` yields each task definition as describe-task-definition returns
it, tags included (at the top level, where registered task definitions carry them), as
a :class:`~ecslint.load.Source` named ``aws://ecs/<region>/<family>:<revision>``; one
that cannot be described is :class:`~ecslint.sources.base.NotRead` (ECS246), so it is never
counted as clean. Describe calls run concurrently with a bound; every call goes through
:func:`ecslint.sources.awscall.aws_call` (a deadline per family and per list page,
bounded retries with backoff). boto3 is imported only when a scan runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from typing import Any

from ecslint.load.source import Source
from ecslint.sources.awscall import (
    DEFAULT_TIMEOUT,
    AwsCallFailed,
    Deadline,
    aws_call,
    client_config,
    in_order,
)
from ecslint.sources.base import NotRead, SourceError

NOT_DESCRIBED = "ECS246"


class Account:
    """The ECS API of one Region of the account: the only AWS calls a scan makes, each
    through :func:`~ecslint.sources.awscall.aws_call` with a deadline of ``timeout`` s."""

    def __init__(self, session: Any, region: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.session = session
        self.region = region
        self.timeout = timeout
        self._ecs = session.client("ecs", region_name=region, config=client_config(timeout))

    def list_keys(self, family_prefix: str | None, all_revisions: bool) -> list[str]:
        """Family names (the latest ACTIVE revision of each) or, with all revisions, ARNs.
        Each page is one call with its own deadline."""
        prefix = {"familyPrefix": family_prefix} if family_prefix else {}
        if all_revisions:
            call, key, what = (
                self._ecs.list_task_definitions,
                "taskDefinitionArns",
                "ListTaskDefinitions",
            )
        else:
            call, key, what = (
                self._ecs.list_task_definition_families,
                "families",
                "ListTaskDefinitionFamilies",
            )
        found: list[str] = []
        token: str | None = None
        while True:
            more = {"nextToken": token} if token else {}
            page = aws_call(
                partial(call, status="ACTIVE", **prefix, **more),
                f"ecs:{what}",
                Deadline(self.timeout),
            )
            items = page.get(key) if isinstance(page, dict) else None
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                raise AwsCallFailed(f"ecs:{what}", f"an answer without a list of {key}")
            found.extend(items)
            token = page.get("nextToken")
            if not token or not isinstance(token, str):
                return found

    def describe(self, key: str) -> dict[str, Any]:
        """describe-task-definition of a family or ARN, with its tags."""
        response: dict[str, Any] = aws_call(
            lambda: self._ecs.describe_task_definition(taskDefinition=key, include=["TAGS"]),
            f"ecs:DescribeTaskDefinition {key}",
            Deadline(self.timeout),
        )
        if isinstance(response, dict):
            response.pop("ResponseMetadata", None)
        return response


def open_account(region: str | None, timeout: float = DEFAULT_TIMEOUT) -> Account:
    """The account the AWS credentials point at, in ``region`` or the AWS config's."""
    from ecslint.iam.live import AwsUnavailable, make_session

    try:
        session = make_session(region)
    except AwsUnavailable as exc:
        raise SourceError(str(exc)) from None
    region = region or session.region_name
    if not region:
        raise SourceError("no AWS Region: pass --region or set AWS_REGION")
    return Account(session, region, timeout)


def scan_account(
    account: Account, family_prefix: str | None, all_revisions: bool, workers: int
) -> Iterator[Source | NotRead]:
    """Each listed task definition, described, in the order listed. The listing happens
    here, before any report starts (SourceError when it fails); the describing as the
    run reads the iterator."""
    try:
        keys = account.list_keys(family_prefix, all_revisions)
    except AwsCallFailed as exc:
        raise SourceError(f"cannot list task definitions in {account.region}: {exc}") from None
    return _describe_all(account, keys, workers)


def _describe_all(account: Account, keys: list[str], workers: int) -> Iterator[Source | NotRead]:
    """Described by ``workers`` daemon threads, yielded in the order listed."""

    def failed(key: str, exc: BaseException) -> NotRead:
        name = f"aws://ecs/{account.region}/{_family_revision(key)}"
        return _not_described(name, f"{type(exc).__name__}: {exc}")

    return in_order(partial(_described, account), keys, workers, failed, "ecslint describe")


def _described(account: Account, key: str) -> Source | NotRead:
    name = f"aws://ecs/{account.region}/{_family_revision(key)}"
    try:
        response = account.describe(key)
    except AwsCallFailed as exc:
        return _not_described(name, exc.reason)
    task = response.get("taskDefinition") if isinstance(response, dict) else None
    if not isinstance(task, dict) or not task:
        # {} , {"taskDefinition": null}: an answer without the task definition is not
        # a clean one; dropping it silently would report the family as passing
        return _not_described(name, "the answer holds no task definition")
    if isinstance(task.get("revision"), int) and isinstance(task.get("family"), str):
        name = f"aws://ecs/{account.region}/{task['family']}:{task['revision']}"
    try:
        text = json.dumps(response, indent=2, default=_json_default)
    except (TypeError, ValueError) as exc:
        return _not_described(name, f"an answer that cannot be read ({exc})")
    return Source(name, text)


def _not_described(name: str, error: str) -> NotRead:
    message = f"could not describe the task definition: {error}; it was not linted"
    return NotRead(name, NOT_DESCRIBED, message)


def _family_revision(key: str) -> str:
    """``family:revision`` from a task definition ARN, or the family name itself."""
    return key.rsplit("/", 1)[-1]


def _json_default(value: object) -> str:
    from datetime import date, datetime

    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
