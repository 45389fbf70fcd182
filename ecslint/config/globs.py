"""Path globs for config keys (exclude, per-file-ignores, suppressions).

``*`` and ``?`` stay within one path segment, ``**`` spans any number of them,
and a pattern without a ``/`` matches a file's name in any directory, as in
``.gitignore``. Paths are matched with forward slashes, relative to the config.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    text = pattern.strip().replace("\\", "/")
    if text.startswith("./"):
        text = text[2:]
    if "/" not in text.rstrip("/"):
        text = "**/" + text
    if text.endswith("/"):
        text += "**"
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if text.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = text.find("]", i + 1)
            if end > i + 1:
                body = text[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
                continue
            out.append(re.escape(char))
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


def matches(pattern: str, path: str) -> bool:
    """Whether ``path`` (relative, forward slashes) or any parent directory matches."""
    regex = compile_glob(pattern)
    if regex.match(path):
        return True
    parts = path.split("/")
    return any(regex.match("/".join(parts[:n])) for n in range(1, len(parts)))
