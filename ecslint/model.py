"""The data that moves between the stages: problems, findings, severities and JSON pointers.

Records here and in the other modules of a ``check`` run are NamedTuples
(:class:`ecslint.records.Record`) or plain classes with ``__slots__``, not dataclasses:
importing ``dataclasses`` (it imports ``inspect``) and building each class costs a
one-file run about a quarter of its time (bench/bench.py).
"""

from __future__ import annotations

from enum import IntEnum
from functools import lru_cache

from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

    from ecslint.fixes import TextEdit

#: A JSON pointer held as its parts; ints index lists.
PathParts = tuple[str | int, ...]


def escape(part: str | int) -> str:
    """One RFC 6901 reference token: ``~`` and ``/`` escaped."""
    return str(part).replace("~", "~0").replace("/", "~1")


@lru_cache(maxsize=4096)  # each finding asks twice; paths repeat across task definitions
def to_pointer(parts: PathParts) -> str:
    """``("a", 0, "b/c")`` -> ``"/a/0/b~1c"``; the empty tuple is the root ``""``."""
    return "".join("/" + escape(p) for p in parts)


def from_pointer(pointer: str) -> PathParts:
    if not pointer:
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    out: list[str | int] = []
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)


class Severity(IntEnum):
    """Ordered so that ``>=`` compares against a fail threshold."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return _LABELS[self]  # asked for once per finding per report: no name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


_LABELS = ("", "info", "warning", "error")


class Edit(Record):
    """One change a check proposes, in task paths; the engine turns it into text.

    ``op`` is ``replace`` (the value at ``path`` becomes ``value``), ``rename`` (the key
    at ``path`` becomes ``value``), ``insert`` (the object at ``path`` gets the member
    ``key: value``) or ``remove`` (the member at ``path`` goes, key and value). A check
    says what the task definition should hold, never where in the file it goes:
    :mod:`ecslint.fixes` locates the edit and keeps the file as written.
    """

    op: str
    path: PathParts
    value: Any = None
    key: str = ""


class Problem(Record):
    """What a check yields: a message about the value at ``path``.

    ``path`` is relative to the task definition (API field names, container
    indexes). ``evaluated=False`` means the check met a value it cannot know
    (a placeholder, an intrinsic function) and did not decide either way.
    """

    path: PathParts
    message: str
    evaluated: bool = True
    #: Point at the key rather than its value (an unknown or duplicate key).
    at_key: bool = False
    #: The edits that fix it, when there is exactly one right fix.
    fix: tuple[Edit, ...] = ()
    #: The fix changes behaviour: applied with --unsafe-fixes only, whatever the rule says.
    unsafe_fix: bool = False
    #: Rules that report this problem better (a schema limit a rule owns, named by the
    #: rule's ``reports_schema``): the engine drops it when one of them runs.
    reported_by: tuple[str, ...] = ()


class Span(Record):
    """1-based line and column of a value in its file; end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class Finding:
    """A located, attributed problem: one row of every report."""

    __slots__ = (
        "container",
        "edits",
        "extra",
        "family",
        "file",
        "fingerprint",
        "fix",
        "message",
        "name",
        "path",
        "rule",
        "severity",
        "span",
        "suppressed",
    )

    def __init__(
        self,
        rule: str,
        name: str,
        severity: Severity,
        message: str,
        file: str,
        span: Span,
        path: str,
        family: str | None = None,
        container: str | None = None,
        fingerprint: str = "",
        fix: str | None = None,
        suppressed: str | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        self.rule = rule
        self.name = name
        self.severity = severity
        self.message = message
        self.file = file
        self.span = span
        self.path = path
        self.family = family
        self.container = container
        self.fingerprint = fingerprint
        self.fix = fix
        #: Why the finding does not count: a suppression's reason, or the baseline.
        self.suppressed = suppressed
        self.extra: dict[str, object] = {} if extra is None else extra
        #: The located fix ("safe" or "unsafe", text edits), when the run asked for fixes.
        self.edits: tuple[str, tuple[TextEdit, ...]] | None = None

    def __repr__(self) -> str:
        return f"Finding({self.rule} {self.file}:{self.span.line}:{self.span.column} {self.path})"

    def to_json(self) -> dict[str, object]:
        """The stable JSON contract of DESIGN.md."""
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "path": self.path,
            "family": self.family,
            "container": self.container,
            "fingerprint": self.fingerprint,
        }
