"""The one safe parser for the counts and numbers that rules and loaders read from text.

ASCII digits only (``str.isdigit`` accepts ``"²"``, and ``int`` accepts Arabic-Indic
digits), at most :data:`MAX_DIGITS` of them (``int`` refuses more than 4,300 and a
rule has no use for more than a few), and finite values (``1e400`` is infinity).
Nothing here raises on any input: what cannot be read is ``None``.
"""

from __future__ import annotations

import math
import re

from ecslint.lazy_re import lazy_re

#: More digits than any count, port, size or limit in a task definition has (2**64 has 20).
MAX_DIGITS = 30

_INTEGER = lazy_re(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}", re.ASCII)
_NUMBER = lazy_re(
    rf"[+-]?(?:[0-9]{{1,{MAX_DIGITS}}}(?:\.[0-9]{{0,{MAX_DIGITS}}})?|\.[0-9]{{1,{MAX_DIGITS}}})"
    r"(?:[eE][+-]?[0-9]{1,3})?",
    re.ASCII,
)


def parse_count(text: str) -> int | None:
    """A non-negative integer written in ASCII digits (surrounding spaces allowed), or None."""
    stripped = text.strip()
    if 0 < len(stripped) <= MAX_DIGITS and stripped.isascii() and stripped.isdigit():
        return int(stripped)
    return None


def parse_int(text: str) -> int | None:
    """An integer with an optional sign, in ASCII digits, or None."""
    stripped = text.strip()
    return int(stripped) if _INTEGER.fullmatch(stripped) else None


def parse_number(text: str) -> int | float | None:
    """An integer, or a finite decimal number, written in ASCII; None otherwise."""
    stripped = text.strip()
    if _INTEGER.fullmatch(stripped):
        return int(stripped)
    if not _NUMBER.fullmatch(stripped):
        return None
    value = float(stripped)
    return value if math.isfinite(value) else None


def is_whole(value: int | float) -> bool:
    """Whether ``value`` is a whole number; never raises (an int too big for a float is whole)."""
    if isinstance(value, int):
        return True
    return math.isfinite(value) and value.is_integer()


def number_text(value: int | float) -> str:
    """``value`` as text, as CloudFormation and Terraform convert a number to a string.

    A whole float loses its ``.0``; an integer too long for ``str`` is written as
    its first and last digits, never an error.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e30:
            return str(int(value))
        return str(value)
    try:
        return str(value)
    except ValueError:  # more than sys.get_int_max_str_digits() digits
        return f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"
