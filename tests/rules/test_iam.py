"""The execution-role rules (ECS240-ECS245): through the CLI with ``--iam`` files written
here, on roles defined in the same CloudFormation template, and on hostile inputs."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from ecslint.catalog import load_builtin_catalog
from ecslint.engine import Linter
from ecslint.iam.cloudformation import roles_from_cloudformation
from ecslint.iam.roles import ecs_tasks_can_assume
from ecslint.load import Source, Target, parse
from ecslint.load.unknown import Unknown
from ecslint.model import Finding
from tests.conftest import CliResult, lint, lint_file, trust_policy

ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/ordersExecutionRole"
TRUST = trust_policy()
EXEC_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"


def role(
    *statements: dict[str, Any],
    name: str = "ordersExecutionRole",
    trust: Any = TRUST,
    managed: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "RoleName": name,
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "AssumeRolePolicyDocument": trust,
        "RolePolicyList": [
            {
                "PolicyName": "inline",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": list(statements)},
            }
        ]
        if statements
        else [],
        "AttachedManagedPolicies": [
            {"PolicyName": arn.rsplit("/", 1)[-1], "PolicyArn": arn} for arn in managed
        ],
    }


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


@pytest.fixture
def iam_file(tmp_path: Path) -> Any:
    def write(*roles: dict[str, Any], policies: list[dict[str, Any]] | None = None) -> str:
        path = tmp_path / "auth.json"
        data = {"RoleDetailList": list(roles), "Policies": policies or []}
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    return write


def task(*containers: dict[str, Any], fargate: bool = True, **top: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"family": "orders", "executionRoleArn": ROLE_ARN, **top}
    if fargate:
        doc.update(
            requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512"
        )
    doc["containerDefinitions"] = list(containers) or [container()]
    return doc


def container(**fields: Any) -> dict[str, Any]:
    return {"name": "api", "image": "public.ecr.aws/nginx/nginx:1.27", **fields}


def iam_findings(result: CliResult) -> list[tuple[str, str, str]]:
    return [
        (f["rule"], f["path"], f["message"])
        for f in result.findings
        if f["rule"].startswith("ECS24") or f["rule"] == "ECS001"
    ]


def messages(result: CliResult, rule: str) -> list[str]:
    return [f["message"].split(";")[0] for f in result.findings if f["rule"] == rule]


ECR = f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/orders/api:1.0"


def test_no_source_means_the_rules_stay_silent() -> None:
    result = lint(task(container(image=ECR)))
    assert not [f for f in result.findings if f["rule"].startswith("ECS24")]


def test_ecr_image_needs_token_and_layer_actions(iam_file: Any) -> None:
    path = iam_file(role())
    result = lint(task(container(image=ECR)), "--iam", path)
    repo = f"arn:aws:ecr:eu-west-1:{ACCOUNT}:repository/orders/api"
    says = "execution role ordersExecutionRole does not allow"
    assert messages(result, "ECS240") == [
        f"{says} ecr:GetAuthorizationToken on *",
        f"{says} ecr:BatchCheckLayerAvailability on {repo}",
        f"{says} ecr:GetDownloadUrlForLayer on {repo}",
        f"{says} ecr:BatchGetImage on {repo}",
    ]
    assert {f["path"] for f in result.findings if f["rule"] == "ECS240"} == {
        "/containerDefinitions/0/image"
    }
    assert next(f for f in result.findings if f["rule"] == "ECS240")["line"] > 1
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("host", "arn_prefix"),
    [
        ("111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn", "arn:aws-cn:ecr:cn-north-1"),
        (
            "111122223333.dkr.ecr-fips.us-gov-west-1.amazonaws.com",
            "arn:aws-us-gov:ecr:us-gov-west-1",
        ),
        ("111122223333.dkr.ecr-fips.us-east-1.amazonaws.com", "arn:aws:ecr:us-east-1"),
        ("111122223333.dkr-ecr.eu-west-1.on.aws", "arn:aws:ecr:eu-west-1"),
    ],
)
def test_repository_arn_for_china_fips_and_dual_stack_hosts(
    iam_file: Any, host: str, arn_prefix: str
) -> None:
    path = iam_file(role(allow("ecr:GetAuthorizationToken")))
    result = lint(task(container(image=f"{host}/team/app@sha256:{'a' * 64}")), "--iam", path)
    assert messages(result, "ECS240")[0] == (
        "execution role ordersExecutionRole does not allow ecr:BatchCheckLayerAvailability "
        f"on {arn_prefix}:111122223333:repository/team/app"
    )


def test_managed_execution_policy_is_known_without_being_in_the_file(iam_file: Any) -> None:
    logs = {
        "logDriver": "awslogs",
        "options": {"awslogs-group": "/ecs/orders", "awslogs-region": "eu-west-1"},
    }
    path = iam_file(role(managed=(EXEC_POLICY,)))
    result = lint(task(container(image=ECR, logConfiguration=logs)), "--iam", path)
    assert iam_findings(result) == []
    only_iam = lint(
        task(container(image=ECR, logConfiguration=logs)), "--iam", path, "--select", "ECS24"
    )
    assert only_iam.exit_code == 0


def test_awslogs_needs_stream_events_and_create_group(iam_file: Any) -> None:
    logs = {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": "/ecs/orders",
            "awslogs-region": "eu-west-1",
            "awslogs-create-group": "true",
        },
    }
    group = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/ecs/orders:*"
    path = iam_file(role(managed=(EXEC_POLICY,)))
    result = lint(task(container(logConfiguration=logs)), "--iam", path)
    [finding] = [f for f in result.findings if f["rule"] == "ECS240"]
    assert (
        finding["path"] == "/containerDefinitions/0/logConfiguration/options/awslogs-create-group"
    )
    assert finding["message"].startswith(
        f"execution role ordersExecutionRole does not allow logs:CreateLogGroup on {group}"
    )
    # Scoped to the log group: passes; scoped to another group: fails.
    scoped = iam_file(role(allow(["logs:Create*", "logs:PutLogEvents"], group)))
    assert messages(lint(task(container(logConfiguration=logs)), "--iam", scoped), "ECS240") == []
    other = iam_file(role(allow("logs:*", group.replace("orders", "billing"))))
    assert (
        len(messages(lint(task(container(logConfiguration=logs)), "--iam", other), "ECS240")) == 3
    )


def test_secrets_manager_ssm_and_bare_names(iam_file: Any) -> None:
    secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf"
    param = f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/prod/db/password"
    secrets = [
        {"name": "DB_USER", "valueFrom": f"{secret}:username::"},
        {"name": "DB_PASS", "valueFrom": param},
        {"name": "TOKEN", "valueFrom": "/prod/token"},
    ]
    path = iam_file(role(allow("secretsmanager:GetSecretValue", secret)))
    result = lint(task(container(secrets=secrets)), "--iam", path)
    assert messages(result, "ECS240") == [
        f"execution role ordersExecutionRole does not allow ssm:GetParameters on {param}"
    ]
    # A bare name without a known Region: not evaluated, never passed or failed.
    [(_, pointer, message)] = [x for x in iam_findings(result) if x[0] == "ECS001"]
    assert pointer == "/containerDefinitions/0/secrets/2/valueFrom"
    assert "Region is unknown" in message
    # With the Region, the bare name becomes an ARN in the role's account.
    result = lint(task(container(secrets=secrets)), "--iam", path, "--region", "eu-west-1")
    assert messages(result, "ECS240")[-1].endswith(
        f"ssm:GetParameters on arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/prod/token"
    )
    assert [f["rule"] for f in result.findings if f["rule"] == "ECS244"] == ["ECS244"]


def test_describe_output_gives_the_region_for_bare_names(iam_file: Any) -> None:
    described = {
        "taskDefinition": {
            **task(container(secrets=[{"name": "T", "valueFrom": "token"}])),
            "taskDefinitionArn": f"arn:aws:ecs:us-east-2:{ACCOUNT}:task-definition/orders:3",
            "revision": 3,
        }
    }
    result = lint(described, "--iam", iam_file(role()))
    assert messages(result, "ECS240") == [
        "execution role ordersExecutionRole does not allow ssm:GetParameters on "
        f"arn:aws:ssm:us-east-2:{ACCOUNT}:parameter/token"
    ]
    [finding] = [f for f in result.findings if f["rule"] == "ECS240"]
    assert finding["path"] == "/taskDefinition/containerDefinitions/0/secrets/0/valueFrom"


def test_environment_files_and_repository_credentials(iam_file: Any) -> None:
    creds = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:dockerhub-XyZ123"
    doc = task(
        container(
            environmentFiles=[{"value": "arn:aws:s3:::conf-bucket/orders/app.env", "type": "s3"}],
            repositoryCredentials={"credentialsParameter": creds},
        ),
        container(name="side", repositoryCredentials={"credentialsParameter": "dockerhub"}),
    )
    path = iam_file(role(allow("s3:GetObject", "arn:aws:s3:::conf-bucket/*")))
    result = lint(doc, "--iam", path)
    assert messages(result, "ECS240") == [
        "execution role ordersExecutionRole does not allow s3:GetBucketLocation on "
        "arn:aws:s3:::conf-bucket",
        "execution role ordersExecutionRole does not allow secretsmanager:GetSecretValue on "
        + creds,
    ]
    unevaluated = [x for x in iam_findings(result) if x[0] == "ECS001"]
    assert [x[1] for x in unevaluated] == [
        "/containerDefinitions/1/repositoryCredentials/credentialsParameter"
    ]


def test_explicit_deny_wins_and_not_action_not_resource(iam_file: Any) -> None:
    secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf"
    doc = task(container(secrets=[{"name": "DB", "valueFrom": secret}]))
    denied = iam_file(
        role(
            allow("*"),
            deny("secretsmanager:*", "arn:aws:secretsmanager:*:*:secret:db-*", Sid="NoDb"),
        )
    )
    [message] = messages(lint(doc, "--iam", denied), "ECS240")
    full = next(f["message"] for f in lint(doc, "--iam", denied).findings if f["rule"] == "ECS240")
    assert message.startswith("execution role ordersExecutionRole does not allow secretsmanager")
    assert "explicitly denied by inline policy inline statement NoDb" in full
    not_action = iam_file(role({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}))
    assert messages(lint(doc, "--iam", not_action), "ECS240") == []
    not_resource = iam_file(
        role({"Effect": "Allow", "Action": "SecretsManager:Get*", "NotResource": secret})
    )
    assert len(messages(lint(doc, "--iam", not_resource), "ECS240")) == 1
    case = iam_file(role(allow("SECRETSMANAGER:getsecretvalue", secret.upper())))
    assert len(messages(lint(doc, "--iam", case), "ECS240")) == 1  # resources are case-sensitive
    wildcard = iam_file(role(allow("secretsmanager:GetSecretValu?", secret[:-6] + "??????")))
    assert messages(lint(doc, "--iam", wildcard), "ECS240") == []


def test_conditional_allow_is_info_not_a_pass(iam_file: Any) -> None:
    condition = {"StringEquals": {"aws:sourceVpce": "vpce-1a2b3c4d"}}
    path = iam_file(role(allow("ecr:*", Condition=condition)))
    result = lint(task(container(image=ECR)), "--iam", path, "--fail-on", "info")
    assert [f["rule"] for f in result.findings if f["rule"].startswith("ECS24")] == ["ECS241"] * 4
    assert messages(result, "ECS241")[0] == (
        "execution role ordersExecutionRole allows only conditionally ecr:GetAuthorizationToken "
        "on * (under the Condition of inline policy inline statement 0)"
    )
    assert result.exit_code == 1
    info_only = lint(task(container(image=ECR)), "--iam", path, "--select", "ECS24")
    assert info_only.exit_code == 0


def test_unknown_attached_policy_is_not_evaluated(iam_file: Any) -> None:
    path = iam_file(role(managed=(f"arn:aws:iam::{ACCOUNT}:policy/Elsewhere",)))
    result = lint(task(container(image=ECR)), "--iam", path)
    assert messages(result, "ECS240") == []
    assert {x[0] for x in iam_findings(result)} == {"ECS001"}
    assert "policy arn:aws:iam::123456789012:policy/Elsewhere" in iam_findings(result)[0][2]
    # The same policy given with its default version is evaluated.
    policies = [
        {
            "PolicyName": "Elsewhere",
            "Arn": f"arn:aws:iam::{ACCOUNT}:policy/Elsewhere",
            "DefaultVersionId": "v2",
            "PolicyVersionList": [
                {
                    "VersionId": "v1",
                    "IsDefaultVersion": False,
                    "Document": {"Statement": [allow("*")]},
                },
                {
                    "VersionId": "v2",
                    "IsDefaultVersion": True,
                    "Document": quote(
                        json.dumps({"Statement": [allow("ecr:GetAuthorizationToken")]})
                    ),
                },
            ],
        }
    ]
    path = iam_file(role(managed=(f"arn:aws:iam::{ACCOUNT}:policy/Elsewhere",)), policies=policies)
    assert len(messages(lint(task(container(image=ECR)), "--iam", path), "ECS240")) == 3


def test_role_not_in_the_file_is_not_evaluated(iam_file: Any) -> None:
    path = iam_file(role(name="someOtherRole"))
    result = lint(task(container(image=ECR)), "--iam", path)
    assert [(f["rule"], f["path"]) for f in result.findings if f["rule"].startswith("ECS24")] == [
        ("ECS242", "/executionRoleArn")
    ]
    [finding] = [f for f in result.findings if f["rule"] == "ECS242"]
    assert f"is not in the --iam file {path}" in finding["message"]
    # A placeholder role: not evaluated either.
    result = lint(task(container(image=ECR), executionRoleArn="${EXEC_ROLE}"), "--iam", path)
    assert [(x[0], x[1]) for x in iam_findings(result)] == [("ECS001", "/executionRoleArn")]


def test_role_matched_by_name(iam_file: Any) -> None:
    path = iam_file(role(managed=(EXEC_POLICY,)))
    result = lint(task(container(image=ECR), executionRoleArn="ordersExecutionRole"), "--iam", path)
    assert iam_findings(result) == []


@pytest.mark.parametrize(
    ("trust", "trusted"),
    [
        (TRUST, True),
        (quote(json.dumps(TRUST)), True),
        (
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]},
                        "Action": ["sts:AssumeRole"],
                        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
                    }
                ]
            },
            True,
        ),
        (
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ecs.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            },
            False,
        ),
        (
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                        "Action": "sts:TagSession",
                    }
                ]
            },
            False,
        ),
        (
            {
                "Statement": [
                    *TRUST["Statement"],
                    {"Effect": "Deny", "Principal": "*", "Action": "sts:*"},
                ]
            },
            False,
        ),
    ],
)
def test_trust_policy(iam_file: Any, trust: Any, trusted: bool) -> None:
    path = iam_file(role(managed=(EXEC_POLICY,), trust=trust))
    result = lint(task(), "--iam", path)
    found = [(f["rule"], f["path"]) for f in result.findings if f["rule"] == "ECS243"]
    assert found == ([] if trusted else [("ECS243", "/executionRoleArn")])


def test_on_ec2_pull_and_log_permissions_may_come_from_the_instance_role(iam_file: Any) -> None:
    secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf"
    doc = task(container(image=ECR, secrets=[{"name": "DB", "valueFrom": secret}]), fargate=False)
    result = lint(doc, "--iam", iam_file(role()))
    assert len(messages(result, "ECS245")) == 4
    assert messages(result, "ECS240") == [
        "execution role ordersExecutionRole does not allow secretsmanager:GetSecretValue on "
        + secret
    ]


def test_bad_iam_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"Roles": []}', encoding="utf-8")
    result = lint(task(), "--iam", str(bad))
    assert result.exit_code == 2
    assert "RoleDetailList" in result.stderr
    result = lint(task(), "--iam", str(tmp_path / "missing.json"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


# --- roles defined in the same CloudFormation template as the task definition -------------
# The target is built the way the contract says (shape ``cloudformation``, the template as
# the document, Ref/GetAtt role fields as ``Unknown`` with ``.ref``) and run through the engine.


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


# --- hostile --iam files, templates and task definitions: findings or exit 2, never a traceback


WEIRD: list[Any] = [
    None,
    0,
    1.5,
    True,
    "",
    "x",
    [],
    {},
    [None],
    {"a": None},
    ["*"],
    {"Fn::Sub": "x"},
]

BASE_ROLE: dict[str, Any] = {
    "RoleName": "execRole",
    "Arn": "arn:aws:iam::123456789012:role/execRole",
    "AssumeRolePolicyDocument": {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ]
    },
    "RolePolicyList": [
        {
            "PolicyName": "p",
            "PolicyDocument": {
                "Statement": [
                    {"Effect": "Allow", "Action": ["ecr:*", "logs:*"], "Resource": "*"},
                    {"Effect": "Deny", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::b/*"},
                ]
            },
        }
    ],
    "AttachedManagedPolicies": [{"PolicyName": "m", "PolicyArn": "arn:aws:iam::1:policy/m"}],
}
BASE_TASK: dict[str, Any] = {
    "family": "orders",
    "executionRoleArn": "arn:aws:iam::123456789012:role/execRole",
    "containerDefinitions": [
        {
            "name": "api",
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1",
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {"awslogs-group": "g", "awslogs-region": "eu-west-1"},
                "secretOptions": [
                    {"name": "k", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/x"}
                ],
            },
            "secrets": [{"name": "A", "valueFrom": "arn:aws:secretsmanager:r:1:secret:x"}],
            "environmentFiles": [{"value": "arn:aws:s3:::b/a.env", "type": "s3"}],
            "repositoryCredentials": {
                "credentialsParameter": "arn:aws:secretsmanager:r:1:secret:y"
            },
        }
    ],
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _mutate(value: Any, rng: random.Random) -> Any:
    copy = json.loads(json.dumps(value))
    for _ in range(3):
        path = rng.choice(_paths(copy))
        parent = copy
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = json.loads(json.dumps(rng.choice(WEIRD)))
    return copy


def test_mutated_inputs_never_crash(tmp_path: Path) -> None:
    rng = random.Random(7)
    iam = tmp_path / "auth.json"
    for _ in range(60):
        role = _mutate(BASE_ROLE, rng)
        iam.write_text(json.dumps({"RoleDetailList": [role]}), encoding="utf-8")
        result = lint(_mutate(BASE_TASK, rng), "--iam", str(iam), "--region", "eu-west-1")
        assert result.exit_code in (0, 1), result.stderr
        assert "internal error" not in result.stderr


@pytest.mark.parametrize("effect", ["allow", "ALLOW", "Allowed", "", None, True])
def test_a_statement_whose_effect_is_neither_allow_nor_deny_grants_nothing(
    iam_file: Any, effect: Any
) -> None:
    """IAM's Effect is case-sensitive: "allow" is not "Allow" (and AWS refuses such a policy);
    a role whose only statement says it allows nothing, and does not deny either."""
    statement = {"Effect": effect, "Action": "*", "Resource": "*"}
    result = lint(task(container(image=ECR)), "--iam", iam_file(role(statement)))
    assert len(messages(result, "ECS240")) == 4
    beside = iam_file(role(allow("*"), {"Effect": effect, "Action": "*", "Resource": "*"}))
    assert messages(lint(task(container(image=ECR)), "--iam", beside), "ECS240") == []


def test_placeholders_the_needs_depend_on_are_not_evaluated(iam_file: Any) -> None:
    path = iam_file(role())
    logs = {"logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "${R}"}}
    doc = task(
        container(
            image="${IMAGE}",
            logConfiguration=logs,
            environmentFiles=[{"value": "${ENV_FILE}", "type": "s3"}],
        )
    )
    result = lint(doc, "--iam", path)
    skipped = {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
    base = "/containerDefinitions/0/"
    assert "which registry the image is in" in skipped[base + "image"]
    assert "the log group ARN" in skipped[base + "logConfiguration/options/awslogs-region"]
    assert "execution-role-missing-permission" in skipped[base + "environmentFiles/0/value"]
    alone = lint(doc, "--iam", path, "--select", "ECS240,ECS001")
    skipped = {f["path"]: f["message"] for f in alone.findings if f["rule"] == "ECS001"}
    assert "which S3 object" in skipped[base + "environmentFiles/0/value"], skipped


def test_log_secret_options_need_the_secret_too(iam_file: Any) -> None:
    secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:splunk-AbCdEf"
    log = {"logDriver": "splunk", "secretOptions": [{"name": "splunk-token", "valueFrom": secret}]}
    result = lint(task(container(logConfiguration=log)), "--iam", iam_file(role()))
    [finding] = [f for f in result.findings if f["rule"] == "ECS240"]
    assert finding["path"] == "/containerDefinitions/0/logConfiguration/secretOptions/0/valueFrom"
    assert "for the secret splunk-token" in finding["message"]
    unnamed = {"logDriver": "splunk", "secretOptions": [{"valueFrom": secret}]}
    result = lint(task(container(logConfiguration=unnamed)), "--iam", iam_file(role()))
    assert "for a secret" in next(f["message"] for f in result.findings if f["rule"] == "ECS240")


def test_the_run_region_decides_the_partition_of_a_bare_name(iam_file: Any) -> None:
    doc = task(container(secrets=[{"name": "T", "valueFrom": "token"}]))
    result = lint(doc, "--iam", iam_file(role()), "--region", "cn-north-1")
    assert messages(result, "ECS240") == [
        "execution role ordersExecutionRole does not allow ssm:GetParameters on "
        f"arn:aws-cn:ssm:cn-north-1:{ACCOUNT}:parameter/token"
    ]


def test_an_environment_file_arn_too_short_to_name_an_object_is_no_crash(iam_file: Any) -> None:
    for value in ("arn:aws:s3::bucket/app.env", "arn:aws:s3:::bucket", "arn:aws:sqs:::b/a.env"):
        doc = task(container(environmentFiles=[{"value": value, "type": "s3"}]))
        result = lint(doc, "--iam", iam_file(role()))
        assert result.exit_code in (0, 1), result.stderr
        assert not [
            f for f in result.findings if "environmentFiles" in f["path"] and f["rule"] == "ECS240"
        ]


@pytest.mark.parametrize(
    ("principal", "trusted"),
    [
        ({"AWS": "*"}, True),
        ("*", True),
        ({"Service": ["ecs-tasks.amazonaws.com"]}, True),
        ("ecs-tasks.amazonaws.com", False),  # not a principal block: nobody
        (["ecs-tasks.amazonaws.com"], False),
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, False),
    ],
)
def test_trust_principal_shapes(iam_file: Any, principal: Any, trusted: bool) -> None:
    trust = {"Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}
    path = iam_file(role(allow("*"), trust=trust))
    result = lint(task(container(image=ECR)), "--iam", path)
    assert (not messages(result, "ECS243")) is trusted, result.findings


def test_a_managed_policy_without_a_name_is_named_by_its_arn(iam_file: Any) -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:policy/team/NoSecrets"
    denying = {"Statement": [deny("secretsmanager:*", Sid="NoSecrets")]}
    version = {"VersionId": "v1", "IsDefaultVersion": True, "Document": denying}
    policy = {"Arn": arn, "PolicyName": "NoSecrets", "PolicyVersionList": [version]}
    attached = role(allow("*"))
    attached["AttachedManagedPolicies"] = [{"PolicyArn": arn}]
    secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf"
    doc = task(container(secrets=[{"name": "DB", "valueFrom": secret}]))
    result = lint(doc, "--iam", iam_file(attached, policies=[policy]))
    [finding] = [f for f in result.findings if f["rule"] == "ECS240"]
    assert "managed policy NoSecrets statement NoSecrets" in finding["message"]


@pytest.mark.parametrize("data", ["[]", "{}", '{"RoleDetailList": {}}', '"x"'])
def test_an_iam_file_that_is_not_authorization_details_is_a_usage_error(
    tmp_path: Path, data: str
) -> None:
    path = tmp_path / "auth.json"
    path.write_text(data, encoding="utf-8")
    result = lint(task(container(image=ECR)), "--iam", str(path))
    assert result.exit_code == 2 and "auth.json" in result.stderr, result.stderr


@pytest.mark.parametrize("kind", ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"])
def test_a_policy_resource_attached_to_the_role_in_the_template_counts(
    tmp_path: Path, kind: str
) -> None:
    grant = (
        "  SecretRead:\n"
        f"    Type: {kind}\n"
        "    Properties:\n"
        "      PolicyName: read\n"
        "      Roles: [!Ref ExecRole]\n"
        "      PolicyDocument:\n"
        "        Statement:\n"
        "          - {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: '*'}\n"
        "  Broken:\n"
        f"    Type: {kind}\n"
        "  TaskDef:\n"
    )
    path = tmp_path / "stack.yaml"
    path.write_text(E2E_TEMPLATE.replace("  TaskDef:\n", grant, 1), encoding="utf-8")
    result = lint_file(path, "--select", "ECS24")
    assert result.exit_code == 0, (result.stderr, result.findings)
    assert not [f for f in result.findings if f["rule"] == "ECS240"]


def test_a_role_of_the_same_template_named_by_arn_wins_over_the_iam_file(
    tmp_path: Path, iam_file: Any
) -> None:
    granting = (
        "      Policies:\n"
        "        - PolicyName: read\n"
        "          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: '*'}\n"
        "      ManagedPolicyArns:\n"
    )
    text = E2E_TEMPLATE.replace("      ManagedPolicyArns:\n", granting, 1).replace(
        "ExecutionRoleArn: !GetAtt ExecRole.Arn", f"ExecutionRoleArn: {ROLE_ARN}"
    )
    path = tmp_path / "stack.yaml"
    path.write_text(text, encoding="utf-8")
    empty = iam_file(role())  # the same role name in the file, with no permissions at all
    result = lint_file(path, "--select", "ECS24", "--iam", empty)
    assert result.exit_code == 0, result.findings
    assert not [f for f in result.findings if f["rule"] == "ECS240"]


def test_secret_references_the_role_cannot_be_judged(iam_file: Any) -> None:
    secrets = [
        {"name": "A", "valueFrom": "${SECRET_ARN}"},
        {"name": "B", "valueFrom": "not a name!"},
        {"name": "C", "valueFrom": f"arn:aws:sqs:eu-west-1:{ACCOUNT}:queue"},
    ]
    result = lint(
        task(container(secrets=secrets)), "--iam", iam_file(role()), "--select", "ECS24,ECS001"
    )
    assert not [f for f in result.findings if f["rule"] == "ECS240"]
    by_path = {f["path"]: f for f in result.findings}
    base = "/containerDefinitions/0/secrets/"
    assert "which secret the execution role must read" in by_path[base + "0/valueFrom"]["message"]
    assert "is not an SSM parameter name" in by_path[base + "1/valueFrom"]["message"]
    assert (
        "neither a Secrets Manager secret nor an SSM parameter"
        in by_path[base + "2/valueFrom"]["message"]
    )


@pytest.mark.parametrize(
    "reference", ["!GetAtt ExecRole.Arn", "{'Fn::GetAtt': [ExecRole, Arn]}", "!Ref ExecRole"]
)
def test_every_way_a_template_names_its_role(tmp_path: Path, reference: str) -> None:
    path = tmp_path / "stack.yaml"
    path.write_text(
        E2E_TEMPLATE.replace(
            "ExecutionRoleArn: !GetAtt ExecRole.Arn", f"ExecutionRoleArn: {reference}"
        ),
        encoding="utf-8",
    )
    result = lint_file(path, "--select", "ECS24")
    assert [f["rule"] for f in result.findings if f["rule"] == "ECS240"] == ["ECS240"], (
        result.findings
    )


def test_an_inline_policy_of_the_template_is_named_in_the_message(tmp_path: Path) -> None:
    denying = (
        "      Policies:\n"
        "        - PolicyName: NoSecrets\n"
        "          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: '*', Resource: '*'}\n"
        "              - {Sid: Deny, Effect: Deny, Action: 'secretsmanager:*', Resource: '*'}\n"
        "      ManagedPolicyArns:\n"
    )
    path = tmp_path / "stack.yaml"
    path.write_text(
        E2E_TEMPLATE.replace("      ManagedPolicyArns:\n", denying, 1), encoding="utf-8"
    )
    result = lint_file(path, "--select", "ECS24")
    [finding] = [f for f in result.findings if f["rule"] == "ECS240"]
    assert "explicitly denied by inline policy NoSecrets statement Deny" in finding["message"]
