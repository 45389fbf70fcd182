"""``--format text`` (the default): each finding with the source line, a caret and the fix."""

from __future__ import annotations

from ecslint.mask import mask_line
from ecslint.model import Finding, Severity, Span
from ecslint.report import RunResult
from ecslint.report.concise import one_line, suppressed_mark

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import TextIO

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"
_BLANK_CONTROLS = dict.fromkeys((*range(0x20), 0x7F), "\ufffd")


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    for report in run.files:
        # Split as the position index counts lines: at "\n" only.
        lines = report.text.split("\n") if report.text is not None else []
        for finding in run.visible(report.findings):
            location = f"{one_line(finding.file)}:{finding.span.line}:{finding.span.column}"
            stream.write(
                f"{paint(location, _BOLD)}: {paint(finding.rule, _COLORS[finding.severity])} "
                f"[{finding.severity.label}] {finding.name}: {one_line(finding.message)}"
                f"{suppressed_mark(finding)}\n"
            )
            stream.write(
                _excerpt(finding, lines if finding.file == report.path else [], report.masks)
            )
            if finding.fix:
                stream.write(f"   = fix: {finding.fix}\n")
            stream.write("\n")
    stream.write(summary_line(run) + "\n")


def summary_line(run: RunResult) -> str:
    """One line that keeps problems (errors, warnings: the file needs a change) apart
    from advice (info), with what was linted."""
    summary = run.summary()
    files = f"{summary['files']} file{'s' if summary['files'] != 1 else ''}"
    tasks = summary["task_definitions"]
    scope = f"{files}, {tasks} task definition{'s' if tasks != 1 else ''}"
    skipped = len(run.skipped())
    if skipped:
        scope += f", {skipped} skipped"
    if summary.get("suppressed"):
        scope += f", {summary['suppressed']} suppressed"
    if summary.get("below_min_severity"):
        scope += f", {summary['below_min_severity']} below --min-severity not shown"
    if summary.get("baseline_stale"):
        stale = summary["baseline_stale"]
        scope += f", {stale} stale baseline entr{'y' if stale == 1 else 'ies'}"
    errors, warnings, infos = summary["errors"], summary["warnings"], summary["infos"]
    problems = errors + warnings
    advice = f"{infos} advice finding{'s' if infos != 1 else ''} (info)"
    if not problems:
        if not infos:
            return f"No problems found ({scope})."
        return f"No problems found; {advice} ({scope})."
    found = (
        f"Found {problems} problem{'s' if problems != 1 else ''} "
        f"({errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''})"
    )
    return f"{found} and {advice} ({scope})." if infos else f"{found} ({scope})."


def _excerpt(finding: Finding, lines: list[str], masks: list[Span]) -> str:
    number = finding.span.line
    if not 1 <= number <= len(lines):
        return ""
    # One character for one: control characters blanked, so the caret still lines up.
    if len(lines[number - 1]) > 200:  # before any copy: a minified file is one long line
        return ""
    text = lines[number - 1].expandtabs(1).rstrip("\r").translate(_BLANK_CONTROLS)
    if len(text) > 200:
        return ""
    if masks:
        text = mask_line(text, number, masks)
    start = finding.span.column
    end = finding.span.end_column if finding.span.end_line == number else len(text) + 1
    width = max(1, min(end, len(text) + 1) - start)
    gutter = f"{number:>5} | "
    caret_line = " " * 5 + " | " + " " * (start - 1) + "^" * width
    return f"{gutter}{text}\n{caret_line}\n"
