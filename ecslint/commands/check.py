"""``ecslint check`` itself: lint the paths, report, and decide the exit code.

It knows nothing of command-line parsing (``ecslint.cli`` and ``ecslint.commands.quickargs``
do that), so a one-file run need not import typer.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterable, Iterator, Sequence

from ecslint.commands import start_up
from ecslint.commands.options import CheckOptions, FailOn, OutputFormat

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from pathlib import Path

    from ecslint.catalog import Catalog, Rule
    from ecslint.commands.fix import Fixer
    from ecslint.commands.lint import Item, Run
    from ecslint.config.file import PerConfig
    from ecslint.config.settings import Settings
    from ecslint.engine import FileReport, Linter
    from ecslint.filter.baseline import Baseline
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

    from ecslint.catalog import CatalogError
    from ecslint.commands.lint import default_jobs, lint_paths
    from ecslint.config.file import ConfigError
    from ecslint.config.selection import SelectionError
    from ecslint.filter.baseline import BaselineError
    from ecslint.report import RunResult
    from ecslint.report.concise import one_line
    from ecslint.sources.paths import expand

    quiet = options.quiet
    empty_dirs: list[str] = []
    outside: list[str] = []
    excluded = 0
    named = set(options.paths)  # a path a walk found is never spelt as one named
    items: list[Item] = []
    try:
        runs = _Runs(options, session)
        here = runs.of_directory()  # the working directory's: fail-on, ``scan``, stdin
        for path in expand(options.paths, empty_dirs, outside) if source is None else ():
            if path == "-":
                index = runs.index_of(options.stdin_filename or "-", here=True)
            else:
                index = runs.index_of(path)
            settings = runs.runs[index].settings
            if settings.exclude and settings.excluded(path):
                excluded += 1
            else:
                items.append((path, path not in named, index))
    except (CatalogError, SelectionError, ConfigError, BaselineError) as exc:
        raise UsageError(str(exc)) from None
    fixer = _fixer(options, here)
    start_up.end()  # the files come next: collect garbage as usual from here on

    def expansion_notes() -> None:
        for link in outside:
            note(
                f"note: {one_line(link)}: not read: a symbolic link to a file outside the "
                "directory named (name the file itself to lint it)"
            )
        for directory in empty_dirs:
            note(f"note: {one_line(directory)}: no .json, .yaml or .yml files in it")

    if not items and source is None:
        expansion_notes()
        if excluded:
            if not quiet:
                note(f"note: all {excluded} file(s) are excluded by the config")
            return 0
        raise UsageError("no task definition files to lint in the paths given")

    unreadable = False
    used: list[Run] = []  # the runs that linted a file, in the order they first did

    def reports() -> Generator[FileReport, None, None]:
        """Each file's report, filtered and counted, as it finishes."""
        nonlocal unreadable
        if source is not None:
            produced: Iterable[FileReport] = _from_source(source, here)
            which: Iterable[Run] = _forever(here)
        elif fixer is not None or (options.stdin_filename and "-" in named):
            produced = _one_by_one(items, runs.runs, fixer, options.stdin_filename)
            which = (runs.runs[index] for _, _, index in items)
        else:
            jobs = 1 if "-" in named else options.jobs or default_jobs(len(items))
            keep_text = options.output_format is OutputFormat.text
            produced = lint_paths(items, runs.runs, jobs, keep_text)
            which = (runs.runs[index] for _, _, index in items)
        try:
            for report, run_of_file in zip(produced, which, strict=False):
                if not run_of_file.linted:
                    used.append(run_of_file)
                shown_from = (
                    options.min_severity.value
                    if options.min_severity
                    else run_of_file.settings.min_severity
                )
                if shown_from is not None:
                    run.hidden += hide_below(report, shown_from)
                unreadable |= report.unreadable
                run_of_file.linted.add(report.path)
                if report.skipped and not quiet and not options.quiet_skips:
                    note(f"note: {one_line(report.path)}: skipped: {report.skipped}")
                yield report
        finally:  # also when the reader went away: the --jobs workers end here, not at exit
            close = getattr(produced, "close", None)
            if close is not None:
                close()

    stale: dict[int, int] = {}  # id of a baseline -> its entries that matched nothing

    def finish() -> None:
        expansion_notes()
        for baseline in {id(r.stage.baseline): r.stage.baseline for r in used}.values():
            if baseline is not None:
                files = {f for r in used if r.stage.baseline is baseline for f in r.linted}
                stale[id(baseline)] = baseline.stale(files)
        if stale:
            run.baseline_stale = sum(stale.values())

    def closing_notes() -> list[str]:
        """Each configuration's unused suppressions, each baseline's stale entries, once."""
        notes: list[str] = []
        told: set[int] = set()
        for r in used:
            key = id(r.stage.baseline)
            notes += r.stage.notes(stale.get(key) if key not in told else None)
            told.add(key)
        return notes

    # One renderer reading the reports as they finish keeps one file in memory at a time;
    # a second report (--output, --statistics), a baseline to write or fixes keep them all.
    catalog = runs.report_catalog(here)
    streams = not (options.output or options.statistics or options.write_baseline or fixer)
    if streams:
        stream = reports()
        run = RunResult(catalog, options.show_suppressed, stream=stream)
        run.on_end = finish
    else:
        run = RunResult(catalog=catalog, show_suppressed=options.show_suppressed)
    fail_on = options.fail_on or FailOn(here.settings.fail_on)
    run.fail_on = fail_threshold(fail_on)
    if not streams:
        run.reports = list(reports())
        finish()
    if streams:
        try:
            report_run(run, options.output_format, options.output, quiet, options.statistics)
        finally:
            stream.close()  # a renderer that raised (a closed pipe) leaves none running
        notes = closing_notes()
    elif fixer is not None:
        notes = closing_notes()
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
        notes = closing_notes()
        if not options.write_baseline:  # writing a baseline prints what it wrote, not a report
            report_run(run, options.output_format, options.output, quiet, options.statistics)

    for message in notes if not quiet else []:
        note(f"note: {message}")
    errors = [error for r in runs.runs for error in r.linter.internal_errors]
    for error in errors:
        note(f"ecslint: internal error: {error.path}: rule {error.rule}: {error.error}")
    if errors or unreadable or (fixer is not None and fixer.errors):
        return 2
    if options.write_baseline:
        _write_baseline(Path(options.write_baseline), run, quiet)
        return 0
    return exit_code(run, fail_on)


class _Runs:
    """The configurations of one ``check``: a :class:`Run` per config file that applies.

    Without ``--config`` or ``--isolated``, each file uses its nearest config
    (:class:`ecslint.config.file.PerConfig`, shared with the language server); with
    them, one run serves every file. Every path's run is made before linting starts, so
    a broken config is a usage error before any output, and ``--jobs`` workers inherit
    them all. The command line's ``--select``, ``--ignore`` and ``--baseline`` apply to
    every run.
    """

    def __init__(self, options: CheckOptions, session: object | None) -> None:
        from pathlib import Path

        from ecslint.catalog import load_builtin_catalog

        self.options = options
        self.builtin = load_builtin_catalog()
        self.context = run_context(
            options.iam, options.aws, options.region, session, options.aws_timeout
        )
        self.select = split_list(options.select)
        self.ignore = split_list(options.ignore)
        self.cli_baseline = Path(options.baseline) if options.baseline else None
        self.baselines: dict[str, Baseline | None] = {}
        #: Every run made, in the order made; items name them by index.
        self.runs: list[Run] = []
        self._index: dict[int, int] = {}
        self._only: Run | None = None
        self._nearest: PerConfig | None = None
        if options.config or options.isolated:
            from ecslint.config.settings import load_settings

            self._only = self._made(load_settings(options.config, options.isolated))
        else:
            from ecslint.config.file import PerConfig

            self._nearest = PerConfig(self._for_config)

    def _for_config(self, config: Path | None) -> Run:
        from ecslint.config.settings import load_settings

        return self._made(load_settings(str(config) if config else None, config is None))

    def _made(self, settings: Settings) -> Run:
        from ecslint.commands.lint import Run
        from ecslint.config.settings import build_rules
        from ecslint.engine import Linter
        from ecslint.filter import Filter

        catalog, enabled = build_rules(settings, self.builtin, self.select, self.ignore)
        linter = Linter(catalog, enabled, self.options.input_format.value, context=self.context)
        linter.fixes = bool(self.options.fix or self.options.diff)
        made = Run(settings, catalog, linter, Filter(settings, linter, self._baseline(settings)))
        self._index[id(made)] = len(self.runs)
        self.runs.append(made)
        return made

    def _baseline(self, settings: Settings) -> Baseline | None:
        """The baseline of a run: ``--baseline``, else its config's; one object per file."""
        import os

        from ecslint.filter.baseline import read_baseline

        path = self.cli_baseline or settings.baseline
        if path is None:
            return None
        key = os.path.abspath(path)
        if key not in self.baselines:
            if self.options.write_baseline and not path.exists():
                self.baselines[key] = None  # about to be written for the first time
            else:
                self.baselines[key] = read_baseline(path)
        return self.baselines[key]

    def of(self, path: str) -> Run:
        if self._only is not None:
            return self._only
        assert self._nearest is not None
        run: Run = self._nearest.for_file(path)  # type: ignore[assignment]  # a Run it made
        return run

    def of_directory(self) -> Run:
        """The run of the working directory (what ``ecslint config show`` shows)."""
        import os

        return self.of(os.path.join(os.getcwd(), "-"))

    def index_of(self, path: str, here: bool = False) -> int:
        """The index of ``path``'s run; ``here``: ``-`` is read as if in the working directory."""
        return self._index[id(self.of_directory() if here and path == "-" else self.of(path))]

    def report_catalog(self, here: Run) -> Catalog:
        """The rules the report describes: the working directory's, plus the custom rules of
        the other configs (a finding carries its own severity)."""
        catalog = here.catalog
        extra: list[Rule] = []
        for other in self.runs if len(self.runs) > 1 else ():
            for rule in other.catalog:
                known = rule.id in catalog.by_id or rule.name in catalog.by_name
                if not known and all(rule.id != e.id and rule.name != e.name for e in extra):
                    extra.append(rule)
        return catalog.extended(extra) if extra else catalog


def _forever(run: Run) -> Iterator[Run]:
    while True:
        yield run


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


def _fixer(options: CheckOptions, here: Run) -> Fixer | None:
    """The fix sink for ``--fix`` / ``--diff``, or None for a plain check."""
    if not (options.fix or options.diff):
        if options.unsafe_fixes:
            raise UsageError("--unsafe-fixes goes with --fix or --diff")
        return None
    if options.write_baseline:
        raise UsageError("--fix and --diff do not go with --write-baseline")
    from ecslint.commands.fix import Fixer

    return Fixer(
        here.linter, here.settings, options.unsafe_fixes, write=options.fix, diff=options.diff
    )


def _one_by_one(
    items: list[Item], runs: Sequence[Run], fixer: Fixer | None, stdin_filename: str | None
) -> Iterator[FileReport]:
    """The lint loop for fixes and ``--stdin-filename``: one file after another."""
    for path, walked, index in items:
        run = runs[index]
        display = stdin_filename if path == "-" else None
        if fixer is not None:
            fixer.linter, fixer.settings = run.linter, run.settings  # the file's config
            yield fixer.run(path, run.stage, display)
            continue
        if display is not None:
            report = _lint_stdin(run.linter, display)
        else:
            report = run.linter.lint_path(path, walked=walked)
        run.stage.apply(report)
        yield report


def _from_source(items: Iterable[Source | NotRead], run: Run) -> Iterator[FileReport]:
    """The lint loop for a source other than paths (``ecslint scan``): what it yields."""
    from ecslint.load.source import Source

    settings, linter = run.settings, run.linter
    for item in items:
        name = item.path if isinstance(item, Source) else item.name
        if settings.exclude and settings.excluded(name):
            continue
        report = linter.lint_source(item) if isinstance(item, Source) else linter.not_read(item)
        run.stage.apply(report)
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
