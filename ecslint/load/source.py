"""Read a path (or stdin) into text, refusing what is not a task definition file.

Every refusal is a :class:`LoadError` with a position, so the engine can turn it
into a finding instead of a traceback.
"""

from __future__ import annotations

import codecs
import sys

from ecslint.records import Record

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


class Source(Record):
    path: str
    text: str


def read_source(path: str) -> Source:
    """Read ``path`` (``-`` is stdin) as text, within the size limit."""
    if path == "-":
        if sys.stdin is None:  # started with stdin closed (<&-)
            raise LoadError("cannot read stdin: it is closed", io_error=True)
        try:
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        except OSError as exc:
            raise LoadError(f"cannot read stdin: {exc.strerror or exc}", io_error=True) from None
        return Source("<stdin>", decode(data))
    from ecslint.safeio import FileError, read_bytes

    try:
        data = read_bytes(path, MAX_BYTES)
    except FileError as exc:
        message = exc.message
        if exc.missing:
            message = "cannot read file: No such file or directory"
        elif message.startswith("file is "):
            message += " (a task definition is at most 65536 bytes)"
        raise LoadError(message, io_error=exc.io_error) from None
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
