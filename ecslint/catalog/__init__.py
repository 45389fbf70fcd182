"""The rule catalog: every rule is one YAML file in ``rules/<concern>/`` naming a check.

Parsed YAML is cached as JSON keyed by the files' names, sizes and mtimes, so a
cold ``ecslint check`` does not pay for parsing a hundred YAML files each run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ecslint import __version__
from ecslint.datafiles import rules_dir
from ecslint.model import Severity


@functools.lru_cache(maxsize=1024)
def _one_line(text: object) -> str | None:
    """A rule's fix hint folded onto one line (asked for once per finding)."""
    return " ".join(text.split()) if isinstance(text, str) and text.strip() else None


#: Ids (and slugs) of rules that were removed: never reused, still accepted by selectors
#: (an ``ignore: [ECS520]`` written before the removal keeps working, and does nothing).
RETIRED: dict[str, tuple[str, str]] = {
    "ECS520": (
        "health-check-timeout-not-below-interval",
        "Docker runs health-check probes one after another (the interval counts from the end"
        " of the previous probe), so a timeout at or above the interval never overlaps probes",
    ),
}


def retired(selector: str) -> tuple[str, str, str] | None:
    """(id, slug, why) when ``selector`` names a retired rule by id or slug."""
    text = selector.strip()
    for rule_id, (slug, why) in RETIRED.items():
        if text.upper() == rule_id or text.lower() == slug:
            return rule_id, slug, why
    return None


class CatalogError(Exception):
    """A rule file that cannot be used; the message names the file."""


class Rule(NamedTuple):
    id: str
    name: str
    severity: Severity
    check: str
    summary: str
    params: dict[str, Any] = {}  # noqa: RUF012 - never mutated; from_mapping copies
    docs: dict[str, Any] = {}  # noqa: RUF012
    origin: str = ""
    #: The opt-in set the rule belongs to (``hardening``), or None: a rule of a set runs
    #: only when a selector names it, its set, or ALL (never by default or by a prefix).
    opt_in: str | None = None
    #: Whether the rule's findings come with a fix: safe, unsafe (changes behaviour), none.
    autofix: str = "none"

    @property
    def fix(self) -> str | None:
        return _one_line(self.docs.get("fix"))

    @classmethod
    def from_mapping(cls, data: dict[str, Any], origin: str) -> Rule:
        try:
            return cls(
                id=str(data["id"]),
                name=str(data["name"]),
                severity=Severity.parse(str(data["severity"])),
                check=str(data.get("check") or data["name"]),
                summary=str(data["summary"]).strip(),
                params=dict(data.get("params") or {}),
                docs=dict(data.get("docs") or {}),
                origin=origin,
                opt_in=str(data["opt-in"]) if data.get("opt-in") else None,
                autofix=_autofix(data.get("autofix", "none")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"{origin}: bad rule: {exc}") from None


AUTOFIX = ("safe", "unsafe", "none")


def _autofix(value: object) -> str:
    if value not in AUTOFIX:
        raise ValueError(f"autofix must be one of {', '.join(AUTOFIX)}, not {value!r}")
    return str(value)


class Catalog:
    """Rules by id, with lookups by id, id prefix or slug."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: list[Rule] = sorted(rules, key=lambda r: r.id)
        self.by_id: dict[str, Rule] = {}
        self.by_name: dict[str, Rule] = {}
        for rule in self.rules:
            gone = retired(rule.id) or retired(rule.name)
            if gone is not None:
                raise CatalogError(f"{rule.origin}: {gone[0]} ({gone[1]}) is retired, never reused")
            for table, key in ((self.by_id, rule.id), (self.by_name, rule.name)):
                if key in table:
                    raise CatalogError(
                        f"{rule.origin}: {key} is already used by {table[key].origin}"
                    )
                table[key] = rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, key: str) -> Rule | None:
        return self.by_id.get(key.upper()) or self.by_name.get(key.lower())

    @property
    def opt_in_sets(self) -> set[str]:
        """The names of the opt-in sets the rules belong to (``hardening``)."""
        return {rule.opt_in for rule in self.rules if rule.opt_in}

    def match(self, selector: str, opt_in: bool = True) -> list[Rule]:
        """Rules named by an id (ECS101), an id prefix (ECS1, ECS), a slug, an opt-in set's
        name (hardening), or ALL.

        With ``opt_in`` false (what select and extend-select ask), a prefix leaves out the
        rules of opt-in sets: they run only when named by id, slug, set or ALL.
        """
        text = selector.strip()
        if text.upper() == "ALL":
            return list(self.rules)
        rule = self.get(text)
        if rule is not None:
            return [rule]
        lower = text.lower()
        if any(r.opt_in == lower for r in self.rules):
            return [r for r in self.rules if r.opt_in == lower]
        upper = text.upper()
        if upper.startswith("ECS") or re.fullmatch(r"[A-Z]+[0-9]*", upper):
            return [
                r for r in self.rules if r.id.startswith(upper) and (opt_in or r.opt_in is None)
            ]
        return []

    def extended(self, rules: Iterable[Rule]) -> Catalog:
        return Catalog([*self.rules, *rules])


def load_builtin_catalog() -> Catalog:
    return Catalog(_load_dir(rules_dir()))


def load_rule_file(path: Path) -> list[Rule]:
    """A YAML file of one rule (a mapping) or several (a list, or ``rules:``)."""
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_yaml_loader())
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: invalid YAML: {exc}") from None
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    items = data if isinstance(data, list) else [data]
    rules = []
    for item in items:
        if not isinstance(item, dict):
            raise CatalogError(f"{path}: a rule must be a mapping")
        rules.append(Rule.from_mapping(item, str(path)))
    return rules


def _yaml_loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_dir(directory: Path) -> list[Rule]:
    entries = rule_file_entries(directory)
    key_source = [__version__, str(directory)]
    for entry in entries:
        info = entry.stat()
        key_source.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
    key = hashlib.sha256("\n".join(key_source).encode()).hexdigest()[:20]
    cache_file = _cache_dir() / f"catalog-{key}.json"
    try:
        raw = json.loads(cache_file.read_text(encoding="utf-8"))
        return [Rule.from_mapping(item, item["origin"]) for item in raw]
    except (OSError, ValueError, KeyError, TypeError, CatalogError):
        pass
    rules = [rule for entry in entries for rule in load_rule_file(Path(entry.path))]
    _write_cache(cache_file, rules)
    return rules


def load_rules_dir(directory: Path) -> list[Rule]:
    """Every rule of a ``rules/`` tree, read from its YAML."""
    return [
        rule for entry in rule_file_entries(directory) for rule in load_rule_file(Path(entry.path))
    ]


def rule_file_entries(directory: Path) -> list[os.DirEntry[str]]:
    """The rule files of ``rules/<concern>/``, by concern then file name.

    A concern is the name of the check module (``ecslint/checks/<concern>.py``) that
    holds the checks of the rules in its folder; tests/rules/test_layout.py holds
    every rule to that.
    """
    files: list[os.DirEntry[str]] = []
    for folder in sorted(os.scandir(directory), key=lambda entry: entry.name):
        if folder.is_dir() and not folder.name.startswith((".", "_")):
            files.extend(
                sorted(
                    (e for e in os.scandir(folder.path) if e.name.endswith((".yaml", ".yml"))),
                    key=lambda entry: entry.name,
                )
            )
    return files


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ecslint"


def _write_cache(cache_file: Path, rules: list[Rule]) -> None:
    payload = [
        {
            "id": r.id,
            "name": r.name,
            "severity": r.severity.label,
            "check": r.check,
            "summary": r.summary,
            "params": r.params,
            "docs": r.docs,
            "origin": r.origin,
            "opt-in": r.opt_in,
            "autofix": r.autofix,
        }
        for r in rules
    ]
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(payload), encoding="utf-8")
        os.replace(temporary, cache_file)
    except (OSError, TypeError, ValueError):
        pass  # a read-only home or an unserialisable param only costs speed
