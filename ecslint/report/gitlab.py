"""``--format gitlab``: a GitLab Code Quality report (a JSON list of issues).

Paths are relative to the repository root, as GitLab matches them against the
merge request's diff; fingerprints are ecslint's stable ones. The category is the rule's
concern (ecslint.report.concerns): Security, Bug Risk, Compatibility or Style.
"""

from __future__ import annotations

import json

from ecslint.config.repo import relative_path
from ecslint.model import Severity
from ecslint.report import RunResult, active_in_order
from ecslint.report.concerns import gitlab_category

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    issues: list[dict[str, Any]] = []
    rules = run.catalog.by_id if run.catalog is not None else {}
    for report in run.files:
        for finding in active_in_order(report.findings):
            issues.append(
                {
                    "type": "issue",
                    "description": f"{finding.rule} {finding.name}: {finding.message}",
                    "check_name": finding.rule,
                    "fingerprint": finding.fingerprint,
                    "severity": SEVERITIES[finding.severity],
                    "categories": [gitlab_category(rules.get(finding.rule))],
                    "location": {
                        "path": relative_path(finding.file),
                        "lines": {
                            "begin": finding.span.line,
                            "end": max(finding.span.end_line, finding.span.line),
                        },
                    },
                }
            )
    json.dump(issues, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
