"""Finding and reading the configuration file, without pydantic.

Looks in the working directory and its parents, up to the repository root, for
``.ecslint.yaml`` (or ``.yml``) or a ``pyproject.toml`` with ``[tool.ecslint]``;
the nearest one wins. Values are read with their positions, so an error can
name the file and line of the key it is about.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from ecslint.config.repo import repo_root
from ecslint.model import PathParts
from ecslint.records import Record

YAML_NAMES = (".ecslint.yaml", ".ecslint.yml")
PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file, line and key."""


class Located(Record):
    """A value read from a config or rules file, with a way to find a key's line."""

    file: Path
    value: Any
    text: str = ""
    #: Line of each path (YAML only); TOML lines are found by searching the text.
    lines: dict[PathParts, int] | None = None
    #: The path of ``value`` inside the file (``tool.ecslint`` in pyproject.toml).
    section: str = ""

    def get(self, parts: PathParts) -> Any:
        node = self.value
        for part in parts:
            node = node[part]
        return node

    def line_of(self, parts: PathParts) -> int | None:
        if self.lines is not None:
            probe = parts
            while probe not in self.lines and probe:
                probe = probe[:-1]
            return self.lines.get(probe)
        keys = [part for part in parts if isinstance(part, str)]
        if not keys or not self.text:
            return None
        section = self.text.find("[tool.ecslint")
        match = re.compile(rf"^\s*\"?{re.escape(keys[-1])}\"?\s*=", re.M).search(
            self.text, max(section, 0)
        )
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    def error(self, parts: PathParts, message: str) -> ConfigError:
        key = ".".join(str(part) for part in parts)
        if self.section:
            key = f"{self.section}.{key}" if key else self.section
        line = self.line_of(parts)
        where = f"{self.file}:{line}" if line else str(self.file)
        return ConfigError(f"{where}: {key}: {message}" if key else f"{where}: {message}")


def find_config(start: str | None = None) -> Path | None:
    """The nearest config file at or above ``start`` (default: cwd), up to the repository root."""
    directory = Path(os.path.abspath(start or os.getcwd()))
    top = repo_root(str(directory))
    for candidate in (directory, *directory.parents):
        for name in YAML_NAMES:
            if (candidate / name).is_file():
                return shown(candidate / name)
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_section(pyproject):
            return shown(pyproject)
        if top is not None and candidate == top:
            break
    return None


def shown(path: Path) -> Path:
    """``path`` relative to the working directory, as messages name it."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path


def _has_tool_section(path: Path) -> bool:
    from ecslint.safeio import FileError, read_text

    try:
        text = read_text(path)
    except FileError:
        return False
    return re.search(r"^\s*\[\s*tool\.ecslint\s*[\].]", text, re.M) is not None


def read_config_file(path: Path) -> Located:
    """The settings in ``path``: a YAML mapping, or the ``[tool.ecslint]`` table."""
    if path.name == PYPROJECT or path.suffix == ".toml":
        return _read_toml(path)
    return read_yaml_file(path)


def read_yaml_file(path: Path) -> Located:
    from ecslint.load.source import LoadError
    from ecslint.load.yaml_doc import load_yaml

    text = read_config_text(path)
    try:
        if "&" in text and "*" in text:
            _refuse_recursive_aliases(text)
        value, index, duplicates = load_yaml(text)
    except LoadError as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc.message}") from None
    lines = {parts: index.span(offsets).line for parts, offsets in index.keys.items()}
    for parts, offsets in index.values.items():
        lines.setdefault(parts, index.span(offsets).line)
    located = Located(path, {} if value is None else value, text, lines)
    if duplicates:
        raise located.error(duplicates[0][0], "key appears more than once")
    return located


def read_config_text(path: Path) -> str:
    """The text of a config or custom-rule file, through the one bounded reader."""
    from ecslint.safeio import FileError, read_text

    try:
        return read_text(path)
    except FileError as exc:
        if exc.missing:
            raise ConfigError(f"{path}: no such file") from None
        raise ConfigError(f"{path}: cannot read: {exc.message}") from None


def _refuse_recursive_aliases(text: str) -> None:
    """An alias inside its own anchor (``a: &a [*a]``) would expand forever; refuse it."""
    import yaml

    from ecslint.load.source import LoadError

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return  # load_yaml reports it with a position
    # Depth-first with the current ancestry; a node that is its own ancestor is a cycle.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)] if root is not None else []
    ancestry: set[int] = set()
    done: set[int] = set()  # explored without a cycle: shared aliases are walked once
    while stack:
        node, leaving = stack.pop()
        if leaving:
            ancestry.discard(id(node))
            done.add(id(node))
            continue
        if id(node) in done:
            continue
        if id(node) in ancestry:
            mark = node.start_mark
            raise LoadError("a YAML alias refers to itself", mark.line + 1, mark.column + 1)
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            ancestry.add(id(node))
            stack.append((node, True))
            children = (
                node.value
                if isinstance(node, yaml.SequenceNode)
                else [item for pair in node.value for item in pair]
            )
            stack.extend((child, False) for child in children)


def _read_toml(path: Path) -> Located:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    text = read_config_text(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    section = data.get("tool", {}).get("ecslint") if path.name == PYPROJECT else data
    if section is None:
        raise ConfigError(f"{path}: no [tool.ecslint] table")
    name = "tool.ecslint" if path.name == PYPROJECT else ""
    return Located(path, section, text, None, name)
