"""ecslint against cfn-lint 1.58.0 and checkov on the corpus's CloudFormation templates.

Side by side in one run, because this machine is noisy: each tool lints every
template in one process (files per second, peak RSS of that process), and once
more on one template from a cold start. Then it compares what each tool found on
the ``AWS::ECS::TaskDefinition`` resources: a peer's rule id is matched to the
ecslint rules whose ``docs.mappings`` name it, so "found by cfn-lint only" means
no mapped ecslint rule reported that resource.

The peers live in their own virtualenv, never in the project's dependencies::

    python3 -m venv bench/.peers
    bench/.peers/bin/pip install cfn-lint==1.58.0 checkov
    .venv/bin/python bench/iac_bench.py [--corpus ../shared/corpus] [--repeat 3]

``/usr/bin/time -f %M`` gives each process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "bench" / ".peers" / "bin"
TASK = "AWS::ECS::TaskDefinition"


def measure(command: Sequence[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """(seconds, peak RSS in KiB, stdout) of one run of ``command``."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", rss.name, *command]
        started = time.perf_counter()
        done = subprocess.run(wrapped, capture_output=True, text=True, cwd=cwd, check=False)
        elapsed = time.perf_counter() - started
        peak = int((rss.read().strip().splitlines() or ["0"])[-1])
    return elapsed, peak, done.stdout


def commands(files: list[str]) -> dict[str, list[str]]:
    ecslint = str(Path(sys.executable).with_name("ecslint"))
    checkov = ["--framework", "cloudformation", "-o", "json", "--quiet", "--skip-download"]
    return {
        "ecslint": [ecslint, "check", "--format", "json", "--fail-on", "never", *files],
        "cfn-lint": [str(PEERS / "cfn-lint"), "-f", "json", *files],
        "checkov": [str(PEERS / "checkov"), *checkov, *(arg for f in files for arg in ("-f", f))],
    }


# --- findings on task definitions: (file, resource, concern) ---------------------------


def peer_map() -> dict[str, set[str]]:
    """A peer's rule id -> the ecslint rule ids that mirror it (from the catalog)."""
    from ecslint.catalog import load_builtin_catalog

    mapping: dict[str, set[str]] = defaultdict(set)
    for rule in load_builtin_catalog():
        for ids in (rule.docs.get("mappings") or {}).values():
            for peer_id in [ids] if isinstance(ids, str) else ids or []:
                mapping[str(peer_id)].add(rule.id)
    return mapping


Key = tuple[str, str, str]


def ecslint_findings(output: str) -> set[Key]:
    found = set()
    for finding in json.loads(output or '{"findings": []}')["findings"]:
        parts = finding["path"].split("/")
        if len(parts) > 2 and parts[1] == "Resources" and finding["rule"] != "ECS001":
            found.add((Path(finding["file"]).name, parts[2], finding["rule"]))
    return found


def cfn_lint_findings(output: str, tasks: dict[str, set[str]]) -> set[Key]:
    found = set()
    for match in json.loads(output or "[]"):
        path = match["Location"].get("Path") or []
        name = Path(match["Filename"]).name
        if len(path) > 1 and path[0] == "Resources" and path[1] in tasks.get(name, ()):
            found.add((name, path[1], match["Rule"]["Id"]))
    return found


def checkov_findings(output: str) -> set[Key]:
    found = set()
    reports = json.loads(output or "[]")
    for report in reports if isinstance(reports, list) else [reports]:
        for check in report.get("results", {}).get("failed_checks", []):
            kind, _, resource = check["resource"].partition(".")
            if kind == TASK:
                found.add((Path(check["file_path"]).name, resource, check["check_id"]))
    return found


def task_resources(files: list[str]) -> dict[str, set[str]]:
    from ecslint.load import LoadError, detect_targets, parse, read_source
    from ecslint.load.target import NotATaskDefinition

    found: dict[str, set[str]] = {}
    for path in files:
        try:
            targets = detect_targets(parse(read_source(path)))
        except (LoadError, NotATaskDefinition):
            continue
        found[Path(path).name] = {t.label for t in targets if t.label}
    return found


def compare(by_tool: dict[str, set[Key]]) -> list[tuple[str, str, str, list[str]]]:
    """Rows (file, resource, concern, tools that found it); concerns named by ecslint id."""
    mapping = peer_map()
    concerns: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for tool, keys in by_tool.items():
        for file, resource, rule in keys:
            for concern in mapping.get(rule) or {rule}:
                concerns[(file, resource, concern)].add(tool)
    return [(f, r, c, sorted(t)) for (f, r, c), t in sorted(concerns.items())]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not (PEERS / "cfn-lint").exists() or not shutil.which("/usr/bin/time"):
        print("install the peers first (see the docstring) and GNU time", file=sys.stderr)
        return 2
    files = sorted(str(p) for p in (Path(args.corpus) / "cfn").iterdir())
    one = [next(f for f in files if "1Strategy" in f)]
    print(f"{len(files)} CloudFormation files; {os.cpu_count()} CPUs; best of {args.repeat}\n")
    header = ("all files s", "files/s", "peak MiB", "1 file s", "1 MiB")
    print(
        f"{'tool':<9} {header[0]:>11} {header[1]:>8} {header[2]:>9} {header[3]:>9} {header[4]:>6}"
    )
    outputs: dict[str, str] = {}
    rows = {}
    for tool, command in commands(files).items():
        runs = [measure(command) for _ in range(args.repeat)]
        cold = [measure(commands(one)[tool]) for _ in range(args.repeat)]
        best = min(runs)
        outputs[tool] = best[2]
        rows[tool] = (best[0], max(r[1] for r in runs), min(cold)[0], max(c[1] for c in cold))
        many, peak, single, single_peak = rows[tool]
        print(
            f"{tool:<9} {many:>11.2f} {len(files) / many:>8.1f} {peak / 1024:>9.0f} "
            f"{single:>9.2f} {single_peak / 1024:>6.0f}"
        )
    base = rows["ecslint"]
    for tool in ("cfn-lint", "checkov"):
        other = rows[tool]
        print(
            f"ecslint vs {tool}: {other[0] / base[0]:.0f}x faster on all files, "
            f"{other[2] / base[2]:.0f}x on one, {other[1] / base[1]:.1f}x less memory"
        )
    tasks = task_resources(files)
    by_tool = {
        "ecslint": ecslint_findings(outputs["ecslint"]),
        "cfn-lint": cfn_lint_findings(outputs["cfn-lint"], tasks),
        "checkov": checkov_findings(outputs["checkov"]),
    }
    table = compare(by_tool)
    print(f"\nFindings on {sum(map(len, tasks.values()))} task definitions, by concern:")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for _, _, concern, tools in table:
        counts[(concern, ",".join(tools))] += 1
    print(f"{'concern':<10} {'found by':<26} {'resources':>9}")
    for (concern, found_by), count in sorted(counts.items()):
        print(f"{concern:<10} {found_by:<26} {count:>9}")
    only = {tool: sum(1 for *_, t in table if t == [tool]) for tool in by_tool}
    print("\nfound by one tool only:", ", ".join(f"{t} {n}" for t, n in only.items()))
    if os.environ.get("IAC_BENCH_DETAIL"):
        for row in table:
            print(*row, sep="\t")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
