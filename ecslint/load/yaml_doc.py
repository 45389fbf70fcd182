"""YAML to Python values plus a position for every path, read with the safe loader only."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from ecslint.load.positions import PositionIndex
from ecslint.load.source import LoadError
from ecslint.model import PathParts

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: Most values an alias-expanded YAML document may have; a task definition has hundreds.
MAX_NODES = 200_000
#: Deepest flow-style nesting accepted before composing (libyaml recurses on it).
MAX_FLOW_DEPTH = 200
#: Text longer than this may hold more than MAX_NODES nodes (two characters a node), so
#: its nodes are counted on the event stream first: composing them all would take far
#: more memory than the text (about 400 bytes a node).
COUNT_NODES_ABOVE = 256 * 1024

#: The tag of a ``<<`` key, and how deep merges of merges may go.
_MERGE = "tag:yaml.org,2002:merge"
MAX_MERGE_DEPTH = 50

#: Turns a node with an application tag (CloudFormation's ``!Ref``) into a value.
TagHandler = Callable[[str, "Any"], "Any"]

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

#: Kept as the text written: a task definition is JSON, which has no dates or bytes, and
#: rules (and json.dumps) must only ever see JSON types.
_TEXT_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"}


def _check_flow_depth(text: str) -> None:
    depth = 0
    for offset, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                line = text.count("\n", 0, offset) + 1
                column = offset - (text.rfind("\n", 0, offset) + 1) + 1
                raise LoadError(f"nesting deeper than {MAX_FLOW_DEPTH} levels", line, column)
        elif char in "]}":
            depth = max(0, depth - 1)


def _check_node_count(text: str) -> None:
    node_events = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, node_events):
            count += 1
            if count > MAX_NODES:
                mark = event.start_mark
                raise LoadError(
                    f"YAML file holds more than {MAX_NODES} values; a task definition has at "
                    "most a few thousand (AWS caps it at 64 KiB)",
                    mark.line + 1 if mark else 1,
                    mark.column + 1 if mark else 1,
                )


def load_yaml(
    text: str, tag_handler: TagHandler | None = None
) -> tuple[Any, PositionIndex, list[tuple[PathParts, tuple[int, int]]]]:
    """Parse one YAML document; returns (value, positions, duplicate keys)."""
    if text.count("[") + text.count("{") > MAX_FLOW_DEPTH:
        _check_flow_depth(text)
    try:
        if len(text) > COUNT_NODES_ABOVE:
            _check_node_count(text)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise LoadError(f"invalid YAML: {problem}", line, column, rule="ECS002") from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}", rule="ECS002") from None
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise LoadError(
            "more than one YAML document in the file (one task definition per file)",
            mark.line + 1,
            mark.column + 1,
        )
    index = PositionIndex.for_text(text)
    if not nodes or nodes[0] is None:
        return None, index, []
    builder = _Builder(index, tag_handler)
    value = builder.build(nodes[0])
    return value, index, builder.duplicates


def _distinct_nodes(root: yaml.Node) -> int:
    """Nodes in the graph, each alias target counted once (stops past MAX_NODES)."""
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) <= MAX_NODES:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return len(seen)


class _Builder:
    def __init__(self, index: PositionIndex, tag_handler: TagHandler | None) -> None:
        self.index = index
        self.tag_handler = tag_handler
        self.constructor = yaml.constructor.SafeConstructor()
        self.visited = 0
        self.duplicates: list[tuple[PathParts, tuple[int, int]]] = []
        self.merge_depth = 0

    def offsets(self, node: yaml.Node) -> tuple[int, int]:
        # Character offsets, not line + column: YAML also breaks lines at a lone CR,
        # NEL and U+2028, so its line numbers need not match the text's "\n" lines.
        return node.start_mark.index, node.end_mark.index

    def build(self, root: yaml.Node) -> Any:
        # Iterative depth-first build; containers are filled after creation.
        result: dict[str, Any] = {}
        stack: list[tuple[yaml.Node, PathParts, Any, Any]] = [(root, (), result, "root")]
        while stack:
            node, path, parent, slot = stack.pop()
            self.visited += 1
            if self.visited > MAX_NODES:
                mark = node.start_mark
                problem = (
                    "YAML file holds more than {} values"
                    if _distinct_nodes(root) > MAX_NODES
                    else "YAML aliases expand to more than {} values (an alias bomb?)"
                )
                raise LoadError(problem.format(MAX_NODES), mark.line + 1, mark.column + 1)
            self.index.values.setdefault(path, self.offsets(node))
            value: Any
            if isinstance(node, yaml.MappingNode):
                value = {}
                own = [pair for pair in node.value if pair[0].tag != _MERGE]
                pairs = own if len(own) == len(node.value) else self.merged(node)
                for key_node, value_node in reversed(pairs):
                    key = self.scalar_key(key_node)
                    key_path = (*path, key)
                    self.index.keys.setdefault(key_path, self.offsets(key_node))
                    stack.append((value_node, key_path, value, key))
                seen: set[object] = set()
                for key_node, _ in own:  # a key that overrides a merged one is no duplicate
                    key = self.scalar_key(key_node)
                    if key in seen:
                        self.duplicates.append(((*path, key), self.offsets(key_node)))
                    seen.add(key)
            elif isinstance(node, yaml.SequenceNode):
                value = [None] * len(node.value)
                for position in range(len(node.value) - 1, -1, -1):
                    stack.append((node.value[position], (*path, position), value, position))
            else:
                value = self.scalar(node)
            if node.tag not in _SAFE_TAGS:
                value = self.application_tag(node, value)
            parent[slot] = value
        return result["root"]

    def merged(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """The pairs of ``node`` with its merge keys (``<<: *base``) applied, as YAML 1.1
        loaders (PyYAML's, the AWS CLI's) apply them: the mapping's own keys win, then the
        merged mappings in the order listed. Merged pairs keep their nodes, so their
        positions point at where they were written. The AWS CLI and every YAML 1.1 tool
        read the merged keys; one missing them reported a merged image as missing and
        ``<<`` as an unknown key.
        """
        chosen: dict[object, tuple[yaml.Node, yaml.Node]] = {}
        own: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                own.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else None
            for source in sources if sources is not None else [value_node]:
                if not isinstance(source, yaml.MappingNode):
                    mark = source.start_mark
                    raise LoadError(
                        "a merge key (<<) takes a mapping or a list of mappings",
                        mark.line + 1,
                        mark.column + 1,
                    )
                for pair in self.flattened(source):
                    chosen.setdefault(self.scalar_key(pair[0]), pair)  # the first listed wins
        for pair in own:
            key = self.scalar_key(pair[0])
            chosen.pop(key, None)
        return [*chosen.values(), *own]

    def flattened(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        self.merge_depth += 1
        try:
            if self.merge_depth > MAX_MERGE_DEPTH:
                mark = node.start_mark
                raise LoadError(
                    f"merge keys (<<) nested deeper than {MAX_MERGE_DEPTH} levels",
                    mark.line + 1,
                    mark.column + 1,
                )
            if all(pair[0].tag != _MERGE for pair in node.value):
                return list(node.value)
            return self.merged(node)
        finally:
            self.merge_depth -= 1

    def scalar_key(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            mark = node.start_mark
            raise LoadError("a map key must be a plain value", mark.line + 1, mark.column + 1)
        key = self.scalar(node)
        return key if isinstance(key, (str, int, float, bool)) or key is None else str(key)

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        if node.tag in _TEXT_TAGS:
            return node.value
        if node.tag in _SAFE_TAGS:
            try:
                return self.constructor.construct_object(node, deep=False)
            except (yaml.YAMLError, ValueError) as exc:
                mark = node.start_mark
                raise LoadError(
                    f"invalid YAML value: {exc}", mark.line + 1, mark.column + 1
                ) from None
        return node.value

    def application_tag(self, node: yaml.Node, value: Any) -> Any:
        if self.tag_handler is not None and not node.tag.startswith("tag:yaml.org,2002:"):
            try:
                return self.tag_handler(node.tag, value)
            except LookupError:  # a tag the handler does not know: refused below
                pass
        mark = node.start_mark
        raise LoadError(
            f"YAML tag {node.tag} is not supported (only plain YAML is read)",
            mark.line + 1,
            mark.column + 1,
        )


# --- writing ---------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with strings that hold NEL written so they read back.

    With ``allow_unicode`` the emitter puts U+0085 (NEL) raw inside a single-quoted
    scalar; in YAML 1.1 NEL is a line break, so every YAML 1.1 reader (PyYAML, libyaml)
    folds it into a space, and a raw NEL in a plain scalar ends the line. Such a string
    is written double-quoted, where the emitter escapes NEL as ``\\N``.
    """


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if "\x85" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any, width: int = 1000) -> str:
    """``data`` (JSON values) as block YAML, in its key order, that reads back as ``data``."""
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=width)
    return text
