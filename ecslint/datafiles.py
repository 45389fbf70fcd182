"""Where the shipped data lives: ``rules/`` and ``schemas/``.

In a wheel they are package data under ``ecslint/_data``; in a checkout (or an
editable install) they are the top-level folders. Both behave the same.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    package = Path(__file__).resolve().parent
    installed = package / "_data" / name
    if installed.is_dir():
        return installed
    return package.parent / name


def rules_dir() -> Path:
    return data_dir("rules")


def schemas_dir() -> Path:
    return data_dir("schemas")
