"""CloudFormation templates through the CLI: mapping, positions, intrinsics, detection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ecslint.facts.cloudformation import API_FIELDS, BOOLEAN_FIELDS, INTEGER_FIELDS
from ecslint.load import detect_targets, parse
from ecslint.load.cloudformation import api_to_cfn, cfn_to_api, template_resource
from ecslint.load.source import Source
from ecslint.load.unknown import Unknown
from tests.conftest import lint_file as lint_any
from tests.conftest import run_cli
from tests.iac_corpus import IAC_CORPUS, needs_iac_corpus

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ImageUrl:
    Type: String
    Default: nginx
  Tagged:
    Type: String
Resources:
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      Cpu: 256
      Memory: '512'
      ExecutionRoleArn: !GetAtt ExecRole.Arn
      ContainerDefinitions:
        - Name: web
          Image: !Ref ImageUrl
          Essential: 'true'
        - Name: side
          Image: !Ref Tagged
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Sub /ecs/${AWS::StackName}
              awslogs-region: !Ref AWS::Region
  Bucket:
    Type: AWS::S3::Bucket
"""


#: The rules these tests observe; the loader is what is under test, not the catalog.
SELECT = ("--select", "ECS001,ECS002,ECS003,ECS004,ECS101,ECS401")


def lint_file(path: Path, *extra: str) -> Any:
    return lint_any(path, *SELECT, *extra)


def write(tmp_path: Path, text: str, name: str = "template.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def targets(text: str, path: str = "t.yaml") -> list[Any]:
    return detect_targets(parse(Source(path, text)))


def by_rule(findings: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule"] == rule]


def test_yaml_short_forms_point_into_the_template(tmp_path: Path) -> None:
    result = lint_file(write(tmp_path, TEMPLATE))
    assert result.exit_code == 1
    latest = by_rule(result.findings, "ECS401")
    assert len(latest) == 1
    finding = latest[0]
    assert finding["path"] == "/Resources/TaskDef/Properties/ContainerDefinitions/0/Image"
    assert (finding["line"], finding["column"]) == (22, 18)
    assert finding["container"] == "web"
    assert finding["message"].startswith("TaskDef: image 'nginx' has no tag")
    assert finding["message"].endswith("(from parameter ImageUrl's default)")
    logs = by_rule(result.findings, "ECS101")
    assert [f["path"] for f in logs] == [
        "/Resources/TaskDef/Properties/ContainerDefinitions/0/LogConfiguration"
    ]
    assert logs[0]["line"] == 21  # the container that lacks the key


def test_parameter_without_default_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_file(write(tmp_path, TEMPLATE))
    skipped = by_rule(result.findings, "ECS001")
    assert [f["path"] for f in skipped] == [
        "/Resources/TaskDef/Properties/ContainerDefinitions/1/Image"
    ]
    assert "'${Tagged}' is a CloudFormation parameter without a default" in (skipped[0]["message"])
    assert "latest-image-tag" in skipped[0]["message"]


def test_mapping_and_coercion() -> None:
    (target,) = targets(TEMPLATE)
    task = target.task
    assert target.shape == "cloudformation" and target.label == "TaskDef"
    assert task["family"] == "web"
    assert task["cpu"] == "256" and task["memory"] == "512"  # API strings
    web, side = task["containerDefinitions"]
    assert web["essential"] is True  # 'true' read as the boolean CloudFormation passes on
    role = task["executionRoleArn"]
    assert isinstance(role, Unknown) and role.ref == "ExecRole"
    assert template_resource(target, "ExecRole") == {
        "Type": "AWS::IAM::Role",
        "Properties": {"AssumeRolePolicyDocument": {}},
    }
    options = side["logConfiguration"]["options"]
    assert set(options) == {"awslogs-group", "awslogs-region"}  # user keys kept as written
    assert isinstance(options["awslogs-region"], Unknown)
    assert isinstance(options["awslogs-group"], Unknown)


def test_json_template_and_quirks(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Td": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "ContainerDefinitions": [
                        {
                            "Name": "app",
                            "Image": {"Fn::Sub": "nginx:latest"},
                            "DockerLabels": {"Team": "a"},
                            "PortMappings": [{"ContainerPort": "80"}],
                            "Unheard": 1,
                        }
                    ],
                    "Volumes": [
                        {
                            "Name": "data",
                            "EFSVolumeConfiguration": {
                                "FilesystemId": "fs-1",
                                "AuthorizationConfig": {"IAM": "ENABLED"},
                            },
                        }
                    ],
                    "ProxyConfiguration": {
                        "ContainerName": "envoy",
                        "ProxyConfigurationProperties": [{"Name": "AppPorts", "Value": "80"}],
                    },
                    "Tags": [{"Key": "team", "Value": "a"}],
                },
            }
        }
    }
    text = json.dumps(template, indent=2)
    (target,) = targets(text, "t.json")
    task = target.task
    container = task["containerDefinitions"][0]
    assert container["image"] == "nginx:latest"  # a Fn::Sub with no variables is its string
    assert container["dockerLabels"] == {"Team": "a"}
    assert container["portMappings"] == [{"containerPort": 80}]
    assert "Unheard" not in container  # CloudFormation rejects it: reported, not evaluated
    (unheard,) = target.contract["unknown-key"]
    assert "Encountered unsupported property Unheard" in unheard.message
    efs = task["volumes"][0]["efsVolumeConfiguration"]
    assert efs == {"fileSystemId": "fs-1", "authorizationConfig": {"iam": "ENABLED"}}
    assert task["proxyConfiguration"]["properties"] == [{"name": "AppPorts", "value": "80"}]
    assert task["tags"] == [{"key": "team", "value": "a"}]
    assert target.locate(("volumes", 0, "efsVolumeConfiguration", "fileSystemId")) == (
        "Resources",
        "Td",
        "Properties",
        "Volumes",
        0,
        "EFSVolumeConfiguration",
        "FilesystemId",
    )
    # A missing key is located where CloudFormation would spell it.
    assert target.locate(("volumes", 0, "efsVolumeConfiguration", "rootDirectory"))[-1] == (
        "RootDirectory"
    )
    assert target.locate(("logConfiguration",)) == (
        "Resources",
        "Td",
        "Properties",
        "LogConfiguration",
    )
    result = lint_file(write(tmp_path, text, "t.json"))
    (finding,) = by_rule(result.findings, "ECS401")
    assert finding["path"] == "/Resources/Td/Properties/ContainerDefinitions/0/Image"
    lines = text.splitlines()
    image_line = next(i for i, line in enumerate(lines, 1) if '"Image": {' in line)
    assert (finding["line"], finding["column"]) == (
        image_line,
        lines[image_line - 1].index("{") + 1,
    )


def test_key_names_round_trip() -> None:
    assert cfn_to_api("FilesystemId") == "fileSystemId"
    assert cfn_to_api("FileSystemId", "EFSVolumeConfiguration") == "FileSystemId"
    assert cfn_to_api("FileSystemId", "FSxWindowsFileServerVolumeConfiguration") == "fileSystemId"
    assert cfn_to_api("EfsVolumeConfiguration") == "EfsVolumeConfiguration"
    assert cfn_to_api("S3FilesVolumeConfiguration") == "s3filesVolumeConfiguration"
    for name in API_FIELDS - {"properties", "fileSystemId"}:
        assert cfn_to_api(api_to_cfn(name)) == name


IF_TEMPLATE = """\
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Parameters:
  Env: {Type: String}
Resources:
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: same
          Image: !If [IsProd, "nginx:latest", "nginx:latest"]
        - Name: differ
          Image: !If [IsProd, "nginx:1.27", "nginx:latest"]
        - Name: partly
          Image: "nginx:1.27"
          LogConfiguration: !If
            - IsProd
            - LogDriver: awslogs
              Options: {awslogs-region: eu-west-1}
            - LogDriver: awslogs
              Options: {awslogs-region: us-east-1}
        - Name: novalue
          Image: "nginx:1.27"
          LogConfiguration: !If [IsProd, {LogDriver: awslogs}, !Ref AWS::NoValue]
        - !If [IsProd, {Name: maybe, Image: "nginx:latest"}, !Ref AWS::NoValue]
"""


def test_fn_if_is_checked_where_both_branches_agree(tmp_path: Path) -> None:
    (target,) = targets(IF_TEMPLATE)
    same, differ, partly, novalue, maybe = target.task["containerDefinitions"]
    assert isinstance(maybe, Unknown) and "set on one branch only" in maybe.reason
    assert same["image"] == "nginx:latest"
    assert isinstance(differ["image"], Unknown)
    assert "branches differ" in differ["image"].reason
    log = partly["logConfiguration"]
    assert log["logDriver"] == "awslogs"
    assert isinstance(log["options"]["awslogs-region"], Unknown)
    assert isinstance(novalue["logConfiguration"], Unknown)

    # Linted, each branch is a deployment: a finding says when it holds.
    findings = lint_file(write(tmp_path, IF_TEMPLATE)).findings
    latest = {
        (f["container"], f["line"], f["column"]): f["message"] for f in by_rule(findings, "ECS401")
    }
    assert set(latest) == {
        ("same", 11, 31),
        ("same", 11, 47),
        ("differ", 13, 45),
        ("maybe", 25, 45),
    }
    assert latest["same", 11, 31].endswith("(when IsProd is true)")
    assert latest["differ", 13, 45].endswith("(when IsProd is false)")
    logs = {f["container"]: f["message"] for f in by_rule(findings, "ECS101")}
    assert set(logs) == {"same", "differ", "novalue", "maybe"}
    assert not logs["same"].endswith(")")  # both deployments: said once, without a condition
    assert logs["novalue"].endswith("(when IsProd is false)")


def test_fn_if_conditions_are_evaluated_together(tmp_path: Path) -> None:
    # IsDev is !Not IsProd: the two are never both true, so no variant has both.
    text = IF_TEMPLATE.replace(
        "  IsProd: !Equals [!Ref Env, prod]",
        "  IsProd: !Equals [!Ref Env, prod]\n  IsDev: !Not [!Condition IsProd]",
    ).replace(
        'Image: !If [IsProd, "nginx:1.27", "nginx:latest"]', 'Image: !If [IsDev, "a:1", "b:2"]'
    )
    findings = lint_file(write(tmp_path, text)).findings
    whens = {f["message"].rsplit("(when ", 1)[-1] for f in findings if "(when " in f["message"]}
    assert whens == {"IsDev is false, IsProd is true)", "IsDev is true, IsProd is false)"}
    assert sorted(f["container"] for f in by_rule(findings, "ECS401")) == ["maybe", "same", "same"]


def test_fn_if_that_cannot_be_evaluated_checks_what_the_branches_agree_on(tmp_path: Path) -> None:
    text = IF_TEMPLATE.replace(
        "  IsProd: !Equals [!Ref Env, prod]", "  IsProd: !Equals [!ImportValue Env, prod]"
    )
    findings = lint_file(write(tmp_path, text)).findings
    assert [f["container"] for f in by_rule(findings, "ECS401")] == ["same"]
    assert not [f for f in findings if "(when " in f["message"]]


def test_sub_names_the_resource_it_refers_to() -> None:
    text = TEMPLATE.replace(
        "ExecutionRoleArn: !GetAtt ExecRole.Arn",
        "ExecutionRoleArn: !Sub 'arn:aws:iam::${AWS::AccountId}:role/${ExecRole}'",
    )
    (target,) = targets(text)
    role = target.task["executionRoleArn"]
    assert isinstance(role, Unknown) and role.ref == "ExecRole"


def test_template_without_task_definition_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    result = run_cli(["check", "--format", "json", str(path)])
    assert result.exit_code == 0
    assert result.findings == []
    assert "skipped: a CloudFormation template with no AWS::ECS::TaskDefinition" in result.stderr


def test_unknown_tag_is_still_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "Resources:\n  T:\n    Type: !Custom AWS::ECS::TaskDefinition\n")
    result = lint_file(path)
    assert result.rules() == ["ECS004"]
    assert "YAML tag !Custom is not supported" in result.findings[0]["message"]
    assert result.findings[0]["line"] == 3


def test_input_format_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, TEMPLATE)
    forced = run_cli(["check", "--format", "json", *SELECT, "--input-format", "taskdef", str(path)])
    assert forced.exit_code == 0 and forced.findings == []
    assert "skipped: not taskdef input" in forced.stderr
    explicit = run_cli(
        ["check", "--format", "json", *SELECT, "--input-format", "cloudformation", str(path)]
    )
    assert "ECS401" in explicit.rules()
    bad = run_cli(["check", "--input-format", "xml", str(path)])
    assert bad.exit_code == 2


def test_directory_walk_reads_template_files(tmp_path: Path) -> None:
    write(tmp_path, json.dumps({"Resources": {}, "AWSTemplateFormatVersion": "x"}), "a.template")
    result = run_cli(["check", "--format", "json", str(tmp_path)])
    assert result.json["summary"]["files"] == 1


def test_api_field_lists_match_the_botocore_model() -> None:
    session = pytest.importorskip("botocore.session")

    model = session.get_session().get_service_model("ecs")
    root = model.operation_model("RegisterTaskDefinition").input_shape
    names: dict[str, set[str]] = {}
    seen: set[str] = set()
    stack = [root]
    while stack:
        shape = stack.pop()
        if shape.name in seen:
            continue
        seen.add(shape.name)
        if shape.type_name == "structure":
            for name, member in shape.members.items():
                names.setdefault(name, set()).add(member.type_name)
                stack.append(member)
        elif shape.type_name == "list":
            stack.append(shape.member)
    assert set(names) == API_FIELDS
    assert {n for n, t in names.items() if t == {"integer"}} == INTEGER_FIELDS
    assert {n for n, t in names.items() if t == {"boolean"}} == BOOLEAN_FIELDS


@needs_iac_corpus
def test_corpus_templates_lint_without_errors() -> None:
    files = sorted((IAC_CORPUS / "cfn").iterdir())
    result = run_cli(["check", "--format", "json", *map(str, files)])
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    summary = result.json["summary"]
    assert summary["files"] == len(files) == 26
    # 35 task definitions in 26 files; one file is not valid YAML as committed.
    assert summary["task_definitions"] == 34
    syntax = [f for f in result.findings if f["rule"] == "ECS002"]
    assert [Path(f["file"]).name for f in syntax] == [
        "clphan__efsecsfargate__cloudformation_ecs.yml"
    ]
    for finding in result.findings:
        if finding["rule"] not in ("ECS002", "ECS003"):
            assert finding["path"].startswith("/Resources/"), finding
            assert finding["line"] > 1


USER_MAP_TEMPLATE = """\
Resources:
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Volumes:
        - Name: data
          DockerVolumeConfiguration:
            Driver: local
            DriverOpts: {Type: nfs, Device: ":/export"}
            Labels: {Owner: team-a}
      ContainerDefinitions:
        - Name: web
          Image: nginx:1.27
          DockerLabels: {Team: web, com.example.Version: "2"}
          LogConfiguration:
            LogDriver: awsfirelens
            Options: {Name: cloudwatch, Region: eu-west-1}
"""


def test_every_user_chosen_map_keeps_its_keys_as_written() -> None:
    """dockerLabels, driverOpts, labels, options: their keys are the user's, not API names."""
    (target,) = targets(USER_MAP_TEMPLATE)
    volume = target.task["volumes"][0]["dockerVolumeConfiguration"]
    assert set(volume["driverOpts"]) == {"Type", "Device"}
    assert volume["labels"] == {"Owner": "team-a"}
    (web,) = target.task["containerDefinitions"]
    assert set(web["dockerLabels"]) == {"Team", "com.example.Version"}
    assert set(web["logConfiguration"]["options"]) == {"Name", "Region"}


def test_a_finding_inside_a_user_map_points_at_the_key_as_written(tmp_path: Path) -> None:
    # "type" is also an API field name: only a user map keeps it from becoming "Type"
    options = "{awslogs-group: g, awslogs-region: eu-west-1, awslogs-stream-prefx: w, type: x}"
    text = USER_MAP_TEMPLATE.replace("LogDriver: awsfirelens", "LogDriver: awslogs").replace(
        "Options: {Name: cloudwatch, Region: eu-west-1}", f"Options: {options}"
    )
    result = lint_any(write(tmp_path, text), "--select", "ECS104")
    base = "/Resources/TaskDef/Properties/ContainerDefinitions/0/LogConfiguration/Options"
    assert [f["path"] for f in by_rule(result.findings, "ECS104")] == [
        f"{base}/awslogs-stream-prefx",
        f"{base}/type",
    ]
