"""IAM facts the execution-role rules rely on (ecs-facts.md section 4)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: The service principal that must be able to assume task and execution roles (section 4.1).
ECS_TASKS_PRINCIPALS = frozenset({"ecs-tasks.amazonaws.com"})

#: ``arn:<partition>:iam::aws:policy/<path>`` -> document, for AWS managed policies that
#: ecslint knows without being told (section 4.3: default version v1, 2017-11-16).
EXECUTION_ROLE_POLICY_NAME = "AmazonECSTaskExecutionRolePolicy"
EXECUTION_ROLE_POLICY_PATH = "service-role/AmazonECSTaskExecutionRolePolicy"
EXECUTION_ROLE_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
            "Resource": "*",
        }
    ],
}

#: Known AWS managed policies by their path after ``:iam::aws:policy/``.
AWS_MANAGED_POLICIES: dict[str, dict[str, Any]] = {
    EXECUTION_ROLE_POLICY_PATH: EXECUTION_ROLE_POLICY,
}

#: Actions the execution role needs (section 4.2).
ECR_AUTH = "ecr:GetAuthorizationToken"
ECR_PULL = ("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage")
LOGS_WRITE = ("logs:CreateLogStream", "logs:PutLogEvents")
LOGS_CREATE_GROUP = "logs:CreateLogGroup"
SECRETS_GET = "secretsmanager:GetSecretValue"
SSM_GET = "ssm:GetParameters"
S3_GET_OBJECT = "s3:GetObject"
S3_BUCKET_LOCATION = "s3:GetBucketLocation"
