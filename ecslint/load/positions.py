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
from itertools import accumulate

from ecslint.lazy_re import lazy_re
from ecslint.model import PathParts, Span

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: Offsets (start, end) into the text.
Offsets = tuple[int, int]
#: Offsets packed into one int, ``start << 32 | end``: a big JSON file has a million
#: offsets, and one int takes a third of the memory of a tuple of two.
Packed = int

#: One token of JSON text that the decoder accepted. Commas and colons are skipped with
#: the white space: the scan knows from the structure what comes next, and every token
#: it does not look at saves time on big files.
#: A string is matched as runs of plain characters between escapes: as ``(?:[^"\\]|\\.)*``
#: the matcher kept a backtracking state per character (1.8 GiB for a 9 MiB string);
#: possessive runs (Python 3.11) keep none, and the unrolled form, on 3.10, one per escape.
_STRING_TOKEN = (
    r'"[^"\\]*+(?:\\.[^"\\]*+)*+"' if sys.version_info >= (3, 11) else r'"[^"\\]*(?:\\.[^"\\]*)*"'
)
_TOKEN = lazy_re(
    r"""[ \t\r\n,:]*(?:
        ([{\[])
      | ([}\]])
      | ("""
    + _STRING_TOKEN
    + r""")
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
    # Each line's length plus its newline, summed by C loops (split, accumulate).
    return [0, *accumulate([len(line) + 1 for line in text.split("\n")])][:-1]


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


_WHITESPACE = lazy_re(r"[ \t\r\n]*")
#: What stands between a key and its value, and between a value and the next member;
#: both always match (in JSON the decoder accepted), so ``.end()`` is safe.
_COLON = lazy_re(r"[ \t\r\n]*:[ \t\r\n]*")
_COMMA = lazy_re(r"[ \t\r\n]*,?[ \t\r\n]*")


def _skip_space(text: str, at: int) -> int:
    match = _WHITESPACE.match(text, at)
    return match.end() if match else at


class JsonLocator:
    """Finds the offsets of the values a report needs, without indexing the whole text.

    Only the objects and arrays on the way to a requested path are read, member by
    member, and only up to the member asked for: a member before it is stepped over
    by the C decoder in one call, and a member's value is scanned to its end only
    when a later member or its own span needs it. A file with a few findings costs
    a few dozen such calls instead of a pass over every token (or three passes over
    the containers, as reading whole objects did), which keeps many-file runs fast.
    ``complete=True`` reads each object to its end, for text with a key written
    twice, where the last one wins.
    """

    __slots__ = ("_complete", "_lines", "_root", "text")

    def __init__(self, text: str, complete: bool = False) -> None:
        self.text = text
        self._complete = complete
        self._lines: list[int] | None = None
        # The decoder accepted the text: one value, then only white space.
        self._root = _Member(-1, -1, _skip_space(text, 0), len(text.rstrip(" \t\r\n")))

    @property
    def lines(self) -> list[int]:
        if self._lines is None:
            self._lines = line_starts(self.text)
        return self._lines

    def value(self, parts: PathParts) -> tuple[Offsets, int]:
        """Offsets of the deepest value on ``parts`` that exists, and how many parts it took."""
        member, depth = self._walk(parts)
        if member.end < 0:
            member.end = _SCAN(self.text, member.start)[1]
        return (member.start, member.end), depth

    def key(self, parts: PathParts) -> Offsets | None:
        if not parts:
            return None
        member, found = self._walk(parts)
        if found < len(parts) or member.key_start < 0:
            return None
        return member.key_start, member.key_end

    def _walk(self, parts: PathParts) -> tuple[_Member, int]:
        member = self._root
        for depth, part in enumerate(parts):
            container = member.children
            if container is None:
                container = member.children = _Container(self.text, member.start)
            child = container.find(self.text, part, self._complete)
            if child is None:
                if member.end < 0:  # read to its end: no second scan for its span
                    member.end = container.end
                return member, depth
            member = child
        return member, len(parts)


#: The C scanner behind json.loads (json.scanner.c_make_scanner): parses one value at an
#: offset and returns it with the offset where it ends.
_SCAN: Any = json.scanner.make_scanner(json.decoder.JSONDecoder())  # type: ignore[attr-defined]
_SCANSTRING: Any = json.decoder.scanstring  # type: ignore[attr-defined]


class _Member:
    """Where one value sits (and its key, -1 in an array); ``end`` is -1 until needed."""

    __slots__ = ("children", "end", "key_end", "key_start", "start")

    def __init__(self, key_start: int, key_end: int, start: int, end: int) -> None:
        self.key_start = key_start
        self.key_end = key_end
        self.start = start
        self.end = end
        #: The members of this value read so far, once a path goes through it.
        self.children: _Container | None = None


class _Container:
    """The members of one object or array read so far."""

    __slots__ = ("closing", "count", "done", "end", "is_object", "last", "members", "next_at")

    def __init__(self, text: str, start: int) -> None:
        opening = text[start]
        self.is_object = opening == "{"
        self.closing = "}" if self.is_object else "]"
        self.members: dict[str | int, _Member] = {}
        self.done = opening not in "{["
        #: Where the container ends, once read to the end (-1 until then).
        self.end = -1
        self.next_at = _skip_space(text, start + 1)
        #: The member read last; the next one starts after its value.
        self.last: _Member | None = None
        self.count = 0

    def find(self, text: str, part: str | int, complete: bool) -> _Member | None:
        """The member ``part``, reading on until it (or the end) is reached."""
        member = self.members.get(part)
        if self.done or (member is not None and not complete):
            return member
        while (read := self._read_next(text)) is not None:
            if read[0] == part and not complete:
                return read[1]
        return self.members.get(part)

    def _read_next(self, text: str) -> tuple[str | int, _Member] | None:
        """Read the next member (key and offsets); None at the end of the container."""
        at = self.next_at
        last = self.last
        if last is not None:
            if last.end < 0:
                last.end = _SCAN(text, last.start)[1]
            at = _COMMA.match(text, last.end).end()  # type: ignore[union-attr]
        if at >= len(text) or text[at] == self.closing:
            self.done = True
            self.end = at + 1
            return None
        key: str | int
        if self.is_object:
            key, key_end = _SCANSTRING(text, at + 1)
            start = _COLON.match(text, key_end).end()  # type: ignore[union-attr]
            member = _Member(at, key_end, start, -1)
        else:
            key = self.count
            member = _Member(-1, -1, at, -1)
        self.count += 1
        self.members[key] = member  # a key written twice: the last one wins, as in JSON
        self.last = member
        return key, member


#: One escape of a JSON string (a surrogate pair, which decodes to one character, is one).
_ESCAPE = lazy_re(
    r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)"
)


class StringOffsets:
    """Where each character of a JSON string literal sits in the text that holds it.

    Only the escapes are stored (the characters between them map one to one), in two
    arrays of machine integers: a 9 MiB string with a million escaped quotes costs 16 MiB,
    where a list of one offset per character cost 350 MiB.
    """

    __slots__ = ("_at", "_extra", "_start")

    def __init__(self, start: int, at: Any, extra: Any) -> None:
        self._start = start
        self._at = at
        self._extra = extra

    @classmethod
    def of(cls, text: str, quote: int, length: int) -> StringOffsets | None:
        """The offsets of the string literal at ``quote`` in ``text``, which decodes to
        ``length`` characters; None when it is not such a literal."""
        from array import array

        if not text.startswith('"', quote):
            return None
        try:
            end = _SCANSTRING(text, quote + 1)[1] - 1  # the closing quote
        except ValueError:
            return None
        at, extra = array("q"), array("q")
        added = 0
        for match in _ESCAPE.finditer(text, quote + 1, end):
            at.append(match.start() - quote - 1 - added)
            added += match.end() - match.start() - 1
            extra.append(added)
        if end - quote - 1 - added != length:
            return None
        return cls(quote + 1, at, extra)

    def __call__(self, index: int) -> int:
        """The offset of character ``index`` of the string (``length``: its closing quote)."""
        before = bisect.bisect_left(self._at, index)
        return self._start + index + (self._extra[before - 1] if before else 0)
