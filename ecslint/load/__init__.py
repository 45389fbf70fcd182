"""Loading: bytes -> a parsed document with positions -> the task definitions in it."""

from ecslint.load.document import Document
from ecslint.load.parsing import parse
from ecslint.load.shapes import detect_targets
from ecslint.load.source import LoadError, Source, read_source
from ecslint.load.target import NotATaskDefinition, Target

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
