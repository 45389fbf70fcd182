"""Task role and execution role rules (ECS201-ECS205) through the real CLI."""

from __future__ import annotations

import pytest

from tests.builders import (
    DROP,
    EXECUTION_ROLE,
    TASK_ROLE,
    describe,
    ec2_task,
    fargate_task,
    logged_container,
    of,
    unevaluated_paths,
)
from tests.conftest import lint

ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2"
SECRET = [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db"}]
ENV_FILES = [{"type": "s3", "value": "arn:aws:s3:::bucket/web.env"}]

# --- ECS201 missing-task-role ------------------------------------------------------------------


BUCKET = [{"name": "UPLOADS_BUCKET", "value": "example-uploads"}]


def test_missing_task_role_is_info_and_says_what_breaks() -> None:
    result = lint(ec2_task(logged_container(environment=BUCKET), taskRoleArn=DROP))
    [finding] = of(result, "ECS201")
    assert finding["severity"] == "info"
    assert finding["path"] == "/taskRoleArn"
    assert finding["line"] == 1  # the object that lacks the key starts there
    assert "UPLOADS_BUCKET" in finding["message"]
    assert "NoCredentialsError" in finding["message"]
    assert "instance role" in finding["message"]


def test_a_task_that_shows_no_aws_call_needs_no_task_role() -> None:
    # least privilege: no role where nothing calls AWS (AWS's nginx samples)
    assert not of(lint(ec2_task(taskRoleArn=DROP)), "ECS201")
    quiet = logged_container(
        environment=[{"name": "PORT", "value": "80"}, {"name": "TABLE", "value": "x"}]
    )
    assert not of(lint(ec2_task(quiet, taskRoleArn=DROP)), "ECS201")


@pytest.mark.parametrize(
    ("fields", "task_fields", "evidence"),
    [
        (
            {
                "environment": [
                    {"name": "JOBS", "value": "https://sqs.eu-west-1.amazonaws.com/1/jobs"}
                ]
            },
            {},
            "JOBS",
        ),
        (
            {"environment": [{"name": "DYNAMODB_ORDERS_TABLE", "value": "orders"}]},
            {},
            "DYNAMODB_ORDERS_TABLE",
        ),
        ({"environment": [{"name": "DATA", "value": "s3://bucket/key"}]}, {}, "DATA"),
        ({"image": "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"}, {}, "AWS agent"),
        (
            {"logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "firehose"}}},
            {},
            "FireLens",
        ),
        (
            {},
            {
                "volumes": [
                    {
                        "name": "data",
                        "efsVolumeConfiguration": {
                            "fileSystemId": "fs-1",
                            "transitEncryption": "ENABLED",
                            "authorizationConfig": {"iam": "ENABLED"},
                        },
                    }
                ]
            },
            "EFS",
        ),
    ],
)
def test_evidence_that_the_task_calls_aws(
    fields: dict[str, object], task_fields: dict[str, object], evidence: str
) -> None:
    result = lint(ec2_task(logged_container(**fields), taskRoleArn=DROP, **task_fields))
    [finding] = of(result, "ECS201")
    assert evidence in finding["message"]


def test_always_reports_every_missing_task_role() -> None:
    from tests.conftest import lint_with_params

    found = lint_with_params(ec2_task(taskRoleArn=DROP), "ECS201", {"always": True})
    assert len(found) == 1 and "NoCredentialsError" in found[0].message


def test_task_role_present_passes_even_as_a_short_name_or_placeholder() -> None:
    for role in ("web-task", "${TASK_ROLE}"):
        assert not of(
            lint(ec2_task(logged_container(environment=BUCKET), taskRoleArn=role)), "ECS201"
        )
    assert not of(lint(ec2_task(logged_container(environment=BUCKET))), "ECS201")


def test_empty_task_role_counts_as_missing() -> None:
    assert of(lint(ec2_task(logged_container(environment=BUCKET), taskRoleArn="")), "ECS201")


# --- ECS202 shared-task-and-execution-role ---------------------------------------------------


@pytest.mark.parametrize(
    ("task_role", "execution_role"),
    [
        (EXECUTION_ROLE, EXECUTION_ROLE),
        ("ecsTaskExecutionRole", EXECUTION_ROLE),
        ("${ROLE}", "${ROLE}"),
    ],
)
def test_same_role_for_both_fails(task_role: str, execution_role: str) -> None:
    result = lint(ec2_task(taskRoleArn=task_role, executionRoleArn=execution_role))
    [finding] = of(result, "ECS202")
    assert finding["severity"] == "warning"
    assert finding["path"] == "/taskRoleArn"


def test_different_roles_pass() -> None:
    assert not of(lint(ec2_task()), "ECS202")
    other_account = "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"
    assert not of(lint(ec2_task(taskRoleArn=other_account)), "ECS202")


def test_one_placeholder_role_is_not_evaluated() -> None:
    result = lint(ec2_task(taskRoleArn="${TASK_ROLE}"))
    assert not of(result, "ECS202")
    assert "shared-task-and-execution-role" in unevaluated_paths(result)["/taskRoleArn"]


# --- ECS203 missing-execution-role -----------------------------------------------------------


def test_fargate_private_ecr_without_execution_role_fails_with_aws_message() -> None:
    task = fargate_task(
        logged_container(image=ECR_IMAGE, logConfiguration=DROP), executionRoleArn=DROP
    )
    [finding] = of(lint(task), "ECS203")
    assert finding["path"] == "/containerDefinitions/0/image"
    assert "execution role ARN to support ECR images" in finding["message"]


@pytest.mark.parametrize(
    "image",
    [
        "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1",
        "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/web:1",
        "123456789012.dkr-ecr.eu-west-1.on.aws/web:1",
        "${AWS_ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com/web:${TAG}",
    ],
)
def test_every_private_ecr_host_form_needs_the_role_on_fargate(image: str) -> None:
    task = fargate_task(logged_container(image=image, logConfiguration=DROP), executionRoleArn=DROP)
    assert of(lint(task), "ECS203")


def test_public_images_need_no_execution_role() -> None:
    for image in ("public.ecr.aws/nginx/nginx:1.27", "nginx:1.27", "ghcr.io/org/app:1"):
        task = fargate_task(
            logged_container(image=image, logConfiguration=DROP), executionRoleArn=DROP
        )
        assert not of(lint(task), "ECS203"), image


def test_fargate_awslogs_without_execution_role_fails() -> None:
    [finding] = of(lint(fargate_task(executionRoleArn=DROP)), "ECS203")
    assert finding["path"] == "/containerDefinitions/0/logConfiguration/logDriver"
    assert "to support log driver awslogs" in finding["message"]


def test_ec2_ecr_and_awslogs_use_the_instance_role() -> None:
    task = ec2_task(logged_container(image=ECR_IMAGE), executionRoleArn=DROP)
    assert not of(lint(task), "ECS203")


@pytest.mark.parametrize("launch", ["ec2", "fargate"])
def test_secrets_and_repository_credentials_need_the_role_everywhere(launch: str) -> None:
    build = ec2_task if launch == "ec2" else fargate_task
    task = build(
        logged_container(
            secrets=SECRET,
            repositoryCredentials={"credentialsParameter": "arn:aws:secretsmanager:x"},
            logConfiguration=DROP,
        ),
        executionRoleArn=DROP,
    )
    findings = {f["path"]: f["message"] for f in of(lint(task), "ECS203")}
    assert (
        "must also specify a value for 'executionRoleArn'"
        in findings["/containerDefinitions/0/secrets"]
    )
    assert (
        "Private repository authentication"
        in findings["/containerDefinitions/0/repositoryCredentials"]
    )


def test_fargate_secret_options_and_environment_files_need_the_role() -> None:
    config = {
        "logDriver": "splunk",
        "options": {"splunk-url": "https://splunk:8088"},
        "secretOptions": [{"name": "splunk-token", "valueFrom": "arn:aws:ssm:x"}],
    }
    task = fargate_task(
        logged_container(logConfiguration=config, environmentFiles=ENV_FILES), executionRoleArn=DROP
    )
    paths = {f["path"] for f in of(lint(task), "ECS203")}
    assert paths == {
        "/containerDefinitions/0/logConfiguration/secretOptions",
        "/containerDefinitions/0/environmentFiles",
    }


def test_execution_role_present_or_placeholder_passes() -> None:
    task = fargate_task(logged_container(image=ECR_IMAGE, secrets=SECRET))
    assert not of(lint(task), "ECS203")
    task = fargate_task(logged_container(image=ECR_IMAGE), executionRoleArn="${EXEC_ROLE}")
    assert not of(lint(task), "ECS203")


def test_placeholder_image_on_fargate_without_role_is_not_evaluated() -> None:
    task = fargate_task(
        logged_container(image="${IMAGE}", logConfiguration=DROP), executionRoleArn=DROP
    )
    result = lint(task)
    assert not of(result, "ECS203")
    assert "missing-execution-role" in unevaluated_paths(result)["/containerDefinitions/0/image"]


def test_unknown_launch_type_is_not_evaluated_for_fargate_only_triggers() -> None:
    task = fargate_task(requiresCompatibilities="${COMPAT}", executionRoleArn=DROP)
    result = lint(task)
    assert not of(result, "ECS203")
    assert "missing-execution-role" in unevaluated_paths(result)["/requiresCompatibilities"]


# --- ECS204 ec2-agent-needs-execution-role -----------------------------------------------------


def test_ec2_environment_files_without_role_warn() -> None:
    task = ec2_task(logged_container(environmentFiles=ENV_FILES), executionRoleArn=DROP)
    result = lint(task)
    [finding] = of(result, "ECS204")
    assert finding["severity"] == "warning"
    assert finding["path"] == "/containerDefinitions/0/environmentFiles"
    assert not of(result, "ECS203")


def test_ec2_environment_files_with_role_pass_and_fargate_is_ecs203s() -> None:
    assert not of(lint(ec2_task(logged_container(environmentFiles=ENV_FILES))), "ECS204")
    task = fargate_task(logged_container(environmentFiles=ENV_FILES), executionRoleArn=DROP)
    assert not of(lint(task), "ECS204")


# --- ECS205 malformed-role-arn ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "fact"),
    [
        ("executionRoleArn", "arn:aws:iam::12345678901:role/ecsTaskExecutionRole", "12 digits"),
        ("executionRoleArn", "arn:aws:iam::123456789012:group/automation", "IAM group"),
        ("taskRoleArn", "arn:aws:iam::123456789012:user/deploy", "IAM user"),
        ("taskRoleArn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1", "not an IAM"),
        ("taskRoleArn", "my role", "is not a role name"),
        ("taskRoleArn", "arn:aws:iam::123456789012:role/my role", "is not a valid role ARN"),
        ("executionRoleArn", "arn:aws:iam::123456789012:role/", "is not a valid role ARN"),
    ],
)
def test_malformed_role_references_fail(field: str, value: str, fact: str) -> None:
    result = lint(ec2_task(**{field: value}))
    [finding] = of(result, "ECS205")
    assert finding["path"] == f"/{field}"
    assert fact in finding["message"]


@pytest.mark.parametrize(
    "value",
    [
        EXECUTION_ROLE,
        "arn:aws-cn:iam::123456789012:role/service-role/ecs-exec",
        "arn:aws-us-gov:iam::123456789012:role/a/b/c/exec+role=x,y.z@w-v",
        "ecsTaskExecutionRole",
    ],
)
def test_valid_role_references_pass(value: str) -> None:
    result = lint(ec2_task(executionRoleArn=value, taskRoleArn=value.replace("exec", "task")))
    assert not of(result, "ECS205")


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::ACCOUNT_ID:role/ecsTaskExecutionRole",
        "arn:aws:iam::XXXXXXXXXXXX:role/ecs_task_execution_role",
        "arn:aws:iam::{AWS_ID}:role/my-app-ecs-task",
        "<execution-role-arn>",
        "arn:aws:iam::${ACCOUNT}:role/x",
    ],
)
def test_template_values_are_not_evaluated(value: str) -> None:
    result = lint(ec2_task(executionRoleArn=value))
    assert not of(result, "ECS205")
    assert "malformed-role-arn" in unevaluated_paths(result)["/executionRoleArn"]


def test_describe_output_roles_pass() -> None:
    result = lint(describe(fargate_task(logged_container(cpu=0))))
    assert not [f for f in result.findings if f["rule"].startswith("ECS2")]
    assert TASK_ROLE != EXECUTION_ROLE


def test_placeholder_driver_on_fargate_without_role_is_not_evaluated() -> None:
    task = fargate_task(
        logged_container(logConfiguration={"logDriver": "${DRIVER}"}), executionRoleArn=DROP
    )
    result = lint(task)
    assert not of(result, "ECS203")
    path = "/containerDefinitions/0/logConfiguration/logDriver"
    assert "missing-execution-role" in unevaluated_paths(result)[path]


# --- values that are not evaluated are never compared (issue 12) -------------------------------

_CFN_ROLES = """
Parameters:
  TaskRole: {Type: String, Default: Default}
  ExecutionRole: {Type: String, Default: Default}
Conditions:
  Create: !Equals [!Ref TaskRole, Default]
Resources:
  AppRole: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
  AgentRole: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      TaskRoleArn: !If [Create, !GetAtt AppRole.Arn, !Ref TaskRole]
      ExecutionRoleArn: !If [Create, !GetAtt %s.Arn, !Ref ExecutionRole]
      ContainerDefinitions:
        - {Name: app, Image: "nginx:1.27", Memory: 256}
"""


def test_two_different_fn_if_on_one_condition_are_not_the_same_role() -> None:
    # Both render as ${Fn::If Create}, and both parameters default to "Default":
    # the roles are still different expressions, so ECS202 must not compare them.
    result = lint(_CFN_ROLES % "AgentRole")
    assert of(result, "ECS202") == []
    assert any(
        p.startswith("/Resources/Task/Properties/TaskRoleArn") for p in unevaluated_paths(result)
    )


_SENTINEL_DEFAULTS = """
Parameters:
  TaskRoleArn: {Type: String, Default: Default}
  ExecutionRoleArn: {Type: String, Default: Default}
Conditions:
  DefaultTaskRole: !Equals [!Ref TaskRoleArn, Default]
  DefaultExecutionRole: !Equals [!Ref ExecutionRoleArn, Default]
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      TaskRoleArn: !If [DefaultTaskRole, "arn:aws:iam::123456789012:role/app", !Ref TaskRoleArn]
      ExecutionRoleArn:
        !If [DefaultExecutionRole, "arn:aws:iam::123456789012:role/exec", !Ref ExecutionRoleArn]
      ContainerDefinitions:
        - {Name: app, Image: "nginx:1.27", Memory: 256}
"""


def test_a_branch_whose_condition_the_default_contradicts_does_not_read_the_default() -> None:
    # On the branch where DefaultTaskRole is false, TaskRoleArn is anything but "Default":
    # both roles are then unknown, not the two equal defaults (aws-otel-collector's pattern).
    result = lint(_SENTINEL_DEFAULTS)
    assert of(result, "ECS202") == []
    assert of(result, "ECS205") == []  # "Default" is not judged as a role name either


def test_the_same_fn_if_twice_is_the_same_role() -> None:
    same = _CFN_ROLES.replace(
        "!GetAtt %s.Arn, !Ref ExecutionRole", "!GetAtt AppRole.Arn, !Ref TaskRole"
    )
    paths = [f["path"] for f in of(lint(same), "ECS202")]
    assert paths and all(p.startswith("/Resources/Task/Properties/TaskRoleArn") for p in paths)


def test_shared_role_with_one_placeholder_is_not_evaluated() -> None:
    for field in ("executionRoleArn", "taskRoleArn"):
        result = lint(ec2_task(**{field: "${ROLE}"}))
        assert not of(result, "ECS202")
        skipped = {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
        assert "shared-task-and-execution-role" in skipped[f"/{field}"], skipped


def test_a_template_word_in_a_role_arn_is_not_evaluated_instead_of_malformed() -> None:
    result = lint(ec2_task(executionRoleArn="arn:aws:iam::ACCOUNT_ID:role/ecsTaskExecutionRole"))
    assert not of(result, "ECS205")
    skipped = {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
    assert "malformed-role-arn" in skipped["/executionRoleArn"]


def test_containers_without_an_image_string_are_no_crash_for_the_role_rules() -> None:
    for image in (DROP, 5, None):
        doc = fargate_task(
            logged_container(image=image, logConfiguration=DROP), executionRoleArn=DROP
        )
        result = lint(doc)
        assert result.exit_code in (0, 1), result.stderr
        assert not [f for f in result.findings if f["rule"] in ("ECS203", "ECS204")], image


#: FireLens outputs (Fluent Bit plugin names) that write to AWS with the task role.
FIRELENS_AWS_OUTPUTS = ["cloudwatch", "cloudwatch_logs", "firehose", "kinesis_firehose",
                        "kinesis_streams", "kinesis", "s3", "es", "opensearch"]  # fmt: skip


@pytest.mark.parametrize("output", FIRELENS_AWS_OUTPUTS + [n.upper() for n in FIRELENS_AWS_OUTPUTS])
def test_every_firelens_output_to_aws_is_evidence_of_aws_calls(output: str) -> None:
    config = {"logDriver": "awsfirelens", "options": {"Name": output}}
    result = lint(ec2_task(logged_container(logConfiguration=config), taskRoleArn=DROP))
    [finding] = of(result, "ECS201")
    assert f"FireLens sends logs to {output!r}" in finding["message"]


@pytest.mark.parametrize("output", ["datadog", "splunk", "stdout", "http", "s3x", "kinesis_"])
def test_other_firelens_outputs_are_not(output: str) -> None:
    config = {"logDriver": "awsfirelens", "options": {"Name": output}}
    assert not of(
        lint(ec2_task(logged_container(logConfiguration=config), taskRoleArn=DROP)), "ECS201"
    )


@pytest.mark.parametrize(
    ("task_role", "execution_role"), [("", ""), ("  ", "  "), (None, None), ("", EXECUTION_ROLE)]
)
def test_blank_roles_are_not_one_shared_role(task_role: object, execution_role: object) -> None:
    result = lint(ec2_task(taskRoleArn=task_role, executionRoleArn=execution_role))
    assert not of(result, "ECS202")


def test_a_docker_hub_image_with_a_placeholder_tag_needs_no_execution_role() -> None:
    doc = fargate_task(
        logged_container(image="nginx:${TAG}", logConfiguration=DROP), executionRoleArn=DROP
    )
    result = lint(doc)
    assert not of(result, "ECS203")
    skipped = unevaluated_paths(result).get("/containerDefinitions/0/image", "")
    assert "missing-execution-role" not in skipped
    private = fargate_task(
        logged_container(image="${IMAGE}", logConfiguration=DROP), executionRoleArn=DROP
    )
    assert (
        "missing-execution-role"
        in unevaluated_paths(lint(private))["/containerDefinitions/0/image"]
    )


def test_a_placeholder_role_beside_a_missing_one_needs_no_shared_role_verdict() -> None:
    for missing, placeholder in (
        ("taskRoleArn", "executionRoleArn"),
        ("executionRoleArn", "taskRoleArn"),
    ):
        result = lint(ec2_task(**{missing: DROP, placeholder: "${ROLE}"}))
        skipped = unevaluated_paths(result).get(f"/{placeholder}", "")
        assert "shared-task-and-execution-role" not in skipped, skipped
