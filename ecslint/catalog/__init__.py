"""The rule catalog: every rule is one YAML file in ``rules/<concern>/`` naming a check.

A run reads the built-in rules from ``builtin.json`` beside this module, an index
generated from the YAML by ``tools/generate_catalog.py`` (and drift-tested like the
docs), so a cold ``ecslint check`` parses no YAML. The index holds what a run
needs; a rule's long docs are read from its YAML file the first time something
asks for them (SARIF rule help, ``ecslint rule``, the docs generator).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ecslint.datafiles import rules_dir
from ecslint.model import Severity
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: The generated index of the built-in rules, and their long docs by id.
INDEX_PATH = Path(__file__).resolve().parent / "builtin.json"
DOCS_PATH = INDEX_PATH.with_name("docs.json")
GENERATOR = "python tools/generate_catalog.py"
#: What a rule's ``autofix`` says about a fix for its findings.
AUTOFIX = ("safe", "unsafe", "none")


@functools.lru_cache(maxsize=1024)
def _one_line(text: object) -> str | None:
    """A rule's fix hint folded onto one line."""
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


class Rule(Record):
    id: str
    name: str
    severity: Severity
    check: str
    summary: str
    params: dict[str, Any] = {}  # noqa: RUF012 - never mutated; from_mapping copies
    #: The one-line fix hint shown with each finding (``docs.fix``, folded).
    fix: str | None = None
    #: safe | unsafe | none: whether (and how safely) a finding of this rule can be fixed.
    autofix: str = "none"
    origin: str = ""
    #: The opt-in set the rule belongs to (``hardening``), or None: a rule of a set runs
    #: only when a selector names it, its set, or ALL (never by default or by a prefix).
    opt_in: str | None = None
    #: ``docs`` as parsed, or None for a built-in rule from the index (read on first use).
    loaded_docs: dict[str, Any] | None = None

    @property
    def docs(self) -> dict[str, Any]:
        if self.loaded_docs is not None:
            return self.loaded_docs
        return _builtin_docs().get(self.id, {}) if self.origin else {}

    @classmethod
    def from_mapping(cls, data: dict[str, Any], origin: str) -> Rule:
        try:
            docs = dict(data.get("docs") or {})
            autofix = str(data.get("autofix") or "none")
            if autofix not in AUTOFIX:
                raise ValueError(f"autofix must be one of {', '.join(AUTOFIX)}, not {autofix!r}")
            return cls(
                id=str(data["id"]),
                name=str(data["name"]),
                severity=Severity.parse(str(data["severity"])),
                check=str(data.get("check") or data["name"]),
                summary=str(data["summary"]).strip(),
                params=dict(data.get("params") or {}),
                fix=_one_line(docs.get("fix")),
                autofix=autofix,
                origin=origin,
                opt_in=str(data["opt-in"]) if data.get("opt-in") else None,
                loaded_docs=docs,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"{origin}: bad rule: {exc}") from None


@functools.cache
def _builtin_docs() -> dict[str, dict[str, Any]]:
    """The long docs of the built-in rules by id, from ``docs.json`` (generated like the
    index, and read only by what prints docs: all of SARIF's rule help would cost a
    third more instructions than the whole cold run if it parsed every YAML file)."""
    try:
        docs: dict[str, dict[str, Any]] = json.loads(DOCS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{DOCS_PATH}: unreadable ({exc}); run {GENERATOR}") from None
    return docs


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
    """The built-in rules, from the generated index (no YAML is parsed)."""
    return Catalog(builtin_rules())


@functools.cache
def builtin_rules() -> tuple[Rule, ...]:
    """The built-in rules as the index gives them (read once: rules are immutable)."""
    return tuple(_load_index(INDEX_PATH, rules_dir()))


def _load_index(index: Path, directory: Path) -> list[Rule]:
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
        return [
            Rule(
                id=item["id"],
                name=item["name"],
                severity=Severity.parse(item["severity"]),
                check=item["check"],
                summary=item["summary"],
                params=item["params"],
                fix=item["fix"],
                autofix=item["autofix"],
                origin=os.path.join(directory, item["file"]),
                opt_in=item["opt_in"],
            )
            for item in data["rules"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"{index}: unreadable rule index ({exc}); run {GENERATOR}") from None


def render_index(rules: Iterable[Rule], directory: Path) -> str:
    """The text of ``builtin.json`` for ``rules`` read from ``directory`` (one rule a line)."""
    lines = []
    for rule in sorted(rules, key=lambda r: r.id):
        item = {
            "id": rule.id,
            "name": rule.name,
            "severity": rule.severity.label,
            "check": rule.check,
            "summary": rule.summary,
            "params": rule.params,
            "fix": rule.fix,
            "autofix": rule.autofix,
            "opt_in": rule.opt_in,
            "file": Path(rule.origin).relative_to(directory).as_posix(),
        }
        lines.append(json.dumps(item))
    header = '{"generated_by": "python tools/generate_catalog.py", "rules": [\n'
    return header + ",\n".join(lines) + "\n]}\n"


def render_docs(rules: Iterable[Rule]) -> str:
    """The text of ``docs.json``: each rule's ``docs`` by id (one rule a line)."""
    lines = [
        f"{json.dumps(rule.id)}:{json.dumps(rule.docs, separators=(',', ':'))}"
        for rule in sorted(rules, key=lambda r: r.id)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


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
