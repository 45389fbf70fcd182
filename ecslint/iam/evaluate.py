"""Identity-based IAM policy evaluation, offline.

Explicit Deny wins over Allow; Action/NotAction, Resource/NotResource; ``*`` and
``?`` wildcards; actions match case-insensitively, resources case-sensitively.
A statement with a Condition cannot be decided without the request context, so it
makes a request *conditionally* allowed (or denied), never plainly allowed. A value
that is not a plain string (a CloudFormation intrinsic, a ``${aws:...}`` policy
variable) makes the statement *unresolved*. Permission boundaries and SCPs are out of
scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any


class Verdict(Enum):
    ALLOWED = "allowed"
    #: An Allow matches, but only under a Condition (or a conditional Deny may apply).
    CONDITIONAL = "conditionally allowed"
    #: An unconditional Deny matches.
    DENIED = "explicitly denied"
    #: No Allow matches (implicit deny).
    NOT_ALLOWED = "not allowed"
    #: A statement that could decide it cannot be read offline.
    UNKNOWN = "unknown"


class Request(Record):
    action: str
    resource: str
    #: The account in ``resource`` is unknown: match it as any account.
    any_account: bool = False


class Decision:
    __slots__ = ("because", "verdict")

    def __init__(self, verdict: Verdict, because: list[str] | None = None) -> None:
        self.verdict = verdict
        #: Labels of the statements that made the verdict (for messages).
        self.because: list[str] = [] if because is None else because

    def __repr__(self) -> str:
        return f"Decision({self.verdict!r}, {self.because!r})"


class Policy(Record):
    """A policy document with a label that names it in messages."""

    label: str
    document: Any


class _Unresolved(Exception):
    """A policy element that is not a plain string or list of strings."""


def wildcard_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's ``*`` (any run of characters) and ``?`` (one character) matching.

    The two-pointer algorithm: on a mismatch, go back only to the last ``*`` and let it
    take one more character. At most len(pattern) * len(value) steps, where a
    backtracking regex of ``*?*?*?...`` took exponential time on a long ARN.
    """
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
    p = v = 0
    star = -1  # the pattern index after the last * seen
    taken = 0  # where in value that * started taking characters
    while v < len(value):
        if p < len(pattern) and pattern[p] == "*":
            star, taken = p + 1, v
            p += 1
        elif p < len(pattern) and (pattern[p] == "?" or pattern[p] == value[v]):
            p += 1
            v += 1
        elif star >= 0:
            taken += 1
            p, v = star, taken
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        raise _Unresolved
    return items


def _account_candidates(pattern: str) -> list[str]:
    """Accounts to try for an unknown one: the pattern's own (a wildcard in it matches
    itself: ``12345678901?`` names accounts the unknown one may be), then any other."""
    fields = pattern.split(":")
    candidates = ["000000000000"]
    if len(fields) >= 6:
        candidates.insert(0, fields[4])
    return candidates


def _resource_matches(patterns: list[str], request: Request) -> bool:
    unresolved = False
    for pattern in patterns:
        if "${" in pattern:
            unresolved = True
        elif request.any_account:
            fields = request.resource.split(":")
            for account in _account_candidates(pattern):
                candidate = ":".join([*fields[:4], account, *fields[5:]])
                if wildcard_match(pattern, candidate):
                    return True
        elif wildcard_match(pattern, request.resource):
            return True
    if unresolved:
        raise _Unresolved
    return False


def _statement_applies(statement: dict[str, Any], request: Request) -> bool:
    """Whether the statement's action and resource elements cover the request."""
    if "Action" in statement:
        actions = _strings(statement["Action"])
        if not any(wildcard_match(a, request.action, ignore_case=True) for a in actions):
            return False
    elif "NotAction" in statement:
        actions = _strings(statement["NotAction"])
        if any(wildcard_match(a, request.action, ignore_case=True) for a in actions):
            return False
    else:
        return False
    if "Resource" in statement:
        return _resource_matches(_strings(statement["Resource"]), request)
    if "NotResource" in statement:
        return not _resource_matches(_strings(statement["NotResource"]), request)
    return False


def statements(document: Any) -> list[Any]:
    if isinstance(document, dict):
        body = document.get("Statement")
        if isinstance(body, list):
            return body
        if isinstance(body, dict):
            return [body]
    return []


def evaluate(policies: Sequence[Policy], request: Request) -> Decision:
    """The verdict of the policies, together, on one request."""
    allow: list[str] = []
    conditional_allow: list[str] = []
    deny: list[str] = []
    conditional_deny: list[str] = []
    unresolved_allow: list[str] = []
    unresolved_deny: list[str] = []
    for policy in policies:
        for index, statement in enumerate(statements(policy.document)):
            if not isinstance(statement, dict):
                continue
            sid = statement.get("Sid")
            label = f"{policy.label} statement {sid if isinstance(sid, str) else index}"
            effect = statement.get("Effect")
            if effect not in ("Allow", "Deny"):
                continue
            try:
                applies = _statement_applies(statement, request)
            except _Unresolved:
                (unresolved_deny if effect == "Deny" else unresolved_allow).append(label)
                continue
            if not applies:
                continue
            conditional = bool(statement.get("Condition"))
            if effect == "Deny":
                (conditional_deny if conditional else deny).append(label)
            else:
                (conditional_allow if conditional else allow).append(label)
    if deny:
        return Decision(Verdict.DENIED, deny)
    if allow and unresolved_deny:
        return Decision(Verdict.UNKNOWN, unresolved_deny)
    if allow and not conditional_deny:
        return Decision(Verdict.ALLOWED, allow)
    if not allow and unresolved_allow:
        return Decision(Verdict.UNKNOWN, unresolved_allow)
    if allow or conditional_allow:
        return Decision(Verdict.CONDITIONAL, conditional_deny or conditional_allow)
    return Decision(Verdict.NOT_ALLOWED)
