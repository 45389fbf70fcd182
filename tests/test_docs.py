"""docs/ is generated from the catalog: a stale page fails here with the command that fixes it."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from ecslint.catalog import load_builtin_catalog
from tests.conftest import ROOT

COMMAND = "python tools/generate_docs.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_docs", ROOT / "tools" / "generate_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_docs", module)
    spec.loader.exec_module(module)
    return module


def test_committed_docs_are_current(tmp_path: Path) -> None:
    generator = _generator()
    files = generator.render_all(load_builtin_catalog())
    generator.write(tmp_path, files)  # regenerating into a temp dir works ...
    assert not generator.stale(tmp_path, files)
    problems = generator.stale(ROOT / "docs", files)  # ... and matches what is committed
    assert not problems, f"stale docs: {problems}; run `{COMMAND}` and commit the result"


def test_stale_page_is_detected(tmp_path: Path) -> None:
    generator = _generator()
    files = generator.render_all(load_builtin_catalog())
    generator.write(tmp_path, files)
    page = next(iter(sorted(files)))
    (tmp_path / page).write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "rules" / "ECS999-gone.md").write_text("old\n", encoding="utf-8")
    assert generator.stale(tmp_path, files) == [page, "rules/ECS999-gone.md (no such rule)"]
    assert generator.main(["--check", "--out", str(tmp_path)]) == 1
    generator.write(tmp_path, files)
    assert not (tmp_path / "rules" / "ECS999-gone.md").exists()
    assert generator.main(["--check", "--out", str(tmp_path)]) == 0


def test_every_rule_has_a_page_with_its_sections() -> None:
    generator = _generator()
    catalog = load_builtin_catalog()
    files = generator.render_all(catalog)
    for rule in catalog:
        page = files[f"rules/{rule.id}-{rule.name}.md"]
        source = (ROOT / "docs" / "rules" / generator.check_source(rule)).resolve()
        text = source.read_text() if source.is_file() else ""
        # @check("name"), @check("name", scope=...) or @check(\n    "name", params=...)
        assert re.search(rf'@check\(\s*"{re.escape(rule.check)}"[,)\s]', text), rule.id
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert heading in page, f"{rule.id} page lacks {heading}"
        if rule.docs.get("aws_message"):
            assert "## What AWS says" in page, f"{rule.id} quotes AWS but its page does not"
        assert f"[{rule.id}]({rule.id}-{rule.name}.md)" in files["rules/README.md"]
        assert f"[{rule.id}](rules/{rule.id}-{rule.name}.md)" in files["coverage.md"]


def test_coverage_lists_mappings() -> None:
    coverage = _generator().render_all(load_builtin_catalog())["coverage.md"]
    row = next(
        line for line in coverage.splitlines() if "`plaintext-secret-in-environment`" in line
    )
    assert "ECS.8" in row and "AVD-AWS-0036" in row
    row = next(
        line for line in coverage.splitlines() if "`fargate-network-mode-not-awsvpc`" in line
    )
    assert "E3048" in row


# --- the built-in index a run reads (ecslint/catalog/builtin.json, docs.json) -------------


def test_committed_index_is_current() -> None:
    from ecslint.catalog import DOCS_PATH, INDEX_PATH, load_rules_dir, render_docs, render_index

    rules = load_rules_dir(ROOT / "rules")
    assert INDEX_PATH.read_text(encoding="utf-8") == render_index(rules, ROOT / "rules"), (
        "stale ecslint/catalog/builtin.json; run python tools/generate_catalog.py"
    )
    assert DOCS_PATH.read_text(encoding="utf-8") == render_docs(rules), (
        "stale ecslint/catalog/docs.json; run python tools/generate_catalog.py"
    )
    from ecslint.report.sarif import DESCRIPTORS_PATH, render_descriptors

    assert Path(DESCRIPTORS_PATH).read_text(encoding="utf-8") == render_descriptors(rules), (
        "stale ecslint/catalog/sarif-rules.txt; run python tools/generate_catalog.py"
    )


def test_index_gives_every_rule_as_its_yaml_does() -> None:
    from ecslint.catalog import load_rules_dir

    from_yaml = {rule.id: rule for rule in load_rules_dir(ROOT / "rules")}
    from_index = {rule.id: rule for rule in load_builtin_catalog()}
    assert sorted(from_index) == sorted(from_yaml)
    for rule_id, rule in from_index.items():
        expected = from_yaml[rule_id]
        assert rule.loaded_docs is None  # the long docs are not read by a run ...
        assert rule._replace(loaded_docs=None) == expected._replace(loaded_docs=None)
        assert rule.docs == expected.docs  # ... until something asks for them


def test_an_edited_rule_makes_the_index_stale(tmp_path: Path) -> None:
    import shutil

    from ecslint.catalog import INDEX_PATH, load_rules_dir, render_index

    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    path = next((tmp_path / "rules" / "images").glob("ECS401-*.yaml"))
    path.write_text(path.read_text().replace("severity: warning", "severity: error"))
    text = render_index(load_rules_dir(tmp_path / "rules"), tmp_path / "rules")
    assert text != INDEX_PATH.read_text(encoding="utf-8")
    assert '"id": "ECS401", "name": "latest-image-tag", "severity": "error"' in text


def test_autofix_is_read_from_the_rule_and_defaults_to_none() -> None:
    import pytest

    from ecslint.catalog import CatalogError, Rule

    bare = {"id": "ACME001", "name": "x", "severity": "info", "summary": "s"}
    assert Rule.from_mapping(bare, "f").autofix == "none"
    assert Rule.from_mapping({**bare, "autofix": "safe"}, "f").autofix == "safe"
    with pytest.raises(CatalogError, match="autofix must be one of"):
        Rule.from_mapping({**bare, "autofix": "maybe"}, "f")
    assert all(rule.autofix in ("safe", "unsafe", "none") for rule in load_builtin_catalog())


def test_a_run_writes_nothing_under_home(tmp_path: Path) -> None:
    """The catalog once cached parsed YAML in ~/.cache/ecslint."""
    import os
    import subprocess

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    for args in (
        ["check", "examples/fargate-clean.json"],
        ["check", "--format", "sarif", "examples"],
    ):
        subprocess.run(
            [sys.executable, "-m", "ecslint", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=False,
        )
    assert list(home.rglob("*")) == []


def test_every_committed_page_says_what_its_rule_file_says() -> None:
    """Each page in docs/rules as committed, against its YAML read directly (not through the
    renderer that wrote it): a page that drifted from its rule fails here."""
    import yaml

    for path in sorted((ROOT / "rules").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        page_path = ROOT / "docs" / "rules" / f"{data['id']}-{data['name']}.md"
        assert page_path.is_file(), f"no page for {path.name}"
        page = page_path.read_text(encoding="utf-8")
        docs = data.get("docs") or {}
        assert f"# {data['id']} {data['name']}\n" in page
        assert f"Default severity: **{data['severity']}**" in page
        assert data["summary"].strip() in page
        for key in ("what", "why", "fix", "aws_message"):
            if docs.get(key):
                assert docs[key].strip() in page, f"{page_path.name}: docs.{key} differs"
        for key in ("fail", "pass"):
            assert docs["example"][key].rstrip() in page, f"{page_path.name}: example.{key}"
        for reference in docs.get("references") or []:
            assert f"- {reference}\n" in page
        assert f"(../../ecslint/checks/{path.parent.name}.py)" in page, "links its check"


def test_user_docs_cite_only_what_a_reader_can_open() -> None:
    """ecs-facts.md is the team's notes beside the repository, not part of it: a user's docs
    (README, docs/, rule texts, which become docs/rules and SARIF help) cite AWS instead."""
    files = [ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    files += sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "rules").rglob("*.yaml"))
    citing = [str(p.relative_to(ROOT)) for p in files if "ecs-facts" in p.read_text("utf-8")]
    assert not citing, citing
