"""Every rule's documented example runs through the CLI: the failing one fails, the fix passes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecslint.catalog import Rule, load_builtin_catalog
from tests.conftest import lint, lint_with_params, plugin_site, run_with_plugin

CATALOG = load_builtin_catalog()
#: An AWS environment whose endpoint refuses connections (port 1 on the loopback).
AWS_ENDPOINT_DOWN = {
    "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_CONFIG_FILE": "/nonexistent",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
}


def _examples() -> list[tuple[Rule, str]]:
    return [
        pytest.param(rule, kind, id=f"{rule.id}-{rule.name}-{kind}")
        for rule in CATALOG
        for kind in ("fail", "pass")
    ]


@pytest.mark.parametrize(("rule", "kind"), _examples())
def test_documented_example(
    rule: Rule, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = rule.docs.get("example")
    assert isinstance(example, dict), f"{rule.id} has no docs.example"
    text = example.get(kind)
    assert isinstance(text, str), f"{rule.id} has no docs.example.{kind}"
    if example.get("scan_only"):
        pytest.skip(f"{rule.id} is reported by 'ecslint scan' only (tests/test_iam_aws.py)")
    params = example.get("params")
    if isinstance(example.get("plugin"), str):  # a plugin's check the example installs (ECS007)
        found = _with_plugin(rule, example, text, tmp_path)
    elif isinstance(params, dict):  # a rule that does nothing until configured (ECS420)
        found = lint_with_params(text, rule.id, params)
    else:
        # a rule of an opt-in set runs when the set is selected (ECS903: --select hardening)
        extra: list[str] = ["--select", rule.opt_in] if rule.opt_in else []
        if isinstance(example.get("iam"), str):  # authorization details the example runs with
            (tmp_path / "iam.json").write_text(example["iam"], encoding="utf-8")
            extra += ["--iam", str(tmp_path / "iam.json")]
        if example.get("aws_endpoint_down"):  # --aws against a port nothing listens on
            pytest.importorskip("boto3")
            monkeypatch.delenv("AWS_PROFILE", raising=False)
            for name, value in AWS_ENDPOINT_DOWN.items():
                monkeypatch.setenv(name, value)
            extra += ["--aws", "--aws-timeout", "3"]
        result = lint(text, *extra)
        assert result.exit_code in (0, 1), result.stderr
        found = [f for f in result.findings if f["rule"] == rule.id]
    if kind == "fail":
        assert found, f"{rule.id}'s failing example does not trigger it"
    else:
        assert not found, f"{rule.id}'s passing example triggers it: {found}"


def _with_plugin(rule: Rule, example: dict[str, str], text: str, tmp_path: Path) -> list[Any]:
    """Install the example's plugin, write its config and the task definition, and run
    ``ecslint check`` on them in a child process: a rule about a check that fails (ECS007)
    is shown with a real check that fails, not a simulated one."""
    site = plugin_site(tmp_path, example["plugin"])
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / ".ecslint.yaml").write_text(example["config"], encoding="utf-8")
    (project / "td.json").write_text(text, encoding="utf-8")
    result = run_with_plugin(site, project, ["check", "--format", "json", "td.json"])
    assert result.stdout, result.stderr
    found = [f for f in result.findings if f["rule"] == rule.id]
    # A check that raised is an internal error: exit 2 (DESIGN.md), the finding in the report.
    assert result.exit_code == (2 if found else 1 if result.findings else 0), result.stderr
    return found
