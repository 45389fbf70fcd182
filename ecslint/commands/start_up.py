"""The start-up of a one-shot ``ecslint check``: no garbage collection until it is over.

Importing the modules, reading the catalog and building the linter allocate tens of
thousands of objects that live as long as the process; the collector, triggered by the
count of allocations, walked them again and again (about 3% of a one-file run). The
console script defers collection (:func:`defer_collection`) and ``run_check`` ends the
start-up (:func:`end`) before the first file: what exists by then is frozen (moved out
of the collector's sight, as ``gc.freeze`` intends for long-lived start-up state) and
collection runs as usual while the files are linted, so memory stays flat over many files.
"""

from __future__ import annotations

import gc

_deferred = False


def defer_collection() -> None:
    """Collect nothing until :func:`end` (the console script's ``check`` only)."""
    global _deferred
    _deferred = True
    gc.disable()


def end() -> None:
    """The start-up is over: freeze what it made and collect as usual from now on.

    Does nothing unless :func:`defer_collection` was called (a test or a library calling
    ``run_check`` keeps its collector as it is)."""
    global _deferred
    if _deferred:
        _deferred = False
        gc.freeze()
        gc.enable()
