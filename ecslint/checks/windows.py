"""Checks for Windows task definitions (ecs-facts.md §2.4, §3.1).

A task is Windows when ``runtimePlatform.operatingSystemFamily`` names a Windows
release. Windows tasks on EC2 may omit runtimePlatform; those cannot be told
from Linux tasks by their fields, so these checks do not guess about them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks._common import fargate_gate
from ecslint.checks._unsupported import scan
from ecslint.checks.view import TaskView
from ecslint.facts.windows_params import (
    WINDOWS_BY_KEY,
    WINDOWS_FARGATE_BY_KEY,
    WINDOWS_IMAGE,
    WINDOWS_NETWORK_MODES,
)
from ecslint.load.unknown import Unknown
from ecslint.model import Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

_OS_PATH = ("runtimePlatform", "operatingSystemFamily")


def _os_gate(task: TaskView) -> list[Problem]:
    """Not evaluated when the OS family is a placeholder (a list: nearly always empty)."""
    family = task.os_family
    return [task.not_evaluated(_OS_PATH, family)] if isinstance(family, Unknown) else []


@check("windows-unsupported-parameter")
def windows_unsupported_parameter(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """Every entry of ``facts.windows_params.WINDOWS_PARAMS``."""
    yield from _os_gate(task)
    if task.is_windows:
        yield from scan(task, WINDOWS_BY_KEY, WINDOWS_BY_KEY)


@check("windows-fargate-unsupported-feature")
def windows_fargate_unsupported_feature(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    yield from _os_gate(task)
    yield from fargate_gate(task)
    if task.is_windows and task.is_fargate:
        yield from scan(task, WINDOWS_FARGATE_BY_KEY, WINDOWS_FARGATE_BY_KEY)
        for index, container in task.containers():
            log = container.get("logConfiguration")
            driver = log.get("logDriver") if isinstance(log, dict) else None
            if driver == "awsfirelens":
                yield task.problem(
                    task.container_path(index, "logConfiguration", "logDriver"),
                    f"{task.container_label(index)} logs through FireLens (awsfirelens), which "
                    "is not supported for Windows tasks on Fargate",
                )


@check("windows-fargate-arm64")
def windows_fargate_arm64(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _os_gate(task)
    if not (task.is_windows and task.is_fargate):
        return
    platform = task.task.get("runtimePlatform")
    arch = platform.get("cpuArchitecture") if isinstance(platform, dict) else None
    path = ("runtimePlatform", "cpuArchitecture")
    if isinstance(arch, Unknown):
        yield task.not_evaluated(path, arch)
    elif isinstance(arch, str) and arch != "X86_64":
        yield task.problem(
            path,
            f"Windows tasks on Fargate run only on X86_64, but cpuArchitecture is {arch!r}",
        )


def _linux_declared(task: TaskView) -> bool:
    """Linux for certain: runtimePlatform says LINUX, or Fargate without a Windows family."""
    platform = task.task.get("runtimePlatform")
    family = platform.get("operatingSystemFamily") if isinstance(platform, dict) else None
    return family == "LINUX" or (family is None and task.is_fargate)


@check("windows-settings-in-linux-task")
def windows_settings_in_linux_task(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """Windows images or FSx for Windows volumes in a task declared (or defaulted) Linux."""
    yield from _os_gate(task)
    yield from fargate_gate(task)
    if not _linux_declared(task):
        return
    where = "a Linux task (runtimePlatform says LINUX, or Fargate's default)"
    for index, container in task.containers():
        image = container.get("image")
        if isinstance(image, str) and WINDOWS_IMAGE.search(image):
            yield task.problem(
                task.container_path(index, "image"),
                f"{task.container_label(index)} uses the Windows image {image!r} in {where}; "
                "a task cannot mix Linux and Windows containers",
            )
    volumes = task.task.get("volumes")
    if isinstance(volumes, list):
        for index, volume in enumerate(volumes):
            if isinstance(volume, dict) and volume.get("fsxWindowsFileServerVolumeConfiguration"):
                yield task.problem(
                    ("volumes", index, "fsxWindowsFileServerVolumeConfiguration"),
                    f"FSx for Windows File Server volumes work only with Windows containers, "
                    f"but this is {where}",
                )


@check("windows-network-mode")
def windows_network_mode(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """EC2 and external instances: on Fargate, ECS801 already requires awsvpc."""
    yield from _os_gate(task)
    if not task.is_windows or task.is_fargate:
        return
    mode = task.task.get("networkMode")
    external = isinstance(task.compatibilities, set) and "EXTERNAL" in task.compatibilities
    if isinstance(mode, Unknown):
        yield task.not_evaluated(("networkMode",), mode)
    elif external and isinstance(mode, str) and mode:
        # ECS Anywhere runs Windows tasks in the default NAT mode only (awsvpc is not
        # supported on external instances), so a validated-for-EXTERNAL task sets none.
        yield task.problem(
            ("networkMode",),
            f"networkMode {mode!r} is not available to Windows tasks on external instances "
            "(ECS Anywhere): omit networkMode to use the default NAT mode",
        )
    elif isinstance(mode, str) and mode and mode not in WINDOWS_NETWORK_MODES:
        yield task.problem(
            ("networkMode",),
            f"networkMode {mode!r} is not available to Windows tasks on EC2: omit networkMode "
            "(the default NAT mode) or use 'awsvpc'",
        )
