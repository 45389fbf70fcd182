"""Findings of ecslint's default run on the external corpus sets, counted.

    python bench/external_counts.py [--list] [--set awsdocs] [-- extra check options]

For each set in ``corpus/external/`` (awsdocs, realworld, peers; each file named by
its MANIFEST.tsv), run ``ecslint check --format json`` on every file and print the
number of task definitions, the findings per severity, info findings per task
definition and the findings per rule. ``--list`` also prints every warning and error
finding (file, rule, path, message), the list the closing note of issue 12 judges.
Options after ``--`` go to ``ecslint check`` (``-- --select hardening``).

``--one-dir-per-file`` lints each Terraform file from a directory of its own (a
temporary copy): the corpus sets keep files of many repositories side by side, and
Terraform reads every ``.tf`` of a directory as one module, so without it a file is
linted together with other repositories' resources.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
from pathlib import Path

from corpus import corpus_dir  # bench/corpus.py

ROOT = Path(__file__).resolve().parent.parent
SETS = ("awsdocs", "realworld", "peers")


def manifest_files(directory: Path) -> list[Path]:
    lines = (directory / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    return [directory / line.split("\t", 1)[0] for line in lines[1:] if line.strip()]


def isolated_copies(files: list[Path], scratch: Path) -> list[Path]:
    """Each ``.tf`` file copied into a directory of its own; other files as they are."""
    import shutil

    result = []
    for number, path in enumerate(files):
        if path.suffix == ".tf":
            home = scratch / str(number)
            home.mkdir()
            result.append(Path(shutil.copy(path, home / path.name)))
        else:
            result.append(path)
    return result


def run(files: list[Path], extra: list[str]) -> dict[str, object]:
    command = [sys.executable, "-m", "ecslint", "check", "--isolated", "--format", "json"]
    command += [*extra, "--", *(str(f) for f in files)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"ecslint exited {done.returncode}: {done.stderr.strip()}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every warning and error")
    parser.add_argument("--set", action="append", choices=SETS, help="only this set")
    parser.add_argument(
        "--one-dir-per-file", action="store_true", help="lint each .tf file as its own module"
    )
    parser.add_argument("extra", nargs="*", help="options for ecslint check (after --)")
    args = parser.parse_args()
    base = corpus_dir("external")
    if not base.is_dir():
        print(f"no external corpus at {base}", file=sys.stderr)
        return 2
    import tempfile

    for name in args.set or SETS:
        files = manifest_files(base / name)
        with tempfile.TemporaryDirectory() as scratch:
            if args.one_dir_per_file:
                files = isolated_copies(files, Path(scratch))
            result = run(files, args.extra)
        findings: list[dict[str, object]] = result["findings"]  # type: ignore[assignment]
        summary: dict[str, int] = result["summary"]  # type: ignore[assignment]
        tasks = max(summary.get("task_definitions", 0), 1)
        by_rule = collections.Counter((str(f["severity"]), str(f["rule"])) for f in findings)
        print(
            f"{name}: {len(files)} files, {summary.get('task_definitions', 0)} task definitions;"
            f" errors {summary.get('errors', 0)}, warnings {summary.get('warnings', 0)},"
            f" infos {summary.get('infos', 0)} ({summary.get('infos', 0) / tasks:.2f} per task)"
        )
        for (severity, rule), count in sorted(by_rule.items()):
            print(f"  {severity:8} {rule:8} {count}")
        if args.list:
            for f in findings:
                if f["severity"] in ("error", "warning"):
                    where = str(f["file"])
                    if where.startswith(str(base)):
                        where = os.path.relpath(where, base)
                    print(f"    {f['severity']:7} {f['rule']} {where} {f['path']}: {f['message']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
