"""One bounded reader and one safe writer for every file ecslint reads or writes.

Inputs, config files, custom rules, baselines and IAM files are all read here:
regular files only (a FIFO, socket or device is refused before it is opened for
reading, so it can neither hang a run nor feed it forever), at most
:data:`MAX_BYTES`, and JSON nested at most :data:`MAX_JSON_DEPTH` levels. Reports
and baselines are written to a temporary file in the target's directory and
renamed into place: never through a symbolic link planted at the target, and a
failed write leaves the old file as it was.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

MAX_BYTES = 10 * 1024 * 1024
#: Nesting that a baseline or an IAM file may have (their real depth is about 12).
MAX_JSON_DEPTH = 64

_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO that slipped past stat must not wait
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class FileError(Exception):
    """A file that cannot be read or written; ``message`` does not name the file."""

    def __init__(self, message: str, *, io_error: bool = False, missing: bool = False) -> None:
        super().__init__(message)
        self.message = message
        #: The path could not be opened at all (missing, no permission).
        self.io_error = io_error
        self.missing = missing


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, or :class:`FileError`."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileError("no such file", io_error=True, missing=True) from None
    except (OSError, ValueError) as exc:
        raise FileError(f"cannot read file: {_reason(exc)}", io_error=True) from None
    if stat.S_ISCHR(info.st_mode) and os.path.realpath(path) == os.devnull:
        return b""  # ``--config /dev/null``: the usual way to say "an empty file"
    _check_regular(info, limit)
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise FileError(f"cannot read file: {_reason(exc)}", io_error=True) from None
    try:
        info = os.fstat(descriptor)  # what was opened, not what stat saw a moment before
        _check_regular(info, limit)
        chunks: list[bytes] = []
        # Ask for the size fstat gave, then for whatever more there is (a file that
        # grew), still within the limit: never a 10 MiB buffer for a small file.
        wanted = min(info.st_size, limit) + 1
        total = 0
        while total <= limit:
            chunk = os.read(descriptor, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            wanted = max(1, min(1 << 20, limit + 1 - total))
    except OSError as exc:
        raise FileError(f"cannot read file: {_reason(exc)}", io_error=True) from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileError(f"file is larger than {limit} bytes; ecslint reads at most {limit} bytes")
    return data


def _check_regular(info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise FileError("is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise FileError("not a regular file (a FIFO, socket or device is not read)")
    if info.st_size > limit:
        raise FileError(f"file is {info.st_size} bytes; ecslint reads at most {limit} bytes")


def read_text(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> str:
    """The file as UTF-8 text (a BOM is skipped), within the size limit."""
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(f"not valid UTF-8 text (byte {exc.start})") from None


def load_json(text: str) -> Any:
    """``json.loads`` with a depth limit: :class:`ValueError` for bad or too deep JSON."""
    import json

    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    if too_deep(data, MAX_JSON_DEPTH):
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return data


def too_deep(data: Any, limit: int) -> bool:
    """Whether containers in ``data`` nest deeper than ``limit``; level by level, no recursion."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [
            item
            for node in level
            for item in (node.values() if isinstance(node, dict) else node)
            if isinstance(item, (dict, list))
        ]
    return False


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def check_writable_target(path: str | os.PathLike[str]) -> None:
    """Refuse a target that is a symbolic link or not a regular file (a FIFO would hang)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileError(f"cannot write: {_reason(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise FileError(
            "is a symbolic link; ecslint does not write through one (remove it, or name "
            "the file it points to)"
        )
    if not stat.S_ISREG(info.st_mode):
        raise FileError("not a regular file; ecslint writes only regular files")


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` only once it is all written.

    The stream writes UTF-8 with ``\\n`` line ends; a character that UTF-8 cannot
    hold (a lone surrogate) is written as a backslash escape, never an error.
    """
    check_writable_target(path)
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    import tempfile  # only a run that writes pays for it (it imports shutil, random, lzma)

    try:
        directory.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=directory, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise FileError(f"cannot write: {_reason(exc)}") from None
    try:
        mode = _mode_for(target)
        with os.fdopen(
            descriptor, "w", encoding="utf-8", errors="backslashreplace", newline="\n"
        ) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        check_writable_target(path)  # planted while the report was written
        os.replace(temporary, target)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise FileError(f"cannot write: {_reason(exc)}") from None
        raise


def _mode_for(target: Path) -> int:
    """The mode the file has, or the one a new file gets under the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text(path: str | os.PathLike[str], text: str) -> None:
    with atomic_writer(path) as stream:
        stream.write(text)
