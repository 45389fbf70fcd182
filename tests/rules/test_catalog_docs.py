"""The registration, container, networking, volume and secret rules document themselves fully."""

from __future__ import annotations

import pytest

from ecslint.catalog import Rule, load_builtin_catalog
from tests.rules.test_clean import _ours

RULES = [rule for rule in load_builtin_catalog() if _ours(rule.id)]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_is_documented(rule: Rule) -> None:
    for key in ("what", "why", "fix", "references"):
        assert rule.docs.get(key), f"{rule.id} lacks docs.{key}"
    assert rule.check == rule.name, "a rule and its check share the slug"
    assert rule.origin.endswith(f"{rule.id}-{rule.name}.yaml")
    if rule.severity.label == "error":
        # Quote AWS where its text is known; otherwise say what AWS does instead.
        assert rule.docs.get("aws_message") or rule.docs.get("aws_behaviour"), rule.id


def test_every_section_7_message_in_these_areas_is_quoted() -> None:
    quoted = {str(rule.docs.get("aws_message")) for rule in RULES}
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
