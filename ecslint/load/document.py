"""A parsed file: its value, its text, and where each path of it sits."""

from __future__ import annotations

import json
from typing import Any

from ecslint.load.positions import (
    JsonLocator,
    Offsets,
    PositionIndex,
    index_json,
    span_at,
    unpack,
)
from ecslint.load.source import LoadError, Source
from ecslint.model import PathParts, Span

#: Deeper than any task definition; stops hostile input before any rule recurses.
MAX_DEPTH = 64
#: More values (objects, arrays, scalars) than any task definition has (AWS caps one at
#: 64 KiB); bounds the memory of the position index, which holds every path.
MAX_VALUES = 350_000

JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml")
HCL_SUFFIXES = (".tf",)


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


def parse(source: Source, syntax: str | None = None) -> Document:
    """Parse ``source`` as JSON or YAML (chosen by suffix, else by its first character)."""
    text = source.text
    if not text.strip():
        raise LoadError("the file is empty", rule="ECS002")
    if syntax is None:
        syntax = sniff_syntax(source.path, text)
    if syntax == "hcl":
        from ecslint.load.terraform_hcl import load_hcl

        document = load_hcl(source)
    elif syntax == "yaml":
        from ecslint.load.yaml_doc import load_yaml

        tag_handler = None
        if "!" in text:  # CloudFormation short forms (!Ref, !Sub, ...) are the only tags read
            from ecslint.load.cloudformation import cfn_tag

            tag_handler = cfn_tag
        data, index, duplicates = load_yaml(text, tag_handler)
        document = Document(source.path, text, "yaml", data, index)
        document._yaml_duplicates = duplicates
    else:
        data, has_duplicates = _load_json(text)
        document = Document(source.path, text, "json", data, None, has_duplicates)
    deep = _too_deep(document.data)
    if deep is not None:
        if not deep:  # no position: indexing this many values is what we refuse
            raise LoadError(
                f"holds more than {MAX_VALUES} values; a task definition has at most a few "
                "thousand (AWS caps it at 64 KiB)"
            )
        span = document.span(deep)
        raise LoadError(f"nested deeper than {MAX_DEPTH} levels", span.line, span.column)
    return document


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


def sniff_syntax(path: str, text: str) -> str:
    lower = path.lower()
    if lower.endswith(HCL_SUFFIXES):
        return "hcl"
    if lower.endswith(JSON_SUFFIXES):
        return "json"
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def _load_json(text: str) -> tuple[Any, bool]:
    duplicates = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        result = dict(pairs)
        if len(result) != len(pairs):
            duplicates = True
        return result

    def reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        value = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno, rule="ECS002") from None
    except ValueError as exc:
        raise LoadError(f"invalid JSON: {exc}", rule="ECS002") from None
    except RecursionError:
        raise LoadError(f"nested deeper than {MAX_DEPTH} levels") from None
    return value, duplicates


def _too_deep(data: Any) -> PathParts | None:
    """The path of a value nested too deep, ``()`` if there are too many values, else None.

    Level by level, without paths: this runs on every file, and building a path for
    every value cost as much as parsing the file.
    """
    level = [data] if isinstance(data, (dict, list)) else []
    depth = count = 0
    while level:
        if depth > MAX_DEPTH:
            return _deep_path(data)
        deeper = []
        for node in level:
            items = node.values() if isinstance(node, dict) else node
            count += len(items)
            if count > MAX_VALUES:
                return ()
            for item in items:
                if isinstance(item, (dict, list)):
                    deeper.append(item)
        level = deeper
        depth += 1
    return None


def _deep_path(data: Any) -> PathParts:
    """The path of the first value nested deeper than MAX_DEPTH (there is one)."""
    stack: list[tuple[Any, PathParts]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path
        if isinstance(node, dict):
            stack.extend(
                (item, (*path, key)) for key, item in node.items() if isinstance(item, (dict, list))
            )
        elif isinstance(node, list):
            stack.extend(
                (item, (*path, i)) for i, item in enumerate(node) if isinstance(item, (dict, list))
            )
    return ()
