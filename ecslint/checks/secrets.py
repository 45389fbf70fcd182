"""Checks of secret references and environment files (ecs-facts.md §3.9, §3.10)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import Param, check
from ecslint.checks._common import entries
from ecslint.checks.view import TaskView
from ecslint.facts import secrets as facts
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


def _secret_references(task: TaskView) -> list[tuple[int, PathParts, Any]]:
    """(container index, path of valueFrom, value) in secrets and log secretOptions."""
    return task.memo("secrets.references", lambda: _find_secret_references(task))


def _find_secret_references(task: TaskView) -> list[tuple[int, PathParts, Any]]:
    found: list[tuple[int, PathParts, Any]] = []
    if "secrets" not in task.container_keys and "logConfiguration" not in task.container_keys:
        return found
    for index, container in task.containers():
        for number, secret in entries(container, "secrets"):
            path = task.container_path(index, "secrets", number, "valueFrom")
            found.append((index, path, secret.get("valueFrom")))
        log = container.get("logConfiguration")
        if isinstance(log, dict):
            for number, secret in entries(log, "secretOptions"):
                path = task.container_path(
                    index, "logConfiguration", "secretOptions", number, "valueFrom"
                )
                found.append((index, path, secret.get("valueFrom")))
    return found


def _arn_parts_problem(value: str) -> str | None:
    """Which of partition, region and account of an ARN is malformed, if one is."""
    parts = facts.ARN_PARTS.match(value)
    if parts is None:
        return "is not a complete ARN (arn:<partition>:<service>:<region>:<account>:...)"
    checks = (
        ("partition", facts.ARN_PARTITION),
        ("region", facts.ARN_REGION),
        ("account", facts.ARN_ACCOUNT),
    )
    for part, pattern in checks:
        if not pattern.fullmatch(parts.group(part)):
            return f"has {part} {parts.group(part)!r}, not a valid ARN {part}"
    return None


def secret_reference_problem(value: str) -> str | None:
    """Why ``value`` is neither a Secrets Manager ARN nor an SSM parameter; None if it is one."""
    if facts.SECRETS_MANAGER_ARN.fullmatch(value):
        return None
    if facts.SECRETS_MANAGER_PREFIX.match(value):
        fields = value.split(":secret:", 1)[-1].split(":")
        if ":secret:" in value and len(fields) > 1 and len(fields) != 4:
            return (
                f"has {len(fields) - 1} field(s) after the secret ARN; the suffix must be "
                "exactly json-key:version-stage:version-id (keep empty fields' colons)"
            )
        parts = _arn_parts_problem(value)
        if parts:
            return parts
        return (
            "is not a Secrets Manager secret ARN "
            "(arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)"
        )
    if facts.SSM_PARAMETER_ARN.fullmatch(value):
        if ":parameter//" in value:
            return (
                "has 'parameter//': a hierarchical name /a/b becomes the ARN "
                "...:parameter/a/b, with one slash"
            )
        return None
    if value.startswith("arn:"):
        if ":ssm:" in value:
            parts = _arn_parts_problem(value)
            if parts:
                return parts
            return (
                "is not an SSM parameter ARN "
                "(arn:<partition>:ssm:<region>:<account>:parameter/<name>)"
            )
        service = value.split(":")[2] if value.count(":") >= 2 else "?"
        return f"is an ARN of {service!r}; ECS reads secrets only from Secrets Manager or SSM"
    if facts.SSM_PARAMETER_NAME.fullmatch(value):
        return None
    return (
        "is neither a Secrets Manager ARN, an SSM parameter ARN, nor an SSM parameter name "
        "(letters, digits, '_', '.', '-' and '/')"
    )


@check("invalid-secret-value-from")
def invalid_secret_value_from(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, path, value in _secret_references(task):
        if isinstance(value, Unknown):
            yield task.not_evaluated(path, value)
        elif isinstance(value, str):
            why = secret_reference_problem(value)
            if why:
                yield task.problem(
                    path, f"{task.container_label(index)}: valueFrom {value!r} {why}"
                )


@check("secret-version-stage-and-id")
def secret_version_stage_and_id(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, path, value in _secret_references(task):
        if not isinstance(value, str):
            continue
        match = facts.SECRETS_MANAGER_ARN.fullmatch(value)
        if match and match.group("stage") and match.group("version"):
            yield task.problem(
                path,
                f"{task.container_label(index)}: valueFrom names both version-stage "
                f"{match.group('stage')!r} and version-id {match.group('version')!r}; "
                "give one of them",
            )


@check("invalid-environment-file")
def invalid_environment_file(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if "environmentFiles" not in task.container_keys:
        return
    for index, container in task.containers():
        label = task.container_label(index)
        for number, entry in entries(container, "environmentFiles"):
            base = task.container_path(index, "environmentFiles", number)
            kind = entry.get("type")
            if isinstance(kind, Unknown):
                yield task.not_evaluated((*base, "type"), kind)
            elif kind is not None and kind != facts.ENVIRONMENT_FILE_TYPE:
                yield task.problem(
                    (*base, "type"),
                    f"{label}: environmentFiles type is {kind!r}; the only type is 's3'",
                )
            value = entry.get("value")
            if isinstance(value, Unknown):
                yield task.not_evaluated((*base, "value"), value)
                continue
            if not isinstance(value, str):
                continue
            match = facts.S3_OBJECT_ARN.fullmatch(value)
            if match is None:
                yield task.problem(
                    (*base, "value"),
                    f"{label}: environment file {value!r} is not an S3 object ARN "
                    "(arn:aws:s3:::bucket/key.env)",
                )
            elif not match.group("key").endswith(facts.ENVIRONMENT_FILE_SUFFIX):
                yield task.problem(
                    (*base, "value"),
                    f"{label}: environment file {value!r} does not end in "
                    f"'{facts.ENVIRONMENT_FILE_SUFFIX}'; ECS requires that extension",
                )


@check(
    "too-many-environment-files",
    params={
        "max": Param(
            int, facts.MAX_ENVIRONMENT_FILES, "The most environment files a container may list."
        )
    },
)
def too_many_environment_files(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    limit = int(params["max"])
    if "environmentFiles" not in task.container_keys:
        return
    for index, container in task.containers():
        files = container.get("environmentFiles")
        if isinstance(files, list) and len(files) > limit:
            yield task.problem(
                task.container_path(index, "environmentFiles", limit),
                f"{task.container_label(index)} lists {len(files)} environment files; "
                f"ECS allows at most {limit}",
            )


@check("environment-variable-shadowed-by-secret")
def environment_variable_shadowed_by_secret(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if "secrets" not in task.container_keys:
        return
    for index, container in task.containers():
        secret_names = {
            s.get("name"): n
            for n, s in entries(container, "secrets")
            if isinstance(s.get("name"), str)
        }
        for number, variable in entries(container, "environment"):
            name = variable.get("name")
            if isinstance(name, str) and name in secret_names:
                yield task.problem(
                    task.container_path(index, "environment", number, "name"),
                    f"{task.container_label(index)} sets {name!r} in both environment and "
                    f"secrets[{secret_names[name]}]; which value the container sees is not "
                    "documented",
                )
