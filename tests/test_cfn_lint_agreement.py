"""Where cfn-lint 1.58.0 reports E3042, E3046, E3047, E3048 or E3053, ecslint reports the
same problem at the same place, and where it reports none of them, neither does ecslint.

The expectations are cfn-lint's own output on the case templates in
``tests/data/cfn_lint_cases/`` (written for this test from cfn-lint's inline pytest
cases) and on cfn-lint's ECS fixtures in the shared corpus, recorded with::

    bench/.peers/bin/cfn-lint -f parseable tests/data/cfn_lint_cases/*.yaml

Each cfn-lint finding is one problem, mirrored by one ecslint rule (named by slug
below; E3048 bundles four problems that ecslint checks with four rules). The test runs
against whatever rules the catalog has: a problem whose rule is not in the catalog yet
is skipped, every other one is checked strictly, both ways (cfn-lint reports it, so
must ecslint; cfn-lint is silent, so must ecslint's rules for that id be). "The same
place" means one JSON pointer contains the other: cfn-lint points at the property
that holds the problem (``Properties`` for a bad Cpu/Memory pair), ecslint at the
value (``Properties/Cpu``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecslint.catalog import load_builtin_catalog
from tests.conftest import lint_file
from tests.iac_corpus import IAC_CORPUS

CASES = Path(__file__).parent / "data" / "cfn_lint_cases"
FIXTURES = IAC_CORPUS / "fixtures"
CFN_LINT_IDS = ("E3042", "E3046", "E3047", "E3048", "E3053")

#: The ecslint rules (slugs) that mirror each cfn-lint id.
COVERING_SLUGS = {
    "E3042": {"no-essential-container"},
    "E3046": {"awslogs-missing-group-or-region"},
    "E3047": {"invalid-fargate-cpu-memory"},
    "E3048": {
        "fargate-missing-task-size",
        "fargate-network-mode-not-awsvpc",
        "fargate-placement-constraints",
        "log-driver-unsupported-on-fargate",
    },
    "E3053": {"host-port-mismatch"},
}
ESSENTIAL, AWSLOGS, PAIRS = (
    "no-essential-container",
    "awslogs-missing-group-or-region",
    ("invalid-fargate-cpu-memory"),
)
SIZE, NETWORK = "fargate-missing-task-size", "fargate-network-mode-not-awsvpc"
PLACEMENT, DRIVER = "fargate-placement-constraints", "log-driver-unsupported-on-fargate"
HOST_PORT = "host-port-mismatch"

P = "/Resources/Task/Properties"
C0 = f"{P}/ContainerDefinitions/0"

#: file -> [(cfn-lint id, its line, the pointer of what its line and column name, the
#: ecslint rule that mirrors the problem)].
Expectation = tuple[str, int, str, str]
EXPECTED: dict[str, list[Expectation]] = {
    "e3042_all_nonessential.yaml": [("E3042", 5, f"{P}/ContainerDefinitions", ESSENTIAL)],
    "e3042_default_essential.yaml": [],
    "e3042_essential_from_parameter.yaml": [],
    "e3046_awslogs_without_options.yaml": [("E3046", 9, f"{C0}/LogConfiguration", AWSLOGS)],
    "e3046_awslogs_without_region.yaml": [("E3046", 11, f"{C0}/LogConfiguration/Options", AWSLOGS)],
    "e3046_awslogs_complete.yaml": [],
    "e3047_bad_pair.yaml": [("E3047", 4, P, PAIRS)],
    "e3047_bad_units.yaml": [("E3047", 4, P, PAIRS)],
    "e3047_good_pairs.yaml": [],
    "e3047_cpu_from_parameter.yaml": [],
    "e3048_missing_memory.yaml": [("E3048", 4, P, SIZE)],
    "e3048_missing_cpu.yaml": [("E3048", 4, P, SIZE)],
    "e3048_network_mode_omitted.yaml": [("E3048", 4, P, NETWORK)],
    "e3048_bridge_on_fargate.yaml": [("E3048", 6, f"{P}/NetworkMode", NETWORK)],
    "e3048_placement_constraints.yaml": [("E3048", 9, f"{P}/PlacementConstraints", PLACEMENT)],
    "e3048_syslog_on_fargate.yaml": [("E3048", 13, f"{C0}/LogConfiguration/LogDriver", DRIVER)],
    "e3053_host_port_differs.yaml": [("E3053", 12, f"{C0}/PortMappings/0/HostPort", HOST_PORT)],
    "e3053_host_port_equal_as_string.yaml": [],
    "e3053_bridge_mapping.yaml": [],
    "e3053_ports_from_parameters.yaml": [],
}

_FIXTURE = "aws-cloudformation__cfn-lint__"
_CHECKOV_IF = (
    "bridgecrewio__checkov__tests_cloudformation_graph_graph_runner_resources_"
    "complex_jsonpath_if_condition_example.yaml"
)
#: cfn-lint's ECS fixtures in the corpus (SUMMARY.md §5), same format.
EXPECTED_FIXTURES: dict[str, list[Expectation]] = {
    f"{_FIXTURE}crates_cfn-lint_tests_fixtures_templates_ecs_taskdefinition.yaml": [
        ("E3047", 7, "/Resources/BadCpuMemoryTask/Properties", PAIRS)
    ],
    f"{_FIXTURE}test_fixtures_templates_bad_resources_ecs_test_ecs_task_definition_essential_container.yml": [  # noqa: E501
        (
            "E3042",
            7,
            "/Resources/BadTaskDefinitionNoEssentialContainersSpecified/Properties"
            "/ContainerDefinitions",
            ESSENTIAL,
        )
    ],
    f"{_FIXTURE}test_fixtures_templates_good_resources_ecs_test_ecs_task_definition_essential_container.yml": [],  # noqa: E501
    f"{_FIXTURE}test_fixtures_templates_good_resources_properties_list_duplicates_allowed.yaml": [],
    # A checkov fixture on which cfn-lint 1.58.0 also reports E3042 (twice).
    _CHECKOV_IF: [
        ("E3042", 57, "/Resources/PassingExample/Properties/ContainerDefinitions", ESSENTIAL),
        ("E3042", 95, "/Resources/FailingExample/Properties/ContainerDefinitions", ESSENTIAL),
    ],
}

#: (file, cfn-lint id) -> why ecslint does not agree; checked to still disagree.
DISAGREEMENTS: dict[tuple[str, str], str] = {
    (_CHECKOV_IF, "E3042"): (
        "the only container is `!If [Cond, {...}, !Ref AWS::NoValue]`: cfn-lint checks each "
        "branch and fails the one with no container; ecslint reads a value only where both "
        "branches agree, so the container is unknown and the rule is not evaluated (ECS001)"
    ),
}


def catalog_slugs() -> dict[str, str]:
    """slug -> id of every rule in the catalog."""
    return {rule.name: rule.id for rule in load_builtin_catalog()}


def related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def check_agreement(path: Path, expected: list[Expectation]) -> None:
    present = catalog_slugs()
    findings: list[dict[str, Any]] = lint_file(path).findings
    checked = 0
    for cfn_id in CFN_LINT_IDS:
        for slug in sorted(COVERING_SLUGS[cfn_id]):
            if slug not in present:
                continue  # this rule is not in the catalog yet
            checked += 1
            ours = [f for f in findings if f["rule"] == present[slug]]
            theirs = [where for kind, _, where, mirror in expected if mirror == slug]
            agree = all(any(related(f["path"], w) for f in ours) for w in theirs) and all(
                any(related(f["path"], w) for w in theirs) for f in ours
            )
            if (path.name, cfn_id) in DISAGREEMENTS:
                assert not agree, f"{path.name} {cfn_id} now agrees; drop the disagreement"
                continue
            assert agree, (
                f"{path.name}: cfn-lint {cfn_id} at {theirs}; ecslint {slug}: "
                f"{[(f['path'], f['message']) for f in ours]}"
            )
    if not checked:
        pytest.skip("no rule in the catalog mirrors these cfn-lint findings yet")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case_templates_agree_with_cfn_lint(name: str) -> None:
    check_agreement(CASES / name, EXPECTED[name])


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="the shared corpus is not beside the checkout")
@pytest.mark.parametrize("name", sorted(EXPECTED_FIXTURES))
def test_cfn_lint_fixtures_agree(name: str) -> None:
    check_agreement(FIXTURES / name, EXPECTED_FIXTURES[name])


def test_every_case_template_has_an_expectation() -> None:
    assert sorted(p.name for p in CASES.glob("*.yaml")) == sorted(EXPECTED)
