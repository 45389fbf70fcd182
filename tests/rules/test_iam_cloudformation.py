"""Execution roles defined in the same CloudFormation template as the task definition.

The CloudFormation loader is another branch's work, so the target it would make is
built here the way the contract says (shape ``cloudformation``, the template as the
document, Ref/GetAtt role fields as ``Unknown`` with ``.ref``), and run through the engine.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from ecslint.catalog import load_builtin_catalog
from ecslint.engine import Linter
from ecslint.iam.cloudformation import roles_from_cloudformation
from ecslint.iam.roles import ecs_tasks_can_assume
from ecslint.load import Source, Target, parse
from ecslint.load.unknown import Unknown
from ecslint.model import Finding
from tests.conftest import lint_file, trust_policy

TRUST = trust_policy()


def template(role_props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "ExecRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": TRUST, **role_props},
            },
            "TaskDef": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "Family": "orders",
                    "RequiresCompatibilities": ["FARGATE"],
                    "ExecutionRoleArn": {"Fn::GetAtt": ["ExecRole", "Arn"]},
                    "ContainerDefinitions": [
                        {
                            "Name": "api",
                            "Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1",
                            "LogConfiguration": {
                                "LogDriver": "awslogs",
                                "Options": {
                                    "awslogs-group": "/ecs/orders",
                                    "awslogs-region": "eu-west-1",
                                },
                            },
                        }
                    ],
                },
            },
            **extra,
        },
    }


def run(data: dict[str, Any], role_ref: str = "ExecRole") -> list[Finding]:
    document = parse(Source("template.json", json.dumps(data, indent=2)))
    props = data["Resources"]["TaskDef"]["Properties"]
    container = props["ContainerDefinitions"][0]
    task = {
        "family": "orders",
        "requiresCompatibilities": ["FARGATE"],
        "executionRoleArn": Unknown("!GetAtt ExecRole.Arn", "CloudFormation reference", role_ref),
        "containerDefinitions": [
            {
                "name": "api",
                "image": container["Image"],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": container["LogConfiguration"]["Options"],
                },
            }
        ],
    }
    target = Target(document, task, "cloudformation", ("Resources", "TaskDef", "Properties"))
    catalog = load_builtin_catalog()
    linter = Linter(catalog, [r for r in catalog if r.id.startswith("ECS24") or r.id == "ECS001"])
    return linter.lint_target(target, "template.json")


def test_sub_partition_managed_policy_is_the_known_execution_policy() -> None:
    arn = {
        "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/"
        "AmazonECSTaskExecutionRolePolicy"
    }
    assert run(template({"ManagedPolicyArns": [arn]})) == []


def test_missing_permissions_and_wildcard_account() -> None:
    findings = run(template({"RoleName": "ordersExecutionRole"}))
    messages = [f.message for f in findings if f.rule == "ECS240"]
    assert messages[0].startswith(
        "execution role ordersExecutionRole does not allow ecr:GetAuthorizationToken on *"
    )
    # The role has no ARN in the template: the log group's account is matched as any account.
    logs = [m for m in messages if "logs:PutLogEvents" in m]
    assert logs == [
        "execution role ordersExecutionRole does not allow logs:PutLogEvents on "
        "arn:aws:logs:eu-west-1:*:log-group:/ecs/orders:*; needed for the awslogs driver of "
        "container 'api' (the account is unknown, so the policies were matched for any account)"
    ]


def test_inline_policy_scoped_to_one_account_matches_the_unknown_account() -> None:
    policy = {
        "PolicyName": "logs",
        "PolicyDocument": {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "ecr:*"],
                    "Resource": [
                        "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/orders:*",
                        "*",
                    ],
                }
            ]
        },
    }
    assert run(template({"Policies": [policy]})) == []


def test_attached_policy_resources_and_intrinsics() -> None:
    extra = {
        "Pull": {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "Roles": [{"Ref": "ExecRole"}],
                "PolicyDocument": {
                    "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]
                },
            },
        },
        "Logs": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "logs:*",
                            "Resource": {"Fn::GetAtt": ["LogGroup", "Arn"]},
                        }
                    ]
                }
            },
        },
    }
    findings = run(template({"ManagedPolicyArns": [{"Ref": "Logs"}]}, **extra))
    # ECR is allowed by the AWS::IAM::Policy; logs depend on a GetAtt: not evaluated.
    assert [f.rule for f in findings] == ["ECS001"]
    assert "AWS::IAM::ManagedPolicy Logs" in findings[0].message
    assert findings[0].path.endswith("/logConfiguration/options/awslogs-group")


def test_untrusted_role_and_ref_to_a_parameter() -> None:
    trust = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ]
    }
    data = template({"AssumeRolePolicyDocument": trust})
    assert "ECS243" in [f.rule for f in run(data)]
    # A Ref to something that is not a role in the template: not evaluated.
    assert [f.rule for f in run(data, role_ref="ExecRoleArnParameter")] == ["ECS001"]


def test_roles_from_cloudformation_reads_every_role() -> None:
    data = template(
        {"ManagedPolicyArns": ["arn:aws:iam::123456789012:policy/Custom"]},
        Other={"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
    )
    roles = roles_from_cloudformation(data)
    assert sorted(roles) == ["ExecRole", "Other"]
    assert roles["ExecRole"].unknown_policies == ["arn:aws:iam::123456789012:policy/Custom"]
    assert ecs_tasks_can_assume(roles["ExecRole"].trust)
    assert not ecs_tasks_can_assume(roles["Other"].trust)
    assert roles_from_cloudformation({"Resources": []}) == {}


def test_trust_policy_with_intrinsics_is_not_judged() -> None:
    trust = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": {"Fn::Sub": "ecs-tasks.${AWS::URLSuffix}"}},
                "Action": "sts:AssumeRole",
            }
        ]
    }
    policy = {
        "ManagedPolicyArns": [
            "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
        ]
    }
    assert run(template({"AssumeRolePolicyDocument": trust, **policy})) == []


E2E_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ordersExecutionRole
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: orders
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ExecutionRoleArn: !GetAtt ExecRole.Arn
      ContainerDefinitions:
        - Name: api
          Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1
          Secrets:
            - Name: DB
              ValueFrom: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: /ecs/orders
              awslogs-region: eu-west-1
              awslogs-stream-prefix: api
"""


@pytest.mark.skipif(
    importlib.util.find_spec("ecslint.load.cloudformation") is None,
    reason="the CloudFormation loader (branch iac) is not merged yet",
)
def test_template_end_to_end_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "stack.yaml"
    path.write_text(E2E_TEMPLATE, encoding="utf-8")
    result = lint_file(path, "--select", "ECS24")
    assert [(f["rule"], f["line"]) for f in result.findings if f["rule"] == "ECS240"] == [
        ("ECS240", 28)
    ]
    [finding] = [f for f in result.findings if f["rule"] == "ECS240"]
    assert "does not allow secretsmanager:GetSecretValue on" in finding["message"]
