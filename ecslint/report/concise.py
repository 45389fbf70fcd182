"""``--format concise``: one line a finding, ``file:line:col: ID [severity] slug: message``."""

from __future__ import annotations

from ecslint.model import Finding
from ecslint.report import RunResult, suppressed_by

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import TextIO


def headline(finding: Finding) -> str:
    return (
        f"{one_line(finding.file)}:{finding.span.line}:{finding.span.column}: {finding.rule} "
        f"[{finding.severity.label}] {finding.name}: {one_line(finding.message)}"
    )


#: Control characters as escapes: a newline would break a line-based format, and an
#: ESC could drive the user's terminal.
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)} | {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}


def suppressed_mark(finding: Finding) -> str:
    if finding.suppressed is None:
        return ""
    return f" (suppressed by {suppressed_by(finding)}: {one_line(finding.suppressed)})"


def one_line(text: str) -> str:
    """File names and messages (which quote user values) never break a line-based format."""
    return text.translate(_ESCAPES)


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    for report in run.files:
        for finding in run.visible(report.findings):
            stream.write(headline(finding) + suppressed_mark(finding) + "\n")
