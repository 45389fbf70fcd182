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
from ecslint.load.target import NotATaskDefinition, Target
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem
from ecslint.numbers import number_text, parse_number

RESOURCE_TYPE = "aws_ecs_task_definition"
AFTER_APPLY = "Terraform value known only after apply"
#: Terraform's schema of the resource (see the file's $comment for where it comes from).
CONTRACT = "terraform-aws-ecs-task-definition.schema.json"
#: Prefixes the task path of an argument Terraform rejects or misses (never an API name).
REJECTED = "\x00"
_NUMBER = re.compile(r"-?\d+(\.\d+)?")

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
    "s3files_volume_configuration": (
        "s3filesVolumeConfiguration",
        "one",
        {
            "file_system_arn": ("fileSystemArn", "value", None),
            "access_point_arn": ("accessPointArn", "value", None),
            "root_directory": ("rootDirectory", "value", None),
            "transit_encryption_port": ("transitEncryptionPort", "value", None),
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
        found = [
            (values, (address,), address, None)
            for address, values in document.data.items()
            if address.startswith(RESOURCE_TYPE + ".")
        ]
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
    # Every part is checked for its type: a plan whose parts are a list, a number or a
    # string where an object belongs is read as far as it is well formed, never a crash.
    for change in _items(data.get("resource_changes")):
        if isinstance(change, dict) and change.get("type") == RESOURCE_TYPE:
            details = change.get("change")
            after_unknown = details.get("after_unknown") if isinstance(details, dict) else None
            unknown[str(change.get("address"))] = after_unknown
    key = "planned_values" if isinstance(data.get("planned_values"), dict) else "values"
    root = data.get(key)
    if not isinstance(root, dict) or not isinstance(root.get("root_module"), dict):
        return
    stack: list[tuple[dict[str, Any], PathParts]] = [(root["root_module"], (key, "root_module"))]
    while stack:
        module, where = stack.pop(0)
        for position, resource in enumerate(_items(module.get("resources"))):
            if (
                isinstance(resource, dict)
                and resource.get("type") == RESOURCE_TYPE
                and resource.get("mode", "managed") == "managed"
                and isinstance(resource.get("values"), dict)
            ):
                address = str(resource.get("address") or f"{RESOURCE_TYPE}.{resource.get('name')}")
                values_at = (*where, "resources", position, "values")
                yield resource["values"], values_at, address, unknown.get(address)
        for position, child in enumerate(_items(module.get("child_modules"))):
            if isinstance(child, dict):
                stack.append((child, (*where, "child_modules", position)))


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


_CONTRACT: list[dict[str, Any]] = []


def contract() -> dict[str, Any]:
    """Terraform's schema of ``aws_ecs_task_definition``, read once."""
    if not _CONTRACT:
        from ecslint.datafiles import schemas_dir

        text = (schemas_dir() / CONTRACT).read_text(encoding="utf-8")
        _CONTRACT.append(json.loads(text))
    return _CONTRACT[0]


def _target(
    document: Document, values: dict[str, Any], where: PathParts, address: str, mask: Any
) -> Target:
    builder = _Builder(document)
    if document.syntax == "hcl":  # a plan's values are what Terraform already accepted
        schema = contract()
        builder.check(values, schema["block"], where, (), "resource", schema["meta_arguments"])
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

    target = Target(document, task, "terraform", where, label=address, remap=remap)
    target.contract = builder.problems
    _followed(document, target, paths)
    return target


def _followed(document: Document, target: Target, paths: dict[PathParts, PathParts]) -> None:
    """What the .tf reader followed for this resource: files, origins, unreadable files."""
    from ecslint.load.terraform_hcl import HclDocument

    if not isinstance(document, HclDocument):
        return
    address = target.base[:1]
    target.followed = {p: d for p, d in document.followed.items() if p[:1] == address}
    if not (document.origins or document.load_problems):
        return
    task_paths = {at: task_path for task_path, at in paths.items()}
    for at, origin in document.origins.items():
        if at[:1] == address and at in task_paths:
            target.origins[task_paths[at]] = origin
    for at, message in document.load_problems:
        if at[:1] == address:
            target.load_problems.append(Problem(task_paths.get(at, ()), message))


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        #: task path -> document path of every value mapped.
        self.paths: dict[PathParts, PathParts] = {}
        #: What Terraform's own schema rejects, by schema kind (see ecslint.schema.KINDS).
        self.problems: dict[str, list[Problem]] = {}

    # --- the contract: Terraform's schema of the resource ---------------------------------

    def check(
        self,
        values: dict[str, Any],
        block: dict[str, Any],
        where: PathParts,
        task_path: PathParts,
        label: str,
        meta: list[str] | tuple[str, ...] = (),
    ) -> None:
        """Unknown and missing arguments of one block; scalars converted as Terraform does."""
        attributes: dict[str, Any] = block.get("attributes") or {}
        blocks: dict[str, Any] = block.get("block_types") or {}
        settable = [n for n, a in attributes.items() if a.get("optional") or a.get("required")]
        for name in list(values):
            if name in meta:
                continue
            attribute = attributes.get(name)
            if attribute is not None and name in settable:
                values[name] = _convert(values[name], attribute.get("type"))
            elif name in blocks:
                nested = blocks[name]["block"]
                items = values[name]
                spec = _spec_at(task_path, name)
                for index, item in enumerate(items if isinstance(items, list) else ()):
                    if isinstance(item, dict):
                        inner = spec if blocks[name].get("max_items") == 1 else (*spec, index)
                        self.check(item, nested, (*where, name, index), inner, f"{name} block")
            else:
                self.reject(name, where, task_path, label, [*settable, *blocks])
        for name, attribute in attributes.items():
            if attribute.get("required") and name not in values:
                self.require(name, "argument", where, task_path, label)
        for name, nested in blocks.items():
            if nested.get("min_items") and not values.get(name):
                self.require(name, "block", where, task_path, label)

    def reject(
        self, name: str, where: PathParts, task_path: PathParts, label: str, known: list[str]
    ) -> None:
        from ecslint.schema import did_you_mean

        slot: PathParts = (*task_path, REJECTED + name)
        self.paths[slot] = (*where, name)
        message = (
            f'unknown argument "{name}" in the {label}: Terraform rejects it '
            f'(An argument named "{name}" is not expected here)'
        )
        guess = did_you_mean(name, known)
        if guess is not None:
            message += f'; did you mean "{guess}"?'
        self.problems.setdefault("unknown-key", []).append(Problem(slot, message, at_key=True))

    def require(
        self, name: str, what: str, where: PathParts, task_path: PathParts, label: str
    ) -> None:
        slot: PathParts = (*task_path, REJECTED + name)
        self.paths[slot] = where
        message = (
            f'the {label} is missing the required {what} "{name}" '
            f"(Terraform's schema for {RESOURCE_TYPE} requires it)"
        )
        self.problems.setdefault("missing-required-key", []).append(Problem(slot, message))

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
                key_slot: PathParts = (*slot, first)
                value_slot: PathParts = (*slot, second)
                self.paths[key_slot] = self.paths[value_slot] = (*where, key)
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
        if isinstance(value, list) and any(isinstance(item, Unknown) for item in value):
            # A container Terraform computes (merge(...)) could be the one a cross-container
            # rule looks for (the log router, a dependency): the list is not judged.
            unknown = next(item for item in value if isinstance(item, Unknown))
            return Unknown(unknown.text, f"{unknown.reason} (a container of the list)")
        if not isinstance(value, str):
            self._map_identity(value, where, task_path)
            return value
        try:
            decoded = json.loads(value)
        except ValueError as exc:
            return Unknown(value[:60], f"container_definitions that is not valid JSON ({exc})")
        # Located inside the string when a finding asks: indexing every value of a 9 MiB
        # string up front (and mapping each of its paths here) took seconds and 2 GiB.
        self.document.embed(where, value, decoded)
        self.paths[task_path] = where  # remap() appends the rest of a path unchanged
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


def _spec_at(task_path: PathParts, name: str) -> PathParts:
    """The task path of the nested block ``name`` under ``task_path`` (its API name)."""
    spec: Spec = TASK
    node: Any = TASK
    for part in task_path:
        if isinstance(part, str):
            found = next((n for t, (api, _, n) in spec.items() if api == part), None)
            if not isinstance(found, dict):
                return (*task_path, name)
            spec = node = found
    entry = node.get(name) if isinstance(node, dict) else None
    return (*task_path, entry[0] if entry else REJECTED + name)


def _convert(value: Any, kind: Any) -> Any:
    """A value as Terraform converts it to the attribute's type; what it cannot convert stays.

    Terraform converts primitives to each other (``"200"`` to a number, ``true`` or
    ``1337`` to a string) for an attribute, and for each element of a ``map(string)``
    (``tags``, ``proxy_configuration.properties``) or ``set(string)``.
    """
    if isinstance(value, Unknown) or value is None:
        return value
    if isinstance(kind, list) and len(kind) == 2 and kind[0] in ("map", "set", "list"):
        if kind[0] == "map" and isinstance(value, dict):
            return {key: _convert(item, kind[1]) for key, item in value.items()}
        if kind[0] != "map" and isinstance(value, list):
            return [_convert(item, kind[1]) for item in value]
        return value
    if kind == "string" and isinstance(value, bool):
        return "true" if value else "false"
    if kind == "string" and isinstance(value, (int, float)):
        return number_text(value)
    if kind == "number" and isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = parse_number(value)
        return value if number is None else number
    if kind == "bool" and isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return value
