"""The data that moves between the stages: problems, findings and severities."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

#: A JSON pointer held as its parts; ints index lists.
PathParts = tuple[str | int, ...]


class Severity(IntEnum):
    """Ordered so that ``>=`` compares against a fail threshold."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


@dataclass(frozen=True, slots=True)
class Problem:
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


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column of a value in its file; end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class Finding:
    """A located, attributed problem: one row of every report."""

    rule: str
    name: str
    severity: Severity
    message: str
    file: str
    span: Span
    path: str
    family: str | None = None
    container: str | None = None
    fingerprint: str = ""
    fix: str | None = None
    suppressed: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

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
