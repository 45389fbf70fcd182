"""The documentation contract, for every rule: a one-line summary, what, why, fix, a failing
and a passing example, references; an error-severity rule cites AWS (quotes what AWS answers
or says what AWS does, and links an AWS page). The examples are run by test_rule_examples."""

from __future__ import annotations

import re

import pytest

from ecslint.catalog import Rule, load_builtin_catalog
from tests.rules.test_clean import _ours

RULES = list(load_builtin_catalog())
AWS_PAGE = re.compile(r"^https://([a-z0-9.-]+\.)?aws\.amazon\.com/|^https://github\.com/aws")


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_keeps_the_documentation_contract(rule: Rule) -> None:
    assert _text(rule.summary) and "\n" not in rule.summary, f"{rule.id}: summary"
    for key in ("what", "why", "fix"):
        assert _text(rule.docs.get(key)), f"{rule.id} lacks docs.{key}"
    example = rule.docs.get("example")
    assert isinstance(example, dict), f"{rule.id} lacks docs.example"
    assert _text(example.get("fail")) and _text(example.get("pass")), f"{rule.id}: example"
    references = rule.docs.get("references")
    assert isinstance(references, list) and references, f"{rule.id} lacks docs.references"
    assert all(isinstance(r, str) and r.startswith(("https://", "http://")) for r in references)
    if rule.severity.label == "error":
        # Quote AWS where its text is known; otherwise say what AWS does instead.
        docs = rule.docs
        assert _text(docs.get("aws_message")) or _text(docs.get("aws_behaviour")), rule.id
        assert any(AWS_PAGE.match(r) for r in references), f"{rule.id} links no AWS page"


def test_the_contract_catches_a_rule_without_it() -> None:
    bare = Rule.from_mapping(
        {"id": "ECS999", "name": "x", "severity": "error", "summary": "s", "docs": {}}, "x"
    )
    with pytest.raises(AssertionError):
        test_rule_keeps_the_documentation_contract(bare)


def test_every_section_7_message_in_these_areas_is_quoted() -> None:
    quoted = {str(rule.docs.get("aws_message")) for rule in RULES if _ours(rule.id)}
    for message in (
        "Container list cannot be empty.",
        "Too many containers.",
        "Actual length: 'N'. Max allowed length is '65536' bytes.",
        "Container.name should not be null or empty.",
        "Task definition doesn't have any essential container.",
        "A dependency container with SUCCESS or COMPLETE condition cannot be an essential "
        "container",
        "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
        "hostname is not supported on container when networkMode=awsvpc.",
        "Invalid 'containerPort' setting for container '<name>'.",
    ):
        assert message in quoted, message
