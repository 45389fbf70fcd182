"""Plaintext secret values never reach a report: the one place every format's masking is from.

For each task definition the engine asks :func:`secret_values` which environment values are
plaintext secrets, by the verdict ECS911 (plaintext-secret-in-environment) gives
(``ecslint.checks._secrets``), and whether or not that rule is enabled: a finding of another
rule on the same line must not print the value either. Then

- :func:`mask_message` replaces those values in every finding's message, which all formats
  print (text, concise, json, sarif, github, junit, gitlab);
- their spans go on the file's report (``FileReport.masks``), and :func:`mask_line` blanks
  them out of the source lines the text format quotes under a finding.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecslint.model import Span

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from ecslint.checks.view import TaskView
    from ecslint.model import PathParts

#: What a secret value is shown as.
MASK = "****"
#: A bare (unquoted) value shorter than this is not searched for in messages: replacing every
#: "on" in a sentence would garble it, and a message quotes values (``'...'`` or ``"..."``).
_BARE_MINIMUM = 8


def secret_values(task: TaskView) -> list[tuple[PathParts, str]]:
    """(path, value) of each environment value that is a plaintext secret."""
    if "environment" not in task.container_keys:
        return []
    from ecslint.checks._secrets import verdict
    from ecslint.checks.security import _environment
    from ecslint.facts.security import SECRET_VALUE_SHAPES

    found: list[tuple[PathParts, str]] = []
    key_id = SECRET_VALUE_SHAPES[0][1]
    for index, variables in _environment(task):
        key_id_nearby = any(isinstance(v, str) and key_id.search(v) for _, _, v in variables)
        for position, name, value in variables:
            if (
                isinstance(value, str)
                and value.strip()
                and verdict(name, value, key_id_nearby) is not None
            ):
                found.append((task.container_path(index, "environment", position, "value"), value))
    return found


def mask_message(text: str, values: Sequence[str]) -> str:
    """``text`` with each of ``values`` (quoted as Python or JSON would, or bare) masked."""
    import json

    for value in values:
        for form in (repr(value), json.dumps(value), json.dumps(value, ensure_ascii=False)):
            text = text.replace(form, f"{form[0]}{MASK}{form[-1]}")
        if len(value) >= _BARE_MINIMUM:
            text = text.replace(value, MASK)
    return text


def mask_line(text: str, number: int, masks: Sequence[Span]) -> str:
    """Line ``number`` (1-based, tabs expanded to one column) with the masked spans on it as
    ``*``, one for one so a caret under it still lines up; quotes around a value are kept."""
    chars: list[str] | None = None
    for span in masks:
        if not span.line <= number <= max(span.end_line, span.line):
            continue
        start = span.column if span.line == number else 1
        end = span.end_column if span.end_line == number else len(text) + 1
        start, end = max(1, start), min(len(text) + 1, end)
        if start < end and text[start - 1] in "\"'" and span.line == number:
            start += 1
        if start < end and text[end - 2] in "\"'" and span.end_line == number:
            end -= 1
        if chars is None:
            chars = list(text)
        for column in range(start, end):
            if not chars[column - 1].isspace():
                chars[column - 1] = "*"
    return text if chars is None else "".join(chars)
