"""Hostile inputs, each run through the installed CLI in a child process.

Every case runs with a good file in the same invocation (to show that the other
files are still linted) and must stay within TIME_LIMIT seconds of CPU time and
MEMORY_LIMIT bytes of peak resident memory (the child's ``ru_maxrss``), with a
clear message and the exit code DESIGN.md gives: 1 for a file that cannot be
read as a task definition, 2 for a path that cannot be opened at all.

Time is the child's CPU time (user + system), not wall time: the machines that
run this are shared and noisy, and wall time there measures the neighbours. A
hang uses no CPU, so a child still running after HANG_LIMIT seconds of wall time
is killed and the test fails. ``bench/hostile.py`` prints wall time too.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TIME_LIMIT = 5.0
HANG_LIMIT = 30.0
MEMORY_LIMIT = 200 * 1024 * 1024
#: A task definition with one known finding (an untagged image), to show it was linted.
GOOD = {
    "family": "good",
    "containerDefinitions": [
        {
            "name": "app",
            "image": "nginx",
            "essential": True,
            "memory": 512,
            "logConfiguration": {"logDriver": "awslogs", "options": {}},
        }
    ],
}


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float
    max_rss: int

    @property
    def findings(self) -> list[dict[str, Any]]:
        findings: list[dict[str, Any]] = json.loads(self.stdout)["findings"]
        return findings

    def findings_for(self, name: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if Path(f["file"]).name == name]


#: Runs a command and prints its exit code, CPU time and peak RSS (from ``os.wait4``).
#: ecslint is started from this small intermediary, not from pytest: on Linux a child's
#: ``ru_maxrss`` starts at the RSS of the process it was forked from, and pytest, having
#: just built a 10 MiB input, is big.
MEASURE = """
import json, os, subprocess, sys
out, err = open(sys.argv[1], "wb"), open(sys.argv[2], "wb")
child = subprocess.Popen(sys.argv[3:], stdin=subprocess.DEVNULL, stdout=out, stderr=err)
_, status, usage = os.wait4(child.pid, 0)
cpu = usage.ru_utime + usage.ru_stime
code = os.waitstatus_to_exitcode(status)
print(json.dumps({"exit": code, "cpu": cpu, "rss": usage.ru_maxrss * 1024}))
"""


def run_ecslint(*args: str, cwd: Path) -> Run:
    """``python -m ecslint ARGS`` in a child; its wall time, CPU time and peak RSS are measured."""
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    command = [sys.executable, "-c", MEASURE, str(out_path), str(err_path)]
    start = time.monotonic()
    measurer = subprocess.Popen(
        [*command, sys.executable, "-m", "ecslint", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        report, _ = measurer.communicate(timeout=HANG_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(measurer.pid, signal.SIGKILL)
        measurer.communicate()
        pytest.fail(f"ecslint {args} was killed after {HANG_LIMIT} s")
    seconds = time.monotonic() - start
    measured = json.loads(report)
    return Run(
        measured["exit"],
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
        seconds,
        measured["cpu"],
        measured["rss"],
    )


def check_bounds(run: Run) -> None:
    assert run.cpu_seconds < TIME_LIMIT, f"took {run.cpu_seconds:.2f} s of CPU"
    assert run.max_rss < MEMORY_LIMIT, f"peak memory {run.max_rss / 2**20:.0f} MiB"
    assert "Traceback" not in run.stderr
    assert "internal error" not in run.stderr


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    return tmp_path


def lint_with_good(work: Path, name: str, *extra: str) -> Run:
    """Lint ``name`` and good.json in one run; good.json must still be linted."""
    run = run_ecslint("check", "--format", "json", *extra, name, "good.json", cwd=work)
    check_bounds(run)
    good = run.findings_for("good.json")
    assert "ECS401" in [f["rule"] for f in good], run.stdout
    return run


def only_finding(run: Run, name: str) -> dict[str, Any]:
    findings = run.findings_for(name)
    assert len(findings) == 1, findings
    return findings[0]


# --- size -------------------------------------------------------------------------------


def test_file_over_10_mib_is_refused_with_its_size(work: Path) -> None:
    (work / "huge.json").write_text('{"family": "x", "pad": "' + "a" * (10 * 2**20) + '"}')
    run = lint_with_good(work, "huge.json")
    finding = only_finding(run, "huge.json")
    assert finding["rule"] == "ECS004"
    assert "reads at most 10485760 bytes" in finding["message"]
    assert run.exit_code == 1


def test_100000_environment_entries_are_linted_in_time(work: Path) -> None:
    task: dict[str, Any] = json.loads(json.dumps(GOOD))
    task["family"] = "big"
    container = task["containerDefinitions"][0]
    container["image"] = "nginx:1.27"
    container["environment"] = [{"name": f"VAR_{i}", "value": "v"} for i in range(100_000)]
    del container["logConfiguration"]
    (work / "big.json").write_text(json.dumps(task))
    assert (work / "big.json").stat().st_size < 10 * 2**20
    run = lint_with_good(work, "big.json")
    (finding,) = [f for f in run.findings_for("big.json") if f["rule"] == "ECS101"]
    assert finding["path"] == "/containerDefinitions/0/logConfiguration"
    assert run.exit_code == 1


def test_millions_of_values_are_refused_before_indexing(work: Path) -> None:
    values = ",".join(["1"] * 4_000_000)
    (work / "many.json").write_text(
        '{"family": "x", "containerDefinitions": [], "x": [' + values + "]}"
    )
    run = lint_with_good(work, "many.json")
    finding = only_finding(run, "many.json")
    assert finding["rule"] == "ECS004"
    assert "holds more than 350000 values" in finding["message"]


def test_yaml_with_too_many_nodes_is_refused_before_composing(work: Path) -> None:
    values = ",".join(["1"] * 300_000)
    (work / "many.yaml").write_text(f"family: x\ncontainerDefinitions: []\nx: [{values}]\n")
    run = lint_with_good(work, "many.yaml")
    finding = only_finding(run, "many.yaml")
    assert finding["rule"] == "ECS004"
    assert "holds more than 200000 values" in finding["message"]
    assert finding["line"] == 3


# --- nesting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("deep.json", "[" * 10_000 + "]" * 10_000, "nested deeper than 64 levels"),
        ("deep-object.json", '{"a":' * 10_000 + "1" + "}" * 10_000, "nested deeper than 64"),
        ("deep.yaml", "[" * 10_000 + "]" * 10_000, "nesting deeper than 200 levels"),
        ("deep-map.yaml", "{a: " * 10_000 + "1" + "}" * 10_000, "nesting deeper than 200"),
        ("deep-block.yaml", "- " * 10_000 + "x\n", "exceeded maximum nesting depth"),
    ],
)
def test_deep_nesting_is_refused(work: Path, name: str, text: str, message: str) -> None:
    (work / name).write_text(text)
    run = lint_with_good(work, name)
    finding = only_finding(run, name)
    assert finding["rule"] in ("ECS002", "ECS004")
    assert message in finding["message"]
    assert run.exit_code == 1


# --- YAML aliases and tags ------------------------------------------------------------------


def billion_laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    return text


def wide_aliases() -> str:
    """Quadratic, not exponential: one 1,000-item anchor, referenced 1,000 times."""
    items = ", ".join(str(i) for i in range(1000))
    refs = "\n".join("  - *big" for _ in range(1000))
    return f"family: x\nbig: &big [{items}]\ncontainerDefinitions:\n{refs}\n"


def mapping_bomb() -> str:
    text = "a: &a {k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9}\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        members = ", ".join(f"m{i}: *{prev}" for i in range(10))
        text += f"{name}: &{name} {{{members}}}\n"
    return "family: x\n" + text


@pytest.mark.parametrize(
    ("name", "make"),
    [("lol.yaml", billion_laughs), ("wide.yaml", wide_aliases), ("mapping.yaml", mapping_bomb)],
)
def test_alias_expansion_is_bounded(work: Path, name: str, make: Callable[[], str]) -> None:
    (work / name).write_text(make())
    run = lint_with_good(work, name)
    finding = only_finding(run, name)
    assert finding["rule"] == "ECS004"
    assert "aliases expand to more than 200000 values" in finding["message"]
    assert run.exit_code == 1


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch pwned']",
        "!!python/object/new:os.system ['touch pwned']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:subprocess.Popen {args: ['touch', 'pwned']}",
    ],
)
def test_python_tags_are_refused_and_never_run(work: Path, tag: str) -> None:
    (work / "tags.yaml").write_text(f"family: {tag}\ncontainerDefinitions: []\n")
    run = lint_with_good(work, "tags.yaml")
    finding = only_finding(run, "tags.yaml")
    assert finding["rule"] == "ECS004"
    assert "is not supported (only plain YAML is read)" in finding["message"]
    assert (finding["line"], finding["column"]) == (1, 9)
    assert not (work / "pwned").exists()
    assert run.exit_code == 1


# --- bytes ----------------------------------------------------------------------------------


def test_nul_bytes_are_refused_at_their_position(work: Path) -> None:
    (work / "nul.json").write_bytes(b'{"family": "x",\n  "a": "\x00"}')
    run = lint_with_good(work, "nul.json")
    finding = only_finding(run, "nul.json")
    assert "contains a NUL character" in finding["message"]
    assert (finding["line"], finding["column"]) == (2, 9)
    assert run.exit_code == 1


def test_invalid_utf8_is_refused_at_its_position(work: Path) -> None:
    (work / "latin1.json").write_bytes('{"family": "caf\u00e9"}'.encode("latin-1"))
    run = lint_with_good(work, "latin1.json")
    finding = only_finding(run, "latin1.json")
    assert "not valid UTF-8 text (byte 0xe9)" in finding["message"]
    assert (finding["line"], finding["column"]) == (1, 16)
    assert run.exit_code == 1


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_with_a_bom_is_read_like_utf8(work: Path, encoding: str) -> None:
    text = json.dumps(GOOD, indent=2).replace("good", "wide")
    (work / "plain.json").write_text(text)
    (work / "wide.json").write_bytes(("\ufeff" + text).encode(encoding))
    run = lint_with_good(work, "wide.json", "plain.json")
    wide, plain = run.findings_for("wide.json"), run.findings_for("plain.json")
    assert "ECS401" in [f["rule"] for f in wide]
    strip = [{k: v for k, v in f.items() if k not in ("file", "fingerprint")} for f in wide]
    assert strip == [
        {k: v for k, v in f.items() if k not in ("file", "fingerprint")} for f in plain
    ]


def test_utf16_without_a_bom_is_refused(work: Path) -> None:
    (work / "nobom.json").write_bytes(json.dumps(GOOD).encode("utf-16-le"))
    run = lint_with_good(work, "nobom.json")
    assert only_finding(run, "nobom.json")["rule"] == "ECS004"


# --- what a path names ----------------------------------------------------------------------


def test_a_directory_named_like_a_file_is_walked_and_said_to_be_empty(work: Path) -> None:
    (work / "taskdef.json").mkdir()
    run = lint_with_good(work, "taskdef.json")
    assert "note: taskdef.json: no .json, .yaml or .yml files in it" in run.stderr
    assert run.exit_code == 1  # good.json's warning


def test_nothing_to_lint_at_all_is_a_usage_error(work: Path) -> None:
    (work / "empty").mkdir()
    run = run_ecslint("check", "empty", cwd=work)
    check_bounds(run)
    assert run.exit_code == 2
    assert "no task definition files to lint" in run.stderr


def test_a_fifo_named_explicitly_is_not_read(work: Path) -> None:
    os.mkfifo(work / "pipe.json")  # nobody writes to it: reading it would block forever
    run = lint_with_good(work, "pipe.json")
    finding = only_finding(run, "pipe.json")
    assert finding["rule"] == "ECS004"
    assert "not a regular file" in finding["message"]
    assert run.exit_code == 1


def _write_only_file() -> Path | None:
    """A file that even root cannot open for reading: a write-only sysfs attribute."""
    for pattern in ("class/*/*", "devices/*/*/*"):
        for path in sorted(Path("/sys").glob(pattern)):
            try:
                if path.is_file() and path.stat().st_mode & 0o777 == 0o200:
                    return path
            except OSError:
                continue
    return None


def test_an_unreadable_file_is_a_usage_error(work: Path) -> None:
    """chmod 000 does not stop root (CI runs as root): there, use a write-only sysfs file."""
    secret = work / "secret.json"
    if os.geteuid() == 0:
        target = _write_only_file()
        if target is None:
            pytest.skip("running as root and no write-only /sys file to stand for one")
        secret.symlink_to(target)
    else:
        secret.write_text(json.dumps(GOOD))
        secret.chmod(0)
    run = run_ecslint("check", "--format", "json", "secret.json", "good.json", cwd=work)
    check_bounds(run)
    finding = only_finding(run, "secret.json")
    assert finding["rule"] == "ECS004"
    assert finding["message"] == "cannot read file: Permission denied"
    assert "ECS401" in [f["rule"] for f in run.findings_for("good.json")]
    assert run.exit_code == 2


def test_a_symlink_loop_named_explicitly_is_a_usage_error(work: Path) -> None:
    (work / "loop.json").symlink_to("loop.json")
    run = lint_with_good(work, "loop.json")
    finding = only_finding(run, "loop.json")
    assert "Too many levels of symbolic links" in finding["message"]
    assert run.exit_code == 2


def test_symlink_loops_in_a_directory_walk_do_not_hang_it(work: Path) -> None:
    tree = work / "tree" / "a" / "b"
    tree.mkdir(parents=True)
    (tree / "good.json").write_text(json.dumps(GOOD))
    (tree / "up").symlink_to("../..", target_is_directory=True)
    (tree / "self").symlink_to("self", target_is_directory=True)
    (work / "tree" / "loop.json").symlink_to("loop.json")
    run = run_ecslint("check", "--format", "json", "tree", cwd=work)
    check_bounds(run)
    assert {f["file"] for f in run.findings} == {os.path.join("tree", "a", "b", "good.json")}
    assert "ECS401" in [f["rule"] for f in run.findings]
    assert run.exit_code == 1


# --- a newline in a path --------------------------------------------------------------------

NEWLINE_NAME = "new\nline\x1b[31m.json"


def _formats() -> list[str]:
    from ecslint.report import FORMATS

    return sorted(FORMATS)


@pytest.mark.parametrize("output_format", _formats())
def test_a_newline_in_a_path_is_escaped_in_every_format(work: Path, output_format: str) -> None:
    (work / NEWLINE_NAME).write_text(json.dumps(GOOD))
    run = run_ecslint("check", "--format", output_format, NEWLINE_NAME, "good.json", cwd=work)
    check_bounds(run)
    assert run.exit_code == 1
    assert NEWLINE_NAME not in run.stdout
    assert "\x1b" not in run.stdout  # nor a raw escape that would drive the terminal
    assert "good.json" in run.stdout
    if output_format in ("text", "concise"):
        assert "new\\nline\\x1b[31m.json:" in run.stdout


def test_a_newline_in_a_skipped_path_is_escaped_in_the_note(work: Path) -> None:
    (work / NEWLINE_NAME).write_text("[1, 2]")
    run = lint_with_good(work, NEWLINE_NAME)
    assert "note: new\\nline\\x1b[31m.json: skipped" in run.stderr
