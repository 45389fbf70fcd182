"""Every output format through the CLI: structure, escaping, and what CI systems need."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from tests.builders import task
from tests.conftest import REFERENCE, SELECT, run_cli, write_json

SARIF_SCHEMA = (
    REFERENCE / "sarif-schema-2.1.0.json"
    if (REFERENCE / "sarif-schema-2.1.0.json").is_file()
    else None
)

LATEST = {"name": "web", "image": "nginx:latest"}
PINNED = {"name": "web", "image": "nginx:1.27.2"}


def _files(repo: Path) -> tuple[Path, Path]:
    bad = write_json(
        repo / "svc" / "bad.json",
        task(
            LATEST,
            {
                "name": "side",
                "image": "busybox",
                "dockerLabels": {"ecslint.ignore.latest-image-tag": "sidecar follows upstream"},
            },
        ),
    )
    clean = write_json(repo / "svc" / "clean.json", task(PINNED))
    return bad, clean


def _sarif(*args: str) -> dict[str, Any]:
    result = run_cli(["check", *SELECT, "--format", "sarif", *args])
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


# --- sarif ------------------------------------------------------------------------------


@pytest.mark.skipif(SARIF_SCHEMA is None, reason="shared/reference/sarif-schema-2.1.0.json absent")
def test_sarif_validates_against_the_schema(repo: Path) -> None:
    import jsonschema

    _files(repo)
    document = _sarif("svc")
    assert SARIF_SCHEMA is not None
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document)
    assert document["runs"][0]["results"], "the run should have results to validate"


def test_sarif_rules_carry_what_code_scanning_needs(repo: Path) -> None:
    _files(repo)
    driver = _sarif("svc")["runs"][0]["tool"]["driver"]
    assert driver["name"] == "ecslint"
    rule = next(r for r in driver["rules"] if r["id"] == "ECS401")
    assert rule["name"] == "latest-image-tag"
    assert rule["shortDescription"]["text"].startswith("An image uses the latest tag")
    assert "latest" in rule["fullDescription"]["text"]
    assert "Pin the image" in rule["help"]["text"]
    assert rule["help"]["markdown"].startswith("# ECS401 latest-image-tag")
    assert rule["helpUri"].endswith("/docs/rules/ECS401-latest-image-tag.md")
    assert rule["defaultConfiguration"] == {"level": "warning"}
    info = next(r for r in driver["rules"] if r["id"] == "ECS001")
    assert info["defaultConfiguration"] == {"level": "note"}


def test_sarif_results_locate_findings_relative_to_the_repository(repo: Path) -> None:
    _files(repo)
    run = _sarif(str(repo / "svc" / "bad.json"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    active = [r for r in run["results"] if "suppressions" not in r]
    assert [r["ruleId"] for r in active] == ["ECS401"]
    result = active[0]
    assert rules[result["ruleIndex"]]["id"] == "ECS401"
    assert result["level"] == "warning"
    assert "nginx:latest" in result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "svc/bad.json", "uriBaseId": "SRCROOT"}
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == repo.resolve().as_uri() + "/"
    text = (repo / "svc" / "bad.json").read_text().splitlines()
    region = location["region"]
    line = text[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == '"nginx:latest"'
    assert region["endLine"] == region["startLine"]
    assert len(result["partialFingerprints"]["ecslint/v1"]) == 16
    assert result["properties"]["path"] == "/containerDefinitions/0/image"


def test_sarif_always_carries_suppressed_findings(repo: Path) -> None:
    _files(repo)
    (repo / ".ecslint.yaml").write_text(
        "suppressions:\n  - rules: [ECS401]\n    container: web\n    reason: migrating in Q3\n"
    )
    results = _sarif("svc/bad.json")["runs"][0]["results"]
    suppressed = {r["properties"]["container"]: r["suppressions"] for r in results}
    assert suppressed["side"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "label: sidecar follows upstream",
        }
    ]
    assert suppressed["web"][0]["kind"] == "external"
    assert suppressed["web"][0]["justification"] == "config: migrating in Q3"


def test_sarif_fingerprints_survive_reformatting(repo: Path) -> None:
    path = write_json(repo / "a.json", task(LATEST))
    before = _sarif("a.json")["runs"][0]["results"][0]["partialFingerprints"]
    path.write_text("\n\n" + json.dumps(task(LATEST), indent=8))
    after = _sarif("a.json")["runs"][0]["results"][0]["partialFingerprints"]
    assert before == after


# --- github -----------------------------------------------------------------------------


def test_github_annotations_escape_messages_and_properties(repo: Path) -> None:
    write_json(repo / "a,b:c.json", task({"name": "50%", "image": "nginx"}))
    result = run_cli(["check", *SELECT, "--format", "github", "a,b:c.json"])
    assert result.exit_code == 1
    # ECS507, which reports a bad container name better, does not run under SELECT, so the
    # schema rule reports it; its message shows % escaped.
    invalid, line = result.stdout.splitlines()
    assert invalid.startswith("::error file=a%2Cb%3Ac.json,") and "ECS015" in invalid
    assert '"50%25" is not valid' in invalid
    head, message = line.split("::", 2)[1:]
    assert head.startswith("warning file=a%2Cb%3Ac.json,line=")
    assert ",title=ECS401 latest-image-tag" in head
    fields = dict(item.split("=", 1) for item in head.removeprefix("warning ").split(","))
    assert set(fields) == {"file", "line", "col", "endLine", "endColumn", "title"}
    assert int(fields["endColumn"]) > int(fields["col"])
    assert (
        message == "image 'nginx' has no tag, so it runs whatever 'latest' points to at pull time"
    )


def test_github_escapes_percent_and_newlines() -> None:
    from ecslint.report.github import escape_data, escape_property

    assert escape_data("100%\r\ndone") == "100%25%0D%0Adone"
    assert escape_data("\x1b[31mred") == "%1B[31mred"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_notices_when_over_the_annotation_cap(repo: Path) -> None:
    containers = [{"name": f"c{i}", "image": "nginx:latest"} for i in range(11)]
    write_json(repo / "many.json", task(*containers))
    # 11 containers are also over ECS's limit of 10 (the schema's ECS016 when ECS502 is off)
    args = ["check", *SELECT, "--ignore", "ECS016", "--format", "github", "many.json"]
    lines = run_cli(args).stdout.splitlines()
    assert sum(line.startswith("::warning ") for line in lines) == 11
    assert lines[-1].startswith("::notice title=ecslint::ecslint reported 11 warnings")
    write_json(repo / "few.json", task(*containers[:10]))
    lines = run_cli(["check", *SELECT, "--format", "github", "few.json"]).stdout.splitlines()
    assert not any(line.startswith("::notice") for line in lines)


# --- junit ------------------------------------------------------------------------------


def test_junit_suite_per_file_case_per_rule_and_container(repo: Path) -> None:
    _files(repo)
    write_json(repo / "svc" / "x&y.json", task({"name": 'a<b>&"c', "image": "nginx"}))
    (repo / "svc" / "notes.json").write_text('{"hello": 1}')
    # That container name is also one ECS refuses (the schema's ECS015 when ECS507 is off).
    result = run_cli(["check", *SELECT, "--ignore", "ECS015", "--format", "junit", "svc"])
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"svc/bad.json", "svc/clean.json", "svc/notes.json", "svc/x&y.json"}
    (case,) = suites["svc/bad.json"].findall("testcase")
    assert case.get("name") == "ECS401 latest-image-tag (container web)"
    assert case.get("classname") == "svc/bad.json"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "warning"
    assert "nginx:latest" in (failure.text or "")
    (clean,) = suites["svc/clean.json"].findall("testcase")
    assert clean.find("failure") is None and clean.get("name") == "ecslint"
    assert suites["svc/notes.json"].find("testcase/skipped") is not None
    odd = suites["svc/x&y.json"].find("testcase")
    assert odd is not None and odd.get("name") == 'ECS401 latest-image-tag (container a<b>&"c)'
    assert root.get("tests") == "4" and root.get("failures") == "2"


def test_junit_strips_characters_xml_cannot_carry() -> None:
    from ecslint.report.junit import xml_text

    assert xml_text("a\x00b\x1bc\td") == "a\ufffdb\ufffdc\td"


# --- gitlab -----------------------------------------------------------------------------


def test_gitlab_code_quality_report(repo: Path) -> None:
    _files(repo)
    write_json(repo / "svc" / "two.json", task({"name": "app", "image": "${IMAGE}"}))
    result = run_cli(["check", *SELECT, "--format", "gitlab", "svc"])
    issues = json.loads(result.stdout)
    by_path = {(i["location"]["path"], i["check_name"]): i for i in issues}
    assert set(by_path) == {("svc/bad.json", "ECS401"), ("svc/two.json", "ECS001")}
    issue = by_path[("svc/bad.json", "ECS401")]
    assert issue["severity"] == "major"
    assert issue["description"].startswith("ECS401 latest-image-tag: image 'nginx:latest'")
    assert issue["location"]["lines"]["begin"] >= 1
    assert by_path[("svc/two.json", "ECS001")]["severity"] == "info"
    again = json.loads(run_cli(["check", *SELECT, "--format", "gitlab", "svc"]).stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


# --- output file, statistics, suppressed ------------------------------------------------


def test_output_writes_the_format_to_a_file_and_text_to_stdout(repo: Path) -> None:
    _files(repo)
    result = run_cli(["check", *SELECT, "--format", "sarif", "--output", "out.sarif", "svc"])
    assert result.exit_code == 1
    assert "svc/bad.json:" in result.stdout and "ECS401" in result.stdout
    assert "Found 1 problem" in result.stdout
    document = json.loads((repo / "out.sarif").read_text())
    assert document["version"] == "2.1.0"


def test_statistics_counts_per_rule(repo: Path) -> None:
    containers = [{"name": f"c{i}", "image": "nginx"} for i in range(3)]
    write_json(repo / "a.json", task(*containers, {"name": "x", "image": "${IMAGE}"}))
    result = run_cli(["check", *SELECT, "--statistics", "a.json"])
    assert result.exit_code == 1
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [
        ["3", "ECS401", "latest-image-tag", "warning"],
        ["1", "ECS001", "unevaluated-value", "info"],
    ]


def test_json_adds_suppressed_only_when_shown(repo: Path) -> None:
    bad, _ = _files(repo)
    hidden = run_cli(["check", *SELECT, "--format", "json", str(bad)]).json
    assert [f["container"] for f in hidden["findings"]] == ["web"]
    assert all("suppressed" not in f for f in hidden["findings"])
    assert "suppressed" not in hidden["summary"]
    shown = run_cli(["check", *SELECT, "--format", "json", "--show-suppressed", str(bad)]).json
    side = next(f for f in shown["findings"] if f["container"] == "side")
    assert side["suppressed"] == {"by": "label", "reason": "sidecar follows upstream"}
    assert shown["summary"]["suppressed"] == 1 and shown["summary"]["warnings"] == 1


def test_text_marks_suppressed_findings(repo: Path) -> None:
    bad, _ = _files(repo)
    text = run_cli(["check", *SELECT, "--show-suppressed", str(bad)]).stdout
    assert "(suppressed by label: sidecar follows upstream)" in text
    assert "1 suppressed" in text


# --- what CI formats classify: the fail threshold, concerns, security ------------------------


PRIVILEGED = {"name": "web", "image": "nginx:1.27.2", "privileged": True}


def test_junit_fails_only_at_or_above_the_fail_threshold(repo: Path) -> None:
    write_json(repo / "a.json", task(LATEST, requiresCompatibilities=["FARGATE"]))
    select = ("--select", "ECS401,ECS801")

    def cases(*extra: str) -> dict[str, str]:
        result = run_cli(["check", *select, "--format", "junit", *extra, "a.json"])
        root = ET.fromstring(result.stdout)
        found = {}
        for case in root.iter("testcase"):
            (outcome,) = list(case)
            found[str(case.get("name")).split()[0]] = outcome.tag
        assert root.get("failures") == str(list(found.values()).count("failure"))
        assert root.get("skipped") == str(list(found.values()).count("skipped"))
        return found

    assert cases() == {"ECS401": "failure", "ECS801": "failure"}  # warning and error
    assert cases("--fail-on", "error") == {"ECS401": "skipped", "ECS801": "failure"}
    assert cases("--fail-on", "never") == {"ECS401": "skipped", "ECS801": "skipped"}


def test_a_green_junit_run_has_no_failures(repo: Path) -> None:
    write_json(repo / "b.json", {"family": "web", "containerDefinitions": [PINNED]})
    result = run_cli(["check", "--select", "ECS903,ECS401", "--format", "junit", "b.json"])
    assert result.exit_code == 0  # ECS903 is info: below the default threshold
    root = ET.fromstring(result.stdout)
    assert root.get("failures") == "0" and root.get("skipped") == "1"
    skipped = root.find("testsuite/testcase/skipped")
    assert skipped is not None and "ECS903" in str(skipped.get("message"))


def test_github_annotations_follow_the_fail_threshold(repo: Path) -> None:
    write_json(repo / "a.json", task(LATEST, requiresCompatibilities=["FARGATE"]))

    def kinds(*extra: str) -> list[str]:
        result = run_cli(
            ["check", "--select", "ECS401,ECS801", "--format", "github", *extra, "a.json"]
        )
        return sorted(line.split(" ", 1)[0] for line in result.stdout.splitlines())

    assert kinds() == ["::error", "::warning"]
    assert kinds("--fail-on", "error") == ["::error", "::notice"]
    assert kinds("--fail-on", "never") == ["::notice", "::notice"]
    assert kinds("--fail-on", "info") == ["::error", "::warning"]


def test_sarif_security_rules_have_security_severity_and_precise_tags(repo: Path) -> None:
    write_json(repo / "a.json", task(PRIVILEGED))
    rules = {r["id"]: r for r in _sarif("a.json")["runs"][0]["tool"]["driver"]["rules"]}
    privileged = rules["ECS901"]["properties"]
    assert privileged["security-severity"] == "8.0"  # Security Hub ECS.4: High
    assert {"security", "ecs", "security-hub/ECS.4"} <= set(privileged["tags"])
    assert rules["ECS911"]["properties"]["security-severity"] == "8.0"  # ECS.8: High
    assert rules["ECS906"]["properties"]["security-severity"] == "5.5"  # ECS.17: Medium
    latest = rules["ECS401"]["properties"]
    assert "security-severity" not in latest and "security" not in latest["tags"]
    assert latest["tags"] == ["ecs", "images"]
    assert rules["ECS301"]["properties"]["tags"] == ["ecs", "resources"]
    assert rules["ECS010"]["properties"]["tags"] == ["ecs", "schema"]


def test_sarif_files_outside_the_repository_use_a_second_base(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("runner-temp")
    rendered = write_json(outside / "render" / "task-definition.json", task(LATEST))
    write_json(repo / "svc" / "a.json", task(LATEST))
    run = _sarif("svc/a.json", str(rendered))["runs"][0]
    locations = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]: r["locations"][0][
            "physicalLocation"
        ]["artifactLocation"]["uri"]
        for r in run["results"]
    }
    assert locations == {"SRCROOT": "svc/a.json", "OUTSIDE": "task-definition.json"}
    bases = run["originalUriBaseIds"]
    assert bases["OUTSIDE"]["uri"] == (outside / "render").resolve().as_uri() + "/"
    assert bases["SRCROOT"]["uri"] == repo.resolve().as_uri() + "/"
    if SARIF_SCHEMA is not None:
        import jsonschema

        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        jsonschema.Draft7Validator(schema).validate(_sarif("svc/a.json", str(rendered)))


def test_gitlab_categories_follow_the_rules_concern(repo: Path) -> None:
    write_json(repo / "a.json", task(LATEST, PRIVILEGED | {"name": "root"}))
    write_json(repo / "b.json", task(PINNED, requiresCompatibilities=["FARGATE"]))
    result = run_cli(
        ["check", "--select", "ECS401,ECS901,ECS801", "--format", "gitlab", "a.json", "b.json"]
    )
    categories = {i["check_name"]: i["categories"] for i in json.loads(result.stdout)}
    assert categories == {
        "ECS401": ["Bug Risk"],
        "ECS901": ["Security"],
        "ECS801": ["Compatibility"],
    }
