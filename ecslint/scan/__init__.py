"""``ecslint scan --aws``: lint the task definitions registered in an AWS account.

Only the command's options are defined here, so the CLI stays fast to start; the
work is in :mod:`ecslint.scan.account`, imported when the command runs.
"""

from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    """Add the ``scan`` command to the CLI."""
    from ecslint.cli import FormatOption, IgnoreOption, SelectOption
    from ecslint.options import FailOn, OutputFormat

    @app.command("scan")
    def scan(
        aws: Annotated[
            bool, typer.Option("--aws", help="Scan the account the AWS credentials point at.")
        ] = False,
        region: Annotated[
            Optional[str],  # noqa: UP045 - typer needs Optional on Python 3.10
            typer.Option("--region", help="The Region to scan (default: the AWS config's)."),
        ] = None,
        family_prefix: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option("--family-prefix", help="Only families whose name starts with this."),
        ] = None,
        all_revisions: Annotated[
            bool, typer.Option("--all-revisions", help="Every ACTIVE revision, not the latest.")
        ] = False,
        output_format: FormatOption = OutputFormat.text,
        fail_on: Annotated[
            FailOn, typer.Option("--fail-on", help="Lowest severity that makes the exit code 1.")
        ] = FailOn.warning,
        select: SelectOption = None,
        ignore: IgnoreOption = None,
        iam: Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Option("--iam", metavar="FILE", help="Also look roles up in this file first."),
        ] = None,
        workers: Annotated[
            int, typer.Option("--workers", min=1, max=32, help="Concurrent describe calls.")
        ] = 8,
    ) -> None:
        """Lint the task definitions registered in an AWS account (read-only)."""
        from ecslint.cli import fail

        if not aws:
            fail("scan needs --aws (the only source it scans so far)")
        from ecslint.scan.account import run_scan

        raise typer.Exit(
            run_scan(
                region,
                family_prefix,
                all_revisions,
                output_format.value,
                fail_on,
                select,
                ignore,
                iam,
                workers,
            )
        )
