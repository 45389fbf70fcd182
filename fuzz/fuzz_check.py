"""Fuzz the whole check pipeline on bytes: load, every built-in rule, every report format.

A crash is any exception out of the pipeline, or an internal error that a check
recorded (the engine catches those so one broken check cannot hide the others,
which would also hide it from the fuzzer). Run::

    python fuzz/make_seeds.py
    python fuzz/fuzz_check.py fuzz/corpus-check fuzz/corpus-seeds -max_total_time=600
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports():
    from _common import split_input

    import ecslint.load.yaml_doc  # noqa: F401 - imported lazily; instrument it too
    from ecslint.catalog import load_builtin_catalog
    from ecslint.checks import all_checks
    from ecslint.engine import Linter
    from ecslint.load import LoadError, Source
    from ecslint.load.source import decode
    from ecslint.report import FORMATS, RunResult, get_renderer

    all_checks()  # import every check module under instrumentation
    RENDERERS = [get_renderer(name) for name in FORMATS]

CATALOG = load_builtin_catalog()
LINTER = Linter(CATALOG, list(CATALOG))


def test_one_input(data: bytes) -> None:
    name, payload = split_input(data)
    try:
        source = Source(name, decode(payload))
    except LoadError:
        return
    report = LINTER.lint_source(source)
    if LINTER.internal_errors:
        errors = list(LINTER.internal_errors)
        LINTER.internal_errors.clear()
        raise RuntimeError(f"internal error in a check: {errors}")
    run = RunResult(CATALOG)
    run.files.append(report)
    for render in RENDERERS:
        render(run, io.StringIO(), False)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
