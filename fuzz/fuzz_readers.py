"""Fuzz the readers of the files around the task definitions: config, baseline, IAM, plans.

The first byte picks the reader; the rest is the file. A crash is any exception
other than the reader's own error (ConfigError, BaselineError, AuthDetailsError,
or a finding for a plan). Every input is written to one file under a temporary
directory, because the readers take paths (they go through ecslint.safeio). Run::

    python fuzz/make_seeds.py
    nice -n 19 python fuzz/fuzz_readers.py fuzz/corpus-readers fuzz/corpus-seeds \\
        -max_total_time=600 -print_final_stats=1
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import ecslint.load.yaml_doc  # noqa: F401 - imported lazily; instrument it too
    from ecslint.catalog import CatalogError, load_builtin_catalog
    from ecslint.config.file import ConfigError
    from ecslint.config.selection import SelectionError
    from ecslint.config.settings import build_rules, load_settings
    from ecslint.engine import Linter
    from ecslint.filter.baseline import BaselineError, read_baseline
    from ecslint.iam.authdetails import AuthDetailsError, AuthorizationDetails
    from ecslint.load import LoadError, Source
    from ecslint.load.source import decode
    from ecslint.report import RunResult, get_renderer

CATALOG = load_builtin_catalog()
LINTER = Linter(CATALOG, list(CATALOG))
DIRECTORY = tempfile.mkdtemp(prefix="ecslint-fuzz-")
READERS = ("config.yaml", "pyproject.toml", "baseline.json", "iam.json", "plan.json")


def _write(name: str, payload: bytes) -> str:
    path = os.path.join(DIRECTORY, name)
    with open(path, "wb") as handle:
        handle.write(payload)
    return path


def test_one_input(data: bytes) -> None:
    if not data:
        return
    name, payload = READERS[data[0] % len(READERS)], data[1:]
    if name in ("config.yaml", "pyproject.toml"):
        path = _write(".ecslint.yaml" if name == "config.yaml" else name, payload)
        with contextlib.suppress(ConfigError, CatalogError, SelectionError):
            build_rules(load_settings(path), CATALOG)
    elif name == "baseline.json":
        try:
            baseline = read_baseline(_path(name, payload))
        except BaselineError:
            return
        baseline.stale({"taskdef.json"})
    elif name == "iam.json":
        try:
            details = AuthorizationDetails.from_file(_write(name, payload))
        except AuthDetailsError:
            return
        for role in list(details._by_name)[:5]:
            details.find(role)
    else:
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
        get_renderer("json")(run, io.StringIO(), False)


def _path(name: str, payload: bytes) -> Path:
    return Path(_write(name, payload))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
