"""What Windows containers do not support (ecs-facts.md §2.4, §1.1, §3.1).

``user`` is deliberately absent from the container list: the API reference says it
is not supported for Windows containers, yet AWS Security Hub ECS.21 asks Windows
containers to set a non-administrator ``user`` and Docker on Windows honours it,
so reporting it would contradict the security advice.
"""

from __future__ import annotations

from ecslint.facts.fargate_params import UnsupportedParam
from ecslint.lazy_re import lazy_re

#: Parameters that Windows containers do not support, on EC2 and Fargate (§2.4).
WINDOWS_PARAMS: tuple[UnsupportedParam, ...] = (
    UnsupportedParam(
        "pidMode", "task", ("pidMode",), "set", "pidMode is not supported for Windows containers"
    ),
    UnsupportedParam(
        "ipcMode", "task", ("ipcMode",), "set", "ipcMode is not supported for Windows containers"
    ),
    UnsupportedParam(
        "linuxParameters",
        "container",
        ("linuxParameters",),
        "nonempty",
        "linuxParameters is Linux-only and not supported for Windows containers",
    ),
    UnsupportedParam(
        "links",
        "container",
        ("links",),
        "nonempty",
        "links are not supported for Windows containers",
    ),
    UnsupportedParam(
        "readonlyRootFilesystem",
        "container",
        ("readonlyRootFilesystem",),
        "true",
        "readonlyRootFilesystem is not supported for Windows containers",
    ),
    UnsupportedParam(
        "privileged",
        "container",
        ("privileged",),
        "true",
        "privileged is not supported for Windows containers",
    ),
    UnsupportedParam(
        "disableNetworking",
        "container",
        ("disableNetworking",),
        "true",
        "disableNetworking is not supported for Windows containers",
    ),
    UnsupportedParam(
        "dnsServers",
        "container",
        ("dnsServers",),
        "nonempty",
        "dnsServers is not supported for Windows containers",
    ),
    UnsupportedParam(
        "dnsSearchDomains",
        "container",
        ("dnsSearchDomains",),
        "nonempty",
        "dnsSearchDomains is not supported for Windows containers",
    ),
    UnsupportedParam(
        "extraHosts",
        "container",
        ("extraHosts",),
        "nonempty",
        "extraHosts is not supported for Windows containers",
    ),
    UnsupportedParam(
        "ulimits",
        "container",
        ("ulimits",),
        "nonempty",
        "ulimits are not supported for Windows containers",
    ),
    UnsupportedParam(
        "systemControls",
        "container",
        ("systemControls",),
        "nonempty",
        "systemControls are not supported for Windows containers",
    ),
    UnsupportedParam(
        "environmentFiles",
        "container",
        ("environmentFiles",),
        "nonempty",
        "environmentFiles are not supported for Windows containers; use environment or secrets",
    ),
)

#: What Windows tasks on Fargate additionally cannot use ([DG23] "Windows containers on
#: AWS Fargate considerations", §2.4; some may have changed since 2023).
WINDOWS_FARGATE_PARAMS: tuple[UnsupportedParam, ...] = (
    UnsupportedParam(
        "proxyConfiguration",
        "task",
        ("proxyConfiguration",),
        "nonempty",
        "App Mesh proxyConfiguration is not supported for Windows tasks on Fargate",
    ),
    UnsupportedParam(
        "ephemeralStorage",
        "task",
        ("ephemeralStorage",),
        "nonempty",
        "configurable ephemeralStorage is not supported for Windows tasks on Fargate",
    ),
    UnsupportedParam(
        "firelensConfiguration",
        "container",
        ("firelensConfiguration",),
        "nonempty",
        "FireLens is not supported for Windows tasks on Fargate",
    ),
    UnsupportedParam(
        "volumes.efsVolumeConfiguration",
        "volume",
        ("efsVolumeConfiguration",),
        "nonempty",
        "EFS volumes are not supported for Windows tasks on Fargate",
    ),
    UnsupportedParam(
        "volumes.fsxWindowsFileServerVolumeConfiguration",
        "volume",
        ("fsxWindowsFileServerVolumeConfiguration",),
        "nonempty",
        "FSx for Windows File Server volumes are not supported for Windows tasks on Fargate",
    ),
)

WINDOWS_BY_KEY = {param.key: param for param in WINDOWS_PARAMS}
WINDOWS_FARGATE_BY_KEY = {param.key: param for param in WINDOWS_FARGATE_PARAMS}

#: Network modes a Windows task on EC2 may use: omitted ("<default>", NAT) or awsvpc (§3.1).
WINDOWS_NETWORK_MODES = frozenset({"awsvpc"})

#: Image references that can only be Windows images: Microsoft's Windows base images,
#: .NET Framework images, and tags that name a Windows base (servercore, nanoserver, ltsc).
WINDOWS_IMAGE = lazy_re(
    r"""(?ix)
    ^mcr\.microsoft\.com/(?:windows(?:/|servercore|-|:)|dotnet/framework/)
    | [:\-_.](?:windowsservercore|servercore|nanoserver)(?:[-_.:]|$)
    | [:\-_.]ltsc20\d\d(?:[-_.]|$)
    """
)
