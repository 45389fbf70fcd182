"""The execution-role rules (ECS240-ECS245) through the CLI, with ``--iam`` files written here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import CliResult, lint, trust_policy

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
