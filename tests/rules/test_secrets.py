"""Secret references and environment files (ECS220-ECS224) through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import container, ec2, findings, unevaluated

SM = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
SSM = "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/password"


def secret(value: Any) -> dict[str, Any]:
    return ec2(container(secrets=[{"name": "DB_PASSWORD", "valueFrom": value}]))


@pytest.mark.parametrize(
    "value",
    [
        SM,
        SM + ":password::",
        SM + "::AWSPREVIOUS:",
        SM + ":::9d4cb84b-ad69",
        SSM,
        "db_password",
        # secrets that AWS services manage carry a '!' in their names
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-4b3e-fSJVrq:password::",
        "/prod/db/password",
        "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x",
    ],
)
def test_valid_secret_references(value: str) -> None:
    assert not findings(secret(value), "ECS220")


@pytest.mark.parametrize(
    ("value", "fact"),
    [
        (SM + ":password", "1 field(s)"),
        (SM + ":password:AWSCURRENT", "2 field(s)"),
        (SM + ":a:b:c:d", "4 field(s)"),
        ("arn:aws:secretsmanager:eu-west-1:secret:db", "account 'secret'"),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:a b", "not a Secrets Manager"),
        ("arn:aws:ssm:eu-west-1:123456789012:parameter//prod/db", "one slash"),
        ("arn:aws:ssm:eu-west-1:parameter/db", "not a complete ARN"),
        ("arn:aws:ssm:eu-west-1:123456789012:db", "not an SSM parameter ARN"),
        ("arn:aws:s3:::bucket/secret.txt", "'s3'"),
        ("my secret", "neither"),
    ],
)
def test_invalid_secret_references(value: str, fact: str) -> None:
    [finding] = findings(secret(value), "ECS220")
    assert finding["path"] == "/containerDefinitions/0/secrets/0/valueFrom"
    assert fact in finding["message"]


def test_secret_options_are_checked_and_placeholders_skipped() -> None:
    log = {"logDriver": "splunk", "secretOptions": [{"name": "splunk-token", "valueFrom": "a b"}]}
    [finding] = findings(ec2(container(logConfiguration=log)), "ECS220")
    assert finding["path"] == "/containerDefinitions/0/logConfiguration/secretOptions/0/valueFrom"
    doc = secret("arn:aws:secretsmanager:${AWS_REGION}:123456789012:secret:db")
    assert not findings(doc, "ECS220") and unevaluated(doc)


def test_secret_version_stage_and_id() -> None:
    [finding] = findings(secret(SM + ":password:AWSCURRENT:9d4cb84b"), "ECS221")
    assert finding["path"] == "/containerDefinitions/0/secrets/0/valueFrom"
    assert "'AWSCURRENT'" in finding["message"] and "'9d4cb84b'" in finding["message"]
    assert not findings(secret(SM + ":password:AWSCURRENT:"), "ECS221")


def test_invalid_environment_file() -> None:
    files = [
        {"value": "s3://bucket/app.env", "type": "s3"},
        {"value": "arn:aws:s3:::bucket/app.properties", "type": "s3"},
        {"value": "arn:aws:s3:::bucket/app.env", "type": "S3"},
        {"value": "arn:aws:s3:::bucket/conf/app.env", "type": "s3"},
    ]
    found = findings(ec2(container(environmentFiles=files)), "ECS222")
    assert [f["path"].split("environmentFiles/")[1] for f in found] == [
        "0/value",
        "1/value",
        "2/type",
    ]
    assert "not an S3 object ARN" in found[0]["message"]
    assert "'.env'" in found[1]["message"]


def test_too_many_environment_files() -> None:
    files = [{"value": f"arn:aws:s3:::bucket/{i}.env", "type": "s3"} for i in range(11)]
    [finding] = findings(ec2(container(environmentFiles=files)), "ECS223")
    assert finding["path"] == "/containerDefinitions/0/environmentFiles/10"
    assert "11 environment files" in finding["message"]
    assert not findings(ec2(container(environmentFiles=files[:10])), "ECS223")


def test_environment_variable_shadowed_by_secret() -> None:
    doc = ec2(
        container(
            environment=[
                {"name": "LOG_LEVEL", "value": "info"},
                {"name": "DB_PASSWORD", "value": "x"},
            ],
            secrets=[{"name": "DB_PASSWORD", "valueFrom": SM}],
        )
    )
    [finding] = findings(doc, "ECS224")
    assert finding["severity"] == "info"
    assert finding["path"] == "/containerDefinitions/0/environment/1/name"
    doc["containerDefinitions"][0]["secrets"][0]["name"] = "DB_PASS"
    assert not findings(doc, "ECS224")


def test_a_placeholder_environment_file_is_not_evaluated() -> None:
    doc = ec2(container(environmentFiles=[{"value": "${ENV_FILE}", "type": "s3"}]))
    skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
    assert "invalid-environment-file" in skipped["/containerDefinitions/0/environmentFiles/0/value"]


def test_an_environment_file_value_that_is_not_a_string_is_no_crash() -> None:
    from tests.conftest import lint

    for value in (5, None, ["arn:aws:s3:::b/a.env"], {"x": 1}):
        result = lint(ec2(container(environmentFiles=[{"value": value, "type": "s3"}])))
        assert result.exit_code in (0, 1), result.stderr
