"""``--format json``: one document per run, the contract of DESIGN.md."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ecslint.report import RunResult, suppression_json

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    # Written one finding at a time, as the files finish (a file with 100,000 findings took
    # 12 s and 450 MiB as one document), each finding on one line: json's C encoder,
    # which indent=2 would turn off, and still one finding a line for a person reading it.
    # The summary comes after the findings, so it is written once they are all known.
    stream.write('{\n  "version": 1,\n  "findings": [')
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps builds one per call
    count = 0
    for item in _findings(run):
        stream.write(("," if count else "") + "\n    " + encode(item))
        count += 1
    rest = {
        "version": 1,
        "findings": [],
        "summary": run.summary(),
        "skipped": [{"file": path, "reason": why} for path, why in run.skipped()],
    }
    tail = _dumps(rest).split('"findings": []', 1)[1]
    stream.write(("\n  ]" if count else "]") + tail + "\n")


def _findings(run: RunResult) -> Iterator[dict[str, Any]]:
    for report in run.files:
        for finding in run.visible(report.findings):
            item = finding.to_json()
            if finding.suppressed is not None:
                item["suppressed"] = suppression_json(finding)
            yield item


def _dumps(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
