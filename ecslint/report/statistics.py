"""``--statistics``: how many findings each rule has, most first (suppressed ones apart)."""

from __future__ import annotations

from collections import Counter

from ecslint.report import RunResult

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import TextIO


def counts(run: RunResult) -> list[tuple[str, str, str, int, int]]:
    """(rule, slug, severity, active, suppressed) per rule with findings."""
    active: Counter[str] = Counter()
    suppressed: Counter[str] = Counter()
    about: dict[str, tuple[str, str]] = {}
    for finding in run.findings:
        about[finding.rule] = (finding.name, finding.severity.label)
        (active if finding.suppressed is None else suppressed)[finding.rule] += 1
    rows = [
        (rule, name, severity, active[rule], suppressed[rule])
        for rule, (name, severity) in about.items()
    ]
    return sorted(rows, key=lambda row: (-row[3], -row[4], row[0]))


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    rows = counts(run)
    if not rows:
        stream.write("No findings.\n")
        return
    width = max(len(name) for _, name, _, _, _ in rows)
    for rule, name, severity, active, suppressed in rows:
        extra = f"  ({suppressed} suppressed)" if suppressed else ""
        stream.write(f"{active:>5}  {rule}  {name:<{width}}  {severity:<7}{extra}\n")
