"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning and other viewers read it.

Every rule of the run is listed (id, slug, descriptions, help, default level);
each result carries a location relative to the repository (``SRCROOT``), or to a second
base (``OUTSIDE``) for a file outside it, with a full region, a stable
fingerprint, and ``suppressions`` when a tag, label, config entry or baseline
suppressed it (suppressed results are always included, as SARIF intends).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ecslint import __version__
from ecslint.catalog import INDEX_PATH, Rule, builtin_rules
from ecslint.catalog.pages import render_markdown
from ecslint.config.repo import relative_path, report_root
from ecslint.model import Finding, Severity
from ecslint.report import RunResult, sort_key, suppressed_by
from ecslint.report.concerns import security_severity, tags
from ecslint.report.links import PROJECT_URL, help_uri

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: Tag and label suppressions sit in the file itself; config entries and baselines do not.
IN_SOURCE = frozenset({"tag", "label"})
BASE_ID = "SRCROOT"
#: The second base, for files outside the repository (a render step's output in
#: ``$RUNNER_TEMP``): the deepest directory that holds all of them.
OUTSIDE_ID = "OUTSIDE"


#: The built-in rules' descriptors as :func:`render` writes them, rendered by
#: ``tools/generate_catalog.py`` (drift-tested): rendering every rule's help page and
#: encoding it with json's Python encoder (the only one that indents) was a third of a
#: one-file SARIF run. Records of ``id``, a newline and the text, separated by NULs
#: (which JSON text never holds).
DESCRIPTORS_PATH = os.path.join(os.path.dirname(INDEX_PATH), "sarif-rules.txt")
#: The indentation of driver's keys and of each item of its ``rules``.
_DRIVER_INDENT = " " * 10
_RULE_INDENT = " " * 12
#: What json.dumps(indent=2) writes for an empty ``rules``, where the descriptors go.
_RULES_SLOT = f'\n{_DRIVER_INDENT}"rules": []'


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    """The document, byte for byte ``json.dump(build(run), indent=2, ensure_ascii=False)``:
    a built-in rule as shipped is written from its pre-rendered descriptor."""
    rules, results, bases = _collect(run)
    text = json.dumps(_document([], results, bases), indent=2, ensure_ascii=False)
    if rules:
        shipped = _shipped_descriptors()
        builtin = {rule.id: rule for rule in builtin_rules()}
        items = [
            shipped[rule.id]
            if rule.id in shipped and builtin.get(rule.id) == rule
            else descriptor_text(rule)
            for rule in rules
        ]
        # The first newline followed by that text is the slot: a newline inside a string
        # is written as the two characters \n.
        filled = f'\n{_DRIVER_INDENT}"rules": [\n' + ",\n".join(items) + f"\n{_DRIVER_INDENT}]"
        text = text.replace(_RULES_SLOT, filled, 1)
    stream.write(text)
    stream.write("\n")


def descriptor_text(rule: Rule) -> str:
    """A rule's descriptor as ``json.dump(indent=2)`` writes it as an item of ``rules``."""
    text = json.dumps(_descriptor(rule), indent=2, ensure_ascii=False)
    return _RULE_INDENT + text.replace("\n", "\n" + _RULE_INDENT)


def render_descriptors(rules: Iterable[Rule]) -> str:
    """The text of ``sarif-rules.txt`` for the built-in ``rules`` read from their YAML: each
    rule's docs as a run reads them back from docs.json (a JSON round trip)."""
    as_run = [rule._replace(loaded_docs=json.loads(json.dumps(rule.docs))) for rule in rules]
    return "\0".join(f"{rule.id}\n{descriptor_text(rule)}" for rule in sorted(as_run, key=_id))


def _id(rule: Rule) -> str:
    return rule.id


@functools.cache
def _shipped_descriptors() -> dict[str, str]:
    try:
        with open(DESCRIPTORS_PATH, encoding="utf-8") as file:
            records = file.read().split("\0")
    except OSError:  # a checkout without the generated file: every descriptor rendered
        return {}
    return dict(record.split("\n", 1) for record in records if "\n" in record)


def build(run: RunResult) -> dict[str, Any]:
    """The SARIF document as data (what :func:`render` writes)."""
    rules, results, bases = _collect(run)
    return _document([_descriptor(rule) for rule in rules], results, bases)


def _collect(
    run: RunResult,
) -> tuple[list[Rule], list[dict[str, Any]], dict[str, dict[str, str]]]:
    """The rules to describe, the results and the uri bases of the run."""
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
    return rules, results, bases


def _document(
    descriptors: list[dict[str, Any]],
    results: list[dict[str, Any]],
    bases: dict[str, dict[str, str]],
) -> dict[str, Any]:
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
                        "rules": descriptors,  # the last key: render fills its slot
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
