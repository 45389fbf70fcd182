"""Where the bench scripts find the shared corpus, and its task definitions.

``ECSLINT_CORPUS`` names the corpus, as in the tests; otherwise it is ``shared/``
beside the checkout, or beside a worktree's parent folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecslint.load import Target

ROOT = Path(__file__).resolve().parent.parent


def corpus_dir(name: str) -> Path:
    """``corpus/NAME`` of the shared corpus (``taskdef``, ``external``, ...)."""
    named = os.environ.get("ECSLINT_CORPUS")
    if named:
        return Path(named) / name
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "corpus" / name).is_dir():
            return base / "shared" / "corpus" / name
    return ROOT.parent / "shared" / "corpus" / name


TASKDEF_CORPUS = corpus_dir("taskdef")


def load_targets(directory: Path) -> list[tuple[Path, Target]]:
    """Every task definition in the files of ``directory``, with its file."""
    from ecslint.load import LoadError, NotATaskDefinition, detect_targets, parse, read_source

    found: list[tuple[Path, Target]] = []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        try:
            targets = detect_targets(parse(read_source(str(path))))
        except (LoadError, NotATaskDefinition):
            continue
        found.extend((path, target) for target in targets)
    return found
