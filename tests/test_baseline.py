"""Baselines through the CLI: record today's findings, fail only on new ones, report stale ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.builders import task
from tests.conftest import SELECT, run_cli, write_json

WEB = {"name": "web", "image": "nginx:latest"}
SIDE = {"name": "side", "image": "busybox"}
WORKER = {"name": "worker", "image": "python:3.12"}


def _check(*args: str) -> Any:
    return run_cli(["check", *SELECT, "--format", "json", *args])


def _write(repo: Path) -> dict[str, Any]:
    write_json(repo / "svc" / "api.json", task(WEB, SIDE, WORKER, family="api"))
    result = run_cli(["check", *SELECT, "--write-baseline", "ci/baseline.json", "svc"])
    assert result.exit_code == 0, result.stderr
    assert "wrote 2 finding(s) to the baseline ci/baseline.json" in result.stderr
    data: dict[str, Any] = json.loads((repo / "ci" / "baseline.json").read_text())
    return data


def test_baseline_records_findings_without_line_numbers(repo: Path) -> None:
    data = _write(repo)
    assert data["version"] == 1
    assert data["entries"] == [
        {
            "file": "../svc/api.json",
            "family": "api",
            "container": "side",
            "rule": "ECS401",
            "pointer": "/containerDefinitions/[side]/image",
            "message": data["entries"][0]["message"],
        },
        {
            "file": "../svc/api.json",
            "family": "api",
            "container": "web",
            "rule": "ECS401",
            "pointer": "/containerDefinitions/[web]/image",
            "message": data["entries"][1]["message"],
        },
    ]
    assert "line" not in json.dumps(data)


def test_baseline_hides_known_findings_and_fails_on_new_ones(repo: Path) -> None:
    _write(repo)
    result = _check("--baseline", "ci/baseline.json", "svc")
    assert result.findings == [] and result.exit_code == 0
    assert result.json["summary"]["baseline_stale"] == 0
    write_json(
        repo / "svc" / "api.json", task(WEB, SIDE, {**WORKER, "image": "redis"}, family="api")
    )
    result = _check("--baseline", "ci/baseline.json", "svc")
    assert [(f["container"], f["rule"]) for f in result.findings] == [("worker", "ECS401")]
    assert result.exit_code == 1


def test_baseline_survives_reformatting_and_reordering(repo: Path) -> None:
    _write(repo)
    path = repo / "svc" / "api.json"
    document = task(WORKER, SIDE, WEB, family="api")
    path.write_text("\n\n\n" + json.dumps(document, indent=7, sort_keys=True))
    result = _check("--baseline", "ci/baseline.json", "svc")
    assert result.findings == [] and result.exit_code == 0
    shown = _check("--baseline", "ci/baseline.json", "--show-suppressed", "svc").findings
    assert {f["container"]: f["suppressed"]["by"] for f in shown} == {
        "side": "baseline",
        "web": "baseline",
    }


def test_a_renamed_container_is_new(repo: Path) -> None:
    _write(repo)
    write_json(repo / "svc" / "api.json", task({**WEB, "name": "www"}, SIDE, WORKER, family="api"))
    result = _check("--baseline", "ci/baseline.json", "svc")
    assert [f["container"] for f in result.findings] == ["www"]
    assert result.json["summary"]["baseline_stale"] == 1


def test_stale_entries_are_noted_and_counted_but_do_not_fail(repo: Path) -> None:
    _write(repo)
    write_json(repo / "svc" / "api.json", task({**WEB, "image": "nginx:1.27"}, SIDE, family="api"))
    result = run_cli(["check", *SELECT, "--baseline", "ci/baseline.json", "svc"])
    assert result.exit_code == 0
    assert "ci/baseline.json: 1 baseline entry matched no finding" in result.stderr
    assert "1 stale baseline entry)" in result.stdout
    json_result = _check("--baseline", "ci/baseline.json", "svc")
    assert json_result.json["summary"]["baseline_stale"] == 1


def test_files_not_linted_have_no_stale_entries(repo: Path) -> None:
    _write(repo)
    write_json(repo / "other.json", task({"name": "x", "image": "nginx:1"}))
    result = _check("--baseline", "ci/baseline.json", "other.json")
    assert result.json["summary"]["baseline_stale"] == 0


def test_suppressed_findings_are_not_recorded(repo: Path) -> None:
    labelled = {**SIDE, "dockerLabels": {"ecslint.ignore.ECS401": "upstream"}}
    write_json(repo / "a.json", task(WEB, labelled))
    run_cli(["check", *SELECT, "--write-baseline", "b.json", "a.json"])
    entries = json.loads((repo / "b.json").read_text())["entries"]
    assert [e["container"] for e in entries] == ["web"]


def test_rewriting_a_baseline_keeps_what_it_matched(repo: Path) -> None:
    _write(repo)
    write_json(
        repo / "svc" / "api.json", task(WEB, SIDE, {**WORKER, "image": "redis"}, family="api")
    )
    result = run_cli(
        [
            "check",
            *SELECT,
            "--baseline",
            "ci/baseline.json",
            "--write-baseline",
            "ci/baseline.json",
            "svc",
        ]
    )
    assert result.exit_code == 0
    entries = json.loads((repo / "ci" / "baseline.json").read_text())["entries"]
    assert sorted(e["container"] for e in entries) == ["side", "web", "worker"]


def test_bad_baseline_is_a_usage_error(repo: Path) -> None:
    write_json(repo / "a.json", task(WEB))
    result = run_cli(["check", *SELECT, "--baseline", "nope.json", "a.json"])
    assert result.exit_code == 2 and "nope.json: no such baseline file" in result.stderr
    (repo / "bad.json").write_text('{"entries": 3}')
    result = run_cli(["check", *SELECT, "--baseline", "bad.json", "a.json"])
    assert result.exit_code == 2 and "not an ecslint baseline" in result.stderr


def test_cloudformation_baseline_survives_reordering(repo: Path) -> None:
    def template(*names: str) -> str:
        containers = "".join(
            f"        - Name: {name}\n          Image: nginx:latest\n" for name in names
        )
        return (
            "Resources:\n  TaskDef:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
            f"      Family: api\n      ContainerDefinitions:\n{containers}"
        )

    (repo / "stack.yaml").write_text(template("web", "side"))
    run_cli(["check", "--select", "ECS401", "--write-baseline", "b.json", "stack.yaml"])
    pointers = [e["pointer"] for e in json.loads((repo / "b.json").read_text())["entries"]]
    assert pointers == [
        "/Resources/TaskDef/Properties/ContainerDefinitions/[side]/Image",
        "/Resources/TaskDef/Properties/ContainerDefinitions/[web]/Image",
    ]
    (repo / "stack.yaml").write_text(template("side", "web"))
    result = _check("--baseline", "b.json", "--ignore", "ECS101", "stack.yaml")
    assert result.findings == [] and result.exit_code == 0
