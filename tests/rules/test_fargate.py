"""Fargate rules ECS801-ECS813, through the CLI."""

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

SM_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"


def test_best_practice_fargate_and_its_describe_output_are_clean() -> None:
    for document in (hardened_fargate_task(), describe_filled(hardened_fargate_task())):
        assert findings(document, "ECS8") == []


def test_ec2_bridge_task_with_the_same_parameters_is_not_a_fargate_problem() -> None:
    task = hardened_bridge_task(
        hardened_container(memory=512, privileged=True, links=["db"], dnsServers=["10.0.0.2"]),
        placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}],
        ipcMode="host",
        pidMode="host",
    )
    assert findings(task, "ECS8") == []


# --- ECS801 network mode -----------------------------------------------------------


@pytest.mark.parametrize("mode", ["bridge", "host", "none"])
def test_ecs801_rejects_other_network_modes(mode: str) -> None:
    found = findings(hardened_fargate_task(networkMode=mode), "ECS801")
    assert [(f["path"], f["severity"]) for f in found] == [("/networkMode", "error")]
    assert f"'{mode}'" in found[0]["message"] and "awsvpc" in found[0]["message"]


def test_ecs801_reports_an_omitted_network_mode_at_the_task() -> None:
    task = hardened_fargate_task()
    del task["networkMode"]
    result = lint(task)
    found = [f for f in result.findings if f["rule"] == "ECS801"]
    assert [f["path"] for f in found] == ["/networkMode"]
    assert "omitted" in found[0]["message"]
    assert found[0]["line"] == 1  # the task object that lacks the key starts on line 1


def test_ecs801_in_describe_output_points_inside_task_definition() -> None:
    assert rule_paths(describe_filled(hardened_fargate_task(networkMode="bridge")), "ECS801") == [
        "/taskDefinition/networkMode"
    ]


def test_ecs801_fargate_beside_ec2_still_counts() -> None:
    task = hardened_fargate_task(networkMode="bridge", requiresCompatibilities=["EC2", "FARGATE"])
    assert rule_paths(task, "ECS801") == ["/networkMode"]


def test_placeholders_are_not_evaluated_not_passed() -> None:
    result = lint(hardened_fargate_task(networkMode="${NETWORK_MODE}"))
    assert "ECS801" not in result.rules()
    skipped = [f for f in result.findings if f["rule"] == "ECS001" and f["path"] == "/networkMode"]
    assert skipped and "fargate-network-mode-not-awsvpc" in skipped[0]["message"]

    result = lint(
        hardened_fargate_task(networkMode="bridge", requiresCompatibilities=["${LAUNCH_TYPE}"])
    )
    assert not any(f["rule"].startswith("ECS8") for f in result.findings)
    skipped = [f for f in result.findings if f["rule"] == "ECS001"]
    assert any(
        f["path"] == "/requiresCompatibilities"
        and "fargate-network-mode-not-awsvpc" in f["message"]
        for f in skipped
    )


# --- ECS802 / ECS803 task-level modes ----------------------------------------------


def test_ecs802_a_placeholder_ipc_mode_is_not_evaluated() -> None:
    result = lint(hardened_fargate_task(ipcMode="${IPC_MODE}"))
    assert [f["rule"] for f in result.findings if f["path"] == "/ipcMode"] == ["ECS001"]
    assert "ECS802" not in result.rules()


@pytest.mark.parametrize("mode", ["host", "task", "none"])
def test_ecs802_any_ipc_mode(mode: str) -> None:
    found = findings(hardened_fargate_task(ipcMode=mode), "ECS802")
    assert [f["path"] for f in found] == ["/ipcMode"]
    assert "do not support ipcMode" in found[0]["message"]


@pytest.mark.parametrize("value", [None, ""])
def test_ecs802_null_or_empty_ipc_mode_is_fine(value: Any) -> None:
    assert findings(hardened_fargate_task(ipcMode=value), "ECS802") == []


def test_ecs803_host_pid_mode_only() -> None:
    assert rule_paths(hardened_fargate_task(pidMode="host"), "ECS803") == ["/pidMode"]
    assert rule_paths(hardened_fargate_task(pidMode="task"), "ECS803") == []
    assert rule_paths(hardened_fargate_task(pidMode=None), "ECS803") == []


# --- ECS804 container parameters ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("privileged", True),
        ("dnsServers", ["10.0.0.2"]),
        ("dnsSearchDomains", ["corp.example"]),
        ("disableNetworking", True),
        ("dockerSecurityOptions", ["no-new-privileges"]),
    ],
)
def test_ecs804_each_container_parameter(field: str, value: Any) -> None:
    task = hardened_fargate_task(
        hardened_container(name="web"), hardened_container(name="side", **{field: value})
    )
    found = findings(task, "ECS804")
    assert [f["path"] for f in found] == [f"/containerDefinitions/1/{field}"]
    assert found[0]["container"] == "side"
    assert field in found[0]["message"] and "'side'" in found[0]["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("privileged", False),
        ("disableNetworking", False),
        ("links", []),
        ("dnsServers", None),
        ("extraHosts", []),
    ],
)
def test_ecs804_false_null_and_empty_are_fine(field: str, value: Any) -> None:
    assert findings(hardened_fargate_task(hardened_container(**{field: value})), "ECS804") == []


@pytest.mark.parametrize(
    ("field", "value", "other"),
    [
        ("links", ["db:db"], "ECS604"),
        ("extraHosts", [{"hostname": "a", "ipAddress": "10.0.0.9"}], "ECS605"),
    ],
)
def test_ecs804_leaves_links_and_extra_hosts_to_the_networking_rules(
    field: str, value: Any, other: str
) -> None:
    result = lint(hardened_fargate_task(hardened_container(**{field: value})))
    rules = [f["rule"] for f in result.findings if f["path"] == f"/containerDefinitions/0/{field}"]
    assert rules == [other]


def test_ecs804_links_entry_is_available_to_custom_rules() -> None:
    from tests.conftest import lint_with_params

    task = hardened_fargate_task(hardened_container(links=["db:db"]))
    found = lint_with_params(task, "ECS804", {"fields": ["links"]})
    assert [f.path for f in found] == ["/containerDefinitions/0/links"]


def test_ecs804_unknown_values() -> None:
    """An unknown flag is not evaluated; a list is invalid whatever its (unknown) items are."""
    result = lint(
        hardened_fargate_task(hardened_container(dnsServers=["${DNS}"], privileged="${PRIV}"))
    )
    assert [f["path"] for f in result.findings if f["rule"] == "ECS804"] == [
        "/containerDefinitions/0/dnsServers"
    ]
    assert any(
        f["rule"] == "ECS001" and f["path"] == "/containerDefinitions/0/privileged"
        for f in result.findings
    )


# --- ECS805 linuxParameters --------------------------------------------------------


def test_ecs805_each_linux_parameter_and_fine_ones() -> None:
    linux = {
        "initProcessEnabled": True,
        "capabilities": {"drop": ["ALL"]},
        "devices": [{"hostPath": "/dev/fuse"}],
        "maxSwap": 0,
        "swappiness": 10,
        "sharedMemorySize": 256,
        "tmpfs": [{"containerPath": "/tmp", "size": 64}],
    }
    paths = rule_paths(hardened_fargate_task(hardened_container(linuxParameters=linux)), "ECS805")
    base = "/containerDefinitions/0/linuxParameters/"
    assert paths == [
        base + f for f in ("devices", "maxSwap", "swappiness", "sharedMemorySize", "tmpfs")
    ]
    fine = {
        "initProcessEnabled": True,
        "capabilities": {"add": ["SYS_PTRACE"]},
        "tmpfs": [],
        "maxSwap": None,
    }
    assert (
        rule_paths(hardened_fargate_task(hardened_container(linuxParameters=fine)), "ECS805") == []
    )


# --- ECS806 volumes ----------------------------------------------------------------


def test_ecs806_docker_volume_and_host_source_path() -> None:
    volumes = [
        {"name": "scratch", "host": {}},
        {"name": "plain"},
        {
            "name": "efs",
            "efsVolumeConfiguration": {
                "fileSystemId": "fs-12345678",
                "transitEncryption": "ENABLED",
            },
        },
        {"name": "docker", "dockerVolumeConfiguration": {"scope": "task", "driver": "local"}},
        {"name": "host", "host": {"sourcePath": "/var/log"}},
    ]
    found = findings(hardened_fargate_task(volumes=volumes), "ECS806")
    assert [f["path"] for f in found] == [
        "/volumes/3/dockerVolumeConfiguration",
        "/volumes/4/host/sourcePath",
    ]
    assert "'docker'" in found[0]["message"] and "'/var/log'" in found[1]["message"]


# --- ECS807 / ECS808 ---------------------------------------------------------------


def test_ecs807_placement_constraints() -> None:
    constraint = [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}]
    assert rule_paths(hardened_fargate_task(placementConstraints=constraint), "ECS807") == [
        "/placementConstraints"
    ]
    assert rule_paths(hardened_fargate_task(placementConstraints=[]), "ECS807") == []


def test_ecs808_gpu_and_accelerators() -> None:
    task = hardened_fargate_task(
        hardened_container(
            resourceRequirements=[
                {"type": "InferenceAccelerator", "value": "dev1"},
                {"type": "GPU", "value": "1"},
            ]
        ),
        inferenceAccelerators=[{"deviceName": "dev1", "deviceType": "eia2.medium"}],
    )
    assert sorted(rule_paths(task, "ECS808")) == [
        "/containerDefinitions/0/resourceRequirements/0/type",
        "/containerDefinitions/0/resourceRequirements/1/type",
        "/inferenceAccelerators",
    ]
    assert rule_paths(hardened_fargate_task(inferenceAccelerators=[]), "ECS808") == []


# --- ECS809 capabilities -----------------------------------------------------------


def test_ecs809_only_sys_ptrace_may_be_added() -> None:
    caps = {
        "add": ["SYS_PTRACE", "CAP_SYS_PTRACE", "sys_ptrace", "NET_ADMIN", "CAP_SYS_ADMIN"],
        "drop": ["ALL"],
    }
    found = findings(
        hardened_fargate_task(hardened_container(linuxParameters={"capabilities": caps})), "ECS809"
    )
    base = "/containerDefinitions/0/linuxParameters/capabilities/add/"
    assert [f["path"] for f in found] == [base + "3", base + "4"]
    assert "'NET_ADMIN'" in found[0]["message"] and "SYS_PTRACE" in found[0]["message"]
    assert (
        findings(
            hardened_bridge_task(
                hardened_container(memory=256, linuxParameters={"capabilities": caps})
            ),
            "ECS809",
        )
        == []
    )


# --- ephemeral storage: the schema's range (ECS014) covers it, no Fargate rule repeats it


def test_ephemeral_storage_range_is_reported_once_by_the_schema_rule() -> None:
    result = lint(hardened_fargate_task(ephemeralStorage={"sizeInGiB": 20}))
    rules = [f["rule"] for f in result.findings if f["path"] == "/ephemeralStorage/sizeInGiB"]
    assert rules == ["ECS014"]


# --- ECS811 FireLens ---------------------------------------------------------------


def _router(kind: str) -> dict[str, Any]:
    return hardened_container(
        name="log_router",
        image="public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
        firelensConfiguration={
            "type": "fluentbit",
            "options": {"config-file-type": kind, "config-file-value": "x"},
        },
    )


def test_ecs811_s3_config_on_fargate_only() -> None:
    app = hardened_container(logConfiguration={"logDriver": "awsfirelens"})
    found = findings(hardened_fargate_task(_router("s3"), app), "ECS811")
    assert [f["path"] for f in found] == [
        "/containerDefinitions/0/firelensConfiguration/options/config-file-type"
    ]
    assert findings(hardened_fargate_task(_router("file"), app), "ECS811") == []
    router = _router("s3")
    router["memory"] = 128
    assert (
        findings(
            hardened_bridge_task(
                router,
                hardened_container(memory=256, logConfiguration={"logDriver": "awsfirelens"}),
            ),
            "ECS811",
        )
        == []
    )


# --- ECS812 timeouts ---------------------------------------------------------------


def test_ecs812_timeouts() -> None:
    task = hardened_fargate_task(
        hardened_container(startTimeout=600, stopTimeout=120),
        hardened_container(name="b", stopTimeout=1),
    )
    found = findings(task, "ECS812")
    assert [(f["path"], f["severity"]) for f in found] == [
        ("/containerDefinitions/0/startTimeout", "warning"),
        ("/containerDefinitions/1/stopTimeout", "warning"),
    ]
    assert "600" in found[0]["message"] and "2-120" in found[0]["message"]
    assert (
        findings(hardened_bridge_task(hardened_container(memory=256, stopTimeout=600)), "ECS812")
        == []
    )


# --- ECS813 platform version -------------------------------------------------------


def test_ecs813_one_info_finding_listing_the_features() -> None:
    task = hardened_fargate_task(
        hardened_container(
            environmentFiles=[{"value": "arn:aws:s3:::bucket/app.env", "type": "s3"}],
            secrets=[
                {
                    "name": "DB_USER",
                    "valueFrom": SM_ARN + ":username::",
                }
            ],
        ),
        ephemeralStorage={"sizeInGiB": 30},
        pidMode="task",
    )
    found = findings(task, "ECS813")
    assert len(found) == 1 and found[0]["severity"] == "info"
    assert found[0]["path"] == "/ephemeralStorage"
    for feature in ("ephemeralStorage", "pidMode 'task'", "environmentFiles", "json-key"):
        assert feature in found[0]["message"]


def test_ecs813_quiet_without_such_features_and_on_ec2() -> None:
    plain = hardened_container(
        secrets=[
            {
                "name": "DB",
                "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
            }
        ]
    )
    assert findings(hardened_fargate_task(plain), "ECS813") == []
    assert (
        findings(
            hardened_bridge_task(
                hardened_container(memory=256), ephemeralStorage={"sizeInGiB": 30}
            ),
            "ECS813",
        )
        == []
    )


@pytest.mark.parametrize(
    ("cpu", "listed"), [("8192", True), ("16 vcpu", True), ("8vCPU", True), ("4096", False)]
)
def test_ecs813_large_task_sizes(cpu: str, listed: bool) -> None:
    found = findings(hardened_fargate_task(cpu=cpu, memory="32768"), "ECS813")
    assert bool(found) is listed
    if listed:
        assert "8 or 16 vCPU" in found[0]["message"] and found[0]["path"] == "/cpu"


#: Each feature that needs platform version 1.4.0 (ecs-facts.md §2.3), as the task or its
#: container sets it, and the same field set so that it needs nothing.
_PV14_TASK = [
    ("ephemeralStorage", {"ephemeralStorage": {"sizeInGiB": 30}}, {"ephemeralStorage": {}}),
    ("pidMode 'task'", {"pidMode": "task"}, {}),
    (
        "ARM64",
        {"runtimePlatform": {"cpuArchitecture": "ARM64"}},
        {"runtimePlatform": {"cpuArchitecture": "X86_64"}},
    ),
    ("8 or 16 vCPU", {"cpu": "16384", "memory": "32768"}, {"cpu": "4096", "memory": "8192"}),
    (
        "EFS volumes",
        {"volumes": [{"name": "v", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}]},
        {"volumes": [{"name": "v"}]},
    ),
]
_PV14_CONTAINER = [
    (
        "environmentFiles",
        {"environmentFiles": [{"value": "arn:aws:s3:::b/a.env", "type": "s3"}]},
        {"environmentFiles": []},
    ),
    (
        "systemControls",
        {"systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}]},
        {"systemControls": []},
    ),
    (
        "added capabilities (SYS_PTRACE)",
        {"linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"]}}},
        {"linuxParameters": {"capabilities": {"add": []}}},
    ),
    (
        "log-driver-buffer-limit",
        {
            "logConfiguration": {
                "logDriver": "awsfirelens",
                "options": {"log-driver-buffer-limit": "2097152"},
            }
        },
        {"logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}}},
    ),
]


@pytest.mark.parametrize(("feature", "needs", "plain"), _PV14_TASK)
def test_ecs813_every_task_feature_alone(feature: str, needs: Any, plain: Any) -> None:
    [found] = findings(hardened_fargate_task(**needs), "ECS813")
    assert feature in found["message"]
    assert findings(hardened_fargate_task(**plain), "ECS813") == []


@pytest.mark.parametrize(("feature", "needs", "plain"), _PV14_CONTAINER)
def test_ecs813_every_container_feature_alone(feature: str, needs: Any, plain: Any) -> None:
    [found] = findings(hardened_fargate_task(hardened_container(**needs)), "ECS813")
    assert feature in found["message"]
    assert found["path"].startswith("/containerDefinitions/0/")
    assert findings(hardened_fargate_task(hardened_container(**plain)), "ECS813") == []


def test_ecs812_edges_of_the_timeout_range() -> None:
    for field in ("startTimeout", "stopTimeout"):
        fine = hardened_fargate_task(
            hardened_container(**{field: 2}), hardened_container(name="b", **{field: 120})
        )
        assert findings(fine, "ECS812") == [], field
        outside = hardened_fargate_task(
            hardened_container(**{field: 1}), hardened_container(name="b", **{field: 121})
        )
        assert len(findings(outside, "ECS812")) == 2, field


@pytest.mark.parametrize("kind", ["GPU", "InferenceAccelerator"])
def test_ecs808_names_the_one_resource_type_it_found(kind: str) -> None:
    task = hardened_fargate_task(
        hardened_container(resourceRequirements=[{"type": kind, "value": "1"}])
    )
    found = findings(task, "ECS808")
    assert [f["path"] for f in found] == ["/containerDefinitions/0/resourceRequirements/0/type"]
    assert found[0]["message"].split(": ")[-1].startswith(f"{kind} resource requirements")
