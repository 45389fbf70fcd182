"""One declaration of ``check``'s options (CheckOptions), two parsers derived from it.

typer's command and the quick parser for plain command lines are both built from the
fields of a NamedTuple; these tests check that the two read command lines the same
way, that an option added as one field reaches both, and that plain runs skip typer.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from enum import Enum
from typing import Any, NamedTuple

import pytest
import typer
import typer.main
from typer import _click as click  # typer 0.28 carries its own click (the click package is not it)

from ecslint.cli import app, read_options, typer_parameters
from ecslint.commands.options import CheckOptions, FailOn, option, option_specs, options
from ecslint.commands.quickargs import parse_check, parse_command
from tests.conftest import EXAMPLES

CHECK = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]


def click_reading(command: click.Command, argv: list[str]) -> dict[str, Any] | None:
    """What typer's own parser makes of ARGV; None when it refuses it."""
    try:
        context = command.make_context("x", list(argv), resilient_parsing=False)
    except (click.exceptions.ClickException, typer.Exit):
        return None
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in context.params.items()
    }


def quick_reading(options: tuple[object, ...]) -> dict[str, Any]:
    reading: dict[str, Any] = {}
    for name, value in options._asdict().items():  # type: ignore[attr-defined]
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        reading[name] = value
    return reading


def test_typers_check_command_is_built_from_the_declaration() -> None:
    argument, specs = option_specs(CheckOptions)
    assert argument is not None
    options = {param.name: param for param in CHECK.params if param.param_type_name == "option"}
    assert [param.name for param in CHECK.params] == list(CheckOptions._fields)
    assert CHECK.params[0].param_type_name == "argument"
    assert CHECK.params[0].name == argument.name
    for spec in specs:
        param = options[spec.name]
        assert tuple(param.opts) == spec.flags
        assert param.is_flag == (spec.kind == "flag")
        assert param.multiple == (spec.kind == "list")
        assert param.help == spec.help
        choices = getattr(param.type, "choices", None)
        assert choices == (tuple(m.value for m in spec.choices) if spec.choices else None)
    assert options["fail_on"].default is None
    assert options["output_format"].default == "text"


def test_what_typer_parses_becomes_the_same_options_record() -> None:
    reading = click_reading(CHECK, ["-f", "json", "--select", "ECS1", "x.json"])
    assert reading is not None
    options = read_options(CheckOptions, reading)
    assert options == parse_check(["check", "-f", "json", "--select", "ECS1", "x.json"])
    assert options.select == ("ECS1",) and options.ignore == () and options.fail_on is None


COMMON = [
    ["check", "task.json"],
    ["check", "--format", "json", "a.json", "b.yaml"],
    ["check", "-f", "sarif", "-o", "out.sarif", "--fail-on", "error", "dir"],
    ["check", "--select", "ECS1,ECS2", "--select=ECS3", "--ignore", "ECS101", "-"],
    ["check", "-q", "--statistics", "--isolated", "--show-suppressed", "x.json"],
    ["check", "--input-format=terraform-plan", "--config", "c.yaml", "--", "-weird.json"],
    ["check", "--iam", "auth.json", "--region", "eu-west-1", "--aws", "x.json"],
    ["check", "--baseline", "b.json", "--write-baseline", "b.json", "x.json"],
]


@pytest.mark.parametrize("argv", COMMON, ids=lambda argv: " ".join(argv[1:]))
def test_the_common_command_lines_are_read_quickly_and_as_typer_reads_them(
    argv: list[str],
) -> None:
    options = parse_check(argv)
    assert options is not None
    assert quick_reading(options) == click_reading(CHECK, argv[1:])


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--help", "x.json"],
        ["check"],
        ["check", "--format", "xml", "x.json"],
        ["check", "--formt", "json", "x.json"],
        ["check", "-qf", "json", "x.json"],
        ["check", "-fjson", "x.json"],
        ["check", "x.json", "--config"],
        ["check", "--config", "--quiet", "x.json"],
        ["check", "--quiet=yes", "x.json"],
        ["rules"],
        ["--version"],
        [],
    ],
    ids=lambda argv: " ".join(argv) or "(nothing)",
)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert parse_check(argv) is None


def tokens_of(fields: type[tuple[object, ...]], extra: list[str]) -> list[str]:
    """Every flag, each with an empty attached value, and values valid and not."""
    flags = [flag for spec in option_specs(fields)[1] for flag in spec.flags]
    return [*flags, *(f"{flag}=" for flag in flags), *extra, "a.json", "-", "--", "", "-x"]


def agree_on_random_command_lines(
    command: click.Command, fields: type[tuple[object, ...]], tokens: list[str], seed: int
) -> int:
    """Seeded command lines of those tokens: what the quick parser accepts, typer reads
    the same. Returns how many it accepted."""
    rng = random.Random(seed)
    accepted = 0
    for _ in range(3000):
        argv = [rng.choice(tokens) for _ in range(rng.randint(0, 7))] + ["a.json"]
        options = parse_command(["cmd", *argv], "cmd", fields)
        if options is not None:
            accepted += 1
            assert quick_reading(options) == click_reading(command, argv), argv
    return accepted


def test_whatever_the_quick_parser_accepts_typer_reads_the_same() -> None:
    extra = ["--format=json", "-f=json", "--fail-on=never", "--no-quiet", "--help"]
    extra += ["json", "text", "warning", "auto", "ECS1,ECS2"]
    accepted = agree_on_random_command_lines(
        CHECK, CheckOptions, tokens_of(CheckOptions, extra), 20261126
    )
    assert accepted > 300  # the comparison ran on many command lines, not a handful


@options(argument_help="Files.")
class Later(NamedTuple):
    """Options as another engineer adds them: each one field, in both parsers at once."""

    paths: tuple[str, ...]
    jobs: int = option(1, "--jobs", "-j", help="Workers.", min=1, max=32)
    fix: bool = option(False, "--fix", help="Apply fixes.")
    threshold: FailOn | None = option(None, "--show", help="Display threshold.")
    tag: tuple[str, ...] = option((), "--tag", help="Tags.")


def later_command() -> click.Command:
    def body(**values: Any) -> None:
        """A command."""

    body.__signature__ = typer_parameters(Later)  # type: ignore[attr-defined]
    later = typer.Typer()
    later.command()(body)
    later.command("other")(lambda: None)  # two commands, so "body" is a subcommand
    return typer.main.get_command(later).commands["body"]  # type: ignore[attr-defined,no-any-return]


def test_an_option_added_as_one_field_reaches_both_parsers() -> None:
    command = later_command()
    quick = parse_command(["cmd", "-j", "4", "--fix", "--show=info", "x"], "cmd", Later)
    assert quick == Later(("x",), jobs=4, fix=True, threshold=FailOn.info)
    assert quick_reading(quick) == click_reading(command, ["-j", "4", "--fix", "--show=info", "x"])
    # out of range or not a number: the quick parser leaves it to typer, which refuses it
    for bad in (["--jobs", "0", "x"], ["--jobs", "33", "x"], ["--jobs", "two", "x"]):
        assert parse_command(["cmd", *bad], "cmd", Later) is None
        assert click_reading(command, bad) is None
    tokens = tokens_of(Later, ["1", "32", "0", "33", "-1", "info", "never", "t"])
    assert agree_on_random_command_lines(command, Later, tokens, 7) > 300


def test_a_declaration_that_the_parsers_cannot_read_is_refused() -> None:
    with pytest.raises(TypeError, match="a flag defaults to False"):

        @options(argument_help="Files.")
        class FlagOn(NamedTuple):
            paths: tuple[str, ...]
            on: bool = option(True, "--on", help="On.")

    with pytest.raises(TypeError, match="one positional field, then option"):

        @options(argument_help="Files.")
        class PlainDefault(NamedTuple):
            paths: tuple[str, ...]
            on: bool = False


def test_a_plain_check_does_not_import_typer_and_a_bad_one_gets_typers_message() -> None:
    probe = (
        "import sys\n"
        "from ecslint.entry import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "finally:\n"
        "    print('typer imported:', 'typer' in sys.modules, file=sys.stderr)\n"
    )
    example = str(EXAMPLES / "fargate-clean.json")
    plain = subprocess.run(
        [sys.executable, "-c", probe, "check", "--format", "json", example],
        capture_output=True,
        text=True,
        check=False,
    )
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout)["summary"]["files"] == 1
    assert "typer imported: False" in plain.stderr
    typo = subprocess.run(
        [sys.executable, "-c", probe, "check", "--formt", "json", example],
        capture_output=True,
        text=True,
        check=False,
    )
    assert typo.returncode == 2
    assert "No such option: --formt" in typo.stderr
    assert "typer imported: True" in typo.stderr
