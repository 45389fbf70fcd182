"""The command line, in typer: ``check``, ``rules``, ``rule ID``, ``config``, ``scan``.

Every command imports what it needs when it runs, so ``ecslint --version`` stays
fast; plain ``check`` runs do not even come here (``ecslint.entry``).
"""

from __future__ import annotations

import inspect
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional, TypeVar

import typer

from ecslint import __version__
from ecslint.commands.check import UsageError, run_check
from ecslint.commands.options import CheckOptions, OutputFormat, option_specs
from ecslint.commands.scan import ScanOptions, run_scan

if TYPE_CHECKING:
    from ecslint.catalog import Catalog

T = TypeVar("T", bound=tuple[object, ...])

app = typer.Typer(
    name="ecslint",
    help="Lint Amazon ECS task definitions before they reach AWS.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
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


def typer_parameters(fields: type[tuple[object, ...]]) -> inspect.Signature:
    """A signature that typer reads as the argument and options a NamedTuple declares."""
    argument, specs = option_specs(fields)
    parameters = []
    if argument is not None:
        help_ = typer.Argument(help=argument.help)
        parameters.append(
            inspect.Parameter(
                argument.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=Annotated[list[str], help_],
            )
        )
    for spec in specs:
        value_type: Any = spec.value_type
        if spec.kind == "list":
            value_type = Optional[list[value_type]]  # noqa: UP045 - typer needs Optional on 3.10
        elif spec.optional:
            value_type = Optional[value_type]  # noqa: UP045
        face = typer.Option(
            *spec.flags, help=spec.help, metavar=spec.metavar, min=spec.min, max=spec.max
        )
        parameters.append(
            inspect.Parameter(
                spec.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=Annotated[value_type, face],
                default=None if spec.kind == "list" else spec.default,
            )
        )
    return inspect.Signature(parameters)


def read_options(fields: type[T], values: dict[str, Any]) -> T:
    """The NamedTuple of options from what typer parsed: lists (None when unused) as tuples."""
    lists = {spec.name for spec in option_specs(fields)[1] if spec.kind == "list"}
    for name, value in values.items():
        if name in lists or isinstance(value, list):
            values[name] = tuple(value or ())
    return fields(**values)


def check(**values: Any) -> None:
    """Lint task definition files."""
    options = read_options(CheckOptions, values)
    try:
        code = run_check(options)
    except UsageError as exc:
        fail(str(exc))
    raise typer.Exit(code)


check.__signature__ = typer_parameters(CheckOptions)  # type: ignore[attr-defined]
app.command()(check)


class RulesFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("rules")
def list_rules(
    select: SelectOption = None,
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="text (a table) or json.")
    ] = RulesFormat.text,
) -> None:
    """List every rule: id, slug, default severity, fix (fix: safe, fix!: unsafe), summary.

    A rule of an opt-in set (which runs only when selected: extend-select: [hardening])
    shows the set's name in brackets after its fix column. --select lists only the rules
    that selection would run (ids, prefixes, slugs or a set's name, as in check).
    """
    from ecslint.commands.check import split_list

    catalog = _configured_catalog()
    rules = list(catalog)
    if select:
        from ecslint.config.selection import SelectionError, choose_rules

        try:
            chosen = {rule.id for rule in choose_rules(catalog, split_list(select), [])}
        except SelectionError as exc:
            fail(str(exc))
        rules = [rule for rule in rules if rule.id in chosen]
    if output_format is RulesFormat.json:
        import json

        from ecslint.report.concerns import concern, security_severity

        listed = [
            {
                "id": rule.id,
                "name": rule.name,
                "severity": rule.severity.label,
                "summary": rule.summary,
                "autofix": rule.autofix,
                "opt_in": rule.opt_in,
                "concern": concern(rule),
                "security_severity": security_severity(rule),
            }
            for rule in rules
        ]
        typer.echo(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    width = max((len(rule.name) for rule in rules), default=10)
    marks = {"safe": "fix ", "unsafe": "fix!", "none": "    "}
    typer.echo(f"{'ID':<6}  {'SLUG':<{width}}  {'SEVERITY':<8}  FIX   SUMMARY")
    for rule in rules:
        opt_in = f"[{rule.opt_in}] " if rule.opt_in else ""
        typer.echo(
            f"{rule.id}  {rule.name:<{width}}  {rule.severity.label:<8}  {marks[rule.autofix]}  "
            f"{opt_in}{rule.summary}"
        )


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
        from ecslint.catalog import retired

        gone = retired(rule_id)
        if gone is not None:
            fail(f"{gone[0]} ({gone[1]}) is retired and never reused: {gone[2]}")
        import difflib

        names = [*catalog.by_id, *catalog.by_name]
        close = (
            difflib.get_close_matches(rule_id, names, n=1, cutoff=0.6)
            or [name for name in catalog.by_name if rule_id.lower() in name][:1]
        )
        hint = f"; did you mean {close[0]!r}?" if close else ""
        fail(f"unknown rule {rule_id!r}{hint} (see 'ecslint rules')")
    typer.echo(render_markdown(rule))


@app.command("convert")
def convert(
    path: Annotated[
        str, typer.Argument(help="describe output or a console export; - reads stdin.")
    ],
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--output", "-o", help="Write the register input to FILE (default: stdout)."),
    ] = None,
    to: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--to", help="json or yaml [default: the input's syntax]."),
    ] = None,
) -> None:
    """Turn describe output or a console export into register-task-definition input."""
    from ecslint.commands.convert import run_convert

    if to not in (None, "json", "yaml"):
        fail(f"--to takes json or yaml, not {to!r}")
    try:
        code = run_convert(path, output, to)
    except UsageError as exc:
        fail(str(exc))
    raise typer.Exit(code)


@app.command("server")
def server() -> None:
    """Run the language server (LSP) on stdin and stdout, for editors."""
    try:
        from ecslint.server import main as serve
    except ImportError as exc:
        fail(f"ecslint server needs the server extra: pip install 'ecslint[server]' ({exc})")
    serve()


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
    path: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            help="A file (need not exist): show the settings it gets, from its nearest "
            "config. [default: the working directory's]"
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Print the settings in effect here (the config file found, merged with defaults)."""
    import json

    from ecslint.catalog import load_builtin_catalog
    from ecslint.config.file import ConfigError, config_of_file
    from ecslint.config.settings import build_rules, load_settings

    try:
        if path is not None and config is None:  # the file's nearest, as check finds it
            found = config_of_file(path)
            settings = load_settings(str(found) if found else None, isolated=found is None)
        else:
            settings = load_settings(config)
        _, enabled = build_rules(settings, load_builtin_catalog())
    except ConfigError as exc:
        fail(str(exc))
    shown = settings.to_dict()
    shown["enabled-rules"] = [rule.id for rule in enabled]
    typer.echo(json.dumps(shown, indent=2))


def scan(**values: Any) -> None:
    """Lint the task definitions registered in an AWS account (read-only)."""
    try:
        code = run_scan(read_options(ScanOptions, values))
    except UsageError as exc:
        fail(str(exc))
    except KeyboardInterrupt:  # click would end it without a word
        typer.echo("ecslint: interrupted: the scan did not finish", err=True)
        raise typer.Exit(130) from None
    raise typer.Exit(code)


scan.__signature__ = typer_parameters(ScanOptions)  # type: ignore[attr-defined]
app.command("scan")(scan)
