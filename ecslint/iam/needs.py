"""What a task definition needs its execution role to allow (ecs-facts.md 3.9-3.11, 4.2, 5.2).

Each :class:`Need` carries the task path that needs it, so a finding can point at
the image, the log configuration or the secret rather than at the role.
"""

from __future__ import annotations

import re

from ecslint.facts import iam as facts
from ecslint.facts.images import parse_image
from ecslint.lazy_re import lazy_re
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

_TASK_ARN = lazy_re(r"^arn:(aws[a-z-]*):ecs:([a-z0-9-]+):(\d{12}):task-definition/")
_ECR_HOST = lazy_re(
    r"^(\d{12})\.dkr(?:\.ecr|\.ecr-fips|-ecr)\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?|on\.aws)$"
)
_SSM_NAME = lazy_re(r"^/?[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*$")
ANY_ACCOUNT = "*"


class Need(Record):
    action: str
    resource: str
    path: PathParts
    #: What needs it, for messages ("to pull the image of container 'api'").
    why: str
    #: Pull and log permissions may come from the EC2 instance role instead.
    instance_role_may_cover: bool = False

    @property
    def any_account(self) -> bool:
        fields = self.resource.split(":")
        return len(fields) > 4 and fields[4] == ANY_ACCOUNT


class Needs:
    # Records and plain classes, not dataclasses: importing dataclasses (with inspect,
    # ast, dis and tokenize) and building each class cost a cold CloudFormation run
    # about a fifth of its instructions.
    __slots__ = ("encrypted", "needs", "undecidable", "unknown")

    def __init__(self) -> None:
        self.needs: list[Need] = []
        #: (path, unknown value, what) for values that cannot be turned into a need.
        self.unknown: list[tuple[PathParts, Unknown, str]] = []
        #: (path, why) for needs that cannot be derived offline (a bare secret name, ...).
        self.undecidable: list[tuple[PathParts, str]] = []
        #: Paths of values that may be encrypted with a customer managed KMS key.
        self.encrypted: list[PathParts] = []

    def add(self, need: Need) -> None:
        if all((n.action, n.resource) != (need.action, need.resource) for n in self.needs):
            self.needs.append(need)


class Where(Record):
    """The partition, Region and account the task runs in, as far as they are known."""

    partition: str = "aws"
    region: str | None = None
    account: str | None = None


def task_location(task: dict[str, Any], region: str | None, role_arn: str | None) -> Where:
    """Partition/Region/account from the task's own ARN, the run's Region, and the role ARN."""
    partition, account = "aws", None
    arn = task.get("taskDefinitionArn")
    match = _TASK_ARN.match(arn) if isinstance(arn, str) else None
    if match:
        return Where(match.group(1), match.group(2), match.group(3))
    if role_arn:
        fields = role_arn.split(":")
        if len(fields) > 4 and fields[0] == "arn" and re.fullmatch(r"\d{12}", fields[4]):
            partition, account = fields[1], fields[4]
    if region and partition == "aws":
        partition = _partition_of_region(region)
    return Where(partition, region, account)


def _partition_of_region(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def execution_role_needs(task: dict[str, Any], where: Where, fargate: bool) -> Needs:
    """Every permission the task's execution role must grant, with the path that needs it."""
    found = Needs()
    for index, container in _containers(task):
        label = _label(container, index)
        _image_needs(found, container, index, label, fargate)
        _log_needs(found, container, index, label, where, fargate)
        for field_name in ("secrets",):
            _secret_needs(
                found, container.get(field_name), ("containerDefinitions", index, field_name), where
            )
        log = container.get("logConfiguration")
        if isinstance(log, dict):
            _secret_needs(
                found,
                log.get("secretOptions"),
                ("containerDefinitions", index, "logConfiguration", "secretOptions"),
                where,
            )
        _environment_file_needs(found, container, index, label)
        _repository_credentials_needs(found, container, index, label)
    return found


def _containers(task: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    definitions = task.get("containerDefinitions")
    if not isinstance(definitions, list):
        return []
    return [(i, c) for i, c in enumerate(definitions) if isinstance(c, dict)]


def _label(container: dict[str, Any], index: int) -> str:
    name = container.get("name")
    return f"container {name!r}" if isinstance(name, str) else f"container #{index}"


def _image_needs(
    found: Needs, container: dict[str, Any], index: int, label: str, fargate: bool
) -> None:
    path: PathParts = ("containerDefinitions", index, "image")
    image = container.get("image")
    if isinstance(image, Unknown):
        found.unknown.append((path, image, "which registry the image is in"))
        return
    if not isinstance(image, str):
        return
    reference = parse_image(image)
    domain = reference.domain if reference else None
    match = _ECR_HOST.match(domain) if domain else None
    if reference is None or match is None:
        return
    account, region, suffix = match.groups()
    partition = "aws-cn" if suffix.endswith(".cn") else _partition_of_region(region)
    repository = f"arn:{partition}:ecr:{region}:{account}:repository/{reference.repository}"
    why = f"to pull the image of {label}"
    ec2 = not fargate
    found.add(Need(facts.ECR_AUTH, "*", path, why, ec2))
    for action in facts.ECR_PULL:
        found.add(Need(action, repository, path, why, ec2))


def _log_needs(
    found: Needs, container: dict[str, Any], index: int, label: str, where: Where, fargate: bool
) -> None:
    log = container.get("logConfiguration")
    if not isinstance(log, dict) or log.get("logDriver") != "awslogs":
        return
    base: PathParts = ("containerDefinitions", index, "logConfiguration")
    options = log.get("options")
    options = options if isinstance(options, dict) else {}
    group, region = options.get("awslogs-group"), options.get("awslogs-region", where.region)
    for key, value in (("awslogs-group", group), ("awslogs-region", region)):
        if isinstance(value, Unknown):
            found.unknown.append(((*base, "options", key), value, "the log group ARN"))
            return
    if not isinstance(group, str) or not isinstance(region, str):
        return  # a missing option is another rule's finding
    account = where.account or ANY_ACCOUNT
    partition = where.partition if where.region or where.account else _partition_of_region(region)
    arn = f"arn:{partition}:logs:{region}:{account}:log-group:{group}:*"
    why = f"for the awslogs driver of {label}"
    path: PathParts = (*base, "options", "awslogs-group")
    for action in facts.LOGS_WRITE:
        found.add(Need(action, arn, path, why, not fargate))
    create = options.get("awslogs-create-group")
    if isinstance(create, str) and create.lower() == "true":
        found.add(
            Need(
                facts.LOGS_CREATE_GROUP,
                arn,
                (*base, "options", "awslogs-create-group"),
                f"to create the log group of {label}",
                not fargate,
            )
        )


def _secret_resource(value: str, where: Where) -> tuple[str, str] | str:
    """(action, resource) for a secret's valueFrom, or why it cannot be derived."""
    fields = value.split(":")
    if value.startswith("arn:") and len(fields) >= 6:
        service = fields[2]
        if service == "secretsmanager":
            return facts.SECRETS_GET, ":".join(fields[:7])
        if service == "ssm":
            return facts.SSM_GET, value
        return f"{value!r} is neither a Secrets Manager secret nor an SSM parameter"
    if not _SSM_NAME.match(value):
        return f"{value!r} is not an SSM parameter name"
    if where.region is None:
        return (
            f"the SSM parameter {value!r} is given by name and the task's Region is unknown "
            "(lint describe output, or pass --region)"
        )
    account = where.account or ANY_ACCOUNT
    arn = f"arn:{where.partition}:ssm:{where.region}:{account}:parameter/{value.lstrip('/')}"
    return facts.SSM_GET, arn


def _secret_needs(found: Needs, secrets: Any, base: PathParts, where: Where) -> None:
    if not isinstance(secrets, list):
        return
    for position, secret in enumerate(secrets):
        if not isinstance(secret, dict):
            continue
        path: PathParts = (*base, position, "valueFrom")
        value = secret.get("valueFrom")
        if isinstance(value, Unknown):
            found.unknown.append((path, value, "which secret the execution role must read"))
            continue
        if not isinstance(value, str):
            continue
        name = secret.get("name")
        why = f"for the secret {name}" if isinstance(name, str) else "for a secret"
        resolved = _secret_resource(value, where)
        if isinstance(resolved, str):
            found.undecidable.append((path, resolved))
            continue
        found.add(Need(resolved[0], resolved[1], path, why))
        found.encrypted.append(path)


def _environment_file_needs(
    found: Needs, container: dict[str, Any], index: int, label: str
) -> None:
    files = container.get("environmentFiles")
    if not isinstance(files, list):
        return
    for position, entry in enumerate(files):
        if not isinstance(entry, dict):
            continue
        path: PathParts = ("containerDefinitions", index, "environmentFiles", position, "value")
        value = entry.get("value")
        if isinstance(value, Unknown):
            found.unknown.append((path, value, "which S3 object the execution role must read"))
            continue
        if not isinstance(value, str) or not value.startswith("arn:"):
            continue
        fields = value.split(":", 5)
        if len(fields) < 6 or fields[2] != "s3" or "/" not in fields[5]:
            continue
        bucket = ":".join(fields[:5]) + ":" + fields[5].split("/", 1)[0]
        why = f"for an environment file of {label}"
        found.add(Need(facts.S3_GET_OBJECT, value, path, why))
        found.add(Need(facts.S3_BUCKET_LOCATION, bucket, path, why))
        found.encrypted.append(path)


def _repository_credentials_needs(
    found: Needs, container: dict[str, Any], index: int, label: str
) -> None:
    credentials = container.get("repositoryCredentials")
    if not isinstance(credentials, dict):
        return
    path: PathParts = (
        "containerDefinitions",
        index,
        "repositoryCredentials",
        "credentialsParameter",
    )
    value = credentials.get("credentialsParameter")
    if isinstance(value, Unknown):
        found.unknown.append((path, value, "which secret holds the registry credentials"))
        return
    if not isinstance(value, str):
        return
    fields = value.split(":")
    if value.startswith("arn:") and len(fields) >= 7 and fields[2] == "secretsmanager":
        why = f"for the private registry credentials of {label}"
        found.add(Need(facts.SECRETS_GET, ":".join(fields[:7]), path, why))
        found.encrypted.append(path)
    else:
        found.undecidable.append(
            (
                path,
                f"the registry credentials secret {value!r} is given by name; its ARN ends in "
                "a random suffix that only the full ARN states",
            )
        )
