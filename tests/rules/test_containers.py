"""Essential containers, dependsOn and ulimits (ECS512-ECS517, ECS521) through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import container, ec2, findings, unevaluated


def dep(name: str, condition: str = "START") -> list[dict[str, Any]]:
    return [{"containerName": name, "condition": condition}]


def test_no_essential_container() -> None:
    doc = ec2(container("a", essential=False), container("b", essential=False))
    [finding] = findings(doc, "ECS512")
    assert finding["path"] == "/containerDefinitions"
    assert "Task definition doesn't have any essential container." in finding["message"]


def test_omitted_essential_counts_as_true() -> None:
    # cfn-lint#4535: an omitted essential must not be reported.
    assert not findings(ec2(container("a"), container("b", essential=False)), "ECS512")
    assert not findings(ec2(container("a", essential=True)), "ECS512")


def test_essential_placeholder_is_not_evaluated() -> None:
    doc = ec2(container("a", essential=False), container("b", essential="${ESSENTIAL}"))
    assert not findings(doc, "ECS512")
    assert "/containerDefinitions/1/essential" in {f["path"] for f in unevaluated(doc)}


def test_depends_on_unknown_container() -> None:
    doc = ec2(container("web", dependsOn=dep("migrate")), container("db"))
    [finding] = findings(doc, "ECS513")
    assert finding["path"] == "/containerDefinitions/0/dependsOn/0/containerName"
    assert "'migrate'" in finding["message"] and "db, web" in finding["message"]
    assert not findings(ec2(container("web", dependsOn=dep("db")), container("db")), "ECS513")


def test_depends_on_unknown_container_with_placeholder_names() -> None:
    doc = ec2(container("web", dependsOn=dep("db")), container("${DB_NAME}"))
    assert not findings(doc, "ECS513")
    skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
    assert (
        "depends-on-unknown-container"
        in skipped["/containerDefinitions/0/dependsOn/0/containerName"]
    )


def test_depends_on_self() -> None:
    [finding] = findings(ec2(container("web", dependsOn=dep("web"))), "ECS514")
    assert finding["path"] == "/containerDefinitions/0/dependsOn/0/containerName"
    assert "itself" in finding["message"]
    assert not findings(ec2(container("web", dependsOn=dep("db")), container("db")), "ECS514")


def test_depends_on_cycle_is_reported_once_with_its_path() -> None:
    doc = ec2(
        container("edge", dependsOn=dep("a")),
        container("a", dependsOn=dep("b")),
        container("b", dependsOn=dep("c")),
        container("c", dependsOn=dep("a")),
    )
    [finding] = findings(doc, "ECS515")
    assert finding["path"] == "/containerDefinitions/1/dependsOn/0/containerName"
    assert "a -> b -> c -> a" in finding["message"]


def test_depends_on_cycle_starts_at_its_first_container_in_file_order() -> None:
    doc = ec2(
        container("c", dependsOn=dep("a")),
        container("a", dependsOn=[*dep("x"), *dep("b")]),
        container("b", dependsOn=dep("c")),
        container("x"),
    )
    [finding] = findings(doc, "ECS515")
    assert finding["path"] == "/containerDefinitions/0/dependsOn/0/containerName"
    assert "c -> a -> b -> c" in finding["message"]


def test_two_separate_cycles_and_no_cycle() -> None:
    doc = ec2(
        container("a", dependsOn=dep("b")),
        container("b", dependsOn=dep("a")),
        container("c", dependsOn=dep("d")),
        container("d", dependsOn=dep("c")),
    )
    assert len(findings(doc, "ECS515")) == 2
    chain = ec2(
        container("a", dependsOn=dep("b")), container("b", dependsOn=dep("c")), container("c")
    )
    assert not findings(chain, "ECS515")
    assert not findings(ec2(container("a", dependsOn=dep("a"))), "ECS515")  # ECS514's


def test_depends_on_essential_completion() -> None:
    doc = ec2(container("web", dependsOn=dep("init", "SUCCESS")), container("init"))
    [finding] = findings(doc, "ECS516")
    assert finding["path"] == "/containerDefinitions/0/dependsOn/0/condition"
    assert "essential by default" in finding["message"]
    assert "cannot be an essential container" in finding["message"]
    explicit = ec2(
        container("web", dependsOn=dep("init", "COMPLETE")), container("init", essential=True)
    )
    assert "is essential" in findings(explicit, "ECS516")[0]["message"]
    ok = ec2(container("web", dependsOn=dep("init", "SUCCESS")), container("init", essential=False))
    assert not findings(ok, "ECS516")
    start = ec2(container("web", dependsOn=dep("init", "START")), container("init"))
    assert not findings(start, "ECS516")


def test_depends_on_healthy_without_health_check() -> None:
    doc = ec2(container("web", dependsOn=dep("proxy", "HEALTHY")), container("proxy"))
    [finding] = findings(doc, "ECS517")
    assert finding["path"] == "/containerDefinitions/0/dependsOn/0/condition"
    assert "'proxy' has no healthCheck" in finding["message"]
    check = {"command": ["CMD", "true"]}
    ok = ec2(
        container("web", dependsOn=dep("proxy", "HEALTHY")), container("proxy", healthCheck=check)
    )
    assert not findings(ok, "ECS517")


def test_ulimit_soft_limit_above_hard_limit() -> None:
    ulimits = [
        {"name": "nofile", "softLimit": 1024, "hardLimit": 4096},
        {"name": "nproc", "softLimit": 8192, "hardLimit": 4096},
        {"name": "memlock", "softLimit": 1024, "hardLimit": -1},
        {"name": "core", "softLimit": -1, "hardLimit": 0},
    ]
    found = findings(ec2(container(ulimits=ulimits)), "ECS521")
    assert [f["path"] for f in found] == [
        "/containerDefinitions/0/ulimits/1/softLimit",
        "/containerDefinitions/0/ulimits/3/softLimit",
    ]
    assert "'nproc'" in found[0]["message"] and "8192" in found[0]["message"]


# --- ECS522 shell-quoted-command-item (issue 12) ------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"command": ['"nginx"', "-g", "daemon off;"]}, "/containerDefinitions/0/command/0"),
        (
            {"entryPoint": ["'/app/server'"], "command": ["--port", "80"]},
            "/containerDefinitions/0/entryPoint/0",
        ),
    ],
)
def test_ecs522_a_shell_quoted_program_is_not_found(fields: dict[str, Any], path: str) -> None:
    [finding] = findings(ec2(container(**fields)), "ECS522")
    assert finding["path"] == path and finding["severity"] == "error"


@pytest.mark.parametrize(
    "fields",
    [
        {"command": ["nginx", "-g", "daemon off;"]},
        {"command": ["sh", "-c", 'echo "hi"']},
        {"command": ["--name", '"quoted argument"']},  # arguments may carry quotes
        {"entryPoint": ["/entry.sh"], "command": ['"nginx"']},  # the entry point's argument
        {"command": ['"']},
    ],
)
def test_ecs522_what_runs_is_not_reported(fields: dict[str, Any]) -> None:
    assert not findings(ec2(container(**fields)), "ECS522")


def test_depends_on_healthy_only_for_healthy_and_placeholders_are_not_evaluated() -> None:
    for condition in ("START", "COMPLETE", "SUCCESS"):
        other = ec2(container("web", dependsOn=dep("proxy", condition)), container("proxy"))
        assert not findings(other, "ECS517"), condition
    placeholder = ec2(container("web", dependsOn=dep("proxy", "${COND}")), container("proxy"))
    assert not findings(placeholder, "ECS517")
    skipped = {f["path"]: f["message"] for f in unevaluated(placeholder)}
    for slug in ("depends-on-healthy", "depends-on-essential-completion"):
        assert slug in skipped["/containerDefinitions/0/dependsOn/0/condition"]
    health = ec2(
        container("web", dependsOn=dep("proxy", "HEALTHY")),
        container("proxy", healthCheck="${HEALTH}"),
    )
    assert not findings(health, "ECS517")
    assert "/containerDefinitions/1/healthCheck" in {f["path"] for f in unevaluated(health)}


def test_a_placeholder_dependency_name_is_not_evaluated() -> None:
    doc = ec2(container("web", dependsOn=dep("${TARGET}")), container("db"))
    assert not findings(doc, "ECS513")
    skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
    assert (
        "depends-on-unknown-container"
        in skipped["/containerDefinitions/0/dependsOn/0/containerName"]
    )
