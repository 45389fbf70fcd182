"""Shared by the fuzz targets: how a fuzz input picks its file name."""

from __future__ import annotations

#: The first byte of an input picks the name the loader sees, so one corpus
#: exercises both parsers and the content sniffing of suffix-less names.
SUFFIXES = ("taskdef.json", "taskdef.yaml", "taskdef", "taskdef.yml")


def split_input(data: bytes) -> tuple[str, bytes]:
    if not data:
        return SUFFIXES[0], data
    return SUFFIXES[data[0] % len(SUFFIXES)], data[1:]
