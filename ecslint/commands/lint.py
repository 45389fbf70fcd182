"""The lint loop of ``ecslint check``: paths in, reports out, in order, in one process or many.

With ``--jobs N`` (by default, every core available once there are enough files
to pay for the processes) the files are linted by N forked workers, each with the
run's linter and filter inherited from the parent. A worker lints a file and
applies what depends on the file alone (per-file ignores, its own suppressions);
the parent takes the reports back in the order of the paths and applies what
counts across the run (config suppressions, the baseline), so the output is byte
for byte that of one process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecslint.engine import FileReport, InternalError, Linter
    from ecslint.filter import Filter

#: Files below which one process is faster than starting workers (forking and
#: sending reports back cost about as much as linting 50 files).
PARALLEL_FROM = 200
#: Paths handed to a worker at a time, at least: the chunk grows with the run (an eighth
#: of each worker's share), since every message costs the parent, which also writes the
#: report; small enough that the ordered output does not wait on a long tail.
CHUNK = 16


def default_jobs(files: int) -> int:
    """The cores this process may use, when ``files`` are enough to pay for them."""
    if files < PARALLEL_FROM:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def lint_paths(
    paths: Sequence[tuple[str, bool]],
    linter: Linter,
    stage: Filter,
    jobs: int,
    keep_text: bool,
) -> Iterator[FileReport]:
    """The report of each ``(path, walked)``, filtered, in the order given.

    ``keep_text``: the report keeps the file's text (for source excerpts); without it a
    worker does not send the text back.
    """
    if jobs <= 1 or len(paths) < 2 or not _can_fork():
        for path, walked in paths:
            report = linter.lint_path(path, walked=walked)
            stage.apply(report)
            yield report
        return
    yield from _parallel(paths, linter, stage, jobs, keep_text)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


#: The run's linter, filter and text choice, inherited by forked workers.
_WORKER: tuple[Linter, Filter, bool] | None = None


def _lint_in_worker(item: tuple[str, bool]) -> tuple[FileReport, list[InternalError]]:
    assert _WORKER is not None
    linter, stage, keep_text = _WORKER
    path, walked = item
    report = linter.lint_path(path, walked=walked)
    stage.apply_file(report)
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
    paths: Sequence[tuple[str, bool]], linter: Linter, stage: Filter, jobs: int, keep_text: bool
) -> Iterator[FileReport]:
    import multiprocessing

    global _WORKER
    _WORKER = (linter, stage, keep_text)
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(min(jobs, len(paths)), initializer=_ignore_interrupts) as pool:
            chunk = max(CHUNK, len(paths) // (jobs * 8))
            for report, errors in pool.imap(_lint_in_worker, paths, chunksize=chunk):
                linter.internal_errors.extend(errors)
                stage.apply_run(report)
                yield report
    finally:
        _WORKER = None
