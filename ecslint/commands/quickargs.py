"""A quick parser for the common ``ecslint check`` command lines, so they need no typer.

Importing typer (and the click inside it) costs about a third of a one-file run.
``check``'s options are a fixed set of flags, values and lists, so their plain
forms (``--format json``, ``--format=json``, ``-f json``, ``--select A --select B``,
``--``) are parsed here. Anything else (``--help``, a typo, a bad choice, a value
that looks like an option, bundled short flags) returns None, and typer parses the
command line with its usual messages. ``tests/test_quickargs.py`` checks that both
parsers read every option of ``check`` the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from ecslint.commands.options import CheckOptions, FailOn, InputFormat, OutputFormat

#: Options that take no value, by flag: the CheckOptions field they set to True.
FLAGS = {
    "--quiet": "quiet",
    "-q": "quiet",
    "--aws": "aws",
    "--isolated": "isolated",
    "--statistics": "statistics",
    "--show-suppressed": "show_suppressed",
}
#: Options that take one value; given twice, the last one wins (as in click).
VALUES = {
    "--format": "output_format",
    "-f": "output_format",
    "--fail-on": "fail_on",
    "--region": "region",
    "--input-format": "input_format",
    "--config": "config",
    "--output": "output",
    "-o": "output",
    "--baseline": "baseline",
    "--write-baseline": "write_baseline",
}
#: Options that may be repeated, each value appended.
LISTS = {"--select": "select", "--ignore": "ignore", "--iam": "iam"}
CHOICES: dict[str, type[Enum]] = {
    "output_format": OutputFormat,
    "fail_on": FailOn,
    "input_format": InputFormat,
}


def parse_check(argv: Sequence[str]) -> CheckOptions | None:
    """``check`` and its options from ``argv`` (without the program name), or None."""
    if not argv or argv[0] != "check":
        return None
    paths: list[str] = []
    values: dict[str, object] = {}
    lists: dict[str, tuple[str, ...]] = {}
    tokens = list(argv[1:])
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            paths.extend(tokens[index:])
            break
        if not token.startswith("-") or token == "-":
            paths.append(token)
            continue
        flag, equals, attached = token.partition("=")
        if flag in FLAGS and not equals:
            values[FLAGS[flag]] = True
            continue
        if flag not in VALUES and flag not in LISTS:
            return None
        if equals and not flag.startswith("--"):
            return None  # -f=json means the value "=json" to click
        if not equals:
            if index == len(tokens) or tokens[index].startswith("-"):
                return None
            attached = tokens[index]
            index += 1
        if flag in LISTS:
            lists[LISTS[flag]] = (*lists.get(LISTS[flag], ()), attached)
            continue
        name = VALUES[flag]
        choice = CHOICES.get(name)
        if choice is not None:
            try:
                values[name] = choice(attached)
            except ValueError:
                return None
        else:
            values[name] = attached
    if not paths:
        return None
    return CheckOptions(paths=tuple(paths), **values, **lists)  # type: ignore[arg-type]
