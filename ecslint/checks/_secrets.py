"""Does an environment variable hold a plaintext secret? By name and by value shape.

Kept apart from the check so the two directions (what must be reported, what must
not) can be tested on plain strings. The verdict never contains the value itself:
findings are printed, logged and stored, and must not leak the secret again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from functools import cache

from ecslint.facts.security import (
    AWS_SECRET_KEY,
    NOT_SECRET_QUALIFIERS,
    PLACEHOLDER_PATTERN,
    PLACEHOLDER_VALUES,
    REFERENCE_PREFIXES,
    SECRET_PAIRS,
    SECRET_VALUE_HINT,
    SECRET_VALUE_SHAPES,
    SECRET_WORDS,
)
from ecslint.lazy_re import lazy_re

_CAMEL = lazy_re(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = lazy_re(r"[^A-Za-z0-9]+")
_SUFFIX_WORDS = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY")
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "enabled", "disabled"})
_WORDS = frozenset(SECRET_WORDS)
_PAIRS = frozenset(SECRET_PAIRS)


@cache
def _pattern(text: str) -> re.Pattern[str]:
    """Compiled on first use: most runs never get past the quick tests before them."""
    return re.compile(text)


def tokens(name: str) -> list[str]:
    """DB_PASSWORD, dbPassword and db-password all give ['DB', 'PASSWORD']."""
    return [part.upper() for part in _SPLIT.split(_CAMEL.sub("_", name)) if part]


def secret_word_end(parts: list[str]) -> int | None:
    """Index of the last token of the last secret word in ``parts``, or None."""
    end: int | None = None
    for index, part in enumerate(parts):
        if part in _WORDS or part.endswith(_SUFFIX_WORDS):
            end = index
        if index and (parts[index - 1], part) in _PAIRS:
            end = index
    return end


def name_looks_secret(name: str) -> bool:
    """A secret word not followed by a qualifier that makes it metadata (TOKEN_URL)."""
    return _parts_look_secret(tokens(name))


def _parts_look_secret(parts: list[str]) -> bool:
    end = secret_word_end(parts)
    if end is None:
        return False
    return not any(part in NOT_SECRET_QUALIFIERS for part in parts[end + 1 :])


def value_is_inert(value: str) -> bool:
    """Values that cannot be a secret: empty, placeholders, references, flags, small numbers."""
    text = value.strip()
    if not text:
        return True
    lower = text.lower()
    if lower in PLACEHOLDER_VALUES or lower in _BOOLEANS:
        return True
    if len(set(text)) == 1:  # xxxx, ****, 0000
        return True
    if text.startswith("<") and text.endswith(">"):
        return True
    if PLACEHOLDER_PATTERN.search(text):
        return True
    if lower.startswith(REFERENCE_PREFIXES):
        return True
    if _pattern(r"https?://[^@\s]*").fullmatch(text):  # a URL without credentials
        return True
    return bool(_pattern(r"-?\d{1,5}(\.\d+)?").fullmatch(text))


def value_shape(value: str) -> str | None:
    """What kind of well-known secret ``value`` looks like, whatever its name."""
    if not _pattern(SECRET_VALUE_HINT).search(value):
        return None
    for kind, pattern in SECRET_VALUE_SHAPES:
        match = pattern.search(value)
        if match is None:
            continue
        if kind.startswith("a URL") and value_is_inert(match.group(1)):
            continue
        if PLACEHOLDER_PATTERN.search(value):
            continue
        return kind
    return None


def looks_like_aws_secret_key(value: str) -> bool:
    """40 base64 characters with mixed case (a 40-hex git SHA does not count)."""
    text = value.strip()
    return bool(
        AWS_SECRET_KEY.match(text)
        and re.search(r"[a-z]", text)
        and re.search(r"[A-Z]", text)
        and not re.fullmatch(r"[0-9a-fA-F]{40}", text)
    )


def _squash(text: str) -> str:
    return _pattern(r"[^a-z0-9]").sub("", text.lower())


def allowed(name: str, patterns: Iterable[str]) -> bool:
    upper = name.upper()
    return any(fnmatchcase(upper, str(pattern).upper()) for pattern in patterns)


def verdict(name: str, value: str, key_id_nearby: bool) -> str | None:
    """Why ``name=value`` is a plaintext secret, or None when it is not one."""
    shape = value_shape(value)
    if shape is not None:
        return f"its value has the shape of {shape}"
    parts = tokens(name)
    aws_key = looks_like_aws_secret_key(value) and (
        key_id_nearby or ("SECRET" in parts and "KEY" in parts)
    )
    named = not aws_key and _parts_look_secret(parts)
    if not (aws_key or named):
        return None  # most variables: the costlier value tests below need not run
    if value_is_inert(value) or _squash(value) == _squash(name):  # DD_API_KEY=DD-API-KEY
        return None
    if aws_key:
        return "its value has the shape of an AWS secret access key"
    return "its name says it holds a secret"
