"""The targeted JSON locator agrees with the full position index on every path."""

from __future__ import annotations

import json

import pytest

from ecslint.load.positions import JsonLocator, index_json, unpack
from tests.conftest import CORPUS, needs_corpus


def _agree(text: str) -> int:
    index = index_json(text)
    locator = JsonLocator(text)
    checked = 0
    for path, packed in index.values.items():
        offsets, found = locator.value(path)
        assert found == len(path), path
        assert offsets == unpack(packed), path
        checked += 1
    for path, packed in index.keys.items():
        if path in {p for p, _ in index.duplicates}:
            continue  # the index keeps the first key's place, JSON the last value
        assert locator.key(path) == unpack(packed), path
    return checked


def test_locator_on_a_hand_written_document() -> None:
    text = '{\n  "a" : [1, {"b": "x\\"y", "c": []}],\n  "d\\u00e9": {"e": null},\n  "f": -1.5e3 }'
    assert _agree(text) > 5
    locator = JsonLocator(text)
    offsets, found = locator.value(("a", 1, "missing"))
    assert found == 2
    assert text[offsets[0]] == "{"


@needs_corpus()
def test_locator_agrees_with_the_index_on_the_corpus() -> None:
    checked = 0
    for path in sorted((CORPUS / "taskdef").iterdir()):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            json.loads(text)
        except ValueError:
            continue
        checked += _agree(text)
    assert checked > 5000


@pytest.mark.parametrize("text", ["[]", "{}", " 3 ", '"s"', "[[],[[]]]"])
def test_locator_on_small_documents(text: str) -> None:
    _agree(text)
