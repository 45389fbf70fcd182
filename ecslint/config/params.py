"""Rule params from the config, checked against what each check accepts.

A built-in rule's params are the ones its YAML entry lists, with values of the
same types; the ``json-schema`` check validates its own; a plugin's check takes
what its rule gives. A custom rule must name a check that exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ecslint.catalog import Catalog, Rule
from ecslint.model import PathParts

if TYPE_CHECKING:
    from ecslint.config.settings import Settings


def check_params(settings: Settings, catalog: Catalog, builtin: Catalog) -> Catalog:
    from ecslint.checks import UnknownCheck, get_check

    custom = {rule.id for rule in settings.custom_rules}
    overrides: dict[str, tuple[dict[str, Any], PathParts]] = {}
    for key, params in settings.params.items():
        rule = catalog.get(key)
        if rule is None:
            raise settings.error(("params", key), f"unknown rule {key!r} (an id or a slug)")
        overrides[rule.id] = (params, ("params", key))
    rules: list[Rule] = []
    for rule in catalog:
        params = rule.params
        where: PathParts = ("params", rule.id)
        if rule.id in custom:
            try:
                get_check(rule.check)
            except UnknownCheck:
                raise _rule_error(
                    settings, rule, f"unknown check {rule.check!r} (a built-in or plugin check)"
                ) from None
        if rule.id in overrides:
            given, where = overrides[rule.id]
            params = {**params, **given}
        if rule.id in custom or rule.id in overrides:
            found = _problem(rule, params, builtin)
            if found is not None:
                name, problem = found
                if rule.id in overrides:
                    raise settings.error((*where, name) if name else where, problem)
                raise _rule_error(settings, rule, problem)
            rule = rule._replace(params=params)
        rules.append(rule)
    return Catalog(rules)


def _rule_error(settings: Settings, rule: Rule, message: str) -> Exception:
    from ecslint.config.file import ConfigError

    return ConfigError(f"{rule.origin}: rule {rule.id}: {message}")


def _problem(
    rule: Rule, params: Mapping[str, Any], builtin: Catalog
) -> tuple[str | None, str] | None:
    """(the param it is about, why) when ``params`` cannot configure ``rule``'s check."""
    if rule.check == "json-schema":
        from ecslint.checks.generic import validate_params

        problem = validate_params(params)
        return (None, problem) if problem else None
    accepted = _accepted(rule, builtin)
    if accepted is None:
        return None  # a plugin's check: its params are its own business
    for name, value in params.items():
        if name not in accepted:
            known = ", ".join(sorted(accepted)) or "none"
            return name, f"{rule.id} ({rule.check}) takes no param {name!r} (it takes: {known})"
        expected = accepted[name]
        if not _same_type(expected, value):
            return name, (
                f"param {name!r} of {rule.id} must be a {_type_name(expected)}, "
                f"not {_type_name(value)}"
            )
    return None


def _accepted(rule: Rule, builtin: Catalog) -> dict[str, Any] | None:
    """Params (with example values) that built-in rules pass to ``rule``'s check."""
    users = [r for r in builtin if r.check == rule.check]
    if not users:
        return None
    accepted: dict[str, Any] = {}
    for user in users:
        accepted.update(user.params)
    return accepted


def _same_type(expected: Any, value: Any) -> bool:
    if expected is None or value is None:
        return True
    if isinstance(expected, bool) or isinstance(value, bool):
        return isinstance(expected, bool) and isinstance(value, bool)
    if isinstance(expected, (int, float)):
        return isinstance(value, (int, float)) and (
            isinstance(expected, float) or isinstance(value, int)
        )
    return isinstance(value, type(expected))


def _type_name(value: Any) -> str:
    return {
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "list",
        dict: "mapping",
    }.get(type(value), type(value).__name__)
