"""Rules over the shared corpus: no crash, located findings, no known false positive."""

from __future__ import annotations

from tests.conftest import CORPUS, lint_file, needs_corpus

OWN = ("ECS1", "ECS2", "ECS3", "ECS4")


@needs_corpus()
def test_corpus_findings_are_located_and_describe_outputs_have_no_size_errors() -> None:
    result = lint_file(CORPUS / "taskdef")
    assert result.exit_code in (0, 1)
    own = [f for f in result.findings if f["rule"].startswith(OWN)]
    assert own
    for finding in own:
        assert finding["path"].startswith("/"), finding
        assert finding["line"] >= 1 and finding["column"] >= 1
    describe = [f for f in own if f["path"].startswith("/taskDefinition/")]
    # describe output has normalised cpu/memory strings and "cpu": 0 containers
    assert not [f for f in describe if f["rule"].startswith("ECS3")], describe


@needs_corpus()
def test_template_values_in_the_corpus_are_not_reported_as_malformed() -> None:
    result = lint_file(
        CORPUS / "taskdef" / "0xbageltoes__credit-cashflow-engine__task-definition.json"
    )
    rules = result.rules()
    assert "ECS205" not in rules and "ECS404" not in rules
    assert "ECS001" in rules
