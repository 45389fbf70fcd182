"""The opt-in hardening set: off by default, on with one setting, never Linux advice for
Windows (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import task
from tests.conftest import lint, run_cli, write_json

HARDENING = {"ECS903", "ECS905"}
#: A container that sets neither user nor readonlyRootFilesystem, with a mutable tag.
PLAIN = {"name": "web", "image": "nginx:latest", "memory": 256}


def _rules(*args: str, document: dict[str, Any] | None = None) -> set[str]:
    result = lint(document or task(PLAIN), *args)
    assert result.exit_code in (0, 1), result.stderr
    return set(result.rules())


def test_hardening_advice_is_off_by_default() -> None:
    found = _rules()
    assert "ECS401" in found  # the default rules run
    assert not found & HARDENING


def test_select_the_set_by_name() -> None:
    found = _rules("--select", "hardening")
    assert found & HARDENING == HARDENING
    assert "ECS401" not in found  # --select runs only what it names


def test_a_prefix_does_not_turn_the_set_on_but_an_id_or_all_does() -> None:
    assert not _rules("--select", "ECS9") & HARDENING
    assert _rules("--select", "ECS903") & HARDENING == {"ECS903"}
    assert _rules("--select", "writable-root-filesystem") & HARDENING == {"ECS905"}
    assert _rules("--select", "ALL") & HARDENING == HARDENING


def test_one_config_setting_adds_the_set_to_the_default_rules(repo: Path) -> None:
    write_json(repo / "app.json", task(PLAIN))
    (repo / ".ecslint.yaml").write_text("extend-select: [hardening]\n", encoding="utf-8")
    result = run_cli(["check", "--format", "json", "app.json"])
    assert result.exit_code == 1, result.stderr
    assert {"ECS401", *HARDENING} <= set(result.rules())


@pytest.mark.parametrize(
    "windows",
    [
        {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}},
        {"image": "mcr.microsoft.com/windows/servercore:ltsc2022"},
    ],
)
def test_never_linux_advice_for_a_windows_container(windows: dict[str, Any]) -> None:
    container = {**PLAIN, "memory": 2048, **{k: v for k, v in windows.items() if k == "image"}}
    fields = {k: v for k, v in windows.items() if k != "image"}
    assert not _rules("--select", "ALL", document=task(container, **fields)) & HARDENING


def test_rules_list_and_rule_page_name_the_set() -> None:
    listed = run_cli(["rules"])
    assert listed.exit_code == 0
    line = next(line for line in listed.stdout.splitlines() if line.startswith("ECS905"))
    assert "[hardening]" in line
    page = run_cli(["rule", "ECS903"])
    assert "extend-select: [hardening]" in page.stdout
