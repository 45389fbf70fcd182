"""Health checks (ECS518, ECS519; ECS520 is retired) through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import container, ec2, findings, unevaluated
from tests.conftest import run_cli

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


@pytest.mark.parametrize(
    "command", [["/healthcheck"], ["/bin/check", "--port", "80"], ["CMD", "/healthcheck"]]
)
def test_a_bare_program_runs_as_cmd_and_is_not_reported(command: list[str]) -> None:
    # The Developer Guide: CMD is assumed when neither CMD nor CMD-SHELL is given.
    assert not findings(ec2(container(healthCheck={"command": command})), "ECS519")


def test_a_mis_cased_type_is_reported() -> None:
    doc = ec2(container(healthCheck={"command": ["cmd-shell", "curl -f http://localhost/"]}))
    [finding] = findings(doc, "ECS519")
    assert "case-sensitive" in finding["message"] and "'CMD-SHELL'" in finding["message"]


def test_ecs520_is_retired_and_its_id_still_accepted_by_selectors() -> None:
    from tests.conftest import lint

    result = lint(check(interval=10, timeout=10), "--ignore", "ECS520")
    assert result.exit_code in (0, 1) and not result.stderr, result.stderr
    assert "ECS520" not in result.rules()
    listed = run_cli(["rule", "ECS520"])
    assert listed.exit_code == 2 and "retired" in listed.stderr


def test_every_field_and_the_command_type_as_placeholders_are_not_evaluated() -> None:
    fields = {"interval": "${I}", "timeout": "${T}", "retries": "${R}", "startPeriod": "${S}"}
    doc = ec2(container(healthCheck={"command": ["${TYPE}", "curl localhost"], **fields}))
    assert not findings(doc, "ECS518") and not findings(doc, "ECS519")
    skipped = {f["path"] for f in unevaluated(doc)}
    base = "/containerDefinitions/0/healthCheck/"
    assert {base + field for field in fields} | {base + "command/0"} <= skipped


def test_a_placeholder_health_check_or_command_is_not_judged_and_does_not_crash() -> None:
    from tests.conftest import lint

    for health in ("${HEALTH}", {"command": "${COMMAND}"}, {"command": []}, {"command": [1]}):
        result = lint(ec2(container(healthCheck=health), container("b", healthCheck=None)))
        assert result.exit_code in (0, 1), result.stderr
        assert not {"ECS518", "ECS519"} & set(result.rules())


def test_the_range_messages_name_the_unit() -> None:
    cases = [
        ("interval", 4, "5-300 seconds"),
        ("timeout", 1, "2-60 seconds"),
        ("retries", 0, "1-10 retries"),
        ("startPeriod", 301, "0-300 seconds"),
    ]
    for field, bad, unit in cases:
        [finding] = findings(check(**({"interval": 300, "timeout": 2} | {field: bad})), "ECS518")
        assert finding["message"].endswith(f"ECS accepts {unit}"), finding["message"]


def test_each_placeholder_range_field_names_the_range_rule() -> None:
    for field in ("interval", "timeout", "retries", "startPeriod"):
        doc = check(**{field: "${X}"})
        skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
        assert (
            "health-check-value-out-of-range"
            in skipped[f"/containerDefinitions/0/healthCheck/{field}"]
        )
