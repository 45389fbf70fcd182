"""The lint loop of ``ecslint check``: paths in, reports out, in order, in one process or many.

Each path comes with the :class:`Run` of its configuration (the nearest config file, or
the one ``--config`` names): its settings, rules, linter and filter.

With ``--jobs N`` (by default, every core available once there are enough files
to pay for the processes) the files are linted by N forked workers, each with the
run's linter and filter inherited from the parent. A worker lints a file and
applies what depends on the file alone (per-file ignores, its own suppressions);
the parent takes the reports back in the order of the paths and applies what
counts across the run (config suppressions, the baseline), so the output is byte
for byte that of one process. Every path's run is made before the workers start, so
a worker reads no config file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from ecslint.catalog import Catalog
    from ecslint.config.settings import Settings
    from ecslint.engine import FileReport, InternalError, Linter
    from ecslint.filter import Filter

#: Files below which one process is faster than starting workers (forking and
#: sending reports back cost about as much as linting 50 files).
PARALLEL_FROM = 200
#: Paths handed to a worker at a time, at least: the chunk grows with the run (an eighth
#: of each worker's share), since every message costs the parent, which also writes the
#: report; small enough that the ordered output does not wait on a long tail.
CHUNK = 16


class Run:
    """What one configuration makes for ``check``: settings, rules, linter and filter."""

    __slots__ = ("catalog", "linted", "linter", "settings", "stage")

    def __init__(self, settings: Settings, catalog: Catalog, linter: Linter, stage: Filter):
        self.settings = settings
        self.catalog = catalog
        self.linter = linter
        self.stage = stage
        #: The files linted with it (for the baseline's stale entries and the notes).
        self.linted: set[str] = set()


#: A path to lint: (path, found by a directory walk, index of its run).
Item = tuple[str, bool, int]


def default_jobs(files: int) -> int:
    """The cores this process may use, when ``files`` are enough to pay for them."""
    if files < PARALLEL_FROM:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def lint_paths(
    items: Sequence[Item], runs: Sequence[Run], jobs: int, keep_text: bool
) -> Iterator[FileReport]:
    """The report of each ``(path, walked, run)``, filtered by its run, in the order given.

    ``keep_text``: the report keeps the file's text (for source excerpts); without it a
    worker does not send the text back.
    """
    if jobs <= 1 or len(items) < 2 or not _can_fork():
        for path, walked, index in items:
            run = runs[index]
            report = run.linter.lint_path(path, walked=walked)
            run.stage.apply(report)
            yield report
        return
    yield from _parallel(items, runs, jobs, keep_text)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


#: The run's configurations and text choice, inherited by forked workers.
_WORKER: tuple[Sequence[Run], bool] | None = None


def _lint_in_worker(item: Item) -> tuple[FileReport, list[InternalError]]:
    assert _WORKER is not None
    runs, keep_text = _WORKER
    path, walked, index = item
    linter = runs[index].linter
    report = linter.lint_path(path, walked=walked)
    runs[index].stage.apply_file(report)
    if not keep_text:
        report.text = None
    errors = list(linter.internal_errors)
    linter.internal_errors.clear()
    return report, errors


def _ignore_interrupts() -> None:
    """Ctrl-C is the parent's to handle (one message, exit 130); a worker just ends."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parallel(
    items: Sequence[Item], runs: Sequence[Run], jobs: int, keep_text: bool
) -> Iterator[FileReport]:
    import multiprocessing

    global _WORKER
    _WORKER = (runs, keep_text)
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(min(jobs, len(items)), initializer=_ignore_interrupts) as pool:
            chunk = max(CHUNK, len(items) // (jobs * 8))
            results = pool.imap(_lint_in_worker, items, chunksize=chunk)
            for (_, _, index), (report, errors) in zip(items, results, strict=True):
                runs[index].linter.internal_errors.extend(errors)
                runs[index].stage.apply_run(report)
                yield report
    finally:
        _WORKER = None
