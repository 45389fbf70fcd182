"""Bytes to a document: JSON, YAML or HCL, chosen by suffix or by the first character.

Apart from :mod:`ecslint.load.document` (the parsed document and its positions) so
that the readers of each syntax, which build documents, are not imported by it.
"""

from __future__ import annotations

import json

from ecslint.load.document import Document
from ecslint.load.source import LoadError, Source
from ecslint.model import PathParts

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: Deeper than any task definition; stops hostile input before any rule recurses.
MAX_DEPTH = 64
#: More values (objects, arrays, scalars) than any task definition has (AWS caps one at
#: 64 KiB); bounds the memory of the position index, which holds every path.
MAX_VALUES = 350_000

JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml")
HCL_SUFFIXES = (".tf",)


def parse(source: Source, syntax: str | None = None) -> Document:
    """Parse ``source`` as JSON or YAML (chosen by suffix, else by its first character)."""
    text = source.text
    if not text.strip():
        raise LoadError("the file is empty", rule="ECS002")
    if syntax is None:
        syntax = sniff_syntax(source.path, text)
    if syntax == "hcl":
        from ecslint.load.terraform_hcl import load_hcl

        document = load_hcl(source)
    elif syntax == "yaml":
        from ecslint.load.yaml_doc import load_yaml

        tag_handler = None
        if "!" in text:  # CloudFormation short forms (!Ref, !Sub, ...) are the only tags read
            from ecslint.load.cloudformation import cfn_tag

            tag_handler = cfn_tag
        data, index, duplicates = load_yaml(text, tag_handler)
        document = Document(source.path, text, "yaml", data, index)
        document._yaml_duplicates = duplicates
    else:
        data, has_duplicates = _load_json(text)
        document = Document(source.path, text, "json", data, None, has_duplicates)
    deep = _too_deep(document.data)
    if deep is not None:
        if not deep:  # no position: indexing this many values is what we refuse
            raise LoadError(
                f"holds more than {MAX_VALUES} values; a task definition has at most a few "
                "thousand (AWS caps it at 64 KiB)"
            )
        span = document.span(deep)
        raise LoadError(f"nested deeper than {MAX_DEPTH} levels", span.line, span.column)
    return document


def sniff_syntax(path: str, text: str) -> str:
    lower = path.lower()
    if lower.endswith(HCL_SUFFIXES):
        return "hcl"
    if lower.endswith(JSON_SUFFIXES):
        return "json"
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def _load_json(text: str) -> tuple[Any, bool]:
    duplicates = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        result = dict(pairs)
        if len(result) != len(pairs):
            duplicates = True
        return result

    def reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        value = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno, rule="ECS002") from None
    except ValueError as exc:
        raise LoadError(f"invalid JSON: {exc}", rule="ECS002") from None
    except RecursionError:
        raise LoadError(f"nested deeper than {MAX_DEPTH} levels") from None
    return value, duplicates


def _too_deep(data: Any) -> PathParts | None:
    """The path of a value nested too deep, ``()`` if there are too many values, else None.

    Level by level, without paths: this runs on every file, and building a path for
    every value cost as much as parsing the file.
    """
    level = [data] if isinstance(data, (dict, list)) else []
    depth = count = 0
    while level:
        if depth > MAX_DEPTH:
            return _deep_path(data)
        deeper = []
        for node in level:
            items = node.values() if isinstance(node, dict) else node
            count += len(items)
            if count > MAX_VALUES:
                return ()
            for item in items:
                if isinstance(item, (dict, list)):
                    deeper.append(item)
        level = deeper
        depth += 1
    return None


def _deep_path(data: Any) -> PathParts:
    """The path of the first value nested deeper than MAX_DEPTH (there is one)."""
    stack: list[tuple[Any, PathParts]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path
        if isinstance(node, dict):
            stack.extend(
                (item, (*path, key)) for key, item in node.items() if isinstance(item, (dict, list))
            )
        elif isinstance(node, list):
            stack.extend(
                (item, (*path, i)) for i, item in enumerate(node) if isinstance(item, (dict, list))
            )
    return ()
