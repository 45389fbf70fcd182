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
from ecslint.engine import ALWAYS_REPORTED, FileReport, Linter
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

    __slots__ = ("_config", "_ignores", "baseline", "config_used", "linter", "settings")

    def __init__(
        self, settings: Settings, linter: Linter, baseline: Baseline | None = None
    ) -> None:
        self.settings = settings
        self.linter = linter
        self.baseline = baseline
        #: How many findings each config suppression suppressed.
        self.config_used: dict[int, int] = {}
        self._ignores: list[tuple[str, set[str]]] = [
            (pattern, self._ids(selectors))
            for pattern, selectors in settings.per_file_ignores.items()
        ]
        self._config: list[tuple[ConfigSuppression, set[str]]] = [
            (s, self._ids(s.rules)) for s in settings.suppressions
        ]

    def _ids(self, selectors: Iterable[str]) -> set[str]:
        return {rule.id for selector in selectors for rule in self.linter.catalog.match(selector)}

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
        new: list[Finding] = []
        valid: list[tuple[InlineSuppression, set[str], str]] = []
        for s in suppressions:
            if not s.reason:
                new += self._about(
                    SUPPRESSION_WITHOUT_REASON,
                    target,
                    path,
                    Problem(
                        s.value_path,
                        f"{_describe(s)} gives no reason, so it does not apply; "
                        "write why the rule does not apply here as its value",
                    ),
                )
            else:
                valid.append((s, self._ids([s.selector]), to_pointer(s.scope)))
        # Labels first: the narrowest suppression that fits takes the credit.
        valid.sort(key=lambda item: item[0].kind != "label")
        for finding in findings:
            if not _open(finding) or finding.rule in ABOUT_SUPPRESSIONS:
                continue
            for s, ids, scope in valid:
                if finding.rule in ids and _within(finding.path, scope):
                    finding.suppressed = s.reason
                    finding.extra["suppressed_by"] = s.kind
                    s.used = True
                    break
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
            new += self._about(
                UNUSED_SUPPRESSION, target, path, Problem(s.key_path, message, at_key=at_key)
            )
        return new

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


def _open(finding: Finding) -> bool:
    return finding.suppressed is None and finding.rule not in ALWAYS_REPORTED


def _within(pointer: str, scope: str) -> bool:
    return not scope or pointer == scope or pointer.startswith(scope + "/")


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
    scopes = [(target, to_pointer(target.locate(()))) for target in targets]
    grouped: dict[int, list[Finding]] = {id(target): [] for target in targets}
    for finding in report.findings:
        best = max(
            (item for item in scopes if _within(finding.path, item[1])),
            key=lambda item: len(item[1]),
            default=None,
        )
        if best is not None:
            grouped[id(best[0])].append(finding)
    return [(target, grouped[id(target)]) for target in targets]
