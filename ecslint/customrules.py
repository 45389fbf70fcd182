"""Custom rules from the config: inline mappings, or YAML files in the format of ``rules/``.

A rules file holds one rule, a list of rules, or ``rules: [...]``. Each rule is
validated (``ecslint.config.CustomRule``); a bad one is a config error naming the
file and line.
"""

from __future__ import annotations

from pathlib import Path

from ecslint.catalog import Rule
from ecslint.configfile import ConfigError, Located, read_yaml_file, shown
from ecslint.model import PathParts


def load_custom_rules(config: Located, root: Path) -> list[Rule]:
    from ecslint.config import resolve_path

    items = config.value.get("custom-rules", config.value.get("custom_rules")) or []
    key = "custom-rules" if "custom-rules" in config.value else "custom_rules"
    rules: list[Rule] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            path = resolve_path(root, item)
            if not path.is_file():
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


def _rule(located: Located, parts: PathParts) -> Rule:
    from ecslint.config import parse_custom_rule

    if not isinstance(located.get(parts), dict):
        raise located.error(parts, "a rule must be a mapping")
    model = parse_custom_rule(located, parts)
    line = located.line_of(parts)
    return Rule.from_mapping(
        model.model_dump(), f"{located.file}:{line}" if line else str(located.file)
    )
