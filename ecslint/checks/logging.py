"""Checks about where container logs go: logConfiguration, awslogs, FireLens.

Facts (driver lists, the awslogs option allow-list) live in ``ecslint.facts.logging``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks._common import (
    COMPAT_PATH,
    did_you_mean,
    fargate,
    is_blank,
    log_configurations,
    options_of,
)
from ecslint.checks.view import TaskView
from ecslint.facts import logging as facts
from ecslint.load.unknown import Unknown, find_placeholder
from ecslint.model import Edit, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


@check("missing-log-configuration")
def missing_log_configuration(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """No logConfiguration, or one that configures nothing: ``null`` (unset, as describe
    output, Terraform and the deploy tools that drop nulls read it) or ``{}``."""
    for index, container in task.containers():
        config = container.get("logConfiguration", None)
        if config is None or (isinstance(config, dict) and not config):
            written = "" if "logConfiguration" not in container else f" ({_shown(config)})"
            yield task.problem(
                task.container_path(index, "logConfiguration"),
                f"{task.container_label(index)} has no logConfiguration{written}: its output "
                "is not collected anywhere you can read it",
            )


def _shown(config: object) -> str:
    return "null" if config is None else "{}"


def _awslogs(task: TaskView) -> list[tuple[int, dict[str, Any], dict[str, Any] | None]]:
    """(index, logConfiguration, options) for containers whose driver is awslogs."""
    return task.memo(
        "logging.awslogs",
        lambda: [
            (index, config, options_of(config))
            for index, config, driver in log_configurations(task)
            if driver == "awslogs"
        ],
    )


@check("awslogs-missing-group-or-region")
def awslogs_missing_group_or_region(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, _config, options in _awslogs(task):
        base = task.container_path(index, "logConfiguration", "options")
        for key in facts.AWSLOGS_REQUIRED:
            value = options.get(key) if options else None
            if isinstance(value, Unknown):
                continue  # present; its value is another rule's concern
            if is_blank(value):
                yield task.problem(
                    (*base, key) if options is not None else base,
                    f"{task.container_label(index)} uses the awslogs driver without "
                    f"{key!r}: the container cannot start",
                )


@check("awslogs-missing-stream-prefix")
def awslogs_missing_stream_prefix(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    users = _awslogs(task)
    if not users:
        return
    on_fargate = fargate(task)
    if isinstance(on_fargate, Unknown):
        yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
        return
    if not on_fargate:
        return
    key = facts.AWSLOGS_FARGATE_REQUIRED
    for index, config, options in users:
        value = options.get(key) if options else None
        if isinstance(value, Unknown) or not is_blank(value):
            continue
        base = task.container_path(index, "logConfiguration", "options")
        # "ecs", the prefix the console writes for a new task definition.
        prefix = facts.AWSLOGS_DEFAULT_STREAM_PREFIX
        fix: tuple[Edit, ...] = ()
        if options is not None and key in options:
            fix = (Edit("replace", (*base, key), prefix),)
        elif options is not None:
            fix = (Edit("insert", base, prefix, key),)
        elif "options" not in config:
            fix = (Edit("insert", base[:-1], {key: prefix}, "options"),)
        yield Problem(
            (*base, key) if options is not None else base,
            f"{task.container_label(index)} uses awslogs on Fargate without {key!r}; "
            "Fargate rejects the registration",
            fix=fix,
        )


def _option_keys(task: TaskView) -> Iterator[tuple[int, str]]:
    for index, _config, options in _awslogs(task):
        for key in options or {}:
            if isinstance(key, str) and key not in facts.AWSLOGS_OPTIONS:
                yield index, key


@check("unknown-awslogs-option")
def unknown_awslogs_option(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """A key nobody accepts (a typo), or any undocumented key on Fargate."""
    on_fargate = fargate(task)
    for index, key in _option_keys(task):
        path = task.container_path(index, "logConfiguration", "options", key)
        if find_placeholder(key):
            yield task.not_evaluated(path, Unknown(key), "option name")
            continue
        hint = did_you_mean(key, facts.AWSLOGS_OPTIONS)
        if key not in facts.DOCKER_ONLY_AWSLOGS_OPTIONS:
            yield Problem(
                path,
                f"{task.container_label(index)}: awslogs has no option {key!r}{hint}; "
                "ECS and Docker reject it",
                at_key=True,
            )
        elif isinstance(on_fargate, Unknown):
            yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
        elif on_fargate:
            yield Problem(
                path,
                f"{task.container_label(index)}: Fargate does not allow the awslogs option "
                f"{key!r} (Docker knows it, ECS does not){hint}",
                at_key=True,
            )


@check("docker-only-awslogs-option")
def docker_only_awslogs_option(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """Docker's awslogs driver accepts the key on EC2, but ECS does not document it."""
    on_fargate = fargate(task)
    if on_fargate is True:
        return  # unknown-awslogs-option reports these as errors on Fargate
    for index, key in _option_keys(task):
        if key not in facts.DOCKER_ONLY_AWSLOGS_OPTIONS:
            continue
        path = task.container_path(index, "logConfiguration", "options", key)
        if isinstance(on_fargate, Unknown):
            yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
            continue
        yield Problem(
            path,
            f"{task.container_label(index)}: awslogs option {key!r} is passed to Docker on "
            "EC2 but is not an ECS option; Fargate would reject it",
            at_key=True,
        )


@check("invalid-awslogs-create-group")
def invalid_awslogs_create_group(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, _config, options in _awslogs(task):
        if not options or "awslogs-create-group" not in options:
            continue
        value = options["awslogs-create-group"]
        path = task.container_path(index, "logConfiguration", "options", "awslogs-create-group")
        if isinstance(value, Unknown):
            yield task.not_evaluated(path, value)
        elif not isinstance(value, str):
            continue  # a type error (a JSON boolean): wrong-type (ECS011) reports it
        elif value not in facts.GO_BOOLEANS:
            yield task.problem(
                path,
                f'awslogs-create-group is {value!r}; it must be "true" or "false"',
            )


@check("awslogs-datetime-format-with-multiline-pattern")
def awslogs_datetime_with_multiline(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, _config, options in _awslogs(task):
        if (
            options
            and "awslogs-datetime-format" in options
            and ("awslogs-multiline-pattern" in options)
        ):
            yield task.problem(
                task.container_path(
                    index, "logConfiguration", "options", "awslogs-multiline-pattern"
                ),
                f"{task.container_label(index)} sets both awslogs-datetime-format and "
                "awslogs-multiline-pattern; the awslogs driver refuses to start with both",
            )


@check("invalid-log-mode")
def invalid_log_mode(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, config, _driver in log_configurations(task):
        options = options_of(config)
        if not options or "mode" not in options:
            continue
        value = options["mode"]
        path = task.container_path(index, "logConfiguration", "options", "mode")
        if isinstance(value, Unknown):
            yield task.not_evaluated(path, value)
        elif value != "" and value not in facts.LOG_MODES:  # Docker treats "" as unset
            hint = did_you_mean(value, facts.LOG_MODES) if isinstance(value, str) else ""
            yield task.problem(
                path,
                f'log option mode is {value!r}; it must be "blocking" or "non-blocking"{hint}',
            )


@check("log-driver-unsupported-on-fargate")
def log_driver_unsupported_on_fargate(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    configs = log_configurations(task)
    if not configs:
        return
    on_fargate = fargate(task)
    if on_fargate is False:
        return
    for index, _config, driver in configs:
        path = task.container_path(index, "logConfiguration", "logDriver")
        if driver is None or (isinstance(driver, str) and driver in facts.FARGATE_LOG_DRIVERS):
            continue
        if isinstance(on_fargate, Unknown):
            yield task.not_evaluated(COMPAT_PATH, on_fargate, "Fargate or not")
        elif isinstance(driver, Unknown):
            yield task.not_evaluated(path, driver)
        else:
            yield task.problem(
                path,
                f"{task.container_label(index)} uses the log driver {driver!r}, which Fargate "
                "does not support (only awslogs, splunk and awsfirelens)",
            )


def _firelens_state(
    task: TaskView,
) -> tuple[list[int], list[int], list[tuple[int, Unknown]]]:
    """(awsfirelens users, router containers, containers whose driver is unknown)."""
    users: list[int] = []
    unknown: list[tuple[int, Unknown]] = []
    for index, _config, driver in log_configurations(task):
        if driver == "awsfirelens":
            users.append(index)
        elif isinstance(driver, Unknown):
            unknown.append((index, driver))
    routers = [
        index
        for index, container in task.containers()
        if isinstance(container.get("firelensConfiguration"), dict)
    ]
    return users, routers, unknown


@check("awsfirelens-without-router")
def awsfirelens_without_router(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    users, routers, _unknown = task.memo("firelens", lambda: _firelens_state(task))
    if routers:
        return
    for index in users:
        yield task.problem(
            task.container_path(index, "logConfiguration", "logDriver"),
            f"{task.container_label(index)} logs to awsfirelens, but no container in the "
            "task has a firelensConfiguration (the log router)",
        )


@check("unused-firelens-router")
def unused_firelens_router(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    users, routers, unknown = task.memo("firelens", lambda: _firelens_state(task))
    if users or not routers:
        return
    if unknown:
        index, driver = unknown[0]
        yield task.not_evaluated(
            task.container_path(index, "logConfiguration", "logDriver"), driver
        )
        return
    for index in routers:
        yield task.problem(
            task.container_path(index, "firelensConfiguration"),
            f"{task.container_label(index)} is a FireLens log router, but no container uses "
            "the awsfirelens log driver",
        )
