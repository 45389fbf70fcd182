"""Write the built-in rule index (ecslint/catalog/builtin.json, docs.json, sarif-rules.txt).

    python tools/generate_catalog.py            # rewrite the index
    python tools/generate_catalog.py --check    # exit 1 if the committed index is stale

The index holds what a run needs of each rule (id, name, severity, check, summary,
params, the one-line fix hint, autofix, and its file under rules/), so a cold
``ecslint check`` reads one small JSON file instead of parsing every YAML file;
docs.json holds the long docs by id, read only by what prints them (``ecslint rule``,
a custom rule's SARIF help); sarif-rules.txt holds SARIF's descriptor of each built-in
rule as ``--format sarif`` writes it. tests/test_docs.py runs the --check comparison;
tools/generate_docs.py runs this too, so one command regenerates everything.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ecslint.catalog import (  # noqa: E402
    DOCS_PATH,
    INDEX_PATH,
    load_rules_dir,
    render_docs,
    render_index,
)
from ecslint.report.sarif import DESCRIPTORS_PATH, render_descriptors  # noqa: E402

COMMAND = "python tools/generate_catalog.py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report a stale index, write nothing")
    args = parser.parse_args(argv)
    files = render_files()
    stale = [path for path, text in files.items() if _read(path) != text]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}; run `{COMMAND}`", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
    print(f"wrote {', '.join(str(p.relative_to(ROOT)) for p in files)}")
    return 0


def render_files() -> dict[Path, str]:
    """Each generated file and its text, from rules/*/*.yaml."""
    rules = load_rules_dir(ROOT / "rules")
    return {
        INDEX_PATH: render_index(rules, ROOT / "rules"),
        DOCS_PATH: render_docs(rules),
        Path(DESCRIPTORS_PATH): render_descriptors(rules),
    }


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
