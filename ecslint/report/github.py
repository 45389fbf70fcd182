"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff.

The annotation follows the fail threshold (``--fail-on``): a finding that fails the run is
an ``error`` (error severity) or a ``warning``; one below the threshold is a ``notice``, so a
green run shows no red or yellow annotations.

GitHub shows at most 10 error and 10 warning annotations per step; every finding
is still printed to the log, and a notice says when some will not be annotated.
"""

from __future__ import annotations

from ecslint.config.repo import relative_path
from ecslint.lazy_re import lazy_re
from ecslint.model import Finding, Severity
from ecslint.report import RunResult, active_in_order

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import TextIO

#: Annotations GitHub displays per step, by command.
ANNOTATION_CAP = 10


#: Other control characters (an ESC would drive the terminal that shows the log).
_CONTROL = lazy_re("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROL.sub(lambda match: f"%{ord(match.group()):02X}", escaped)


def escape_property(text: str) -> str:
    """A ``key=value`` property: also ``:`` and ``,``, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, fails: bool) -> str:
    """The workflow command for ``finding``: ``error``/``warning`` only when it fails the run."""
    if not fails:
        return "notice"
    return "error" if finding.severity is Severity.ERROR else "warning"


def command(finding: Finding, fails: bool = True) -> str:
    span = finding.span
    properties = [
        ("file", relative_path(finding.file)),
        ("line", str(span.line)),
        ("col", str(span.column)),
        ("endLine", str(max(span.end_line, span.line))),
    ]
    if span.end_line == span.line and span.end_column > span.column:
        properties.append(("endColumn", str(span.end_column)))
    properties.append(("title", f"{finding.rule} {finding.name}"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{annotation(finding, fails)} {rendered}::{escape_data(finding.message)}"


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    counts = {"error": 0, "warning": 0, "notice": 0}
    for report in run.files:
        for finding in active_in_order(report.findings):
            fails = run.fails(finding)
            counts[annotation(finding, fails)] += 1
            stream.write(command(finding, fails) + "\n")
    over = [
        f"{counts[kind]} {kind}s" for kind in ("error", "warning") if counts[kind] > ANNOTATION_CAP
    ]
    if over:
        stream.write(
            "::notice title=ecslint::"
            + escape_data(
                f"ecslint reported {' and '.join(over)}; GitHub annotates only the first "
                f"{ANNOTATION_CAP} of each per step. The log above lists them all; "
                "upload SARIF (--format sarif) to see every finding in code scanning."
            )
            + "\n"
        )
