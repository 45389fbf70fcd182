"""Run the rules over files: source -> document -> targets -> problems -> findings.

The engine owns everything between a check's :class:`Problem` and a located
:class:`Finding`: positions, container names, fingerprints, and folding the
"not evaluated" problems of many rules into one finding per unknown value.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ecslint.catalog import Catalog, Rule
from ecslint.checks import get_spec
from ecslint.checks.view import TaskView
from ecslint.load import (
    LoadError,
    NotATaskDefinition,
    Source,
    Target,
    detect_targets,
    parse,
    read_source,
)
from ecslint.load.document import Document
from ecslint.load.shapes import NOT_AN_ECS_INPUT, may_hold_targets
from ecslint.load.unknown import Unknown
from ecslint.mask import mask_message, secret_values
from ecslint.model import Finding, PathParts, Problem, Severity, Span, to_pointer
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

    from ecslint.checks import AnyCheck, CheckFn
    from ecslint.sources.base import NotRead

UNEVALUATED = "ECS001"
SYNTAX_ERROR = "ECS002"
DUPLICATE_KEY = "ECS003"
UNREADABLE = "ECS004"
#: A check that raised on one task definition (or service): that rule was not evaluated there.
INTERNAL_ERROR = "ECS007"
#: A task definition that ``scan`` listed but could not describe (``ecslint.sources.aws``).
NOT_DESCRIBED = "ECS246"

#: Findings one rule lists for one task definition; past it, one finding says how many
#: more there are. A generated file with 300,000 unknown keys is one mistake, not
#: 300,000 lines to read, and listing them all cost seconds and hundreds of MiB.
MAX_FINDINGS_PER_RULE = 100

#: The shapes of input that can hold a deployment (services) besides task definitions.
DEPLOYMENT_SHAPES = frozenset({"cloudformation", "terraform", "aws-service"})
#: A service read from an account: its task definition is linted as a source of its own
#: (``aws://ecs/<region>/<family>:<revision>``), so only the deployment checks run here.
SERVICE_ONLY = "aws-service"

#: Findings about whether the file (or the task definition) can be read at all; never
#: filtered out, so what was not read is never counted as clean.
ALWAYS_REPORTED = frozenset({SYNTAX_ERROR, UNREADABLE, INTERNAL_ERROR, NOT_DESCRIBED})

#: How much of an exception's text an ECS007 message quotes (it may quote a whole value).
MAX_ERROR_TEXT = 300


class FileReport:
    """What linting one file found."""

    __slots__ = (
        "findings",
        "masks",
        "path",
        "skipped",
        "targets",
        "task_definitions",
        "text",
        "unreadable",
    )

    def __init__(
        self, path: str, findings: list[Finding] | None = None, text: str | None = None
    ) -> None:
        self.path = path
        self.findings: list[Finding] = [] if findings is None else findings
        #: The path could not be opened at all (missing, no permission): the run exits 2.
        self.unreadable = False
        #: Why the file was not linted (it holds no task definition), if it was not.
        self.skipped: str | None = None
        self.task_definitions = 0
        #: The text that was read, for source excerpts in reports.
        self.text = text
        #: The task definitions linted, for the filter stage (which clears this list).
        self.targets: list[Target] = []
        #: Where the text holds plaintext secret values, which no report quotes (ecslint.mask).
        self.masks: list[Span] = []


class InternalError(Record):
    """A check that raised: an ECS007 finding, a line on stderr, and the run exits 2."""

    path: str
    rule: str
    error: str


class Linter:
    """Lints files with a fixed set of enabled rules; reusable across many files."""

    def __init__(
        self,
        catalog: Catalog,
        enabled: Sequence[Rule],
        input_format: str = "auto",
        context: object | None = None,
    ) -> None:
        self.catalog = catalog
        #: ``--input-format``: "auto" detects the shape of each file from its content.
        self.input_format = input_format
        #: What the run knows beyond the files (``ecslint.context.RunContext``), for checks.
        self.context = context
        self.enabled_ids = {rule.id for rule in enabled}
        #: Checks by scope (what they declared with @check): each task definition, or
        #: each service of a deployment (its task definition, load balancers, groups).
        #: Each rule carries its check's declared defaults under its own params.
        self.checks: list[tuple[Rule, CheckFn]] = []
        self.deployment_checks: list[tuple[Rule, AnyCheck]] = []
        for rule in enabled:
            if rule.check != "engine":
                spec = get_spec(rule.check)
                configured = rule._replace(params=spec.with_defaults(rule.params))
                if spec.scope == "deployment":
                    self.deployment_checks.append((configured, spec.fn))
                else:
                    self.checks.append((configured, spec.fn))
        self.internal_errors: list[InternalError] = []
        #: Locate the fixes of findings (``--fix``, ``--diff``, the language server).
        self.fixes = False

    # --- files -------------------------------------------------------------------------

    def lint_path(self, path: str, walked: bool = False) -> FileReport:
        """Lint one file; ``walked``: found by a directory walk, not named by the user."""
        try:
            source = read_source(path)
        except LoadError as error:
            report = FileReport(display_path(path), [self._file_finding(display_path(path), error)])
            report.unreadable = error.io_error
            return report
        return self.lint_source(source, walked)

    def lint_source(self, source: Source, walked: bool = False) -> FileReport:
        """A file a walk found is first given a cheap look, and skipped unparsed if no
        detector could accept it; a file the user named is always read."""
        path = display_path(source.path)
        if walked and self.input_format == "auto" and not may_hold_targets(source.text):
            report = FileReport(path)
            report.skipped = NOT_AN_ECS_INPUT
            return report
        try:
            hcl = self.input_format == "terraform" or _terraform_on_stdin(source)
            document = parse(source, "hcl" if hcl else None)
        except LoadError as error:
            return FileReport(path, [self._file_finding(path, error)], text=source.text)
        report = FileReport(path, text=source.text)
        report.findings.extend(self._duplicate_keys(document, path))
        try:
            targets = detect_targets(document, self.input_format)
        except NotATaskDefinition as why:
            report.skipped = str(why)
            return report
        report.targets = targets
        if targets[0].shape != SERVICE_ONLY:
            report.task_definitions = len(targets)
            for target in targets:
                report.findings.extend(self.lint_target(target, path, report.masks))
        if self.deployment_checks and targets[0].shape in DEPLOYMENT_SHAPES:
            report.findings.extend(self.lint_deployment(document, targets, path))
        return report

    def not_read(self, item: NotRead) -> FileReport:
        """What a source could not read (``item.rule`` says why): one finding about it."""
        rule = self.catalog.by_id[item.rule]
        finding = Finding(
            rule=rule.id,
            name=rule.name,
            severity=rule.severity,
            message=item.message,
            file=item.name,
            span=Span(1, 1, 1, 1),
            path="",
            fingerprint=_hash(rule.id, item.name),
            fix=rule.fix,
        )
        return FileReport(item.name, [finding])

    # --- one task definition -------------------------------------------------------------

    def lint_target(
        self, target: Target, path: str, masks: list[Span] | None = None
    ) -> list[Finding]:
        """The findings of one task definition, with its plaintext secret values masked in
        their messages; the spans of those values are added to ``masks``."""
        if target.variants:  # each deployment the input can make (CloudFormation Fn::If)
            return _merge_variants(
                [(w, self.lint_target(v, path, masks)) for w, v in target.variants]
            )
        view = TaskView(target, self.context)
        findings: list[Finding] = []
        crashes = len(self.internal_errors)
        skipped_by: dict[PathParts, tuple[Problem, list[str]]] = {}
        for where, value in _unknown_containers(target):  # no container rule looks inside
            problem = Problem(where, value.describe(), evaluated=False)
            skipped_by[where] = (problem, ["every container rule"])
        for rule, run_check in self.checks:
            try:
                problems = list(run_check(view, rule.params))
            except Exception as exc:  # a broken check must not hide the other rules
                crashed = self._internal_error(rule, exc, path)
                if crashed is not None:
                    finding = self.finding(crashed[0], target, path, Problem((), crashed[1]))
                    finding.fingerprint = _hash(
                        INTERNAL_ERROR, path, target.label or target.family or "", rule.id
                    )
                    findings.append(finding)
                continue
            if problems:  # drop a schema limit that a running rule reports better
                problems = [p for p in problems if self.enabled_ids.isdisjoint(p.reported_by)]
            listed = 0
            for problem in problems:
                if problem.evaluated:
                    listed += 1
                    if listed <= MAX_FINDINGS_PER_RULE:
                        findings.append(self.finding(rule, target, path, problem))
                    elif listed == MAX_FINDINGS_PER_RULE + 1:
                        more = sum(1 for p in problems if p.evaluated) - MAX_FINDINGS_PER_RULE
                        message = (
                            f"{more} more {rule.name} finding(s) in this task definition, not "
                            f"listed: ecslint lists at most {MAX_FINDINGS_PER_RULE} per rule"
                        )
                        findings.append(
                            self.finding(rule, target, path, Problem(problem.path, message))
                        )
                else:
                    entry = skipped_by.setdefault(problem.path, (problem, []))
                    if rule.name not in entry[1]:
                        entry[1].append(rule.name)
        if target.shape == "containers":
            _fold_task_level(skipped_by)
        unreadable = self.enabled_rule(UNREADABLE) if target.load_problems else None
        if unreadable is not None:
            findings.extend(self.finding(unreadable, target, path, p) for p in target.load_problems)
        unevaluated = self.enabled_rule(UNEVALUATED)
        if unevaluated is not None:
            for problem, rule_names in skipped_by.values():
                message = f"not evaluated: {problem.message}; skipped: {', '.join(rule_names)}"
                findings.append(
                    self.finding(unevaluated, target, path, Problem(problem.path, message))
                )
        _number_fingerprints(findings)
        secrets = secret_values(view)
        if secrets:
            values = [value for _, value in secrets]
            for finding in findings:
                finding.message = mask_message(finding.message, values)
            for n in range(crashes, len(self.internal_errors)):  # stderr quotes no secret either
                error = self.internal_errors[n]
                self.internal_errors[n] = error._replace(error=mask_message(error.error, values))
            if masks is not None:
                masks.extend(target.document.span(target.locate(where)) for where, _ in secrets)
        return findings

    # --- the deployment around the task definitions ------------------------------------

    def lint_deployment(
        self, document: Document, targets: list[Target], path: str
    ) -> list[Finding]:
        """Run the deployment-scope checks on each service the file holds.

        Their problems carry document paths (a service, a target group, a security
        group), not task definition paths.
        """
        from ecslint.deploy import build_deployment

        deployment = build_deployment(document, targets)
        if deployment is None or not deployment.services():
            return []
        from ecslint.checks.deployment import ServiceView

        findings: list[Finding] = []
        skipped_by: dict[PathParts, tuple[Problem, list[str], ServiceView]] = {}
        for service in deployment.services():
            view = ServiceView(service, deployment, self.context)
            for rule, run_check in self.deployment_checks:
                try:
                    problems = list(run_check(view, rule.params))
                except Exception as exc:  # a broken check must not hide the other rules
                    crashed = self._internal_error(rule, exc, path)
                    if crashed is not None:
                        where = Problem(service.base, crashed[1])
                        finding = self.deployment_finding(crashed[0], view, path, where)
                        finding.fingerprint = _hash(INTERNAL_ERROR, path, service.key, rule.id)
                        findings.append(finding)
                    continue
                for problem in problems[:MAX_FINDINGS_PER_RULE]:
                    if problem.evaluated:
                        findings.append(self.deployment_finding(rule, view, path, problem))
                    else:
                        entry = skipped_by.setdefault(problem.path, (problem, [], view))
                        if rule.name not in entry[1]:
                            entry[1].append(rule.name)
        unevaluated = self.enabled_rule(UNEVALUATED)
        if unevaluated is not None:
            for problem, rule_names, view in skipped_by.values():
                message = f"not evaluated: {problem.message}; skipped: {', '.join(rule_names)}"
                findings.append(
                    self.deployment_finding(
                        unevaluated, view, path, problem._replace(message=message)
                    )
                )
        _number_fingerprints(findings)
        return findings

    def deployment_finding(self, rule: Rule, view: Any, path: str, problem: Problem) -> Finding:
        """A located finding about a service; ``problem.path`` is a document path."""
        pointer = to_pointer(problem.path)
        message = f"{view.service.key}: {problem.message}"
        origin = view.deployment.origin(problem.path)
        if origin is not None:
            message = f"{message} ({origin})"
        return Finding(
            rule=rule.id,
            name=rule.name,
            severity=rule.severity,
            message=message,
            file=path,
            span=view.deployment.document.span(problem.path, key=problem.at_key),
            path=pointer,
            family=view.family,
            container=view.container_name(problem.path),
            fingerprint=_hash(rule.id, path, view.service.key, pointer),
            fix=rule.fix,
        )

    def _internal_error(self, rule: Rule, exc: Exception, path: str) -> tuple[Rule, str] | None:
        """Record that ``rule``'s check raised ``exc`` on ``path`` (the run exits 2); the
        ECS007 rule and the message of its finding, which every run reports."""
        text = " ".join(str(exc).split())
        if len(text) > MAX_ERROR_TEXT:
            text = f"{text[:MAX_ERROR_TEXT]}..."
        error = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        self.internal_errors.append(InternalError(path, rule.id, error))
        internal = self.catalog.by_id.get(INTERNAL_ERROR)
        if internal is None:
            return None
        message = (
            f"the check of rule {rule.id} ({rule.name}) raised {error}, so {rule.id} was not "
            "evaluated here (a bug in that check)"
        )
        return internal, message

    def enabled_rule(self, rule_id: str) -> Rule | None:
        """The rule ``rule_id`` if this run reports it (for findings the engine makes itself)."""
        return self.catalog.by_id.get(rule_id) if rule_id in self.enabled_ids else None

    def finding(self, rule: Rule, target: Target, path: str, problem: Problem) -> Finding:
        """A located finding for ``problem``: how later stages report on a task definition."""
        finding = self._finding(rule, target, path, problem)
        if self.fixes and problem.fix and rule.autofix != "none":
            from ecslint.fixes import locate

            edits = locate(target, problem.fix)
            if edits:
                unsafe = problem.unsafe_fix or rule.autofix == "unsafe"
                finding.edits = ("unsafe" if unsafe else "safe", edits)
        return finding

    def _finding(self, rule: Rule, target: Target, path: str, problem: Problem) -> Finding:
        document_path = target.locate(problem.path)
        container = _container_name(target, problem.path)
        message = problem.message
        origin = target.origin(problem.path) if target.origins else None
        if origin is not None:
            message = f"{message} ({origin})"
        if target.label is not None:
            message = f"{target.label}: {message}"
        document = target.document
        if target.followed:  # inside a file the input reads (Terraform's file()): located there
            for prefix, other in target.followed.items():
                if document_path[: len(prefix)] == prefix:
                    document, path = other, display_path(other.path)
                    document_path = document_path[len(prefix) :]
                    break
        return Finding(
            rule=rule.id,
            name=rule.name,
            severity=rule.severity,
            message=message,
            file=path,
            span=document.span(document_path, key=problem.at_key),
            path=to_pointer(document_path),
            family=target.family,
            container=container,
            fingerprint=_fingerprint(rule.id, path, target, container, problem.path),
            fix=rule.fix,
        )

    # --- findings about the file itself -------------------------------------------------

    def _file_finding(self, path: str, error: LoadError) -> Finding:
        rule = self.catalog.by_id.get(error.rule)
        span = Span(error.line, error.column, error.line, error.column)
        return Finding(
            rule=error.rule,
            name=rule.name if rule else error.rule,
            severity=rule.severity if rule else Severity.ERROR,
            message=error.message,
            file=path,
            span=span,
            path="",
            fingerprint=_hash(error.rule, path, error.message),
            fix=rule.fix if rule else None,
        )

    def _duplicate_keys(self, document: Document, path: str) -> list[Finding]:
        rule = self.enabled_rule(DUPLICATE_KEY)
        if rule is None:
            return []
        findings = []
        keeps = "YAML loaders keep" if document.syntax == "yaml" else "JSON keeps"
        for parts, span in document.duplicate_keys():
            pointer = to_pointer(parts)
            findings.append(
                Finding(
                    rule=rule.id,
                    name=rule.name,
                    severity=rule.severity,
                    message=(
                        f"key {parts[-1]!r} appears more than once in this object; "
                        f"{keeps} only the last value"
                    ),
                    file=path,
                    span=span,
                    path=pointer,
                    fingerprint=_hash(rule.id, path, pointer),
                    fix=rule.fix,
                )
            )
        _number_fingerprints(findings)
        return findings


def _merge_variants(variants: list[tuple[str, list[Finding]]]) -> list[Finding]:
    """One finding for what every variant finds; one per variant for the rest, saying when."""
    seen: dict[tuple[object, ...], tuple[Finding, list[str]]] = {}
    for when, findings in variants:
        for finding in findings:
            # What a value left unevaluated is one finding per place, whichever rules it hid.
            said = "" if finding.rule == UNEVALUATED else finding.message
            key = (finding.rule, finding.file, finding.path, said, finding.span)
            entry = seen.setdefault(key, (finding, []))
            if when not in entry[1]:
                entry[1].append(when)
    merged = []
    for finding, whens in seen.values():
        if len(whens) < len(variants):
            finding.message = f"{finding.message} (when {' or '.join(whens)})"
        merged.append(finding)
    _number_fingerprints(merged)
    return merged


def _fold_task_level(skipped_by: dict[PathParts, tuple[Problem, list[str]]]) -> None:
    """A container list linted alone: what the task-level fields hid is one finding."""
    rule_names: list[str] = []
    for where in [w for w in skipped_by if w[:1] != ("containerDefinitions",)]:
        for name in skipped_by.pop(where)[1]:
            if name not in rule_names:
                rule_names.append(name)
    if rule_names:
        message = (
            "the task-level fields are not in this file (a list of container definitions, "
            "linted alone: lint the task definition that includes it for those)"
        )
        skipped_by[()] = (Problem((), message, evaluated=False), rule_names)


#: A Terraform block at the start of a line: ``resource "aws_..." "name" {``, ``module "x" {``.
_HCL_BLOCK = (
    r"^[ \t]*(?:resource|data|module|variable|locals|provider|terraform|output)\b[^\n]*\{[ \t]*$"
)


def _terraform_on_stdin(source: Source) -> bool:
    """Text on stdin has no file name to say it is a .tf: Terraform blocks say so. As YAML
    such text is one plain string, never a task definition, so nothing else is lost."""
    if source.path != "<stdin>" or source.text.lstrip()[:1] in ("{", "["):
        return False
    import re

    return re.search(_HCL_BLOCK, source.text, re.M) is not None


def _unknown_containers(target: Target) -> list[tuple[PathParts, Unknown]]:
    """The container list, or containers in it, that are unknown as a whole."""
    definitions = target.task.get("containerDefinitions")
    if isinstance(definitions, Unknown):
        return [(("containerDefinitions",), definitions)]
    if not isinstance(definitions, list):
        return []
    return [
        (("containerDefinitions", index), item)
        for index, item in enumerate(definitions)
        if isinstance(item, Unknown)
    ]


def display_path(path: str) -> str:
    """Paths as the user wrote them, relative where they were relative."""
    if path in ("-", "<stdin>"):
        return "<stdin>"
    if "://" in path:  # a synthetic name such as aws://ecs/<region>/<family>:<revision>
        return path
    return os.path.normpath(path)


def _container_name(target: Target, parts: PathParts) -> str | None:
    if len(parts) >= 2 and parts[0] == "containerDefinitions" and isinstance(parts[1], int):
        definitions = target.task.get("containerDefinitions")
        if isinstance(definitions, list) and parts[1] < len(definitions):
            definition = definitions[parts[1]]
            if isinstance(definition, dict) and isinstance(definition.get("name"), str):
                return str(definition["name"])
    return None


def _fingerprint(
    rule: str, path: str, target: Target, container: str | None, parts: PathParts
) -> str:
    """Stable under reformatting and reordering: no line numbers, no container indexes."""
    stable = list(parts)
    if container is not None:
        stable[1] = f"[{container}]"
    return _hash(rule, path, target.label or target.family or "", to_pointer(tuple(stable)))


def _sha256() -> Any:
    """SHA-256 from CPython's built-in module: hashlib first loads OpenSSL (libcrypto),
    about a twentieth of a one-file run, for the same digest."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11

        return sha256
    except ImportError:
        pass
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # 3.12 and later

        return sha256
    except ImportError:
        from hashlib import sha256

        return sha256


_SHA256: Any = None


def _hash(*parts: str) -> str:
    global _SHA256
    if _SHA256 is None:
        _SHA256 = _sha256()
    # surrogatepass: a lone surrogate in a family or container name is hashed, not an error
    digest: str = _SHA256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:16]


def _number_fingerprints(findings: list[Finding]) -> None:
    """Two findings of one rule on one path get distinct fingerprints, in file order."""
    seen: dict[str, int] = {}
    for finding in findings:
        count = seen.get(finding.fingerprint, 0)
        seen[finding.fingerprint] = count + 1
        if count:
            finding.fingerprint = _hash(finding.fingerprint, str(count))
