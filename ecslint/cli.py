"""The command line: ``ecslint check``, ``ecslint rules``, ``ecslint rule ID``.

Only typer is imported at start-up; every command imports what it needs when it
runs, so ``ecslint --version`` and a one-file check stay fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from ecslint import __version__

if TYPE_CHECKING:
    from ecslint.catalog import Catalog

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
    sarif = "sarif"
    github = "github"
    junit = "junit"
    gitlab = "gitlab"


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


# Options that more than one command takes (``check``, ``scan``, ``config show``).
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
SelectOption = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs Optional on Python 3.10
    typer.Option("--select", help="Run only these rules (ids, prefixes or slugs)."),
]
IgnoreOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--ignore", help="Do not run these rules (ids, prefixes or slugs)."),
]
ConfigOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--config", help="Read settings from this file instead of searching."),
]


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
    output_format: FormatOption = OutputFormat.text,
    fail_on: Annotated[
        Optional[FailOn],  # noqa: UP045
        typer.Option(
            "--fail-on", help="Lowest severity that makes the exit code 1 [default: warning]."
        ),
    ] = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
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
    config: ConfigOption = None,
    isolated: Annotated[
        bool, typer.Option("--isolated", help="Ignore every configuration file.")
    ] = False,
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--output", "-o", help="Write the --format report to FILE; print text to stdout."
        ),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print how many findings each rule has.")
    ] = False,
    show_suppressed: Annotated[
        bool, typer.Option("--show-suppressed", help="Also show suppressed findings.")
    ] = False,
    baseline: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--baseline", help="Report only findings that are not in this baseline."),
    ] = None,
    write_baseline: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--write-baseline", help="Record today's findings in FILE; exit 0."),
    ] = None,
) -> None:
    """Lint task definition files."""
    from pathlib import Path

    from ecslint.baseline import BaselineError, read_baseline
    from ecslint.catalog import CatalogError, load_builtin_catalog
    from ecslint.configfile import ConfigError
    from ecslint.engine import Linter
    from ecslint.filtering import Filter
    from ecslint.paths import expand
    from ecslint.report import RunResult
    from ecslint.report.concise import one_line
    from ecslint.selection import SelectionError
    from ecslint.settings import build_rules, load_settings

    try:
        settings = load_settings(config, isolated)
        catalog, enabled = build_rules(
            settings, load_builtin_catalog(), _split(select), _split(ignore)
        )
        linter = Linter(
            catalog, enabled, input_format.value, context=_run_context(iam, aws, region)
        )
        baseline_path = Path(baseline) if baseline else settings.baseline
        if write_baseline and baseline_path and not baseline_path.exists():
            baseline_path = None  # about to be written for the first time
        known = read_baseline(baseline_path) if baseline_path else None
    except (CatalogError, SelectionError, ConfigError, BaselineError) as exc:
        fail(str(exc))
    stage = Filter(settings, linter, known)

    run = RunResult(catalog=catalog, show_suppressed=show_suppressed)
    unreadable = False
    empty_dirs: list[str] = []
    excluded = 0
    for path in expand(paths, empty_dirs):
        if settings.exclude and settings.excluded(path):
            excluded += 1
            continue
        report = linter.lint_path(path)
        stage.apply(report)
        run.files.append(report)
        unreadable |= any(
            f.rule == "ECS004" and f.message.startswith("cannot read") for f in report.findings
        )
        if report.skipped and not quiet:
            typer.echo(f"note: {one_line(report.path)}: skipped: {report.skipped}", err=True)
    for directory in empty_dirs:
        typer.echo(f"note: {one_line(directory)}: no .json, .yaml or .yml files in it", err=True)
    if not run.files:
        if excluded:
            if not quiet:
                typer.echo(f"note: all {excluded} file(s) are excluded by the config", err=True)
            raise typer.Exit(0)
        fail("no task definition files to lint in the paths given")
    if known is not None:
        run.baseline_stale = known.stale({report.path for report in run.files})
    notes = stage.notes(run.baseline_stale)
    _report(run, output_format, output, quiet, statistics)

    for note in notes if not quiet else []:
        typer.echo(f"note: {note}", err=True)
    for error in linter.internal_errors:
        typer.echo(
            f"ecslint: internal error: {error.path}: rule {error.rule}: {error.error}", err=True
        )
    if linter.internal_errors or unreadable:
        raise typer.Exit(2)
    if write_baseline:
        _write_baseline(Path(write_baseline), run, quiet)
        raise typer.Exit(0)
    raise typer.Exit(exit_code(run, fail_on or FailOn(settings.fail_on)))


def _report(
    run: object, output_format: OutputFormat, output: str | None, quiet: bool, statistics: bool
) -> None:
    """The chosen format to stdout, or to ``output`` with text on stdout; or statistics."""
    from ecslint.report import RunResult, get_renderer

    assert isinstance(run, RunResult)
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as stream:
                get_renderer(output_format.value)(run, stream, False)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
        output_format = OutputFormat.text
    textual = output_format in (OutputFormat.text, OutputFormat.concise)
    if statistics:
        from ecslint.report.statistics import render as render_statistics

        render_statistics(run, sys.stdout if textual or output else sys.stderr, False)
        if textual or output:
            return
    renderer = get_renderer(output_format.value)
    color = output_format is OutputFormat.text and _use_color()
    if quiet and output_format is OutputFormat.text:
        renderer = get_renderer("concise")
    renderer(run, sys.stdout, color)


def _write_baseline(path: object, run: object, quiet: bool) -> None:
    from pathlib import Path

    from ecslint.baseline import write_baseline
    from ecslint.engine import ALWAYS_REPORTED
    from ecslint.report import RunResult

    assert isinstance(path, Path) and isinstance(run, RunResult)
    findings = [
        f
        for f in run.findings
        if f.rule not in ALWAYS_REPORTED
        and (f.suppressed is None or f.extra.get("suppressed_by") == "baseline")
    ]
    try:
        count = write_baseline(path, findings)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    if not quiet:
        typer.echo(f"note: wrote {count} finding(s) to the baseline {path}", err=True)


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
    catalog = _configured_catalog()
    width = max((len(rule.name) for rule in catalog), default=10)
    for rule in catalog:
        typer.echo(f"{rule.id}  {rule.name:<{width}}  {rule.severity.label:<7}  {rule.summary}")


def _configured_catalog() -> Catalog:
    """The built-in rules plus the config's custom rules, with its overrides."""
    from ecslint.catalog import load_builtin_catalog
    from ecslint.configfile import ConfigError
    from ecslint.settings import build_rules, load_settings

    try:
        return build_rules(load_settings(), load_builtin_catalog())[0]
    except ConfigError as exc:
        fail(str(exc))


@app.command("rule")
def show_rule(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id or slug.")],
) -> None:
    """Print a rule's documentation."""
    from ecslint.ruledoc import render_markdown

    catalog = _configured_catalog()
    rule = catalog.get(rule_id)
    if rule is None:
        fail(f"unknown rule {rule_id!r} (see 'ecslint rules')")
    typer.echo(render_markdown(rule))


config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("schema")
def config_schema() -> None:
    """Print the JSON Schema of the configuration file."""
    import json

    from ecslint.config import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@config_app.command("show")
def config_show(
    config: ConfigOption = None,
) -> None:
    """Print the settings in effect here (the config file found, merged with defaults)."""
    import json

    from ecslint.catalog import load_builtin_catalog
    from ecslint.configfile import ConfigError
    from ecslint.settings import build_rules, load_settings

    try:
        settings = load_settings(config)
        _, enabled = build_rules(settings, load_builtin_catalog())
    except ConfigError as exc:
        fail(str(exc))
    shown = settings.to_dict()
    shown["enabled-rules"] = [rule.id for rule in enabled]
    typer.echo(json.dumps(shown, indent=2))


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
