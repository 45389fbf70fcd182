"""Loading: bytes -> a parsed document with positions -> the task definitions in it."""

from ecslint.load.document import Document, parse
from ecslint.load.shapes import NotATaskDefinition, Target, detect_targets
from ecslint.load.source import LoadError, Source, read_source

__all__ = [
    "Document",
    "LoadError",
    "NotATaskDefinition",
    "Source",
    "Target",
    "detect_targets",
    "parse",
    "read_source",
]
