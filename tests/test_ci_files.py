"""The GitHub Action and the example CI files: well-formed, and using options ecslint has."""

from __future__ import annotations

import re

import yaml

from tests.conftest import EXAMPLES, ROOT, run_cli

CHECK_HELP = run_cli(["check", "--help"]).stdout


def _options(script: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", script))


def test_action_is_a_composite_action_writing_sarif() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert {"paths", "sarif-file", "fail-on", "args"} <= set(action["inputs"])
    install = next(s for s in action["runs"]["steps"] if s.get("name") == "Install ecslint")
    # ecslint is not on PyPI: the action installs its own checkout, pinned by `uses: ...@ref`
    assert install["run"].endswith('pip install --disable-pip-version-check --quiet "$ACTION_PATH"')
    assert "version" not in action["inputs"]
    scripts = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    check = next(s for s in scripts if "--format sarif" in s)
    assert '--output "$SARIF"' in check and "$PATHS" in check
    for script in scripts:
        if "ecslint check" in script:
            assert _options(script) <= _options(CHECK_HELP), script
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "pass inputs through env, not into the script"


def test_github_workflow_uploads_sarif() -> None:
    workflow = yaml.safe_load((EXAMPLES / "ci" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["ecslint"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert workflow["permissions"]["security-events"] == "write"
    lint = next(step for step in steps if step.get("id") == "ecslint")
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == lint["with"]["sarif-file"]
    assert "cancelled()" in upload["if"]


def test_gitlab_ci_publishes_code_quality_and_junit() -> None:
    config = yaml.safe_load((EXAMPLES / "ci" / "gitlab-ci.yml").read_text())
    job = config["ecslint"]
    reports = job["artifacts"]["reports"]
    script = "\n".join(job["script"])
    assert f"--format gitlab --output {reports['codequality']}" in script
    assert f"--format junit --output {reports['junit']}" in script
    assert job["artifacts"]["when"] == "always"
    assert _options(script) <= _options(CHECK_HELP)


def test_docs_show_the_example_files() -> None:
    ci = (ROOT / "docs" / "ci.md").read_text()
    for name in ("github-workflow.yml", "gitlab-ci.yml"):
        assert (EXAMPLES / "ci" / name).read_text().strip() in ci
    editors = (ROOT / "docs" / "editors.md").read_text()
    assert "json.schemas" in editors and "yaml-language-server" in editors
    assert "schemas/task-definition.schema.json" in editors
