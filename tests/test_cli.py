"""The command line contract: formats, exit codes, selection, and the JSON document."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecslint import __version__
from tests.conftest import EXAMPLES, lint, lint_file, run_cli

LATEST = {
    "family": "web",
    "containerDefinitions": [
        {
            "name": "web",
            "image": "nginx:latest",
            "memory": 512,
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": "/ecs/web",
                    "awslogs-region": "eu-west-1",
                    "awslogs-stream-prefix": "web",
                },
            },
        }
    ],
}


def test_json_document_follows_the_contract() -> None:
    result = lint(LATEST, "--select", "ECS401")
    document = result.json
    assert document["version"] == 1
    (finding,) = document["findings"]
    assert set(finding) == {
        "rule", "name", "severity", "message", "file", "line", "column",
        "end_line", "end_column", "path", "family", "container", "fingerprint",
    }  # fmt: skip
    assert finding["rule"] == "ECS401"
    assert finding["name"] == "latest-image-tag"
    assert finding["severity"] == "warning"
    assert finding["path"] == "/containerDefinitions/0/image"
    assert (finding["family"], finding["container"]) == ("web", "web")
    assert finding["file"] == "<stdin>"
    assert document["summary"] == {
        "files": 1, "task_definitions": 1, "errors": 0, "warnings": 1, "infos": 0
    }  # fmt: skip


def test_fingerprint_survives_reformatting_and_moved_lines() -> None:
    compact = lint(json.dumps(LATEST), "--select", "ECS401").findings[0]
    spaced = lint("\n\n\n" + json.dumps(LATEST, indent=4), "--select", "ECS401").findings[0]
    assert compact["line"] != spaced["line"]
    assert compact["fingerprint"] == spaced["fingerprint"]


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"family": ')
    result = run_cli(["check", "--format", "json", str(bad), str(EXAMPLES / "fargate-broken.json")])
    assert result.exit_code == 1
    files = {f["file"] for f in result.findings}
    assert str(bad) in files
    assert any(f.endswith("fargate-broken.json") for f in files)
    assert result.json["summary"]["files"] == 2


def test_missing_path_is_reported_and_exits_2(tmp_path: Path) -> None:
    result = run_cli(["check", "--format", "json", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert result.rules() == ["ECS004"]


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on_threshold(fail_on: str, code: int) -> None:
    assert lint(LATEST, "--select", "ECS401", "--fail-on", fail_on).exit_code == code


def test_clean_file_exits_0() -> None:
    result = lint_file(EXAMPLES / "fargate-clean.json")
    assert result.exit_code == 0, result.findings
    # ECS813 (info) is advice that ARM64 needs Fargate platform version 1.4.0, not a problem.
    assert [f for f in result.findings if f["rule"] != "ECS813"] == []


def test_select_and_ignore_by_id_prefix_and_slug() -> None:
    assert lint(LATEST, "--select", "latest-image-tag").rules() == ["ECS401"]
    assert lint(LATEST, "--select", "ECS4").rules() == ["ECS401"]
    assert lint(LATEST, "--select", "ECS401", "--ignore", "ECS4").rules() == []
    assert "ECS401" not in lint(LATEST, "--ignore", "latest-image-tag").rules()


def test_unknown_selector_is_a_usage_error() -> None:
    result = lint(LATEST, "--select", "ECS999x")
    assert result.exit_code == 2
    assert "unknown rule" in result.stderr


def test_bad_option_value_is_a_usage_error() -> None:
    result = run_cli(["check", "--format", "xml", "x.json"])
    assert result.exit_code == 2


def test_text_output_has_location_excerpt_caret_fix_and_summary() -> None:
    result = run_cli(["check", str(EXAMPLES / "fargate-broken.json"), "--select", "ECS401"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{EXAMPLES / 'fargate-broken.json'}:10:16: ECS401 [warning]")
    assert lines[1].strip().startswith("10 |")
    assert lines[2].strip().startswith("|") and "^" in lines[2]
    caret_column = lines[2].index("^") - lines[2].index("|") - 1
    source_column = lines[1].index('"123456789012') - lines[1].index("|") - 1
    assert caret_column == source_column
    assert any(line.strip().startswith("= fix:") for line in lines)
    assert lines[-1].startswith("Found 2 problems")
    assert "\033[" not in result.stdout  # no colour when not a terminal


def test_concise_and_quiet() -> None:
    result = run_cli(["check", "--format", "concise", str(EXAMPLES / "fargate-broken.json")])
    *findings, summary = result.stdout.splitlines()
    assert findings and all(": ECS" in line for line in findings)
    assert summary.startswith("Found ")  # concise ends with the summary, as text does
    quiet = run_cli(["check", "-q", str(EXAMPLES / "fargate-broken.json")])
    assert quiet.stdout.splitlines() == findings  # quiet: findings only, no summary


def test_rules_and_rule_commands() -> None:
    listing = run_cli(["rules"]).stdout
    assert "ECS401  latest-image-tag" in listing
    page = run_cli(["rule", "latest-image-tag"])
    assert page.exit_code == 0
    assert page.stdout.startswith("# ECS401 latest-image-tag")
    assert "## Example" in page.stdout and "## Use instead" in page.stdout
    assert run_cli(["rule", "ECS401"]).stdout == page.stdout
    assert run_cli(["rule", "nope"]).exit_code == 2


def test_version() -> None:
    result = run_cli(["--version"])
    assert result.stdout.strip() == f"ecslint {__version__}"


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    """The real entry point, in a subprocess: a broken file gives findings, not a traceback."""
    bad = tmp_path / "task-definition.json"
    bad.write_bytes(b'{"family": "a", "containerDefinitions": [\xff]}')
    result = subprocess.run(
        [sys.executable, "-m", "ecslint", "check", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "ECS004" in result.stdout and ":1:" in result.stdout


def test_one_rule_lists_at_most_100_findings_and_counts_the_rest() -> None:
    task: dict[str, object] = dict(LATEST)
    task.update({f"junk{i}": 1 for i in range(150)})
    found = [f for f in lint(task, "--select", "ECS010").findings]
    assert len(found) == 101
    assert found[-1]["message"].startswith("50 more unknown-key finding(s)")


def test_a_reader_that_goes_away_stops_ecslint_quietly(tmp_path: Path) -> None:
    """``ecslint check ... | head``: no traceback, no 'internal error', SIGPIPE's 141."""
    broken = (EXAMPLES / "fargate-broken.json").read_text()
    for index in range(300):  # far more output than a pipe holds
        (tmp_path / f"task-{index}.json").write_text(broken)
    reader = subprocess.Popen(
        # --jobs 2: the pool's workers must end with it, without a word on stderr
        [
            sys.executable,
            "-m",
            "ecslint",
            "check",
            "--jobs",
            "2",
            "--format",
            "concise",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None
    reader.stdout.readline()
    reader.stdout.close()  # like head after one line
    _, stderr = reader.communicate(timeout=60)
    assert reader.returncode == 141
    assert b"Traceback" not in stderr
    assert b"internal error" not in stderr


# --- a newcomer's first commands ----------------------------------------------------------


@pytest.mark.parametrize("args", [["-h"], ["check", "-h"], ["rules", "-h"], ["scan", "-h"]])
def test_dash_h_is_help(args: list[str]) -> None:
    result = run_cli(args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Usage: ecslint"), result.stdout


def test_an_unknown_rule_gets_a_did_you_mean() -> None:
    result = run_cli(["rule", "latest-image"])
    assert result.exit_code == 2
    assert "did you mean 'latest-image-tag'?" in result.stderr
    far = run_cli(["rule", "no-such-thing-at-all"])
    assert far.exit_code == 2 and "did you mean" not in far.stderr


def test_scan_without_boto3_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("boto3", "botocore", "botocore.exceptions"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    result = run_cli(["scan", "--aws", "--region", "eu-west-1"])
    assert result.exit_code == 2
    assert "needs boto3: pip install boto3" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_check_aws_without_boto3_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("boto3", "botocore", "botocore.exceptions"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    path = tmp_path / "task.json"
    path.write_text(
        json.dumps(
            {
                "family": "web",
                "executionRoleArn": "arn:aws:iam::123456789012:role/web",
                "containerDefinitions": [{"name": "w", "image": "nginx:1.27", "memory": 64}],
            }
        )
    )
    result = run_cli(["check", "--aws", str(path)])
    assert result.exit_code == 2
    assert "needs boto3: pip install boto3" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_write_baseline_prints_what_it_wrote_not_the_report(tmp_path: Path) -> None:
    path = tmp_path / "task.json"
    path.write_text(
        json.dumps({"family": "web", "containerDefinitions": [{"name": "w", "image": "nginx"}]})
    )
    baseline = tmp_path / "baseline.json"
    result = run_cli(["check", "--write-baseline", str(baseline), str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote" in result.stderr and baseline.is_file()
    assert json.loads(baseline.read_text())  # the findings went to the file


def test_color_follows_force_color_no_color_and_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(EXAMPLES / "fargate-broken.json")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert "\033[" not in run_cli(["check", path]).stdout  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\033[31m" in run_cli(["check", path]).stdout
    assert "\033[" not in run_cli(["check", "--color", "never", path]).stdout
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in run_cli(["check", path]).stdout
    assert "\033[31m" in run_cli(["check", "--color", "always", path]).stdout
    assert "\033[" not in run_cli(["check", "--color", "always", "--format", "json", path]).stdout


def test_rules_has_a_header_a_filter_and_json() -> None:
    lines = run_cli(["rules"]).stdout.splitlines()
    assert lines[0].split() == ["ID", "SLUG", "SEVERITY", "FIX", "SUMMARY"]
    assert lines[1].startswith("ECS001  unevaluated-value")
    assert lines[0].index("SEVERITY") == lines[1].index("info")
    security = run_cli(["rules", "--select", "ECS90"]).stdout.splitlines()[1:]
    assert security and all(line.startswith("ECS90") for line in security)
    listed = json.loads(run_cli(["rules", "--format", "json", "--select", "ECS901"]).stdout)
    assert listed == [
        {
            "id": "ECS901",
            "name": "privileged-container",
            "severity": "warning",
            "summary": "A container runs in privileged mode",
            "autofix": "none",
            "opt_in": None,
            "concern": "security",
            "security_severity": "8.0",
        }
    ]
    assert len(json.loads(run_cli(["rules", "-f", "json"]).stdout)) == len(lines) - 1
    bad = run_cli(["rules", "--select", "no-such-rule"])
    assert bad.exit_code == 2 and "unknown rule" in bad.stderr


def test_a_walk_skips_what_git_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """cdk.out/ and other ignored output are not linted; tracked and new files are."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    task = {"family": "web", "containerDefinitions": [{"name": "w", "image": "nginx:latest"}]}
    for name in ("deploy/task.json", "cdk.out/Stack/task.json", "build.generated.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(json.dumps(task))
    (tmp_path / ".gitignore").write_text("cdk.out/\n*.generated.json\n")
    monkeypatch.chdir(tmp_path)

    def linted() -> set[str]:
        result = run_cli(["check", "--format", "json", "--select", "ECS401", "."])
        return {finding["file"] for finding in result.findings}

    assert linted() == {"deploy/task.json", "cdk.out/Stack/task.json", "build.generated.json"}
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert linted() == {"deploy/task.json"}  # inside a repository: .gitignore applies
    named = run_cli(["check", "--format", "json", "--select", "ECS401", "build.generated.json"])
    assert [f["file"] for f in named.findings] == ["build.generated.json"]  # named: read
