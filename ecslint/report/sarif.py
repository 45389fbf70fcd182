"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning and other viewers read it.

Every rule of the run is listed (id, slug, descriptions, help, default level);
each result carries a location relative to the repository (``SRCROOT``), or to a second
base (``OUTSIDE``) for a file outside it, with a full region, a stable
fingerprint, and ``suppressions`` when a tag, label, config entry or baseline
suppressed it (suppressed results are always included, as SARIF intends).
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote

from ecslint import __version__
from ecslint.catalog import Rule
from ecslint.catalog.pages import render_markdown
from ecslint.config.repo import relative_path, report_root
from ecslint.model import Finding, Severity
from ecslint.report import RunResult, sort_key, suppressed_by
from ecslint.report.concerns import security_severity, tags
from ecslint.report.links import PROJECT_URL, help_uri

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: Tag and label suppressions sit in the file itself; config entries and baselines do not.
IN_SOURCE = frozenset({"tag", "label"})
BASE_ID = "SRCROOT"
#: The second base, for files outside the repository (a render step's output in
#: ``$RUNNER_TEMP``): the deepest directory that holds all of them.
OUTSIDE_ID = "OUTSIDE"


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    json.dump(build(run), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def build(run: RunResult) -> dict[str, Any]:
    rules = list(run.catalog) if run.catalog is not None else []
    index = {rule.id: position for position, rule in enumerate(rules)}
    root = report_root()
    findings = []
    for report in run.files:  # read once: a streamed run lets each file go after this
        for finding in sorted(report.findings, key=sort_key):
            if finding.rule not in index:  # a rule a finding names that the catalog lacks
                index[finding.rule] = len(rules)
                rules.append(
                    Rule(finding.rule, finding.name, finding.severity, "engine", finding.name)
                )
            findings.append(finding)
    outside = _outside_base(findings, root)
    results = [_result(finding, index, root, outside) for finding in findings]
    bases = {BASE_ID: {"uri": root.as_uri() + "/"}}
    if outside is not None:
        bases[OUTSIDE_ID] = {"uri": outside.as_uri().rstrip("/") + "/"}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ecslint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": bases,
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _descriptor(rule: Rule) -> dict[str, Any]:
    docs = rule.docs
    full = " ".join(
        " ".join(docs[key].split())
        for key in ("what", "why")
        if isinstance(docs.get(key), str) and docs[key].strip()
    )
    help_text = full
    if rule.fix:
        help_text = f"{full} Fix: {rule.fix}".strip()
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": full or rule.summary or rule.name},
        "help": {"text": help_text or rule.summary or rule.name, "markdown": render_markdown(rule)},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": _properties(rule),
    }


def _properties(rule: Rule) -> dict[str, Any]:
    """Tags per concern, and GitHub's ``security-severity`` on the security rules (code
    scanning shows a result as a security alert only with both)."""
    properties: dict[str, Any] = {"tags": tags(rule), "slug": rule.name}
    score = security_severity(rule)
    if score is not None:
        properties["security-severity"] = score
    return properties


def _outside(file: str, root: Path) -> Path | None:
    """``file`` as an absolute path when it is outside ``root``; None inside it (or stdin, or
    a name that is not a path: ``aws://ecs/...``, from scan)."""
    if file == "<stdin>" or "://" in file:
        return None
    absolute = Path(os.path.abspath(file))
    return None if absolute.is_relative_to(root) else absolute


def _outside_base(findings: list[Finding], root: Path) -> Path | None:
    files = {finding.file for finding in findings}
    outside = [path for path in (_outside(file, root) for file in files) if path is not None]
    if not outside:
        return None
    return Path(os.path.commonpath([str(path.parent) for path in outside]))


def _result(
    finding: Finding, index: dict[str, int], root: Path, outside: Path | None
) -> dict[str, Any]:
    span = finding.span
    region = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": max(span.end_line, span.line),
        "endColumn": span.end_column
        if span.end_line > span.line
        else max(span.end_column, span.column),
    }
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": _artifact(finding.file, root, outside),
            "region": region,
        }
    }
    if finding.path:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.path, "kind": "member"}]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"ecslint/v1": finding.fingerprint},
    }
    properties = {
        key: value
        for key, value in (
            ("path", finding.path),
            ("family", finding.family),
            ("container", finding.container),
        )
        if value
    }
    if properties:
        result["properties"] = properties
    if finding.suppressed is not None:
        by = suppressed_by(finding)
        result["suppressions"] = [
            {
                "kind": "inSource" if by in IN_SOURCE else "external",
                "status": "accepted",
                "justification": f"{by}: {finding.suppressed}",
            }
        ]
    return result


def _artifact(file: str, root: Path, outside: Path | None) -> dict[str, str]:
    """A uri relative to the repository, or to the second base for a file outside it; a
    name that is a URI itself (``aws://ecs/...``, from scan) as it is."""
    if "://" in file:
        return {"uri": quote(file, safe="/:")}
    absolute = _outside(file, root)
    if absolute is not None and outside is not None:
        relative = PurePosixPath(*absolute.relative_to(outside).parts).as_posix()
        return {"uri": _uri(relative), "uriBaseId": OUTSIDE_ID}
    return {"uri": _uri(relative_path(file, root)), "uriBaseId": BASE_ID}


def _uri(path: str) -> str:
    """A path as a URI reference: its bytes percent-encoded (a name that is not UTF-8 too)."""
    try:
        data = os.fsencode(path)  # a byte the walk read as a surrogate escape is that byte again
    except UnicodeEncodeError:
        data = path.encode("utf-8", "backslashreplace")
    return quote(data, safe="/")
