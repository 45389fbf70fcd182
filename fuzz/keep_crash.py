"""Keep a fuzzer's crashing input as a regression file under ``tests/regressions/``.

A fuzz input's first byte picks the file name the loader sees (see ``_common.py``);
this writes the rest under that suffix, so ``tests/test_regressions.py`` replays it
through the CLI exactly as the fuzzer fed it::

    python fuzz/keep_crash.py fuzz/corpus-artifacts/load-crash-... yaml-lone-cr
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import split_input

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("artifact", type=Path)
    parser.add_argument("name", help="a short slug saying what the input does")
    args = parser.parse_args()
    name, payload = split_input(args.artifact.read_bytes())
    suffix = name[len("taskdef") :] or ".noext"
    target = ROOT / "tests" / "regressions" / f"{args.name}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(payload)
    print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
