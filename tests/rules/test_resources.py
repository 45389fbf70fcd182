"""CPU and memory rules (ECS301-ECS308) through the real CLI."""

from __future__ import annotations

import pytest

from ecslint.facts.fargate import FARGATE_32_VCPU, FARGATE_SIZES, parse_task_cpu, parse_task_memory
from tests.builders import (
    DROP,
    describe,
    ec2_task,
    fargate_task,
    logged_container,
    of,
    unevaluated_paths,
)
from tests.conftest import lint

WINDOWS = {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE", "cpuArchitecture": "X86_64"}


def sized(cpu: object, memory: object, **fields: object) -> dict[str, object]:
    return fargate_task(logged_container(memory=DROP), cpu=cpu, memory=memory, **fields)


# --- the table as data -----------------------------------------------------------------------


def test_table_has_the_74_documented_pairs_plus_three_32_vcpu_pairs() -> None:
    assert sum(len(memories) for memories in FARGATE_SIZES.values()) == 74
    assert FARGATE_32_VCPU[32768] == frozenset({61440, 122880, 249856})
    assert list(FARGATE_32_VCPU) == [32768]


@pytest.mark.parametrize(
    ("text", "units"),
    [("1024", 1024), ("1 vCPU", 1024), (".25 vcpu", 256), ("0.5 VCPU", 512), ("2vCPU", 2048)],
)
def test_cpu_string_forms(text: str, units: int) -> None:
    assert parse_task_cpu(text) == units


@pytest.mark.parametrize(
    ("text", "mib"), [("2048", 2048), ("2GB", 2048), ("2 gb", 2048), ("0.5GB", 512), ("1 GB", 1024)]
)
def test_memory_string_forms(text: str, mib: int) -> None:
    assert parse_task_memory(text) == mib


# --- ECS301 invalid-fargate-cpu-memory -------------------------------------------------------


@pytest.mark.parametrize(
    ("cpu", "memory"),
    [(str(cpu), str(memory)) for cpu, memories in FARGATE_SIZES.items() for memory in memories]
    + [("1 vCPU", "2 GB"), (".25 vCPU", "0.5GB"), ("4 vcpu", "30GB"), ("32768", "249856")],
)
def test_every_fargate_size_passes(cpu: str, memory: str) -> None:
    assert not of(lint(sized(cpu, memory)), "ECS301")


@pytest.mark.parametrize(
    ("cpu", "memory", "path", "fact"),
    [
        ("256", "4096", "/memory", "not valid with cpu 256"),
        ("1024", "1024", "/memory", "2048-8192 MiB in steps of 1024"),
        ("8192", "18432", "/memory", "16384-61440 MiB in steps of 4096"),
        ("384", "1024", "/cpu", "not a Fargate size"),
        ("3 vCPU", "8 GB", "/cpu", "not a Fargate size"),
        ("256", "lots", "/memory", "is not MiB"),
    ],
)
def test_invalid_fargate_sizes_fail(cpu: str, memory: str, path: str, fact: str) -> None:
    [finding] = of(lint(sized(cpu, memory)), "ECS301")
    assert finding["path"] == path
    assert finding["severity"] == "error"
    assert fact in finding["message"]


def test_32_vcpu_tier_can_be_turned_off(tmp_path: object) -> None:
    from ecslint.checks import get_check, get_spec

    declared = get_spec("invalid-fargate-cpu-memory").params
    assert declared is not None and declared["allow_32_vcpu"].default is True
    from ecslint.checks.view import TaskView
    from ecslint.load.document import Document
    from ecslint.load.target import Target

    task = sized("32768", "61440")
    view = TaskView(Target(Document("x", "{}", "json", task, None), task, "register"))
    check = get_check("invalid-fargate-cpu-memory")
    assert not list(check(view, {"allow_32_vcpu": True}))
    [problem] = list(check(view, {"allow_32_vcpu": False}))
    assert "allow_32_vcpu" in problem.message


def test_ec2_sizes_are_not_the_fargate_table() -> None:
    task = ec2_task(logged_container(memory=DROP), cpu="384", memory="1000")
    assert not of(lint(task), "ECS301")


def test_placeholder_size_is_not_evaluated() -> None:
    result = lint(sized("${CPU}", "512"))
    assert not of(result, "ECS301")
    assert "invalid-fargate-cpu-memory" in unevaluated_paths(result)["/cpu"]


# --- ECS302 fargate-windows-cpu-too-low -----------------------------------------------------


def test_windows_on_fargate_below_one_vcpu_fails() -> None:
    result = lint(sized("512", "1024", runtimePlatform=WINDOWS))
    [finding] = of(result, "ECS302")
    assert finding["path"] == "/cpu"
    assert "1 vCPU" in finding["message"]


def test_windows_with_one_vcpu_and_linux_with_quarter_vcpu_pass() -> None:
    assert not of(lint(sized("1 vCPU", "2GB", runtimePlatform=WINDOWS)), "ECS302")
    assert not of(lint(sized("256", "512")), "ECS302")


# --- ECS303 fargate-missing-task-size ------------------------------------------------------


def test_fargate_without_task_cpu_and_memory_fails_twice() -> None:
    result = lint(fargate_task(logged_container(cpu=256, memory=512), cpu=DROP, memory=DROP))
    findings = {f["path"]: f["message"] for f in of(result, "ECS303")}
    assert "Fargate requires that 'cpu' be defined at the task level." in findings["/cpu"]
    assert "Fargate requires that 'memory' be defined at the task level." in findings["/memory"]


def test_ec2_without_task_size_passes_ecs303() -> None:
    assert not of(lint(ec2_task()), "ECS303")


def test_unknown_compatibilities_without_size_are_not_evaluated() -> None:
    task = fargate_task(cpu=DROP, memory=DROP, requiresCompatibilities=["${COMPAT}"])
    result = lint(task)
    assert not of(result, "ECS303")
    assert "fargate-missing-task-size" in unevaluated_paths(result)["/requiresCompatibilities"]


# --- ECS304 container-cpu-exceeds-task --------------------------------------------------------


def test_container_cpu_sum_above_task_fails() -> None:
    task = fargate_task(
        logged_container(cpu=256, memory=DROP), logged_container(name="side", cpu=64, memory=DROP)
    )
    [finding] = of(lint(task), "ECS304")
    assert finding["path"] == "/cpu"
    assert "320 cpu units" in finding["message"] and "has 256" in finding["message"]


def test_container_cpu_sum_equal_to_task_and_vcpu_strings_pass() -> None:
    task = fargate_task(
        logged_container(cpu=768, memory=DROP),
        logged_container(name="side", cpu=256, memory=DROP),
        cpu="1 vCPU",
        memory="2 GB",
    )
    assert not of(lint(task), "ECS304")


def test_placeholder_container_cpu_is_not_evaluated() -> None:
    result = lint(fargate_task(logged_container(cpu="${CPU}", memory=DROP)))
    assert not of(result, "ECS304")
    assert "container-cpu-exceeds-task" in unevaluated_paths(result)["/containerDefinitions/0/cpu"]


# --- ECS305 container-memory-exceeds-task ------------------------------------------------------


def test_container_memory_reservations_above_task_fail() -> None:
    task = fargate_task(
        logged_container(memory=DROP, memoryReservation=512),
        logged_container(name="side", memory=128),
    )
    [finding] = of(lint(task), "ECS305")
    assert finding["path"] == "/memory"
    assert "640 MiB" in finding["message"]


def test_reservation_counts_instead_of_a_larger_hard_limit() -> None:
    task = fargate_task(logged_container(memory=1024, memoryReservation=256), memory="0.5GB")
    assert not of(lint(task), "ECS305")


def test_single_container_hard_limit_above_task_memory_fails() -> None:
    task = ec2_task(logged_container(memory=1024), memory="512")
    assert of(lint(task), "ECS305")


# --- ECS306 memory-reservation-above-memory ------------------------------------------------


def test_reservation_above_hard_limit_fails() -> None:
    result = lint(ec2_task(logged_container(memory=256, memoryReservation=512)))
    [finding] = of(result, "ECS306")
    assert finding["path"] == "/containerDefinitions/0/memoryReservation"
    assert "512 MiB" in finding["message"] and "256 MiB" in finding["message"]


@pytest.mark.parametrize("reservation", [256, 512])
def test_reservation_at_or_below_hard_limit_passes(reservation: int) -> None:
    assert not of(
        lint(ec2_task(logged_container(memory=512, memoryReservation=reservation))), "ECS306"
    )


# --- ECS307 container-memory-not-set -----------------------------------------------------------


def test_ec2_container_with_no_memory_anywhere_fails_with_aws_message() -> None:
    result = lint(ec2_task(logged_container(memory=DROP)))
    [finding] = of(result, "ECS307")
    assert finding["path"] == "/containerDefinitions/0/memory"
    assert (
        "Invalid setting for container 'web'. At least one of 'memory' or "
        "'memoryReservation' must be specified." in finding["message"]
    )


def test_zero_memory_counts_as_none() -> None:
    assert of(lint(ec2_task(logged_container(memory=0, memoryReservation=0))), "ECS307")


@pytest.mark.parametrize(
    "task",
    [
        ec2_task(logged_container(memory=DROP, memoryReservation=128)),
        ec2_task(logged_container(memory=DROP), memory="1 GB"),
        fargate_task(logged_container(memory=DROP)),
    ],
)
def test_memory_at_some_level_passes(task: dict[str, object]) -> None:
    assert not of(lint(task), "ECS307")


# --- ECS308 container-memory-too-low -------------------------------------------------------


def test_memory_below_six_mib_warns() -> None:
    result = lint(ec2_task(logged_container(memory=4)))
    [finding] = of(result, "ECS308")
    assert finding["severity"] == "warning"
    assert finding["path"] == "/containerDefinitions/0/memory"
    assert "4 MiB" in finding["message"]


def test_memory_of_six_mib_passes() -> None:
    assert not of(lint(ec2_task(logged_container(memory=6))), "ECS308")


# --- describe-task-definition output -------------------------------------------------------


def test_describe_output_with_normalised_sizes_and_zero_cpu_containers_is_clean() -> None:
    task = fargate_task(
        logged_container(cpu=0, memory=DROP, essential=True, portMappings=[], environment=[]),
        logged_container(name="side", cpu=0, memory=DROP, essential=False),
        cpu="1024",
        memory="2048",
    )
    result = lint(describe(task))
    assert not [f for f in result.findings if f["rule"].startswith("ECS3")], result.findings


def test_describe_output_points_into_the_wrapper() -> None:
    [finding] = of(lint(describe(sized("256", "4096"))), "ECS301")
    assert finding["path"] == "/taskDefinition/memory"


def test_the_size_table_on_the_rule_page_is_the_one_in_facts() -> None:
    """ECS301's docs repeat the Fargate size table; it must be facts/fargate.py's."""
    import re

    from ecslint.catalog import load_builtin_catalog
    from ecslint.facts.fargate import fargate_sizes

    rule = load_builtin_catalog().get("ECS301")
    assert rule is not None
    documented: dict[int, frozenset[int]] = {}
    for row in re.findall(r"^\| (\d+) \| ([^|]+) \|$", rule.docs["what"], re.M):
        cpu, cell = int(row[0]), re.sub(r"\(.*?\)", "", row[1])
        memories: set[int] = set()
        for part in cell.split(","):
            ranged = re.fullmatch(r"\s*(\d+)-(\d+) by (\d+)\s*", part)
            if ranged:
                first, last, step = map(int, ranged.groups())
                memories.update(range(first, last + 1, step))
            else:
                memories.add(int(part))
        documented[cpu] = frozenset(memories)
    assert documented == fargate_sizes(allow_32_vcpu=True)


# --- the Fargate size table, every entry and its edges (written out from the AWS table) --------

#: cpu units -> (first, last, step) of the memory (MiB) Fargate accepts with it (ecs-facts.md
#: §2.1, the "Task CPU and memory" table of the Fargate docs); 32768 is behind a param.
AWS_FARGATE_TABLE = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4096 + 1, 1024)),
    1024: list(range(2048, 8192 + 1, 1024)),
    2048: list(range(4096, 16384 + 1, 1024)),
    4096: list(range(8192, 30720 + 1, 1024)),
    8192: list(range(16384, 61440 + 1, 4096)),
    16384: list(range(32768, 122880 + 1, 8192)),
    32768: [61440, 122880, 249856],
}


def test_the_written_out_table_is_the_one_ecslint_uses() -> None:
    assert {cpu: frozenset(memories) for cpu, memories in AWS_FARGATE_TABLE.items()} == {
        **FARGATE_SIZES,
        **FARGATE_32_VCPU,
    }


@pytest.mark.parametrize("cpu", sorted(AWS_FARGATE_TABLE))
def test_every_pair_of_a_cpu_passes_and_the_memory_just_outside_fails(cpu: int) -> None:
    memories = AWS_FARGATE_TABLE[cpu]
    for memory in memories:
        assert not of(lint(sized(str(cpu), str(memory))), "ECS301"), (cpu, memory)
    outside = {memories[0] - 1, memories[0] - 512, memories[-1] + 1, memories[-1] + 1024}
    outside |= {memory + 1 for memory in memories[:-1]}  # between two steps
    for memory in sorted(outside - set(memories)):
        [finding] = of(lint(sized(str(cpu), str(memory))), "ECS301")
        assert finding["path"] == "/memory", (cpu, memory)
        assert f"not valid with cpu {cpu}" in finding["message"]


@pytest.mark.parametrize("cpu", sorted({c + d for c in AWS_FARGATE_TABLE for d in (-1, 1)}))
def test_a_cpu_next_to_a_fargate_size_is_not_one(cpu: int) -> None:
    [finding] = of(lint(sized(str(cpu), "2048")), "ECS301")
    assert finding["path"] == "/cpu"
    assert "not a Fargate size" in finding["message"]


def test_container_memory_edges() -> None:
    for memory in (1, 5):
        [finding] = of(lint(ec2_task(logged_container(memory=memory))), "ECS308")
        assert f"{memory} MiB" in finding["message"]
    reservation = lint(ec2_task(logged_container(memory=DROP, memoryReservation=5)))
    assert of(reservation, "ECS308")
    assert not of(lint(ec2_task(logged_container(memory=DROP, memoryReservation=6))), "ECS308")


def test_container_memory_counts_and_non_counts() -> None:
    """0 is "not set" (ECS307's), a JSON boolean is a type error (ECS011's), a digit
    string is a count (CloudFormation writes numbers so)."""
    for memory in (0, True, False):
        assert not of(lint(ec2_task(logged_container(memory=memory))), "ECS308"), memory
    [finding] = of(lint(ec2_task(logged_container(memory="4"))), "ECS308")
    assert "4 MiB" in finding["message"]


def test_unknown_compatibilities_with_a_bad_size_are_not_evaluated() -> None:
    result = lint(sized("384", "1000", requiresCompatibilities=["${COMPAT}"]))
    assert not of(result, "ECS301")
    assert "invalid-fargate-cpu-memory" in unevaluated_paths(result)["/requiresCompatibilities"]


@pytest.mark.parametrize(("cpu", "memory"), [("lots", "1024"), ("1024", "lots"), ("1.5", "x")])
def test_unreadable_task_size_with_container_sizes_is_no_crash(cpu: str, memory: str) -> None:
    """Containers over any task size: only an unreadable size keeps its rule silent."""
    task = ec2_task(logged_container(cpu=4096, memory=8192), cpu=cpu, memory=memory)
    result = lint(task)
    assert result.exit_code in (0, 1), result.stderr
    assert bool(of(result, "ECS304")) == cpu.isdigit()
    assert bool(of(result, "ECS305")) == memory.isdigit()


def test_task_sizes_written_as_json_integers() -> None:
    assert not of(lint(sized(1024, 2048)), "ECS301")
    [finding] = of(lint(sized(1024, 1024)), "ECS301")
    assert finding["path"] == "/memory"


def test_a_fargate_task_without_one_of_its_sizes_is_ecs303s_not_ecs301s() -> None:
    for cpu, memory in ((DROP, "512"), ("256", DROP), ("", "512")):
        result = lint(sized(cpu, memory))
        assert not of(result, "ECS301"), (cpu, memory)
        assert of(result, "ECS303"), (cpu, memory)


def test_a_placeholder_container_memory_is_not_evaluated_for_the_minimum() -> None:
    for key in ("memory", "memoryReservation"):
        result = lint(ec2_task(logged_container(**{key: "${MEM}"})))
        assert not of(result, "ECS308")
        assert (
            "container-memory-too-low"
            in unevaluated_paths(result)[f"/containerDefinitions/0/{key}"]
        )


@pytest.mark.parametrize("cpu", [1024.0, [1024], {"units": 1024}, None])
def test_a_task_cpu_of_another_type_is_no_crash(cpu: object) -> None:
    result = lint(sized(cpu, "2048"))
    assert result.exit_code in (0, 1), result.stderr


def test_windows_on_fargate_with_a_placeholder_cpu_is_not_evaluated() -> None:
    result = lint(sized("${CPU}", "2048", runtimePlatform=WINDOWS))
    assert not of(result, "ECS302")
    assert "fargate-windows-cpu-too-low" in unevaluated_paths(result)["/cpu"]


def test_fargate_without_task_memory_is_ecs303s_not_ecs307s() -> None:
    result = lint(fargate_task(logged_container(memory=DROP), memory=DROP))
    assert of(result, "ECS303")
    assert not of(result, "ECS307")
