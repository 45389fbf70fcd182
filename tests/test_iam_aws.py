"""``--aws`` paths against moto in server mode on 127.0.0.1: roles, policies and task
definitions are created through boto3, and ecslint reads them back the way it reads AWS."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import CliResult, lint, run_cli, trust_policy

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

ACCOUNT = "123456789012"  # moto's default account
REGION = "eu-west-1"
TRUST_ECS = trust_policy()
TRUST_LAMBDA = trust_policy("lambda.amazonaws.com")
PULL_AND_LOG = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["ecr:GetAuthorizationToken", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheck*"],
            "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/orders",
        },
    ],
}
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:orders/db-AbCdEf"


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Any]:
    """A clean moto account, with the environment pointing boto3 (ours and ecslint's) at it."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    import urllib.request

    urllib.request.urlopen(
        urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")
    ).close()
    yield boto3.session.Session(region_name=REGION)


def _role(session: Any, name: str, trust: dict[str, Any], **policies: dict[str, Any]) -> str:
    iam = session.client("iam")
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"][
        "Arn"
    ]
    for policy_name, document in policies.items():
        if policy_name.startswith("managed_"):
            policy = iam.create_policy(
                PolicyName=policy_name[8:], PolicyDocument=json.dumps(document)
            )
            iam.attach_role_policy(RoleName=name, PolicyArn=policy["Policy"]["Arn"])
        else:
            iam.put_role_policy(
                RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document)
            )
    return arn


def _task(role_arn: str, family: str = "orders", **container: Any) -> dict[str, Any]:
    return {
        "family": family,
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": role_arn,
        "containerDefinitions": [
            {
                "name": "api",
                "image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/orders:1.4.2",
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/ecs/orders",
                        "awslogs-region": REGION,
                        "awslogs-stream-prefix": "api",
                    },
                },
                **container,
            }
        ],
    }


def _iam_findings(result: CliResult) -> list[dict[str, Any]]:
    return [f for f in result.findings if f["rule"].startswith("ECS24")]


def test_check_aws_reads_inline_and_managed_policies(aws: Any) -> None:
    arn = _role(
        aws,
        "ordersExecutionRole",
        TRUST_ECS,
        managed_pull=PULL_AND_LOG,
        secrets={
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": SECRET,
            },
        },
    )
    good = _task(arn, secrets=[{"name": "DB", "valueFrom": SECRET + ":password::"}])
    result = lint(good, "--aws", "--select", "ECS24")
    assert result.exit_code == 0, result.stdout + result.stderr
    # Only the KMS advice: every needed action is allowed by the role read from the account.
    assert [f["rule"] for f in _iam_findings(result)] == ["ECS244"]

    other = SECRET.replace("orders/db", "orders/api")
    bad = _task(arn, secrets=[{"name": "API", "valueFrom": other}])
    result = lint(bad, "--aws", "--select", "ECS240")
    assert result.exit_code == 1
    [finding] = result.findings
    assert finding["path"] == "/containerDefinitions/0/secrets/0/valueFrom"
    assert finding["message"].startswith(
        "execution role ordersExecutionRole does not allow "
        f"secretsmanager:GetSecretValue on {other}"
    )


def test_check_aws_untrusted_and_unknown_roles(aws: Any) -> None:
    arn = _role(aws, "lambdaRole", TRUST_LAMBDA, managed_pull=PULL_AND_LOG)
    result = lint(_task(arn), "--aws", "--select", "ECS24")
    assert [(f["rule"], f["path"]) for f in result.findings] == [("ECS243", "/executionRoleArn")]
    assert "ecs-tasks.amazonaws.com" in result.findings[0]["message"]

    missing = f"arn:aws:iam::{ACCOUNT}:role/nobody"
    result = lint(_task(missing), "--aws", "--select", "ECS24", "--fail-on", "info")
    assert [(f["rule"], f["path"]) for f in result.findings] == [("ECS242", "/executionRoleArn")]
    assert "nobody is not in the AWS account" in result.findings[0]["message"]
    assert result.exit_code == 1


def _register(session: Any, task: dict[str, Any]) -> str:
    ecs = session.client("ecs")
    arn: str = ecs.register_task_definition(**task, tags=[{"key": "team", "value": "a"}])[
        "taskDefinition"
    ]["taskDefinitionArn"]
    return arn


def _scan(*args: str) -> CliResult:
    return run_cli(["scan", "--aws", "--format", "json", "--region", REGION, *args])


def test_scan_lints_the_latest_active_revision_of_each_family(aws: Any) -> None:
    good = _role(aws, "goodRole", TRUST_ECS, managed_pull=PULL_AND_LOG)
    bare = _role(aws, "bareRole", TRUST_ECS)
    _register(aws, _task(bare))  # orders:1, not the latest: not linted
    _register(aws, _task(good))  # orders:2
    _register(aws, _task(bare, family="web"))  # web:1
    result = _scan("--select", "ECS24")
    assert result.exit_code == 1, result.stderr
    files = sorted({f["file"] for f in result.findings})
    assert files == [f"aws://ecs/{REGION}/web:1"]
    web = [f for f in result.findings if f["file"].endswith("web:1")]
    assert {f["path"] for f in web} >= {
        "/taskDefinition/containerDefinitions/0/image",
        "/taskDefinition/containerDefinitions/0/logConfiguration/options/awslogs-group",
    }
    assert "execution role bareRole does not allow ecr:GetAuthorizationToken on *" in [
        f["message"].split(";")[0] for f in web
    ]
    assert result.json["summary"]["task_definitions"] == 2

    only_orders = _scan("--select", "ECS24", "--family-prefix", "ord")
    assert only_orders.exit_code == 0
    assert only_orders.json["summary"]["task_definitions"] == 1

    every = _scan("--select", "ECS24", "--all-revisions")
    assert sorted({f["file"] for f in every.findings}) == [
        f"aws://ecs/{REGION}/orders:1",
        f"aws://ecs/{REGION}/web:1",
    ]
    assert every.json["summary"]["task_definitions"] == 3


def test_scan_reports_what_it_cannot_describe(aws: Any, moto_endpoint: str) -> None:
    """With moto's IAM enforcement on, a scanner that may list but not describe fails loudly."""
    import urllib.request

    _register(aws, _task(f"arn:aws:iam::{ACCOUNT}:role/x"))
    iam = aws.client("iam")
    iam.create_user(UserName="scanner")
    iam.put_user_policy(
        UserName="scanner",
        PolicyName="list-only",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "ecs:List*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "ecs:DescribeTaskDefinition", "Resource": "*"},
                ],
            }
        ),
    )
    key = iam.create_access_key(UserName="scanner")["AccessKey"]

    def set_auth(count: str) -> None:
        request = urllib.request.Request(
            f"{moto_endpoint}/moto-api/reset-auth",
            data=count.encode(),
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        urllib.request.urlopen(request).close()

    os.environ["AWS_ACCESS_KEY_ID"] = key["AccessKeyId"]
    os.environ["AWS_SECRET_ACCESS_KEY"] = key["SecretAccessKey"]
    set_auth("0")
    try:
        result = _scan()
    finally:
        set_auth("inf")
    assert result.exit_code == 1, result.stderr
    [finding] = [f for f in result.findings if f["rule"] == "ECS246"]
    assert finding["file"] == f"aws://ecs/{REGION}/orders"
    assert finding["severity"] == "error"
    assert "AccessDenied" in finding["message"]
    assert result.json["summary"]["task_definitions"] == 0


def test_scan_without_aws_is_a_usage_error() -> None:
    result = run_cli(["scan"])
    assert result.exit_code == 2
    assert "--aws" in result.stderr


def _moto_auth(endpoint: str, count: str) -> None:
    """moto's IAM enforcement: on for ``count`` requests ("0": from now on), "inf": off."""
    import urllib.request

    request = urllib.request.Request(
        f"{endpoint}/moto-api/reset-auth",
        data=count.encode(),
        method="POST",
        headers={"Content-Type": "text/plain"},
    )
    urllib.request.urlopen(request).close()


def test_check_aws_access_denied_is_an_error_never_not_in_the_account(
    aws: Any, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A linter that may not read IAM gets ECS247 naming the role, the call and AWS's
    reason, and the run fails; the role the account does not have is ECS242, not 247."""
    arn = _role(aws, "ordersExecutionRole", TRUST_ECS, managed_pull=PULL_AND_LOG)
    iam = aws.client("iam")
    iam.create_user(UserName="linter")
    iam.put_user_policy(
        UserName="linter",
        PolicyName="no-iam",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}],
            }
        ),
    )
    key = iam.create_access_key(UserName="linter")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    _moto_auth(moto_endpoint, "0")
    try:
        result = lint(_task(arn), "--aws", "--select", "ECS24")
    finally:
        _moto_auth(moto_endpoint, "inf")
    assert result.exit_code == 1, result.stderr
    [finding] = _iam_findings(result)
    assert (finding["rule"], finding["severity"]) == ("ECS247", "error")
    assert finding["message"].startswith(
        "execution role ordersExecutionRole could not be read from the AWS account "
        "(iam:GetRole ordersExecutionRole: AccessDenied"
    )
    assert "not in the AWS account" not in finding["message"]
