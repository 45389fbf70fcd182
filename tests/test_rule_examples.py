"""Every rule's documented example runs through the CLI: the failing one fails, the fix passes."""

from __future__ import annotations

import pytest

from ecslint.catalog import Rule, load_builtin_catalog
from tests.conftest import lint, lint_with_params

CATALOG = load_builtin_catalog()


def _examples() -> list[tuple[Rule, str]]:
    return [
        pytest.param(rule, kind, id=f"{rule.id}-{rule.name}-{kind}")
        for rule in CATALOG
        for kind in ("fail", "pass")
    ]


@pytest.mark.parametrize(("rule", "kind"), _examples())
def test_documented_example(rule: Rule, kind: str) -> None:
    example = rule.docs.get("example")
    assert isinstance(example, dict), f"{rule.id} has no docs.example"
    text = example.get(kind)
    assert isinstance(text, str), f"{rule.id} has no docs.example.{kind}"
    params = example.get("params")
    if isinstance(params, dict):  # a rule that does nothing until configured (ECS420)
        found = lint_with_params(text, rule.id, params)
    else:
        result = lint(text)
        assert result.exit_code in (0, 1), result.stderr
        found = [f for f in result.findings if f["rule"] == rule.id]
    if kind == "fail":
        assert found, f"{rule.id}'s failing example does not trigger it: {result.findings}"
    else:
        assert not found, f"{rule.id}'s passing example triggers it: {found}"
