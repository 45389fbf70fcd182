"""The hand-written HCL reader (ecslint/load/hcl.py) against python-hcl2's lark grammar.

python-hcl2 (a dev dependency) is the reference: the reader must never read a text
otherwise than lark does. Both accept or both reject every text; where they accept, the
trees are the same (every node the ``.tf`` loader reads: names, children, tokens,
offsets) and ``load_hcl`` gives the same document from either (values, unknowns,
positions, origins, followed files); where they reject, the reader's error names the
line and column lark's does (all hand-written invalid files; nearly all mutations).
Inputs: every ``.tf`` of the corpus and of tests/, the grammar's quirks, and seeded
mutations and generated files.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from ecslint.load import hcl, terraform_hcl
from ecslint.load.source import LoadError, Source
from ecslint.load.unknown import Unknown
from tests.conftest import CORPUS, ROOT

hcl2_parser = pytest.importorskip("hcl2.parser")
from lark.exceptions import LarkError, UnexpectedInput  # noqa: E402 - python-hcl2 brings lark

#: Nodes the loader never looks inside: only their span is compared.
OPAQUE = frozenset(
    {
        "binary_op",
        "conditional",
        "for_tuple_expr",
        "for_object_expr",
        "template_if_start",
        "template_else",
        "template_endif",
        "template_for_start",
        "template_endfor",
        "attr_splat",
        "full_splat",
        "get_attr",
        "short_index",
        "braces_index",
    }
)
#: Nodes whose tokens the loader reads.
TOKENS = frozenset(
    {
        "identifier",
        "keyword",
        "literal_value",
        "int_lit",
        "float_lit",
        "heredoc_template",
        "heredoc_template_trim",
        "string_part",
        "unary_op",
    }
)
#: Nodes whose span the loader never reads.
NO_SPAN = frozenset({"start", "body", "arguments"})


def _span(node: Any) -> tuple[int, int]:
    meta = getattr(node, "meta", node)
    return meta.start_pos, meta.end_pos


def shape(node: Any) -> Any:
    """A tree as nested tuples: what the loader can see of it (lark's or the reader's)."""
    if not hasattr(node, "data"):
        return ("token", str(node), node.start_pos, node.end_pos)
    data = node.data
    span = None if data in NO_SPAN else _span(node)
    if data in OPAQUE:
        return (data, span)
    children = []
    for child in node.children:
        if hasattr(child, "data"):
            if child.data not in ("new_line_or_comment", "binary_operator"):
                children.append(shape(child))
        elif data in TOKENS:
            children.append(shape(child))
    return (data, span, tuple(children))


def lark_tree(text: str) -> Any:
    """python-hcl2's tree of a ``.tf`` text (the ``_tree`` the loader had before); raises
    LoadError as the loader did."""
    try:
        return hcl2_parser.parser().parse(text + "\n")
    except UnexpectedInput as error:
        raise LoadError(
            "invalid HCL: unexpected input", error.line or 1, error.column or 1, rule="ECS002"
        ) from None
    except LarkError as error:
        raise LoadError(f"invalid HCL: {type(error).__name__}", rule="ECS002") from None


#: The loader's own parse (the function ``document`` replaces while it runs).
reader_tree = terraform_hcl._tree


def outcome(text: str) -> tuple[str, Any]:
    """("same", None) when both accept; ("rejected", whether the positions agree) when
    both reject; fails when one accepts what the other rejects, or the trees differ."""
    try:
        mine: Any = reader_tree(text)
    except LoadError as error:
        mine = error
    try:
        reference: Any = lark_tree(text)
    except (LoadError, LarkError) as error:
        reference = error
    if isinstance(mine, LoadError) or isinstance(reference, Exception):
        assert isinstance(mine, LoadError), f"the reader accepts what lark rejects: {text!r}"
        assert isinstance(reference, Exception), f"lark accepts what the reader rejects: {text!r}"
        where = (reference.line, reference.column) if isinstance(reference, LoadError) else None
        return "rejected", where == (mine.line, mine.column)
    assert shape(mine) == shape(reference), f"different trees for {text!r}"
    return "same", None


def document(path: str, text: str, tree: Any) -> Any:
    """Everything load_hcl gives, with ``_tree`` returning ``tree`` (or its LoadError)."""
    original = terraform_hcl._tree
    terraform_hcl._SIBLINGS.clear()
    terraform_hcl._tree = tree
    try:
        loaded = terraform_hcl.load_hcl(Source(path, text))
    except LoadError as error:
        return ("error", error.message, error.line, error.column)
    finally:
        terraform_hcl._tree = original
        terraform_hcl._SIBLINGS.clear()
    assert isinstance(loaded, terraform_hcl.HclDocument)
    return (
        _plain(loaded.data),
        sorted(loaded.index.values.items()),
        sorted(loaded.index.keys.items()),
        sorted(loaded.origins.items()),
        sorted(
            (path, (doc.path, _plain(doc.data), sorted(doc.index.values.items())))
            for path, doc in loaded.followed.items()
        ),
        sorted(loaded.load_problems),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Unknown):
        return ("Unknown", value.text, value.reason)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return (type(value).__name__, value)


def tf_files() -> list[Path]:
    found = sorted((ROOT / "tests").rglob("*.tf"))
    if CORPUS.is_dir():
        found += sorted(CORPUS.rglob("*.tf"))
    return found


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="surrogateescape")


def test_the_reader_lexes_with_the_grammars_own_terminals() -> None:
    grammar = {
        terminal.name: terminal.pattern.to_regexp() for terminal in hcl2_parser.parser().terminals
    }
    assert {name: grammar[name] for name in hcl.TERMINALS} == hcl.TERMINALS


# --- every .tf file we have ---------------------------------------------------------


@pytest.mark.parametrize("path", tf_files(), ids=lambda path: str(path.name))
def test_every_tf_file_reads_as_lark_reads_it(path: Path) -> None:
    text = _read(path)
    kind, _ = outcome(text)
    if kind == "rejected":
        return
    assert document(str(path), text, reader_tree) == document(str(path), text, lark_tree)


def test_the_corpus_has_tf_files_to_compare() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    assert len([p for p in tf_files() if CORPUS in p.parents]) >= 50


# --- the grammar's quirks, each read as lark reads it ----------------------------------

QUIRKS = [
    # A binary operation keeps the newlines and comments after it (its span, its text).
    "a = x + y # comment\n# more\n\nb = 1\n",
    "a = [x + y\n\n, z]\n",
    "a = x * y /* c */ /* d */\n",
    # A newline before an operator other than "-" continues the expression.
    "a = x\n+ y\n",
    "a = x # c\n  && y\n",
    "a = x\n? y : z\n",
    "a = x * y\n\n+ z\n",
    # Attribute and block names may be keywords or literals; blocks need no newline.
    "for_each = var.x\nin = 1\ntrue = 2\nif { a = 1 }\n",
    'resource "aws_ecs_task_definition" "t" { family = "f" cpu = 256 }\n',
    'resource "a" "b"\n{\n}\n',
    # Objects: separators are optional, keys may be keywords, expressions, literals.
    "a = { b = 1 c = 2, d: 3\n e = 4 }\n",
    'a = { for = 1, in = 2, (k) = 3, true = 4, "s" = 5 }\n',
    "a = { x = b (c) }\n",
    # Numbers: "-12" is one token, "-1" is minus and 1; floats and exponents.
    "a = -12\nb = -1\nc = 1.5e3\nd = 2E-2\ne = -1-2.5\nf = x - 1\n",
    # Strings: escapes, interpolation, directives, escaped templates, multi-line.
    'a = "x\\"y\\n${b}$${c}%%{d} %{ if e ~}f%{~ else }g%{ endif }"\n',
    'a = "%{ for k, v in m }${k}%{ endfor }"\nb = "line\none"\n',
    'a = "$$${x}"\nb = "100%"\nc = "$"\n',
    # Heredocs, with the trailing newline the terminal takes.
    "a = <<EOF\nhello ${b}\nEOF\nc = <<-EOT\n  x\n  EOT\n",
    'a = jsonencode([{ name = "x" }])\n',
    # Functions: provider functions, trailing commas, expansion, newlines.
    "a = f(\n  x,\n  y,\n)\nb = g(x...)\nc = provider::p::fn(1)\nd = h(x\n, y)\n",
    # Traversals, splats, indexes.
    "a = b.c[0].d\ne = f.*.g\nh = i[*].j[0]\nk = l.0.m\nn = o.true\n",
    # Conditionals and for expressions.
    'a = b ? c : d ? e : f\ng = [for x in y : x if x != ""]\n',
    "h = {for k, v in m : k => v... if v}\ni = [\n  for x in y :\n  x\n]\n",
    # Comments everywhere a newline may be.
    "/* a */ a = 1 // b\n# c\nb = [ # d\n 1, /* e */\n]\n",
    "a = 1\r\nb = <<EOF\r\nx\r\nEOF\r\n",
    "",
    "\n\n",
]


@pytest.mark.parametrize("text", QUIRKS)
def test_grammar_quirks_read_as_lark_reads_them(text: str) -> None:
    kind, _ = outcome(text)
    assert kind == "same", f"rejected: {text!r}"
    assert document("main.tf", text, reader_tree) == document("main.tf", text, lark_tree)


INVALID = [
    "a = \n",
    "a = 1 +\n",
    "resource {\n",
    'a = "unterminated\n',
    "a = x -12\n",
    "a = f(x\n,)\n",
    "a = [1 2]\n",
    "= 1\n",
    "a = {\n",
    "a = <<EOF\nno end\n",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_files_are_rejected_where_lark_rejects_them(text: str) -> None:
    kind, same_place = outcome(text)
    assert kind == "rejected" and same_place, text
    with pytest.raises(LoadError) as caught:
        terraform_hcl.load_hcl(Source("bad.tf", text))
    assert caught.value.message == "invalid HCL: unexpected input"
    assert caught.value.rule == "ECS002"


# --- mutated and generated inputs ---------------------------------------------------

PIECES = [
    *("\n", " ", "\n\n", "# c\n", "// c\n", "/* c */", "/*\n*/", "\r\n", "\t"),
    *("+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "!", "?"),
    *(":", "::", "=", "=>", ",", ".", "...", ".*", "[*]", "[", "]", "{", "}", "(", ")"),
    *('"', "${", "%{", "$${", "%%{", "~", '\\"', "\\n", "\\", "é"),
    *("in", "for", "if", "else", "endif", "endfor", "for_each", "true", "false", "null"),
    *("-12", "-1", "1.5", "1e5", "-1-2.5", "0", "x", "a-b", "a.b", "f(x)", "p::n::f(1)"),
    *("<<EOF\nx\nEOF\n", "<<-EOF\n  x\n  EOF\n"),
]
ATOMS = [
    *("x", "1", "-12", "-1", "1.5", '"s"', '"a${x}b"', '"%{if x}y%{endif}"', "true", "null"),
    *("a.b", "a[0]", "a.*.b", "a[*]", "a.0", "<<EOF\nq\nEOF\n", "var.image", "local.name"),
]
OPERATORS = ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"]
#: Between tokens where the grammar takes a newline; BLANKS where it takes none.
BREAKS = ["", "", " ", "\n", "\n\n", " # c\n", "/* c */"]
BLANKS = ["", " ", " ", " ", "\n", " // c\n"]


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.35:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        elif roll < 0.6:
            text = text[:at] + text[at + rng.randint(1, 8) :]
        elif roll < 0.8:
            to = rng.randint(0, len(text))
            text = text[:to] + text[at : at + rng.randint(1, 30)] + text[to:]
        else:
            text = text[:at] + rng.choice(PIECES) + text[at + rng.randint(1, 4) :]
    return text


def expression(rng: random.Random, depth: int = 0) -> str:
    if depth > 3 or rng.random() < 0.3:
        return rng.choice(ATOMS)

    def sub() -> str:
        return expression(rng, depth + 1)

    def gap() -> str:
        return rng.choice(BREAKS)

    def blank() -> str:
        return rng.choice(BLANKS)

    kind = rng.randint(0, 9)
    if kind == 0:
        return sub() + blank() + rng.choice(OPERATORS) + gap() + sub()
    if kind == 1:
        return f"{sub()}{blank()}?{gap()}{sub()}{gap()}:{gap()}{sub()}"
    if kind == 2:
        items = ("," + gap()).join(sub() for _ in range(rng.randint(0, 3)))
        return f"[{gap()}{items}{gap()}{rng.choice(['', ','])}{gap()}]"
    if kind == 3:
        keys = ["a", "in", "for", '"k"', "(k)", "true", "name", "image"]
        elements = rng.choice([", ", "\n", " ", ",\n"]).join(
            rng.choice(keys) + rng.choice([" = ", ":", " : "]) + sub()
            for _ in range(rng.randint(0, 3))
        )
        return "{" + gap() + elements + gap() + "}"
    if kind == 4:
        name = rng.choice(["f", "jsonencode", "format", "join", "p::n::f"])
        items = ("," + gap()).join(sub() for _ in range(rng.randint(0, 3)))
        return f"{name}({gap()}{items}{gap()}{rng.choice(['', ',', '...'])}{gap()})"
    if kind == 5:
        condition = rng.choice(["", " if " + sub()])
        return (
            f"[{gap()}for {rng.choice(['x', 'k, v'])}{gap()} in {gap()}{sub()}{gap()}:"
            f"{gap()}{sub()}{gap()}{condition}{gap()}]"
        )
    if kind == 6:
        condition = rng.choice(["", " if " + sub()])
        return (
            f"{{{gap()}for k, v in {sub()} : {sub()} => {gap()}{sub()}"
            f"{rng.choice(['', '...'])}{gap()}{condition}{gap()}}}"
        )
    if kind == 7:
        return f"({gap()}{sub()}{gap()})"
    if kind == 8:
        return rng.choice(["-", "!"]) + sub()
    inner = rng.choice(["", "a", "${" + sub() + "}", "%{ for x in " + sub() + " ~}y%{ endfor }"])
    return '"' + inner + '"'


def generated(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.5:
            name = rng.choice(["a", "for_each", "in", "true", "b-c", "family"])
            ending = rng.choice(["\n", " ", "\n\n", " # t\n"])
            parts.append(f"{name} = {expression(rng)}{ending}")
        else:
            kind = rng.choice(["aws_ecs_task_definition", "aws_ecs_service", "other"])
            argument = rng.choice(["container_definitions", "family", "cpu", "tags"])
            parts.append(
                f'resource "{kind}" "t" {rng.choice(["", " "])}{{\n'
                f"  {argument} = {expression(rng)}\n  nested {{ x = {expression(rng)} }}\n}}\n"
            )
    if rng.random() < 0.3:
        parts.append(
            f'locals {{ name = {expression(rng)} }}\nvariable "image" {{ default = "x" }}\n'
        )
    return "".join(parts)


def window(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    first = rng.randint(0, max(0, len(lines) - 1))
    return "".join(lines[first : first + rng.randint(1, 25)])


@pytest.mark.parametrize("seed", range(8))
def test_mutated_and_generated_inputs_read_as_lark_reads_them(seed: int) -> None:
    rng = random.Random(seed)
    sources = [_read(path) for path in tf_files()] or [generated(rng)]
    counts = {"same": 0, "rejected": 0, "elsewhere": 0}
    for _ in range(150):
        roll = rng.random()
        if roll < 0.4:
            text = mutate(rng, window(rng, rng.choice(sources)))
        elif roll < 0.75:
            text = generated(rng)
        else:
            text = mutate(rng, generated(rng))
        kind, same_place = outcome(text)
        counts[kind] += 1
        if kind == "rejected" and not same_place:
            counts["elsewhere"] += 1
        if kind == "same":
            mine = document("main.tf", text, reader_tree)
            assert mine == document("main.tf", text, lark_tree), text
    assert counts["same"] >= 15, counts  # the comparison saw texts the reader reads
    # The error's line and column are lark's for nearly every rejected text.
    assert counts["elsewhere"] <= counts["rejected"] // 10, counts


def test_reading_a_tf_file_imports_neither_lark_nor_python_hcl2(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "main.tf"
    path.write_text('resource "aws_ecs_task_definition" "t" {\n  family = "x"\n}\n')
    code = (
        "import sys\n"
        "from ecslint.load.source import read_source\n"
        "from ecslint.load.terraform_hcl import load_hcl\n"
        f"load_hcl(read_source({str(path)!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('lark', 'hcl2')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
