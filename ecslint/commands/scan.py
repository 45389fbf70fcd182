"""``ecslint scan``: the task definitions registered in an AWS account, and its services
(each with its task definition, load balancers and security groups), through ``check``.

The account is a source (``ecslint.sources.aws``) of the same run as ``check``: the
config (ignores, severities, params, per-file ignores by the ``aws://`` name), custom
rules, task-tag suppressions, the baseline, ``--fail-on`` and every format apply. It
knows nothing of command-line parsing; ``ecslint.cli`` builds its command from
:class:`ScanOptions`.
"""

# No ``from __future__ import annotations``: the parsers read ScanOptions' annotations.

from typing import NamedTuple

from ecslint.commands.check import UsageError
from ecslint.commands.options import (
    CheckOptions,
    FailOn,
    InputFormat,
    MinSeverity,
    OutputFormat,
    option,
    options,
    same_option,
)


@options()
class ScanOptions(NamedTuple):
    """The parameters of ``ecslint scan``: where to look, and ``check``'s own options."""

    aws: bool = option(False, "--aws", help="Scan the account the AWS credentials point at.")
    region: str | None = option(
        None, "--region", help="The Region to scan (default: the AWS config's)."
    )
    family_prefix: str | None = option(
        None, "--family-prefix", help="Only families whose name starts with this."
    )
    all_revisions: bool = option(
        False, "--all-revisions", help="Every ACTIVE revision, not the latest."
    )
    no_services: bool = option(
        False,
        "--no-services",
        help="Task definitions only: do not read services, load balancers and groups.",
    )
    output_format: OutputFormat = same_option(CheckOptions, "output_format")
    fail_on: FailOn | None = same_option(CheckOptions, "fail_on")
    select: tuple[str, ...] = same_option(CheckOptions, "select")
    ignore: tuple[str, ...] = same_option(CheckOptions, "ignore")
    iam: tuple[str, ...] = same_option(CheckOptions, "iam")
    workers: int = option(8, "--workers", min=1, max=32, help="Concurrent describe calls.")
    aws_timeout: int = same_option(CheckOptions, "aws_timeout")
    config: str | None = same_option(CheckOptions, "config")
    isolated: bool = same_option(CheckOptions, "isolated")
    output: str | None = same_option(CheckOptions, "output")
    quiet: bool = same_option(CheckOptions, "quiet")
    statistics: bool = same_option(CheckOptions, "statistics")
    show_suppressed: bool = same_option(CheckOptions, "show_suppressed")
    baseline: str | None = same_option(CheckOptions, "baseline")
    write_baseline: str | None = same_option(CheckOptions, "write_baseline")
    min_severity: MinSeverity | None = same_option(CheckOptions, "min_severity")


def run_scan(scan: ScanOptions) -> int:
    """Lint the account's task definitions as ``check`` lints files; the exit code."""
    if not scan.aws:
        raise UsageError("scan needs --aws (the only source it scans so far)")
    from ecslint.commands.check import run_check
    from ecslint.sources.aws import open_account, scan_account
    from ecslint.sources.base import SourceError

    try:
        account = open_account(scan.region, scan.aws_timeout)
        shared = {
            name: getattr(scan, name) for name in CheckOptions._fields if name in scan._fields
        }
        shared.update(aws=True, region=account.region, input_format=InputFormat.describe)
        check = CheckOptions((), **shared)
        source = scan_account(account, scan.family_prefix, scan.all_revisions, scan.workers)
        if not scan.no_services:  # then each service, with what it links to
            from ecslint.sources.aws_services import with_services

            source = with_services(account, source, scan.family_prefix, scan.workers)
        return run_check(check, source, session=account.session)
    except SourceError as exc:  # the account cannot be listed: nothing was printed yet
        raise UsageError(str(exc)) from None
