"""A parsed file: its value, its text, and where each path of it sits."""

from __future__ import annotations

from ecslint.load.positions import (
    JsonLocator,
    Offsets,
    PositionIndex,
    StringOffsets,
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
        "_embedded",
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
        #: JSON written inside a string value (a plan's container_definitions), by path.
        self._embedded: dict[PathParts, _Embedded] | None = None

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

    def embed(self, where: PathParts, text: str, data: Any) -> None:
        """The string at ``where`` is JSON ``text`` (decoded: ``data``): the paths below
        ``where`` are located inside it, when their spans are asked for."""
        if self._embedded is None:
            self._embedded = {}
        self._embedded[where] = _Embedded(text, data)

    def _inside(self, parts: PathParts, key: bool, exact: bool) -> Offsets | None:
        """Offsets of ``parts`` inside a string :meth:`embed` registered, or None."""
        assert self._embedded is not None
        for depth in range(len(parts) - 1, 0, -1):
            inner = self._embedded.get(parts[:depth])
            if inner is None:
                continue
            outer = self.offsets(parts[:depth])
            return (
                None
                if outer is None
                else inner.offsets(self.text, outer[0], parts[depth:], key, exact)
            )
        return None

    def span(self, parts: PathParts, *, key: bool = False) -> Span:
        """The span of the value at ``parts`` (its key with ``key=True``).

        A path that is not in the file (a missing key) gets the span of the
        nearest enclosing value: the object that lacks the key.
        """
        if self._embedded:
            inside = self._inside(parts, key, exact=False)
            if inside is not None:
                return span_at(
                    self.locator.lines if self._index is None else self._index.lines, inside
                )
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
        if self._embedded:
            inside = self._inside(parts, key, exact=True)
            if inside is not None:
                return inside
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


class _Embedded:
    """JSON text written as a string value of a document, located on demand."""

    __slots__ = ("_locator", "_map", "data", "text")

    def __init__(self, text: str, data: Any) -> None:
        self.text = text
        self.data = data
        self._locator: JsonLocator | None = None
        self._map: StringOffsets | bool | None = False  # False: not built yet

    def offsets(
        self, outer_text: str, quote: int, parts: PathParts, key: bool, exact: bool
    ) -> Offsets | None:
        """Offsets in ``outer_text`` (the string's literal starts at ``quote``) of ``parts``
        inside this JSON; ``exact``: None when not written (else: the nearest enclosing)."""
        if self._map is False:
            self._map = StringOffsets.of(outer_text, quote, len(self.text))
        mapping = self._map
        if not isinstance(mapping, StringOffsets):
            return None  # the literal does not decode to the text: no position inside
        if self._locator is None:
            self._locator = JsonLocator(self.text, complete=True)  # duplicates: the last wins
        found = self._locator.key(parts) if key else None
        if found is None and not (key and exact):
            existing = _existing(self.data, parts)
            if exact and existing < len(parts):
                return None
            found = self._locator.value(parts[:existing])[0]
        if found is None:
            return None
        return mapping(found[0]), mapping(found[1])
