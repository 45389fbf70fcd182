"""Custom rules through the CLI: the documented examples, inline rules, and bad rule files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import task
from tests.conftest import EXAMPLES, ROOT, run_cli, write_json

RULES = EXAMPLES / "custom-rules"
#: The rules these tests watch besides the custom ones (the catalog grows; the tests stay exact).
SELECT = ("--select", "ECS0,ECS101,ECS401,ACME")
ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2"


def _run(repo: Path, rules_file: str, document: dict[str, Any], *extra: str) -> Any:
    (repo / ".ecslint.yaml").write_text(f"custom-rules:\n  - {RULES / rules_file}\n")
    write_json(repo / "td.json", document)
    result = run_cli(["check", "--format", "json", *(extra or SELECT), "td.json"])
    assert result.exit_code in (0, 1), result.stderr
    return result


def _custom(result: Any) -> list[tuple[str, str, str]]:
    return [
        (f["rule"], f["path"], f["message"])
        for f in result.findings
        if not f["rule"].startswith("ECS")
    ]


def test_docs_show_every_example() -> None:
    docs = (ROOT / "docs" / "custom-rules.md").read_text()
    for example in sorted(RULES.glob("*.yaml")):
        assert example.read_text().strip() in docs, f"docs/custom-rules.md lacks {example.name}"


def test_team_tag(repo: Path) -> None:
    container = {"name": "app", "image": ECR}
    result = _run(repo, "team-tag.yaml", task(container))
    assert _custom(result) == [
        (
            "ACME001",
            "/tags",
            "the task definition has no 'team' tag; "
            'add {"key": "team", "value": "<owner>"} to tags',
        )
    ]
    assert result.findings[0]["severity"] == "warning" and result.findings[0]["line"] == 1
    other = [{"key": "cost-center", "value": "42"}]
    assert [r for r, _, _ in _custom(_run(repo, "team-tag.yaml", task(container, tags=other)))] == [
        "ACME001"
    ]
    tagged = [*other, {"key": "team", "value": "payments"}]
    assert _custom(_run(repo, "team-tag.yaml", task(container, tags=tagged))) == []


def test_ecr_only(repo: Path) -> None:
    containers = [
        {"name": "app", "image": ECR},
        {"name": "proxy", "image": "public.ecr.aws/nginx/nginx:1.27"},
        {"name": "agent", "image": "999999999999.dkr.ecr.eu-west-1.amazonaws.com/agent:2"},
    ]
    result = _run(repo, "ecr-only.yaml", task(*containers))
    found = _custom(result)
    assert [(rule, path) for rule, path, _ in found] == [
        ("ACME002", "/containerDefinitions/1/image"),
        ("ACME002", "/containerDefinitions/2/image"),
    ]
    assert found[0][2].startswith("container 'proxy' pulls its image from outside")
    assert "does not match" in found[0][2]
    assert result.findings[0]["severity"] == "error" and result.exit_code == 1
    assert _custom(_run(repo, "ecr-only.yaml", task(containers[0]))) == []


def test_ecr_only_never_judges_a_placeholder(repo: Path) -> None:
    result = _run(repo, "ecr-only.yaml", task({"name": "app", "image": "${IMAGE}"}))
    assert _custom(result) == []
    (unevaluated,) = [f for f in result.findings if f["rule"] == "ECS001"]
    assert "image-outside-company-registry" in unevaluated["message"]
    assert unevaluated["path"] == "/containerDefinitions/0/image"


def test_first_container_essential(repo: Path) -> None:
    first = {"name": "app", "image": ECR, "essential": False}
    side = {"name": "side", "image": ECR, "essential": False}
    found = _custom(_run(repo, "first-container-essential.yaml", task(first, side)))
    assert [(rule, path) for rule, path, _ in found] == [("ACME003", "/containerDefinitions/0")]
    ok = {**first, "essential": True}
    assert _custom(_run(repo, "first-container-essential.yaml", task(ok, side))) == []
    omitted = {"name": "app", "image": ECR}
    assert _custom(_run(repo, "first-container-essential.yaml", task(omitted, side))) == []


def test_reusing_a_builtin_check(repo: Path) -> None:
    result = _run(repo, "reuse-builtin.yaml", task({"name": "app", "image": "nginx:latest"}))
    assert {(f["rule"], f["severity"]) for f in result.findings} == {
        ("ECS401", "warning"),
        ("ACME004", "error"),
    }
    result = _run(
        repo, "reuse-builtin.yaml", task({"name": "app", "image": "nginx"}), "--select", "ACME"
    )
    assert [f["rule"] for f in result.findings] == ["ACME004"]


def test_inline_rule_params_override_and_sarif(repo: Path) -> None:
    (repo / ".ecslint.yaml").write_text(
        "custom-rules:\n"
        "  - id: ACME010\n    name: missing-cpu\n    severity: info\n    check: json-schema\n"
        "    summary: Task cpu is not set\n"
        "    params: {target: task, schema: {required: [cpu]}}\n"
        "params:\n  missing-cpu:\n    message: set cpu at task level\n"
    )
    write_json(repo / "td.json", task({"name": "app", "image": ECR}))
    result = run_cli(["check", "--format", "json", *SELECT, "td.json"])
    assert [(f["rule"], f["message"], f["path"]) for f in result.findings] == [
        ("ACME010", "set cpu at task level", "/cpu")
    ]
    import json

    sarif = json.loads(run_cli(["check", "--format", "sarif", "td.json"]).stdout)
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "ACME010")
    assert rule["shortDescription"]["text"] == "Task cpu is not set"
    assert rule["helpUri"].endswith("docs/custom-rules.md")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id: ACME001\nname: x\nseverity: fatal\ncheck: json-schema\nsummary: s\n",
            "acme.yaml:3: severity: ",
        ),
        (
            "rules:\n  - id: ACME001\n    name: x\n    severity: info\n    check: json-schema\n"
            "    summary: s\n    colour: red\n",
            "acme.yaml:7: rules.0.colour: unknown key",
        ),
        (
            "id: ECS901\nname: x\nseverity: info\ncheck: json-schema\nsummary: s\n",
            "acme.yaml:1: id: ids starting with ECS are reserved",
        ),
        (
            "id: ACME001\nname: Bad_Name\nseverity: info\ncheck: json-schema\nsummary: s\n",
            "acme.yaml:2: name: 'Bad_Name' does not match",
        ),
        (
            "id: ACME001\nname: x\nseverity: info\ncheck: no-such-check\nsummary: s\n",
            "acme.yaml:1: rule ACME001: unknown check 'no-such-check'",
        ),
        (
            "id: ACME001\nname: x\nseverity: info\ncheck: json-schema\nsummary: s\n"
            "params: {target: pod, schema: {}}\n",
            "target must be task or container",
        ),
        (
            "id: ACME001\nname: x\nseverity: info\ncheck: json-schema\nsummary: s\n"
            "params: {schema: {type: 12}}\n",
            "schema is not a valid JSON Schema",
        ),
        (
            "id: ACME001\nname: latest-image-tag\nseverity: info\ncheck: json-schema\nsummary: s\n"
            "params: {schema: {}}\n",
            "acme.yaml:1: slug 'latest-image-tag' is already used by the built-in rule ECS401",
        ),
        ("id: ACME001\n  name: [\n", "acme.yaml:2: invalid YAML"),
        ("- 1\n- 2\n", "ecslint: error: acme.yaml:1: 0: a rule must be a mapping"),
    ],
)
def test_bad_rule_file_is_a_config_error(repo: Path, text: str, expected: str) -> None:
    (repo / "acme.yaml").write_text(text)
    (repo / ".ecslint.yaml").write_text("custom-rules: [acme.yaml]\n")
    write_json(repo / "td.json", task({"name": "app", "image": ECR}))
    result = run_cli(["check", "td.json"])
    assert result.exit_code == 2, result.stdout
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1


def test_inline_rules_are_validated_like_rule_files(repo: Path) -> None:
    """The config's model of a rule agrees with schemas/rule.schema.json."""
    import json

    rule_schema = json.loads((ROOT / "schemas" / "rule.schema.json").read_text())["$defs"]["Rule"]
    config_schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
    inline = config_schema["$defs"]["CustomRule"]
    builtin_only = {"reports_schema"}  # read by tools/generate_schema.py, not by a run
    assert set(inline["properties"]) == set(rule_schema["properties"]) - builtin_only
    assert set(inline["required"]) == set(rule_schema["required"])
    for key in ("id", "name"):
        assert inline["properties"][key]["pattern"] == rule_schema["properties"][key]["pattern"]
    assert inline["properties"]["severity"]["enum"] == rule_schema["properties"]["severity"]["enum"]
    (repo / ".ecslint.yaml").write_text(
        "custom-rules:\n  - id: ACME001\n    name: x\n    severity: info\n"
        "    check: json-schema\n    summary: s\n    colour: red\n"
    )
    write_json(repo / "td.json", task({"name": "app", "image": ECR}))
    result = run_cli(["check", "td.json"])
    assert result.exit_code == 2
    assert ".ecslint.yaml:7: custom-rules.0.colour: unknown key" in result.stderr


def test_missing_rules_file(repo: Path) -> None:
    (repo / ".ecslint.yaml").write_text("custom-rules:\n  - rules/nope.yaml\n")
    write_json(repo / "td.json", task({"name": "app", "image": ECR}))
    result = run_cli(["check", "td.json"])
    assert result.exit_code == 2
    assert ".ecslint.yaml:2: custom-rules.0: no such rules file" in result.stderr


def test_rules_and_rule_commands_list_custom_rules(repo: Path) -> None:
    (repo / ".ecslint.yaml").write_text(f"custom-rules:\n  - {RULES / 'team-tag.yaml'}\n")
    listing = run_cli(["rules"]).stdout
    assert "ACME001  missing-team-tag" in listing and "ECS401" in listing
    page = run_cli(["rule", "missing-team-tag"]).stdout
    assert page.startswith("# ACME001 missing-team-tag")
    assert "The on-call rota is looked up by the team tag." in page


_SCHEMA_RULE = (
    "id: ACME001\nname: x\nseverity: info\ncheck: json-schema\nsummary: s\nparams:\n  schema: "
)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ('{"$id": "https://example.com/s"}', "schema must not set $id"),
        (
            '{"$ref": "https://example.com/s.json"}',
            "$ref 'https://example.com/s.json' points outside",
        ),
        (
            '{"$dynamicRef": "file:///etc/passwd"}',
            "$dynamicRef 'file:///etc/passwd' points outside",
        ),
        (
            '{"properties": {"image": {"allOf": [{"$ref": "s.json"}]}}}',
            "$ref 's.json' points outside",
        ),
        ('{"$ref": "#/$defs/missing"}', "does not resolve inside the rule's schema"),
        ('{"pattern": "(a)\\\\1"}', "pattern '(a)\\\\1' cannot be used"),
        ('{"patternProperties": {"(?=x)": {}}}', "pattern '(?=x)' cannot be used"),
    ],
)
def test_a_schema_that_reaches_outside_or_cannot_run_is_a_config_error(
    repo: Path, schema: str, expected: str
) -> None:
    (repo / "acme.yaml").write_text(_SCHEMA_RULE + schema + "\n")
    (repo / ".ecslint.yaml").write_text("custom-rules: [acme.yaml]\n")
    write_json(repo / "td.json", task({"name": "app", "image": ECR}))
    result = run_cli(["check", "td.json"])
    assert result.exit_code == 2, result.stdout
    assert expected in result.stderr, result.stderr


def test_a_ref_inside_the_rule_resolves_and_judges(repo: Path) -> None:
    schema = (
        '{"$defs": {"tagged": {"pattern": ":[0-9]"}}, "properties": {"containerDefinitions":'
        ' {"items": {"properties": {"image": {"$ref": "#/$defs/tagged"}}}}}}'
    )
    (repo / "acme.yaml").write_text(_SCHEMA_RULE + schema + "\n")
    (repo / ".ecslint.yaml").write_text("custom-rules: [acme.yaml]\n")
    write_json(repo / "td.json", task({"name": "app", "image": "nginx:latest"}))
    result = run_cli(["check", "--format", "json", "--select", "ACME", "td.json"])
    assert result.exit_code in (0, 1), result.stderr
    assert [f["rule"] for f in result.findings] == ["ACME001"]
