"""Resources of ``terraform show -json`` (a plan's ``planned_values`` or a state's ``values``).

A value known only after apply is an Unknown, unless the plan's ``configuration`` says
the argument references exactly one resource of the plan: then it is a Link to it. A
known string equal to another resource's ``id`` or ``arn`` (a state, or a plan of
resources that already exist) is a Link too. Nothing else is linked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecslint.deploy.model import Link
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

AFTER_APPLY = "Terraform value known only after apply"


def plan_resources(data: Any) -> Iterator[tuple[str, str, Any, PathParts]]:
    if not isinstance(data, dict):
        return
    key = "planned_values" if isinstance(data.get("planned_values"), dict) else "values"
    root = data.get(key)
    if not isinstance(root, dict) or not isinstance(root.get("root_module"), dict):
        return
    masks = {
        str(change.get("address")): _dict(change.get("change")).get("after_unknown")
        for change in _list(data.get("resource_changes"))
        if isinstance(change, dict)
    }
    references = _references(data.get("configuration"))
    found: list[tuple[str, str, Any, PathParts]] = []
    stack: list[tuple[dict[str, Any], PathParts]] = [(root["root_module"], (key, "root_module"))]
    while stack:
        module, where = stack.pop(0)
        for position, resource in enumerate(_list(module.get("resources"))):
            if not (
                isinstance(resource, dict)
                and resource.get("mode", "managed") == "managed"
                and isinstance(resource.get("values"), dict)
                and isinstance(resource.get("type"), str)
            ):
                continue
            address = str(resource.get("address") or f"{resource['type']}.{resource.get('name')}")
            found.append(
                (
                    resource["type"],
                    address,
                    resource["values"],
                    (*where, "resources", position, "values"),
                )
            )
        for position, child in enumerate(_list(module.get("child_modules"))):
            if isinstance(child, dict):
                stack.append((child, (*where, "child_modules", position)))
    addresses = {address for _, address, _, _ in found}
    known: dict[str, str] = {}
    for _, address, values, _ in found:
        for attribute in ("id", "arn", "name"):
            value = values.get(attribute)
            if isinstance(value, str) and value and attribute != "name":
                known[value] = address
    for resource_type, address, values, where in found:
        mask = masks.get(address)
        refs = references.get(address, {})
        yield resource_type, address, _linked(values, mask, refs, (), addresses, known), where


def _linked(
    value: Any,
    mask: Any,
    refs: dict[tuple[str | int, ...], list[str]],
    rel: tuple[str | int, ...],
    addresses: set[str],
    known: dict[str, str],
) -> Any:
    if mask is True or (value is None and refs.get(rel)):
        return _from_references(refs.get(rel), addresses, rel, mask)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        keys = set(value) | (set(mask) if isinstance(mask, dict) else set())
        for key in keys:
            item_mask = mask.get(key) if isinstance(mask, dict) else None
            item = value.get(key)
            if item is None and item_mask is not True and not refs.get((*rel, key)):
                continue
            out[key] = _linked(item, item_mask, refs, (*rel, key), addresses, known)
        return out
    if isinstance(value, list):
        masks = mask if isinstance(mask, list) else []
        return [
            _linked(item, masks[i] if i < len(masks) else None, refs, (*rel, i), addresses, known)
            for i, item in enumerate(value)
        ]
    if isinstance(value, str) and value in known:
        return Link(known[value], None, value)
    return value


def _from_references(found: list[str] | None, addresses: set[str], rel: Any, mask: Any) -> Any:
    """The resources an after-apply value references: one for a value, one per item of a
    list (in the order the expression names them); unknown when that does not add up."""
    distinct: list[str] = []
    for reference in found or ():
        parts = reference.split(".")
        address = ".".join(parts[:2])
        if len(parts) >= 2 and address in addresses and address not in distinct:
            distinct.append(address)
    if isinstance(mask, list) and len(distinct) == len(mask) and distinct:
        return [Link(address, None, address) for address in distinct]
    if not isinstance(mask, list) and len(distinct) == 1:
        return Link(distinct[0], None, distinct[0])
    return Unknown(f"{'.'.join(str(p) for p in rel)} (known after apply)", AFTER_APPLY)


def _references(configuration: Any) -> dict[str, dict[tuple[str | int, ...], list[str]]]:
    """address -> argument path -> the references its expression makes (root module only)."""
    out: dict[str, dict[tuple[str | int, ...], list[str]]] = {}
    if not isinstance(configuration, dict):
        return out
    module = configuration.get("root_module")
    if not isinstance(module, dict):
        return out
    for resource in _list(module.get("resources")):
        if not isinstance(resource, dict) or not isinstance(resource.get("address"), str):
            continue
        table: dict[tuple[str | int, ...], list[str]] = {}
        _walk_expressions(resource.get("expressions"), (), table)
        out[resource["address"]] = table
    return out


def _walk_expressions(node: Any, rel: tuple[str | int, ...], table: dict[Any, list[str]]) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _walk_expressions(item, (*rel, index), table)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("references"), list):
        table[rel] = [r for r in node["references"] if isinstance(r, str)]
        return
    for key, item in node.items():
        _walk_expressions(item, (*rel, key), table)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
