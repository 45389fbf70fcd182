"""``ecslint check --fix`` and ``--diff``: lint, apply the fixes, lint again, until none is due.

The fixes are the findings' own (``Finding.edits``, located by the engine); this module
only chooses which to make (safe ones, or unsafe ones too; never a suppressed finding's),
applies them as text, checks that the result still parses, and writes the file through
:func:`ecslint.fixes.write_text` (a temporary file renamed into place).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ecslint.engine import FileReport, Linter
from ecslint.load import LoadError, Source, parse, read_source

if TYPE_CHECKING:
    from ecslint.config.settings import Settings
    from ecslint.filter import Filter

#: Rounds of lint-and-fix per file: a fix can make another one due (a key renamed, then
#: its value's type fixed); more rounds than this would be fixes undoing each other.
MAX_ROUNDS = 10


class Fixer:
    """Fixes files one by one for ``check``, keeping the counts for its closing note."""

    def __init__(
        self, linter: Linter, settings: Settings, unsafe: bool, write: bool, diff: bool
    ) -> None:
        linter.fixes = True
        self.linter = linter
        self.settings = settings
        self.unsafe = unsafe
        self.write = write
        self.diff = diff
        self.fixed = 0
        self.files_changed = 0
        #: Fixes left out because they are unsafe (and --unsafe-fixes was not given).
        self.unsafe_left = 0
        self.errors: list[str] = []

    def run(self, path: str, stage: Filter, display: str | None = None) -> FileReport:
        """Lint ``path``, fix it, and return the report of what is left."""
        try:
            source = read_source(path)
        except LoadError:
            return self.linter.lint_path(path)
        if display is not None:
            source = source._replace(path=display)
        text, fixed = self.fix_text(source)
        changed = text != source.text
        if changed:
            self.fixed += fixed
            self.files_changed += 1
            if self.diff:
                sys.stdout.write(unified_diff(source.path, source.text, text))
            elif path == "-":
                sys.stdout.write(text)
            elif self.write:
                from ecslint.fixes import write_text
                from ecslint.safeio import FileError

                try:
                    write_text(path, text)
                except (OSError, FileError) as exc:
                    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                    self.errors.append(f"{path}: not fixed: {reason}")
                    text = source.text
        elif path == "-" and not self.diff:
            sys.stdout.write(text)  # stdin in, the buffer out, fixed or not (as ruff does)
        report = self.linter.lint_source(source._replace(text=text))
        stage.apply(report)
        self.unsafe_left += sum(
            1 for f in report.findings if f.edits and f.edits[0] == "unsafe" and not f.suppressed
        )
        return report

    def fix_text(self, source: Source) -> tuple[str, int]:
        """The text with every due fix made, and how many were made."""
        from ecslint.filter import Filter
        from ecslint.fixes import apply, choose

        text = source.text
        fixed = 0
        for _ in range(MAX_ROUNDS):
            report = self.linter.lint_source(source._replace(text=text))
            Filter(self.settings, self.linter).apply(report)  # suppressed findings are not fixed
            groups = [
                f.edits[1]
                for f in report.findings
                if f.edits and f.suppressed is None and (self.unsafe or f.edits[0] == "safe")
            ]
            chosen = choose(groups)
            if not chosen:
                break
            new = apply(text, [edit for group in chosen for edit in group])
            if new == text:
                break
            try:
                parse(source._replace(text=new))
            except LoadError as error:  # a fix that breaks the file is a bug: keep the file
                self.errors.append(
                    f"{source.path}: a fix would make the file unreadable ({error.message}); "
                    "not fixed (please report this)"
                )
                break
            text = new
            fixed += len(chosen)
        return text, fixed

    def notes(self) -> list[str]:
        verb = "would fix" if self.diff else "fixed"
        notes = []
        if self.fixed:
            notes.append(f"{verb} {self.fixed} finding(s) in {self.files_changed} file(s)")
        else:
            notes.append("nothing to fix")
        if self.unsafe_left and not self.unsafe:
            notes.append(f"{self.unsafe_left} more fixable with --unsafe-fixes")
        return notes


def unified_diff(path: str, before: str, after: str) -> str:
    import difflib

    absolute = path.startswith("/")
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=path if absolute else f"a/{path}",
        tofile=path if absolute else f"b/{path}",
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)
