"""The filter stage, between lint and report: what of the findings counts.

In order: per-file ignores drop findings; suppressions (task tags, container
labels, config entries) mark findings as suppressed with their reason, and
report suppressions that have no reason (ECS006) or suppress nothing (ECS005);
a baseline marks the findings it already knows. Findings about whether a file
can be read at all are never filtered.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

from ecslint.config.globs import matches
from ecslint.engine import ALWAYS_REPORTED, MAX_FINDINGS_PER_RULE, FileReport, Linter
from ecslint.filter.suppressions import InlineSuppression, find_suppressions
from ecslint.load.target import Target
from ecslint.model import Finding, Problem, to_pointer

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from ecslint.config.settings import ConfigSuppression, Settings
    from ecslint.filter.baseline import Baseline

UNUSED_SUPPRESSION = "ECS005"
SUPPRESSION_WITHOUT_REASON = "ECS006"
#: Findings about suppressions are not themselves suppressed by tags or labels.
ABOUT_SUPPRESSIONS = frozenset({UNUSED_SUPPRESSION, SUPPRESSION_WITHOUT_REASON})


class Filter:
    """The filter stage of one run: the settings' ignores and suppressions, the baseline."""

    __slots__ = (
        "_config",
        "_ignores",
        "_selected",
        "baseline",
        "config_used",
        "linter",
        "settings",
    )

    def __init__(
        self, settings: Settings, linter: Linter, baseline: Baseline | None = None
    ) -> None:
        self.settings = settings
        self.linter = linter
        self.baseline = baseline
        #: How many findings each config suppression suppressed.
        self.config_used: dict[int, int] = {}
        #: The rule ids of each suppression selector met (a file may repeat one 100,000 times).
        self._selected: dict[str, frozenset[str]] = {}
        self._ignores: list[tuple[str, set[str]]] = [
            (pattern, self._ids(selectors))
            for pattern, selectors in settings.per_file_ignores.items()
        ]
        self._config: list[tuple[ConfigSuppression, set[str]]] = [
            (s, self._ids(s.rules)) for s in settings.suppressions
        ]

    def _ids(self, selectors: Iterable[str]) -> set[str]:
        return {rule.id for selector in selectors for rule in self.linter.catalog.match(selector)}

    def _selector_ids(self, selector: str) -> frozenset[str]:
        ids = self._selected.get(selector)
        if ids is None:
            ids = self._selected[selector] = frozenset(self._ids([selector]))
        return ids

    # --- one file ------------------------------------------------------------------

    def apply(self, report: FileReport) -> None:
        self.apply_file(report)
        self.apply_run(report)

    def apply_file(self, report: FileReport) -> None:
        """What depends on the file alone: per-file ignores and its own suppressions.

        Stateless across files, so it runs where the file was linted (``--jobs``).
        """
        relative = self.settings.relative(report.path) if self._ignores else ""
        ignored = {
            rule_id
            for pattern, ids in self._ignores
            if matches(pattern, relative)
            for rule_id in ids
        }
        if ignored:
            report.findings = [
                f for f in report.findings if f.rule in ALWAYS_REPORTED or f.rule not in ignored
            ]
        for target, findings in _by_target(report):
            report.findings.extend(
                f for f in self._inline(target, report.path, findings) if f.rule not in ignored
            )
        report.targets.clear()  # documents are not needed any more; free them

    def apply_run(self, report: FileReport) -> None:
        """What counts across the run, in file order: config suppressions (which report
        the ones that suppressed nothing) and the baseline (each entry matches once)."""
        if self._config:
            # Only globs need the path relative to the config (os.path.relpath is slow).
            relative = self.settings.relative(report.path)
            for finding in report.findings:
                self._config_suppress(finding, relative)
        if self.baseline is not None:
            for finding in report.findings:
                if _open(finding) and self.baseline.take(finding):
                    finding.suppressed = f"in baseline {self.baseline.path.name}"
                    finding.extra["suppressed_by"] = "baseline"

    def _inline(self, target: Target, path: str, findings: list[Finding]) -> list[Finding]:
        """Apply ``target``'s tag and label suppressions; findings about the suppressions."""
        suppressions = list(find_suppressions(target))
        if not suppressions:
            return []
        about = _About(self, target, path)
        valid: list[tuple[InlineSuppression, frozenset[str], str]] = []
        for s in suppressions:
            if not s.reason:
                about.add(
                    SUPPRESSION_WITHOUT_REASON,
                    Problem(
                        s.value_path,
                        f"{_describe(s)} gives no reason, so it does not apply; "
                        "write why the rule does not apply here as its value",
                    ),
                )
            else:
                valid.append((s, self._selector_ids(s.selector), to_pointer(s.scope)))
        # Labels first: the narrowest suppression that fits takes the credit. A label's
        # scope is its container, inside the task definition that a tag covers, so the
        # first suppression of a rule at the longest scope holding a finding is the one.
        valid.sort(key=lambda item: item[0].kind != "label")
        covering: dict[tuple[str, str], InlineSuppression] = {}
        for s, ids, scope in valid:
            for rule_id in ids:
                covering.setdefault((rule_id, scope), s)
        for finding in findings:
            if not _open(finding) or finding.rule in ABOUT_SUPPRESSIONS:
                continue
            found = _covering(covering, finding.rule, finding.path)
            if found is not None:
                finding.suppressed = found.reason
                finding.extra["suppressed_by"] = found.kind
                found.used = True
        for s, ids, _ in valid:
            if s.used or (ids and not ids & self.linter.enabled_ids):
                continue  # a rule that did not run this time cannot have found anything
            if ids:
                names = ", ".join(sorted(ids))
                where = f"container {s.container!r}" if s.kind == "label" else "task definition"
                message = (
                    f"{_describe(s)} suppresses nothing: {names} reports nothing in this {where}"
                )
            else:
                message = f"{_describe(s)} names no rule ({s.selector!r}; see 'ecslint rules')"
            at_key = s.kind == "label"
            about.add(UNUSED_SUPPRESSION, Problem(s.key_path, message, at_key=at_key))
        return about.findings()

    def _about(self, rule_id: str, target: Target, path: str, problem: Problem) -> list[Finding]:
        rule = self.linter.enabled_rule(rule_id)
        if rule is None:
            return []
        return [self.linter.finding(rule, target, path, problem)]

    def _config_suppress(self, finding: Finding, relative: str) -> None:
        if not _open(finding):
            return
        for n, (s, ids) in enumerate(self._config):
            if (
                finding.rule in ids
                and matches(s.files, relative)
                and (s.family is None or fnmatchcase(finding.family or "", s.family))
                and (s.container is None or fnmatchcase(finding.container or "", s.container))
            ):
                finding.suppressed = s.reason
                finding.extra["suppressed_by"] = "config"
                self.config_used[n] = self.config_used.get(n, 0) + 1
                return

    # --- the whole run ---------------------------------------------------------------

    def notes(self, stale: int | None) -> list[str]:
        """Notes for stderr once every file is done: unused config entries, and the ``stale``
        baseline entries (``Baseline.stale``), if any."""
        notes = [
            f"{s.origin}: suppression of {', '.join(s.rules)} suppressed nothing in this run"
            for n, (s, _) in enumerate(self._config)
            if not self.config_used.get(n)
        ]
        if self.baseline is not None and stale:
            notes.append(
                f"{self.baseline.path}: {stale} baseline entr{'ies' if stale != 1 else 'y'} "
                "matched no finding (fixed since?); rewrite it with --write-baseline"
            )
        return notes


class _About:
    """The findings about one task definition's suppressions, at most
    MAX_FINDINGS_PER_RULE per rule (as the engine lists a rule's findings): 100,000
    labels naming no rule are one mistake, not 100,000 findings to read (and 8 s)."""

    __slots__ = ("_counts", "_filter", "_findings", "_path", "_target")

    def __init__(self, owner: Filter, target: Target, path: str) -> None:
        self._filter = owner
        self._target = target
        self._path = path
        self._findings: list[Finding] = []
        self._counts: dict[str, int] = {}

    def add(self, rule_id: str, problem: Problem) -> None:
        count = self._counts[rule_id] = self._counts.get(rule_id, 0) + 1
        if count <= MAX_FINDINGS_PER_RULE:
            self._findings += self._filter._about(rule_id, self._target, self._path, problem)

    def findings(self) -> list[Finding]:
        for rule_id, count in self._counts.items():
            rule = self._filter.linter.enabled_rule(rule_id)
            if count > MAX_FINDINGS_PER_RULE and rule is not None:
                more = count - MAX_FINDINGS_PER_RULE
                message = (
                    f"{more} more {rule.name} finding(s) in this task definition, not "
                    f"listed: ecslint lists at most {MAX_FINDINGS_PER_RULE} per rule"
                )
                self._findings.append(
                    self._filter.linter.finding(
                        rule, self._target, self._path, Problem((), message)
                    )
                )
        return self._findings


def _covering(
    covering: dict[tuple[str, str], InlineSuppression], rule_id: str, pointer: str
) -> InlineSuppression | None:
    """The suppression of ``rule_id`` at the longest scope that holds ``pointer``."""
    found = covering.get((rule_id, pointer))
    cut = len(pointer)
    while found is None and cut > 0:
        cut = max(pointer.rfind("/", 0, cut), 0)
        found = covering.get((rule_id, pointer[:cut]))
    return found


def _open(finding: Finding) -> bool:
    return finding.suppressed is None and finding.rule not in ALWAYS_REPORTED


def _describe(s: InlineSuppression) -> str:
    return (
        f"task tag 'ecslint:ignore:{s.selector}'"
        if s.kind == "tag"
        else (f"docker label 'ecslint.ignore.{s.selector}'")
    )


def _by_target(report: FileReport) -> list[tuple[Target, list[Finding]]]:
    """The findings of each task definition in the file (by where they point)."""
    targets = report.targets
    if len(targets) == 1:
        return [(targets[0], list(report.findings))]
    # The innermost target whose pointer is the finding's or a parent of it: looked up
    # by each "/" of the pointer, longest first (comparing every finding with every
    # target took 8 s for 10,000 task definitions in one template).
    scopes: dict[str, Target] = {}
    for target in targets:
        scopes.setdefault(to_pointer(target.locate(())), target)
    grouped: dict[int, list[Finding]] = {id(target): [] for target in targets}
    for finding in report.findings:
        pointer = finding.path
        found = scopes.get(pointer)
        cut = len(pointer)
        while found is None and cut > 0:
            cut = max(pointer.rfind("/", 0, cut), 0)
            found = scopes.get(pointer[:cut])
        if found is not None:
            grouped[id(found)].append(finding)
    return [(target, grouped[id(target)]) for target in targets]
