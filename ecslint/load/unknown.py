"""Values that cannot be known before deploy, and how they are recognised.

A task definition in a repository is often a template: ``"image": "${IMAGE}"``
is filled in by envsubst, a render action or a CloudFormation ``!Ref``. Such a
value is replaced by an :class:`Unknown` when the file is loaded, so every rule
sees the same thing and none of them can mistake a placeholder for a real
value, or report a pass it did not evaluate.
"""

from __future__ import annotations

import re
from typing import Any

# Each alternative is a placeholder syntax seen in real task definitions.
_PLACEHOLDER = re.compile(
    r"""
      \$\{[^}]*\}               # ${VAR}, ${VAR:-x} (envsubst, shell, Terraform)
    | \{\{.*?\}\}               # {{ must_env `X` }}, {{mustache}} (ecspresso, Go templates)
    | <\+[^>]*>                 # <+input> (Harness)
    | <[A-Z][A-Z0-9_]*>         # <IMAGE1_NAME> (CodeDeploy), <ACCOUNT_ID>
    | <[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+>  # <account-id>, <container_port>
    | ^<[a-z][a-z0-9]*>$        # the whole value is <family>
    | \$\$\$[A-Za-z_]\w*\$\$\$  # $$$VAR$$$ (ECS agent tests)
    | %[A-Z][A-Z0-9_]*%         # %VAR%
    | \$[A-Z_][A-Z0-9_]*\b      # $VAR (envsubst, jq)
    | \#\{[^}]*\}               # #{Octopus.Variable}
    | \{[A-Za-z_][\w-]*\}       # {your-account-id}
    """,
    re.VERBOSE,
)


class Unknown:
    """A value that is decided at deploy time; ``text`` is how it was written.

    ``ref`` names what the value refers to when that is known without knowing the
    value itself: the logical id of a CloudFormation ``Ref``/``Fn::GetAtt`` target,
    so a rule can still look the referenced resource up in the same template.
    """

    __slots__ = ("reason", "ref", "text")

    def __init__(self, text: str, reason: str = "placeholder", ref: str | None = None) -> None:
        self.text = text
        self.reason = reason
        self.ref = ref

    def __repr__(self) -> str:
        return f"Unknown({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("Unknown", self.text))

    def describe(self) -> str:
        return f"{self.text!r} is a {self.reason}"


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


def find_placeholder(text: str) -> str | None:
    """The first placeholder in ``text``, or None."""
    if not ("$" in text or "{" in text or "<" in text or "%" in text or "#{" in text):
        return None
    match = _PLACEHOLDER.search(text)
    return match.group(0) if match else None


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
