"""Task volumes, mountPoints and volumesFrom (ecs-facts.md §1.3 Volume, §3.6)."""

from __future__ import annotations

#: At most one of these per volume (§1.3); none at all is a Docker-managed host volume.
VOLUME_CONFIGURATIONS = (
    "host",
    "dockerVolumeConfiguration",
    "efsVolumeConfiguration",
    "s3filesVolumeConfiguration",
    "fsxWindowsFileServerVolumeConfiguration",
    "configuredAtLaunch",
)
MSG_UNKNOWN_VOLUME = "Unknown volume '{name}'."
MSG_EFS_ROOT_DIRECTORY = (
    "Invalid request provided: Create TaskDefinition: When using an EFS access point, "
    'the root directory must either be set to "/" or be omitted'
)
