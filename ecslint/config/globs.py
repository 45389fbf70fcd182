"""Path globs for config keys (exclude, per-file-ignores, suppressions).

``*`` and ``?`` stay within one path segment, ``**`` spans any number of them,
and a pattern without a ``/`` matches a file's name in any directory, as in
``.gitignore``. Paths are matched with forward slashes, relative to the config.
"""

from __future__ import annotations

import re
from functools import cache

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: Tokens of a compiled glob.
_LITERAL, _ONE, _CLASS, _STAR, _ANY, _SEGMENTS = range(6)


class Glob:
    """A glob matched by simulating its automaton: time linear in the path for each token.

    A backtracking regex of ``*a*a*a...`` or of repeated ``**/`` took exponential time
    on a deep path; here every path character is looked at once per token, whatever
    the pattern (state ``2*i`` is at token ``i``; ``2*i+1`` is inside a ``**/``).
    """

    __slots__ = ("tokens",)

    def __init__(self, tokens: list[tuple[int, Any]]) -> None:
        self.tokens = tokens

    def _closure(self, states: set[int]) -> set[int]:
        tokens = self.tokens
        todo = list(states)
        while todo:
            state = todo.pop()
            if state % 2 == 0 and state // 2 < len(tokens):
                kind = tokens[state // 2][0]
                if kind in (_STAR, _ANY, _SEGMENTS) and state + 2 not in states:
                    states.add(state + 2)
                    todo.append(state + 2)
        return states

    def _step(self, states: set[int], char: str) -> set[int]:
        tokens = self.tokens
        after: set[int] = set()
        for state in states:
            index = state // 2
            if index >= len(tokens):
                continue
            kind, value = tokens[index]
            if kind == _SEGMENTS:
                if char == "/":
                    after.add(2 * index + 2)
                after.add(2 * index + 1)
            elif state % 2:
                continue
            elif kind == _LITERAL:
                if char == value:
                    after.add(state + 2)
            elif kind == _ONE:
                if char != "/":
                    after.add(state + 2)
            elif kind == _CLASS:
                if value.match(char):
                    after.add(state + 2)
            elif kind == _STAR:
                if char != "/":
                    after.add(state)
            else:  # _ANY
                after.add(state)
        return self._closure(after)

    def match(self, path: str, parents: bool = False) -> bool:
        """Whether ``path`` matches (or, with ``parents``, any of its parent directories)."""
        accept = 2 * len(self.tokens)
        states = self._closure({0})
        for char in path:
            if parents and char == "/" and accept in states:
                return True
            states = self._step(states, char)
            if not states:
                return False
        return accept in states


@cache
def compile_glob(pattern: str) -> Glob:
    """The glob ``pattern``; :class:`re.error` for a character class that is not one."""
    text = pattern.strip().replace("\\", "/")
    if text.startswith("./"):
        text = text[2:]
    if "/" not in text.rstrip("/"):
        text = "**/" + text
    if text.endswith("/"):
        text += "**"
    tokens: list[tuple[int, Any]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("**/", i):
            if not tokens or tokens[-1][0] != _SEGMENTS:  # **/**/ is **/
                tokens.append((_SEGMENTS, None))
            i += 3
            continue
        if text.startswith("**", i):
            tokens.append((_ANY, None))
            i += 2
            continue
        if char == "*":
            if not tokens or tokens[-1][0] != _STAR:
                tokens.append((_STAR, None))
        elif char == "?":
            tokens.append((_ONE, None))
        elif char == "[":
            end = text.find("]", i + 1)
            if end > i + 1:
                body = text[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                tokens.append((_CLASS, re.compile(f"[{body}]")))  # one character: linear
                i = end + 1
                continue
            tokens.append((_LITERAL, char))
        else:
            tokens.append((_LITERAL, char))
        i += 1
    return Glob(tokens)


def matches(pattern: str, path: str) -> bool:
    """Whether ``path`` (relative, forward slashes) or any parent directory matches."""
    return compile_glob(pattern).match(path, parents=True)
