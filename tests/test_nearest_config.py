"""The nearest config per file (as ruff does), for ``ecslint check`` run from a monorepo root.

The layout: a root ``.ecslint.yaml``, ``svc-a/.ecslint.yaml`` (ignores a rule, excludes
``generated/``, per-file ignores relative to ``svc-a/``), ``svc-b/pyproject.toml``
(selects one rule), and ``shared/`` with no config of its own (the root's applies).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

#: A latest image tag (ECS401), no log configuration (ECS101), a privileged container (ECS901).
TASK = {
    "family": "web",
    "containerDefinitions": [
        {"name": "web", "image": "nginx:latest", "memory": 512, "privileged": True}
    ],
}
FILES = (
    "shared/td.json",
    "svc-a/td.json",
    "svc-a/old/td.json",
    "svc-a/generated/td.json",
    "svc-b/td.json",
    "svc-b/deep/er/td.json",
)


def _monorepo(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)
    for name in FILES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(TASK, indent=2))
    (root / ".ecslint.yaml").write_text(
        "ignore: [ECS401]\n"
        "suppressions:\n"
        "  - rules: [ECS101]\n"
        "    files: 'shared/**'\n"
        "    reason: shared images log elsewhere\n"
    )
    (root / "svc-a" / ".ecslint.yaml").write_text(
        "ignore: [ECS101]\n"
        "exclude: ['generated/**']\n"
        "per-file-ignores:\n"
        "  'old/*.json': [ECS401]\n"  # relative to svc-a/: from the root it is svc-a/old/
        "suppressions:\n"
        "  - rules: [ECS906]\n"
        "    reason: nothing here uses host networking\n"
    )
    (root / "svc-b" / "pyproject.toml").write_text(
        '[project]\nname = "svc-b"\n\n[tool.ecslint]\nselect = ["ECS401"]\n'
    )
    return root


def _by_file(findings: list[dict[str, Any]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in findings:
        if finding.get("suppressed") is None:
            found.setdefault(finding["file"], set()).add(finding["rule"])
    return found


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecslint", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_each_file_uses_its_nearest_config_from_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _monorepo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    result = run_cli(["check", "--format", "json", "."])
    assert result.exit_code == 1, result.stderr
    found = _by_file(result.findings)
    assert set(found) == {
        "shared/td.json",
        "svc-a/td.json",
        "svc-a/old/td.json",
        "svc-b/td.json",
        "svc-b/deep/er/td.json",
    }  # svc-a/generated/ is excluded by svc-a's config, relative to svc-a/
    # shared/ has no config: the root's ignores ECS401; its suppression takes ECS101.
    assert "ECS401" not in found["shared/td.json"]
    assert "ECS101" not in found["shared/td.json"]
    # svc-a's config replaces the root's whole (as ruff's): ECS401 is back, ECS101 goes.
    assert "ECS401" in found["svc-a/td.json"] and "ECS101" not in found["svc-a/td.json"]
    assert "ECS401" not in found["svc-a/old/td.json"]  # its per-file ignore
    assert found["svc-a/old/td.json"] == found["svc-a/td.json"] - {"ECS401"}
    # svc-b's [tool.ecslint] selects one rule, also two directories down.
    assert found["svc-b/td.json"] == found["svc-b/deep/er/td.json"] == {"ECS401"}
    # A config suppression that suppressed nothing is named by its own file.
    assert "svc-a/.ecslint.yaml:6: suppression of ECS906 suppressed nothing" in result.stderr
    assert "suppression of ECS101" not in result.stderr  # the root's, used by shared/


def test_a_file_gets_the_same_findings_from_the_root_and_from_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _monorepo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    result = run_cli(["check", "--format", "json", "svc-a", "svc-b"])
    from_root = _by_file(result.findings)
    assert "suppression of ECS101" not in result.stderr  # the root's config lints no file
    for service in ("svc-a", "svc-b"):
        monkeypatch.chdir(repo / service)
        inside = _by_file(run_cli(["check", "--format", "json", "."]).findings)
        assert {f"{service}/{name}": rules for name, rules in inside.items()} == {
            name: rules for name, rules in from_root.items() if name.startswith(service)
        }


def test_config_and_isolated_override_the_nearest_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _monorepo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    named = _by_file(
        run_cli(["check", "--format", "json", "--config", ".ecslint.yaml", "."]).findings
    )
    assert "svc-a/generated/td.json" in named  # svc-a's exclude does not apply
    assert all("ECS401" not in rules for rules in named.values())  # the root's ignore does
    isolated = _by_file(run_cli(["check", "--format", "json", "--isolated", "."]).findings)
    assert len(isolated) == len(FILES)
    assert all({"ECS101", "ECS401"} <= rules for rules in isolated.values())


def test_stdin_uses_the_config_nearest_to_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _monorepo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    text = json.dumps(TASK)
    as_b = run_cli(["check", "--format", "json", "--stdin-filename", "svc-b/new.json", "-"], text)
    assert {f["rule"] for f in as_b.findings} == {"ECS401"}
    as_a = run_cli(["check", "--format", "json", "--stdin-filename", "svc-a/old/x.json", "-"], text)
    assert {"ECS101", "ECS401"}.isdisjoint(f["rule"] for f in as_a.findings)
    plain = run_cli(["check", "--format", "json", "-"], text)  # the working directory's
    assert "ECS401" not in {f["rule"] for f in plain.findings}


def test_a_nested_config_is_an_error_only_when_a_file_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _monorepo(tmp_path / "repo")
    (repo / "svc-b" / "pyproject.toml").write_text('[tool.ecslint]\nselcet = ["ECS401"]\n')
    monkeypatch.chdir(repo)
    assert run_cli(["check", "--format", "json", "svc-a"]).exit_code == 1
    broken = run_cli(["check", "--format", "json", "."])
    assert broken.exit_code == 2 and broken.stdout == ""
    assert "svc-b/pyproject.toml" in broken.stderr and "selcet" in broken.stderr


def test_each_config_has_its_own_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _monorepo(tmp_path / "repo")
    monkeypatch.chdir(repo / "svc-b")
    written = run_cli(["check", "--write-baseline", "baseline.json", "."])
    assert written.exit_code == 0, written.stderr
    pyproject = repo / "svc-b" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'baseline = "baseline.json"\n')
    monkeypatch.chdir(repo)
    result = run_cli(["check", "--format", "json", "."])
    found = _by_file(result.findings)
    assert "svc-b/td.json" not in found and "svc-b/deep/er/td.json" not in found
    assert "ECS401" in found["svc-a/td.json"]  # svc-a has no baseline: nothing hidden
    assert result.json["summary"]["baseline_stale"] == 0
    (repo / "svc-b" / "td.json").unlink()
    stale = run_cli(["check", "--format", "json", "."])
    assert stale.json["summary"]["baseline_stale"] == 0  # the file was not linted
    fixed = json.loads(json.dumps(TASK))
    fixed["containerDefinitions"][0]["image"] = "nginx:1.27"
    (repo / "svc-b" / "td.json").write_text(json.dumps(fixed))
    stale = run_cli(["check", "--format", "json", "."])
    assert stale.json["summary"]["baseline_stale"] == 1
    assert "svc-b/baseline.json: 1 baseline entry matched no finding" in stale.stderr


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_jobs_agree_byte_for_byte_with_several_configs(tmp_path: Path, fmt: str) -> None:
    repo = _monorepo(tmp_path / "repo")
    one = _check(repo, "--format", fmt, "--jobs", "1", ".")
    two = _check(repo, "--format", fmt, "--jobs", "2", ".")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr


def test_config_show_names_the_config_a_file_gets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _monorepo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    shown = {
        name: run_cli(["config", "show", name]).json
        for name in ("svc-a/new.json", "svc-b/deep/er/td.json", "shared/td.json")
    }
    assert shown["svc-a/new.json"]["config-file"] == "svc-a/.ecslint.yaml"
    assert shown["svc-a/new.json"]["exclude"] == ["generated/**"]
    assert shown["svc-b/deep/er/td.json"]["config-file"] == "svc-b/pyproject.toml"
    assert shown["svc-b/deep/er/td.json"]["enabled-rules"] == ["ECS401"]
    assert shown["shared/td.json"]["config-file"] == ".ecslint.yaml"
    assert run_cli(["config", "show"]).json["config-file"] == ".ecslint.yaml"
