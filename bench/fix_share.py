"""The share of warning and error findings on the corpus that come with a safe fix.

    python bench/fix_share.py [CORPUS]      (default: the shared corpus, ../shared/corpus)

Lints every file as ``ecslint check --isolated`` does (the default rules, no config), with
fixes located as ``--fix`` locates them, and prints, per rule and in total, how many
warning and error findings there are and how many of them ``--fix`` would make (safe) or
``--fix --unsafe-fixes`` would (unsafe).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from ecslint.catalog import load_builtin_catalog
    from ecslint.config.settings import Settings, build_rules
    from ecslint.engine import Linter
    from ecslint.filter import Filter
    from ecslint.model import Severity
    from ecslint.sources.paths import expand

    corpus = Path(
        sys.argv[1]
        if len(sys.argv) > 1
        else os.environ.get("ECSLINT_CORPUS", "") or ROOT.parent / "shared" / "corpus"
    )
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    settings = Settings()
    catalog, enabled = build_rules(settings, load_builtin_catalog())
    linter = Linter(catalog, enabled)
    linter.fixes = True
    stage = Filter(settings, linter)
    total: Counter[str] = Counter()
    safe: Counter[str] = Counter()
    unsafe: Counter[str] = Counter()
    files = 0
    for path in expand([str(corpus)]):
        files += 1
        report = linter.lint_path(path)
        stage.apply(report)
        for finding in report.findings:
            if finding.suppressed is not None or finding.severity < Severity.WARNING:
                continue
            total[finding.rule] += 1
            if finding.edits is not None:
                (safe if finding.edits[0] == "safe" else unsafe)[finding.rule] += 1
    print(f"{'rule':<8} {'findings':>8} {'safe fix':>8} {'unsafe':>7}")
    for rule in sorted(total):
        if safe[rule] or unsafe[rule]:
            print(f"{rule:<8} {total[rule]:>8} {safe[rule]:>8} {unsafe[rule]:>7}")
    count, fixable = sum(total.values()), sum(safe.values())
    share = fixable / count if count else 0.0
    print(
        f"{files} files: {count} warning and error findings, {fixable} with a safe fix "
        f"({share:.1%}), {sum(unsafe.values())} with an unsafe fix"
    )


if __name__ == "__main__":
    main()
