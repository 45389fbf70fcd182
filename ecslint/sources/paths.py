"""Expand the paths a user names into the files to lint."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from ecslint.lazy_re import lazy_re

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


#: ``file("x.json")`` / ``templatefile("${path.module}/x.tpl", ...)`` in a ``.tf`` file.
_FOLLOWED = lazy_re(r'\b(?:file|templatefile)\(\s*"(?:\$\{path\.module\}/)?([^"$%{}]+)"')


def _followed_by(directory: str, files: list[str]) -> set[str]:
    """The files the ``.tf`` files of ``directory`` read with file() or templatefile():
    linted through the resource that reads them, so a walk does not lint them again."""
    found: set[str] = set()
    for name in files:
        if not name.endswith(".tf"):
            continue
        try:
            with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as f:
                text = f.read(1024 * 1024)
        except OSError:
            continue
        if "file(" in text:
            for match in _FOLLOWED.finditer(text):
                found.add(os.path.realpath(os.path.join(directory, match.group(1))))
    return found


def git_ignored(root: str) -> tuple[set[str], frozenset[str]] | None:
    """The files and directories below ``root`` that git ignores, as normalized paths
    (directories end in a separator); None outside a git repository or without git.

    git itself answers (``git ls-files --others --ignored --exclude-standard --directory``,
    one process per directory walked): it knows every source of ignore rules (nested
    .gitignore files, negations, .git/info/exclude, core.excludesFile) exactly, where a
    library would re-implement them; and wherever there is a repository there is git.
    Tracked files are never listed, as git never ignores them.
    """
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return None
    command = [git, "-C", root, "ls-files", "--others", "--ignored", "--exclude-standard"]
    try:
        done = subprocess.run(
            [*command, "--directory", "-z"], capture_output=True, timeout=120, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    files: set[str] = set()
    directories: list[str] = []
    for item in os.fsdecode(done.stdout).split("\0"):
        if not item:
            continue
        full = os.path.normpath(os.path.join(root, item))
        if item.endswith("/"):
            directories.append(full + os.sep)
        else:
            files.add(full)
    return files, frozenset(directories)


def _walk(root: str, outside: list[str] | None) -> Iterator[str]:
    real_root = os.path.realpath(root)
    followed: set[str] = set()
    ignored = git_ignored(root)
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        if ignored is not None and ignored[1]:
            subdirs[:] = [
                d
                for d in subdirs
                if os.path.normpath(os.path.join(directory, d)) + os.sep not in ignored[1]
            ]
        followed |= _followed_by(directory, files)
        for name in sorted(files):
            if name.lower().endswith(LINTABLE_SUFFIXES):
                full = os.path.join(directory, name)
                if ignored is not None and os.path.normpath(full) in ignored[0]:
                    continue
                if followed and os.path.realpath(full) in followed:
                    continue
                if os.path.islink(full) and not _inside(os.path.realpath(full), real_root):
                    if outside is not None:
                        outside.append(full)
                    continue
                if os.path.isfile(full):
                    yield full


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
