"""Volumes, mountPoints and volumesFrom (ECS701-ECS709) through the CLI."""

from __future__ import annotations

from typing import Any

from tests.builders import container, ec2, findings, unevaluated

MOUNT = [{"sourceVolume": "data", "containerPath": "/data"}]


def efs(**fields: Any) -> list[dict[str, Any]]:
    return [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1", **fields}}]


def test_unknown_mount_source_volume() -> None:
    doc = ec2(container(mountPoints=MOUNT), volumes=[{"name": "logs"}])
    [finding] = findings(doc, "ECS701")
    assert finding["path"] == "/containerDefinitions/0/mountPoints/0/sourceVolume"
    assert "Unknown volume 'data'." in finding["message"] and "logs" in finding["message"]
    assert not findings(ec2(container(mountPoints=MOUNT), volumes=[{"name": "data"}]), "ECS701")
    unknown = ec2(container(mountPoints=MOUNT), volumes=[{"name": "${VOLUME}"}])
    assert not findings(unknown, "ECS701") and unevaluated(unknown)


def test_unknown_volumes_from_container() -> None:
    doc = ec2(
        container("web", volumesFrom=[{"sourceContainer": "data"}, {"sourceContainer": "web"}]),
        container("cache"),
    )
    found = findings(doc, "ECS702")
    assert [f["path"][-18:] for f in found] == ["/0/sourceContainer", "/1/sourceContainer"]
    assert "'data'" in found[0]["message"] and "itself" in found[1]["message"]
    ok = ec2(container("web", volumesFrom=[{"sourceContainer": "cache"}]), container("cache"))
    assert not findings(ok, "ECS702")


def test_multiple_volume_configurations() -> None:
    volume = {"name": "data", "host": {"sourcePath": "/srv"}, "dockerVolumeConfiguration": {}}
    [finding] = findings(ec2(volumes=[volume]), "ECS703")
    assert finding["path"] == "/volumes/0/dockerVolumeConfiguration"
    assert "host and dockerVolumeConfiguration" in finding["message"]
    # describe output writes "host": {} for a Docker-managed volume; that is not a type
    empty_host = {"name": "data", "host": {}, "configuredAtLaunch": True}
    assert not findings(ec2(volumes=[empty_host]), "ECS703")


def test_efs_authorization_without_transit_encryption() -> None:
    doc = ec2(volumes=efs(authorizationConfig={"accessPointId": "fsap-1", "iam": "ENABLED"}))
    [finding] = findings(doc, "ECS704")
    assert finding["path"] == "/volumes/0/efsVolumeConfiguration/transitEncryption"
    assert "an access point and IAM authorization" in finding["message"]
    assert not findings(doc, "ECS705")  # one finding, the error
    disabled = ec2(
        volumes=efs(transitEncryption="DISABLED", authorizationConfig={"iam": "ENABLED"})
    )
    assert "is 'DISABLED'" in findings(disabled, "ECS704")[0]["message"]
    ok = ec2(volumes=efs(transitEncryption="ENABLED", authorizationConfig={"iam": "ENABLED"}))
    assert not findings(ok, "ECS704")


def test_efs_transit_encryption_disabled() -> None:
    [finding] = findings(ec2(volumes=efs()), "ECS705")
    assert finding["severity"] == "warning"
    assert finding["path"] == "/volumes/0/efsVolumeConfiguration/transitEncryption"
    assert "DISABLED by default" in finding["message"]
    assert findings(ec2(volumes=efs(transitEncryption="DISABLED")), "ECS705")
    assert not findings(ec2(volumes=efs(transitEncryption="ENABLED")), "ECS705")


def test_efs_access_point_root_directory() -> None:
    auth = {"accessPointId": "fsap-1"}
    doc = ec2(
        volumes=efs(rootDirectory="/app", transitEncryption="ENABLED", authorizationConfig=auth)
    )
    [finding] = findings(doc, "ECS706")
    assert finding["path"] == "/volumes/0/efsVolumeConfiguration/rootDirectory"
    assert "'/app'" in finding["message"]
    ok = ec2(volumes=efs(rootDirectory="/", transitEncryption="ENABLED", authorizationConfig=auth))
    assert not findings(ok, "ECS706")
    assert not findings(ec2(volumes=efs(rootDirectory="/app")), "ECS706")


def test_autoprovision_with_task_scope() -> None:
    default = {"name": "data", "dockerVolumeConfiguration": {"autoprovision": True}}
    [finding] = findings(ec2(volumes=[default]), "ECS707")
    assert finding["path"] == "/volumes/0/dockerVolumeConfiguration/autoprovision"
    assert "default scope" in finding["message"]
    shared = {
        "name": "data",
        "dockerVolumeConfiguration": {"autoprovision": True, "scope": "shared"},
    }
    assert not findings(ec2(volumes=[shared]), "ECS707")


def test_duplicate_volume_name() -> None:
    [finding] = findings(ec2(volumes=[{"name": "data"}, {"name": "data"}]), "ECS708")
    assert finding["path"] == "/volumes/1/name"
    assert not findings(ec2(volumes=[{"name": "data"}, {"name": "logs"}]), "ECS708")


def test_multiple_configured_at_launch_volumes() -> None:
    volumes = [
        {"name": "a", "configuredAtLaunch": True},
        {"name": "b", "configuredAtLaunch": False},
        {"name": "c", "configuredAtLaunch": True},
    ]
    [finding] = findings(ec2(volumes=volumes), "ECS709")
    assert finding["path"] == "/volumes/2/configuredAtLaunch"
    assert "'a'" in finding["message"]
    assert not findings(ec2(volumes=volumes[:2]), "ECS709")


def test_configured_at_launch_counts_as_a_configuration_only_when_true() -> None:
    efs_config = {"fileSystemId": "fs-1", "transitEncryption": "ENABLED"}
    both = {"name": "data", "configuredAtLaunch": True, "efsVolumeConfiguration": efs_config}
    [finding] = findings(ec2(volumes=[both]), "ECS703")
    assert "configuredAtLaunch" in finding["message"]
    for value in (False, None):
        volume = {**both, "configuredAtLaunch": value}
        assert not findings(ec2(volumes=[volume]), "ECS703"), value


def test_an_empty_access_point_needs_no_transit_encryption() -> None:
    doc = ec2(volumes=efs(authorizationConfig={"accessPointId": ""}))
    assert not findings(doc, "ECS704")
    assert findings(ec2(volumes=efs(authorizationConfig={"accessPointId": "fsap-1"})), "ECS704")


def test_a_placeholder_transit_encryption_is_not_evaluated() -> None:
    doc = ec2(volumes=efs(transitEncryption="${ENCRYPTION}"))
    assert not findings(doc, "ECS705")
    skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
    assert (
        "efs-transit-encryption" in skipped["/volumes/0/efsVolumeConfiguration/transitEncryption"]
    )


def test_an_empty_access_point_has_no_root_directory_rule() -> None:
    doc = ec2(
        volumes=efs(
            rootDirectory="/app",
            transitEncryption="ENABLED",
            authorizationConfig={"accessPointId": ""},
        )
    )
    assert not findings(doc, "ECS706")


def test_a_placeholder_autoprovision_scope_is_not_evaluated() -> None:
    volume = {"name": "data", "dockerVolumeConfiguration": {"autoprovision": True, "scope": "${S}"}}
    doc = ec2(volumes=[volume])
    assert not findings(doc, "ECS707")
    skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
    assert "autoprovision-with-task-scope" in skipped["/volumes/0/dockerVolumeConfiguration/scope"]


#: The volume types a volume can have, at most one each (ecs-facts.md §1.3 Volume).
VOLUME_TYPES: dict[str, Any] = {
    "host": {"sourcePath": "/srv"},
    "dockerVolumeConfiguration": {"driver": "local"},
    "efsVolumeConfiguration": {"fileSystemId": "fs-1", "transitEncryption": "ENABLED"},
    "s3filesVolumeConfiguration": {"bucket": "b"},
    "fsxWindowsFileServerVolumeConfiguration": {"fileSystemId": "fs-2", "rootDirectory": "x"},
    "configuredAtLaunch": True,
}


def test_every_pair_of_volume_types_is_one_too_many() -> None:
    names = list(VOLUME_TYPES)
    for first in names:
        alone = {"name": "v", first: VOLUME_TYPES[first]}
        assert not findings(ec2(volumes=[alone]), "ECS703"), first
        for second in names[names.index(first) + 1 :]:
            volume = {"name": "v", first: VOLUME_TYPES[first], second: VOLUME_TYPES[second]}
            [finding] = findings(ec2(volumes=[volume]), "ECS703")
            assert f"{first} and {second}" in finding["message"]
            assert finding["path"] == f"/volumes/0/{second}"
