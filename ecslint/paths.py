"""Expand the paths a user names into the files to lint."""

from __future__ import annotations

import os
from collections.abc import Iterator

#: Suffixes read when walking a directory; a file named explicitly is always read.
LINTABLE_SUFFIXES = (".json", ".yaml", ".yml")
#: Directories a walk never enters.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".terraform",
        ".tox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)


def expand(paths: list[str]) -> Iterator[str]:
    """Files named, and the lintable files below directories named, in a stable order.

    Symbolic links to directories are not followed, so a link loop cannot hang a walk.
    """
    for path in paths:
        if path != "-" and os.path.isdir(path):
            yield from _walk(path)
        else:
            yield path


def _walk(root: str) -> Iterator[str]:
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.lower().endswith(LINTABLE_SUFFIXES):
                full = os.path.join(directory, name)
                if os.path.isfile(full):
                    yield full
