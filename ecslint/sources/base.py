"""What a source yields besides paths (``str``) and texts it read (``ecslint.load.Source``).

A source yields, in order, what the run lints: a path to read, a text already read with
its name, or :class:`NotRead`: a task definition the source knows of but could not
read, which the run reports as a finding and never counts as clean. A source that
cannot be read at all raises :class:`SourceError`. (Not in ``ecslint/sources/__init__``:
a plain ``check`` of paths never needs them, and pays for no import.)
"""

from __future__ import annotations


class NotRead:
    """A task definition the source knows of but could not read (``rule`` says why)."""

    __slots__ = ("message", "name", "rule")

    def __init__(self, name: str, rule: str, message: str) -> None:
        self.name = name
        self.rule = rule
        self.message = message


class SourceError(Exception):
    """The source cannot be read at all (an account that cannot be listed): exit 2."""
