"""Reports: one module per output format, each with ``render(run, stream, color)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator

from ecslint.engine import FileReport
from ecslint.model import Finding, Severity

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import TextIO

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


class Tally:
    """What a run's summary and exit code need of each file, counted as the file passes."""

    __slots__ = ("counts", "files", "skipped", "suppressed", "task_definitions")

    def __init__(self) -> None:
        self.files = 0
        self.task_definitions = 0
        #: Active (not suppressed) findings by severity.
        self.counts = dict.fromkeys(Severity, 0)
        self.suppressed = 0
        #: (file, why) of each file that held no task definition.
        self.skipped: list[tuple[str, str]] = []

    def add(self, report: FileReport) -> None:
        self.files += 1
        self.task_definitions += report.task_definitions
        for finding in report.findings:
            if finding.suppressed is None:
                self.counts[finding.severity] += 1
            else:
                self.suppressed += 1
        if report.skipped is not None:
            self.skipped.append((report.path, report.skipped))


class RunResult:
    """Everything one ``ecslint check`` run found, in file order.

    ``files`` are the reports kept in ``reports``, or, for a run that streams, the
    reports as they finish, which the one renderer reads once: each report is tallied
    as it passes and let go when the renderer moves on, so a run over 50,000 files
    holds one file at a time. The summary is complete once ``files`` has been read.
    """

    __slots__ = (
        "_stream",
        "baseline_stale",
        "catalog",
        "fail_on",
        "hidden",
        "on_end",
        "reports",
        "show_suppressed",
        "tally",
    )

    def __init__(
        self,
        catalog: Catalog | None = None,
        show_suppressed: bool = False,
        stream: Iterable[FileReport] | None = None,
    ) -> None:
        #: Every report, in file order, for a run that keeps them.
        self.reports: list[FileReport] = []
        self._stream = None if stream is None else self._streamed(stream)
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
        #: For a streamed run: counts of the reports read so far.
        self.tally: Tally | None = None if stream is None else Tally()
        #: Called once a streamed run's last report has been read (the summary is final).
        self.on_end: Callable[[], None] | None = None

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` fails the run (at or above ``--fail-on``, not suppressed)."""
        return (
            self.fail_on is not None
            and finding.suppressed is None
            and finding.severity >= self.fail_on
        )

    def _streamed(self, reports: Iterable[FileReport]) -> Iterator[FileReport]:
        for report in reports:
            assert self.tally is not None
            self.tally.add(report)
            yield report
            report.text = None  # the renderer is done with this file
            report.findings = []
        if self.on_end is not None:
            self.on_end()

    @property
    def files(self) -> Iterable[FileReport]:
        """The reports in file order: kept, or streamed (to be read once)."""
        return self.reports if self._stream is None else self._stream

    @property
    def findings(self) -> list[Finding]:
        return [finding for report in self.reports for finding in report.findings]

    def active_findings(self) -> list[Finding]:
        """Findings that count: not suppressed."""
        return [f for f in self.findings if f.suppressed is None]

    def visible(self, findings: list[Finding]) -> list[Finding]:
        """The findings a human-facing report shows, in file order."""
        shown = [f for f in findings if self.show_suppressed or f.suppressed is None]
        return sorted(shown, key=sort_key)

    def counts(self) -> dict[Severity, int]:
        if self.tally is not None:
            return dict(self.tally.counts)
        counts = dict.fromkeys(Severity, 0)
        for finding in self.active_findings():
            counts[finding.severity] += 1
        return counts

    def skipped(self) -> list[tuple[str, str]]:
        """(file, why) of each file that held no task definition."""
        if self.tally is not None:
            return list(self.tally.skipped)
        return [(r.path, r.skipped) for r in self.reports if r.skipped is not None]

    def summary(self) -> dict[str, int]:
        counts = self.counts()
        tally = self.tally
        summary = {
            "files": tally.files if tally else len(self.reports),
            "task_definitions": tally.task_definitions
            if tally
            else sum(report.task_definitions for report in self.reports),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        }
        if self.show_suppressed:
            summary["suppressed"] = (
                tally.suppressed
                if tally
                else sum(1 for f in self.findings if f.suppressed is not None)
            )
        if self.baseline_stale is not None:
            summary["baseline_stale"] = self.baseline_stale
        if self.hidden:
            summary["below_min_severity"] = self.hidden
        return summary


Renderer = Callable[[RunResult, "TextIO", bool], None]


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
