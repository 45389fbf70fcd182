"""Suppressions through the CLI: task tags, container labels, config entries, and their findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.builders import task
from tests.conftest import SELECT, lint, run_cli, write_json

LATEST = {"name": "web", "image": "nginx:latest"}
SIDE = {"name": "side", "image": "busybox"}


def lint_selected(document: dict[str, Any] | str, *extra: str) -> Any:
    return lint(document, *SELECT, *extra)


def _tag(rule: str, reason: str = "pinned by the deploy job") -> dict[str, str]:
    return {"key": f"ecslint:ignore:{rule}", "value": reason}


def _label(container: dict[str, Any], rule: str, reason: str = "upstream") -> dict[str, Any]:
    return {**container, "dockerLabels": {f"ecslint.ignore.{rule}": reason}}


def _active(result: Any) -> list[tuple[str, str | None]]:
    return [(f["rule"], f["container"]) for f in result.findings]


def test_task_tag_suppresses_the_rule_for_every_container() -> None:
    for selector in ("ECS401", "latest-image-tag", "ECS4", "ecs401"):
        result = lint_selected(task(LATEST, SIDE, tags=[_tag(selector)]))
        assert _active(result) == [], selector
        assert result.exit_code == 0


def test_task_tag_leaves_other_rules_alone() -> None:
    document = task(LATEST, tags=[_tag("ECS401")])
    del document["containerDefinitions"][0]["logConfiguration"]
    assert _active(lint_selected(document)) == [("ECS101", "web")]


def test_container_label_suppresses_one_container() -> None:
    result = lint_selected(task(LATEST, _label(SIDE, "ECS401")))
    assert _active(result) == [("ECS401", "web")]
    assert result.exit_code == 1


def test_show_suppressed_gives_the_reason_and_how() -> None:
    result = lint_selected(task(LATEST, _label(SIDE, "ECS401"), tags=[]), "--show-suppressed")
    side = next(f for f in result.findings if f["container"] == "side")
    assert side["suppressed"] == {"by": "label", "reason": "upstream"}
    assert result.exit_code == 1  # web is still a finding


def test_empty_reason_is_a_finding_and_does_not_suppress() -> None:
    text = (
        '{\n  "family": "web",\n  "tags": [\n    {"key": "ecslint:ignore:ECS401", "value": " "}\n'
        '  ],\n  "containerDefinitions": [\n    {"name": "web", "image": "nginx:latest",\n'
        '     "logConfiguration": {"logDriver": "awslogs", "options": {}}}\n  ]\n}\n'
    )
    result = lint_selected(text)
    by_rule = {f["rule"]: f for f in result.findings}
    assert set(by_rule) == {"ECS006", "ECS401"}
    assert by_rule["ECS006"]["path"] == "/tags/0/value"
    assert by_rule["ECS006"]["line"] == 4
    assert "gives no reason" in by_rule["ECS006"]["message"]


def test_missing_value_on_a_tag_and_empty_label() -> None:
    result = lint_selected(
        task(_label(LATEST, "ECS401", ""), tags=[{"key": "ecslint:ignore:ECS101"}])
    )
    found = {(f["rule"], f["path"]) for f in result.findings}
    assert found == {
        ("ECS006", "/tags/0"),
        ("ECS006", "/containerDefinitions/0/dockerLabels/ecslint.ignore.ECS401"),
        ("ECS401", "/containerDefinitions/0/image"),
    }


def test_unused_tag_is_reported_at_the_tag() -> None:
    result = lint_selected(
        task({"name": "web", "image": "nginx:1.27"}, tags=[_tag("latest-image-tag")])
    )
    (finding,) = result.findings
    assert finding["rule"] == "ECS005"
    assert finding["path"] == "/tags/0/key"
    assert "suppresses nothing: ECS401" in finding["message"]
    assert result.exit_code == 1


def test_unused_label_points_at_the_label_key() -> None:
    text = (
        '{"family": "web", "containerDefinitions": [\n'
        '  {"name": "web", "image": "nginx:1.27",\n'
        '   "logConfiguration": {"logDriver": "awslogs", "options": {}},\n'
        '   "dockerLabels": {"ecslint.ignore.ECS401": "upstream"}}\n]}\n'
    )
    (finding,) = lint_selected(text).findings
    assert finding["rule"] == "ECS005"
    assert finding["path"] == "/containerDefinitions/0/dockerLabels/ecslint.ignore.ECS401"
    assert (finding["line"], finding["column"]) == (4, 21)
    assert finding["container"] == "web"
    assert "container 'web'" in finding["message"]


def test_suppression_naming_no_rule_is_reported() -> None:
    (finding,) = lint_selected(
        task({"name": "web", "image": "nginx:1.27"}, tags=[_tag("ECS9999x")])
    ).findings
    assert finding["rule"] == "ECS005"
    assert "names no rule" in finding["message"]


def test_suppression_of_a_rule_not_selected_is_not_reported() -> None:
    result = lint(
        task({"name": "web", "image": "nginx:1.27"}, tags=[_tag("ECS401")]),
        "--select",
        "ECS1,ECS005",
    )
    assert result.findings == []


def test_suppressions_can_be_ignored_like_any_rule() -> None:
    document = task(LATEST, tags=[_tag("ECS101"), _tag("ECS401", "")])
    assert {f["rule"] for f in lint_selected(document).findings} == {"ECS005", "ECS006", "ECS401"}
    assert {f["rule"] for f in lint_selected(document, "--ignore", "ECS005,ECS006").findings} == {
        "ECS401"
    }


def test_describe_output_tags_suppress() -> None:
    document = {"taskDefinition": task(LATEST), "tags": [_tag("ECS401")]}
    assert lint_selected(document).findings == []


def test_yaml_task_definition_label(repo: Path) -> None:
    (repo / "td.yaml").write_text(
        "family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx:latest\n"
        "    logConfiguration: {logDriver: awslogs, options: {}}\n"
        "    dockerLabels:\n      ecslint.ignore.latest-image-tag: rolled by renovate\n"
    )
    result = run_cli(["check", *SELECT, "--format", "json", "td.yaml"])
    assert result.findings == [] and result.exit_code == 0


# --- config suppressions ------------------------------------------------------------------


def _files(repo: Path) -> None:
    write_json(repo / "svc" / "api.json", task(LATEST, SIDE, family="api"))
    write_json(repo / "jobs" / "batch.json", task(LATEST, family="batch"))


def _found(*args: str) -> set[tuple[str, str | None, str]]:
    result = run_cli(["check", *SELECT, "--format", "json", *args])
    return {(f["file"], f["container"], f["rule"]) for f in result.findings}


def test_config_suppression_by_glob_family_and_container(repo: Path) -> None:
    _files(repo)
    everything = {
        ("svc/api.json", "web", "ECS401"),
        ("svc/api.json", "side", "ECS401"),
        ("jobs/batch.json", "web", "ECS401"),
    }
    assert _found("svc", "jobs") == everything
    config = repo / ".ecslint.yaml"
    config.write_text("suppressions:\n  - rules: [ECS401]\n    files: 'jobs/*'\n    reason: r\n")
    assert _found("svc", "jobs") == everything - {("jobs/batch.json", "web", "ECS401")}
    config.write_text(
        "suppressions:\n  - rules: [latest-image-tag]\n    family: 'a*'\n    reason: r\n"
    )
    assert _found("svc", "jobs") == {("jobs/batch.json", "web", "ECS401")}
    config.write_text(
        "suppressions:\n  - rules: [ECS4]\n    family: api\n    container: side\n    reason: r\n"
    )
    assert _found("svc", "jobs") == everything - {("svc/api.json", "side", "ECS401")}
    shown = run_cli(["check", *SELECT, "--format", "json", "--show-suppressed", "svc"]).findings
    assert {f["container"]: f.get("suppressed") for f in shown} == {
        "web": None,
        "side": {"by": "config", "reason": "r"},
    }


def test_config_suppression_needs_a_reason(repo: Path) -> None:
    _files(repo)
    (repo / ".ecslint.yaml").write_text("suppressions:\n  - rules: [ECS401]\n    reason: '  '\n")
    result = run_cli(["check", *SELECT, "svc"])
    assert result.exit_code == 2
    assert ".ecslint.yaml:3: suppressions.0.reason:" in result.stderr
    assert "must not be empty" in result.stderr


def test_unused_config_suppression_is_noted(repo: Path) -> None:
    _files(repo)
    (repo / ".ecslint.yaml").write_text(
        "suppressions:\n  - rules: [ECS101]\n    reason: logs go to the sidecar\n"
    )
    result = run_cli(["check", *SELECT, "svc"])
    assert "note: .ecslint.yaml:2: suppression of ECS101 suppressed nothing" in result.stderr


def test_cloudformation_tags_and_labels_apply_to_their_own_task_definition(repo: Path) -> None:
    (repo / "stack.yaml").write_text(
        "Resources:\n"
        "  A:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: a\n"
        "      Tags:\n        - Key: ecslint:ignore:ECS401\n          Value: pinned elsewhere\n"
        "      ContainerDefinitions:\n        - Name: web\n          Image: nginx:latest\n"
        "  B:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: b\n"
        "      ContainerDefinitions:\n        - Name: web\n          Image: nginx:latest\n"
        "        - Name: side\n          Image: busybox\n"
        "          DockerLabels:\n            ecslint.ignore.ECS401: upstream\n"
    )
    result = run_cli(
        ["check", "--format", "json", "--select", "ECS0,ECS401", "--show-suppressed", "stack.yaml"]
    )
    found = {
        (f["family"], f["container"], f["rule"], (f.get("suppressed") or {}).get("by"))
        for f in result.findings
    }
    assert found == {
        ("a", "web", "ECS401", "tag"),
        ("b", "web", "ECS401", None),
        ("b", "side", "ECS401", "label"),
    }
