"""Secret references and environment files (ecs-facts.md §3.9, §3.10)."""

from __future__ import annotations

from ecslint.lazy_re import lazy_re

#: Secrets Manager secret ARN with the optional ``:json-key:version-stage:version-id``
#: suffix (exactly three fields). The groups split the suffix so rules can explain it.
#: The name allows ``!`` beyond §3.9's character set: secrets that AWS services manage
#: are named so (RDS ``rds!cluster-<id>``, EventBridge ``events!connection/<name>``).
SECRETS_MANAGER_ARN = lazy_re(
    r"arn:(aws[a-zA-Z-]*):secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+"
    r"(?::(?P<key>[^:]*):(?P<stage>[^:]*):(?P<version>[^:]*))?"
)
#: A Secrets Manager ARN prefix, to explain a malformed suffix rather than reject blindly.
SECRETS_MANAGER_PREFIX = lazy_re(r"arn:[^:]*:secretsmanager:")
SSM_PARAMETER_ARN = lazy_re(
    r"arn:(aws[a-zA-Z-]*):ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9_.\-/]+"
)
#: A bare parameter name (same Region only), plain or hierarchical.
#: The parts every ARN has: partition, service, region, account.
ARN_PARTS = lazy_re(
    r"arn:(?P<partition>[^:]*):(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):"
)
ARN_PARTITION = lazy_re(r"aws[a-zA-Z-]*")
ARN_REGION = lazy_re(r"[a-z]{2}(-[a-z]+)+-\d+")
ARN_ACCOUNT = lazy_re(r"\d{12}")
SSM_PARAMETER_NAME = lazy_re(r"/?[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*")

#: environmentFiles: up to ten S3 objects whose key ends in ``.env``, of type ``s3`` (§3.10).
MAX_ENVIRONMENT_FILES = 10
ENVIRONMENT_FILE_TYPE = "s3"
S3_OBJECT_ARN = lazy_re(r"arn:(aws[a-zA-Z-]*):s3:::(?P<bucket>[^/]+)/(?P<key>.+)")
ENVIRONMENT_FILE_SUFFIX = ".env"
