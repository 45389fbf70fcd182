"""A quick parser for the common ``ecslint check`` command lines, so they need no typer.

Importing typer (and the click inside it) costs about a third of a one-file run.
``check``'s options (declared once, in :class:`~ecslint.commands.options.CheckOptions`)
are flags, values and lists, so their plain forms (``--format json``,
``--format=json``, ``-f json``, ``--select A --select B``, ``--``) are parsed here.
Anything else (``--help``, a typo, a bad choice, a value out of range, a value that
looks like an option, bundled short flags) returns None, and typer parses the
command line with its usual messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecslint.commands.options import CheckOptions, OptionSpec, option_specs

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T", bound=tuple[object, ...])


def parse_check(argv: Sequence[str]) -> CheckOptions | None:
    """``check`` and its options from ``argv`` (without the program name), or None."""
    return parse_command(argv, "check", CheckOptions)


def parse_command(argv: Sequence[str], command: str, fields: type[T]) -> T | None:
    """``command`` and the options that ``fields`` declares from ``argv``, or None."""
    if not argv or argv[0] != command:
        return None
    by_flag = {flag: spec for spec in option_specs(fields)[1] for flag in spec.flags}
    paths: list[str] = []
    values: dict[str, object] = {}
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
        spec = by_flag.get(flag)
        if spec is None:
            return None
        if spec.kind == "flag":
            if equals:
                return None
            values[spec.name] = True
            continue
        if equals and not flag.startswith("--"):
            return None  # -f=json means the value "=json" to click
        if not equals:
            if index == len(tokens) or tokens[index].startswith("-"):
                return None
            attached = tokens[index]
            index += 1
        value = _convert(spec, attached)
        if value is None:
            return None
        if spec.kind == "list":
            values[spec.name] = (*values.get(spec.name, ()), value)  # type: ignore[misc]
        else:
            values[spec.name] = value  # given twice, the last one wins (as in click)
    if not paths:
        return None
    return fields(tuple(paths), **values)


def _convert(spec: OptionSpec, text: str) -> object | None:
    """The value as typer would make it, or None where typer should say what is wrong."""
    if spec.value_type is str:
        return text
    try:
        value: object = spec.value_type(text)
    except ValueError:
        return None
    too_low = spec.min is not None and value < spec.min  # type: ignore[operator]
    too_high = spec.max is not None and value > spec.max  # type: ignore[operator]
    return None if too_low or too_high else value
