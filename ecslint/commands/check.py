"""``ecslint check`` itself: lint the paths, report, and decide the exit code.

It knows nothing of command-line parsing (``ecslint.cli`` and ``ecslint.commands.quickargs``
do that), so a one-file run need not import typer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ecslint.commands import start_up
from ecslint.commands.options import CheckOptions, FailOn, OutputFormat

if TYPE_CHECKING:
    from pathlib import Path

    from ecslint.commands.fix import Fixer
    from ecslint.config.settings import Settings
    from ecslint.engine import FileReport, Linter
    from ecslint.filter import Filter
    from ecslint.load.source import Source
    from ecslint.model import Severity
    from ecslint.report import RunResult
    from ecslint.sources.base import NotRead


class UsageError(Exception):
    """A usage or configuration error: the CLI prints it on one line and exits 2."""


def note(message: str) -> None:
    print(message, file=sys.stderr)


def split_list(values: Sequence[str] | None) -> list[str]:
    """Repeated options that may also hold comma-separated items: ``--select A,B --select C``."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def run_check(
    options: CheckOptions,
    source: Iterable[Source | NotRead] | None = None,
    session: object | None = None,
) -> int:
    """Lint ``options.paths`` (or what ``source`` yields, ``ecslint.sources.base``) and print
    the report; the exit code (DESIGN.md's contract). ``session``: the AWS session of
    ``source``, for the roles of ``--aws``."""
    global _color_mode
    _color_mode = options.color.value
    from pathlib import Path

    from ecslint.catalog import CatalogError, load_builtin_catalog
    from ecslint.commands.lint import default_jobs, lint_paths
    from ecslint.config.file import ConfigError
    from ecslint.config.selection import SelectionError
    from ecslint.config.settings import build_rules, load_settings
    from ecslint.engine import Linter
    from ecslint.filter import Filter
    from ecslint.filter.baseline import BaselineError, read_baseline
    from ecslint.report import RunResult
    from ecslint.report.concise import one_line
    from ecslint.sources.paths import expand

    quiet = options.quiet
    try:
        settings = load_settings(options.config, options.isolated)
        catalog, enabled = build_rules(
            settings,
            load_builtin_catalog(),
            split_list(options.select),
            split_list(options.ignore),
        )
        context = run_context(
            options.iam, options.aws, options.region, session, options.aws_timeout
        )
        linter = Linter(catalog, enabled, options.input_format.value, context=context)
        baseline_path = Path(options.baseline) if options.baseline else settings.baseline
        if options.write_baseline and baseline_path and not baseline_path.exists():
            baseline_path = None  # about to be written for the first time
        known = read_baseline(baseline_path) if baseline_path else None
    except (CatalogError, SelectionError, ConfigError, BaselineError) as exc:
        raise UsageError(str(exc)) from None
    stage = Filter(settings, linter, known)
    fixer = _fixer(options, linter, settings)
    start_up.end()  # the files come next: collect garbage as usual from here on

    shown_from = options.min_severity.value if options.min_severity else settings.min_severity
    empty_dirs: list[str] = []
    outside: list[str] = []
    excluded = 0
    named = set(options.paths)  # a path a walk found is never spelt as one named
    paths: list[tuple[str, bool]] = []
    for path in expand(options.paths, empty_dirs, outside) if source is None else ():
        if settings.exclude and settings.excluded(path):
            excluded += 1
        else:
            paths.append((path, path not in named))

    def expansion_notes() -> None:
        for link in outside:
            note(
                f"note: {one_line(link)}: not read: a symbolic link to a file outside the "
                "directory named (name the file itself to lint it)"
            )
        for directory in empty_dirs:
            note(f"note: {one_line(directory)}: no .json, .yaml or .yml files in it")

    if not paths and source is None:
        expansion_notes()
        if excluded:
            if not quiet:
                note(f"note: all {excluded} file(s) are excluded by the config")
            return 0
        raise UsageError("no task definition files to lint in the paths given")

    unreadable = False
    linted: set[str] = set()

    def reports() -> Iterator[FileReport]:
        """Each file's report, filtered and counted, as it finishes."""
        nonlocal unreadable
        if source is not None:
            produced = _from_source(source, linter, stage, settings)
        elif fixer is not None or (options.stdin_filename and "-" in named):
            produced = _one_by_one(paths, linter, stage, fixer, options.stdin_filename)
        else:
            jobs = 1 if "-" in named else options.jobs or default_jobs(len(paths))
            keep_text = options.output_format is OutputFormat.text
            produced = lint_paths(paths, linter, stage, jobs, keep_text)
        for report in produced:
            if shown_from is not None:
                run.hidden += hide_below(report, shown_from)
            unreadable |= report.unreadable
            linted.add(report.path)
            if report.skipped and not quiet and not options.quiet_skips:
                note(f"note: {one_line(report.path)}: skipped: {report.skipped}")
            yield report

    def finish() -> None:
        expansion_notes()
        if known is not None:
            run.baseline_stale = known.stale(linted)

    # One renderer reading the reports as they finish keeps one file in memory at a time;
    # a second report (--output, --statistics), a baseline to write or fixes keep them all.
    streams = not (options.output or options.statistics or options.write_baseline or fixer)
    if streams:
        run = RunResult(catalog, options.show_suppressed, stream=reports())
        run.on_end = finish
    else:
        run = RunResult(catalog=catalog, show_suppressed=options.show_suppressed)
    run.fail_on = fail_threshold(options.fail_on or FailOn(settings.fail_on))
    if not streams:
        run.reports = list(reports())
        finish()
    if streams:
        report_run(run, options.output_format, options.output, quiet, options.statistics)
        notes = stage.notes(run.baseline_stale)
    elif fixer is not None:
        notes = stage.notes(run.baseline_stale)
        for message in fixer.errors:
            note(f"ecslint: error: {message}")
        if not quiet:
            notes = fixer.notes() + notes
        if options.diff:
            for message in notes if not quiet else []:
                note(f"note: {message}")
            return 2 if fixer.errors else int(fixer.fixed > 0)
        if "-" in options.paths:  # the fixed text went to stdout: the report goes to stderr
            from contextlib import redirect_stdout

            with redirect_stdout(sys.stderr):
                report_run(run, options.output_format, options.output, quiet, options.statistics)
        else:
            report_run(run, options.output_format, options.output, quiet, options.statistics)
    else:
        notes = stage.notes(run.baseline_stale)
        if not options.write_baseline:  # writing a baseline prints what it wrote, not a report
            report_run(run, options.output_format, options.output, quiet, options.statistics)

    for message in notes if not quiet else []:
        note(f"note: {message}")
    for error in linter.internal_errors:
        note(f"ecslint: internal error: {error.path}: rule {error.rule}: {error.error}")
    if linter.internal_errors or unreadable or (fixer is not None and fixer.errors):
        return 2
    if options.write_baseline:
        _write_baseline(Path(options.write_baseline), run, quiet)
        return 0
    return exit_code(run, options.fail_on or FailOn(settings.fail_on))


def hide_below(report: FileReport, severity: str) -> int:
    """Drop ``report``'s findings below ``severity`` (the display threshold); how many.

    Findings about the file itself (it cannot be parsed or read) are always shown.
    """
    from ecslint.engine import ALWAYS_REPORTED
    from ecslint.model import Severity

    threshold = Severity.parse(severity)
    kept = [f for f in report.findings if f.severity >= threshold or f.rule in ALWAYS_REPORTED]
    hidden = sum(1 for f in report.findings if f.suppressed is None) - sum(
        1 for f in kept if f.suppressed is None
    )
    report.findings = kept
    return hidden


def _fixer(options: CheckOptions, linter: Linter, settings: Settings) -> Fixer | None:
    """The fix sink for ``--fix`` / ``--diff``, or None for a plain check."""
    if not (options.fix or options.diff):
        if options.unsafe_fixes:
            raise UsageError("--unsafe-fixes goes with --fix or --diff")
        return None
    if options.write_baseline:
        raise UsageError("--fix and --diff do not go with --write-baseline")
    from ecslint.commands.fix import Fixer

    return Fixer(linter, settings, options.unsafe_fixes, write=options.fix, diff=options.diff)


def _one_by_one(
    paths: list[tuple[str, bool]],
    linter: Linter,
    stage: Filter,
    fixer: Fixer | None,
    stdin_filename: str | None,
) -> Iterator[FileReport]:
    """The lint loop for fixes and ``--stdin-filename``: one file after another."""
    for path, walked in paths:
        display = stdin_filename if path == "-" else None
        if fixer is not None:
            yield fixer.run(path, stage, display)
            continue
        if display is not None:
            report = _lint_stdin(linter, display)
        else:
            report = linter.lint_path(path, walked=walked)
        stage.apply(report)
        yield report


def _from_source(
    items: Iterable[Source | NotRead], linter: Linter, stage: Filter, settings: Settings
) -> Iterator[FileReport]:
    """The lint loop for a source other than paths (``ecslint scan``): what it yields."""
    from ecslint.load.source import Source

    for item in items:
        name = item.path if isinstance(item, Source) else item.name
        if settings.exclude and settings.excluded(name):
            continue
        report = linter.lint_source(item) if isinstance(item, Source) else linter.not_read(item)
        stage.apply(report)
        yield report


def _lint_stdin(linter: Linter, name: str) -> FileReport:
    """Lint stdin as the file ``name`` (``--stdin-filename``): its suffix and its config."""
    from ecslint.load import LoadError, read_source

    try:
        source = read_source("-")
    except LoadError:
        return linter.lint_path("-")
    return linter.lint_source(source._replace(path=name))


def report_run(
    run: RunResult, output_format: OutputFormat, output: str | None, quiet: bool, statistics: bool
) -> None:
    """The chosen format to stdout, or to ``output`` with text on stdout; or statistics."""
    from ecslint.report import get_renderer

    if output:
        from ecslint.safeio import FileError, atomic_writer

        try:
            with atomic_writer(output) as stream:
                get_renderer(output_format.value)(run, stream, False)
        except FileError as exc:
            raise UsageError(f"{output}: {exc.message}") from None
        output_format = OutputFormat.text
    textual = output_format in (OutputFormat.text, OutputFormat.concise)
    if statistics:
        from ecslint.report.statistics import render as render_statistics

        render_statistics(run, sys.stdout if textual or output else sys.stderr, False)
        if textual or output:
            return
    renderer = get_renderer(output_format.value)
    color = output_format is OutputFormat.text and use_color()
    if quiet and output_format is OutputFormat.text:
        renderer = get_renderer("concise")
    renderer(run, sys.stdout, color)
    if output_format is OutputFormat.concise and not quiet:
        from ecslint.report.text import summary_line

        sys.stdout.write(summary_line(run) + "\n")


def _write_baseline(path: Path, run: RunResult, quiet: bool) -> None:
    from ecslint.engine import ALWAYS_REPORTED
    from ecslint.filter.baseline import write_baseline

    findings = [
        f
        for f in run.findings
        if f.rule not in ALWAYS_REPORTED
        and (f.suppressed is None or f.extra.get("suppressed_by") == "baseline")
    ]
    from ecslint.safeio import FileError

    try:
        count = write_baseline(path, findings)
    except FileError as exc:
        raise UsageError(f"{path}: {exc.message}") from None
    if not quiet:
        note(f"note: wrote {count} finding(s) to the baseline {path}")


def run_context(
    iam: Sequence[str],
    aws: bool,
    region: str | None,
    session: object | None = None,
    aws_timeout: float = 30,
) -> object | None:
    """Sources of roles for the execution-role rules; None (and no import) without options."""
    if not (iam or aws or region):
        return None
    from ecslint.iam.sources import SourceError, build_context

    try:
        return build_context(list(iam), aws, region, session, aws_timeout)
    except SourceError as exc:
        raise UsageError(str(exc)) from None


def fail_threshold(fail_on: FailOn) -> Severity | None:
    """The severity ``--fail-on`` names; None for ``never``."""
    from ecslint.model import Severity

    return None if fail_on is FailOn.never else Severity.parse(fail_on.value)


def exit_code(run: RunResult, fail_on: FailOn) -> int:
    from ecslint.model import Severity

    if fail_on is FailOn.never:
        return 0
    threshold = Severity.parse(fail_on.value)
    return int(any(count for severity, count in run.counts().items() if severity >= threshold))


#: ``--color``: "auto" asks the environment and the terminal; "always" and "never" decide.
_color_mode = "auto"


def use_color() -> bool:
    import os

    if _color_mode != "auto":
        return _color_mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
