"""Where the repository is: config discovery stops at its root, reports name paths from it."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path, PurePosixPath


def repo_root(start: str | None = None) -> Path | None:
    """The nearest directory at or above ``start`` (default: cwd) that holds ``.git``."""
    return _repo_root(os.path.abspath(start or os.getcwd()))


@cache
def _repo_root(start: str) -> Path | None:
    directory = Path(start)
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def report_root() -> Path:
    """What report paths are relative to: the repository root, else the working directory."""
    return repo_root() or Path(os.getcwd())


def relative_path(file: str, root: Path | None = None) -> str:
    """``file`` (as the user named it) relative to ``root``, with forward slashes.

    A file outside ``root`` keeps its absolute path; ``<stdin>`` and names that are not
    paths (``aws://ecs/eu-west-1/web:3``, from ``ecslint scan``) stay as they are.
    """
    if file == "<stdin>" or "://" in file:
        return file
    base = root or report_root()
    absolute = Path(os.path.abspath(file))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return absolute.as_posix()
    return PurePosixPath(*relative.parts).as_posix()
