"""Terraform ``.tf`` files: the literal parts of every ``aws_ecs_task_definition`` block.

Parsed by :mod:`ecslint.load.hcl` into the tree python-hcl2's grammar gives (its
reference, in the tests; python-hcl2 and lark are not needed to run). Literals are
evaluated (strings, numbers, booleans, lists, objects, JSON heredocs,
``jsonencode(<literal>)``), and so are the references whose value the module itself
decides: ``local.*`` and the ``default`` of a ``variable`` (in this file or another
``.tf`` file of the same directory; the finding then says where the value came from),
``path.module``, interpolation, ``format()`` and ``join()`` of known values, and
``file()``/``templatefile()`` of a file under the module's directory (never outside
it; read with the same bounded reader as every input). A followed file keeps its own
positions (:attr:`HclDocument.followed`), so a finding inside it names that file, line
and column. Any other expression (a resource attribute, a conditional, a function
not listed) becomes an :class:`~ecslint.load.unknown.Unknown` holding its source text:
reported as not evaluated, never guessed.

The result is a :class:`Document` whose data is ``{address: {argument: value}}``
in the shape of ``terraform show -json`` values (nested blocks are lists of
objects), with a position for every value, so :mod:`ecslint.load.terraform`
treats a ``.tf`` file and a plan alike.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from typing import Any

from ecslint.load.document import Document
from ecslint.load.positions import PositionIndex, index_json, unpack
from ecslint.load.source import LoadError, Source, read_source
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

RESOURCE_TYPE = "aws_ecs_task_definition"
#: The resources read besides task definitions: the deployment around them (ecslint.deploy).
DEPLOYMENT_TYPES = frozenset(
    {
        "aws_ecs_service",
        "aws_ecs_cluster",
        "aws_ecs_cluster_capacity_providers",
        "aws_ecs_capacity_provider",
        "aws_lb",
        "aws_alb",
        "aws_lb_target_group",
        "aws_alb_target_group",
        "aws_lb_listener",
        "aws_alb_listener",
        "aws_lb_listener_rule",
        "aws_alb_listener_rule",
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_subnet",
        "aws_service_discovery_service",
    }
)
REASON = "Terraform expression"
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_REFERENCE = re.compile(r"(local|var|path)\.([A-Za-z_][\w-]*)")
_TEMPLATE_PART = re.compile(r"\$\$\{|%%\{|\$\{\s*([^}]*?)\s*\}|%\{")
_FORMAT_VERB = re.compile(r"%%|%[-+# 0]*\d*(?:\.\d+)?([sdvfgtq])")
#: Where a value resolved from the module came from, for the finding's message.
_FROM_LOCAL = "from local.{}"
_FROM_DEFAULT = "from variable {}'s default"


class HclDocument(Document):
    """A ``.tf`` file, with the files it follows and where resolved values came from."""

    __slots__ = ("followed", "load_problems", "origins")

    def __init__(self, path: str, text: str, data: Any, index: PositionIndex) -> None:
        super().__init__(path, text, "hcl", data, index)
        #: Document path of a ``file()``/``templatefile()`` value -> the file it read.
        self.followed: dict[PathParts, Document] = {}
        #: Document path -> where its value came from ("from local.image").
        self.origins: dict[PathParts, str] = {}
        #: (document path, message) of what could not be followed (a missing file).
        self.load_problems: list[tuple[PathParts, str]] = []


class _Followed(str):
    """The text of a followed file, with the document that gives its positions."""

    document: Document


class _Scope:
    """What the module decides: its locals, its variables' defaults, its directory."""

    def __init__(self, path: str) -> None:
        named = path not in ("<stdin>", "-")
        #: None for stdin: no module directory, so no file is followed.
        self.directory: str | None = (os.path.dirname(path) or ".") if named else None
        self.path = path
        self.locals: dict[str, tuple[_Reader, Any]] = {}
        self.variables: dict[str, tuple[_Reader, Any]] = {}
        self.siblings_read = False
        self.resolving: set[str] = set()

    def collect(self, reader: _Reader, tree: Any) -> None:
        for block in _children(tree.children[0], "block"):
            labels = reader.labels(block)
            if labels == ["locals"]:
                for attribute in _children(_body(block), "attribute"):
                    name = reader.source(attribute.children[0]).strip()
                    self.locals.setdefault(name, (reader, _trees(attribute)[-1]))
            elif len(labels) == 2 and labels[0] == "variable":
                default = None
                for attribute in _children(_body(block), "attribute"):
                    if reader.source(attribute.children[0]).strip() == "default":
                        default = _trees(attribute)[-1]
                self.variables.setdefault(labels[1], (reader, default))

    def lookup(self, kind: str, name: str) -> tuple[_Reader, Any] | None:
        table = self.locals if kind == "local" else self.variables
        if name not in table and not self.siblings_read:
            self.siblings_read = True
            self._read_siblings()
        return table.get(name)

    def _read_siblings(self) -> None:
        """The other ``.tf`` files of the module: where its locals and variables may be.

        Read once per directory and process (a directory walk asks for each of its files),
        and only for a directory of a module's size (MAX_SIBLINGS files, MAX_SIBLING_BYTES).
        """
        if self.directory is None:
            return
        key = os.path.realpath(self.directory)
        tables = _SIBLINGS.get(key)
        if tables is None:
            tables = _SIBLINGS[key] = _read_module(self.directory, self)
        own = os.path.basename(self.path)
        for name, (locals_, variables) in tables.items():
            if name == own:
                continue
            for local, found in locals_.items():
                self.locals.setdefault(local, found)
            for variable, found in variables.items():
                self.variables.setdefault(variable, found)


#: A module's files, at most: past it, a directory is not read as one module.
MAX_SIBLINGS = 30
MAX_SIBLING_BYTES = 2 * 1024 * 1024
Tables = dict[str, tuple[dict[str, tuple["_Reader", Any]], dict[str, tuple["_Reader", Any]]]]
#: realpath of a directory -> {file name: (its locals, its variables)}, per process.
_SIBLINGS: dict[str, Tables] = {}


def _read_module(directory: str, scope: _Scope) -> Tables:
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(".tf"))
    except OSError:
        return {}
    if len(names) > MAX_SIBLINGS:
        return {}
    tables: Tables = {}
    budget = MAX_SIBLING_BYTES
    for name in names:
        try:
            source = read_source(os.path.join(directory, name))
        except LoadError:
            continue
        budget -= len(source.text)
        if budget < 0:
            return {}
        if "locals" not in source.text and "variable" not in source.text:
            continue
        try:
            tree = _tree(source.text)
        except LoadError:
            continue
        part = _Scope(os.path.join(directory, name))
        part.directory = scope.directory
        part.siblings_read = True  # its references resolve in the scope that asks
        reader = _Reader(source.text, PositionIndex.for_text(source.text), scope)
        part.collect(reader, tree)
        tables[name] = (part.locals, part.variables)
    return tables


def load_hcl(source: Source, *, siblings: bool = True) -> Document:
    """Parse a ``.tf`` file; raises LoadError (with a position) when it is not HCL.

    ``siblings=False`` looks up locals and variables in this file only (the deployment
    model reads a module's other files this way, so each is parsed once).
    """
    text = source.text
    tree = _tree(text)
    index = PositionIndex.for_text(text)
    scope = _Scope(source.path)
    scope.siblings_read = not siblings
    document = HclDocument(source.path, text, {}, index)
    reader = _Reader(text, index, scope, document)
    data: dict[str, Any] = document.data
    try:
        scope.collect(reader, tree)
        # Each top-level block's tree is dropped once read (the scope keeps the locals and
        # defaults it needs): a big file's tree and its document are not held at once.
        elements = tree.children[0].children
        del tree
        elements.reverse()
        while elements:
            block = elements.pop()
            if getattr(block, "data", None) != "block":
                continue
            labels = reader.labels(block)
            if (
                len(labels) == 3
                and labels[0] == "resource"
                and (labels[1] == RESOURCE_TYPE or labels[1] in DEPLOYMENT_TYPES)
            ):
                address = f"{labels[1]}.{labels[2]}"
                index.values[(address,)] = _offsets(block)
                data[address] = reader.body(_body(block), (address,))
    except RecursionError:
        raise LoadError("nested too deeply to read") from None
    return document


def _tree(text: str) -> Any:
    """The parse tree of ``text`` (:mod:`ecslint.load.hcl`, in python-hcl2's shape).

    Raises LoadError (with a line and column) when the text is not HCL.
    """
    from ecslint.load.hcl import HclError, parse

    text += "\n"  # python-hcl2 parses with a newline added
    try:
        return parse(text)
    except HclError as error:
        line = text.count("\n", 0, error.offset) + 1
        column = error.offset - (text.rfind("\n", 0, error.offset) + 1) + 1
        raise LoadError("invalid HCL: unexpected input", line, column, rule="ECS002") from None
    except RecursionError:
        raise LoadError("nested too deeply to read") from None


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
    meta = getattr(node, "meta", node)  # a lark Tree keeps them in its meta
    return meta.start_pos, meta.end_pos


class _Reader:
    def __init__(
        self,
        text: str,
        index: PositionIndex,
        scope: _Scope | None = None,
        document: HclDocument | None = None,
    ) -> None:
        self.text = text
        self.index = index
        self.scope = scope
        #: The document being built (None while evaluating a local elsewhere).
        self.document = document
        #: templatefile() variables while its template is rendered.
        self.template_vars: dict[str, Any] = {}
        #: Where each resolved reference came from, in order ("from local.repo").
        self.used: list[str] = []

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
                if name == "container_definitions" and isinstance(value, _Followed):
                    value = self.decode_followed(value, where)
                elif name == "container_definitions" and isinstance(value, str):
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
            mark = len(self.used)
            return self.note_origins(path, mark, self.string(node))
        if kind in ("int_lit", "float_lit"):
            from ecslint.numbers import parse_number

            # A number of 5,000 digits, or 1e400 (infinity), is not read: not evaluated.
            number = parse_number(str(node.children[0]))
            return self.unknown(node) if number is None else number
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
        if kind == "get_attr_expr_term":
            return self.reference(node, path)
        if kind == "function_call":
            name = self.source(node.children[0]).strip()
            arguments = _children(node, "arguments")
            args = _trees(arguments[0]) if arguments else []
            if name == "jsonencode" and len(args) == 1:
                # The structure itself: rules read it as the decoded JSON would be.
                return self.value(args[0], path)
            if name in ("file", "templatefile", "format", "join"):
                return self.function(name, node, args, path)
        return self.unknown(node)

    # --- what the module decides: references and functions of known values -------------

    def scratch(self, node: Any) -> Any:
        """The value of ``node`` without recording positions (it is not written here)."""
        reader = _Reader(self.text, PositionIndex(self.index.lines), self.scope, None)
        reader.template_vars = self.template_vars
        reader.used = self.used
        return reader.value(node, ())

    def note_origins(self, path: PathParts, mark: int, value: Any) -> Any:
        """Say where a value built from references came from (the ones used since ``mark``)."""
        if self.document is not None and len(self.used) > mark and not isinstance(value, Unknown):
            self.document.origins[path] = ", ".join(dict.fromkeys(self.used[mark:]))
        return value

    def reference(self, node: Any, path: PathParts) -> Any:
        text = " ".join(self.source(node).split())
        match = _REFERENCE.fullmatch(text)
        if match is None or self.scope is None:
            return self.unknown(node)
        kind, name = match.groups()
        if kind == "path":
            if name == "module" and self.scope.directory is not None:
                return self.scope.directory
            return self.unknown(node)
        key = f"{kind}.{name}"
        found = self.scope.lookup(kind, name)
        if found is None or key in self.scope.resolving:
            return self.unknown(node)
        reader, expression = found
        if expression is None:
            return Unknown("${" + text + "}", "Terraform variable without a default")
        self.scope.resolving.add(key)
        try:
            value = reader.scratch(expression)
        finally:
            self.scope.resolving.discard(key)
        if isinstance(value, Unknown):
            return Unknown("${" + text + "}", value.reason)
        origin = _FROM_LOCAL.format(name) if kind == "local" else _FROM_DEFAULT.format(name)
        self.used.append(origin)
        if self.document is not None:
            self.document.origins[path] = origin
        return value

    def function(self, name: str, node: Any, args: list[Any], path: PathParts) -> Any:
        mark = len(self.used)
        return self.note_origins(path, mark, self.call(name, node, args, path))

    def call(self, name: str, node: Any, args: list[Any], path: PathParts) -> Any:
        values = [self.scratch(arg) for arg in args]
        if name == "join" and len(values) == 2:
            separator, items = values
            if (
                isinstance(separator, str)
                and isinstance(items, list)
                and all(_scalar(item) for item in items)
            ):
                return separator.join(_text(item) for item in items)
        elif name == "format" and values and isinstance(values[0], str):
            return _format(values[0], values[1:], self.unknown(node))
        elif name == "file" and len(values) == 1 and isinstance(values[0], str):
            return self.follow(values[0], None, node, path)
        elif name == "templatefile" and len(values) == 2 and isinstance(values[0], str):
            return self.follow_template(values[0], values[1], node, path)
        return self.unknown(node)

    def follow_template(self, name: str, variables: Any, node: Any, path: PathParts) -> Any:
        if not isinstance(variables, dict):
            return self.unknown(node)
        return self.follow(name, variables, node, path)

    def follow(
        self, name: str, variables: dict[str, Any] | None, node: Any, path: PathParts
    ) -> Any:
        """The text of a file under the module's directory (rendered, for templatefile)."""
        scope = self.scope
        if scope is None or scope.directory is None:
            return self.unknown(node)
        directory = os.path.realpath(scope.directory)
        candidate = os.path.realpath(os.path.join(scope.directory, name))
        if os.path.commonpath([directory, candidate]) != directory:
            return Unknown(
                "${" + " ".join(self.source(node).split())[:70] + "}",
                "file outside the module's directory (not read)",
            )
        shown = os.path.normpath(os.path.join(scope.directory, name))
        try:
            source = read_source(shown)
        except LoadError as error:
            if self.document is not None:
                what = "templatefile()" if variables is not None else "file()"
                self.document.load_problems.append(
                    (path, f"{what} reads {shown}, which cannot be read: {error.message}")
                )
            return Unknown(shown, f"file that cannot be read ({error.message})")
        if variables is None:
            followed = _Followed(source.text)
            followed.document = Document(shown, source.text, "json", None)
            return followed
        return _render(shown, source.text, variables, self.unknown(node))

    def decode_followed(self, value: _Followed, path: PathParts) -> Any:
        """The container list of a followed file, located in that file."""
        try:
            decoded = json.loads(value)
        except ValueError as exc:
            return Unknown(value.document.path, f"file that is not valid JSON ({exc})")
        value.document.data = decoded
        if self.document is not None:
            self.document.followed[path] = value.document
        return decoded

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
            if getattr(child, "data", None) == "interpolation" and self.scope is not None:
                inner = _trees(child)
                value = self.scratch(inner[0]) if len(inner) == 1 else None
                if _scalar(value):
                    pieces.append(_text(value))
                    continue
                return self.unknown(node)
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
        if templated and self.scope is not None:
            mark = len(self.used)
            rendered = self.render_references(body)
            if rendered is not None:
                return str(self.note_origins(path, mark, rendered))
        if templated and not body.lstrip().startswith(("[", "{")):
            return self.unknown(node)
        # ``<<-`` only strips indentation, which JSON ignores: the body reads the same.
        return body

    def render_references(self, body: str) -> str | None:
        """A heredoc whose every ``${...}`` is a reference the module decides, rendered."""
        out, at = [], 0
        for match in _TEMPLATE_PART.finditer(body):
            out.append(body[at : match.start()])
            at = match.end()
            token = match.group(0)
            if token in ("$${", "%%{"):
                out.append(token[1:])
                continue
            reference = match.group(1)
            if reference is None or _REFERENCE.fullmatch(reference or "") is None:
                return None
            kind, name = reference.split(".", 1)
            value: Any = None
            if kind == "path":
                value = self.scope.directory if self.scope and name == "module" else None
            elif self.scope is not None:
                found = self.scope.lookup(kind, name)
                key = reference
                if found is not None and found[1] is not None and key not in self.scope.resolving:
                    self.scope.resolving.add(key)
                    try:
                        value = found[0].scratch(found[1])
                    finally:
                        self.scope.resolving.discard(key)
                    origin = _FROM_LOCAL if kind == "local" else _FROM_DEFAULT
                    self.used.append(origin.format(name))
            if not _scalar(value):
                return None
            out.append(_text(value))
        out.append(body[at:])
        return "".join(out)

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


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, Unknown)


def _text(value: Any) -> str:
    """A primitive as Terraform converts it to a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _format(spec: str, args: list[Any], unknown: Unknown) -> Any:
    """``format()`` of known values (%s, %d, %v, %%); an unknown argument keeps its text,
    so ``format("%s:latest", var.repo)`` still shows its tag."""
    out, at, used, unresolved = [], 0, 0, False
    for match in _FORMAT_VERB.finditer(spec):
        out.append(spec[at : match.start()])
        at = match.end()
        if match.group(0) == "%%":
            out.append("%")
            continue
        if match.group(0) not in ("%s", "%d", "%v") or used >= len(args):
            return unknown
        value = args[used]
        used += 1
        if isinstance(value, Unknown):
            out.append(value.text)
            unresolved = True
        elif _scalar(value):
            out.append(_text(value))
        else:
            return unknown
    out.append(spec[at:])
    text = "".join(out)
    return Unknown(text, REASON) if unresolved else text


def _render(path: str, template: str, variables: dict[str, Any], unknown: Unknown) -> Any:
    """A template rendered with known variables, located in the template file.

    Only ``${name}`` of a variable given is rendered; a directive (``%{ for }``) or any
    other expression leaves the whole template unknown. The rendered JSON's positions
    are those of the template text it came from.
    """
    out, starts, at = [], [], 0  # starts: (offset in the output, offset in the template)
    length = 0
    for match in _TEMPLATE_PART.finditer(template):
        literal = template[at : match.start()]
        starts.append((length, at))
        out.append(literal)
        length += len(literal)
        token = match.group(0)
        if token in ("$${", "%%{"):
            starts.append((length, match.start() + 1))
            out.append(token[1:])
            length += 2
        else:
            name = match.group(1)
            value = variables.get(name) if name is not None else None
            if not _scalar(value):
                return Unknown(path, "template that Terraform renders (not evaluated)")
            text = _text(value)
            starts.append((length, -match.start() - 1))  # inside a substitution: its start
            out.append(text)
            length += len(text)
        at = match.end()
    starts.append((length, at))
    out.append(template[at:])
    rendered = "".join(out)
    followed = _Followed(rendered)
    followed.document = _TemplateDocument(path, template, rendered, starts)
    return followed


class _TemplateDocument(Document):
    """A rendered template: its JSON parsed from the output, its positions in the template."""

    __slots__ = ()

    def __init__(
        self, path: str, template: str, rendered: str, starts: list[tuple[int, int]]
    ) -> None:
        outputs = [start for start, _ in starts]

        def place(offset: int) -> int:
            slot = bisect.bisect_right(outputs, offset) - 1
            produced, source = starts[max(slot, 0)]
            return -source - 1 if source < 0 else source + (offset - produced)

        index = PositionIndex.for_text(template)
        try:
            inner = index_json(rendered)
        except ValueError:  # pragma: no cover - decoded before this is built
            inner = PositionIndex.for_text(rendered)
        for table, into in ((inner.values, index.values), (inner.keys, index.keys)):
            for parts, packed in table.items():
                start, end = unpack(packed)
                into[parts] = (place(start), max(place(start), place(max(end - 1, start)) + 1))
        super().__init__(path, template, "json", None, index)


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
