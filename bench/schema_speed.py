"""How much the schema stage costs: import, compile, per task, and in a cold CLI run.

    python bench/schema_speed.py [CORPUS_TASKDEF_DIR]

Prints, in one run (machines here are noisy, so compare the numbers side by side):
- the cost of importing jsonschema in a fresh interpreter;
- building the validator (load, inline and compile the schema) once;
- validating every task definition of the corpus after warm-up (mean, median, max);
- how many task definitions the quick check proves valid (jsonschema never runs on
  them), and the time per task for valid and invalid ones;
- a typical (median-sized) corpus file, per task;
- one cold ``ecslint check`` of that file without the schema rules and with them, and
  of the same file with one error added (so that jsonschema is imported and run).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import TASKDEF_CORPUS, load_targets  # bench/corpus.py

ROOT = Path(__file__).resolve().parent.parent


def _python_ms(code: str, runs: int = 7) -> float:
    """Median wall time of ``python -c code`` in a fresh process, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _import_ms(module: str, runs: int = 7) -> float:
    """Median cumulative import time of ``module`` in a fresh process (``-X importtime``), ms."""
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
        )
        for line in done.stderr.splitlines():
            fields = line.split("|")
            if len(fields) == 3 and fields[2].strip() == module:
                times.append(int(fields[1]) / 1000)
    return statistics.median(times)


def _cli_runs(typical: Path, broken: Path, runs: int = 9) -> dict[str, float]:
    """Median ms of cold CLI variants, run in rotation so load drift hits all alike."""
    env = dict(os.environ)
    variants = {
        "no schema": ["check", "--ignore", "ECS01", str(typical)],
        "valid": ["check", str(typical)],
        "invalid": ["check", str(broken)],
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, args in variants.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ecslint", *args], env=env, capture_output=True)
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else TASKDEF_CORPUS
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    # as installed: byte-compiled (this environment may set PYTHONDONTWRITEBYTECODE)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ecslint")], check=True)
    from ecslint import schema

    print(f"python startup               {_python_ms('pass'):8.1f} ms")
    print(f"import jsonschema            {_import_ms('jsonschema'):8.1f} ms (-X importtime)")
    print(f"import ecslint.schema        {_import_ms('ecslint.schema'):8.1f} ms (-X importtime)")

    start = time.perf_counter()
    schema._validator("RegisterTaskDefinitionRequest")
    print(
        f"import + compile validator   {(time.perf_counter() - start) * 1000:8.1f} ms (in process)"
    )

    targets = load_targets(corpus)
    for _, target in targets:  # warm-up: both validators, the key index, re caches
        schema.validate_task(target.task, target.shape, target.plain)
    per_task: list[float] = []
    by_validity: dict[bool, list[float]] = {True: [], False: []}
    per_file: dict[Path, list[float]] = {}
    for path, target in targets:
        rules = schema.SHAPES.get(target.shape, schema.SHAPES["register"])
        valid = schema._quick_check(rules.definition)(schema._prepare(target.task, rules))
        for _ in range(5):
            start = time.perf_counter()
            schema.validate_task(target.task, target.shape, target.plain)
            elapsed = (time.perf_counter() - start) * 1e6
            per_task.append(elapsed)
            by_validity[valid].append(elapsed)
            per_file.setdefault(path, []).append(elapsed)
    print(
        f"validate one task (corpus)   mean {statistics.mean(per_task):6.0f} us, "
        f"median {statistics.median(per_task):6.0f} us, max {max(per_task):6.0f} us "
        f"over {len(targets)} task definitions"
    )
    for valid, label in (
        (True, "proven valid by the quick check"),
        (False, "run through jsonschema"),
    ):
        times = by_validity[valid]
        if times:
            print(f"  {len(times) // 5:3d} {label:32s} median {statistics.median(times):6.0f} us")
    by_size = sorted(per_file, key=lambda p: p.stat().st_size)
    typical = by_size[len(by_size) // 2]
    print(
        f"typical file ({typical.stat().st_size} bytes) median "
        f"{statistics.median(per_file[typical]):6.0f} us per task  [{typical.name}]"
    )

    broken = Path(tempfile.mkdtemp(prefix="ecslint-bench-")) / "broken.json"
    data = json.loads(typical.read_text(encoding="utf-8"))
    data["cpu"] = 256  # a number: wrong-type in register input
    broken.write_text(json.dumps(data, indent=2), encoding="utf-8")
    cli = _cli_runs(typical, broken)
    print(f"ecslint check, no schema     {cli['no schema']:8.1f} ms (--ignore ECS01)")
    print(f"ecslint check, valid file    {cli['valid']:8.1f} ms (quick check only)")
    print(f"ecslint check, invalid file  {cli['invalid']:8.1f} ms (imports and runs jsonschema)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
