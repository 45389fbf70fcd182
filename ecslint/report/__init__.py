"""Reports: one module per output format, each with ``render(run, stream, color)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from ecslint.engine import FileReport
from ecslint.model import Finding, Severity

#: Format name -> module that renders it; imported only when chosen.
FORMATS: dict[str, str] = {
    "text": "ecslint.report.text",
    "concise": "ecslint.report.concise",
    "json": "ecslint.report.json_format",
}


@dataclass(slots=True)
class RunResult:
    """Everything one ``ecslint check`` run found, in file order."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [finding for report in self.files for finding in report.findings]

    def active_findings(self) -> list[Finding]:
        """Findings that count: not suppressed."""
        return [f for f in self.findings if f.suppressed is None]

    def counts(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for finding in self.active_findings():
            counts[finding.severity] += 1
        return counts

    def summary(self) -> dict[str, int]:
        counts = self.counts()
        return {
            "files": len(self.files),
            "task_definitions": sum(report.task_definitions for report in self.files),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        }


Renderer = Callable[[RunResult, TextIO, bool], None]


def get_renderer(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    renderer: Renderer = module.render
    return renderer


def sort_key(finding: Finding) -> tuple[int, int, str]:
    return (finding.span.line, finding.span.column, finding.rule)
