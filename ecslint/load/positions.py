"""Where every value of a document sits in its text.

JSON is parsed by the C decoder (fast); the positions are found by a second,
lazy scan of the same text that runs only when a finding needs a location.
YAML positions come from the composer's marks as the document is built.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from ecslint.model import PathParts, Span

#: Offsets (start, end) into the text.
Offsets = tuple[int, int]

_TOKEN = re.compile(
    r"""[ \t\r\n]*(?:
        ([{}\[\],:])
      | ("(?:[^"\\]|\\.)*")
      | (-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity)
    )""",
    re.VERBOSE,
)


@dataclass(slots=True)
class PositionIndex:
    """Value and key offsets by path, plus the keys that appear twice in one object."""

    lines: list[int]
    values: dict[PathParts, Offsets] = field(default_factory=dict)
    keys: dict[PathParts, Offsets] = field(default_factory=dict)
    duplicates: list[tuple[PathParts, Offsets]] = field(default_factory=list)

    @classmethod
    def for_text(cls, text: str) -> PositionIndex:
        starts = [0]
        find = text.find
        offset = find("\n")
        while offset >= 0:
            starts.append(offset + 1)
            offset = find("\n", offset + 1)
        return cls(starts)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.lines, offset)
        return line, offset - self.lines[line - 1] + 1

    def span(self, offsets: Offsets) -> Span:
        line, column = self.line_col(offsets[0])
        end_line, end_column = self.line_col(offsets[1])
        return Span(line, column, end_line, end_column)


def _decode_key(raw: str) -> str:
    inner = raw[1:-1]
    if "\\" in inner:
        decoded: str = json.loads(raw)
        return decoded
    return inner


class _Frame:
    __slots__ = ("is_object", "key", "path", "seen", "start")

    def __init__(self, path: PathParts, is_object: bool, start: int) -> None:
        self.path = path
        self.is_object = is_object
        self.key: str | int = 0
        self.start = start
        self.seen: set[str] = set()


def index_json(text: str) -> PositionIndex:
    """Scan JSON text that the decoder already accepted; iterative, so any depth is fine."""
    index = PositionIndex.for_text(text)
    values, keys = index.values, index.keys
    stack: list[_Frame] = []
    expect_key = False

    def value_path() -> PathParts:
        if not stack:
            return ()
        top = stack[-1]
        return (*top.path, top.key)

    for match in _TOKEN.finditer(text):
        punct, string = match.group(1), match.group(2)
        if punct:
            if punct in "{[":
                stack.append(_Frame(value_path(), punct == "{", match.start(1)))
                expect_key = punct == "{"
            elif punct in "}]":
                frame = stack.pop()
                values[frame.path] = (frame.start, match.end(1))
                expect_key = False
            elif punct == ",":
                top = stack[-1]
                if top.is_object:
                    expect_key = True
                elif isinstance(top.key, int):
                    top.key += 1
            continue
        if string is not None and expect_key:
            top = stack[-1]
            key = _decode_key(string)
            top.key = key
            path = (*top.path, key)
            offsets = (match.start(2), match.end(2))
            if key in top.seen:
                index.duplicates.append((path, offsets))
            else:
                top.seen.add(key)
            keys[path] = offsets
            expect_key = False
            continue
        group = 2 if string is not None else 3
        values[value_path()] = (match.start(group), match.end(group))
    return index
