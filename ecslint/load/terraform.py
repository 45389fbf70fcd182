"""Terraform: ``aws_ecs_task_definition`` resources from ``terraform show -json`` or ``.tf``.

A plan (``planned_values`` plus ``resource_changes``) or a state (``values``) is read
in every module; a ``.tf`` file arrives already parsed by
:mod:`ecslint.load.terraform_hcl` in the same shape. The snake_case arguments are
mapped to the API's camelCase (ecs-facts.md §6.2), ``container_definitions`` is
decoded from its JSON string (its positions are kept: a finding inside it points
at the line and column of the value inside the string), and a value the plan
only knows after apply (``after_unknown``) is an :class:`~ecslint.load.unknown.Unknown`.
Each target's label is the resource address (``module.api.aws_ecs_task_definition.this``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ecslint.load.document import Document
from ecslint.load.shapes import NotATaskDefinition, Target
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

RESOURCE_TYPE = "aws_ecs_task_definition"
AFTER_APPLY = "Terraform value known only after apply"

#: A block's arguments: Terraform name -> (API name, kind, nested spec). Kinds:
#: value, one (a MaxItems-1 block: an object), many (a list of objects), map (kept as
#: is), pairs (a map written as the API's list of name/value or key/value objects).
Spec = dict[str, tuple[str, str, Any]]

_AUTHORIZATION_EFS: Spec = {
    "access_point_id": ("accessPointId", "value", None),
    "iam": ("iam", "value", None),
}
_AUTHORIZATION_FSX: Spec = {
    "credentials_parameter": ("credentialsParameter", "value", None),
    "domain": ("domain", "value", None),
}
_VOLUME: Spec = {
    "name": ("name", "value", None),
    "host_path": ("host", "host_path", None),
    "configure_at_launch": ("configuredAtLaunch", "value", None),
    "docker_volume_configuration": (
        "dockerVolumeConfiguration",
        "one",
        {
            "scope": ("scope", "value", None),
            "autoprovision": ("autoprovision", "value", None),
            "driver": ("driver", "value", None),
            "driver_opts": ("driverOpts", "map", None),
            "labels": ("labels", "map", None),
        },
    ),
    "efs_volume_configuration": (
        "efsVolumeConfiguration",
        "one",
        {
            "file_system_id": ("fileSystemId", "value", None),
            "root_directory": ("rootDirectory", "value", None),
            "transit_encryption": ("transitEncryption", "value", None),
            "transit_encryption_port": ("transitEncryptionPort", "value", None),
            "authorization_config": ("authorizationConfig", "one", _AUTHORIZATION_EFS),
        },
    ),
    "fsx_windows_file_server_volume_configuration": (
        "fsxWindowsFileServerVolumeConfiguration",
        "one",
        {
            "file_system_id": ("fileSystemId", "value", None),
            "root_directory": ("rootDirectory", "value", None),
            "authorization_config": ("authorizationConfig", "one", _AUTHORIZATION_FSX),
        },
    ),
}
TASK: Spec = {
    "family": ("family", "value", None),
    "container_definitions": ("containerDefinitions", "containers", None),
    "cpu": ("cpu", "value", None),
    "memory": ("memory", "value", None),
    "execution_role_arn": ("executionRoleArn", "value", None),
    "task_role_arn": ("taskRoleArn", "value", None),
    "network_mode": ("networkMode", "value", None),
    "ipc_mode": ("ipcMode", "value", None),
    "pid_mode": ("pidMode", "value", None),
    "requires_compatibilities": ("requiresCompatibilities", "value", None),
    "enable_fault_injection": ("enableFaultInjection", "value", None),
    "runtime_platform": (
        "runtimePlatform",
        "one",
        {
            "operating_system_family": ("operatingSystemFamily", "value", None),
            "cpu_architecture": ("cpuArchitecture", "value", None),
        },
    ),
    "ephemeral_storage": ("ephemeralStorage", "one", {"size_in_gib": ("sizeInGiB", "value", None)}),
    "placement_constraints": (
        "placementConstraints",
        "many",
        {"type": ("type", "value", None), "expression": ("expression", "value", None)},
    ),
    "inference_accelerator": (
        "inferenceAccelerators",
        "many",
        {
            "device_name": ("deviceName", "value", None),
            "device_type": ("deviceType", "value", None),
        },
    ),
    "proxy_configuration": (
        "proxyConfiguration",
        "one",
        {
            "container_name": ("containerName", "value", None),
            "type": ("type", "value", None),
            "properties": ("properties", "pairs", ("name", "value")),
        },
    ),
    "volume": ("volumes", "many", _VOLUME),
    "tags": ("tags", "pairs", ("key", "value")),
}


#: API name -> Terraform argument, for pointing at a missing top-level argument.
_TF_NAMES = {name: tf_name for tf_name, (name, _, _) in TASK.items()}
_SNAKE = re.compile(r"(?<=[a-z0-9])([A-Z])")


def detect(document: Document) -> list[Target] | None:
    """Detector for :data:`ecslint.load.shapes.DETECTORS` (plans, states and ``.tf``)."""
    if document.syntax == "hcl":
        found = [(values, (address,), address, None) for address, values in document.data.items()]
        what = "a Terraform file"
    else:
        data = document.data
        if not any(key in data for key in ("planned_values", "values", "resource_changes")):
            return None
        found = list(_plan_resources(data))
        what = "a Terraform plan or state"
    if not found:
        raise NotATaskDefinition(f"{what} with no {RESOURCE_TYPE} resource")
    return [_target(document, *item) for item in found]


def _plan_resources(data: dict[str, Any]) -> Any:
    unknown: dict[str, Any] = {}
    for change in data.get("resource_changes") or ():
        if isinstance(change, dict) and change.get("type") == RESOURCE_TYPE:
            after_unknown = (change.get("change") or {}).get("after_unknown")
            unknown[str(change.get("address"))] = after_unknown
    key = "planned_values" if isinstance(data.get("planned_values"), dict) else "values"
    root = data.get(key)
    if not isinstance(root, dict) or not isinstance(root.get("root_module"), dict):
        return
    stack: list[tuple[dict[str, Any], PathParts]] = [(root["root_module"], (key, "root_module"))]
    while stack:
        module, where = stack.pop(0)
        for position, resource in enumerate(module.get("resources") or ()):
            if (
                isinstance(resource, dict)
                and resource.get("type") == RESOURCE_TYPE
                and resource.get("mode", "managed") == "managed"
                and isinstance(resource.get("values"), dict)
            ):
                address = str(resource.get("address") or f"{RESOURCE_TYPE}.{resource.get('name')}")
                values_at = (*where, "resources", position, "values")
                yield resource["values"], values_at, address, unknown.get(address)
        for position, child in enumerate(module.get("child_modules") or ()):
            if isinstance(child, dict):
                stack.append((child, (*where, "child_modules", position)))


def _target(
    document: Document, values: dict[str, Any], where: PathParts, address: str, mask: Any
) -> Target:
    builder = _Builder(document)
    task = builder.block(values, TASK, where, (), mask)
    for name in ("cpu", "memory"):  # numbers in HCL; strings in the API
        if isinstance(task.get(name), int) and not isinstance(task.get(name), bool):
            task[name] = str(task[name])
    paths = builder.paths

    def remap(parts: PathParts) -> PathParts:
        probe = parts
        while probe and probe not in paths:
            probe = probe[:-1]
        located = paths.get(probe, where)
        inside_json = bool(parts) and parts[0] == "containerDefinitions"
        for part in parts[len(probe) :]:  # a missing key: where it would be written
            if isinstance(part, str) and not inside_json:
                part = _TF_NAMES.get(part) or _SNAKE.sub(r"_\1", part).lower()
            located = (*located, part)
        return located

    return Target(document, task, "terraform", where, label=address, remap=remap)


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        #: task path -> document path of every value mapped.
        self.paths: dict[PathParts, PathParts] = {}

    def block(
        self, values: Any, spec: Spec, where: PathParts, task_path: PathParts, mask: Any
    ) -> dict[str, Any]:
        self.paths[task_path] = where
        result: dict[str, Any] = {}
        for tf_name, (name, kind, nested) in spec.items():
            value = values.get(tf_name) if isinstance(values, dict) else None
            item_mask = mask.get(tf_name) if isinstance(mask, dict) else None
            if item_mask is True:
                slot: PathParts = (*task_path, name)
                self.paths[slot] = (*where, tf_name)
                result[name] = Unknown(f"{tf_name} (known after apply)", AFTER_APPLY)
                continue
            if value is None or value == [] or value == {}:
                continue
            converted = self.convert(
                value, kind, nested, (*where, tf_name), (*task_path, name), item_mask
            )
            if converted is not None:
                result[name] = converted
        return result

    def convert(
        self, value: Any, kind: str, nested: Any, where: PathParts, task_path: PathParts, mask: Any
    ) -> Any:
        self.paths[task_path] = where
        if isinstance(value, Unknown) or kind in ("value", "map"):
            return value
        if kind == "containers":
            return self.containers(value, where, task_path)
        if kind == "host_path":
            slot: PathParts = (*task_path, "sourcePath")
            self.paths[slot] = where
            return {"sourcePath": value}
        if kind == "pairs":
            if not isinstance(value, dict):
                return value
            first, second = nested
            pairs = []
            for position, (key, item) in enumerate(value.items()):
                slot = (*task_path, position)
                self.paths[slot] = (*where, key)
                pairs.append({first: key, second: item})
            return pairs
        if not isinstance(value, list):
            return value
        masks = mask if isinstance(mask, list) else []
        items = [
            self.block(
                item,
                nested,
                (*where, position),
                task_path if kind == "one" else (*task_path, position),
                masks[position] if position < len(masks) else None,
            )
            for position, item in enumerate(value)
            if isinstance(item, dict)
        ]
        if kind == "one":
            self.paths[task_path] = (*where, 0)
            return items[0] if items else None
        return items

    def containers(self, value: Any, where: PathParts, task_path: PathParts) -> Any:
        """The container list: already data (``.tf``), or a JSON string (plan and state)."""
        if not isinstance(value, str):
            self._map_identity(value, where, task_path)
            return value
        try:
            decoded = json.loads(value)
        except ValueError as exc:
            return Unknown(value[:60], f"container_definitions that is not valid JSON ({exc})")
        self._index_inner_json(value, where)
        self._map_identity(decoded, where, task_path)
        return decoded

    def _map_identity(self, value: Any, where: PathParts, task_path: PathParts) -> None:
        stack = [(value, where, task_path)]
        while stack:
            node, at, path = stack.pop()
            self.paths[path] = at
            if isinstance(node, dict):
                stack.extend((v, (*at, k), (*path, k)) for k, v in node.items())
            elif isinstance(node, list):
                stack.extend((v, (*at, i), (*path, i)) for i, v in enumerate(node))

    def _index_inner_json(self, value: str, where: PathParts) -> None:
        """Give the values inside a JSON string their own positions in the file."""
        from ecslint.load.positions import index_json, unpack

        index = self.document.index  # the full index: span() then reads the entries added
        outer = index.values.get(where)
        if outer is None:
            return
        quote = unpack(outer)[0]
        if not self.document.text.startswith('"', quote):
            return
        offsets = _string_offsets(self.document.text, quote)
        if len(offsets) != len(value) + 1:
            return
        inner = index_json(value)
        for table, into in ((inner.values, index.values), (inner.keys, index.keys)):
            for parts, packed in table.items():
                start, end = unpack(packed)
                slot: PathParts = (*where, *parts)
                into[slot] = (offsets[start], offsets[end])


def _string_offsets(text: str, quote: int) -> list[int]:
    """For each character of the JSON string starting at ``quote``, its offset in ``text``."""
    offsets, i = [], quote + 1
    length = len(text)
    while i < length and text[i] != '"':
        offsets.append(i)
        if text[i] != "\\":
            i += 1
        elif text.startswith("u", i + 1):
            code = int(text[i + 2 : i + 6], 16)
            pair = 0xD800 <= code < 0xDC00 and text.startswith("\\u", i + 6)
            i += 12 if pair else 6
        else:
            i += 2
    offsets.append(i)
    return offsets
