"""RFC 6901 JSON pointers, held as tuples of parts until printed."""

from __future__ import annotations

from functools import lru_cache

from ecslint.model import PathParts


def escape(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


@lru_cache(maxsize=4096)  # each finding asks twice; paths repeat across task definitions
def to_pointer(parts: PathParts) -> str:
    """``("a", 0, "b/c")`` -> ``"/a/0/b~1c"``; the empty tuple is the root ``""``."""
    return "".join("/" + escape(p) for p in parts)


def from_pointer(pointer: str) -> PathParts:
    if not pointer:
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    out: list[str | int] = []
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)
