"""Values that cannot be known before deploy, and how they are recognised.

A task definition in a repository is often a template: ``"image": "${IMAGE}"``
is filled in by envsubst, a render action or a CloudFormation ``!Ref``. Such a
value is replaced by an :class:`Unknown` when the file is loaded, so every rule
sees the same thing and none of them can mistake a placeholder for a real
value, or report a pass it did not evaluate.
"""

from __future__ import annotations

import functools
import re

from ecslint.lazy_re import lazy_re

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

# Each alternative is a placeholder syntax seen in real task definitions. The syntaxes
# whose body runs to a closing mark (``${...}``, ``{{...}}``, ``<+...>``, ``#{...}``) are
# in _DELIMITED, not here: a regex tries each opening mark and scans to the end of the
# text when there is no closing one, quadratic time (60,000 ``${`` took over 30 s).
# Every alternative here stops at a character it cannot take, so the search is linear.
_PLACEHOLDER = lazy_re(
    r"""
      <[A-Z][A-Z0-9_]*>         # <IMAGE1_NAME> (CodeDeploy), <ACCOUNT_ID>
    | <[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+>  # <account-id>, <container_port>
    | ^<[a-z][a-z0-9]*>$        # the whole value is <family>
    | \$\$\$[A-Za-z_]\w*\$\$\$  # $$$VAR$$$ (ECS agent tests)
    | %[A-Z][A-Z0-9_]*%         # %VAR%
    | \$[A-Z_][A-Z0-9_]*\b      # $VAR (envsubst, jq)
    | \{[A-Za-z_][\w-]*\}       # {your-account-id}
    | \{\s*(?i:insert|replace|enter|add|put|your|fill)\b[^{}]*\}  # {INSERT ticket/issue ID}
    | (?<![A-Za-z0-9])(?:YOUR|[Yy]our)[-_][A-Za-z0-9]+  # YOUR_REGION, your-app-image
    """,
    re.VERBOSE,
)

#: (opening mark, closing mark, whether the body may hold a line break): ``${VAR}``,
#: ``${VAR:-x}`` (envsubst, shell, Terraform); ``{{ must_env `X` }}``, ``{{mustache}}``
#: (ecspresso, Go templates); ``<+input>`` (Harness); ``#{Octopus.Variable}``.
_DELIMITED = (("${", "}", True), ("{{", "}}", False), ("<+", ">", True), ("#{", "}", True))


class _Delimited:
    """The leftmost ``open ... close`` at or after a position, each character scanned once."""

    __slots__ = ("close", "closer_at", "newlines", "open", "text")

    def __init__(self, text: str, open_mark: str, close_mark: str, newlines: bool) -> None:
        self.text, self.open, self.close, self.newlines = text, open_mark, close_mark, newlines
        self.closer_at = -2  # the first closing mark at or after the last place looked

    def next(self, position: int) -> tuple[int, int] | None:
        text = self.text
        while True:
            start = text.find(self.open, position)
            if start < 0:
                return None
            body = start + len(self.open)
            if self.closer_at < body:
                self.closer_at = text.find(self.close, body)
            if self.closer_at < 0:
                return None  # no closing mark after this one: none after any later one
            if not self.newlines:
                newline = text.find("\n", body, self.closer_at)
                if newline >= 0:  # ``.`` stops at a line break: look again after it
                    position = newline + 1
                    continue
            return start, self.closer_at + len(self.close)


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each placeholder in ``text``, leftmost first and not overlapping,
    as ``re.finditer`` of one alternation of every syntax would give; in linear time."""
    scanners = [_Delimited(text, *syntax) for syntax in _DELIMITED]
    upcoming: list[tuple[int, int] | None] = [scanner.next(0) for scanner in scanners]
    regex_match = _PLACEHOLDER.search(text)
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        best: tuple[int, int] | None = None
        for index, span in enumerate(upcoming):
            if span is not None and span[0] < position:
                span = upcoming[index] = scanners[index].next(position)
            if span is not None and (best is None or span[0] < best[0]):
                best = span
        if regex_match is not None and regex_match.start() < position:
            regex_match = _PLACEHOLDER.search(text, position)
        if regex_match is not None and (best is None or regex_match.start() < best[0]):
            best = regex_match.span()
        if best is None:
            return spans
        spans.append(best)
        position = best[1] if best[1] > best[0] else best[1] + 1


def strip_placeholders(text: str) -> str:
    """``text`` without its placeholders."""
    out: list[str] = []
    position = 0
    for start, end in placeholder_spans(text):
        out.append(text[position:start])
        position = end
    out.append(text[position:])
    return "".join(out)


def _first_placeholder(text: str) -> str | None:
    scanners = [_Delimited(text, *syntax) for syntax in _DELIMITED]
    candidates = [span for scanner in scanners if (span := scanner.next(0)) is not None]
    match = _PLACEHOLDER.search(text)
    if match is not None:
        candidates.append(match.span())
    if not candidates:
        return None
    start, end = min(candidates, key=lambda span: span[0])
    return text[start:end]


#: A word standing in an ARN's region or account field, or an ECR host's: ``region``,
#: ``aws_account_id``, ``ACCOUNT-ID``, ``REGION``, ``xxxxxxxxxx``. No Region or account id
#: is written so (Regions have a digit, accounts are 12 digits); a lower-case word that
#: does not name the field (``arn:aws:secretsmanager:eu-west-1:secret:db`` lacks its
#: account) is a mistake for the rules to explain, not a placeholder.
_WORD_FIELD = (
    # (?:[-_]?[A-Za-z])* and not (?:[-_]?[A-Za-z]+)*: the same words, but one way to
    # split them, so a field that fails to match (``regionaaaa...1``) fails in linear time
    r"(?:[A-Za-z]+[-_])*(?i:region|account|acct)(?:[-_]?[A-Za-z])*|[A-Z]+(?:[-_][A-Z]+)*"
    r"|x{4,}"  # xxxxxxxxxx: an account id of any length
)
#: ``<account>.dkr.ecr.<region>.amazonaws.com``: the two fields of a private ECR host.
_ECR_HOST = r"(?<![^./:@])([^./:@]+)\.dkr\.ecr(?:-fips)?\.([^./:@]+)\.amazonaws\."

#: Whole image names that stand for "your image here" in samples and scaffolds:
#: application-image, your-app-image, placeholder, image-uri, my-container-image.
_STANDIN_IMAGE = r"""(?ix)
    (?:(?:your|my|the|some|sample|example|application|app|container|docker|service)[-_])*
    (?:image|img|placeholder|replace[-_]?me|change[-_]?me|to[-_]be[-_]replaced)
    (?:[-_](?:uri|url|name|here|placeholder|tag|image))*
    (?::(?:latest|tag|version))?
    """
#: Words one of which every stand-in image name holds: a cheap test before the pattern.
_STANDIN_WORDS = ("image", "img", "placeholder", "replace", "change", "to-be", "to_be")


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    """Compiled on first use: most files never need these."""
    return re.compile(text)


#: The key of the value that names a container image, in every shape ecslint loads.
IMAGE_KEYS = frozenset({"image", "Image"})


#: The reason of a value read from a CloudFormation parameter marked ``NoEcho``: a
#: secret by its author's own account, whatever it is named (ECS911 reports it).
NOECHO = "CloudFormation NoEcho parameter (a secret)"


class Unknown:
    """A value that is decided at deploy time; ``text`` is how it was written.

    ``ref`` names what the value refers to when that is known without knowing the
    value itself: the logical id of a CloudFormation ``Ref``/``Fn::GetAtt`` target,
    so a rule can still look the referenced resource up in the same template.

    Two unknowns are equal (the same value, whatever it turns out to be) only when
    their ``key`` is: the whole expression. It is ``text`` unless ``text`` abbreviates
    it (``${Fn::If IsProd}`` stands for any ``Fn::If`` on that condition), so a rule
    that compares values never takes two different expressions for one.
    """

    __slots__ = ("key", "reason", "ref", "text")

    def __init__(
        self, text: str, reason: str = "placeholder", ref: str | None = None, key: str | None = None
    ) -> None:
        self.text = text
        self.reason = reason
        self.ref = ref
        self.key = text if key is None else key

    def __repr__(self) -> str:
        return f"Unknown({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.key == self.key

    def __hash__(self) -> int:
        return hash(("Unknown", self.key))

    def describe(self) -> str:
        return f"{self.text!r} is a {self.reason}"


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


def find_placeholder(text: str) -> str | None:
    """The first placeholder in ``text``, or None."""
    if text.startswith("arn:"):
        field = _arn_placeholder(text)
        if field is not None:
            return field
    elif ".dkr.ecr" in text:
        field = _ecr_placeholder(text)
        if field is not None:
            return field
    if not (
        "$" in text
        or "{" in text
        or "<" in text
        or "%" in text
        or "#{" in text
        or "our" in text
        or "OUR" in text
    ):
        return None
    return _first_placeholder(text)


def _arn_placeholder(text: str) -> str | None:
    """The region or account field of an ARN when it is a word (``region``,
    ``aws_account_id``), not a value; ``aws`` is the account of AWS managed policies."""
    parts = text.split(":", 5)
    if len(parts) < 6:
        return None
    region, account = parts[3], parts[4]
    word = _pattern(_WORD_FIELD)
    if region and word.fullmatch(region):
        return region
    if account and account != "aws" and word.fullmatch(account):
        return account
    return None


def _ecr_placeholder(text: str) -> str | None:
    """The account or Region of a private ECR host when it is a word (``ACCOUNT_ID``,
    ``REGION``, ``aws_account_id``)."""
    match = _pattern(_ECR_HOST).search(text)
    if match is None:
        return None
    for field in match.groups():
        if _pattern(_WORD_FIELD).fullmatch(field):
            return field
    return None


def standin_image(text: str) -> bool:
    """Whether ``text`` is a stand-in for an image name (``application-image``,
    ``your-app-image``, ``placeholder``), which no one means to pull."""
    if "/" in text or len(text) > 64:
        return False
    lower = text.lower()
    if not any(word in lower for word in _STANDIN_WORDS):
        return False
    return _pattern(_STANDIN_IMAGE).fullmatch(text) is not None


def mark_placeholders(value: Any) -> int:
    """Replace every string in ``value`` that holds a placeholder with an Unknown, in place;
    how many were replaced.

    Map keys are left alone (a placeholder key is still a key). Iterative, so
    deeply nested input cannot exhaust the stack.
    """
    replaced = 0
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if isinstance(item, str):
                    if find_placeholder(item):
                        node[key] = Unknown(item)
                        replaced += 1
                    elif key in IMAGE_KEYS and standin_image(item):
                        node[key] = Unknown(item, reason="stand-in image name")
                        replaced += 1
                elif isinstance(item, (dict, list)):
                    stack.append(item)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    if find_placeholder(item):
                        node[index] = Unknown(item)
                        replaced += 1
                elif isinstance(item, (dict, list)):
                    stack.append(item)
    return replaced
