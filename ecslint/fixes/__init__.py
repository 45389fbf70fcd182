"""Fixes: a check's :class:`~ecslint.model.Edit` located in the file and applied as text.

A check proposes an edit in task paths (``containerDefinitions/0/hostPort`` becomes
80); this module finds the bytes it concerns in the file as written (through
``Target.locate``, so CloudFormation's PascalCase and describe output's wrapper are
handled once) and turns it into a :class:`~ecslint.model.TextEdit` that replaces only
those bytes. Everything else in the file (indentation, key order, line endings, YAML
comments, quoting, CloudFormation tags) stays as it was.

An edit is refused (the finding then has no fix) whenever the file does not hold the
very value the check judged at the place it names: a value resolved from a
CloudFormation parameter or a Terraform expression, a placeholder, a YAML alias, anchor
or tag, a block scalar, a Terraform file. A fix is only ever made to what was evaluated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ecslint.lazy_re import lazy_re
from ecslint.load.document import Document
from ecslint.load.target import Target
from ecslint.load.unknown import Unknown
from ecslint.model import Edit, PathParts


class TextEdit(NamedTuple):
    """Replace ``text[start:end]`` (character offsets) with ``new``.

    Defined here, not in ecslint.model: only a run that asks for fixes needs the class.
    """

    start: int
    end: int
    new: str


_MISSING = object()
#: How the CloudFormation loader marks the path of a key it rejects (load/cloudformation.py).
REJECTED = "\x00"
#: A YAML string that needs no quotes (and is not read as a number, bool or null).
_PLAIN = lazy_re(r"[A-Za-z_/][A-Za-z0-9_./-]*")
#: What a YAML 1.1 reader does not keep as written inside a quoted scalar: line breaks
#: (NEL, LS and PS are line breaks too; NEL, CR and LF fold into a space), the characters
#: it refuses in a file (control characters but the tab, the byte-order mark,
#: non-characters, surrogates). JSON escapes the C0 controls already.
_YAML_ESCAPE = lazy_re("[\x00-\x08\n-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_YAML_KEYWORDS = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "nan", "inf"}
)


def locate(target: Target, edits: Sequence[Edit]) -> tuple[TextEdit, ...] | None:
    """The text edits that make ``edits`` in ``target``'s file, or None if one cannot be made."""
    document = target.document
    if document.syntax not in ("json", "yaml") or not edits:
        return None
    out: list[TextEdit] = []
    for edit in edits:
        if edit.op == "replace":
            located = _replace(target, edit.path, edit.value)
        elif edit.op == "rename":
            located = _rename(target, edit.path, edit.value)
        elif edit.op == "insert":
            located = _insert(target, edit.path, edit.key, edit.value)
        elif edit.op == "remove":
            located = _remove(target, edit.path)
        else:
            located = None
        if located is None:
            return None
        out.append(located)
    return tuple(out)


def apply(text: str, edits: Iterable[TextEdit]) -> str:
    """``text`` with ``edits``, which must not overlap (see :func:`choose`)."""
    parts: list[str] = []
    at = 0
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end, e.new)):
        parts += [text[at : edit.start], edit.new]
        at = edit.end
    parts.append(text[at:])
    return "".join(parts)


def choose(groups: Iterable[tuple[TextEdit, ...]]) -> list[tuple[TextEdit, ...]]:
    """The fixes (each a group of edits) that overlap no fix chosen before them.

    What is left out is made by the next round, on the text this round produced,
    if it is still due then.
    """
    chosen: list[tuple[TextEdit, ...]] = []
    taken: list[TextEdit] = []
    for group in groups:
        if group in chosen:
            continue
        if any(_overlaps(edit, other) for edit in group for other in taken):
            continue
        chosen.append(group)
        taken.extend(group)
    return chosen


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.start == a.end == b.start == b.end:
        return a != b  # two insertions at one place: which goes first would be a guess
    return a.start < b.end and b.start < a.end


# --- what the file holds ---------------------------------------------------------------------


def _task_value(target: Target, parts: PathParts) -> Any:
    return _walk(target.task, parts)


def _document_value(document: Document, parts: PathParts) -> Any:
    return _walk(document.data, parts)


def _walk(node: Any, parts: PathParts) -> Any:
    for part in parts:
        in_object = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_object or in_list):
            return _MISSING
        node = node[part]
    return node


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _written(document: Document, start: int, end: int) -> str | None:
    """The text of a scalar, if an edit may replace it: one line, no YAML anchor/alias/tag."""
    text = document.text[start:end]
    if "\n" in text or "\r" in text:
        return None
    if document.syntax == "yaml" and text[:1] in ("&", "*", "!", "|", ">"):
        return None
    return text


# --- the three edits -------------------------------------------------------------------------


def _replace(target: Target, parts: PathParts, value: Any) -> TextEdit | None:
    current = _task_value(target, parts)
    if current is _MISSING or isinstance(current, Unknown) or not _is_scalar(current):
        return None
    if not _is_scalar(value) or target.origin(parts) is not None:
        return None
    document = target.document
    where = target.locate(parts)
    if not _same(_document_value(document, where), current):
        return None  # the file holds something else there (a template's parameter, ...)
    offsets = document.offsets(where)
    if offsets is None:
        return None
    written = _written(document, *offsets)
    if written is None:
        return None
    new = _json(value) if document.syntax == "json" else _yaml_scalar(value, written[:1])
    return TextEdit(offsets[0], offsets[1], new)


def _rename(target: Target, parts: PathParts, new_key: Any) -> TextEdit | None:
    if not parts or not isinstance(new_key, str) or not isinstance(parts[-1], str):
        return None
    document = target.document
    where = target.locate(parts)
    if parts[-1].startswith(REJECTED):
        # A key the loader rejected (CloudFormation's "unsupported property"): not in the
        # task, so renamed as the file writes it, to the spelling the template's engine reads.
        new_where: PathParts = (*where[:-1], new_key)
    else:
        parent = _task_value(target, parts[:-1])
        if not isinstance(parent, dict) or parts[-1] not in parent or new_key in parent:
            return None
        new_where = target.locate((*parts[:-1], new_key))
    if where[:-1] != new_where[:-1] or not isinstance(new_where[-1], str):
        return None
    written_parent = _document_value(document, where[:-1])
    if not isinstance(written_parent, dict) or new_where[-1] in written_parent:
        return None
    if where[-1] not in written_parent:
        return None
    offsets = document.offsets(where, key=True)
    if offsets is None:
        return None
    written = _written(document, *offsets)
    if written is None:
        return None
    if document.syntax == "json":
        new = _json(new_where[-1])
    else:
        new = _yaml_scalar(new_where[-1], written[:1])
    return TextEdit(offsets[0], offsets[1], new)


def _insert(target: Target, parts: PathParts, key: str, value: Any) -> TextEdit | None:
    current = _task_value(target, parts)
    if not isinstance(current, dict) or key in current or isinstance(value, Unknown):
        return None
    document = target.document
    where = target.locate(parts)
    new_where = target.locate((*parts, key))
    if new_where[:-1] != where or not isinstance(new_where[-1], str):
        return None
    written = _document_value(document, where)
    if not isinstance(written, dict) or new_where[-1] in written:
        return None
    offsets = document.offsets(where)
    if offsets is None:
        return None
    if isinstance(value, dict):
        value = {target.locate((*parts, key, k))[-1]: v for k, v in value.items()}
    if document.syntax == "json":
        return _insert_json(document, where, written, offsets, new_where[-1], value)
    return _insert_yaml(document, where, written, offsets, new_where[-1], value)


def _remove(target: Target, parts: PathParts) -> TextEdit | None:
    """Remove the member at ``parts`` (a null value only: the one removal a fix makes)."""
    if not parts or not isinstance(parts[-1], str):
        return None
    if _task_value(target, parts) is not None or target.origin(parts) is not None:
        return None
    document = target.document
    where = target.locate(parts)
    parent = _document_value(document, where[:-1])
    if not isinstance(parent, dict) or where[-1] not in parent or parent[where[-1]] is not None:
        return None
    members = []
    for name in parent:
        key = document.offsets((*where[:-1], name), key=True)
        value = document.offsets((*where[:-1], name))
        if key is None or value is None:
            return None
        members.append((key, value, name == where[-1]))
    members.sort()
    if len({m[0][0] for m in members}) != len(members):
        return None  # a key written twice
    index = next(i for i, m in enumerate(members) if m[2])
    (key_start, _), (_, value_end), _ = members[index]
    text = document.text
    if _written(document, key_start, value_end) is None:
        return None  # the member spans lines (a comment or a block between key and value)
    container = document.offsets(where[:-1])
    if container is None:
        return None
    flow = text[container[0] : container[0] + 1] == "{"
    if document.syntax == "yaml" and not flow:
        line_start = _line_start(text, key_start)
        if not text[line_start:key_start].strip():
            line_end = text.find("\n", value_end)
            end = len(text) if line_end < 0 else line_end + 1
            if len(members) == 1:
                return None  # the mapping would be empty: its parent's value would change
            return TextEdit(line_start, end, "")
        if index + 1 < len(members):  # "- key: null" then the item's next key
            return TextEdit(key_start, members[index + 1][0][0], "")
        return None
    if len(members) == 1:
        return TextEdit(container[0] + 1, container[1] - 1, "")
    if index + 1 < len(members):
        return TextEdit(key_start, members[index + 1][0][0], "")
    return TextEdit(members[index - 1][1][1], value_end, "")


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _newline(text: str, at: int) -> str:
    """The line ending of the line at ``at`` (of the file, on its last line)."""
    end = text.find("\n", at)
    if end < 0:
        return "\r\n" if "\r\n" in text else "\n"
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _last_member(
    document: Document, where: PathParts, written: dict[Any, Any]
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Offsets of the key and the value of the object's last member (as the text orders it)."""
    best: tuple[tuple[int, int], tuple[int, int]] | None = None
    for name in written:
        key = document.offsets((*where, name), key=True)
        value = document.offsets((*where, name))
        if key is None or value is None:
            return None
        if best is None or key[0] > best[0][0]:
            best = (key, value)
    return best


def _insert_json(
    document: Document,
    where: PathParts,
    written: dict[Any, Any],
    offsets: tuple[int, int],
    key: str,
    value: Any,
) -> TextEdit | None:
    text = document.text
    start, end = offsets
    if text[start : start + 1] != "{" or text[end - 1 : end] != "}":
        return None
    if not written:
        return TextEdit(start + 1, end - 1, f"{_json(key)}: {_json(value)}")
    last = _last_member(document, where, written)
    if last is None:
        return None
    (key_start, key_end), (value_start, value_end) = last
    colon = text[key_end:value_start]  # ": " or ":" as the file writes it
    if "\n" in colon or colon.strip() != ":":
        colon = ": "
    member = f"{_json(key)}{colon}{_json(value)}"
    indent = text[_line_start(text, key_start) : key_start]
    if "\n" in text[start:key_start] and not indent.strip():
        return TextEdit(value_end, value_end, f",{_newline(text, key_start)}{indent}{member}")
    return TextEdit(value_end, value_end, f", {member}")


def _insert_yaml(
    document: Document,
    where: PathParts,
    written: dict[Any, Any],
    offsets: tuple[int, int],
    key: str,
    value: Any,
) -> TextEdit | None:
    text = document.text
    start, end = offsets
    member = f"{_yaml_scalar(key, '')}: {_yaml_flow(value)}"
    if text[start : start + 1] == "{":  # a flow mapping: {a: 1, b: 2}
        close = end - 1
        if text[close : close + 1] != "}":
            return None
        inner = text[start + 1 : close]
        if "#" in inner:
            return None
        if not written:
            return TextEdit(start + 1, close, member)
        at = start + 1 + len(inner.rstrip())
        return TextEdit(at, at, f", {member}")
    if text[start : start + 1] in ("&", "*", "!") or not written:
        return None
    last = _last_member(document, where, written)
    if last is None:
        return None
    (key_start, _), (value_start, value_end) = last
    prefix = text[_line_start(text, key_start) : key_start]
    indent = prefix if not prefix.strip() else None
    if indent is None and re.fullmatch(r"[ \t]*(?:-[ \t]+)+", prefix):
        indent = " " * len(prefix)  # the first key of a list item: "- name: web"
    if indent is None or "\t" in indent:
        return None
    value_text = text[value_start:value_end]
    if "\n" in value_text or value_text[:1] in ("|", ">"):
        return None  # a nested block or block scalar: where it ends is for the next line to say
    line_end = text.find("\n", value_end)
    if line_end < 0:
        return TextEdit(len(text), len(text), f"{_newline(text, key_start)}{indent}{member}")
    if line_end > 0 and text[line_end - 1] == "\r":
        line_end -= 1
    return TextEdit(line_end, line_end, f"{_newline(text, key_start)}{indent}{member}")


# --- rendering --------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _yaml_scalar(value: Any, quote: str) -> str:
    """A scalar as YAML, in the quoting style of what it replaces where that can hold it."""
    if not isinstance(value, str):
        return _json(value)  # true, false, null, numbers: the same in JSON and YAML
    if quote == "'" and not _YAML_ESCAPE.search(value):
        return "'" + value.replace("'", "''") + "'"
    if quote != '"' and _PLAIN.fullmatch(value) and value.lower() not in _YAML_KEYWORDS:
        return value
    # A JSON string is a YAML double-quoted scalar once what YAML reads otherwise is escaped.
    return _YAML_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", _json(value))


def _yaml_flow(value: Any) -> str:
    if isinstance(value, dict):
        inner = ", ".join(f"{_yaml_scalar(k, '')}: {_yaml_flow(v)}" for k, v in value.items())
        return "{" + inner + "}"
    return _yaml_scalar(value, "")


# --- writing ----------------------------------------------------------------------------------


def write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through the one atomic writer (:mod:`ecslint.safeio`).

    A temporary file in the same directory renamed into place, never through a symbolic
    link; the file keeps its mode and its UTF-8 byte-order mark. UTF-16 and UTF-32 files
    (read by their byte-order mark) are not written: that writer writes UTF-8.
    """
    import codecs

    from ecslint.safeio import atomic_writer, check_writable_target

    check_writable_target(path)  # before opening it: a FIFO would hang the read
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except FileNotFoundError:
        head = b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        raise OSError(f"{path}: a UTF-16 or UTF-32 file; ecslint writes fixes to UTF-8 only")
    with atomic_writer(path) as stream:
        stream.write(("\ufeff" if head.startswith(codecs.BOM_UTF8) else "") + text)
