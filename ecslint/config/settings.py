"""The settings of one run: the config file (if any) merged with the command line.

Without a config file nothing here imports pydantic or YAML. With one,
:func:`load_settings` validates it (``ecslint.config.model``) and :func:`build_rules`
turns it into the catalog and enabled rules the linter runs: custom rules added,
params and severities overridden, select / extend-select / ignore applied.
"""

from __future__ import annotations

import os
from pathlib import Path

from ecslint.catalog import Catalog, CatalogError, Rule
from ecslint.config.file import ConfigError, Located, find_config, read_config_file
from ecslint.config.globs import matches
from ecslint.config.selection import SelectionError, choose_rules, resolve
from ecslint.model import PathParts, Severity
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


class ConfigSuppression(Record):
    rules: list[str]
    files: str
    family: str | None
    container: str | None
    reason: str
    #: Where it is written, for notes about it.
    origin: str = ""


class Settings:
    """The settings in effect: the defaults, or a config file's merged into them."""

    __slots__ = (
        "baseline",
        "config_file",
        "custom_rules",
        "exclude",
        "extend_select",
        "fail_on",
        "ignore",
        "located",
        "min_severity",
        "params",
        "per_file_ignores",
        "root",
        "select",
        "severity",
        "suppressions",
    )

    def __init__(
        self,
        *,
        config_file: Path | None = None,
        root: Path | None = None,
        select: list[str] | None = None,
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
        severity: dict[str, str] | None = None,
        params: dict[str, dict[str, Any]] | None = None,
        exclude: list[str] | None = None,
        per_file_ignores: dict[str, list[str]] | None = None,
        fail_on: str = "warning",
        baseline: Path | None = None,
        located: Located | None = None,
        min_severity: str | None = None,
    ) -> None:
        self.config_file = config_file
        #: What globs and relative paths in the config are relative to.
        self.root = Path(os.getcwd()) if root is None else root
        self.select = select
        self.extend_select = extend_select or []
        self.ignore = ignore or []
        self.severity = severity or {}
        self.params = params or {}
        self.exclude = exclude or []
        self.per_file_ignores = per_file_ignores or {}
        self.fail_on = fail_on
        self.baseline = baseline
        #: Show only findings at or above this severity (None: all of them).
        self.min_severity = min_severity
        self.custom_rules: list[Rule] = []
        self.suppressions: list[ConfigSuppression] = []
        self.located = located

    # --- paths ---------------------------------------------------------------------

    def relative(self, file: str) -> str:
        """``file`` relative to the config's directory, with forward slashes; a name that is
        not a path (``<stdin>``, ``aws://ecs/eu-west-1/web:3``) as it is."""
        if file == "<stdin>" or "://" in file:
            return file
        try:
            relative = os.path.relpath(os.path.abspath(file), self.root)
        except ValueError:  # another drive on Windows
            return Path(file).as_posix()
        return Path(relative).as_posix()

    def excluded(self, file: str) -> bool:
        relative = self.relative(file)
        return any(matches(pattern, relative) for pattern in self.exclude)

    def error(self, parts: PathParts, message: str) -> ConfigError:
        if self.located is None:
            return ConfigError(message)
        return self.located.error(parts, message)

    def to_dict(self) -> dict[str, Any]:
        """The merged settings as ``ecslint config show`` prints them (config-file keys)."""
        return {
            "config-file": str(self.config_file) if self.config_file else None,
            "select": self.select,
            "extend-select": self.extend_select,
            "ignore": self.ignore,
            "severity": self.severity,
            "params": self.params,
            "exclude": self.exclude,
            "per-file-ignores": self.per_file_ignores,
            "fail-on": self.fail_on,
            "min-severity": self.min_severity,
            "baseline": str(self.baseline) if self.baseline else None,
            "custom-rules": [
                {"id": r.id, "name": r.name, "check": r.check, "origin": r.origin}
                for r in self.custom_rules
            ],
            "suppressions": [
                {k: v for k, v in s._asdict().items() if k != "origin" and v is not None}
                for s in self.suppressions
            ],
        }


def load_settings(config: str | None = None, isolated: bool = False) -> Settings:
    """Defaults, or the settings of ``config`` / the config file found from the cwd."""
    if isolated:
        return Settings()
    path = Path(config) if config else find_config()
    if path is None:
        return Settings()
    from ecslint.config.model import parse_config, resolve_path

    located = read_config_file(path)
    model = parse_config(located)
    root = Path(os.path.abspath(path)).parent
    settings = Settings(
        config_file=path,
        root=root,
        select=model.select,
        extend_select=list(model.extend_select),
        ignore=list(model.ignore),
        severity=dict(model.severity),
        params={key: dict(value) for key, value in model.params.items()},
        exclude=list(model.exclude),
        per_file_ignores={key: list(value) for key, value in model.per_file_ignores.items()},
        fail_on=model.fail_on or "warning",
        min_severity=model.min_severity,
        baseline=resolve_path(root, model.baseline) if model.baseline else None,
        located=located,
    )
    settings.suppressions = [
        ConfigSuppression(
            s.rules,
            s.files,
            s.family,
            s.container,
            s.reason,
            f"{path}:{located.line_of(('suppressions', i)) or '?'}",
        )
        for i, s in enumerate(model.suppressions)
    ]
    _check_globs(settings)
    from ecslint.catalog.custom import load_custom_rules

    settings.custom_rules = load_custom_rules(located, root)
    return settings


def _check_globs(settings: Settings) -> None:
    """A glob that cannot be compiled is a config error now, not a traceback later."""
    import re
    from fnmatch import translate

    from ecslint.config.globs import compile_glob

    paths: list[tuple[PathParts, str]] = [
        (("exclude", i), pattern) for i, pattern in enumerate(settings.exclude)
    ]
    paths += [(("per-file-ignores", pattern), pattern) for pattern in settings.per_file_ignores]
    names: list[tuple[PathParts, str]] = []
    for n, entry in enumerate(settings.suppressions):
        paths.append((("suppressions", n, "files"), entry.files))
        for key, value in (("family", entry.family), ("container", entry.container)):
            if value is not None:
                names.append((("suppressions", n, key), value))
    for parts, pattern in [*paths, *names]:
        try:
            if (parts, pattern) in paths:
                compile_glob(pattern)
            else:
                re.compile(translate(pattern))
        except re.error as exc:
            raise settings.error(parts, f"bad glob {pattern!r}: {exc}") from None


def build_rules(
    settings: Settings,
    builtin: Catalog,
    cli_select: list[str] | None = None,
    cli_ignore: list[str] | None = None,
) -> tuple[Catalog, list[Rule]]:
    """The catalog of this run (with overrides) and its enabled rules.

    ``--select`` replaces the config's select and extend-select; ``--ignore``
    adds to its ignore.
    """
    for rule in settings.custom_rules:
        taken = builtin.by_id.get(rule.id) or builtin.by_name.get(rule.name)
        if taken is not None:
            what = f"id {rule.id}" if taken.id == rule.id else f"slug {rule.name!r}"
            raise ConfigError(
                f"{rule.origin}: {what} is already used by the built-in rule {taken.id}"
            )
    try:
        catalog = builtin.extended(settings.custom_rules)
    except CatalogError as exc:
        raise ConfigError(str(exc)) from None
    if settings.custom_rules or settings.params:
        from ecslint.config.params import check_params

        catalog = check_params(settings, catalog)
    if settings.severity:
        catalog = _override_severity(settings, catalog)
    selector_lists = (
        ("extend-select", settings.extend_select),
        ("ignore", settings.ignore),
        ("select", settings.select or []),
    )
    for key, selectors in selector_lists:
        for i, selector in enumerate(selectors):
            _resolve_one(settings, catalog, selector, (key, i))
    for pattern, selectors in settings.per_file_ignores.items():
        for i, selector in enumerate(selectors):
            _resolve_one(settings, catalog, selector, ("per-file-ignores", pattern, i))
    for n, suppression in enumerate(settings.suppressions):
        for i, selector in enumerate(suppression.rules):
            _resolve_one(settings, catalog, selector, ("suppressions", n, "rules", i))
    if cli_select:
        select, extend = cli_select, []
    else:
        select, extend = settings.select or [], settings.extend_select
    try:
        enabled = choose_rules(catalog, select, [*settings.ignore, *(cli_ignore or [])], extend)
    except SelectionError as exc:
        raise ConfigError(str(exc)) from None
    return catalog, enabled


def _resolve_one(settings: Settings, catalog: Catalog, selector: str, parts: PathParts) -> set[str]:
    try:
        return resolve(catalog, [selector])
    except SelectionError as exc:
        raise settings.error(parts, str(exc)) from None


def _override_severity(settings: Settings, catalog: Catalog) -> Catalog:
    severities: dict[str, Severity] = {}
    for selector, label in settings.severity.items():
        for rule_id in _resolve_one(settings, catalog, selector, ("severity", selector)):
            severities[rule_id] = Severity.parse(label)
    return Catalog(
        rule._replace(severity=severities[rule.id]) if rule.id in severities else rule
        for rule in catalog
    )
