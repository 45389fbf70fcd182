"""Security policy checks (warning or info by default), mapped in their rules' docs to
AWS Security Hub controls and the checkov / trivy / KICS checks that exist.

Fargate rejects several of these settings outright; there the Fargate rules
(ECS8xx) report them as errors, and these checks stay quiet to avoid a second
finding on the same value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import Param, check
from ecslint.checks._common import added_capabilities, capability_name, entries
from ecslint.checks._secrets import allowed, name_looks_secret, verdict
from ecslint.checks.view import TaskView
from ecslint.facts.security import (
    CONFIG_SECRET_NAMES,
    DANGEROUS_CAPABILITIES,
    DOCKER_SOCKET_PATHS,
    PLACEHOLDER_VALUES,
    REGISTRY_AUTH_NAMES,
    ROOT_USER,
    SECRET_VALUE_SHAPES,
)
from ecslint.facts.windows_params import WINDOWS_IMAGE
from ecslint.load.unknown import NOECHO, Unknown
from ecslint.model import Edit, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


def _linux_containers(task: TaskView) -> list[tuple[int, dict[str, Any]]]:
    """Containers of a task that is not Windows (by runtimePlatform), minus Windows images
    (Windows tasks on EC2 often omit runtimePlatform). Made once for the three rules."""
    return task.memo("security.linux", lambda: _find_linux_containers(task))


def _find_linux_containers(task: TaskView) -> list[tuple[int, dict[str, Any]]]:
    if task.is_windows or isinstance(task.os_family, Unknown):
        return []
    return [
        (index, container)
        for index, container in task.containers()
        if not (
            isinstance(container.get("image"), str) and WINDOWS_IMAGE.search(container["image"])
        )
    ]


@check("privileged-container")
def privileged_container(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if task.is_fargate or "privileged" not in task.container_keys:
        return  # on Fargate ECS804 reports it as an error
    for index, container in task.containers():
        value = container.get("privileged")
        path = task.container_path(index, "privileged")
        if isinstance(value, Unknown):
            yield task.not_evaluated(path, value)
        elif value is True:
            yield task.problem(
                path,
                f"{task.container_label(index)} runs privileged: root on the host, with every "
                "device and capability",
            )


@check("container-runs-as-root")
def container_runs_as_root(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if isinstance(task.os_family, Unknown):
        yield task.not_evaluated(("runtimePlatform", "operatingSystemFamily"), task.os_family)
    if "user" not in task.container_keys:
        return
    for index, container in _linux_containers(task):
        user = container.get("user")
        path = task.container_path(index, "user")
        if isinstance(user, Unknown):
            yield task.not_evaluated(path, user)
        elif isinstance(user, str) and ROOT_USER.match(user.strip()):
            yield task.problem(
                path,
                f"{task.container_label(index)} explicitly runs as root (user {user!r})",
            )


@check("container-user-not-set")
def container_user_not_set(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in _linux_containers(task):
        user = container.get("user")
        if user is None or (isinstance(user, str) and not user.strip()):
            yield task.problem(
                task.container_path(index, "user"),
                f"{task.container_label(index)} sets no user, so it runs as the image's "
                "USER, which is root unless the image says otherwise",
            )


@check("windows-container-administrator")
def windows_container_administrator(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """ContainerAdministrator exists only on Windows, so no OS test is needed."""
    if "user" not in task.container_keys:
        return
    for index, container in task.containers():
        user = container.get("user")
        path = task.container_path(index, "user")
        if isinstance(user, Unknown):
            yield task.not_evaluated(path, user)
        elif isinstance(user, str) and user.strip().lower() == "containeradministrator":
            yield task.problem(
                path,
                f"{task.container_label(index)} runs as ContainerAdministrator, the Windows "
                "container's administrator account",
            )


@check("writable-root-filesystem")
def writable_root_filesystem(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in _linux_containers(task):
        value = container.get("readonlyRootFilesystem")
        path = task.container_path(index, "readonlyRootFilesystem")
        if isinstance(value, Unknown):
            yield task.not_evaluated(path, value)
        elif value is not True:
            how = "sets readonlyRootFilesystem to false" if value is False else "does not set"
            if value is not False:
                how += " readonlyRootFilesystem"
            if value is False:
                fix: tuple[Edit, ...] = (Edit("replace", path, True),)
            elif "readonlyRootFilesystem" not in container:
                fix = (Edit("insert", path[:-1], True, "readonlyRootFilesystem"),)
            else:
                fix = ()
            # Unsafe (the rule says so): an application that writes to its root file
            # system fails once it is read-only.
            yield Problem(
                path,
                f"{task.container_label(index)} {how}, so its root file system is writable",
                fix=fix,
            )


def _task_mode(task: TaskView, field: str, bad: str, what: str) -> Iterator[Problem]:
    value = task.task.get(field)
    if isinstance(value, Unknown):
        yield task.not_evaluated((field,), value)
    elif value == bad and not task.is_fargate:
        yield task.problem((field,), what)


@check("host-network-mode")
def host_network_mode(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _task_mode(
        task,
        "networkMode",
        "host",
        "networkMode 'host' puts every container on the instance's own network stack",
    )


@check("host-pid-mode")
def host_pid_mode(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _task_mode(
        task,
        "pidMode",
        "host",
        "pidMode 'host' lets the containers see and signal every process on the instance",
    )


@check("host-ipc-mode")
def host_ipc_mode(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _task_mode(
        task,
        "ipcMode",
        "host",
        "ipcMode 'host' shares the instance's IPC namespace (shared memory, semaphores, "
        "message queues) with the containers",
    )


@check(
    "dangerous-capability-added",
    params={
        "capabilities": Param(
            list,
            list(DANGEROUS_CAPABILITIES),
            "The capabilities reported when added (empty means the default list).",
        )
    },
)
def dangerous_capability_added(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if task.is_fargate:
        return  # ECS809 rejects every capability but SYS_PTRACE there
    added = added_capabilities(task)
    if not added:
        return
    risky = {str(c).upper() for c in params.get("capabilities") or DANGEROUS_CAPABILITIES}
    for index, path, capability in added:
        if isinstance(capability, Unknown):
            yield task.not_evaluated(path, capability)
        elif isinstance(capability, str) and capability_name(capability) in risky:
            yield task.problem(
                path,
                f"{task.container_label(index)} adds the capability {capability!r}, "
                "which gives it control beyond its own container",
            )


@check(
    "docker-socket-mounted",
    params={
        "paths": Param(
            list,
            list(DOCKER_SOCKET_PATHS),
            "Host paths reported when mounted (empty means the default list).",
        )
    },
)
def docker_socket_mounted(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    volumes = task.task.get("volumes")
    if not isinstance(volumes, list) or not volumes:
        return
    sockets = {str(p).rstrip("/") or "/" for p in params.get("paths") or DOCKER_SOCKET_PATHS}
    host_paths: dict[str, str] = {}
    for volume in volumes:
        if not isinstance(volume, dict) or not isinstance(volume.get("name"), str):
            continue
        host = volume.get("host")
        source = host.get("sourcePath") if isinstance(host, dict) else None
        if isinstance(source, str) and (source.rstrip("/") or "/") in sockets:
            host_paths[volume["name"]] = source
    if not host_paths:
        return
    for index, container in task.containers():
        mounts = container.get("mountPoints")
        if not isinstance(mounts, list):
            continue
        for position, mount in enumerate(mounts):
            if not isinstance(mount, dict):
                continue
            source = host_paths.get(str(mount.get("sourceVolume")))
            if source is not None:
                yield task.problem(
                    task.container_path(index, "mountPoints", position, "sourceVolume"),
                    f"{task.container_label(index)} mounts the host's {source} (the container "
                    "runtime's socket): whoever controls the container controls the instance",
                )


def _environment(task: TaskView) -> list[tuple[int, list[tuple[int, str, Any]]]]:
    """(container index, [(position, name, value)]) for the containers with environment
    entries that have a string name; made once per task, for the two rules that read it."""

    def compute() -> list[tuple[int, list[tuple[int, str, Any]]]]:
        found = []
        for index, container in task.containers():
            variables = [
                (position, entry["name"], entry.get("value"))
                for position, entry in entries(container, "environment")
                if isinstance(entry.get("name"), str)
            ]
            if variables:
                found.append((index, variables))
        return found

    return task.memo("security.environment", compute)


@check(
    "plaintext-secret-in-environment",
    params={
        "allow": Param(list, [], "Variable names (globs) never reported, such as DB_PASSWORD_FILE.")
    },
)
def plaintext_secret_in_environment(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """By name (DB_PASSWORD) and by value shape (AKIA..., private keys); see _secrets."""
    allow = [str(p) for p in params["allow"]]
    key_id = SECRET_VALUE_SHAPES[0][1]
    for index, variables in _environment(task):
        key_id_nearby = any(isinstance(v, str) and key_id.search(v) for _, _, v in variables)
        for position, name, value in variables:
            if allow and allowed(name, allow):
                continue
            path = task.container_path(index, "environment", position, "value")
            why = _secret_whatever_the_value(name, value)
            if why is not None:
                yield task.problem(
                    path,
                    f"{task.container_label(index)} sets environment variable {name!r} in "
                    f"plaintext, and {why}; anyone who can describe the task definition can "
                    "read it",
                )
                continue
            if isinstance(value, Unknown):
                if name_looks_secret(name):
                    yield task.not_evaluated(path, value, "plaintext-secret-in-environment")
                continue
            if not isinstance(value, str):
                continue
            why = verdict(name, value, key_id_nearby)
            if why is not None:
                yield task.problem(
                    path,
                    f"{task.container_label(index)} sets environment variable {name!r} in "
                    f"plaintext, and {why}; anyone who can describe the task definition can "
                    "read it",
                )


def _secret_whatever_the_value(name: str, value: object) -> str | None:
    """Why ``name=value`` is a secret in plaintext before its value is looked at: a name
    AWS Config fails whatever the value, or a value from a CloudFormation NoEcho parameter
    (the template's author says it is a secret)."""
    upper = name.upper()
    if upper in CONFIG_SECRET_NAMES and upper not in REGISTRY_AUTH_NAMES:
        return (
            "AWS Config's ecs-no-environment-secrets (Security Hub ECS.8) fails this name "
            "whatever its value"
        )
    if isinstance(value, Unknown) and value.reason == NOECHO:
        return f"its value {value.text} comes from a CloudFormation parameter marked NoEcho"
    return None


def _stand_in(value: str) -> bool:
    """Empty or an obvious placeholder (the JSON payload itself may name example.com)."""
    text = value.strip()
    return not text or text.lower() in PLACEHOLDER_VALUES or text[:1] + text[-1:] == "<>"


@check(
    "registry-auth-in-environment",
    params={
        "names": Param(
            list,
            list(REGISTRY_AUTH_NAMES),
            "Variable names that carry registry credentials (empty means the default list).",
        )
    },
)
def registry_auth_in_environment(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """ECS_ENGINE_AUTH_DATA whatever its value (AWS Config fails the name); the other
    names (DOCKER_AUTH_CONFIG) unless the value is empty or a stand-in."""
    environment = _environment(task)
    if not environment:
        return
    names = {str(n).upper() for n in params.get("names") or REGISTRY_AUTH_NAMES}
    for index, variables in environment:
        for position, name, value in variables:
            upper = name.upper()
            if upper not in names:
                continue
            path = task.container_path(index, "environment", position, "value")
            if upper not in CONFIG_SECRET_NAMES:
                if isinstance(value, Unknown):
                    yield task.not_evaluated(path, value)
                    continue
                if not isinstance(value, str) or _stand_in(value):
                    continue
            yield task.problem(
                path,
                f"{task.container_label(index)} passes registry credentials in plaintext "
                f"environment variable {name!r}",
            )
