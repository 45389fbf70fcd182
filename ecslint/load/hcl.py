"""HCL native syntax read by hand into the tree python-hcl2's lark grammar gives.

:mod:`ecslint.load.terraform_hcl` reads a ``.tf`` file from a tree in the shape of
python-hcl2's grammar (``hcl2.lark``, LALR with a contextual lexer and a post-lexer):
the same node names, children and positions for every node it reads. Building that
grammar costs seconds on a fresh install and its import about 800 M instructions on
every run; this recursive-descent reader builds the same tree from the same terminal
patterns in a few million.

It reads the language that grammar accepts, with its quirks: a binary operation keeps
the newlines and comments after it; a newline before an operator other than ``-``
continues the expression (the post-lexer merges them); a keyword is a keyword only
where the grammar's state takes one (``for_each = ...``, an object key ``in``), a name
elsewhere; after an operand, ``-12``, a heredoc and ``\\"...\\"`` are tokens of their
own (an object's next key). A text it rejects raises :class:`HclError` at the token
where lark's parser stops. ``tests/test_hcl_reader.py`` holds it to python-hcl2 (now a
test dependency only) over the corpus, the grammar's quirks and seeded mutations: the
same tree, the same document, the same acceptance and, nearly always, the same error
position. Nodes the ``.tf`` loader never looks inside (operators, conditionals, ``for``
expressions, splats, indexes, template directives) keep only their span.
"""

from __future__ import annotations

from ecslint.lazy_re import lazy_re

__all__ = ["TERMINALS", "HclError", "Node", "Token", "parse"]


class HclError(Exception):
    """The text is not HCL: ``offset`` is where it stops being HCL (the token where
    python-hcl2's parser stops)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class Node:
    """A tree node: ``data`` as the grammar's rule, children, offsets in the text."""

    __slots__ = ("children", "data", "end_pos", "start_pos")

    def __init__(self, data: str, children: list[Node | Token], start: int, end: int) -> None:
        self.data = data
        self.children = children
        self.start_pos = start
        self.end_pos = end

    def __repr__(self) -> str:
        return f"Node({self.data!r}, {self.children!r}, {self.start_pos}, {self.end_pos})"


class Token:
    """A terminal's text (``str(token)``, as of a ``lark.Token``) with its offsets.

    Not a ``str`` subclass: one of those cannot have ``__slots__``, and its per-instance
    ``__dict__`` made tokens most of a big file's tree (issue 18: 10,000 resources held
    300,000 tokens at ~230 B each). Equal texts share one string within a parse.
    """

    __slots__ = ("start_pos", "value")

    def __init__(self, value: str, start: int) -> None:
        self.value = value
        self.start_pos = start

    @property
    def end_pos(self) -> int:
        return self.start_pos + len(self.value)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Token({self.value!r}, {self.start_pos})"


#: The terminals of hcl2.lark as lark compiles them (``tests/test_hcl_reader.py`` checks
#: each against python-hcl2's grammar).
TERMINALS = {
    "NL_OR_COMMENT": "(?:\\/\\*(.|\n)*?(\\*\\/)|\\/\\/.*\n|#.*\n|\n[ \t]*)",
    "NAME": "[a-zA-Z_][a-zA-Z0-9_-]*",
    "FLOAT_LITERAL": (
        "(?:(?:(?:\\-[0-9])+|(?:\\-[0-9])?(?:[0-9])+)\\.(?:[0-9])+(?:(?:e|E)(?:(?:\\+|\\-))?"
        "(?:[0-9])+)?|(?:(?:\\-[0-9])+|(?:\\-[0-9])?(?:[0-9])+)(?:e|E)(?:(?:\\+|\\-))?(?:[0-9])+)"
    ),
    "INT_LITERAL": "(?:\\-[0-9])?(?:[0-9])+",
    "EQ": "[ \t]*=(?!=|>)",
    "COLON": "[ \t]*:(?!:)",
    "STRING_CHARS": (
        '(?:(?!\\$\\$\\{)(?!\\$\\{)(?!%%\\{)(?!%\\{)[^"\\\\]|\\\\.|(?:\\$(?!\\$?\\{))'
        "|(?:%(?!%?\\{)))+"
    ),
    "ESCAPED_INTERPOLATION": "\\$\\$\\{[^}]*\\}",
    "ESCAPED_DIRECTIVE": "%%\\{[^}]*\\}",
    "TEMPLATE_STRING": '\\\\\\"(?:[^"\\\\\\\\]|\\\\\\\\.)*\\\\\\"',
    "HEREDOC_TEMPLATE": (
        "<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\\s*(?P=heredoc)\r?\n"
    ),
    "HEREDOC_TEMPLATE_TRIM": (
        "<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\\s*"
        "(?P=heredoc_trim)\r?\n"
    ),
}
_NL = lazy_re(TERMINALS["NL_OR_COMMENT"])
_NAME = lazy_re(TERMINALS["NAME"])
_FLOAT = lazy_re(TERMINALS["FLOAT_LITERAL"])
_INT = lazy_re(TERMINALS["INT_LITERAL"])
_EQ = lazy_re(TERMINALS["EQ"])
_COLON = lazy_re(TERMINALS["COLON"])
_STRING_CHARS = lazy_re(TERMINALS["STRING_CHARS"])
_ESCAPED_INTERPOLATION = lazy_re(TERMINALS["ESCAPED_INTERPOLATION"])
_ESCAPED_DIRECTIVE = lazy_re(TERMINALS["ESCAPED_DIRECTIVE"])
_TEMPLATE_STRING = lazy_re(TERMINALS["TEMPLATE_STRING"])
_HEREDOC = lazy_re(TERMINALS["HEREDOC_TEMPLATE"])
_HEREDOC_TRIM = lazy_re(TERMINALS["HEREDOC_TEMPLATE_TRIM"])


#: Characters that end an operand (before "=" or ":" lexed with the blanks before it).
_OPERAND_ENDS = frozenset('_-")]}*')
_KEYWORDS = frozenset({"if", "in", "for", "for_each", "else", "endif", "endfor"})
_LITERALS = frozenset({"true", "false", "null"})
#: Binary operators by precedence level (hcl2.lark's ladder, lowest first).
_LEVEL = {
    "||": 0,
    "&&": 1,
    "==": 2,
    "!=": 2,
    "<": 3,
    ">": 3,
    "<=": 3,
    ">=": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "/": 5,
    "%": 5,
}
_TWO = frozenset({"==", "!=", "<=", ">=", "&&", "||"})
#: Directive keywords after ``%{``, in the order lark's lexer tries them (longest first).
_DIRECTIVES = (
    ("endfor", "template_endfor"),
    ("endif", "template_endif"),
    ("else", "template_else"),
    ("for", "template_for_start"),
    ("if", "template_if_start"),
)


def parse(text: str) -> Node:
    """The ``start`` tree of ``text`` (which ends with a newline, as python-hcl2 parses)."""
    return _Parser(text).start()


class _Parser:
    __slots__ = ("n", "pos", "strings", "tail", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        #: One string per distinct token text ("name", "=", "256" recur in every block).
        self.strings: dict[str, str] = {}
        self.pos = 0
        self.n = len(text)
        #: Where the token that ends the text starts (lark reports an error at the end there).
        self.tail = 0

    # --- lexing ---------------------------------------------------------------------

    def ws(self, p: int) -> int:
        """``p`` past the ignored blanks (``[ \\t\\r]+``)."""
        text = self.text
        n = self.n
        while p < n and text[p] in " \t\r":
            p += 1
        return p

    def error(self, message: str, p: int) -> HclError:
        """The error at the token from ``p``, placed where lark's parser places it."""
        text = self.text
        q = self.ws(p)
        if q >= self.n:
            q = self.tail  # lark's end of input borrows the last token's position
        elif (text[q] == "=" and _EQ.match(text, q)) or (text[q] == ":" and _COLON.match(text, q)):
            # "=" and ":" after an operand are lexed with the blanks before them
            back = q
            while back > 0 and text[back - 1] in " \t":
                back -= 1
            if back < q and (text[back - 1].isalnum() or text[back - 1] in _OPERAND_ENDS):
                q = back
        return HclError(message, q)

    def token(self, value: str, start: int) -> Token:
        return Token(self.strings.setdefault(value, value), start)

    def at(self, p: int) -> str:
        return self.text[p] if p < self.n else ""

    def nl(self) -> int:
        """Consume newlines and comments; the end of the last one, or -1 if none."""
        text = self.text
        end = -1
        p = self.ws(self.pos)
        while p < self.n and text[p] in "\n#/":
            match = _NL.match(text, p)
            if match is None:
                break
            end = match.end()
            if end == self.n:
                self.tail = p
            p = self.ws(end)
        if end >= 0:
            self.pos = end
        return end

    def operator(self, p: int) -> str | None:
        """The binary operator (or ``?``) lexed at ``p``, None for any other token."""
        text = self.text
        if p >= self.n or text[p] not in "|&=!<>+-*/%?\\":
            return None
        char = text[p]
        two = text[p : p + 2]
        if two in _TWO:
            return two
        if char == "-":
            # After an operand lark's lexer takes "-12" as a number (an object's next key).
            return None if _FLOAT.match(text, p) or _INT.match(text, p) else char
        if char == "<" and two == "<<" and self.heredoc(p) is not None:
            return None  # a heredoc (an object's next key), not "<"
        if char in "<>+*/%?":
            return char  # "/*" unterminated is "/", "%{" after an operand is "%"
        return None  # = (EQ, =>), ! (NOT), | or & alone, \ (a template string)

    def peek_operator(self) -> tuple[str, int] | None:
        """The operator that continues the expression here, and the offset after it.

        A single newline (or comment) before an operator other than ``-`` is merged
        into it, as python-hcl2's post-lexer does; two or more end the expression.
        """
        text = self.text
        p = self.ws(self.pos)
        char = text[p] if p < self.n else ""
        if char and char in "\n#/":
            match = _NL.match(text, p)
            if match is not None:
                q = self.ws(match.end())
                if q < self.n and text[q] in "\n#/" and _NL.match(text, q):
                    return None
                if self.at(q) == "-":
                    return None
                op = self.operator(q)
                return None if op is None else (op, q + len(op))
        op = self.operator(p)
        return None if op is None else (op, p + len(op))

    def absorb(self, node: Node) -> None:
        """A binary operation's trailing newlines (``binary_op: ... new_line_or_comment?``)."""
        text = self.text
        ends = []
        p = self.ws(self.pos)
        while p < self.n and text[p] in "\n#/":
            match = _NL.match(text, p)
            if match is None:
                break
            ends.append(match.end())
            if match.end() == self.n:
                self.tail = p
            p = self.ws(match.end())
        if not ends:
            return
        if self.at(p) != "-" and self.operator(p) is not None:
            ends.pop()  # the last newline goes with the operator
        if ends:
            node.end_pos = self.pos = ends[-1]

    def expect(self, char: str) -> int:
        """Consume ``char`` (after blanks); the offset after it."""
        p = self.ws(self.pos)
        if self.at(p) != char:
            raise self.error(f"expected {char!r}", p)
        self.pos = p + 1
        return p + 1

    def word(self) -> tuple[str, int] | None:
        """The NAME at the next token, and its start (without consuming it)."""
        p = self.ws(self.pos)
        match = _NAME.match(self.text, p)
        return None if match is None else (match.group(), p)

    def name_node(self, word: str, start: int) -> Node:
        """``_attribute_name``: where the grammar takes keywords and literals too."""
        kind = "keyword" if word in _KEYWORDS else "literal_value" if word in _LITERALS else None
        token = self.token(word, start)
        self.pos = token.end_pos
        return Node(kind or "identifier", [token], start, token.end_pos)

    # --- structure ------------------------------------------------------------------

    def start(self) -> Node:
        body = self.body(top=True)
        return Node("start", [body], body.start_pos, body.end_pos)

    def body(self, top: bool) -> Node:
        elements: list[Node | Token] = []
        begin = self.pos
        while True:
            self.nl()
            p = self.ws(self.pos)
            if p >= self.n if top else self.at(p) == "}":
                break
            elements.append(self.element())
        return Node("body", elements, begin, self.pos)

    def element(self) -> Node:
        found = self.word()
        if found is None:
            raise self.error("expected an attribute or a block", self.pos)
        name = self.name_node(*found)
        equals = _EQ.match(self.text, self.ws(self.pos))
        if equals is not None:
            self.pos = equals.end()
            value = self.expression()
            return Node("attribute", [name, value], name.start_pos, value.end_pos)
        children: list[Node | Token] = [name]
        while True:
            p = self.ws(self.pos)
            char = self.at(p)
            if char == '"':
                self.pos = p
                children.append(self.string())
                continue
            found = self.word()
            if found is None:
                break
            children.append(self.name_node(*found))
        self.nl()
        self.expect("{")
        body = self.body(top=False)
        end = self.expect("}")
        children.append(body)
        return Node("block", children, name.start_pos, end)

    # --- expressions ------------------------------------------------------------------

    def expression(self) -> Node:
        condition = self.binary(0)
        found = self.peek_operator()
        if found is None or found[0] != "?":
            return condition
        self.pos = found[1]
        self.nl()
        then = self.expression()
        self.nl()
        colon = _COLON.match(self.text, self.ws(self.pos))
        if colon is None:
            raise self.error("expected ':'", self.pos)
        self.pos = colon.end()
        self.nl()
        other = self.expression()
        return Node("conditional", [condition, then, other], condition.start_pos, other.end_pos)

    def binary(self, lowest: int) -> Node:
        left = self.unary()
        cap = 6
        while True:
            found = self.peek_operator()
            if found is None:
                return left
            op, after = found
            level = _LEVEL.get(op, -1)
            if level < lowest or level > cap:
                return left
            self.pos = after
            self.nl()
            right = self.binary(level + 1)
            left = Node("binary_op", [left, right], left.start_pos, right.end_pos)
            cap = level
            self.absorb(left)

    def unary(self) -> Node:
        p = self.ws(self.pos)
        char = self.at(p)
        if char == "-" and not (_FLOAT.match(self.text, p) or _INT.match(self.text, p)):
            op = "-"
        elif char == "!":
            if self.text.startswith("!=", p):
                raise self.error("'!=' where an expression starts", p)
            op = "!"
        else:
            return self.expr_term()
        self.pos = p + 1
        operand = self.expr_term()
        return Node("unary_op", [self.token(op, p), operand], p, operand.end_pos)

    def expr_term(self) -> Node:
        return self.postfix(self.primary())

    def primary(self) -> Node:
        text = self.text
        p = self.ws(self.pos)
        char = self.at(p)
        if char.isalpha() or char == "_":
            match = _NAME.match(text, p)
            if match is None:  # a letter outside ASCII
                raise self.error("unexpected character", p)
            word = match.group()
            end = match.end()
            token = self.token(word, p)
            if word in _LITERALS:
                inner = Node("literal_value", [token], p, end)
            else:  # a keyword too: no state that starts an expression takes one
                inner = Node("identifier", [token], p, end)
                self.pos = end
                q = self.ws(end)
                if self.at(q) == "(" or text.startswith("::", q):
                    return self.call(inner, q)
            self.pos = end
            return Node("expr_term", [inner], p, end)
        if char.isdigit() or char == "-":
            match = _FLOAT.match(text, p)
            kind = "float_lit"
            if match is None:
                match = _INT.match(text, p)
                kind = "int_lit"
            if match is None:
                raise self.error("unexpected '-'", p)
            end = match.end()
            self.pos = end
            number = Node(kind, [self.token(match.group(), p)], p, end)
            return Node("expr_term", [number], p, end)
        if char == '"':
            self.pos = p
            string = self.string()
            return Node("expr_term", [string], p, string.end_pos)
        if char == "[":
            self.pos = p + 1
            inner = self.tuple(p)
            return Node("expr_term", [inner], p, inner.end_pos)
        if char == "{":
            self.pos = p + 1
            inner = self.object(p)
            return Node("expr_term", [inner], p, inner.end_pos)
        if char == "(":
            self.pos = p + 1
            self.nl()
            inner = self.expression()
            self.nl()
            end = self.expect(")")
            return Node("expr_term", [inner], p, end)
        if char == "<":
            found = self.heredoc(p)
            if found is None:
                raise self.error("unexpected '<'", p)
            kind, end = found
            self.pos = end
            if end == self.n:
                self.tail = p
            heredoc = Node(kind, [self.token(text[p:end], p)], p, end)
            return Node("expr_term", [heredoc], p, end)
        if char == "\\":
            match = _TEMPLATE_STRING.match(text, p)
            if match is None:
                raise self.error("unexpected '\\'", p)
            end = self.pos = match.end()
            template = Node("template_string", [self.token(match.group(), p)], p, end)
            return Node("expr_term", [template], p, end)
        raise self.error("expected an expression", p)

    def heredoc(self, p: int) -> tuple[str, int] | None:
        """The heredoc at ``p`` (its kind and end), if one starts there."""
        match = _HEREDOC_TRIM.match(self.text, p)
        if match is not None:
            return "heredoc_template_trim", match.end()
        match = _HEREDOC.match(self.text, p)
        return None if match is None else ("heredoc_template", match.end())

    def call(self, name: Node, p: int) -> Node:
        text = self.text
        children: list[Node | Token] = [name]
        if text.startswith("::", p):
            for _ in range(2):
                if not text.startswith("::", p):
                    raise self.error("expected '::'", p)
                self.pos = p + 2
                found = self.word()
                if found is None:
                    raise self.error("expected a name", self.pos)
                word, start = found
                token = self.token(word, start)
                children.append(Node("identifier", [token], start, token.end_pos))
                self.pos = token.end_pos
                p = self.ws(self.pos)
            if self.at(p) != "(":
                raise self.error("expected '('", p)
        self.pos = p + 1
        self.nl()
        q = self.ws(self.pos)
        if self.at(q) != ")":
            items: list[Node | Token] = []
            first = self.expression()
            items.append(first)
            last = first.end_pos
            while True:
                newline = self.nl() >= 0
                q = self.ws(self.pos)
                char = self.at(q)
                if char == ",":
                    self.pos = last = q + 1
                    self.nl()
                    if self.at(self.ws(self.pos)) == ")":
                        if newline:  # a trailing comma follows the argument directly
                            raise self.error("expected an argument", self.pos)
                        break
                    item = self.expression()
                    items.append(item)
                    last = item.end_pos
                    continue
                if text.startswith("...", q):
                    if newline:
                        raise self.error("newline before '...'", q)
                    self.pos = last = q + 3
                    self.nl()
                break
            children.append(Node("arguments", items, first.start_pos, last))
        end = self.expect(")")
        term = Node("function_call", children, name.start_pos, end)
        return Node("expr_term", [term], name.start_pos, end)

    def postfix(self, term: Node) -> Node:
        text = self.text
        while True:
            p = self.ws(self.pos)
            char = self.at(p)
            if char == ".":
                if text.startswith("...", p):
                    return term
                if text.startswith(".*", p):
                    self.pos = p + 2
                    self.splat_tail()
                    kind, part = "attr_splat_expr_term", Node("attr_splat", [], p, self.pos)
                else:
                    self.pos = p
                    part = self.get_attr()
                    kind = "index_expr_term" if part.data == "short_index" else "get_attr_expr_term"
            elif char == "[":
                if text.startswith("[*]", p):
                    self.pos = p + 3
                    self.splat_tail()
                    kind, part = "full_splat_expr_term", Node("full_splat", [], p, self.pos)
                else:
                    self.pos = p
                    kind, part = "index_expr_term", self.braces_index()
            else:
                return term
            start = term.start_pos
            inner = Node(kind, [term, part], start, part.end_pos)
            term = Node("expr_term", [inner], start, part.end_pos)

    def get_attr(self) -> Node:
        """``.name``, ``.true`` (get_attr) or ``.0`` (short_index), at a dot."""
        p = self.pos
        q = self.ws(p + 1)
        match = _INT.match(self.text, q)
        kind = "short_index"
        if match is None:
            match = _NAME.match(self.text, q)
            kind = "get_attr"
        if match is None:
            raise self.error("expected a name after '.'", q)
        self.pos = match.end()
        return Node(kind, [], p, self.pos)

    def braces_index(self) -> Node:
        p = self.pos
        self.pos = p + 1
        self.nl()
        key = self.expression()
        self.nl()
        end = self.expect("]")
        return Node("braces_index", [key], p, end)

    def splat_tail(self) -> None:
        """The attributes and indexes a splat takes (``(get_attr | index)*``)."""
        text = self.text
        while True:
            p = self.ws(self.pos)
            char = self.at(p)
            if char == "." and not text.startswith(("...", ".*"), p):
                self.pos = p
                self.get_attr()
            elif char == "[" and not text.startswith("[*]", p):
                self.pos = p
                self.braces_index()
            else:
                return

    def tuple(self, start: int) -> Node:
        self.nl()
        found = self.word()
        if found is not None and found[0] == "for":
            return self.for_tuple(start, found[1])
        items: list[Node | Token] = []
        while True:
            p = self.ws(self.pos)
            if self.at(p) == "]":
                break
            items.append(self.expression())
            self.nl()
            p = self.ws(self.pos)
            char = self.at(p)
            if char == ",":
                self.pos = p + 1
                self.nl()
                continue
            if char != "]":
                raise self.error("expected ',' or ']'", p)
            break
        self.pos = p + 1
        return Node("tuple", items, start, p + 1)

    def object(self, start: int) -> Node:
        self.nl()
        found = self.word()
        if found is not None and found[0] == "for":
            after = found[1] + 3
            if not (_EQ.match(self.text, after) or _COLON.match(self.text, after)):
                return self.for_object(start, found[1])
        elements: list[Node | Token] = []
        while True:
            p = self.ws(self.pos)
            if self.at(p) == "}":
                break
            elements.append(self.object_elem())
            self.nl()
            p = self.ws(self.pos)
            if self.at(p) == ",":
                self.pos = p + 1
                self.nl()
        self.pos = p + 1
        return Node("object", elements, start, p + 1)

    def object_elem(self) -> Node:
        found = self.word()
        if found is not None and found[0] in _KEYWORDS:
            word, p = found
            token = self.token(word, p)
            self.pos = token.end_pos
            keyword = Node("keyword", [token], p, token.end_pos)
            key = Node("object_elem_key", [keyword], p, token.end_pos)
        else:
            inner = self.expression()
            key = Node("object_elem_key", [inner], inner.start_pos, inner.end_pos)
        text = self.text
        p = self.ws(self.pos)
        separator = _EQ.match(text, p) or _COLON.match(text, p)
        if separator is None:
            raise self.error("expected '=' or ':'", p)
        self.pos = separator.end()
        value = self.expression()
        return Node("object_elem", [key, value], key.start_pos, value.end_pos)

    def for_intro(self, p: int) -> None:
        """``for k, v in collection :`` (the ``for`` keyword starts at ``p``)."""
        self.pos = p + 3
        self.nl()
        self.plain_name()
        if self.at(self.ws(self.pos)) == ",":
            self.pos = self.ws(self.pos) + 1
            self.plain_name()
            self.nl()
        self.nl()
        found = self.word()
        if found is None or found[0] != "in":
            raise self.error("expected 'in'", self.pos)
        self.pos = found[1] + 2
        self.nl()
        self.expression()
        self.nl()
        colon = _COLON.match(self.text, self.ws(self.pos))
        if colon is None:
            raise self.error("expected ':'", self.pos)
        self.pos = colon.end()
        self.nl()

    def plain_name(self) -> None:
        found = self.word()
        if found is None:
            raise self.error("expected a name", self.pos)
        self.pos = found[1] + len(found[0])

    def for_condition(self) -> None:
        found = self.word()
        if found is not None and found[0] == "if":
            self.pos = found[1] + 2
            self.nl()
            self.expression()
            self.nl()

    def for_tuple(self, start: int, p: int) -> Node:
        self.for_intro(p)
        self.expression()
        self.nl()
        self.for_condition()
        self.nl()
        end = self.expect("]")
        return Node("for_tuple_expr", [], start, end)

    def for_object(self, start: int, p: int) -> Node:
        self.for_intro(p)
        self.expression()
        q = self.ws(self.pos)
        if not self.text.startswith("=>", q):
            raise self.error("expected '=>'", q)
        self.pos = q + 2
        self.nl()
        self.expression()
        self.nl()
        q = self.ws(self.pos)
        if self.text.startswith("...", q):
            self.pos = q + 3
            self.nl()
        self.for_condition()
        self.nl()
        end = self.expect("}")
        return Node("for_object_expr", [], start, end)

    def string(self) -> Node:
        text = self.text
        start = self.pos
        p = start + 1
        parts: list[Node | Token] = []
        while True:
            char = self.at(p)
            if char == '"':
                break
            part: Node | Token
            if char == "$" and text.startswith("${", p):
                self.pos = p + 2
                inner = self.expression()
                end = self.expect("}")
                part = Node("interpolation", [inner], p, end)
            elif char == "$" and text.startswith("$${", p):
                match = _ESCAPED_INTERPOLATION.match(text, p)
                if match is None:
                    raise self.error("unterminated $${", p)
                part = self.token(match.group(), p)
            elif char == "%" and text.startswith("%{", p):
                part = self.directive(p)
            elif char == "%" and text.startswith("%%{", p):
                match = _ESCAPED_DIRECTIVE.match(text, p)
                if match is None:
                    raise self.error("unterminated %%{", p)
                part = self.token(match.group(), p)
            else:
                match = _STRING_CHARS.match(text, p)
                if match is None:
                    raise self.error("unexpected character in a string", p)
                part = self.token(match.group(), p)
                if match.end() == self.n:
                    self.tail = p
            end = part.end_pos
            parts.append(Node("string_part", [part], p, end))
            p = end
        self.pos = p + 1
        return Node("string", parts, start, p + 1)

    def directive(self, p: int) -> Node:
        """``%{ if c }``, ``%{ else }``, ``%{ endif }``, ``%{ for x in xs }``, ``%{ endfor }``."""
        text = self.text
        q = self.ws(p + 2)
        if self.at(q) == "~":
            q = self.ws(q + 1)
        directive = next((entry for entry in _DIRECTIVES if text.startswith(entry[0], q)), None)
        if directive is None:
            raise self.error("expected a template directive", q)
        keyword, kind = directive
        self.pos = q + len(keyword)
        if kind == "template_if_start":
            self.expression()
        elif kind == "template_for_start":
            self.plain_name()
            q = self.ws(self.pos)
            if self.at(q) == ",":
                self.pos = q + 1
                self.plain_name()
            found = self.word()
            if found is None or found[0] != "in":
                raise self.error("expected 'in'", self.pos)
            self.pos = found[1] + 2
            self.expression()
        q = self.ws(self.pos)
        if self.at(q) == "~":
            q = self.ws(q + 1)
        if self.at(q) != "}":
            raise self.error("expected '}'", q)
        self.pos = q + 1
        return Node(kind, [], p, q + 1)
