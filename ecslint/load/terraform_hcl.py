"""Terraform ``.tf`` files: the literal parts of every ``aws_ecs_task_definition`` block.

Parsed with python-hcl2's grammar (imported only for ``.tf`` input). Only literals
are evaluated: strings, numbers, booleans, lists, objects, JSON heredocs and
``jsonencode(<literal>)``. Any other expression (a variable, a local, a function
such as ``file()`` or ``templatefile()``, a conditional) becomes an
:class:`~ecslint.load.unknown.Unknown` holding its source text: reported as not
evaluated, never guessed.

The result is a :class:`Document` whose data is ``{address: {argument: value}}``
in the shape of ``terraform show -json`` values (nested blocks are lists of
objects), with a position for every value, so :mod:`ecslint.load.terraform`
treats a ``.tf`` file and a plan alike.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ecslint.load.document import Document
from ecslint.load.positions import PositionIndex, index_json, unpack
from ecslint.load.source import LoadError, Source
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

RESOURCE_TYPE = "aws_ecs_task_definition"
REASON = "Terraform expression"
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def load_hcl(source: Source) -> Document:
    """Parse a ``.tf`` file; raises LoadError (with a position) when it is not HCL."""
    try:
        from lark.exceptions import LarkError, UnexpectedInput
    except ImportError:  # pragma: no cover - python-hcl2 (and lark) is a dependency
        raise LoadError("reading .tf files needs python-hcl2 (pip install python-hcl2)") from None
    text = source.text
    try:
        tree = _parser().parse(text + "\n")  # as hcl2.api.parses_to_tree does
    except UnexpectedInput as exc:
        raise LoadError(
            "invalid HCL: unexpected input", exc.line or 1, exc.column or 1, rule="ECS002"
        ) from None
    except (LarkError, RecursionError) as exc:
        raise LoadError(f"invalid HCL: {type(exc).__name__}", rule="ECS002") from None
    index = PositionIndex.for_text(text)
    reader = _Reader(text, index)
    data: dict[str, Any] = {}
    try:
        for block in _children(tree.children[0], "block"):
            labels = reader.labels(block)
            if len(labels) == 3 and labels[0] == "resource" and labels[1] == RESOURCE_TYPE:
                address = f"{RESOURCE_TYPE}.{labels[2]}"
                index.values[(address,)] = _offsets(block)
                data[address] = reader.body(_body(block), (address,))
    except RecursionError:
        raise LoadError("nested too deeply to read") from None
    return Document(source.path, text, "hcl", data, index)


def _parser() -> Any:
    """python-hcl2's grammar, compiled once and cached.

    python-hcl2 caches the compiled grammar beside its own code; where that is not
    writable (a system-wide install), lark's own cache in the temporary directory is
    used, so the grammar (about 2 s to compile) is not rebuilt on every run.
    """
    import hcl2.parser

    cache = hcl2.parser.PARSER_FILE
    if cache.exists() or os.access(cache.parent, os.W_OK):
        return hcl2.parser.parser()
    from hcl2.postlexer import PostLexer
    from lark import Lark

    return Lark.open(
        "hcl2.lark",
        parser="lalr",
        cache=True,
        rel_to=hcl2.parser.__file__,
        propagate_positions=True,
        postlex=PostLexer(),
    )


def _children(node: Any, name: str) -> list[Any]:
    return [c for c in getattr(node, "children", ()) if getattr(c, "data", None) == name]


def _trees(node: Any) -> list[Any]:
    """Child subtrees, without punctuation tokens and newlines."""
    return [
        c
        for c in node.children
        if hasattr(c, "data") and c.data not in ("new_line_or_comment", "binary_operator")
    ]


def _body(block: Any) -> Any:
    return _children(block, "body")[0]


def _offsets(node: Any) -> tuple[int, int]:
    if hasattr(node, "meta"):
        return node.meta.start_pos, node.meta.end_pos
    return node.start_pos, node.end_pos


class _Reader:
    def __init__(self, text: str, index: PositionIndex) -> None:
        self.text = text
        self.index = index

    def source(self, node: Any) -> str:
        start, end = _offsets(node)
        return self.text[start:end]

    def labels(self, block: Any) -> list[str]:
        labels = []
        for child in block.children:
            kind = getattr(child, "data", None)
            if kind == "identifier":
                labels.append(str(child.children[0]))
            elif kind == "string":
                value = self.string(child)
                labels.append(value if isinstance(value, str) else value.text)
            elif kind == "body":
                break
        return labels

    def body(self, body: Any, path: PathParts) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for child in _trees(body):
            if child.data == "attribute":
                name_node = child.children[0]
                name = self.source(name_node).strip()
                where = (*path, name)
                self.index.keys[where] = _offsets(name_node)
                expression = _trees(child)[-1]
                value = self.value(expression, where)
                if name == "container_definitions" and isinstance(value, str):
                    value = self.decode_json(value, expression, where)
                result[name] = value
            elif child.data == "block":
                labels = self.labels(child)
                if labels and labels[0] == "dynamic" and len(labels) > 1:
                    name = labels[1]
                    if name not in result:
                        where = (*path, name)
                        self.index.values[where] = _offsets(child)
                        result[name] = Unknown(f'dynamic "{name}"', f"{REASON} (dynamic block)")
                    continue
                name = labels[0]
                items = result.setdefault(name, [])
                if isinstance(items, list):
                    where = (*path, name, len(items))
                    self.index.values[where] = _offsets(child)
                    self.index.values.setdefault((*path, name), _offsets(child))
                    items.append(self.body(_body(child), where))
        return result

    # --- expressions ---------------------------------------------------------------

    def value(self, node: Any, path: PathParts) -> Any:
        self.index.values[path] = _offsets(node)
        kind = node.data
        if kind == "expr_term":
            inner = _trees(node)
            if len(inner) == 1:
                return self.value(inner[0], path)
            return self.unknown(node)
        if kind == "string":
            return self.string(node)
        if kind == "int_lit":
            return int(str(node.children[0]))
        if kind == "float_lit":
            return float(str(node.children[0]))
        if kind == "literal_value":
            return {"true": True, "false": False, "null": None}[str(node.children[0])]
        if kind == "unary_op" and str(node.children[0]) == "-":
            number = self.value(node.children[1], path)
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return -number
        if kind == "tuple":
            return [self.value(item, (*path, i)) for i, item in enumerate(_trees(node))]
        if kind == "object":
            return self.object(node, path)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(node, path)
        if kind == "function_call":
            name = self.source(node.children[0]).strip()
            arguments = _children(node, "arguments")
            args = _trees(arguments[0]) if arguments else []
            if name == "jsonencode" and len(args) == 1:
                # The structure itself: rules read it as the decoded JSON would be.
                return self.value(args[0], path)
        return self.unknown(node)

    def unknown(self, node: Any) -> Unknown:
        """An expression as Terraform's own interpolation: ``${var.image}``.

        A string template keeps its literal parts (``"${var.repo}:latest"`` still has
        the tag ``latest``), so a rule that looks past placeholders can.
        """
        text = " ".join(self.source(node).split())
        if getattr(node, "data", None) == "string" and text.startswith('"'):
            return Unknown(text[1:-1], REASON)  # whole: a cut could hide or fake a tag
        # A path inside the expression must not read as an image's path.
        inner = text.split("(", 1)[0] + "(...)" if "/" in text else text
        text = "${" + inner + "}"
        return Unknown(text if len(text) <= 80 else text[:76] + "...}", REASON)

    def object(self, node: Any, path: PathParts) -> Any:
        result: dict[str, Any] = {}
        for element in _children(node, "object_elem"):
            key_node, value_node = _trees(element)[0], _trees(element)[-1]
            key = self.key(key_node)
            if isinstance(key, Unknown):
                return self.unknown(node)
            where = (*path, key)
            self.index.keys[where] = _offsets(key_node)
            result[key] = self.value(value_node, where)
        return result

    def key(self, node: Any) -> str | Unknown:
        inner = node
        while getattr(inner, "data", None) in ("object_elem_key", "expr_term"):
            trees = _trees(inner)
            if len(trees) != 1:
                break
            inner = trees[0]
        kind = getattr(inner, "data", None)
        if kind == "identifier":
            return str(inner.children[0])
        if kind == "keyword":
            return self.source(inner).strip()
        if kind == "string":
            return self.string(inner)
        return self.unknown(node)

    def string(self, node: Any) -> str | Unknown:
        pieces = []
        for part in _children(node, "string_part"):
            child = part.children[0]
            if hasattr(child, "data"):  # an interpolation or a template directive
                return self.unknown(node)
            token = str(child)
            if token.startswith(("$${", "%%{")):
                token = token[1:]
            pieces.append(_unescape(token))
        return "".join(pieces)

    def heredoc(self, node: Any, path: PathParts) -> str | Unknown:
        token = node.children[0]
        raw = str(token)
        first = raw.index("\n") + 1
        body = raw[first:]
        body = body[: body.rstrip().rfind("\n") + 1]  # drop the closing marker's line
        start = token.start_pos + first
        self.index.values[path] = (start, start + len(body))
        templated = "${" in body.replace("$${", "") or "%{" in body.replace("%%{", "")
        if templated and not body.lstrip().startswith(("[", "{")):
            return self.unknown(node)
        # ``<<-`` only strips indentation, which JSON ignores: the body reads the same.
        return body

    def decode_json(self, value: str, node: Any, path: PathParts) -> Any:
        """A JSON string argument (heredoc or quoted literal) as data, with its positions."""
        try:
            decoded = json.loads(value)
        except ValueError:
            return Unknown(
                " ".join(self.source(node).split())[:80],
                "Terraform expression (not valid JSON until Terraform renders it)",
            )
        start = unpack(self.index.values[path])[0]
        if self.text.startswith('"', start):
            return decoded  # a quoted one-line string: positions stay on the string
        inner = index_json(value)
        for table, into in ((inner.values, self.index.values), (inner.keys, self.index.keys)):
            for parts, packed in table.items():
                a, b = unpack(packed)
                slot: PathParts = (*path, *parts)
                into[slot] = (start + a, start + b)
        return decoded


def _unescape(token: str) -> str:
    if "\\" not in token:
        return token
    out, i = [], 0
    while i < len(token):
        char = token[i]
        if char == "\\" and i + 1 < len(token):
            nxt = token[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt == "u" and i + 6 <= len(token):
                try:
                    out.append(chr(int(token[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
        out.append(char)
        i += 1
    return "".join(out)
