"""Finding and reading the configuration file, without pydantic.

Looks in a directory (a linted file's, or the working directory) and its parents, up to
the repository root, for ``.ecslint.yaml`` (or ``.yml``) or a ``pyproject.toml`` with
``[tool.ecslint]``; the nearest one wins, as in ruff: each file uses the config in its
own directory or the closest parent, whole (configs are not merged). ``ecslint check``
and the language server both ask :class:`PerConfig`, which makes what a config needs
(settings, rules, a linter) once per config file and finds each directory's config once.
Values are read with their positions, so an error can name the file and line of the key
it is about.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ecslint.model import PathParts
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

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


def find_config(
    start: str | None = None, cache: dict[str, Path | None] | None = None
) -> Path | None:
    """The nearest config file at or above ``start`` (default: cwd), up to the repository root.

    ``cache`` (directory -> what it finds) makes a walk stop at a directory already
    answered, and records the answer of every directory walked: a run over many files
    looks at each directory once (:class:`PerConfig`).
    """
    current = os.path.abspath(start or os.getcwd())
    walked: list[str] = []
    found: Path | None = None
    while True:
        if cache is not None and current in cache:
            found = cache[current]
            break
        walked.append(current)
        found = _own_config(current)
        if found is not None:
            break
        parent = os.path.dirname(current)
        # The repository root (it holds .git) ends the search; outside one, the file system's.
        if parent == current or os.path.exists(os.path.join(current, ".git")):
            break
        current = parent
    if cache is not None:
        for directory in walked:
            cache[directory] = found
    return shown(found) if found is not None else None


def config_of_file(path: str, cache: dict[str, Path | None] | None = None) -> Path | None:
    """The config file that applies to the file at ``path`` (which need not exist): the
    nearest at or above its directory."""
    return find_config(os.path.dirname(os.path.abspath(path)), cache)


def _own_config(directory: str) -> Path | None:
    """The config file of ``directory`` itself, if it has one."""
    for name in YAML_NAMES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return Path(candidate)
    pyproject = os.path.join(directory, PYPROJECT)
    if os.path.isfile(pyproject) and _has_tool_section(Path(pyproject)):
        return Path(pyproject)
    return None


class PerConfig:
    """What ``build`` makes of each config file (None: no config), once per config file.

    Not a ``typing.Generic``: that costs a one-file run's start-up more than the rest of
    the class; callers ``cast`` what they get back to what their ``build`` makes.

    ``watch`` (the language server: files change while it runs) looks for the config
    again on every call and makes anew when the config file's mtime changed; otherwise
    each directory's config is found once and what is made is kept for the run.
    """

    __slots__ = ("_build", "_directories", "_made", "_watch")

    def __init__(self, build: Callable[[Path | None], object], *, watch: bool = False) -> None:
        self._build = build
        self._watch = watch
        #: Directory (absolute) -> its nearest config, filled as directories are walked.
        self._directories: dict[str, Path | None] = {}
        #: Config file as named ("" for none) -> (its mtime when made, what was made).
        self._made: dict[str, tuple[int, object]] = {}

    def config_of(self, path: str) -> Path | None:
        """The config file that applies to the file at ``path`` (which need not exist)."""
        return config_of_file(path, None if self._watch else self._directories)

    def for_file(self, path: str) -> object:
        return self.for_config(self.config_of(path))

    def for_directory(self, directory: str) -> object:
        """What applies to a file in ``directory`` (stdin, read as if it were there)."""
        return self.for_file(os.path.join(directory, "-"))

    def for_config(self, config: Path | None) -> object:
        name = str(config) if config is not None else ""
        stamp = _mtime(name) if self._watch and name else 0
        made = self._made.get(name)
        if made is None or made[0] != stamp:
            made = self._made[name] = (stamp, self._build(config))
        return made[1]


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


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
