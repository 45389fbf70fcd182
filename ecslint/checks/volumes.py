"""Checks of task volumes and the containers that mount them (ecs-facts.md §3.6)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks._common import entries, volume_label
from ecslint.checks.view import TaskView
from ecslint.facts import volumes as facts
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


def _volume_names(task: TaskView) -> tuple[set[str], Unknown | None]:
    names: set[str] = set()
    unknown: Unknown | None = None
    for _, volume in entries(task.task, "volumes"):
        name = volume.get("name")
        if isinstance(name, str):
            names.add(name)
        elif isinstance(name, Unknown) and unknown is None:
            unknown = name
    return names, unknown


@check("unknown-mount-source-volume")
def unknown_mount_source_volume(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if "mountPoints" not in task.container_keys:
        return
    names, unknown_name = _volume_names(task)
    for index, container in task.containers():
        for number, mount in entries(container, "mountPoints"):
            path = task.container_path(index, "mountPoints", number, "sourceVolume")
            source = mount.get("sourceVolume")
            if isinstance(source, Unknown):
                yield task.not_evaluated(path, source)
            elif isinstance(source, str) and source not in names:
                if unknown_name is not None:
                    yield task.not_evaluated(path, unknown_name, "a volume name")
                    continue
                known = ", ".join(sorted(names)) or "none"
                message = facts.MSG_UNKNOWN_VOLUME.format(name=source)
                yield task.problem(
                    path,
                    f"{task.container_label(index)} mounts volume {source!r}, which the task "
                    f"does not define (volumes: {known}) ('{message}')",
                )


@check("unknown-volumes-from-container")
def unknown_volumes_from_container(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if "volumesFrom" not in task.container_keys:
        return
    names = task.container_names()
    unknown_name = next(
        (c["name"] for _, c in task.containers() if isinstance(c.get("name"), Unknown)), None
    )
    for index, container in task.containers():
        for number, entry in entries(container, "volumesFrom"):
            path = task.container_path(index, "volumesFrom", number, "sourceContainer")
            source = entry.get("sourceContainer")
            label = task.container_label(index)
            if isinstance(source, Unknown):
                yield task.not_evaluated(path, source)
            elif not isinstance(source, str):
                continue
            elif source == container.get("name"):
                yield task.problem(path, f"{label} takes volumes from itself")
            elif source not in names:
                if unknown_name is not None:
                    yield task.not_evaluated(path, unknown_name, "a container name")
                    continue
                yield task.problem(
                    path,
                    f"{label} takes volumes from {source!r}, which is not a container of this "
                    f"task (containers: {', '.join(sorted(names)) or 'none'})",
                )


def _configurations(volume: dict[str, Any]) -> list[str]:
    """The volume types a volume sets; an empty ``host`` is just a Docker-managed volume."""
    found = []
    for key in facts.VOLUME_CONFIGURATIONS:
        value = volume.get(key)
        if key == "configuredAtLaunch":
            if value is True:
                found.append(key)
        elif key == "host":
            if isinstance(value, dict) and any(v is not None for v in value.values()):
                found.append(key)
        elif isinstance(value, (dict, Unknown)):
            found.append(key)
    return found


@check("multiple-volume-configurations")
def multiple_volume_configurations(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, volume in entries(task.task, "volumes"):
        found = _configurations(volume)
        if len(found) > 1:
            yield task.problem(
                ("volumes", index, found[1]),
                f"volume {volume_label(volume, index)} sets {' and '.join(found)}; a volume "
                "can have only one type",
            )


def _efs_volumes(task: TaskView) -> list[tuple[int, dict[str, Any], dict[str, Any], PathParts]]:
    """(index, volume, efsVolumeConfiguration, its path)."""
    return [
        (
            index,
            volume,
            volume["efsVolumeConfiguration"],
            ("volumes", index, "efsVolumeConfiguration"),
        )
        for index, volume in entries(task.task, "volumes")
        if isinstance(volume.get("efsVolumeConfiguration"), dict)
    ]


def _efs_authorization(efs: dict[str, Any]) -> list[str]:
    """What in authorizationConfig needs transit encryption: an access point, IAM."""
    auth = efs.get("authorizationConfig")
    if not isinstance(auth, dict):
        return []
    needs = []
    if auth.get("accessPointId") not in (None, ""):
        needs.append("an access point")
    if auth.get("iam") == "ENABLED":
        needs.append("IAM authorization")
    return needs


@check("efs-authorization-without-transit-encryption")
def efs_authorization_without_transit_encryption(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    for index, volume, efs, path in _efs_volumes(task):
        encryption = efs.get("transitEncryption")
        needs = _efs_authorization(efs)
        if not needs:
            continue
        if isinstance(encryption, Unknown):
            yield task.not_evaluated((*path, "transitEncryption"), encryption)
        elif encryption != "ENABLED":
            state = "is not set" if encryption is None else f"is {encryption!r}"
            yield task.problem(
                (*path, "transitEncryption"),
                f"EFS volume {volume_label(volume, index)} uses {' and '.join(needs)}, which "
                f"require transitEncryption ENABLED; it {state}",
            )


@check("efs-transit-encryption-disabled")
def efs_transit_encryption_disabled(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, volume, efs, path in _efs_volumes(task):
        encryption = efs.get("transitEncryption")
        if _efs_authorization(efs):
            continue  # then it is an error: efs-authorization-without-transit-encryption
        if isinstance(encryption, Unknown):
            yield task.not_evaluated((*path, "transitEncryption"), encryption)
        elif encryption != "ENABLED":
            state = "is not set (DISABLED by default)" if encryption is None else "is DISABLED"
            yield task.problem(
                (*path, "transitEncryption"),
                f"EFS volume {volume_label(volume, index)}: transitEncryption {state}, so "
                "NFS traffic to the file system is not encrypted",
            )


@check("efs-access-point-root-directory")
def efs_access_point_root_directory(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, volume, efs, path in _efs_volumes(task):
        auth = efs.get("authorizationConfig")
        if not isinstance(auth, dict) or auth.get("accessPointId") in (None, ""):
            continue
        root = efs.get("rootDirectory")
        if isinstance(root, Unknown):
            yield task.not_evaluated((*path, "rootDirectory"), root)
        elif isinstance(root, str) and root != "/":
            yield task.problem(
                (*path, "rootDirectory"),
                f"EFS volume {volume_label(volume, index)} uses an access point and "
                f"rootDirectory {root!r}; with an access point it must be '/' or omitted "
                "(the access point sets the directory)",
            )


@check("autoprovision-with-task-scope")
def autoprovision_with_task_scope(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, volume in entries(task.task, "volumes"):
        docker = volume.get("dockerVolumeConfiguration")
        if not isinstance(docker, dict) or docker.get("autoprovision") is not True:
            continue
        scope = docker.get("scope")
        path = ("volumes", index, "dockerVolumeConfiguration")
        if isinstance(scope, Unknown):
            yield task.not_evaluated((*path, "scope"), scope)
        elif scope in (None, "task"):
            how = "scope task" if scope else "the default scope, task"
            yield task.problem(
                (*path, "autoprovision"),
                f"volume {volume_label(volume, index)} sets autoprovision with {how}; "
                "autoprovision applies only to scope shared",
            )


@check("duplicate-volume-name")
def duplicate_volume_name(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, volume in entries(task.task, "volumes"):
        name = volume.get("name")
        if not isinstance(name, str):
            continue
        if name in seen:
            yield task.problem(
                ("volumes", index, "name"),
                f"volume {name!r} is defined twice (volumes {seen[name]} and {index}); "
                "mountPoints cannot say which one they mean",
            )
        else:
            seen[name] = index


@check("multiple-configured-at-launch-volumes")
def multiple_configured_at_launch_volumes(
    task: TaskView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    first: int | None = None
    for index, volume in entries(task.task, "volumes"):
        if volume.get("configuredAtLaunch") is not True:
            continue
        if first is None:
            first = index
            continue
        yield task.problem(
            ("volumes", index, "configuredAtLaunch"),
            f"volume {volume_label(volume, index)} is configuredAtLaunch like volume "
            f"{volume_label(task.task['volumes'][first], first)}; a task definition can "
            "have only one volume configured at launch",
        )
