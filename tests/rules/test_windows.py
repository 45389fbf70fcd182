"""Windows rules ECS850-ECS854, through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import (
    describe_filled,
    findings,
    hardened_bridge_task,
    hardened_container,
    hardened_fargate_task,
    rule_paths,
)
from tests.conftest import lint

IIS = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
WINDOWS = {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE", "cpuArchitecture": "X86_64"}


def windows_container(**fields: Any) -> dict[str, Any]:
    base = hardened_container(name="iis", image=IIS)
    del base["user"], base["readonlyRootFilesystem"]
    base.update(fields)
    return base


def windows_fargate(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    task = hardened_fargate_task(
        *(containers or (windows_container(),)), runtimePlatform=dict(WINDOWS)
    )
    task.update({"cpu": "1024", "memory": "2048"})
    task.update(fields)
    return task


def windows_ec2(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "family": "iis",
        "requiresCompatibilities": ["EC2"],
        "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"},
        "containerDefinitions": list(containers) or [windows_container(memory=2048)],
    }
    task.update(fields)
    return task


def test_clean_windows_tasks() -> None:
    for task in (windows_fargate(), windows_ec2(), describe_filled(windows_fargate())):
        assert findings(task, "ECS85") == []


# --- ECS850 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("linuxParameters", {"initProcessEnabled": True}),
        ("links", ["db"]),
        ("readonlyRootFilesystem", True),
        ("privileged", True),
        ("disableNetworking", True),
        ("dnsServers", ["10.0.0.2"]),
        ("dnsSearchDomains", ["corp.example"]),
        ("extraHosts", [{"hostname": "a", "ipAddress": "10.0.0.1"}]),
        ("ulimits", [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}]),
        ("systemControls", [{"namespace": "net.core.somaxconn", "value": "1024"}]),
        ("environmentFiles", [{"value": "arn:aws:s3:::b/app.env", "type": "s3"}]),
    ],
)
def test_ecs850_container_parameters(field: str, value: Any) -> None:
    found = findings(windows_ec2(windows_container(memory=2048, **{field: value})), "ECS850")
    assert [(f["path"], f["severity"]) for f in found] == [
        (f"/containerDefinitions/0/{field}", "warning")
    ]
    assert "Windows" in found[0]["message"]


def test_ecs850_task_modes_and_things_it_leaves_alone() -> None:
    assert rule_paths(windows_ec2(pidMode="task", ipcMode="none"), "ECS850") == [
        "/pidMode",
        "/ipcMode",
    ]
    # user is deliberately not reported (ECS.21 wants ContainerUser); false/empty are fine
    quiet = windows_container(
        memory=2048, user="ContainerUser", privileged=False, links=[], systemControls=[]
    )
    assert rule_paths(windows_ec2(quiet), "ECS850") == []


def test_ecs850_linux_task_with_the_same_parameters_is_fine() -> None:
    task = hardened_bridge_task(
        hardened_container(memory=256, linuxParameters={"initProcessEnabled": True}, links=["db"])
    )
    assert findings(task, "ECS850") == []


def test_ecs850_unknown_os_family_is_not_evaluated() -> None:
    task = windows_ec2(windows_container(memory=2048, linuxParameters={"initProcessEnabled": True}))
    task["runtimePlatform"]["operatingSystemFamily"] = "${OS_FAMILY}"
    result = lint(task)
    assert "ECS850" not in result.rules()
    assert any(
        f["rule"] == "ECS001" and f["path"] == "/runtimePlatform/operatingSystemFamily"
        for f in result.findings
    )


# --- ECS851 ------------------------------------------------------------------------


def test_ecs851_fargate_windows_features() -> None:
    task = windows_fargate(
        windows_container(logConfiguration={"logDriver": "awsfirelens"}),
        windows_container(name="router", firelensConfiguration={"type": "fluentbit"}),
        ephemeralStorage={"sizeInGiB": 40},
        volumes=[{"name": "efs", "efsVolumeConfiguration": {"fileSystemId": "fs-1234"}}],
        proxyConfiguration={"type": "APPMESH", "containerName": "iis"},
    )
    assert sorted(rule_paths(task, "ECS851")) == [
        "/containerDefinitions/0/logConfiguration/logDriver",
        "/containerDefinitions/1/firelensConfiguration",
        "/ephemeralStorage",
        "/proxyConfiguration",
        "/volumes/0/efsVolumeConfiguration",
    ]


def test_ecs851_not_on_windows_ec2_or_linux_fargate() -> None:
    assert findings(windows_ec2(ephemeralStorage={"sizeInGiB": 40}), "ECS851") == []
    assert findings(hardened_fargate_task(ephemeralStorage={"sizeInGiB": 40}), "ECS851") == []


# --- ECS852 ------------------------------------------------------------------------


def test_ecs852_arm64_windows_on_fargate() -> None:
    task = windows_fargate(
        runtimePlatform={
            "operatingSystemFamily": "WINDOWS_SERVER_2022_CORE",
            "cpuArchitecture": "ARM64",
        }
    )
    found = findings(task, "ECS852")
    assert [(f["path"], f["severity"]) for f in found] == [
        ("/runtimePlatform/cpuArchitecture", "error")
    ]
    assert "X86_64" in found[0]["message"]
    linux_arm = hardened_fargate_task(
        runtimePlatform={"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"}
    )
    assert findings(linux_arm, "ECS852") == []
    assert (
        findings(
            windows_fargate(runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}),
            "ECS852",
        )
        == []
    )


# --- ECS853 ------------------------------------------------------------------------


def test_ecs853_windows_image_in_fargate_task_without_windows_family() -> None:
    task = hardened_fargate_task(hardened_container(name="web"), windows_container(name="legacy"))
    del task["runtimePlatform"]
    found = findings(task, "ECS853")
    assert [f["path"] for f in found] == ["/containerDefinitions/1/image"]
    assert "cannot mix" in found[0]["message"]


def test_ecs853_explicit_linux_with_fsx_volume() -> None:
    fsx = {
        "fileSystemId": "fs-1",
        "rootDirectory": "share",
        "authorizationConfig": {"credentialsParameter": "arn:x", "domain": "corp"},
    }
    task = hardened_bridge_task(
        runtimePlatform={"operatingSystemFamily": "LINUX"},
        volumes=[{"name": "share", "fsxWindowsFileServerVolumeConfiguration": fsx}],
    )
    assert rule_paths(task, "ECS853") == ["/volumes/0/fsxWindowsFileServerVolumeConfiguration"]


@pytest.mark.parametrize(
    "image",
    [
        "nginx:1.27",
        "mcr.microsoft.com/dotnet/aspnet:8.0",
        "public.ecr.aws/docker/library/python:3.12-slim",
    ],
)
def test_ecs853_linux_images_are_fine(image: str) -> None:
    assert findings(hardened_fargate_task(hardened_container(image=image)), "ECS853") == []


def test_ecs853_ec2_without_runtime_platform_is_not_guessed() -> None:
    task = hardened_bridge_task(windows_container(memory=2048))
    del task["networkMode"]
    assert findings(task, "ECS853") == []
    assert findings(windows_fargate(), "ECS853") == []


# --- ECS854 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "bad"), [("bridge", True), ("host", True), ("none", True), ("awsvpc", False)]
)
def test_ecs854_windows_ec2_network_modes(mode: str, bad: bool) -> None:
    assert rule_paths(windows_ec2(networkMode=mode), "ECS854") == (["/networkMode"] if bad else [])


def test_ecs854_omitted_mode_and_fargate_are_fine() -> None:
    assert rule_paths(windows_ec2(), "ECS854") == []
    assert rule_paths(windows_fargate(networkMode="bridge"), "ECS854") == []  # ECS801's concern


@pytest.mark.parametrize("mode", ["awsvpc", "bridge", "host", "none"])
def test_ecs854_windows_on_external_instances_uses_the_default_mode(mode: str) -> None:
    external = windows_ec2(networkMode=mode, requiresCompatibilities=["EXTERNAL"])
    [finding] = findings(external, "ECS854")
    assert finding["path"] == "/networkMode" and "external instances" in finding["message"]
    assert rule_paths(windows_ec2(requiresCompatibilities=["EXTERNAL"]), "ECS854") == []


def test_a_placeholder_os_family_is_not_evaluated_by_the_windows_parameter_rule() -> None:
    task = hardened_bridge_task(
        hardened_container(memory=256),
        runtimePlatform={"operatingSystemFamily": "${OS}"},
        ipcMode="host",
    )
    result = lint(task)
    assert "ECS850" not in result.rules()
    skipped = {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
    assert "windows-unsupported-parameter" in skipped["/runtimePlatform/operatingSystemFamily"]
