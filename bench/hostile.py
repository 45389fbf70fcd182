"""Time and peak memory of ``ecslint check`` on each hostile input, beside a good file.

    python bench/hostile.py [--runs 3]

Each input is generated into a temporary directory and linted together with a
good task definition in one ``python -m ecslint check --format json`` run, as
``tests/test_hostile.py`` does. Printed per input: median wall time, median CPU
time (user + system) and peak resident memory of the child (``ru_maxrss`` from
``os.wait4``), the exit code and the message ecslint gave. The budget the tests
hold is under 5 s of CPU time and under 200 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

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


def big_environment() -> bytes:
    task = json.loads(json.dumps(GOOD))
    env = [{"name": f"VAR_{i}", "value": "v"} for i in range(100_000)]
    task["containerDefinitions"][0]["environment"] = env
    return json.dumps(task).encode()


def billion_laughs() -> bytes:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    return text.encode()


def flat_object() -> bytes:
    members = ",".join(f'"k{i}":{i}' for i in range(349_000))
    return (
        '{"family":"x","containerDefinitions":[{"name":"a","image":"x"}],' + members + "}"
    ).encode()


INPUTS: dict[str, Callable[[], bytes]] = {
    "good.json (alone)": lambda: b"",
    "huge.json (10 MiB + 30 bytes)": lambda: b'{"pad": "' + b"a" * (10 * 2**20) + b'"}',
    "env-100k.json (100,000 env entries)": big_environment,
    "flat-349k.json (349,000 keys, a finding)": flat_object,
    "many-4m.json (4,000,000 values)": lambda: (
        b'{"family":"x","x":[' + b",".join([b"1"] * 4_000_000) + b"]}"
    ),
    "many-300k.yaml (300,000 flow values)": lambda: (
        b"family: x\nx: [" + b",".join([b"1"] * 300_000) + b"]\n"
    ),
    "deep.json (10,000 deep)": lambda: b"[" * 10_000 + b"]" * 10_000,
    "deep.yaml (10,000 deep, flow)": lambda: b"[" * 10_000 + b"]" * 10_000,
    "deep-block.yaml (10,000 deep, block)": lambda: b"- " * 10_000 + b"x\n",
    "lol.yaml (billion laughs)": billion_laughs,
    "tags.yaml (!!python/object/apply)": lambda: (
        b"family: !!python/object/apply:os.system ['true']\n"
    ),
    "nul.json (NUL byte)": lambda: b'{"family": "\x00"}',
    "latin1.json (invalid UTF-8)": lambda: '{"family": "caf\u00e9"}'.encode("latin-1"),
    "utf16.json (UTF-16 with BOM)": lambda: ("\ufeff" + json.dumps(GOOD)).encode("utf-16-le"),
}


#: ecslint is started from this small intermediary, not from this script: on Linux a
#: child's ``ru_maxrss`` starts at the RSS of the process it was forked from, and this
#: script holds the inputs it generated.
MEASURE = """
import json, os, subprocess, sys
out = open(sys.argv[1], "wb")
start = os.times().elapsed
child = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = os.times().elapsed - start
cpu = usage.ru_utime + usage.ru_stime
code = os.waitstatus_to_exitcode(status)
print(json.dumps({"wall": wall, "cpu": cpu, "rss": usage.ru_maxrss, "exit": code}))
"""


def run_once(work: Path, name: str) -> tuple[float, float, int, int, str]:
    args = ["check", "--format", "json", *([name] if name else []), "good.json"]
    report = subprocess.run(
        [sys.executable, "-c", MEASURE, str(work / ".out"), sys.executable, "-m", "ecslint", *args],
        cwd=work,
        capture_output=True,
        check=True,
        env={**os.environ},
    )
    measured = json.loads(report.stdout)
    findings = json.loads((work / ".out").read_text())["findings"]
    mine = [f["message"] for f in findings if f["file"] == name]
    message = mine[0] if mine else "-"
    return measured["wall"], measured["cpu"], measured["rss"] // 1024, measured["exit"], message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'input':44} {'wall s':>7} {'cpu s':>6} {'MiB':>5} exit  message")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "good.json").write_text(json.dumps(GOOD))
        for label, make in INPUTS.items():
            name = label.split(" ")[0] if not label.startswith("good.json") else ""
            if name:
                (work / name).write_bytes(make())
            runs = [run_once(work, name) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            _, _, _, code, message = runs[-1]
            print(f"{label:44} {wall:7.2f} {cpu:6.2f} {peak:5d} {code:4d}  {message[:70]}")
            if name:
                (work / name).unlink()


if __name__ == "__main__":
    main()
