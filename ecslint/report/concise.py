"""``--format concise``: one line a finding, ``file:line:col: ID [severity] slug: message``."""

from __future__ import annotations

from typing import TextIO

from ecslint.model import Finding
from ecslint.report import RunResult, sort_key


def headline(finding: Finding) -> str:
    return (
        f"{finding.file}:{finding.span.line}:{finding.span.column}: {finding.rule} "
        f"[{finding.severity.label}] {finding.name}: {one_line(finding.message)}"
    )


def one_line(text: str) -> str:
    """Messages may quote user values; never let them break a line-based format."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    for report in run.files:
        for finding in sorted(report.findings, key=sort_key):
            if finding.suppressed is None:
                stream.write(headline(finding) + "\n")
