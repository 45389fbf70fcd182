"""Expand the paths a user names into the files to lint."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

#: Suffixes read when walking a directory; a file named explicitly is always read.
LINTABLE_SUFFIXES = (".json", ".yaml", ".yml", ".template", ".tf")
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


def expand(
    paths: Sequence[str],
    empty_dirs: list[str] | None = None,
    outside: list[str] | None = None,
) -> Iterator[str]:
    """Files named, and the lintable files below directories named, in a stable order.

    Symbolic links to directories are not followed, so a link loop cannot hang a walk.
    A symbolic link to a file outside the directory named is not read either (a
    repository's ``deploy.yaml -> ~/.aws/credentials`` must not be printed in an
    excerpt): it is added to ``outside``, for a note. Named directories with no
    lintable file are added to ``empty_dirs``, so the caller can say so instead of
    passing a directory it never looked into.
    """
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = False
            for found_path in _walk(path, outside):
                found = True
                yield found_path
            if not found and empty_dirs is not None:
                empty_dirs.append(path)
        else:
            yield path


def _walk(root: str, outside: list[str] | None) -> Iterator[str]:
    real_root = os.path.realpath(root)
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.lower().endswith(LINTABLE_SUFFIXES):
                full = os.path.join(directory, name)
                if os.path.islink(full) and not _inside(os.path.realpath(full), real_root):
                    if outside is not None:
                        outside.append(full)
                    continue
                if os.path.isfile(full):
                    yield full


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
