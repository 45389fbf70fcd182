"""Which rules run: ``select`` and ``ignore`` by id, id prefix or slug."""

from __future__ import annotations

from collections.abc import Sequence

from ecslint.catalog import Catalog, Rule


class SelectionError(ValueError):
    pass


def resolve(catalog: Catalog, selectors: Sequence[str]) -> set[str]:
    ids: set[str] = set()
    for selector in selectors:
        matched = catalog.match(selector)
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
    """All rules (or the selected ones, plus ``extend_select``) minus the ignored ones."""
    chosen = resolve(catalog, select) if select else {rule.id for rule in catalog}
    chosen |= resolve(catalog, extend_select)
    chosen -= resolve(catalog, ignore)
    return [rule for rule in catalog if rule.id in chosen]
