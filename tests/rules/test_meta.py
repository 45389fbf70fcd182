"""The rules about the file and the run rather than its content (ECS001-ECS007) through the CLI.

Their findings come from the loader, the engine and the filter (``ecslint/checks/meta.py``
only registers the ``engine`` check they name). Suppressions are tested at length in
tests/test_suppressions.py, and ECS246 (a family ``scan --aws`` could not describe) in
tests/test_iam_aws.py, against moto.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import task
from tests.conftest import ROOT, lint, lint_file, plugin_site, run_with_plugin, write_json

LATEST = {"name": "web", "image": "nginx:latest"}


def test_unevaluated_value_is_reported_not_judged() -> None:
    result = lint(task({"name": "web", "image": "${IMAGE}"}), "--select", "ECS001,ECS401")
    assert [(f["rule"], f["path"]) for f in result.findings] == [
        ("ECS001", "/containerDefinitions/0/image")
    ]
    assert "${IMAGE}" in result.findings[0]["message"]


def test_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "family": \n', encoding="utf-8")
    result = lint_file(path, "--select", "ECS0")
    [finding] = result.findings
    assert (finding["rule"], finding["severity"]) == ("ECS002", "error")
    assert finding["line"] == 3
    assert result.exit_code == 1


def test_duplicate_key_keeps_the_last_value(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text(
        '{"family": "web",\n "family": "api",\n "containerDefinitions": '
        '[{"name": "a", "image": "nginx:1.27", "memory": 512}]}\n',
        encoding="utf-8",
    )
    [finding] = lint_file(path, "--select", "ECS0").findings
    assert (finding["rule"], finding["path"], finding["line"]) == ("ECS003", "/family", 2)
    assert "JSON keeps only the last value" in finding["message"]


def test_duplicate_key_in_yaml_says_yaml(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "family: web\nfamily: api\ncontainerDefinitions:\n"
        "  - {name: a, image: nginx:1.27, memory: 512}\n",
        encoding="utf-8",
    )
    [finding] = lint_file(path, "--select", "ECS0").findings
    assert (finding["rule"], finding["line"]) == ("ECS003", 2)
    assert "YAML loaders keep only the last value" in finding["message"]
    assert "JSON" not in finding["message"]


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = lint_file(tmp_path / "missing.json", "--select", "ECS0")
    [finding] = result.findings
    assert finding["rule"] == "ECS004" and "cannot read" in finding["message"]
    assert result.exit_code == 2


def test_unused_suppression_and_suppression_without_reason() -> None:
    unused = task(LATEST, tags=[{"key": "ecslint:ignore:ECS101", "value": "logs elsewhere"}])
    found = lint(unused, "--select", "ECS0,ECS101,ECS401").findings
    assert {(f["rule"], f["path"]) for f in found} == {
        ("ECS005", "/tags/0/key"),
        ("ECS401", "/containerDefinitions/0/image"),
    }
    bare = task(LATEST, tags=[{"key": "ecslint:ignore:ECS401", "value": ""}])
    found = lint(bare, "--select", "ECS0,ECS401").findings
    assert {f["rule"] for f in found} == {"ECS006", "ECS401"}


# --- ECS007: a check that raises ------------------------------------------------------

#: A plugin with a task check that raises on a container called "boom" (quoting a value
#: of it, as exception texts do) and a deployment check that raises on every service.
BROKEN_PLUGIN = """
from ecslint.checks import check


@check("acme-boom")
def boom(task, params):
    for index, container in task.containers():
        if container.get("name") == "boom":
            env = {e["name"]: e["value"] for e in container.get("environment", [])}
            raise ValueError(f"cannot read {env['DB_PASSWORD']}")
    return iter(())


@check("acme-service-boom", scope="deployment")
def service_boom(service, params):
    raise RuntimeError("no service today")
"""

BROKEN_CONFIG = """custom-rules:
  - {id: ACME001, name: acme-boom, severity: warning, check: acme-boom, summary: boom}
  - id: ACME002
    name: acme-service-boom
    severity: warning
    check: acme-service-boom
    summary: boom in a service
"""

SECRET = "hunter2-s3cr3t-value"
BOOM = {
    "name": "boom",
    "image": "nginx:latest",
    "environment": [{"name": "DB_PASSWORD", "value": SECRET}],
}


@pytest.fixture
def broken(tmp_path: Path) -> tuple[Path, Path]:
    """The plugin's site directory and a project with the config, bad.json and good.json."""
    site = plugin_site(tmp_path, BROKEN_PLUGIN)
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / ".ecslint.yaml").write_text(BROKEN_CONFIG, encoding="utf-8")
    write_json(project / "bad.json", task(BOOM))
    write_json(project / "good.json", task(LATEST))
    return site, project


def test_a_check_that_raises_is_an_ecs007_finding(broken: tuple[Path, Path]) -> None:
    site, project = broken
    result = run_with_plugin(site, project, ["check", "--format", "json", "bad.json", "good.json"])
    assert result.exit_code == 2, result.stderr  # an internal error (DESIGN.md's exit codes)
    by_rule = {(f["file"], f["rule"]): f for f in result.findings}
    crash = by_rule[("bad.json", "ECS007")]
    assert (crash["severity"], crash["path"], crash["line"], crash["family"]) == (
        "error",
        "",
        1,
        "web",
    )
    assert crash["message"].startswith(
        "the check of rule ACME001 (acme-boom) raised ValueError: cannot read "
    )
    assert "ACME001 was not evaluated here" in crash["message"]
    assert SECRET not in result.stdout + result.stderr  # masked, as ECS911 masks it
    # every other rule on the same file, and every file, is still reported
    assert ("bad.json", "ECS401") in by_rule and ("good.json", "ECS401") in by_rule
    assert ("good.json", "ECS007") not in by_rule
    assert "ecslint: internal error: bad.json: rule ACME001: ValueError" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "concise", "sarif", "github", "junit", "gitlab"])
def test_ecs007_is_in_every_format(broken: tuple[Path, Path], fmt: str) -> None:
    site, project = broken
    result = run_with_plugin(site, project, ["check", "--format", fmt, "bad.json", "good.json"])
    assert result.exit_code == 2, result.stderr
    assert "ECS007" in result.stdout and "raised ValueError" in result.stdout
    assert "ECS401" in result.stdout and "good.json" in result.stdout
    assert SECRET not in result.stdout
    if fmt == "sarif":
        [run] = json.loads(result.stdout)["runs"]
        [crash] = [r for r in run["results"] if r["ruleId"] == "ECS007"]
        assert crash["level"] == "error"


def test_ecs007_is_never_filtered_and_the_same_with_jobs(broken: tuple[Path, Path]) -> None:
    """A rule that did not run is never hidden: not by --select, not by a baseline."""
    site, project = broken
    base = ["check", "--format", "json", "bad.json", "good.json"]
    selected = run_with_plugin(site, project, [*base, "--select", "ACME001"])
    assert [f["rule"] for f in selected.findings] == ["ECS007"], selected.stdout
    # a baseline of a run where a rule did not run would be incomplete: none is written
    written = run_with_plugin(site, project, [*base, "--write-baseline", "baseline.json"])
    assert written.exit_code == 2, written.stderr
    assert not (project / "baseline.json").exists()
    entry = {"file": "bad.json", "family": "web", "container": None, "rule": "ECS007"}
    write_json(
        project / "baseline.json",
        {"version": 1, "tool": "ecslint", "entries": [{**entry, "pointer": "", "message": ""}]},
    )
    with_baseline = run_with_plugin(site, project, [*base, "--baseline", "baseline.json"])
    assert [
        (f["rule"], f.get("suppressed")) for f in with_baseline.findings if f["rule"] == "ECS007"
    ] == [("ECS007", None)]
    serial = run_with_plugin(site, project, [*base])
    parallel = run_with_plugin(site, project, [*base, "--jobs", "2"])
    assert parallel.exit_code == 2
    assert parallel.findings == serial.findings


def test_a_deployment_check_that_raises_is_located_at_the_service(
    broken: tuple[Path, Path],
) -> None:
    site, project = broken
    template = (ROOT / "tests" / "data" / "deploy" / "service.yaml").read_text(encoding="utf-8")
    (project / "service.yaml").write_text(template, encoding="utf-8")
    result = run_with_plugin(
        site, project, ["check", "--format", "json", "service.yaml", "good.json"]
    )
    assert result.exit_code == 2, result.stderr
    [crash] = [f for f in result.findings if f["rule"] == "ECS007"]
    assert crash["file"] == "service.yaml"
    assert crash["path"].startswith("/Resources/") and crash["path"].endswith("/Properties")
    assert "ACME002 (acme-service-boom) raised RuntimeError: no service today" in crash["message"]
    assert any(f["rule"] == "ECS401" and f["file"] == "good.json" for f in result.findings)
