"""The command line, in typer: ``check``, ``rules``, ``rule ID``, ``config``, ``scan``.

Every command imports what it needs when it runs, so ``ecslint --version`` stays
fast; plain ``check`` runs do not even come here (``ecslint.entry``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from ecslint import __version__
from ecslint.commands.check import UsageError, run_check
from ecslint.commands.options import CheckOptions, FailOn, InputFormat, OutputFormat

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
    options = CheckOptions(
        paths=tuple(paths),
        output_format=output_format,
        fail_on=fail_on,
        select=tuple(select or ()),
        ignore=tuple(ignore or ()),
        quiet=quiet,
        iam=tuple(iam or ()),
        aws=aws,
        region=region,
        input_format=input_format,
        config=config,
        isolated=isolated,
        output=output,
        statistics=statistics,
        show_suppressed=show_suppressed,
        baseline=baseline,
        write_baseline=write_baseline,
    )
    try:
        code = run_check(options)
    except UsageError as exc:
        fail(str(exc))
    raise typer.Exit(code)


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
    from ecslint.config.file import ConfigError
    from ecslint.config.settings import build_rules, load_settings

    try:
        return build_rules(load_settings(), load_builtin_catalog())[0]
    except ConfigError as exc:
        fail(str(exc))


@app.command("rule")
def show_rule(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id or slug.")],
) -> None:
    """Print a rule's documentation."""
    from ecslint.catalog.pages import render_markdown

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

    from ecslint.config.model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@config_app.command("show")
def config_show(
    config: ConfigOption = None,
) -> None:
    """Print the settings in effect here (the config file found, merged with defaults)."""
    import json

    from ecslint.catalog import load_builtin_catalog
    from ecslint.config.file import ConfigError
    from ecslint.config.settings import build_rules, load_settings

    try:
        settings = load_settings(config)
        _, enabled = build_rules(settings, load_builtin_catalog())
    except ConfigError as exc:
        fail(str(exc))
    shown = settings.to_dict()
    shown["enabled-rules"] = [rule.id for rule in enabled]
    typer.echo(json.dumps(shown, indent=2))


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
    if not aws:
        fail("scan needs --aws (the only source it scans so far)")
    from ecslint.commands.scan import run_scan

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
