"""One name finds a rule: rules/<concern>/ holds the YAML, ecslint/checks/<concern>.py its
check, tests/rules/test_<concern>.py its tests. A rule in the wrong folder fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecslint.catalog import Rule, load_builtin_catalog
from ecslint.checks import all_checks
from tests.conftest import ROOT

RULES = list(load_builtin_catalog())
TESTS = ROOT / "tests" / "rules"
#: Test files in tests/rules that are about the catalog as a whole, not one concern.
CROSS_CUTTING = {
    "test_layout.py",
    "test_catalog_docs.py",
    "test_clean.py",
    "test_corpus_rules.py",
    "test_wrong_types.py",
}


def _concern(rule: Rule) -> str:
    return Path(rule.origin).parent.name


def misplaced(rule: Rule) -> str | None:
    """Why ``rule`` is not where the layout says, or None."""
    module = all_checks()[rule.check].__module__
    if not module.startswith("ecslint.checks."):
        return f"{rule.origin}: its check {rule.check!r} is not built in ({module})"
    concern = module.rpartition(".")[2]
    if _concern(rule) != concern:
        return (
            f"{rule.origin}: its check {rule.check!r} is in {module}, so the rule file "
            f"belongs in rules/{concern}/"
        )
    if Path(rule.origin).name != f"{rule.id}-{rule.name}.yaml":
        return f"{rule.origin}: the file name is {rule.id}-{rule.name}.yaml"
    return None


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_sits_in_the_folder_of_its_check_module(rule: Rule) -> None:
    assert misplaced(rule) is None, misplaced(rule)


def test_every_concern_has_its_check_module_and_test_file() -> None:
    concerns = {_concern(rule) for rule in RULES}
    folders = {p.name for p in (ROOT / "rules").iterdir() if p.is_dir()}
    assert folders == concerns, "a rules/ folder without rules, or rules outside a folder"
    assert not list((ROOT / "rules").glob("*.y*ml")), "rule files go in rules/<concern>/"
    for concern in concerns:
        assert (ROOT / "ecslint" / "checks" / f"{concern}.py").is_file(), concern
        assert (TESTS / f"test_{concern}.py").is_file(), f"tests/rules/test_{concern}.py"
    for path in TESTS.glob("test_*.py"):
        named = path.name.removeprefix("test_").removesuffix(".py")
        assert named in concerns or path.name in CROSS_CUTTING, (
            f"{path.name}: rule tests go in tests/rules/test_<concern>.py"
        )


def test_a_misplaced_rule_is_caught(tmp_path: Path) -> None:
    from ecslint.catalog import load_rules_dir

    source = Path(next(r for r in RULES if r.id == "ECS101").origin)
    for folder, expected in (("images", "belongs in rules/logging/"), ("logging", None)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / source.name).write_text(source.read_text(encoding="utf-8"))
        [rule] = load_rules_dir(tmp_path)
        problem = misplaced(rule)
        assert problem == expected or (expected and expected in (problem or "")), problem
        (tmp_path / folder / source.name).unlink()


def test_check_defaults_to_the_slug_and_is_written_only_where_it_differs() -> None:
    from ecslint.catalog import Rule as CatalogRule

    bare = {"id": "ACME001", "name": "no-root", "severity": "info", "summary": "s"}
    assert CatalogRule.from_mapping(bare, "x").check == "no-root"
    assert CatalogRule.from_mapping({**bare, "check": "json-schema"}, "x").check == "json-schema"
    for rule in RULES:
        text = Path(rule.origin).read_text(encoding="utf-8")
        assert f"\ncheck: {rule.name}\n" not in text, f"{rule.origin}: check: is its slug"


def test_yaml_params_are_declared_valid_and_differ_from_the_checks_defaults() -> None:
    from ecslint.checks import get_spec
    from ecslint.config.params import problem

    for rule in RULES:
        spec = get_spec(rule.check)
        assert problem(rule, spec, rule.params) is None, (rule.id, problem(rule, spec, rule.params))
        for name, value in rule.params.items():
            assert spec.params is not None
            assert value != spec.params[name].default, f"{rule.id}: {name} is the default"


def test_built_in_checks_declare_typed_documented_params() -> None:
    from ecslint.checks import TYPE_NAMES, all_specs

    for name, spec in all_specs().items():
        if not spec.fn.__module__.startswith("ecslint.checks."):
            continue
        assert spec.params is not None, name
        for key, param in spec.params.items():
            assert param.kind in TYPE_NAMES and param.doc.strip(), (name, key)
            assert param.problem(param.default) is None, (name, key)


def test_a_check_that_declares_no_params_is_still_called_with_a_mapping() -> None:
    """A plugin's check may read params it did not declare (a config can set any)."""
    from ecslint.checks import CheckSpec

    spec = CheckSpec(lambda task, params: iter(()), None)
    assert spec.with_defaults({"threshold": 3}) == {"threshold": 3}
    assert spec.with_defaults({}) == {}


def test_plugins_are_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from ecslint import checks

    calls: list[str] = []

    def entry_points(group: str) -> list[object]:
        calls.append(group)
        return []

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    monkeypatch.setattr(checks, "_loaded_plugins", False)
    checks.load_plugins()
    checks.load_plugins()
    assert calls == ["ecslint.checks"]
