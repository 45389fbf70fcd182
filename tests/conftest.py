"""Shared test helpers: run the real CLI in-process and read its JSON output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ecslint.entry import main

ROOT = Path(__file__).resolve().parent.parent
#: The shared corpus lives beside the checkout (as in CI); tests that need it skip without it,
#: and no other test's assertions depend on it. ECSLINT_CORPUS points elsewhere (a git worktree
#: is not beside the shared corpus); a path that does not exist hides it, as on a fresh clone
#: (``.ci/run`` runs the suite once that way).
CORPUS = Path(os.environ.get("ECSLINT_CORPUS") or ROOT.parent / "shared" / "corpus")
#: The reference files beside the corpus (the official SARIF schema); hidden with it.
REFERENCE = CORPUS.parent / "reference"
EXAMPLES = ROOT / "examples"


class CliResult:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def findings(self) -> list[dict[str, Any]]:
        findings: list[dict[str, Any]] = self.json["findings"]
        return findings

    def rules(self) -> list[str]:
        return [finding["rule"] for finding in self.findings]


def run_cli(args: Sequence[str], stdin: str | bytes | None = None) -> CliResult:
    """Run ``ecslint ARGS`` in-process through the console script's entry point.

    Plain ``check`` command lines take the quick parser, the rest go through typer,
    as they do from a shell; typer's test runner only provides the captured streams.
    """
    with CliRunner().isolation(input=stdin) as (stdout, stderr, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return CliResult(code, stdout.getvalue().decode(), stderr.getvalue().decode())


def lint(document: dict[str, Any] | str, *extra: str) -> CliResult:
    """Lint a task definition given as a dict (sent as JSON on stdin) with ``--format json``."""
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    return run_cli(["check", "--format", "json", *extra, "-"], stdin=text)


def lint_file(path: os.PathLike[str] | str, *extra: str) -> CliResult:
    return run_cli(["check", "--format", "json", *extra, str(path)])


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout"
    )


def lint_with_params(document: dict[str, Any] | str, rule_id: str, params: dict[str, Any]) -> Any:
    """Run one built-in rule with custom params through the engine (as a config would set
    them); returns the findings (``Finding`` objects) of that rule."""

    from ecslint.catalog import load_builtin_catalog
    from ecslint.engine import Linter
    from ecslint.load.source import Source

    catalog = load_builtin_catalog()
    rule = catalog.get(rule_id)
    assert rule is not None, rule_id
    configured = rule._replace(params={**rule.params, **params})
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    report = Linter(catalog, [configured]).lint_source(Source("<stdin>", text))
    return [finding for finding in report.findings if finding.rule == rule_id]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository root as the working directory (config search stops here)."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def trust_policy(service: str = "ecs-tasks.amazonaws.com") -> dict[str, Any]:
    """A role trust policy that lets ``service`` assume the role."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def write_json(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


#: The rules the workflow tests (formats, suppressions, baselines) are written against;
#: selecting them keeps those tests exact as the catalog grows.
SELECT = ("--select", "ECS0,ECS101,ECS401")


def _hypothesis_profiles() -> None:
    """Property-test budgets: ``ci`` (the default, what CI runs) keeps the whole
    property suite under about a minute and draws the same examples every run, so a
    gate never fails on a draw of its own; ``deep`` draws new ones for a long local run:
    ``HYPOTHESIS_PROFILE=deep pytest tests/test_properties.py``."""
    from hypothesis import HealthCheck, settings

    slow = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
    settings.register_profile(
        "ci",
        max_examples=40,
        deadline=None,
        suppress_health_check=slow,
        print_blob=True,
        derandomize=True,
    )
    settings.register_profile("deep", max_examples=2000, deadline=None, suppress_health_check=slow)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()


def plugin_site(directory: Path, source: str, name: str = "acme_ecslint") -> Path:
    """A directory that, on PYTHONPATH, holds an installed package whose module ``source``
    is declared under the ``ecslint.checks`` entry point (a module and its dist-info, as
    pip installs them; tests/test_plugins.py installs a real wheel with pip)."""
    site = directory / "site"
    (site / name).mkdir(parents=True)
    (site / name / "__init__.py").write_text("", encoding="utf-8")
    (site / name / "checks.py").write_text(source, encoding="utf-8")
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[ecslint.checks]\nacme = {name}.checks\n", encoding="utf-8"
    )
    return site


def run_with_plugin(site: Path, cwd: Path, args: Sequence[str], timeout: float = 60) -> CliResult:
    """``python -m ecslint ARGS`` in a child process that finds the plugin in ``site``
    (entry points are read once per process, so not in-process)."""
    import subprocess

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "ecslint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)
