"""Findings by rule on the corpus's CloudFormation and Terraform, before and after a change.

    python bench/iac_counts.py                      # this checkout, on ../shared/corpus
    python bench/iac_counts.py --before SNAPSHOT    # and a snapshot beside it

A snapshot is a folder of ``ecslint check --format json`` outputs named after the corpus
folder (``cfn.json``, ``external_realworld_terraform.json``, ...), as
``/work/tools-local/snap.sh`` writes them. The table has one row per rule: its count
before, after, and the difference, for each folder and in total.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("cfn", "terraform", "external/realworld/cfn", "external/realworld/terraform")


def corpus() -> Path:
    return Path(os.environ.get("ECSLINT_CORPUS") or ROOT.parent / "shared" / "corpus")


def counts_now(folder: Path) -> tuple[Counter[str], dict[str, int]]:
    command = [sys.executable, "-m", "ecslint", "check", "--format", "json", "--fail-on", "never"]
    done = subprocess.run([*command, str(folder)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ecslint failed on {folder}: {done.stderr.strip()}")
    return _count(json.loads(done.stdout))


def _count(report: dict[str, object]) -> tuple[Counter[str], dict[str, int]]:
    findings = report.get("findings")
    rules = (
        Counter(str(f["rule"]) for f in findings if isinstance(f, dict))
        if isinstance(findings, list)
        else Counter()
    )
    summary = report.get("summary")
    return rules, dict(summary) if isinstance(summary, dict) else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a snapshot folder to compare with")
    args = parser.parse_args(argv)
    base = corpus()
    total_before: Counter[str] = Counter()
    total_after: Counter[str] = Counter()
    for name in FOLDERS:
        after, summary = counts_now(base / name)
        before: Counter[str] = Counter()
        if args.before is not None:
            snap = args.before / (name.replace("/", "_") + ".json")
            before, _ = _count(json.loads(snap.read_text(encoding="utf-8")))
        total_before += before
        total_after += after
        _table(name, before, after, args.before is not None, summary)
    _table("total", total_before, total_after, args.before is not None, {})
    return 0


def _table(
    name: str, before: Counter[str], after: Counter[str], compare: bool, summary: dict[str, int]
) -> None:
    files = f" ({summary.get('files')} files, {summary.get('task_definitions')} task definitions)"
    print(f"## {name}{files if summary else ''}")
    print("| rule | before | after | change |" if compare else "| rule | findings |")
    print("| --- | ---: | ---: | ---: |" if compare else "| --- | ---: |")
    for rule in sorted(set(before) | set(after)):
        if compare:
            change = after[rule] - before[rule]
            print(f"| {rule} | {before[rule]} | {after[rule]} | {change:+d} |")
        else:
            print(f"| {rule} | {after[rule]} |")
    print()


if __name__ == "__main__":
    raise SystemExit(main())
