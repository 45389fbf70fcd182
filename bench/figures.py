"""Every performance figure of DESIGN.md's budget, printed from one run.

    python bench/figures.py [--dev] [--cfn-lint-instructions N] [--max-files 50000]
                            [--skip cold|many|jobs|unrelated ...]

1. One file, cold process, every input kind (clean, schema errors, a real corpus file,
   YAML, CloudFormation JSON and YAML, ``.tf``, a fresh runner with an empty home,
   ``--format sarif``): instructions counted by valgrind's callgrind (which other load
   on the machine cannot disturb), beside the floor (the venv's python starting, reading
   the file and ``json.loads``) and cfn-lint 1.58.0 on the same definition as a template.
   Budget: at most 2x the floor (``.tf``: 4x).
2. Many files in one process: files, seconds and peak RSS from 1,000 up to --max-files.
   Budget: linear, at most 60 MiB at 50,000 files.
3. ``--jobs``: the same 10,000 files with one process and with every core.
   Budget: at least 1.7x on two idle cores, output byte for byte the same.
4. A tree where 90% of the files are unrelated JSON/YAML: cost per unrelated file.

ecslint runs as a user gets it: this checkout pip-installed into bench/.venv-user
(git-ignored), or the current venv's with --dev. cfn-lint is installed into
bench/.peers on first use; counting it under callgrind takes about two minutes, so
--cfn-lint-instructions takes a count measured before (3,235 M for 1.58.0 here).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from corpus import TASKDEF_CORPUS  # bench/corpus.py

from bench import SAMPLE, cfn_lint_command, ecslint_command, instructions, pascal  # bench/bench.py

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "examples" / "fargate-broken.json"
YAML_SAMPLE = ROOT / "examples" / "ec2-bridge-clean.yaml"


def inputs(workdir: Path) -> dict[str, Path]:
    """One file of every input kind, written from the shipped examples."""
    task = json.loads(SAMPLE.read_text())
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"TaskDef": {"Type": "AWS::ECS::TaskDefinition", "Properties": pascal(task)}},
    }
    cfn_json = workdir / "template.json"
    cfn_json.write_text(json.dumps(template, indent=2))
    import yaml

    cfn_yaml = workdir / "template.yaml"
    cfn_yaml.write_text(yaml.safe_dump(template, sort_keys=False))
    containers = json.dumps(task["containerDefinitions"], indent=2)
    settings = "\n".join(
        f"  {key} = {json.dumps(task[key])}"
        for key in ("family", "cpu", "memory", "networkMode")
        if key in task
    )
    tf = workdir / "main.tf"
    tf.write_text(
        'resource "aws_ecs_task_definition" "app" {\n'
        f"{settings}\n"
        '  requires_compatibilities = ["FARGATE"]\n'
        f"  container_definitions = jsonencode({containers})\n"
        "}\n"
    )
    real = sorted(TASKDEF_CORPUS.glob("*.json")) if TASKDEF_CORPUS.is_dir() else []
    found = {
        "clean task definition": SAMPLE,
        "schema errors": BROKEN,
        "YAML": YAML_SAMPLE,
        "CloudFormation JSON": cfn_json,
        "CloudFormation YAML": cfn_yaml,
        ".tf": tf,
    }
    if real:
        found["a real corpus file"] = real[len(real) // 2]
    return found


def cold(ecslint: list[str], python: str, cfn_lint: int | None, workdir: Path) -> None:
    print("one file, cold process (instructions; budget 2x the floor, .tf 4x)")
    print(f"  {'input':<26} {'floor':>8} {'ecslint':>9} {'/floor':>7} {'/cfn-lint':>10}")
    floor_code = "import json, sys; json.loads(open(sys.argv[1], 'rb').read())"
    home = workdir / "home"
    home.mkdir()
    cases: list[tuple[str, Path, list[str], dict[str, str] | None]] = []
    for name, path in inputs(workdir).items():
        cases.append((name, path, [str(path)], None))
    fresh = {**os.environ, "HOME": str(home)}
    fresh.pop("XDG_CACHE_HOME", None)
    cases.append(("fresh runner (empty home)", SAMPLE, [str(SAMPLE)], fresh))
    cases.append(("--format sarif", SAMPLE, ["--format", "sarif", str(SAMPLE)], None))
    for name, path, args, env in cases:
        if env is None:  # a run before warms what a user's second run finds (.pyc files)
            subprocess.run([*ecslint, "check", *args], capture_output=True, check=False)
        floor = instructions([python, "-c", floor_code, str(path)])
        ours = instructions([*ecslint, "check", *args], env)
        if floor is None or ours is None:
            print("  (valgrind not found)")
            return
        budget = 4 if path.suffix == ".tf" else 2
        ratio = f"{ours / cfn_lint:10.3f}" if cfn_lint else f"{'?':>10}"
        mark = "" if ours <= budget * floor else "  over budget"
        print(
            f"  {name:<26} {floor / 1e6:7.0f}M {ours / 1e6:8.0f}M {ours / floor:7.2f} {ratio}{mark}"
        )
    if cfn_lint:
        print(f"  cfn-lint 1.58.0 on the clean definition as a template: {cfn_lint / 1e6:,.0f} M")


def fill(directory: Path, count: int) -> None:
    sources = [p.read_bytes() for p in sorted(TASKDEF_CORPUS.glob("*.json"))] or [
        p.read_bytes() for p in sorted((ROOT / "examples").glob("*.json"))
    ]
    directory.mkdir(parents=True, exist_ok=True)
    have = len(list(directory.iterdir()))
    for index in range(have, count):
        (directory / f"td-{index:06d}.json").write_bytes(sources[index % len(sources)])


def measure_child(command: Sequence[str]) -> tuple[float, float, bytes]:
    """Peak RSS of one child alone: getrusage of a fresh helper process."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL); "
        "e = time.perf_counter() - t; sys.stderr.write(f'{e} '"
        "f'{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}'); "
        "sys.stdout.buffer.write(r.stdout)"
    )
    done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, check=False)
    seconds, rss_kib = done.stderr.decode().split()[-2:]
    return float(seconds), int(rss_kib) / 1024, done.stdout


def many(ecslint: list[str], workdir: Path, max_files: int, jobs_flag: list[str]) -> None:
    print("many files, one process (--format json)")
    print(f"  {'files':>7} {'seconds':>8} {'files/s':>8} {'peak RSS':>9}")
    directory = workdir / "many"
    for count in (1_000, 10_000, 50_000):
        if count > max_files:
            break
        fill(directory, count)
        seconds, rss, _ = measure_child(
            [
                *ecslint,
                "check",
                *jobs_flag,
                "--format",
                "json",
                "--fail-on",
                "never",
                str(directory),
            ]
        )
        print(f"  {count:7,} {seconds:8.2f} {count / seconds:8,.0f} {rss:8.1f}M")


def jobs(ecslint: list[str], workdir: Path) -> None:
    directory = workdir / "many"
    fill(directory, 10_000)
    base = [*ecslint, "check", "--format", "json", "--fail-on", "never"]
    one_s, _, one_out = measure_child([*base, "--jobs", "1", str(directory)])
    all_s, _, all_out = measure_child([*base, str(directory)])
    same = "identical" if one_out == all_out else "DIFFERENT"
    cores = len(os.sched_getaffinity(0))
    print(
        f"--jobs on 10,000 files: 1 process {one_s:.2f} s, default ({cores} cores) {all_s:.2f} s "
        f"= {one_s / all_s:.2f}x (budget >= 1.7x on two idle cores); output {same}"
    )


def unrelated(ecslint: list[str], workdir: Path, jobs_flag: list[str]) -> None:
    """Cost per unrelated file in a walk: 1,000 task definitions among 9,000 others."""
    tree = workdir / "tree"
    fill(tree / "tasks", 1_000)
    other = tree / "other"
    other.mkdir()
    package = json.dumps({"name": "web", "version": "1.0.0", "dependencies": {"x": "^1"}})
    workflow = "name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
    for index in range(9_000):
        if index % 2:
            (other / f"package-{index}.json").write_text(package)
        else:
            (other / f"workflow-{index}.yaml").write_text(workflow)
    base = [*ecslint, "check", "--format", "json", "--fail-on", "never", *jobs_flag]
    tasks_s, _, _ = measure_child([*base, str(tree / "tasks")])
    other_s, _, _ = measure_child([*base, str(other)])
    print(
        f"unrelated files: 9,000 in {other_s:.2f} s = {other_s / 9_000 * 1e6:,.0f} us each "
        f"(a task definition: {tasks_s / 1_000 * 1e6:,.0f} us)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="the current venv's ecslint")
    parser.add_argument("--cfn-lint-instructions", type=float, help="in millions, measured before")
    parser.add_argument("--max-files", type=int, default=50_000)
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["cold", "many", "jobs", "unrelated"]
    )
    args = parser.parse_args()
    ecslint = ecslint_command(args.dev)
    python = (
        str(Path(ecslint[0]).parent / "python") if ecslint[0].endswith("ecslint") else ecslint[0]
    )
    supports_jobs = (
        b"--jobs"
        in subprocess.run([*ecslint, "check", "--help"], capture_output=True, check=False).stdout
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if "cold" not in args.skip:
            if args.cfn_lint_instructions:
                cfn = int(args.cfn_lint_instructions * 1e6)
            else:
                peer = cfn_lint_command(workdir)
                cfn = instructions(peer) if peer else None
            cold(ecslint, python, cfn, workdir)
        if "many" not in args.skip:
            many(ecslint, workdir, args.max_files, ["--jobs", "1"] if supports_jobs else [])
        if "jobs" not in args.skip:
            if supports_jobs:
                jobs(ecslint, workdir)
            else:
                print("--jobs: this ecslint has no --jobs option")
        if "unrelated" not in args.skip:
            unrelated(ecslint, workdir, ["--jobs", "1"] if supports_jobs else [])
    sys.stdout.flush()


if __name__ == "__main__":
    main()
