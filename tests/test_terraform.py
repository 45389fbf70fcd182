"""Terraform input through the CLI: plans, states and .tf files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ecslint.load import detect_targets, parse, read_source
from ecslint.load.unknown import Unknown
from tests.conftest import lint_file as lint_any
from tests.conftest import run_cli
from tests.iac_corpus import IAC_CORPUS, needs_iac_corpus

#: The rules these tests observe; the loader is what is under test, not the catalog.
SELECT = ("--select", "ECS001,ECS002,ECS003,ECS004,ECS101,ECS401")


def lint_file(path: Path, *extra: str) -> Any:
    return lint_any(path, *SELECT, *extra)


CONTAINERS = [{"name": "api", "image": "nginx:latest", "essential": True}]


def plan(values: dict[str, Any], after_unknown: dict[str, Any] | None = None) -> dict[str, Any]:
    address = "module.api.aws_ecs_task_definition.this"
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {
            "root_module": {
                "resources": [
                    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket"}
                ],
                "child_modules": [
                    {
                        "address": "module.api",
                        "resources": [
                            {
                                "address": address,
                                "mode": "managed",
                                "type": "aws_ecs_task_definition",
                                "name": "this",
                                "values": values,
                            }
                        ],
                    }
                ],
            }
        },
        "resource_changes": [
            {
                "address": address,
                "type": "aws_ecs_task_definition",
                "change": {"actions": ["create"], "after_unknown": after_unknown or {}},
            }
        ],
    }


def write(tmp_path: Path, name: str, content: str | dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    return path


def targets(path: Path) -> list[Any]:
    return detect_targets(parse(read_source(str(path))))


def test_plan_findings_point_inside_the_container_definitions_string(tmp_path: Path) -> None:
    values = {"family": "api", "container_definitions": json.dumps(CONTAINERS)}
    path = write(tmp_path, "plan.json", plan(values))
    result = lint_file(path)
    (finding,) = [f for f in result.findings if f["rule"] == "ECS401"]
    assert finding["message"].startswith("module.api.aws_ecs_task_definition.this: image")
    assert finding["path"] == (
        "/planned_values/root_module/child_modules/0/resources/0/values"
        "/container_definitions/0/image"
    )
    line = path.read_text().splitlines()[finding["line"] - 1]
    assert '"container_definitions": ' in line
    # The column is that of the image's own value inside the escaped JSON string.
    assert line[finding["column"] - 1 :].startswith('\\"nginx:latest\\"')
    assert finding["container"] == "api"


def test_plan_arguments_are_mapped() -> None:
    values = {
        "family": "api",
        "cpu": "256",
        "memory": "512",
        "network_mode": "awsvpc",
        "requires_compatibilities": ["FARGATE"],
        "container_definitions": json.dumps(CONTAINERS),
        "runtime_platform": [{"cpu_architecture": "ARM64", "operating_system_family": "LINUX"}],
        "ephemeral_storage": [{"size_in_gib": 30}],
        "volume": [
            {"name": "host", "host_path": "/var/log", "efs_volume_configuration": []},
            {
                "name": "efs",
                "host_path": "",
                "efs_volume_configuration": [
                    {
                        "file_system_id": "fs-1",
                        "transit_encryption": "ENABLED",
                        "authorization_config": [{"access_point_id": "ap-1", "iam": "ENABLED"}],
                    }
                ],
            },
        ],
        "proxy_configuration": [
            {"container_name": "envoy", "type": "APPMESH", "properties": {"AppPorts": "80"}}
        ],
        "placement_constraints": [{"type": "memberOf", "expression": "attribute:x == y"}],
        "inference_accelerator": [],
        "tags": {"team": "a"},
        "tags_all": {"team": "a", "env": "b"},
        "arn": "arn:aws:ecs:eu-west-1:1:task-definition/api:1",
        "skip_destroy": False,
    }
    document = parse(_source(plan(values)))
    (target,) = detect_targets(document)
    task = target.task
    assert target.shape == "terraform"
    assert target.label == "module.api.aws_ecs_task_definition.this"
    assert task["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"}
    assert task["ephemeralStorage"] == {"sizeInGiB": 30}
    assert task["volumes"][0] == {"name": "host", "host": {"sourcePath": "/var/log"}}
    assert task["volumes"][1]["efsVolumeConfiguration"] == {
        "fileSystemId": "fs-1",
        "transitEncryption": "ENABLED",
        "authorizationConfig": {"accessPointId": "ap-1", "iam": "ENABLED"},
    }
    assert task["proxyConfiguration"] == {
        "containerName": "envoy",
        "type": "APPMESH",
        "properties": [{"name": "AppPorts", "value": "80"}],
    }
    assert task["placementConstraints"] == [{"type": "memberOf", "expression": "attribute:x == y"}]
    assert task["tags"] == [{"key": "team", "value": "a"}]
    assert "inferenceAccelerators" not in task and "arn" not in task and "tagsAll" not in task
    assert task["containerDefinitions"] == CONTAINERS
    # Missing arguments are located where Terraform would spell them.
    assert target.locate(("executionRoleArn",))[-1] == "execution_role_arn"
    assert target.locate(("tags", 0))[-1] == "team"


def _source(data: dict[str, Any]) -> Any:
    from ecslint.load.source import Source

    return Source("plan.json", json.dumps(data, indent=2))


def test_values_known_after_apply_are_unknown(tmp_path: Path) -> None:
    values = {"family": "api", "container_definitions": None}
    path = write(
        tmp_path,
        "plan.json",
        plan(values, {"container_definitions": True, "execution_role_arn": True}),
    )
    (target,) = targets(path)
    assert isinstance(target.task["containerDefinitions"], Unknown)
    assert isinstance(target.task["executionRoleArn"], Unknown)
    result = lint_file(path)
    assert result.rules() == ["ECS001"]
    assert "known only after apply" in result.findings[0]["message"]
    assert result.findings[0]["path"].endswith("/values/container_definitions")


def test_invalid_container_json_is_not_evaluated(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.json", plan({"container_definitions": "[{"}))
    result = lint_file(path)
    assert result.rules() == ["ECS001"]
    assert "not valid JSON" in result.findings[0]["message"]


def test_state_file(tmp_path: Path) -> None:
    state = {
        "format_version": "1.0",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_ecs_task_definition.web",
                        "mode": "managed",
                        "type": "aws_ecs_task_definition",
                        "name": "web",
                        "values": {
                            "family": "web",
                            "container_definitions": json.dumps(CONTAINERS),
                        },
                    },
                    {
                        "address": "data.aws_ecs_task_definition.old",
                        "mode": "data",
                        "type": "aws_ecs_task_definition",
                        "values": {"family": "old"},
                    },
                ]
            }
        },
    }
    result = lint_file(write(tmp_path, "state.json", state))
    assert result.json["summary"]["task_definitions"] == 1
    assert "ECS401" in result.rules()


def test_plan_without_task_definitions_is_skipped(tmp_path: Path) -> None:
    data = {"format_version": "1.2", "planned_values": {"root_module": {"resources": []}}}
    result = run_cli(["check", "--format", "json", str(write(tmp_path, "p.json", data))])
    assert result.exit_code == 0
    assert "skipped: a Terraform plan or state with no aws_ecs_task_definition" in result.stderr


HEREDOC = """\
resource "aws_ecs_task_definition" "svc" {
  family                = "svc"
  cpu                   = 256
  container_definitions = <<-EOT
    [
      {
        "name": "web",
        "image": "nginx:latest",
        "logConfiguration": {"logDriver": "awslogs"}
      }
    ]
  EOT
  volume {
    name      = "logs"
    host_path = "/var/log"
  }
  tags = { team = "a" }
}
"""

JSONENCODE = """\
resource "aws_ecs_task_definition" "svc" {
  family = "svc"
  container_definitions = jsonencode([
    {
      name  = "web"
      image = "nginx"
      port  = -1
    },
    {
      name  = "side"
      image = var.side_image
      logConfiguration = { logDriver = "awslogs" }
    }
  ])
}
"""


def test_tf_heredoc(tmp_path: Path) -> None:
    path = write(tmp_path, "main.tf", HEREDOC)
    result = lint_file(path)
    (finding,) = result.findings
    assert finding["rule"] == "ECS401"
    assert (finding["line"], finding["column"]) == (8, 18)
    assert finding["message"].startswith("aws_ecs_task_definition.svc: image 'nginx:latest'")
    (target,) = targets(path)
    assert target.task["cpu"] == "256"
    assert target.task["volumes"] == [{"name": "logs", "host": {"sourcePath": "/var/log"}}]
    assert target.task["tags"] == [{"key": "team", "value": "a"}]


def test_tf_jsonencode_literal(tmp_path: Path) -> None:
    path = write(tmp_path, "main.tf", JSONENCODE)
    result = lint_file(path)
    found = {(f["rule"], f["container"]): f for f in result.findings}
    assert set(found) == {("ECS401", "web"), ("ECS101", "web"), ("ECS001", "side")}
    assert (found["ECS401", "web"]["line"], found["ECS401", "web"]["column"]) == (6, 15)
    assert found["ECS001", "side"]["line"] == 11
    assert "'${var.side_image}' is a Terraform expression" in found["ECS001", "side"]["message"]
    (target,) = targets(path)
    assert target.task["containerDefinitions"][0]["port"] == -1


def test_tf_expressions_are_never_guessed(tmp_path: Path) -> None:
    text = """\
resource "aws_ecs_task_definition" "a" {
  family                = var.family
  container_definitions = templatefile("c.tpl", { image = var.image })
}
resource "aws_ecs_task_definition" "b" {
  family                = "b-${var.env}"
  container_definitions = file("containers.json")
}
"""
    write(tmp_path, "c.tpl", '[{"name": "a", "image": "${image}"}]')
    result = lint_file(write(tmp_path, "main.tf", text))
    # the template's variable has no value here; containers.json does not exist
    assert result.rules() == ["ECS001", "ECS001", "ECS004"]
    assert [f["line"] for f in result.findings] == [3, 7, 7]
    assert "c.tpl' is a template that Terraform renders" in result.findings[0]["message"]
    assert "every container rule" in result.findings[0]["message"]
    assert "containers.json, which cannot be read" in result.findings[2]["message"]


def test_tf_syntax_error_and_no_resource(tmp_path: Path) -> None:
    broken = lint_file(write(tmp_path, "bad.tf", 'resource "x" {\n  a = \n}\n'))
    assert broken.rules() == ["ECS002"]
    assert broken.findings[0]["line"] == 2
    other = run_cli(
        [
            "check",
            "--format",
            "json",
            str(write(tmp_path, "s3.tf", 'resource "aws_s3_bucket" "b" {}\n')),
        ]
    )
    assert other.exit_code == 0
    assert "skipped: a Terraform file with no aws_ecs_task_definition" in other.stderr


def test_input_format_terraform_reads_any_name(tmp_path: Path) -> None:
    path = write(tmp_path, "main.hcl", HEREDOC)
    assert lint_file(path).rules() == ["ECS002"]  # read as YAML, which it is not
    forced = run_cli(
        ["check", "--format", "json", *SELECT, "--input-format", "terraform", str(path)]
    )
    assert [f["rule"] for f in forced.findings] == ["ECS401"]


def test_directory_walk_reads_tf_files(tmp_path: Path) -> None:
    write(tmp_path, "main.tf", HEREDOC)
    result = run_cli(["check", "--format", "json", str(tmp_path)])
    assert result.json["summary"]["task_definitions"] == 1


@needs_iac_corpus
def test_corpus_terraform_and_fixtures() -> None:
    files = sorted((IAC_CORPUS / "terraform").glob("*.tf"))
    files += sorted((IAC_CORPUS / "fixtures").glob("*.tf"))
    result = run_cli(["check", "--format", "json", *map(str, files)])
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    # The corpus keeps each file alone (renamed owner__repo__path), so a file() it follows
    # is missing: that is ECS004 (Terraform fails on it too), and nothing else is.
    unreadable = [f for f in result.findings if f["rule"] in ("ECS002", "ECS004")]
    assert all("which cannot be read: cannot read file" in f["message"] for f in unreadable)
    assert result.json["summary"]["task_definitions"] >= 17 + 20


@needs_iac_corpus
def test_fixture_values_reach_the_rules() -> None:
    fixtures = IAC_CORPUS / "fixtures"
    red = (
        fixtures
        / "epam__ecc-aws-rulepack__terraform_ecc-aws-537-ecs_containers_nonprivileged_red_ecs.tf"
    )
    (target,) = targets(red)
    assert target.task["containerDefinitions"][0]["privileged"] is True
    assert target.task["networkMode"] == "awsvpc"
    roles = fixtures / (
        "bridgecrewio__checkov__tests_terraform_checks_resource_aws_example_"
        "ECSTaskDefinitionRoleCheck_main.tf"
    )
    by_label = {t.label: t.task for t in targets(roles)}
    fail = by_label["aws_ecs_task_definition.fail"]
    assert fail["executionRoleArn"] == fail["taskRoleArn"]
    merge = (
        fixtures / "bridgecrewio__checkov__tests_terraform_graph_resources_ecs_with_merge_main.tf"
    )
    for target in targets(merge):
        definitions = target.task["containerDefinitions"]
        # a container built by merge() leaves the whole list unjudged (it could be the
        # one a cross-container rule looks for)
        assert isinstance(definitions, Unknown) and "a container of the list" in definitions.reason


def test_a_tf_file_on_stdin_is_read_as_terraform() -> None:
    """stdin has no file name; Terraform blocks say what the text is (no confusing note)."""
    text = (
        'resource "aws_ecs_task_definition" "w" {\n'
        '  family = "w"\n'
        '  container_definitions = jsonencode([{ name = "w", image = "busybox:latest" }])\n'
        "}\n"
    )
    result = run_cli(["check", "--format", "json", "--select", "ECS401", "-"], stdin=text)
    assert result.exit_code == 1, result.stderr
    [finding] = result.findings
    assert (finding["rule"], finding["line"]) == ("ECS401", 3)
    assert "top level is a str" not in result.stderr
    other = run_cli(["check", "-"], stdin='resource "aws_vpc" "m" {\n  cidr_block = "x"\n}\n')
    assert other.exit_code == 0
    assert "no aws_ecs_task_definition" in other.stderr
