"""Module-level regular expressions, compiled on first use: ``NAME = lazy_re(r"...")``.

re's compiler is Python code: the sixty patterns that ecslint's modules compiled at
import cost a one-file run about 39 M instructions (over a seventh of it), most of them
for patterns that a given file never needs (an IAM policy shape, a Windows image name,
a secret's ARN). :func:`lazy_re` returns a stand-in that compiles the pattern the first
time one of its attributes is read and then holds the compiled pattern's methods as its
own, so a later ``NAME.search(text)`` is a plain attribute read and call.

Use the stand-in through its attributes (``match``, ``search``, ``fullmatch``, ``sub``,
``finditer``, ``pattern``, ...), not as an argument to ``re.*`` functions.
"""

from __future__ import annotations

import re

__all__ = ["lazy_re"]

#: Read once, on the first use of a pattern: everything a caller reads from a Pattern.
_ATTRIBUTES = (
    "findall",
    "finditer",
    "flags",
    "fullmatch",
    "groupindex",
    "groups",
    "match",
    "pattern",
    "scanner",
    "search",
    "split",
    "sub",
    "subn",
)


class _LazyPattern:
    """A pattern and its flags; the compiled pattern's attributes once one is read."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> object:  # only for what is not set yet
        if name.startswith("__") or name == "_source":
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_re({self._source[0]!r}, {self._source[1]!r})"


def lazy_re(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done the first time the pattern is used."""
    return _LazyPattern(pattern, int(flags))  # type: ignore[return-value]
