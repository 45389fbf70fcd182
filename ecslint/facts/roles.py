"""How task definitions name IAM roles: ARN and role-name syntax (ecs-facts.md §1.1, §4.1)."""

from __future__ import annotations

import re

from ecslint.lazy_re import lazy_re

#: An IAM role ARN: ``arn:<partition>:iam::<12 digits>:role/<path/>name``. Role names are
#: 1-64 of ``[\w+=,.@-]``; a path is ``/``-separated segments of the same characters.
ROLE_ARN = lazy_re(
    r"^arn:aws[a-zA-Z-]*:iam::\d{12}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$", re.ASCII
)

#: A bare role name, which ``taskRoleArn`` accepts ("short name or full ARN", §1.1).
ROLE_NAME = lazy_re(r"^[\w+=,.@-]{1,64}$", re.ASCII)

#: Any IAM ARN, to say what a wrong one names (a user, a group, a policy, ...).
IAM_ARN = lazy_re(r"^arn:(?P<partition>[^:]*):iam::(?P<account>[^:]*):(?P<kind>[a-z-]+)/")


# --- what shows that a task calls AWS (missing-task-role, ecs-facts.md §4.1) -------------

#: Environment variable names that hand the application an AWS resource to call, by a
#: service's name or an AWS-only notion: S3_BUCKET, UPLOADS_BUCKET_NAME, SQS_JOBS_URL,
#: DYNAMODB_TABLE, EVENTS_TOPIC_ARN, KINESIS_STREAM. A bare TABLE or QUEUE_URL is not
#: enough (a SQL table, a RabbitMQ queue).
AWS_RESOURCE_NAME = r"""(?x)^(?:
        (?:.*_)?BUCKET(?:_NAME)?
      | (?:.*_)?(?:S3|SQS|SNS|DYNAMO|DYNAMODB|KINESIS|FIREHOSE)(?:_.*)?
      | .*_TOPIC_ARN
    )$"""
#: Environment values that name an AWS resource the code must call: an ARN of a data
#: service, an s3:// URI, an SQS queue URL.
AWS_RESOURCE_VALUE = (
    r"^(?:arn:aws[a-z-]*:(?:s3|sqs|sns|dynamodb|kinesis|firehose|secretsmanager|ssm|kms"
    r"|lambda|states|events|bedrock):|s3://|https://sqs\.[a-z0-9-]+\.amazonaws\.com/)"
)
#: Images of AWS agents that call AWS APIs with the task's credentials.
AWS_AGENT_IMAGE = (
    r"(?:^|/)(?:aws-otel-collector|aws-xray-daemon|xray-daemon|cloudwatch-agent)(?::|@|$)"
)
#: FireLens outputs (the logConfiguration option ``Name``) that write to AWS with the
#: task role: CloudWatch Logs, Firehose, Kinesis Data Streams, S3, OpenSearch.
FIRELENS_AWS_OUTPUTS = frozenset(
    {
        "cloudwatch",
        "cloudwatch_logs",
        "firehose",
        "kinesis_firehose",
        "kinesis_streams",
        "kinesis",
        "s3",
        "es",
        "opensearch",
    }
)
