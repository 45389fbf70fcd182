"""Baselines: today's findings recorded, so a legacy repository fails only on new ones.

An entry is keyed by file, family, container name, rule and JSON pointer with the
container index replaced by the container's name; never by line numbers, so
reformatting a file or reordering its containers keeps it matching. File paths
are stored relative to the baseline file's directory.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from ecslint.model import Finding, from_pointer, to_pointer

VERSION = 1
Key = tuple[str, str, str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names it."""


def stable_pointer(finding: Finding) -> str:
    """``finding.path`` with ``/containerDefinitions/<index>`` named by its container."""
    if finding.container is None:
        return finding.path
    parts = list(from_pointer(finding.path))
    for i in range(len(parts) - 1):
        key = str(parts[i]).replace("_", "").lower()  # CloudFormation, Terraform spellings
        if key == "containerdefinitions" and isinstance(parts[i + 1], int):
            parts[i + 1] = f"[{finding.container}]"
            break
    return to_pointer(tuple(parts))


def _relative(file: str, base: Path) -> str:
    if file == "<stdin>" or "://" in file:  # not a path: aws://ecs/<region>/<family>:<rev>
        return file
    try:
        return Path(os.path.relpath(os.path.abspath(file), base)).as_posix()
    except ValueError:
        return Path(file).as_posix()


def key_of(finding: Finding, base: Path) -> Key:
    return (
        _relative(finding.file, base),
        finding.family or "",
        finding.container or "",
        finding.rule,
        stable_pointer(finding),
    )


class Baseline:
    """A baseline file's entries, each matching one finding of this run."""

    __slots__ = ("path", "remaining")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.remaining: Counter[Key] = Counter()

    @property
    def base(self) -> Path:
        return Path(os.path.abspath(self.path)).parent

    def take(self, finding: Finding) -> bool:
        """Whether ``finding`` is in the baseline (each entry matches one finding)."""
        key = key_of(finding, self.base)
        if self.remaining[key] > 0:
            self.remaining[key] -= 1
            return True
        return False

    def stale(self, files: set[str]) -> int:
        """Entries for ``files`` (as linted) that matched no finding: fixed since."""
        linted = {_relative(file, self.base) for file in files}
        return sum(count for key, count in self.remaining.items() if key[0] in linted and count)


def read_baseline(path: Path) -> Baseline:
    from ecslint.safeio import FileError, load_json, read_text

    try:
        data = load_json(read_text(path))
    except FileError as exc:
        if exc.missing:
            raise BaselineError(f"{path}: no such baseline file") from None
        raise BaselineError(f"{path}: cannot read the baseline: {exc.message}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a baseline file: {exc}") from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or data.get("version") != VERSION:
        raise BaselineError(f"{path}: not an ecslint baseline (version {VERSION})")
    baseline = Baseline(path)
    for entry in entries:
        if not isinstance(entry, dict):
            raise BaselineError(f"{path}: an entry is not an object")
        fields = ("file", "family", "container", "rule", "pointer")
        key = tuple(str(entry.get(name) or "") for name in fields)
        baseline.remaining[key] += 1  # type: ignore[index]
    return baseline


def write_baseline(path: Path, findings: list[Finding]) -> int:
    base = Path(os.path.abspath(path)).parent
    entries = []
    for finding in findings:
        file, family, container, rule, pointer = key_of(finding, base)
        entries.append(
            {
                "file": file,
                "family": family or None,
                "container": container or None,
                "rule": rule,
                "pointer": pointer,
                "message": finding.message,
            }
        )
    entries.sort(
        key=lambda e: (e["file"], e["family"] or "", e["container"] or "", e["rule"], e["pointer"])
    )
    document = {"version": VERSION, "tool": "ecslint", "entries": entries}
    from ecslint.safeio import write_text

    write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return len(entries)
