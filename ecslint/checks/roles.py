"""Checks about the task role and the task execution role (ecs-facts.md §4)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from ecslint.checks import Param, check
from ecslint.checks._common import (
    COMPAT_PATH,
    entries,
    fargate,
    is_blank,
    log_configurations,
    template_token,
)
from ecslint.checks.view import TaskView
from ecslint.facts import roles as role_refs
from ecslint.facts.images import is_private_ecr
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


@check(
    "missing-task-role",
    params={
        "always": Param(
            bool, False, "Report every task without a task role, not only those that call AWS."
        )
    },
)
def missing_task_role(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """No task role, where the definition shows that the task calls AWS (or always, with
    the ``always`` param): a task that never calls AWS needs none."""
    if not is_blank(task.task.get("taskRoleArn")):
        return
    evidence = _calls_aws(task)
    if evidence is not None:
        yield task.problem(
            ("taskRoleArn",),
            f"no taskRoleArn, but the task calls AWS ({evidence}): without a task role those "
            "calls fail (NoCredentialsError) on Fargate and, on EC2, run with the instance "
            "role's permissions",
        )
    elif params["always"]:
        yield task.problem(
            ("taskRoleArn",),
            "no taskRoleArn: the containers get no AWS credentials of their own, so AWS SDK "
            "calls fail (NoCredentialsError) or, on EC2, fall back to the instance role",
        )


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    """The evidence patterns, compiled on first use (most tasks have a task role)."""
    return re.compile(text)


def _calls_aws(task: TaskView) -> str | None:
    """What in the definition shows a call to AWS with the task's credentials, or None."""
    for _, config, driver in log_configurations(task):
        if driver == "awsfirelens":
            options = config.get("options")
            name = options.get("Name") if isinstance(options, dict) else None
            if isinstance(name, str) and name.lower() in role_refs.FIRELENS_AWS_OUTPUTS:
                return f"FireLens sends logs to {name!r}"
    volumes = task.task.get("volumes")
    for volume in volumes if isinstance(volumes, list) else ():
        efs = volume.get("efsVolumeConfiguration") if isinstance(volume, dict) else None
        auth = efs.get("authorizationConfig") if isinstance(efs, dict) else None
        if isinstance(auth, dict) and auth.get("iam") == "ENABLED":
            return "an EFS volume with IAM authorization"
    for _, container in task.containers():
        image = container.get("image")
        if isinstance(image, str) and _pattern(role_refs.AWS_AGENT_IMAGE).search(image.lower()):
            return f"the image {image!r} is an AWS agent"
        for _, variable in entries(container, "environment"):
            name, value = variable.get("name"), variable.get("value")
            if not isinstance(name, str):
                continue
            if isinstance(value, str) and _pattern(role_refs.AWS_RESOURCE_VALUE).match(value):
                return f"environment {name} names an AWS resource"
            if _pattern(role_refs.AWS_RESOURCE_NAME).match(name.upper()):
                return f"environment {name} names an AWS resource"
    return None


def _role_name(value: str) -> str:
    """The role a reference names: the last path segment of an ARN, or the bare name."""
    return value.rsplit("/", 1)[-1] if value.startswith("arn:") else value


@check("shared-task-and-execution-role")
def shared_task_and_execution_role(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    task_role = task.task.get("taskRoleArn")
    execution_role = task.task.get("executionRoleArn")
    if is_blank(task_role) or is_blank(execution_role):
        return
    if isinstance(task_role, Unknown) or isinstance(execution_role, Unknown):
        if task_role == execution_role:  # the same placeholder twice is the same role
            yield _shared(task)
        elif isinstance(task_role, Unknown):
            yield task.not_evaluated(("taskRoleArn",), task_role)
        elif isinstance(execution_role, Unknown):
            yield task.not_evaluated(("executionRoleArn",), execution_role)
        return
    if not (isinstance(task_role, str) and isinstance(execution_role, str)):
        return
    same = task_role == execution_role
    if not same and not (task_role.startswith("arn:") and execution_role.startswith("arn:")):
        same = _role_name(task_role) == _role_name(execution_role)
    if same:
        yield _shared(task)


def _shared(task: TaskView) -> Problem:
    return task.problem(
        ("taskRoleArn",),
        "taskRoleArn and executionRoleArn name the same role: the application gets the "
        "agent's permissions (image pulls, secrets, log writes) as well as its own",
    )


# --- the execution role -------------------------------------------------------------------

#: Exact messages ECS returns when the execution role is missing (ecs-facts.md §7, [ERR]).
MSG_ECR = "Fargate requires task definition to have execution role ARN to support ECR images."
MSG_AWSLOGS = (
    "Fargate requires task definition to have execution role ARN to support log driver awslogs."
)
MSG_SECRETS = (
    "When you are specifying container secrets, you must also specify a value for "
    "'executionRoleArn'."
)
MSG_REPO_CREDENTIALS = (
    "Private repository authentication requires that the task definition specify a value "
    "for executionRoleArn."
)


def _needs(task: TaskView) -> Iterator[tuple[PathParts, str, str, bool]]:
    """(path, what needs the role, AWS message or "", needed on every launch type).

    secrets and repositoryCredentials are rejected at registration on any launch type;
    the others are Fargate rejections (awslogs) or Fargate start failures.
    """
    for index, container in task.containers():
        label = task.container_label(index)
        if isinstance(container.get("secrets"), list) and container["secrets"]:
            yield task.container_path(index, "secrets"), f"{label} has secrets", MSG_SECRETS, True
        if isinstance(container.get("repositoryCredentials"), dict):
            yield (
                task.container_path(index, "repositoryCredentials"),
                f"{label} has repositoryCredentials",
                MSG_REPO_CREDENTIALS,
                True,
            )
        config = container.get("logConfiguration")
        if isinstance(config, dict):
            options = config.get("secretOptions")
            if isinstance(options, list) and options:
                yield (
                    task.container_path(index, "logConfiguration", "secretOptions"),
                    f"{label} has logConfiguration.secretOptions",
                    "",
                    False,
                )
        files = container.get("environmentFiles")
        if isinstance(files, list) and files:
            yield (
                task.container_path(index, "environmentFiles"),
                f"{label} has environmentFiles",
                "",
                False,
            )
    for index, _config, driver in log_configurations(task):
        if driver == "awslogs":
            yield (
                task.container_path(index, "logConfiguration", "logDriver"),
                f"{task.container_label(index)} uses awslogs",
                MSG_AWSLOGS,
                False,
            )


def _ecr_images(task: TaskView) -> Iterator[tuple[PathParts, str | Unknown, bool | None]]:
    """(path, image, is private ECR or None when unknown) for every ECR or unknown image."""
    for index, container in task.containers():
        image = container.get("image")
        text = image.text if isinstance(image, Unknown) else image
        if not isinstance(text, str) or not isinstance(image, (str, Unknown)):
            continue
        ecr = is_private_ecr(text)
        if ecr is not False:
            yield task.container_path(index, "image"), image, ecr


def _execution_role_missing(task: TaskView) -> bool:
    role = task.task.get("executionRoleArn")
    return not isinstance(role, Unknown) and is_blank(role)


@check("missing-execution-role")
def missing_execution_role(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """Where ECS rejects the registration (or Fargate cannot start) without an execution role."""
    if not _execution_role_missing(task):
        return
    on_fargate = fargate(task)
    for path, what, message, any_launch_type in _needs(task):
        if not any_launch_type:
            if on_fargate is False:
                continue  # on EC2 the instance role or ec2-agent-needs-execution-role covers it
            if isinstance(on_fargate, Unknown):
                yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
                continue
        reason = message or "Fargate fetches them with the execution role"
        yield task.problem(path, f"{what} but the task has no executionRoleArn ({reason})")
    if on_fargate is False:
        return
    for index, _config, driver in log_configurations(task):
        if isinstance(driver, Unknown):  # it may be awslogs
            yield task.not_evaluated(
                task.container_path(index, "logConfiguration", "logDriver"), driver
            )
    for path, image, ecr in _ecr_images(task):
        if ecr is None and isinstance(image, Unknown):
            yield task.not_evaluated(path, image, "private ECR image or not")
        elif isinstance(on_fargate, Unknown):
            yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
        else:
            shown = image.text if isinstance(image, Unknown) else image
            yield task.problem(
                path,
                f"image {shown!r} is in private ECR but the task has no executionRoleArn "
                f"({MSG_ECR})",
            )


@check("ec2-agent-needs-execution-role")
def ec2_agent_needs_execution_role(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """secretOptions and environmentFiles on EC2: the agent fetches them as the execution role."""
    if not _execution_role_missing(task):
        return
    on_fargate = fargate(task)
    if on_fargate is not False:
        return  # Fargate (or unknown) is missing-execution-role's finding
    for path, what, message, _any_launch_type in _needs(task):
        if not message:
            yield task.problem(
                path,
                f"{what} but the task has no executionRoleArn: the ECS agent fetches them "
                "with the execution role's credentials, not the instance role's",
            )


# --- malformed ARNs -----------------------------------------------------------------------


@check("malformed-role-arn")
def malformed_role_arn(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """Both fields take a full role ARN or a bare role name.

    The API reference says "short name or full ARN" for the task role; for the
    execution role AWS's own render action maintainers confirm a name works too
    ("ECS will fill in the account ID server-side").
    """
    for field in ("taskRoleArn", "executionRoleArn"):
        value = task.task.get(field)
        path: PathParts = (field,)
        if isinstance(value, Unknown):
            yield task.not_evaluated(path, value)
            continue
        if not isinstance(value, str) or not value.strip():
            continue  # absent or empty: the missing-role rules' concern
        if role_refs.ROLE_ARN.match(value) or role_refs.ROLE_NAME.match(value):
            continue
        template = template_token(value)
        if template is not None:
            yield task.not_evaluated(path, template)
            continue
        yield task.problem(path, f"{field} {value!r} {_what_is_wrong(value)}")


def _what_is_wrong(value: str) -> str:
    expected = "a role name or an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)"
    match = role_refs.IAM_ARN.match(value)
    if match:
        kind, account = match.group("kind"), match.group("account")
        if kind != "role":
            return f"names an IAM {kind}, not a role; it must be {expected}"
        if not (account.isdigit() and len(account) == 12):
            return f"has the account id {account!r}; an AWS account id is 12 digits"
        return f"is not a valid role ARN; it must be {expected}"
    if value.startswith("arn:"):
        return f"is not an IAM role ARN; it must be {expected}"
    return f"is not {expected}"
