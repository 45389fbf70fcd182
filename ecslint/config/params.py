"""Rule params from the config, checked against what each check declares it takes.

A check declares its params once, with their types and defaults
(``@check("name", params={"max": Param(int, 10, "...")})``); a config's
``params:`` override and a custom rule's ``params`` are checked against that
declaration here, before any file is linted, so a bad value is a config error
naming the file and key. A plugin's check that declares nothing takes what its
rule gives. A custom rule must name a check that exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ecslint.catalog import Catalog, Rule
from ecslint.model import PathParts

if TYPE_CHECKING:
    from ecslint.checks import CheckSpec
    from ecslint.config.settings import Settings


def check_params(settings: Settings, catalog: Catalog) -> Catalog:
    """``catalog`` with the config's param overrides applied, each one validated."""
    from ecslint.checks import UnknownCheck, get_spec

    custom = {rule.id for rule in settings.custom_rules}
    overrides: dict[str, tuple[dict[str, Any], PathParts]] = {}
    for key, params in settings.params.items():
        rule = catalog.get(key)
        if rule is None:
            raise settings.error(("params", key), f"unknown rule {key!r} (an id or a slug)")
        overrides[rule.id] = (params, ("params", key))
    rules: list[Rule] = []
    for rule in catalog:
        if rule.id not in custom and rule.id not in overrides:
            rules.append(rule)
            continue
        try:
            spec = get_spec(rule.check)
        except UnknownCheck:
            raise _rule_error(
                rule, f"unknown check {rule.check!r} (a built-in or plugin check)"
            ) from None
        params = rule.params
        where: PathParts = ("params", rule.id)
        if rule.id in overrides:
            given, where = overrides[rule.id]
            params = {**params, **given}
        found = problem(rule, spec, params)
        if found is not None:
            name, why = found
            if rule.id in overrides:
                raise settings.error((*where, name) if name else where, why)
            raise _rule_error(rule, why)
        rules.append(rule._replace(params=params))
    return Catalog(rules)


def _rule_error(rule: Rule, message: str) -> Exception:
    from ecslint.config.file import ConfigError

    return ConfigError(f"{rule.origin}: rule {rule.id}: {message}")


def problem(
    rule: Rule, spec: CheckSpec, params: Mapping[str, Any]
) -> tuple[str | None, str] | None:
    """(the param it is about, why) when ``params`` cannot configure ``rule``'s check."""
    if spec.validate is not None:
        why = spec.validate(params)
        if why is not None:
            return None, why
    if spec.params is None:
        return None  # a plugin's check that declares nothing: its params are its own business
    for name, value in params.items():
        declared = spec.params.get(name)
        if declared is None:
            known = ", ".join(sorted(spec.params)) or "none"
            return name, f"{rule.id} ({rule.check}) takes no param {name!r} (it takes: {known})"
        why = declared.problem(value)
        if why is not None:
            return name, f"param {name!r} of {rule.id} {why}"
    return None
