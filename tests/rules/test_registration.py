"""Registration limits, names and tags (ECS501-ECS511) through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import IMAGE, container, ec2, findings, unevaluated
from tests.conftest import ROOT, run_cli


def test_empty_container_list() -> None:
    [finding] = findings({"family": "web", "containerDefinitions": []}, "ECS501")
    assert finding["path"] == "/containerDefinitions"
    assert "Container list cannot be empty." in finding["message"]
    [missing] = findings({"family": "web"}, "ECS501")
    assert "is missing" in missing["message"]
    assert not findings(ec2(), "ECS501")


def test_too_many_containers() -> None:
    eleven = ec2(*[container(f"c{i}", memory=32) for i in range(11)])
    [finding] = findings(eleven, "ECS502")
    assert finding["path"] == "/containerDefinitions/10"
    assert "11 containers" in finding["message"] and "Too many containers." in finding["message"]
    assert not findings(ec2(*[container(f"c{i}", memory=32) for i in range(10)]), "ECS502")


def test_task_definition_too_large_reports_size() -> None:
    big = ec2(container(environment=[{"name": f"V{i}", "value": "x" * 4000} for i in range(17)]))
    expected = len(json.dumps(big, separators=(",", ":")).encode())
    [finding] = findings(big, "ECS503")
    assert finding["path"] == ""
    assert f"{expected:,} bytes" in finding["message"]
    assert "Max allowed length is '65536' bytes." in finding["message"]
    small = ec2(container(environment=[{"name": f"V{i}", "value": "x" * 4000} for i in range(15)]))
    assert not findings(small, "ECS503")


def test_task_definition_size_ignores_describe_read_only_fields_and_counts_utf8() -> None:
    # 16 x 4000 bytes of two-byte characters is over the limit only when counted in bytes.
    wide = ec2(container(environment=[{"name": f"V{i}", "value": "é" * 2100} for i in range(16)]))
    assert findings(wide, "ECS503")
    task = ec2(container(environment=[{"name": f"V{i}", "value": "x" * 4000} for i in range(16)]))
    task["requiresAttributes"] = [{"name": "x" * 100}] * 60  # read-only: not sent
    assert not findings({"taskDefinition": task}, "ECS503")


def test_task_definition_size_with_placeholders_near_the_limit_is_not_evaluated() -> None:
    values = [{"name": f"V{i}", "value": "x" * 3950} for i in range(16)]
    near = ec2(container(image="${IMAGE}", environment=values))
    assert not findings(near, "ECS503")
    assert any("task-definition-too-large" in f["message"] for f in unevaluated(near))


def test_missing_container_name() -> None:
    doc = ec2({"image": IMAGE, "memory": 512}, container("ok"), {"name": "", "image": IMAGE})
    found = findings(doc, "ECS504")
    assert [f["path"] for f in found] == [
        "/containerDefinitions/0/name",
        "/containerDefinitions/2/name",
    ]
    assert all("Container.name should not be null or empty." in f["message"] for f in found)
    # a missing key: the pointer says where it belongs, the line is the object's own
    assert found[0]["line"] == 4 and found[0]["column"] == 5
    assert not findings(ec2(), "ECS504")


def test_duplicate_container_name() -> None:
    [finding] = findings(ec2(container("web"), container("db"), container("web")), "ECS505")
    assert finding["path"] == "/containerDefinitions/2/name"
    assert "container #0" in finding["message"]
    assert "Container names must be unique" in finding["message"]
    assert not findings(ec2(container("web"), container("db")), "ECS505")


def test_invalid_family_name() -> None:
    [finding] = findings({**ec2(), "family": "feature/login.v2"}, "ECS506")
    assert finding["path"] == "/family"
    assert "'.', '/'" in finding["message"]
    assert "Family contains invalid characters." in finding["message"]
    [long] = findings({**ec2(), "family": "a" * 256}, "ECS506")
    assert "256 characters" in long["message"]
    assert not findings({**ec2(), "family": "A_b-9" + "a" * 250}, "ECS506")


def test_invalid_container_and_volume_names() -> None:
    [finding] = findings(ec2(container("web server")), "ECS507")
    assert finding["path"] == "/containerDefinitions/0/name"
    assert "' '" in finding["message"]
    assert not findings(ec2(container("web_server-1")), "ECS507")
    doc = ec2(volumes=[{"name": "ok"}, {"name": "app.data"}])
    [volume] = findings(doc, "ECS508")
    assert volume["path"] == "/volumes/1/name"
    assert not findings(ec2(volumes=[{"name": "app-data"}]), "ECS508")


def test_names_with_placeholders_are_not_evaluated() -> None:
    doc = {**ec2(container("${NAME}")), "family": "${FAMILY}"}
    assert not findings(doc, "ECS506") and not findings(doc, "ECS507")
    paths = {f["path"] for f in unevaluated(doc)}
    assert {"/family", "/containerDefinitions/0/name"} <= paths


def test_too_many_tags() -> None:
    tags = [{"key": f"k{i}", "value": "v"} for i in range(51)]
    [finding] = findings(ec2(tags=tags), "ECS509")
    assert finding["path"] == "/tags/50"
    assert "51 tags" in finding["message"]
    assert not findings(ec2(tags=tags[:50]), "ECS509")


def test_duplicate_tag_key() -> None:
    tags = [{"key": "team", "value": "a"}, {"key": "Team", "value": "b"}, {"key": "team"}]
    [finding] = findings(ec2(tags=tags), "ECS510")
    assert finding["path"] == "/tags/2/key"
    assert "tags[0]" in finding["message"]
    assert not findings(ec2(tags=tags[:2]), "ECS510")


def test_reserved_tag_prefix_in_any_case() -> None:
    tags = [{"key": "AWS:owner", "value": "a"}, {"key": "awsome", "value": "b"}]
    [finding] = findings(ec2(tags=tags), "ECS511")
    assert finding["path"] == "/tags/0/key"
    assert "'AWS:'" in finding["message"]
    assert not findings(ec2(tags=[{"key": "owner", "value": "a"}]), "ECS511")


def test_reserved_tag_prefix_is_skipped_in_describe_output() -> None:
    doc = {
        "taskDefinition": ec2(),
        "tags": [{"key": "aws:cloudformation:stack-name", "value": "web"}],
    }
    assert not findings(doc, "ECS511")


def test_a_schema_limit_is_left_to_its_rule_only_when_that_rule_runs(tmp_path: Path) -> None:
    """ECS506 reports a bad family better than the schema rules (its reports_schema); the
    schema's own error was dropped even when ECS506 did not run, so --select ECS0 passed a
    family AWS rejects."""
    path = tmp_path / "td.json"
    bad = ec2(family="bad family!")
    path.write_text(json.dumps(bad), encoding="utf-8")
    alone = run_cli(["check", "--format", "json", "--select", "ECS0", str(path)])
    assert alone.exit_code == 1
    assert [(f["rule"], f["path"]) for f in alone.findings] == [("ECS015", "/family")]
    both = run_cli(["check", "--format", "json", "--select", "ECS0,ECS506", str(path)])
    assert [(f["rule"], f["path"]) for f in both.findings] == [("ECS506", "/family")]
    ignored = run_cli(["check", "--format", "json", "--ignore", "ECS506", str(path)])
    assert ("ECS015", "/family") in {(f["rule"], f["path"]) for f in ignored.findings}


def test_a_null_a_rule_reports_as_missing_is_the_schemas_without_it(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text(json.dumps(ec2(container(image=None))), encoding="utf-8")
    alone = run_cli(["check", "--format", "json", "--select", "ECS0", str(path)])
    assert ("ECS018", "/containerDefinitions/0/image") in {
        (f["rule"], f["path"]) for f in alone.findings
    }
    both = run_cli(["check", "--format", "json", "--select", "ECS0,ECS402", str(path)])
    assert {f["rule"] for f in both.findings} == {"ECS402"}


def test_schema_ownership_is_written_on_rules_not_in_the_overlay() -> None:
    overlay = (ROOT / "tools" / "schema-overlay.yaml").read_text(encoding="utf-8")
    assert "reported-by:" not in overlay.split("names: &name")[1]
    schema = (ROOT / "schemas" / "task-definition.schema.json").read_text(encoding="utf-8")
    assert '"ECS506"' in schema  # written by tools/generate_schema.py from ECS506's YAML


def test_task_definition_size_limit_is_a_param_and_its_edge_passes() -> None:
    from tests.conftest import lint_with_params

    doc = ec2(container(environment=[{"name": "V", "value": "x" * 100}]))
    size = len(json.dumps(doc, separators=(",", ":")).encode())
    assert lint_with_params(doc, "ECS503", {"max_bytes": size}) == []
    [finding] = lint_with_params(doc, "ECS503", {"max_bytes": size - 1})
    assert f"{size:,} bytes" in finding.message and f"at most {size - 1:,}" in finding.message
    assert not findings(doc, "ECS503")  # the default: 65536


def test_containers_without_names_are_not_duplicates() -> None:
    doc = ec2({"image": IMAGE, "memory": 512}, {"image": IMAGE, "memory": 512}, container("a"))
    assert not findings(doc, "ECS505")
    empty = ec2(container(""), container(""), container("a"))
    assert not findings(empty, "ECS505")
    assert findings(ec2(container("a"), container("a")), "ECS505")


def _all_findings(doc: dict[str, object], rule_id: str, params: dict[str, object]) -> list[object]:
    """Every finding of one run with ``rule_id`` configured (not-evaluated ones included)."""
    from ecslint.catalog import load_builtin_catalog
    from ecslint.engine import Linter
    from ecslint.load.source import Source

    catalog = load_builtin_catalog()
    rule, meta = catalog.get(rule_id), catalog.get("ECS001")
    assert rule is not None and meta is not None
    configured = rule._replace(params={**rule.params, **params})
    report = Linter(catalog, [configured, meta]).lint_source(Source("<stdin>", json.dumps(doc)))
    return list(report.findings)


def test_task_definition_size_with_placeholders_is_in_doubt_only_within_the_margin() -> None:
    import re

    # (big enough that the file's own length does not settle it: 5 x its bytes > the limit)
    doc = ec2(container(image="${IMAGE}", environment=[{"name": "V", "value": "x" * 2000}]))
    [over] = [f for f in _all_findings(doc, "ECS503", {"max_bytes": 1}) if f.rule == "ECS503"]
    size = int(re.search(r"is ([\d,]+) bytes", over.message).group(1).replace(",", ""))  # type: ignore[union-attr]

    def in_doubt(limit: int) -> bool:
        return any(
            f.rule == "ECS001" and "task-definition-too-large" in f.message
            for f in _all_findings(doc, "ECS503", {"max_bytes": limit})
        )

    assert not in_doubt(size + 4096)
    assert in_doubt(size + 4095)
    assert in_doubt(size)


def test_placeholder_tag_keys() -> None:
    tags = [{"key": "${KEY}", "value": "a"}, {"key": "aws:${SUFFIX}", "value": "b"}]
    doc = ec2(tags=tags)
    assert [f["path"] for f in findings(doc, "ECS511")] == ["/tags/1/key"]
    assert not findings(doc, "ECS510")
    skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
    assert "duplicate-tag-key" in skipped["/tags/0/key"]
