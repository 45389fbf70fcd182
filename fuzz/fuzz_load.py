"""Fuzz the loader on bytes: decode -> parse -> detect_targets.

Expected refusals (LoadError, NotATaskDefinition) are fine; any other exception
is a crash. Run (needs ``pip install atheris``, see CONTRIBUTING.md)::

    python fuzz/make_seeds.py
    python fuzz/fuzz_load.py fuzz/corpus-load fuzz/corpus-seeds -max_total_time=600
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from _common import split_input

    import ecslint.load.yaml_doc  # noqa: F401 - imported lazily by parse; instrument it too
    from ecslint.load import LoadError, NotATaskDefinition, Source, detect_targets, parse
    from ecslint.load.source import decode


def test_one_input(data: bytes) -> None:
    name, payload = split_input(data)
    try:
        document = parse(Source(name, decode(payload)))
        targets = detect_targets(document)
    except (LoadError, NotATaskDefinition):
        return
    for target in targets:
        target.locate(("containerDefinitions", 0, "image"))
    document.span(("containerDefinitions", 0))
    document.duplicate_keys()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
