"""Read a path (or stdin) into text, refusing what is not a task definition file.

Every refusal is a :class:`LoadError` with a position, so the engine can turn it
into a finding instead of a traceback.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from typing import NamedTuple

MAX_BYTES = 10 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class LoadError(Exception):
    """A file that cannot be read as a task definition; line/column are 1-based."""

    def __init__(
        self,
        message: str,
        line: int = 1,
        column: int = 1,
        rule: str = "ECS004",
        *,
        io_error: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.rule = rule
        #: The path could not be opened at all (missing, no permission): a usage error.
        self.io_error = io_error


class Source(NamedTuple):
    path: str
    text: str


def read_source(path: str) -> Source:
    """Read ``path`` (``-`` is stdin) as text, within the size limit."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return Source("<stdin>", decode(data))
    try:
        info = os.stat(path)
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}", io_error=True) from None
    if stat.S_ISDIR(info.st_mode):
        raise LoadError("is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise LoadError("not a regular file (a FIFO, socket or device is not read)")
    if info.st_size > MAX_BYTES:
        raise LoadError(
            f"file is {info.st_size} bytes; ecslint reads at most {MAX_BYTES} bytes "
            "(a task definition is at most 65536 bytes)"
        )
    try:
        with open(path, "rb") as handle:
            # read(MAX_BYTES + 1) would allocate 10 MiB for every file: ask for the
            # size stat gave, then for whatever more there is (a file that grew, or
            # one whose size the system does not know), still within the limit.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(MAX_BYTES + 1 - len(data))
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}", io_error=True) from None
    return Source(path, decode(data))


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8, or UTF-16/32 when a byte-order mark says so."""
    if len(data) > MAX_BYTES:
        raise LoadError(f"input is larger than {MAX_BYTES} bytes")
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _position_of_byte(data, exc.start)
        raise LoadError(
            f"not valid {encoding.upper()} text (byte 0x{data[exc.start]:02x}); "
            "is this a binary file?",
            line,
            column,
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise LoadError("contains a NUL character: a binary file, not JSON or YAML", line, column)
    return text


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column
