"""Health checks (ECS518-ECS520) through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules._docs import container, ec2, findings, unevaluated

CMD = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]


def check(**fields: Any) -> dict[str, Any]:
    return ec2(container(healthCheck={"command": CMD, **fields}))


@pytest.mark.parametrize(
    ("field", "bad", "good", "limits"),
    [
        ("interval", 4, 5, "5-300"),
        ("interval", 301, 300, "5-300"),
        ("timeout", 1, 2, "2-60"),
        ("timeout", 61, 60, "2-60"),
        ("retries", 0, 1, "1-10"),
        ("retries", 11, 10, "1-10"),
        ("startPeriod", -1, 0, "0-300"),
        ("startPeriod", 301, 300, "0-300"),
    ],
)
def test_health_check_value_out_of_range(field: str, bad: int, good: int, limits: str) -> None:
    [finding] = findings(check(**({"interval": 300, "timeout": 2} | {field: bad})), "ECS518")
    assert finding["path"] == f"/containerDefinitions/0/healthCheck/{field}"
    assert f"{field} is {bad}" in finding["message"] and limits in finding["message"]
    assert not findings(check(**({"interval": 300, "timeout": 2} | {field: good})), "ECS518")


def test_health_check_placeholder_is_not_evaluated() -> None:
    doc = check(interval="${INTERVAL}")
    assert not findings(doc, "ECS518")
    assert "/containerDefinitions/0/healthCheck/interval" in {f["path"] for f in unevaluated(doc)}


def test_health_check_command_type() -> None:
    doc = ec2(container(healthCheck={"command": ["curl -f http://localhost/ || exit 1"]}))
    [finding] = findings(doc, "ECS519")
    assert finding["severity"] == "warning"
    assert finding["path"] == "/containerDefinitions/0/healthCheck/command/0"
    assert "CMD-SHELL" in finding["message"] and "one executable" in finding["message"]
    assert not findings(check(), "ECS519")
    assert not findings(ec2(container(healthCheck={"command": ["CMD", "/bin/check"]})), "ECS519")


def test_health_check_timeout_not_below_interval() -> None:
    [finding] = findings(check(interval=10, timeout=10), "ECS520")
    assert finding["severity"] == "warning"
    assert finding["path"] == "/containerDefinitions/0/healthCheck/timeout"
    assert "(10 s)" in finding["message"]
    # interval 5 with the default timeout of 5 s
    [default] = findings(check(interval=5), "ECS520")
    assert default["path"] == "/containerDefinitions/0/healthCheck/interval"
    assert not findings(check(interval=10, timeout=5), "ECS520")
    assert not findings(check(), "ECS520")
