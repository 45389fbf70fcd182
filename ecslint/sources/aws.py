"""The task definitions registered in an AWS account: the source of ``ecslint scan --aws``.

:class:`Account` makes every AWS call of a scan (list, describe), in one place.
:func:`scan_account` yields each task definition as describe-task-definition returns
it, tags included (at the top level, where registered task definitions carry them), as
a :class:`~ecslint.load.Source` named ``aws://ecs/<region>/<family>:<revision>``; one
that cannot be described is :class:`~ecslint.sources.base.NotRead` (ECS246), so it is never
counted as clean. Describe calls run concurrently with a bound; throttling is retried
by botocore (adaptive mode) and then by a backoff of our own. boto3 is imported only
when a scan runs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ecslint.load.source import Source
from ecslint.sources.base import NotRead, SourceError

NOT_DESCRIBED = "ECS246"
THROTTLING = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}
)
T = TypeVar("T")


def with_backoff(
    call: Callable[[], T],
    attempts: int = 4,
    base: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call again after a jittered exponential pause while AWS says it is throttling."""
    import random

    from botocore.exceptions import ClientError

    for attempt in range(attempts):
        try:
            return call()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code not in THROTTLING or attempt == attempts - 1:
                raise
            sleep(base * (2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


class Account:
    """The ECS API of one Region of the account: the only AWS calls a scan makes."""

    def __init__(self, session: Any, region: str) -> None:
        from ecslint.iam.live import client_config

        self.session = session
        self.region = region
        self._ecs = session.client("ecs", region_name=region, config=client_config())

    def list_keys(self, family_prefix: str | None, all_revisions: bool) -> list[str]:
        """Family names (the latest ACTIVE revision of each) or, with all revisions, ARNs."""
        prefix = {"familyPrefix": family_prefix} if family_prefix else {}
        if all_revisions:
            pages = self._ecs.get_paginator("list_task_definitions").paginate(
                status="ACTIVE", **prefix
            )
            return [arn for page in pages for arn in page.get("taskDefinitionArns", [])]
        pages = self._ecs.get_paginator("list_task_definition_families").paginate(
            status="ACTIVE", **prefix
        )
        return [family for page in pages for family in page.get("families", [])]

    def describe(self, key: str) -> dict[str, Any]:
        """describe-task-definition of a family or ARN, with its tags."""
        response: dict[str, Any] = with_backoff(
            lambda: self._ecs.describe_task_definition(taskDefinition=key, include=["TAGS"])
        )
        response.pop("ResponseMetadata", None)
        return response


def open_account(region: str | None) -> Account:
    """The account the AWS credentials point at, in ``region`` or the AWS config's."""
    from ecslint.iam.live import AwsUnavailable, make_session

    try:
        session = make_session(region)
    except AwsUnavailable as exc:
        raise SourceError(str(exc)) from None
    region = region or session.region_name
    if not region:
        raise SourceError("no AWS Region: pass --region or set AWS_REGION")
    return Account(session, region)


def scan_account(
    account: Account, family_prefix: str | None, all_revisions: bool, workers: int
) -> Iterator[Source | NotRead]:
    """Each listed task definition, described, in the order listed. The listing happens
    here, before any report starts (SourceError when it fails); the describing as the
    run reads the iterator."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        keys = account.list_keys(family_prefix, all_revisions)
    except (ClientError, BotoCoreError) as exc:
        raise SourceError(f"cannot list task definitions in {account.region}: {exc}") from None
    return _describe_all(account, keys, workers)


def _describe_all(account: Account, keys: list[str], workers: int) -> Iterator[Source | NotRead]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(lambda key: _described(account, key), keys)


def _described(account: Account, key: str) -> Source | NotRead:
    from botocore.exceptions import BotoCoreError, ClientError

    name = f"aws://ecs/{account.region}/{_family_revision(key)}"
    try:
        response = account.describe(key)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        return _not_described(name, f"{error.get('Code', 'Error')}: {error.get('Message', '')}")
    except BotoCoreError as exc:
        return _not_described(name, str(exc))
    except Exception as exc:  # a body botocore cannot parse, a connection torn down
        return _not_described(name, f"{type(exc).__name__}: {exc}")
    task = response.get("taskDefinition") if isinstance(response, dict) else None
    if not isinstance(task, dict) or not task:
        # {} , {"taskDefinition": null}: an answer without the task definition is not
        # a clean one; dropping it silently would report the family as passing
        return _not_described(name, "the answer holds no task definition")
    if "revision" in task and "family" in task:
        name = f"aws://ecs/{account.region}/{task['family']}:{task['revision']}"
    return Source(name, json.dumps(response, indent=2, default=_json_default))


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
