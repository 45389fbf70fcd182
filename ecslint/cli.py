"""The command line: ``ecslint check``, ``ecslint rules``, ``ecslint rule ID``.

Only typer is imported at start-up; every command imports what it needs when it
runs, so ``ecslint --version`` and a one-file check stay fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, NoReturn, Optional

import typer

from ecslint import __version__

app = typer.Typer(
    name="ecslint",
    help="Lint Amazon ECS task definitions before they reach AWS.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutputFormat(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"


class InputFormat(str, Enum):
    auto = "auto"
    taskdef = "taskdef"
    describe = "describe"
    cloudformation = "cloudformation"
    terraform_plan = "terraform-plan"
    terraform = "terraform"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def fail(message: str) -> NoReturn:
    """A usage or configuration error: one line on stderr, exit 2."""
    typer.echo(f"ecslint: error: {message}", err=True)
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ecslint {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        Optional[bool],  # noqa: UP045 - typer needs Optional on Python 3.10
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Lint Amazon ECS task definitions before they reach AWS."""


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(help="Task definition files or directories; - reads stdin."),
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Lowest severity that makes the exit code 1.")
    ] = FailOn.warning,
    select: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--select", help="Run only these rules (ids, prefixes or slugs)."),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--ignore", help="Do not run these rules (ids, prefixes or slugs)."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print findings only: no notes, no summary.")
    ] = False,
    iam: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--iam",
            metavar="FILE",
            help="Evaluate execution roles against this 'aws iam "
            "get-account-authorization-details' JSON.",
        ),
    ] = None,
    aws: Annotated[
        bool,
        typer.Option("--aws", help="Evaluate execution roles read from the AWS account (boto3)."),
    ] = False,
    region: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--region", help="The AWS Region the task definitions run in."),
    ] = None,
    input_format: Annotated[
        InputFormat,
        typer.Option(
            "--input-format",
            help="What the files hold; auto detects it from each file's content.",
        ),
    ] = InputFormat.auto,
) -> None:
    """Lint task definition files."""
    from ecslint.catalog import CatalogError, load_builtin_catalog
    from ecslint.engine import Linter
    from ecslint.paths import expand
    from ecslint.report import RunResult, get_renderer
    from ecslint.report.concise import one_line
    from ecslint.selection import SelectionError, choose_rules

    try:
        catalog = load_builtin_catalog()
        enabled = choose_rules(catalog, _split(select), _split(ignore))
        linter = Linter(
            catalog, enabled, input_format.value, context=_run_context(iam, aws, region)
        )
    except (CatalogError, SelectionError) as exc:
        fail(str(exc))

    run = RunResult()
    unreadable = False
    empty_dirs: list[str] = []
    for path in expand(paths, empty_dirs):
        report = linter.lint_path(path)
        run.files.append(report)
        unreadable |= any(
            f.rule == "ECS004" and f.message.startswith("cannot read") for f in report.findings
        )
        if report.skipped and not quiet:
            typer.echo(f"note: {one_line(report.path)}: skipped: {report.skipped}", err=True)
    for directory in empty_dirs:
        typer.echo(f"note: {one_line(directory)}: no .json, .yaml or .yml files in it", err=True)
    if not run.files:
        fail("no task definition files to lint in the paths given")

    renderer = get_renderer(output_format.value)
    color = output_format is OutputFormat.text and _use_color()
    if quiet and output_format is OutputFormat.text:
        renderer = get_renderer("concise")
    renderer(run, sys.stdout, color)

    for error in linter.internal_errors:
        typer.echo(
            f"ecslint: internal error: {error.path}: rule {error.rule}: {error.error}", err=True
        )
    if linter.internal_errors or unreadable:
        raise typer.Exit(2)
    raise typer.Exit(exit_code(run, fail_on))


def _run_context(iam: list[str] | None, aws: bool, region: str | None) -> object | None:
    """Sources of roles for the execution-role rules; None (and no import) without options."""
    if not (iam or aws or region):
        return None
    from ecslint.iam.sources import SourceError, build_context

    try:
        return build_context(iam, aws, region)
    except SourceError as exc:
        fail(str(exc))


def exit_code(run: object, fail_on: FailOn) -> int:
    from ecslint.model import Severity
    from ecslint.report import RunResult

    assert isinstance(run, RunResult)
    if fail_on is FailOn.never:
        return 0
    threshold = Severity.parse(fail_on.value)
    return int(any(f.severity >= threshold for f in run.active_findings()))


def _use_color() -> bool:
    import os

    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@app.command("rules")
def list_rules() -> None:
    """List every rule: id, slug, default severity and summary."""
    from ecslint.catalog import load_builtin_catalog

    catalog = load_builtin_catalog()
    width = max((len(rule.name) for rule in catalog), default=10)
    for rule in catalog:
        typer.echo(f"{rule.id}  {rule.name:<{width}}  {rule.severity.label:<7}  {rule.summary}")


@app.command("rule")
def show_rule(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id or slug.")],
) -> None:
    """Print a rule's documentation."""
    from ecslint.catalog import load_builtin_catalog
    from ecslint.ruledoc import render_markdown

    catalog = load_builtin_catalog()
    rule = catalog.get(rule_id)
    if rule is None:
        fail(f"unknown rule {rule_id!r} (see 'ecslint rules')")
    typer.echo(render_markdown(rule))


def _register_commands() -> None:
    from ecslint import scan

    scan.register(app)


_register_commands()


def main() -> None:
    """Console entry point; never lets a traceback reach the user."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("ecslint: interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence: exit 2 with one line
        typer.echo(f"ecslint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
