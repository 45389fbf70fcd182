"""How much running the checks costs per task definition, apart from loading and reporting.

    python bench/checks_speed.py [DIR] [--runs 7] [--per-check] [--schema]

Loads every file of DIR once (default: the shared corpus's taskdef folder), then runs
every enabled check on every task definition, as the engine does, and prints the best
CPU time of --runs runs per task definition. The schema check is left out unless
--schema is given (it is the schema stage's cost, measured by schema_speed.py).
--per-check adds each check's own cost, the dearest first: the first check to ask for
something a TaskView memoises pays for it.

CPU time here varies +-40% run to run; for small differences count instructions:
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/checks_speed.py
(and subtract a run with --runs 0, which only loads).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from corpus import TASKDEF_CORPUS, load_targets  # bench/corpus.py

from ecslint.catalog import load_builtin_catalog
from ecslint.checks.view import TaskView
from ecslint.config.settings import build_rules, load_settings
from ecslint.engine import Linter
from ecslint.load import Target


def run_all(targets: list[Target], checks: list[tuple[Any, Any]]) -> None:
    for target in targets:
        view = TaskView(target)
        for rule, run_check in checks:
            list(run_check(view, rule.params))


def per_check(targets: list[Target], checks: list[tuple[Any, Any]], runs: int) -> None:
    """Each check over all task definitions in engine order, on fresh views each run."""
    best: dict[str, float] = {}
    for _ in range(runs):
        views = [TaskView(target) for target in targets]
        for rule, run_check in checks:
            start = time.process_time()
            for view in views:
                list(run_check(view, rule.params))
            spent = time.process_time() - start
            name = f"{rule.id} {rule.check}"
            best[name] = min(best.get(name, spent), spent)
    for name, spent in sorted(best.items(), key=lambda item: -item[1]):
        print(f"{spent / len(targets) * 1e6:8.2f} us  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=TASKDEF_CORPUS)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--per-check", action="store_true")
    parser.add_argument("--schema", action="store_true", help="include the schema check")
    args = parser.parse_args()

    settings = load_settings(None, True)
    catalog, enabled = build_rules(settings, load_builtin_catalog(), [], [])
    checks = [
        (rule, run_check)
        for rule, run_check in Linter(catalog, enabled).checks
        if args.schema or rule.check != "schema"
    ]
    targets = [target for _, target in load_targets(args.directory)]
    if not targets or args.runs < 1:
        return
    best = float("inf")
    for _ in range(args.runs):
        start = time.process_time()
        run_all(targets, checks)
        best = min(best, time.process_time() - start)
    print(
        f"{len(targets)} task definitions, {len(checks)} checks: best of {args.runs} "
        f"{best / len(targets) * 1000:.3f} ms CPU per task definition"
    )
    if args.per_check:
        per_check(targets, checks, args.runs)


if __name__ == "__main__":
    main()
