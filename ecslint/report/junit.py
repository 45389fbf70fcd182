"""``--format junit``: JUnit XML, as GitLab (``artifacts:reports:junit``) and Jenkins read it.

One ``testsuite`` per file; one ``testcase`` per rule and container (all findings of that
pair in it), and one passing ``testcase`` for a file with no findings, so the test count
says how many files were checked. A case fails only when one of its findings is at or above
the fail threshold (``--fail-on``): a green run has no failures, and the findings below
the threshold are ``skipped`` cases that still say what was found.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ecslint.lazy_re import lazy_re
from ecslint.model import Finding
from ecslint.report import RunResult, active_in_order

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import TextIO

#: Characters XML 1.0 cannot carry, even escaped; messages may quote any user value.
_NOT_XML = lazy_re("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _case_name(finding: Finding) -> str:
    scope = (
        f"container {finding.container}"
        if finding.container
        else (f"task definition {finding.family}" if finding.family else "file")
    )
    return f"{finding.rule} {finding.name} ({scope})"


def build(run: RunResult) -> ET.Element:
    root = ET.Element("testsuites", name="ecslint")
    total_tests = total_failures = total_skipped = 0
    for report in run.files:
        suite = ET.SubElement(root, "testsuite", name=xml_text(report.path))
        failures = skipped = 0
        cases: dict[str, list[Finding]] = {}
        for finding in active_in_order(report.findings):
            cases.setdefault(_case_name(finding), []).append(finding)
        if report.skipped is not None and not cases:
            case = ET.SubElement(suite, "testcase", name="ecslint", classname=xml_text(report.path))
            ET.SubElement(case, "skipped", message=xml_text(report.skipped))
            skipped = 1
        elif not cases:
            ET.SubElement(suite, "testcase", name="ecslint", classname=xml_text(report.path))
        for name, group in cases.items():
            case = ET.SubElement(
                suite, "testcase", name=xml_text(name), classname=xml_text(report.path)
            )
            worst = max(f.severity for f in group)
            first = group[0]
            failing = any(run.fails(f) for f in group)
            failures += failing
            skipped += not failing
            failure = ET.SubElement(
                case,
                "failure" if failing else "skipped",
                message=xml_text(f"{first.rule} {first.name}: {first.message}"),
                type=worst.label,
            )
            failure.text = xml_text(
                "\n".join(
                    f"{f.file}:{f.span.line}:{f.span.column}: {f.rule} "
                    f"[{f.severity.label}] {f.message}" + (f"\nfix: {f.fix}" if f.fix else "")
                    for f in group
                )
            )
        tests = max(1, len(cases))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_failures += failures
        total_skipped += skipped
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("skipped", str(total_skipped))
    return root


def render(run: RunResult, stream: TextIO, color: bool = False) -> None:
    root = build(run)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
