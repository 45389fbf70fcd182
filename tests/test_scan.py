"""``ecslint scan --aws`` runs the pipeline of ``check``: the config, custom rules,
task-tag suppressions, baselines, ``--fail-on`` and every format apply to the task
definitions registered in a moto account (server mode on 127.0.0.1), through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import test_iam_aws
from tests.conftest import CliResult, run_cli
from tests.test_iam_aws import PULL_AND_LOG, REGION, TRUST_ECS, _role, _task

pytest.importorskip("boto3")
# The moto server and the clean account of tests/test_iam_aws.py, as fixtures here too.
moto_endpoint = test_iam_aws.moto_endpoint
aws = test_iam_aws.aws
ORDERS = f"aws://ecs/{REGION}/orders:1"
WEB = f"aws://ecs/{REGION}/web:1"


def register(session: Any, task: dict[str, Any], *tags: tuple[str, str]) -> None:
    extra = {"tags": [{"key": key, "value": value} for key, value in tags]} if tags else {}
    session.client("ecs").register_task_definition(**task, **extra)


def scan(*args: str) -> CliResult:
    return run_cli(["scan", "--aws", "--format", "json", "--region", REGION, *args])


def found(result: CliResult) -> set[tuple[str, str]]:
    return {(f["file"], f["rule"]) for f in result.findings}


@pytest.fixture
def role(aws: Any) -> str:
    """An execution role that allows what the tasks need, so no IAM finding is in the way."""
    return _role(aws, "goodRole", TRUST_ECS, managed_pull=PULL_AND_LOG)


def custom_rule(rule_id: str, name: str, severity: str, schema: str) -> str:
    """A custom rule in the config, so these tests do not hang on a built-in rule's advice."""
    return (
        f"  - id: {rule_id}\n"
        f"    name: {name}\n"
        f"    severity: {severity}\n"
        f"    summary: {name}\n"
        "    check: json-schema\n"
        f"    params: {{schema: {schema}, message: {name}}}\n"
    )


TEAM_TAG = custom_rule(
    "ACME001",
    "missing-team-tag",
    "warning",
    "{required: [tags], properties: {tags: {minItems: 1}}}",
)
EVERY_TASK = custom_rule("ACME002", "any-task", "info", "{not: {required: [family]}}")


def test_the_config_applies_ignores_severities_per_file_ignores_and_custom_rules(
    aws: Any, role: str, tmp_path: Path
) -> None:
    register(aws, _task(role, image="nginx:latest"), ("team", "orders"))
    register(aws, _task(role, family="web", image="nginx:latest"))
    config = tmp_path / "ecslint.yaml"
    config.write_text(f"custom-rules:\n{TEAM_TAG}{EVERY_TASK}")
    before = scan("--config", str(config))
    # the tags of a registered task definition are beside it in describe's output
    assert {(ORDERS, "ECS401"), (WEB, "ECS401"), (WEB, "ACME001")} <= found(before)
    assert (ORDERS, "ACME001") not in found(before)
    assert {(ORDERS, "ACME002"), (WEB, "ACME002")} <= found(before)

    config.write_text(
        "ignore: [any-task]\n"
        "severity: {ECS401: error}\n"
        "per-file-ignores:\n"
        f"  'aws://ecs/{REGION}/web:*': [latest-image-tag]\n"
        f"custom-rules:\n{TEAM_TAG}{EVERY_TASK}"
    )
    after = scan("--config", str(config))
    assert after.exit_code == 1, after.stderr
    rules = found(after)
    assert not any(rule == "ACME002" for _, rule in rules)
    assert (ORDERS, "ECS401") in rules and (WEB, "ECS401") not in rules
    assert {f["severity"] for f in after.findings if f["rule"] == "ECS401"} == {"error"}
    assert (WEB, "ACME001") in rules


def test_task_tag_suppressions_apply_where_registered_task_definitions_carry_them(
    aws: Any, role: str
) -> None:
    register(
        aws,
        _task(role, image="nginx:latest"),
        ("ecslint:ignore:latest-image-tag", "pinned by the deploy job"),
        ("ecslint:ignore:ECS910", "no docker socket here"),
    )
    result = scan("--show-suppressed")
    latest = [f for f in result.findings if f["rule"] == "ECS401"]
    assert [f["suppressed"] for f in latest] == [
        {"by": "tag", "reason": "pinned by the deploy job"}
    ]
    [unused] = [f for f in result.findings if f["rule"] == "ECS005"]
    assert unused["path"] == "/tags/1/key"  # describe output: tags sit beside taskDefinition
    assert "ecslint:ignore:ECS910" in unused["message"]

    plain = scan()
    assert ("ECS401" not in {f["rule"] for f in plain.findings}) and plain.exit_code == 1


def test_a_baseline_written_by_scan_is_read_by_scan(aws: Any, role: str, tmp_path: Path) -> None:
    register(aws, _task(role, image="nginx:latest"))
    baseline = tmp_path / "baseline.json"
    written = scan("--write-baseline", str(baseline))
    assert written.exit_code == 0, written.stderr
    assert {entry["file"] for entry in json.loads(baseline.read_text())["entries"]} == {ORDERS}

    known = scan("--baseline", str(baseline))
    assert known.exit_code == 0, known.stderr
    assert known.findings == []

    register(aws, _task(role, family="web", image="nginx:latest"))
    new = scan("--baseline", str(baseline))
    assert new.exit_code == 1
    assert {file for file, _ in found(new)} == {WEB}


def test_fail_on_from_the_command_line_and_from_the_config(
    aws: Any, role: str, tmp_path: Path
) -> None:
    register(aws, _task(role))
    config = tmp_path / "ecslint.yaml"
    config.write_text(f"select: [ACME]\ncustom-rules:\n{EVERY_TASK}")
    advice = scan("--config", str(config))
    assert {(f["rule"], f["severity"]) for f in advice.findings} == {("ACME002", "info")}
    assert advice.exit_code == 0
    assert scan("--config", str(config), "--fail-on", "info").exit_code == 1
    config.write_text(f"select: [ACME]\nfail-on: info\ncustom-rules:\n{EVERY_TASK}")
    assert scan("--config", str(config)).exit_code == 1
    assert scan("--config", str(config), "--fail-on", "never").exit_code == 0


def test_every_format_names_the_task_definition_by_its_aws_name(aws: Any, role: str) -> None:
    register(aws, _task(role, image="nginx:latest"))
    sarif = run_cli(["scan", "--aws", "--region", REGION, "--format", "sarif"])
    assert sarif.exit_code == 1, sarif.stderr
    run = json.loads(sarif.stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    result = next(r for r in run["results"] if r["ruleId"] == "ECS401")
    assert rules[result["ruleIndex"]]["id"] == "ECS401"
    assert rules[result["ruleIndex"]]["shortDescription"]["text"] != "latest-image-tag"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": ORDERS}

    gitlab = run_cli(["scan", "--aws", "--region", REGION, "--format", "gitlab"])
    assert {issue["location"]["path"] for issue in json.loads(gitlab.stdout)} == {ORDERS}
    github = run_cli(["scan", "--aws", "--region", REGION, "--format", "github"])
    assert f"file={ORDERS.replace(':', '%3A')}," in github.stdout
    text = run_cli(["scan", "--aws", "--region", REGION, "--format", "concise"])
    assert f"{ORDERS}:" in text.stdout and "ECS401" in text.stdout


def test_what_cannot_be_described_is_reported_whatever_the_selection(
    aws: Any, role: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from ecslint.sources.aws import Account
    from ecslint.sources.awscall import Deadline, aws_call

    register(aws, _task(role))
    register(aws, _task(role, family="web"))
    describe = Account.describe

    def denied() -> dict[str, Any]:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "Describe")

    def flaky(self: Account, key: str) -> dict[str, Any]:
        if key == "web":
            return aws_call(denied, "ecs:DescribeTaskDefinition web", Deadline(5))
        return describe(self, key)

    monkeypatch.setattr(Account, "describe", flaky)
    config = tmp_path / "ecslint.yaml"
    config.write_text("ignore: [ECS246]\n")
    result = scan("--select", "ECS4", "--config", str(config))
    assert result.exit_code == 1
    [finding] = result.findings
    assert (finding["file"], finding["rule"]) == (f"aws://ecs/{REGION}/web", "ECS246")
    assert "AccessDenied: no" in finding["message"]
    assert result.json["summary"]["task_definitions"] == 1
