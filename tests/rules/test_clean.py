"""Best-practice definitions (register and describe shapes) draw no catalog-a finding at
warning or above: the false-positive guard of issue 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecslint.catalog import load_builtin_catalog
from tests.conftest import lint_file

CLEAN = Path(__file__).resolve().parent.parent / "data" / "clean"
#: The id ranges of the registration, container, networking, volume and secret rules.
RANGES = (("ECS220", "ECS239"), ("ECS501", "ECS529"), ("ECS601", "ECS629"), ("ECS701", "ECS729"))


def _ours(rule: str) -> bool:
    return any(low <= rule <= high for low, high in RANGES)


def test_the_ranges_hold_rules() -> None:
    assert sum(_ours(rule.id) for rule in load_builtin_catalog()) >= 45


@pytest.mark.parametrize("path", sorted(CLEAN.glob("*.json")), ids=lambda p: p.name)
def test_no_warning_or_error_on_clean_definitions(path: Path) -> None:
    result = lint_file(path)
    assert result.exit_code in (0, 1), result.stderr
    assert result.json["summary"]["task_definitions"] == 1
    noisy = [
        f for f in result.findings if _ours(f["rule"]) and f["severity"] in ("warning", "error")
    ]
    assert noisy == []


def test_clean_set_has_both_shapes_of_both_launch_types() -> None:
    names = {p.name for p in CLEAN.glob("*.json")}
    assert {
        "fargate-best-practice.json",
        "fargate-best-practice.describe.json",
        "ec2-bridge-dynamic.json",
        "ec2-bridge-dynamic.describe.json",
    } <= names
