"""``--format json``: one document per run, the contract of DESIGN.md."""

from __future__ import annotations

import json
from typing import TextIO

from ecslint.report import RunResult, suppression_json


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    findings = []
    for report in run.files:
        for finding in run.visible(report.findings):
            item = finding.to_json()
            if finding.suppressed is not None:
                item["suppressed"] = suppression_json(finding)
            findings.append(item)
    document = {
        "version": 1,
        "findings": findings,
        "summary": run.summary(),
        "skipped": [
            {"file": report.path, "reason": report.skipped}
            for report in run.files
            if report.skipped is not None
        ],
    }
    json.dump(document, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
