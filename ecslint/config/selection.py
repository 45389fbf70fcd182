"""Which rules run: ``select`` and ``ignore`` by id, id prefix or slug."""

from __future__ import annotations

from collections.abc import Sequence

from ecslint.catalog import Catalog, Rule, retired


class SelectionError(ValueError):
    pass


def resolve(catalog: Catalog, selectors: Sequence[str], opt_in: bool = True) -> set[str]:
    """The ids ``selectors`` name; with ``opt_in`` false a prefix leaves out opt-in rules."""
    ids: set[str] = set()
    for selector in selectors:
        matched = catalog.match(selector, opt_in)
        if not matched and retired(selector) is not None:
            continue  # a retired rule: accepted, selects nothing
        if not matched:
            raise SelectionError(f"unknown rule {selector!r} (see 'ecslint rules')")
        ids.update(rule.id for rule in matched)
    return ids


def choose_rules(
    catalog: Catalog,
    select: Sequence[str],
    ignore: Sequence[str],
    extend_select: Sequence[str] = (),
) -> list[Rule]:
    """The default rules (or the selected ones), plus ``extend_select``, minus the ignored
    ones. The default leaves out the rules of opt-in sets (``extend-select: [hardening]``
    adds them)."""
    if select:
        chosen = resolve(catalog, select, opt_in=False)
    else:
        chosen = {rule.id for rule in catalog if rule.opt_in is None}
    chosen |= resolve(catalog, extend_select, opt_in=False)
    chosen -= resolve(catalog, ignore)
    return [rule for rule in catalog if rule.id in chosen]
