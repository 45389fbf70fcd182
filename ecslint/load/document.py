"""A parsed file: its value, its text, and where each path of it sits."""

from __future__ import annotations

from ecslint.load.positions import (
    JsonLocator,
    Offsets,
    PositionIndex,
    index_json,
    span_at,
    unpack,
)
from ecslint.model import PathParts, Span

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


class Document:
    """A parsed file: its data, and the positions of its values on demand."""

    __slots__ = (
        "_has_duplicates",
        "_index",
        "_locator",
        "_yaml_duplicates",
        "data",
        "path",
        "syntax",
        "text",
    )

    def __init__(
        self,
        path: str,
        text: str,
        syntax: str,
        data: Any,
        index: PositionIndex | None = None,
        has_duplicates: bool = False,
    ) -> None:
        self.path = path
        self.text = text
        self.syntax = syntax  # "json", "yaml" or "hcl" (Terraform)
        self.data = data
        self._index = index
        self._has_duplicates = has_duplicates
        self._yaml_duplicates: list[tuple[PathParts, Offsets]] = []
        self._locator: JsonLocator | None = None

    @property
    def index(self) -> PositionIndex:
        """Every path's position; for JSON a full scan, so :meth:`span` avoids it."""
        if self._index is None:
            self._index = index_json(self.text)
        return self._index

    @property
    def locator(self) -> JsonLocator:
        if self._locator is None:
            self._locator = JsonLocator(self.text, complete=self._has_duplicates)
        return self._locator

    def duplicate_keys(self) -> list[tuple[PathParts, Span]]:
        """Keys written twice in one object; the value kept is the last one, as in JSON."""
        if self.syntax == "json":
            found = self.index.duplicates if self._has_duplicates else []
            return [(path, self.index.span(offsets)) for path, offsets in found]
        return [(path, self.index.span(offsets)) for path, offsets in self._yaml_duplicates]

    def span(self, parts: PathParts, *, key: bool = False) -> Span:
        """The span of the value at ``parts`` (its key with ``key=True``).

        A path that is not in the file (a missing key) gets the span of the
        nearest enclosing value: the object that lacks the key.
        """
        if self.syntax == "json" and self._index is None:
            locator = self.locator
            key_offsets = locator.key(parts) if key else None
            # The parsed data says how much of the path exists; the text is then read
            # only that far (a missing key would read the rest of its object).
            offsets = key_offsets or locator.value(parts[: _existing(self.data, parts)])[0]
            return span_at(locator.lines, offsets)
        index = self.index
        if key and parts in index.keys:
            return index.span(index.keys[parts])
        probe = parts
        while probe not in index.values and probe:
            probe = probe[:-1]
        found = index.values.get(probe)
        if found is None:
            return Span(1, 1, 1, 1)
        return index.span(found)

    def offsets(self, parts: PathParts, *, key: bool = False) -> Offsets | None:
        """Character offsets of the value (or key) at ``parts``, None if it is not written."""
        if self.syntax == "json" and self._index is None:
            if key:
                return self.locator.key(parts)
            if _existing(self.data, parts) < len(parts):
                return None
            return self.locator.value(parts)[0]
        table = self.index.keys if key else self.index.values
        found = table.get(parts)
        return None if found is None else unpack(found)

    def has(self, parts: PathParts) -> bool:
        if self.syntax == "json":
            return _existing(self.data, parts) == len(parts)
        return parts in self.index.values


def _existing(data: Any, parts: PathParts) -> int:
    """How many of ``parts`` lead to a value in ``data`` (JSON: what the text holds)."""
    node = data
    for depth, part in enumerate(parts):
        in_object = isinstance(node, dict) and isinstance(part, str) and part in node
        in_array = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_object or in_array):
            return depth
        node = node[part]
    return len(parts)
