"""How ``ecslint scan --aws`` lists, describes and lints an account's task definitions.

Each described task definition becomes a :class:`~ecslint.load.Source` with a
synthetic name (``aws://ecs/<region>/<family>:<revision>``) and goes through the same
engine, rules and reports as ``ecslint check``. Describe calls run concurrently with
a bound; throttling is retried by botocore (adaptive mode) and then by a backoff of
our own; a task definition that still cannot be described is reported as an ECS246
finding, so it is never counted as clean. boto3 is imported only when this runs.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import typer

NOT_DESCRIBED = "ECS246"
THROTTLING = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}
)
T = TypeVar("T")


@dataclass(frozen=True)
class Described:
    name: str
    text: str | None = None
    error: str | None = None


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


def _json_default(value: object) -> str:
    from datetime import date, datetime

    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _family_revision(key: str) -> str:
    """``family:revision`` from a task definition ARN, or the family name itself."""
    return key.rsplit("/", 1)[-1]


def list_targets(ecs: Any, family_prefix: str | None, all_revisions: bool) -> list[str]:
    """Family names (the latest ACTIVE revision of each) or, with all revisions, ARNs."""
    prefix = {"familyPrefix": family_prefix} if family_prefix else {}
    if all_revisions:
        pages = ecs.get_paginator("list_task_definitions").paginate(status="ACTIVE", **prefix)
        return [arn for page in pages for arn in page.get("taskDefinitionArns", [])]
    pages = ecs.get_paginator("list_task_definition_families").paginate(status="ACTIVE", **prefix)
    return [family for page in pages for family in page.get("families", [])]


def describe(ecs: Any, key: str, region: str) -> Described:
    from botocore.exceptions import BotoCoreError, ClientError

    name = f"aws://ecs/{region}/{_family_revision(key)}"
    try:
        response = with_backoff(
            lambda: ecs.describe_task_definition(taskDefinition=key, include=["TAGS"])
        )
    except ClientError as exc:
        error = exc.response.get("Error", {})
        return Described(name, error=f"{error.get('Code', 'Error')}: {error.get('Message', '')}")
    except BotoCoreError as exc:
        return Described(name, error=str(exc))
    response.pop("ResponseMetadata", None)
    task = response.get("taskDefinition") or {}
    if "revision" in task and "family" in task:
        name = f"aws://ecs/{region}/{task['family']}:{task['revision']}"
    return Described(name, json.dumps(response, indent=2, default=_json_default))


def _not_described(catalog: Any, described: Described) -> Any:
    from ecslint.engine import FileReport, _hash
    from ecslint.model import Finding, Span

    rule = catalog.by_id[NOT_DESCRIBED]
    finding = Finding(
        rule=rule.id,
        name=rule.name,
        severity=rule.severity,
        message=f"could not describe the task definition: {described.error}; it was not linted",
        file=described.name,
        span=Span(1, 1, 1, 1),
        path="",
        fingerprint=_hash(rule.id, described.name),
        fix=rule.fix,
    )
    return FileReport(described.name, [finding])


def run_scan(
    region: str | None,
    family_prefix: str | None,
    all_revisions: bool,
    output_format: str,
    fail_on: Any,
    select: list[str] | None,
    ignore: list[str] | None,
    iam: list[str] | None,
    workers: int,
) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from ecslint.catalog import CatalogError, load_builtin_catalog
    from ecslint.cli import fail
    from ecslint.commands.check import exit_code, fail_threshold, split_list, use_color
    from ecslint.config.selection import SelectionError, choose_rules
    from ecslint.engine import Linter
    from ecslint.iam.live import AwsUnavailable, client_config, make_session
    from ecslint.iam.sources import SourceError, build_context
    from ecslint.load import Source
    from ecslint.report import RunResult, get_renderer

    try:
        session = make_session(region)
        region = region or session.region_name
        if not region:
            fail("no AWS Region: pass --region or set AWS_REGION")
        catalog = load_builtin_catalog()
        enabled = choose_rules(catalog, split_list(select), split_list(ignore))
        context = build_context(iam, True, region, session)
    except (AwsUnavailable, CatalogError, SelectionError, SourceError) as exc:
        fail(str(exc))
    ecs = session.client("ecs", region_name=region, config=client_config())
    try:
        keys = list_targets(ecs, family_prefix, all_revisions)
    except (ClientError, BotoCoreError) as exc:
        fail(f"cannot list task definitions in {region}: {exc}")

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        described = list(pool.map(lambda key: describe(ecs, key, region), keys))

    linter = Linter(catalog, enabled, context=context)
    run = RunResult()
    run.fail_on = fail_threshold(fail_on)
    for item in described:
        if item.text is None:
            run.reports.append(_not_described(catalog, item))
        else:
            run.reports.append(linter.lint_source(Source(item.name, item.text)))
    color = output_format == "text" and use_color()
    get_renderer(output_format)(run, sys.stdout, color)
    for error in linter.internal_errors:
        typer.echo(
            f"ecslint: internal error: {error.path}: rule {error.rule}: {error.error}", err=True
        )
    if linter.internal_errors:
        return 2
    return exit_code(run, fail_on)
