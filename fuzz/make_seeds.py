"""Build the fuzzers' seed corpus from the shared corpus and ``examples/``.

The seeds are written into ``fuzz/corpus-seeds/`` (git-ignored), one file per
distinct input named by its hash, so nothing from the shared corpus is ever
committed. Run from anywhere: ``python fuzz/make_seeds.py [--corpus DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path("/work/shared/corpus")
#: Larger inputs teach the fuzzer nothing the small ones do not, and slow every run.
MAX_SEED_BYTES = 64 * 1024


def seed_files(corpus: Path) -> list[Path]:
    sources = [corpus, ROOT / "examples", ROOT / "tests" / "regressions"]
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(p for p in sorted(source.rglob("*")) if p.is_file())
    return [p for p in found if p.suffix not in (".md", ".tsv", ".py")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz" / "corpus-seeds")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in seed_files(args.corpus):
        data = path.read_bytes()
        if len(data) > MAX_SEED_BYTES:
            continue
        target = args.out / hashlib.sha1(data).hexdigest()
        if not target.exists():
            target.write_bytes(data)
            written += 1
    total = sum(1 for _ in args.out.iterdir())
    print(f"{written} new seeds; {total} in {args.out}")


if __name__ == "__main__":
    main()
