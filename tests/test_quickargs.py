"""The quick ``check`` parser reads every command line it accepts exactly as typer does."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from enum import Enum
from typing import Any

import pytest
import typer.main

from ecslint.cli import app
from ecslint.commands.options import CheckOptions
from ecslint.commands.quickargs import CHOICES, FLAGS, LISTS, VALUES, parse_check
from tests.conftest import EXAMPLES

CHECK = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
OPTIONS = [param for param in CHECK.params if param.param_type_name == "option"]


def click_reading(argv: list[str]) -> dict[str, Any] | None:
    """What typer's own parser makes of ``check ARGV``; None when it refuses it."""
    try:
        context = CHECK.make_context("check", list(argv), resilient_parsing=False)
    except (typer.main.click.exceptions.ClickException, typer.Exit):
        return None
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in context.params.items()
    }


def quick_reading(options: CheckOptions) -> dict[str, Any]:
    reading: dict[str, Any] = {}
    for name, value in options._asdict().items():
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        reading[name] = value
    return reading


def test_every_option_of_check_is_known_to_the_quick_parser() -> None:
    for option in OPTIONS:
        table = FLAGS if option.is_flag else LISTS if option.multiple else VALUES
        for flag in option.opts:
            assert table.get(flag) == option.name, flag
        assert not option.secondary_opts, f"{option.name}: teach quickargs its --no- form"
        if hasattr(option.type, "choices"):
            choice = CHOICES[option.name]
            assert [member.value for member in choice] == list(option.type.choices)
    known = {option.name for option in OPTIONS} | {"paths"}
    assert set(CheckOptions._fields) == known


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
    assert quick_reading(options) == click_reading(argv[1:])


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


TOKENS = [
    *FLAGS,
    *VALUES,
    *LISTS,
    *(f"{flag}=" for flag in [*VALUES, *LISTS]),
    "--format=json",
    "-f=json",
    "--fail-on=never",
    "json",
    "text",
    "warning",
    "auto",
    "a.json",
    "-",
    "--",
    "",
    "-x",
    "--no-quiet",
    "--help",
    "ECS1,ECS2",
]


def test_whatever_the_quick_parser_accepts_typer_reads_the_same() -> None:
    """3,000 seeded command lines of valid and invalid tokens: no disagreement."""
    rng = random.Random(20261126)
    accepted = 0
    for _ in range(3000):
        tokens = [rng.choice(TOKENS) for _ in range(rng.randint(0, 7))] + ["a.json"]
        options = parse_check(["check", *tokens])
        if options is not None:
            accepted += 1
            assert quick_reading(options) == click_reading(tokens), tokens
    assert accepted > 300  # the comparison ran on many command lines, not a handful


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
