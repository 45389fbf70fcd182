"""``ecslint server``: the Language Server Protocol over stdio (pygls, the ``server`` extra).

The same pipeline as ``check`` with the editor's buffer as the source and diagnostics
as the sink: open, change and save lint the buffer (task definition JSON/YAML,
CloudFormation, ``.tf``) with the ``.ecslint.yaml`` that applies to the file; each
finding is a diagnostic whose code is the rule id and whose code description is the
rule's page. Code actions are the findings' fixes (the same edits as ``--fix``), and
"fix all" applies every safe one; hover over a finding shows why the rule matters.

Everything costly is made once and reused on every keystroke: the rule catalog, a
:class:`~ecslint.engine.Linter` per configuration file (rebuilt when the file
changes), and the compiled schema (kept by :mod:`ecslint.schema` for the process).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ecslint import __version__
from ecslint.fixes import TextEdit
from ecslint.load import Source
from ecslint.model import Finding, Severity

if TYPE_CHECKING:
    from pathlib import Path

    from ecslint.catalog import Catalog, Rule
    from ecslint.config.settings import Settings
    from ecslint.engine import FileReport, Linter

#: Findings about the file being readable at all: shown only where the file is known to
#: be a task definition, so a broken docker-compose.yaml gets no ecslint diagnostics.
_ABOUT_THE_FILE = frozenset({"ECS002", "ECS004"})
_NAMED_LIKE_TASK_DEFINITIONS = ("task", "ecs", "container", "cfn", "cloudformation", "template")
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class _Run:
    """What one configuration file makes: settings, rules, and the linter built from them."""

    __slots__ = ("catalog", "linter", "settings")

    def __init__(self, settings: Settings, catalog: Catalog, linter: Linter):
        self.settings = settings
        self.catalog = catalog
        self.linter = linter


class _Linted:
    """The last lint of one open document: its text and findings, for actions and hovers."""

    __slots__ = ("findings", "run", "text")

    def __init__(self, text: str, findings: list[Finding], run: _Run) -> None:
        self.text = text
        self.findings = findings
        self.run = run


class EcslintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("ecslint", __version__)
        self._builtin: Catalog | None = None
        from ecslint.config.file import PerConfig

        #: The nearest config of each file, as ``check`` finds it; remade when it changes.
        self._runs = PerConfig(self._make_run, watch=True)
        self.linted: dict[str, _Linted] = {}
        #: Documents seen holding a task definition (their syntax errors are shown).
        self.known: set[str] = set()

    # --- configuration ---------------------------------------------------------------------

    def run_for(self, path: str) -> _Run:
        """The run for a file at ``path``: its nearest config, loaded once per version of it."""
        return cast("_Run", self._runs.for_file(path))

    def _make_run(self, config: Path | None) -> _Run:
        from ecslint.catalog import load_builtin_catalog
        from ecslint.config.settings import build_rules, load_settings
        from ecslint.engine import Linter

        if self._builtin is None:
            self._builtin = load_builtin_catalog()
        settings = load_settings(str(config) if config else None, isolated=config is None)
        catalog, enabled = build_rules(settings, self._builtin)
        linter = Linter(catalog, enabled)
        linter.fixes = True
        return _Run(settings, catalog, linter)

    # --- linting ---------------------------------------------------------------------------

    def lint(self, uri: str, text: str) -> list[types.Diagnostic]:
        from ecslint.filter import Filter

        path = _path_of(uri)
        try:
            run = self.run_for(path)
        except Exception as exc:  # a broken .ecslint.yaml: say so once, lint nothing
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Error, f"ecslint: {exc}")
            )
            return []
        if run.settings.exclude and run.settings.excluded(path):
            self.linted.pop(uri, None)
            return []
        report: FileReport = run.linter.lint_source(Source(path, text))
        Filter(run.settings, run.linter).apply(report)
        if report.task_definitions:
            self.known.add(uri)
        shown = [f for f in report.findings if f.suppressed is None]
        if not self._may_show_file_findings(uri, path):
            shown = [f for f in shown if f.rule not in _ABOUT_THE_FILE]
        self.linted[uri] = _Linted(text, shown, run)
        return [self.diagnostic(f, text, run.catalog) for f in shown]

    def _may_show_file_findings(self, uri: str, path: str) -> bool:
        name = os.path.basename(path).lower()
        return (
            uri in self.known
            or name.endswith(".tf")
            or any(word in name for word in _NAMED_LIKE_TASK_DEFINITIONS)
        )

    def publish(self, uri: str, text: str, version: int | None = None) -> None:
        diagnostics = self.lint(uri, text)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def diagnostic(self, finding: Finding, text: str, catalog: Catalog) -> types.Diagnostic:
        from ecslint.report.links import help_uri

        span = finding.span
        rule = catalog.by_id.get(finding.rule)
        lines = _Lines(text)
        start = lines.position(span.line, span.column)
        end = lines.position(span.end_line, span.end_column)
        return types.Diagnostic(
            range=types.Range(start=start, end=end),
            message=f"{finding.message} [{finding.name}]",
            severity=_SEVERITIES[finding.severity],
            code=finding.rule,
            code_description=(
                types.CodeDescription(href=help_uri(rule)) if rule is not None else None
            ),
            source="ecslint",
            data={"fingerprint": finding.fingerprint},
        )

    # --- code actions and hovers -----------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = self.linted.get(uri)
        if linted is None:
            return []
        lines = _Lines(linted.text)
        wanted = params.range
        actions: list[types.CodeAction] = []
        for finding in linted.findings:
            if finding.edits is None:
                continue
            diagnostic = self.diagnostic(finding, linted.text, linted.run.catalog)
            if not _touches(diagnostic.range, wanted):
                continue
            safety, edits = finding.edits
            title = f"Fix {finding.rule} ({finding.name})"
            if safety == "unsafe":
                title += " [unsafe: changes behaviour]"
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=safety == "safe",
                    edit=types.WorkspaceEdit(changes={uri: [lines.edit(e) for e in edits]}),
                )
            )
        fix_all = self.fix_all(uri)
        if fix_all is not None:
            actions.append(fix_all)
        return actions

    def fix_all(self, uri: str) -> types.CodeAction | None:
        """Every safe fix of the document at once, as ``check --fix`` makes them."""
        from ecslint.commands.fix import Fixer

        linted = self.linted.get(uri)
        if linted is None or not any(f.edits and f.edits[0] == "safe" for f in linted.findings):
            return None
        run = linted.run
        fixer = Fixer(run.linter, run.settings, unsafe=False, write=False, diff=False)
        fixed, count = fixer.fix_text(Source(_path_of(uri), linted.text))
        if not count or fixed == linted.text:
            return None
        lines = _Lines(linted.text)
        whole = lines.edit(TextEdit(0, len(linted.text), fixed))
        return types.CodeAction(
            title=f"Fix all safe ecslint findings ({count})",
            kind=types.CodeActionKind.SourceFixAll,
            edit=types.WorkspaceEdit(changes={uri: [whole]}),
        )

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        linted = self.linted.get(params.text_document.uri)
        if linted is None:
            return None
        at = params.position
        parts = []
        for finding in linted.findings:
            diagnostic = self.diagnostic(finding, linted.text, linted.run.catalog)
            if not _contains(diagnostic.range, at):
                continue
            rule = linted.run.catalog.by_id.get(finding.rule)
            parts.append(_hover_text(finding, rule))
        if not parts:
            return None
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
            )
        )


def _hover_text(finding: Finding, rule: Rule | None) -> str:
    from ecslint.report.links import help_uri

    out = [f"**{finding.rule} {finding.name}** ({finding.severity.label})", "", finding.message]
    if rule is not None:
        why = rule.docs.get("why")
        if isinstance(why, str) and why.strip():
            out += ["", "**Why:** " + " ".join(why.split())]
        if rule.fix:
            out += ["", "**Fix:** " + rule.fix]
        out += ["", f"[{rule.id} {rule.name}]({help_uri(rule)})"]
    return "\n".join(out)


def _contains(where: types.Range, at: types.Position) -> bool:
    start, end = where.start, where.end
    after_start = (at.line, at.character) >= (start.line, start.character)
    before_end = (at.line, at.character) <= (end.line, end.character)
    return after_start and before_end


def _touches(a: types.Range, b: types.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (
        b.start.line,
        b.start.character,
    ) <= (a.end.line, a.end.character)


def _path_of(uri: str) -> str:
    if uri.startswith("file://"):
        from urllib.parse import unquote, urlparse

        return unquote(urlparse(uri).path)
    return uri


class _Lines:
    """Character offsets and ecslint's 1-based columns as LSP positions (UTF-16 units)."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        from ecslint.load.positions import line_starts

        self.text = text
        self.starts = line_starts(text)

    def position(self, line: int, column: int) -> types.Position:
        index = max(0, min(line - 1, len(self.starts) - 1))
        start = self.starts[index]
        return types.Position(line=index, character=self._units(start, start + column - 1))

    def offset_position(self, offset: int) -> types.Position:
        import bisect

        index = bisect.bisect_right(self.starts, offset) - 1
        return types.Position(line=index, character=self._units(self.starts[index], offset))

    def _units(self, start: int, at: int) -> int:
        piece = self.text[start:at]
        if piece.isascii():
            return len(piece)
        return len(piece.encode("utf-16-le")) // 2

    def edit(self, edit: TextEdit) -> types.TextEdit:
        return types.TextEdit(
            range=types.Range(
                start=self.offset_position(edit.start), end=self.offset_position(edit.end)
            ),
            new_text=edit.new,
        )


def build_server() -> EcslintServer:
    server = EcslintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: EcslintServer, params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        ls.publish(document.uri, document.text, document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: EcslintServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        ls.publish(document.uri, document.source, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: EcslintServer, params: types.DidSaveTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        ls.publish(document.uri, document.source, document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: EcslintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.linted.pop(uri, None)
        cleared = types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        ls.text_document_publish_diagnostics(cleared)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
        ),
    )
    def code_action(ls: EcslintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: EcslintServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    return server


def main() -> Any:
    """Serve on stdin/stdout until the client says exit."""
    build_server().start_io()
