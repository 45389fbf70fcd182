"""Reports: one module per output format, each with ``render(run, stream, color)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from ecslint.engine import FileReport
from ecslint.model import Finding, Severity

if TYPE_CHECKING:
    from ecslint.catalog import Catalog

#: Format name -> module that renders it; imported only when chosen.
FORMATS: dict[str, str] = {
    "text": "ecslint.report.text",
    "concise": "ecslint.report.concise",
    "json": "ecslint.report.json_format",
    "sarif": "ecslint.report.sarif",
    "github": "ecslint.report.github",
    "junit": "ecslint.report.junit",
    "gitlab": "ecslint.report.gitlab",
}


class RunResult:
    """Everything one ``ecslint check`` run found, in file order."""

    __slots__ = ("baseline_stale", "catalog", "fail_on", "files", "hidden", "show_suppressed")

    def __init__(self, catalog: Catalog | None = None, show_suppressed: bool = False) -> None:
        self.files: list[FileReport] = []
        #: The rules of this run (built-in, custom, with overrides), for formats that list them.
        self.catalog = catalog
        #: Whether suppressed findings are shown (``--show-suppressed``).
        self.show_suppressed = show_suppressed
        #: Baseline entries that matched nothing in this run; None without a baseline.
        self.baseline_stale: int | None = None
        #: Findings below the display threshold (``--min-severity``), not shown or counted.
        self.hidden = 0
        #: The fail threshold (``--fail-on``): findings at or above it fail the run; None
        #: for ``never``. CI formats (junit, github) mark only those as failures.
        self.fail_on: Severity | None = Severity.WARNING

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` fails the run (at or above ``--fail-on``, not suppressed)."""
        return (
            self.fail_on is not None
            and finding.suppressed is None
            and finding.severity >= self.fail_on
        )

    @property
    def findings(self) -> list[Finding]:
        return [finding for report in self.files for finding in report.findings]

    def active_findings(self) -> list[Finding]:
        """Findings that count: not suppressed."""
        return [f for f in self.findings if f.suppressed is None]

    def visible(self, findings: list[Finding]) -> list[Finding]:
        """The findings a human-facing report shows, in file order."""
        shown = [f for f in findings if self.show_suppressed or f.suppressed is None]
        return sorted(shown, key=sort_key)

    def counts(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for finding in self.active_findings():
            counts[finding.severity] += 1
        return counts

    def summary(self) -> dict[str, int]:
        counts = self.counts()
        summary = {
            "files": len(self.files),
            "task_definitions": sum(report.task_definitions for report in self.files),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        }
        if self.show_suppressed:
            summary["suppressed"] = sum(1 for f in self.findings if f.suppressed is not None)
        if self.baseline_stale is not None:
            summary["baseline_stale"] = self.baseline_stale
        if self.hidden:
            summary["below_min_severity"] = self.hidden
        return summary


Renderer = Callable[[RunResult, TextIO, bool], None]


def get_renderer(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    renderer: Renderer = module.render
    return renderer


def sort_key(finding: Finding) -> tuple[int, int, str]:
    return (finding.span.line, finding.span.column, finding.rule)


def active_in_order(findings: list[Finding]) -> list[Finding]:
    """The findings that count (not suppressed), in file order: for machine formats."""
    return [f for f in sorted(findings, key=sort_key) if f.suppressed is None]


def suppressed_by(finding: Finding) -> str:
    """What suppressed a finding: a tag, a label, the config or a baseline."""
    return str(finding.extra.get("suppressed_by", "config"))


def suppression_json(finding: Finding) -> dict[str, object]:
    """How a suppressed finding was suppressed, and why."""
    return {"by": suppressed_by(finding), "reason": finding.suppressed}
