"""Small readers shared by the catalog checks: typed access that never guesses.

Each helper returns the value when it is of the expected type, an
:class:`~ecslint.unknown.Unknown` when it is a placeholder, and None otherwise
(absent or of the wrong type, which the schema reports).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecslint.unknown import Unknown


def as_int(value: Any) -> int | None:
    """An integer, not a boolean (JSON ``true`` is not a port)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def entries(owner: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) for every object in the list ``owner[key]``."""
    items = owner.get(key)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def is_essential(container: dict[str, Any]) -> bool | Unknown:
    """``essential`` defaults to true: only an explicit false makes a container non-essential."""
    value = container.get("essential")
    if isinstance(value, Unknown):
        return value
    return value is not False


def has_items(value: Any) -> bool:
    """A non-empty list (describe output fills absent lists with ``[]``)."""
    return isinstance(value, list) and len(value) > 0


def first_unknown(value: Any) -> Unknown | None:
    """The first Unknown anywhere inside ``value`` (iterative: no recursion limit)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Unknown):
            return node
        if isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return None
