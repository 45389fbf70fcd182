"""Checks for parameters that Fargate rejects or limits (ecs-facts.md §2.2, §2.3).

Every check here runs only on task definitions validated for Fargate
(``requiresCompatibilities`` contains FARGATE); an unknown compatibility list is
reported as not evaluated, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import Param, check
from ecslint.checks._common import added_capabilities, as_count, capability_name, fargate_gate
from ecslint.checks._unsupported import scan
from ecslint.checks.view import TaskView
from ecslint.facts.fargate_params import (
    BY_KEY,
    FARGATE_ADDABLE_CAPABILITIES,
    FARGATE_TIMEOUT_SECONDS,
)
from ecslint.lazy_re import lazy_re
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


@check(
    "fargate-unsupported-parameter",
    params={
        "fields": Param(
            list,
            [],
            "The parameters this rule reports, by their key in facts/fargate_params.py "
            "(a template: each ECS80x rule names its own).",
            tuple(BY_KEY),
        )
    },
)
def fargate_unsupported_parameter(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """The ``fields`` param names entries of ``facts.fargate_params.FARGATE_PARAMS``."""
    yield from fargate_gate(task)
    if not task.is_fargate:
        return
    yield from scan(
        task,
        BY_KEY,
        params["fields"],
        absent="the default 'bridge' (networkMode is omitted)",
    )


@check("fargate-added-capability")
def fargate_added_capability(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from fargate_gate(task)
    if not task.is_fargate:
        return
    for index, path, capability in added_capabilities(task):
        if isinstance(capability, Unknown):
            yield task.not_evaluated(path, capability)
        elif (
            isinstance(capability, str)
            and capability_name(capability) not in FARGATE_ADDABLE_CAPABILITIES
        ):
            yield task.problem(
                path,
                f"{task.container_label(index)} adds capability {capability!r}, but Fargate "
                "only supports adding SYS_PTRACE",
            )


@check("fargate-firelens-s3-config")
def fargate_firelens_s3_config(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from fargate_gate(task)
    if not task.is_fargate or "firelensConfiguration" not in task.container_keys:
        return
    for index, container in task.containers():
        firelens = container.get("firelensConfiguration")
        options = firelens.get("options") if isinstance(firelens, dict) else None
        if not isinstance(options, dict) or "config-file-type" not in options:
            continue
        kind = options["config-file-type"]
        path = task.container_path(index, "firelensConfiguration", "options", "config-file-type")
        if isinstance(kind, Unknown):
            yield task.not_evaluated(path, kind)
        elif isinstance(kind, str) and kind.strip().lower() == "s3":
            yield task.problem(
                path,
                f"{task.container_label(index)} loads its FireLens configuration from S3, but "
                "tasks on Fargate only support config-file-type 'file'",
            )


@check("fargate-timeout-out-of-range")
def fargate_timeout_out_of_range(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from fargate_gate(task)
    keys = task.container_keys
    if not task.is_fargate or ("startTimeout" not in keys and "stopTimeout" not in keys):
        return
    low, high = FARGATE_TIMEOUT_SECONDS
    for index, container in task.containers():
        for field in ("startTimeout", "stopTimeout"):
            if field not in container:
                continue
            number = as_count(container[field])
            path = task.container_path(index, field)
            if isinstance(number, Unknown):
                yield task.not_evaluated(path, number)
            elif number is not None and not low <= number <= high:
                yield task.problem(
                    path,
                    f"{task.container_label(index)} sets {field} to {number} s; the valid values "
                    f"on Fargate are {low}-{high} s",
                )


_SM_SUFFIX = lazy_re(r":secret:[^:]+:[^:]*:[^:]*:[^:]*$")


def _pv14_features(task: TaskView) -> list[tuple[str, PathParts]]:
    """Features that need Fargate Linux platform version 1.4.0 (ecs-facts.md §2.3)."""
    found: list[tuple[str, PathParts]] = []

    def add(name: str, path: PathParts) -> None:
        if all(existing != name for existing, _ in found):
            found.append((name, path))

    data = task.task
    storage = data.get("ephemeralStorage")
    if isinstance(storage, dict) and storage.get("sizeInGiB") is not None:
        add("ephemeralStorage", ("ephemeralStorage",))
    if data.get("pidMode") == "task":
        add("pidMode 'task'", ("pidMode",))
    platform = data.get("runtimePlatform")
    if isinstance(platform, dict) and platform.get("cpuArchitecture") == "ARM64":
        add("ARM64 (runtimePlatform.cpuArchitecture)", ("runtimePlatform", "cpuArchitecture"))
    cpu = data.get("cpu")
    if isinstance(cpu, str) and cpu.replace(" ", "").lower() in (
        "8192",
        "16384",
        "8vcpu",
        "16vcpu",
    ):
        add("8 or 16 vCPU task size", ("cpu",))
    volumes = data.get("volumes")
    if isinstance(volumes, list):
        for index, volume in enumerate(volumes):
            if isinstance(volume, dict) and isinstance(volume.get("efsVolumeConfiguration"), dict):
                add("EFS volumes", ("volumes", index, "efsVolumeConfiguration"))
    for index, container in task.containers():
        if isinstance(container.get("environmentFiles"), list) and container["environmentFiles"]:
            add("environmentFiles", task.container_path(index, "environmentFiles"))
        systemctl = container.get("systemControls")
        if isinstance(systemctl, list) and systemctl:
            add("systemControls", task.container_path(index, "systemControls"))
        linux = container.get("linuxParameters")
        caps = linux.get("capabilities") if isinstance(linux, dict) else None
        added = caps.get("add") if isinstance(caps, dict) else None
        if isinstance(added, list) and added:
            add("added capabilities (SYS_PTRACE)", task.container_path(index, "linuxParameters"))
        log = container.get("logConfiguration")
        options = log.get("options") if isinstance(log, dict) else None
        if isinstance(options, dict) and "log-driver-buffer-limit" in options:
            add("FireLens log-driver-buffer-limit", task.container_path(index, "logConfiguration"))
        secrets = container.get("secrets")
        if isinstance(secrets, list):
            for position, secret in enumerate(secrets):
                value = secret.get("valueFrom") if isinstance(secret, dict) else None
                if isinstance(value, str) and _SM_SUFFIX.search(value):
                    add(
                        "Secrets Manager json-key/version suffixes",
                        task.container_path(index, "secrets", position, "valueFrom"),
                    )
    return found


@check("fargate-platform-version-features")
def fargate_platform_version_features(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    """One finding per task, listing every feature that needs PV 1.4.0, at the first one."""
    if not task.is_fargate or task.is_windows:
        return
    found = _pv14_features(task)
    if found:
        names = ", ".join(name for name, _ in found)
        yield task.problem(
            found[0][1],
            f"this task uses features that need Fargate platform version 1.4.0 or later: {names}; "
            "run it with platformVersion LATEST or 1.4.0, not 1.3.0",
        )
