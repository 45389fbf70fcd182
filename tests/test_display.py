"""The display threshold (--min-severity, min-severity) and a summary that keeps problems
apart from advice (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import task
from tests.conftest import lint, run_cli, write_json

#: One warning (ECS401, latest tag) and one info (ECS001, a placeholder) finding.
MIXED = task({"name": "web", "image": "nginx:latest", "memory": 256, "user": "${APP_USER}"})


def test_min_severity_hides_what_is_below_it_and_says_how_many() -> None:
    every = lint(MIXED)
    assert {"warning", "info"} <= {f["severity"] for f in every.findings}
    shown = lint(MIXED, "--min-severity", "warning")
    assert shown.findings and all(f["severity"] != "info" for f in shown.findings)
    hidden = sum(1 for f in every.findings if f["severity"] == "info")
    assert shown.json["summary"]["below_min_severity"] == hidden
    assert shown.json["summary"]["infos"] == 0
    errors_only = lint(MIXED, "--min-severity=error")
    assert errors_only.findings == [] and errors_only.exit_code == 0


def test_min_severity_from_the_config_and_the_command_line_wins(repo: Path) -> None:
    write_json(repo / "app.json", MIXED)
    (repo / ".ecslint.yaml").write_text("min-severity: error\n", encoding="utf-8")
    assert run_cli(["check", "--format", "json", "app.json"]).findings == []
    result = run_cli(["check", "--format", "json", "--min-severity", "info", "app.json"])
    assert {"warning", "info"} <= {f["severity"] for f in result.findings}


def test_a_file_that_cannot_be_parsed_is_shown_whatever_the_threshold() -> None:
    result = run_cli(["check", "--format", "json", "--min-severity", "error", "-"], stdin="{")
    assert result.exit_code == 1 and result.rules() == ["ECS002"]


def test_text_and_concise_summaries_separate_problems_from_advice() -> None:
    for fmt in ("text", "concise"):
        result = run_cli(["check", "--format", fmt, "-"], stdin=json.dumps(MIXED))
        last = result.stdout.splitlines()[-1]
        assert last.startswith("Found 1 problem (0 errors, 1 warning) and "), last
        assert "advice finding" in last and "(info)" in last
    advice_only = task({"name": "web", "image": "nginx:1.27", "memory": 256, "user": "${U}"})
    result = run_cli(["check", "-"], stdin=json.dumps(advice_only))
    assert result.stdout.splitlines()[-1].startswith("No problems found; 1 advice finding")
    assert result.exit_code == 0
