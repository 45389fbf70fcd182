"""Task-definition parameters that Fargate rejects (ecs-facts.md §2.2), as one table.

Each entry says where a parameter lives, which values are a problem, and what to
tell the user. Rules pick entries by ``key`` (their ``fields`` param), so one check
serves every "not on Fargate" rule and a new entry needs no new code.
"""

from __future__ import annotations

from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Literal

    #: Where a parameter lives: the task, a container, a container's linuxParameters,
    #: or a task volume.
    Scope = Literal["task", "container", "linux", "volume"]

#: What makes a value a problem:
#: ``set``      any value but null or "" (numbers, including 0, count);
#: ``true``     the boolean true (false is what Fargate runs anyway);
#: ``nonempty`` a non-empty list or object (describe output carries empty lists);
#: ``not:X``    anything but X, an omitted value counting as ``default``;
#: ``is:X``     exactly X;
#: ``item:X``   list items whose ``type`` is X (resourceRequirements).
Test = str


class UnsupportedParam(Record):
    """One parameter that a platform rejects or ignores, and the values that count."""

    key: str
    scope: Scope
    field: tuple[str, ...]
    test: Test
    #: The finding message; ``{value}`` is the offending value.
    message: str


#: Kept as the name the Fargate table was introduced with.
FargateParam = UnsupportedParam

FARGATE_PARAMS: tuple[UnsupportedParam, ...] = (
    FargateParam(
        "networkMode",
        "task",
        ("networkMode",),
        "not:awsvpc",
        "Fargate only supports network mode 'awsvpc', and this task uses {value}",
    ),
    FargateParam(
        "ipcMode",
        "task",
        ("ipcMode",),
        "set",
        "ipcMode {value} is set, but tasks using the Fargate launch type do not support ipcMode",
    ),
    FargateParam(
        "pidMode",
        "task",
        ("pidMode",),
        "is:host",
        "pidMode 'host' is not supported on Fargate; the only supported value is 'task'",
    ),
    FargateParam(
        "placementConstraints",
        "task",
        ("placementConstraints",),
        "nonempty",
        "placementConstraints are not supported on Fargate (there are no instances to place on)",
    ),
    FargateParam(
        "inferenceAccelerators",
        "task",
        ("inferenceAccelerators",),
        "nonempty",
        "inferenceAccelerators (Elastic Inference) are not supported on Fargate",
    ),
    FargateParam(
        "privileged",
        "container",
        ("privileged",),
        "true",
        "privileged mode is not supported on Fargate",
    ),
    FargateParam("links", "container", ("links",), "nonempty", "links are not valid on Fargate"),
    FargateParam(
        "dnsServers", "container", ("dnsServers",), "nonempty", "dnsServers is not valid on Fargate"
    ),
    FargateParam(
        "dnsSearchDomains",
        "container",
        ("dnsSearchDomains",),
        "nonempty",
        "dnsSearchDomains is not valid on Fargate",
    ),
    FargateParam(
        "extraHosts", "container", ("extraHosts",), "nonempty", "extraHosts is not valid on Fargate"
    ),
    FargateParam(
        "disableNetworking",
        "container",
        ("disableNetworking",),
        "true",
        "disableNetworking is not valid on Fargate",
    ),
    FargateParam(
        "dockerSecurityOptions",
        "container",
        ("dockerSecurityOptions",),
        "nonempty",
        "dockerSecurityOptions is not valid on Fargate",
    ),
    FargateParam(
        "resourceRequirements.GPU",
        "container",
        ("resourceRequirements",),
        "item:GPU",
        "GPU resource requirements are not supported on Fargate",
    ),
    FargateParam(
        "resourceRequirements.InferenceAccelerator",
        "container",
        ("resourceRequirements",),
        "item:InferenceAccelerator",
        "InferenceAccelerator resource requirements are not supported on Fargate",
    ),
    FargateParam(
        "linuxParameters.devices",
        "linux",
        ("devices",),
        "nonempty",
        "linuxParameters.devices is not supported on Fargate (no host devices to map)",
    ),
    FargateParam(
        "linuxParameters.maxSwap",
        "linux",
        ("maxSwap",),
        "set",
        "linuxParameters.maxSwap is not supported on Fargate (there is no swap)",
    ),
    FargateParam(
        "linuxParameters.swappiness",
        "linux",
        ("swappiness",),
        "set",
        "linuxParameters.swappiness is not supported on Fargate (there is no swap)",
    ),
    FargateParam(
        "linuxParameters.sharedMemorySize",
        "linux",
        ("sharedMemorySize",),
        "set",
        "linuxParameters.sharedMemorySize is not supported on Fargate",
    ),
    FargateParam(
        "linuxParameters.tmpfs",
        "linux",
        ("tmpfs",),
        "nonempty",
        "linuxParameters.tmpfs is not supported on Fargate; mount a task-storage volume instead",
    ),
    FargateParam(
        "volumes.dockerVolumeConfiguration",
        "volume",
        ("dockerVolumeConfiguration",),
        "nonempty",
        "dockerVolumeConfiguration volumes are not supported on Fargate",
    ),
    FargateParam(
        "volumes.host.sourcePath",
        "volume",
        ("host", "sourcePath"),
        "set",
        "host.sourcePath {value} is not supported on Fargate (there is no host to bind-mount from)",
    ),
)

BY_KEY: dict[str, FargateParam] = {param.key: param for param in FARGATE_PARAMS}

#: The only capability Fargate lets a container add (§2.2); docs also spell it CAP_SYS_PTRACE.
FARGATE_ADDABLE_CAPABILITIES = frozenset({"SYS_PTRACE"})

#: startTimeout / stopTimeout bounds on Fargate, seconds (§1.1, §2.2).
FARGATE_TIMEOUT_SECONDS = (2, 120)
