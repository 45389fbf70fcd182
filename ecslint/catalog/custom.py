"""Custom rules from the config: inline mappings, or YAML files in the format of ``rules/``.

A rules file holds one rule, a list of rules, or ``rules: [...]``. Each rule is
validated against ``schemas/rule.schema.json`` (the format of ``rules/``), and
must not take a built-in ``ECS`` id; a bad one is a config error naming the
file and line.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ecslint.catalog import Rule
from ecslint.config.file import ConfigError, Located, read_yaml_file, shown
from ecslint.model import PathParts


def load_custom_rules(config: Located, root: Path) -> list[Rule]:
    from ecslint.config.model import resolve_path

    items = config.value.get("custom-rules", config.value.get("custom_rules")) or []
    key = "custom-rules" if "custom-rules" in config.value else "custom_rules"
    rules: list[Rule] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            path = resolve_path(root, item)
            if not path.exists():
                raise config.error((key, i), f"no such rules file: {path}")
            rules.extend(load_rules_file(shown(path)))
        else:
            rules.append(_rule(config, (key, i)))
    return rules


def load_rules_file(path: Path) -> list[Rule]:
    located = read_yaml_file(path)
    data = located.value
    prefix: PathParts = ()
    if isinstance(data, dict) and "rules" in data:
        data, prefix = data["rules"], ("rules",)
    if isinstance(data, list):
        return [_rule(located, (*prefix, i)) for i in range(len(data))]
    if isinstance(data, dict):
        return [_rule(located, prefix)]
    raise ConfigError(f"{path}: a rules file holds a rule, a list of rules, or rules: [...]")


BUILTIN_PREFIX = "ECS"


def _rule(located: Located, parts: PathParts) -> Rule:
    data = located.get(parts)
    if not isinstance(data, dict):
        raise located.error(parts, "a rule must be a mapping")
    problem = _schema_problem(data)
    if problem is not None:
        where, message = problem
        raise located.error((*parts, *where), message)
    if "reports_schema" in data:
        raise located.error(
            (*parts, "reports_schema"), "only built-in rules take over schema limits"
        )
    if str(data["id"]).upper().startswith(BUILTIN_PREFIX):
        raise located.error(
            (*parts, "id"), f"ids starting with {BUILTIN_PREFIX} are reserved for built-in rules"
        )
    line = located.line_of(parts)
    return Rule.from_mapping(data, f"{located.file}:{line}" if line else str(located.file))


def _schema_problem(data: dict[str, object]) -> tuple[PathParts, str] | None:
    """Where and why ``data`` is not a rule by ``schemas/rule.schema.json``, or None."""
    errors = sorted(_rule_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    if not errors:
        return None
    error = errors[0]
    path: PathParts = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(key) for key in error.instance if key not in allowed)
        if extra:
            return (*path, extra[0]), "unknown key"
    return path, error.message


@cache
def _rule_validator() -> Any:
    import json

    from jsonschema.validators import (  # type: ignore[import-untyped,unused-ignore]
        Draft202012Validator,
    )

    from ecslint.datafiles import schemas_dir

    document = json.loads((schemas_dir() / "rule.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator({"$defs": document["$defs"], "$ref": "#/$defs/Rule"})
