"""Where every value of a document sits in its text.

JSON is parsed by the C decoder (fast); the positions are found by a second,
lazy scan of the same text that runs only when a finding needs a location.
YAML positions come from the composer's marks as the document is built.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from typing import Any, cast

from ecslint.model import PathParts, Span

#: Offsets (start, end) into the text.
Offsets = tuple[int, int]
#: Offsets packed into one int, ``start << 32 | end``: a big JSON file has a million
#: offsets, and one int takes a third of the memory of a tuple of two.
Packed = int

#: One token of JSON text that the decoder accepted. Commas and colons are skipped with
#: the white space: the scan knows from the structure what comes next, and every token
#: it does not look at saves time on big files.
_TOKEN = re.compile(
    r"""[ \t\r\n,:]*(?:
        ([{\[])
      | ([}\]])
      | ("(?:[^"\\]|\\.)*")
      | (-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity)
    )""",
    re.VERBOSE,
)
_OPEN, _CLOSE, _STRING = 1, 2, 3


class PositionIndex:
    """Value and key offsets by path, plus the keys that appear twice in one object."""

    __slots__ = ("duplicates", "keys", "lines", "values")

    def __init__(self, lines: list[int]) -> None:
        self.lines = lines
        self.values: dict[PathParts, Offsets | Packed] = {}
        self.keys: dict[PathParts, Offsets | Packed] = {}
        self.duplicates: list[tuple[PathParts, Offsets | Packed]] = []

    @classmethod
    def for_text(cls, text: str) -> PositionIndex:
        return cls(line_starts(text))

    def span(self, offsets: Offsets | Packed) -> Span:
        return span_at(self.lines, offsets)


def line_starts(text: str) -> list[int]:
    """The offset where each line begins, for turning offsets into line and column."""
    starts = [0]
    find = text.find
    offset = find("\n")
    while offset >= 0:
        starts.append(offset + 1)
        offset = find("\n", offset + 1)
    return starts


def span_at(lines: list[int], offsets: Offsets | Packed) -> Span:
    """1-based line and column of both ends of ``offsets``."""
    start, end = unpack(offsets)
    line = bisect.bisect_right(lines, start)
    end_line = bisect.bisect_right(lines, end)
    return Span(line, start - lines[line - 1] + 1, end_line, end - lines[end_line - 1] + 1)


def unpack(offsets: Offsets | Packed) -> Offsets:
    if isinstance(offsets, int):
        return offsets >> 32, offsets & 0xFFFFFFFF
    return offsets


def _decode_key(raw: str) -> str:
    inner = raw[1:-1]
    if "\\" in inner:
        decoded: str = json.loads(raw)
        return sys.intern(decoded)
    return sys.intern(inner)  # keys repeat: one string per name, not per member


class _Frame:
    __slots__ = ("child", "expect_key", "is_object", "next_index", "path", "start")

    def __init__(self, path: PathParts, is_object: bool, start: int) -> None:
        self.path = path
        self.is_object = is_object
        self.expect_key = is_object
        self.next_index = 0
        self.start = start
        #: The path of the member whose key was read last, shared by keys and values.
        self.child: PathParts = path


def index_json(text: str) -> PositionIndex:
    """Scan JSON text that the decoder already accepted; iterative, so any depth is fine."""
    index = PositionIndex.for_text(text)
    values, keys, duplicates = index.values, index.keys, index.duplicates
    stack: list[_Frame] = []
    path: PathParts
    for match in _TOKEN.finditer(text):
        kind = match.lastindex
        if kind == _CLOSE:
            frame = stack.pop()
            values[frame.path] = frame.start << 32 | match.end(kind)
            continue
        top = stack[-1] if stack else None
        if kind == _STRING and top is not None and top.expect_key:
            key = _decode_key(match.group(kind))
            path = top.child = (*top.path, key)
            offsets = match.start(kind) << 32 | match.end(kind)
            # Seen before inside this object (not in an earlier object at the same path)?
            # Checking the index instead of a set per object keeps big files small.
            earlier = keys.get(path)
            if earlier is not None and unpack(earlier)[0] > top.start:
                duplicates.append((path, offsets))
            keys[path] = offsets
            top.expect_key = False
            continue
        # A value begins: a scalar, or an object or array that ends at its _CLOSE.
        if top is None:
            path = ()
        elif top.is_object:
            path = top.child
            top.expect_key = True
        else:
            path = (*top.path, top.next_index)
            top.next_index += 1
        assert kind is not None
        if kind == _OPEN:
            stack.append(_Frame(path, match.group(kind) == "{", match.start(kind)))
        else:
            values[path] = match.start(kind) << 32 | match.end(kind)
    return index


_WHITESPACE = re.compile(r"[ \t\r\n]*")
#: What stands between a key and its value, and between a value and the next member;
#: both always match (in JSON the decoder accepted), so ``.end()`` is safe.
_COLON = re.compile(r"[ \t\r\n]*:[ \t\r\n]*")
_COMMA = re.compile(r"[ \t\r\n]*,?[ \t\r\n]*")


def _skip_space(text: str, at: int) -> int:
    match = _WHITESPACE.match(text, at)
    return match.end() if match else at


class JsonLocator:
    """Finds the offsets of the values a report needs, without indexing the whole text.

    Only the objects and arrays on the way to a requested path are read member by
    member; every other value is stepped over by the C decoder in one call. A file
    with a few findings costs a few dozen such calls instead of a pass over every
    token, which keeps many-file runs fast. Members are cached per container.
    """

    __slots__ = ("_members", "_root", "_scan", "_scanstring", "lines", "text")

    def __init__(self, text: str) -> None:
        from json import decoder, scanner

        self.text = text
        # The C scanner (json.scanner.c_make_scanner) behind json.loads: parses one value.
        self._scan: Any = scanner.make_scanner(cast(Any, decoder.JSONDecoder()))
        self._scanstring: Any = decoder.scanstring  # type: ignore[attr-defined]
        self.lines = line_starts(text)
        self._members: dict[PathParts, dict[str | int, tuple[int, int, int, int]]] = {}
        # The decoder accepted the text: one value, then only white space.
        self._root = (_skip_space(text, 0), len(text.rstrip(" \t\r\n")))

    def value(self, parts: PathParts) -> tuple[Offsets, int]:
        """Offsets of the deepest value on ``parts`` that exists, and how many parts it took."""
        offsets = self._root
        for depth, part in enumerate(parts):
            member = self._member(parts[:depth], offsets[0], part)
            if member is None:
                return offsets, depth
            offsets = (member[2], member[3])
        return offsets, len(parts)

    def key(self, parts: PathParts) -> Offsets | None:
        if not parts:
            return None
        offsets, found = self.value(parts[:-1])
        if found < len(parts) - 1:
            return None
        member = self._member(parts[:-1], offsets[0], parts[-1])
        return (member[0], member[1]) if member is not None and member[0] >= 0 else None

    def _member(
        self, path: PathParts, start: int, part: str | int
    ) -> tuple[int, int, int, int] | None:
        members = self._members.get(path)
        if members is None:
            members = self._members[path] = self._read_members(start)
        return members.get(part)

    def _read_members(self, start: int) -> dict[str | int, tuple[int, int, int, int]]:
        """(key start, key end, value start, value end) by key or index; keys: last one wins."""
        text, scan, scanstring = self.text, self._scan, self._scanstring
        colon, comma = _COLON.match, _COMMA.match
        members: dict[str | int, tuple[int, int, int, int]] = {}
        opening = text[start]
        if opening not in "{[":
            return members
        closing = "}" if opening == "{" else "]"
        at = _skip_space(text, start + 1)
        size = len(text)
        index = 0
        while at < size and text[at] != closing:
            if opening == "{":
                key, key_end = scanstring(text, at + 1)
                key_start = at
                at = colon(text, key_end).end()  # type: ignore[union-attr]
                value_end = scan(text, at)[1]
                members[key] = (key_start, key_end, at, value_end)
            else:
                value_end = scan(text, at)[1]
                members[index] = (-1, -1, at, value_end)
                index += 1
            at = comma(text, value_end).end()  # type: ignore[union-attr]
        return members
