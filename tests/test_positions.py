"""The targeted JSON locator agrees with the full position index on every path."""

from __future__ import annotations

import json

import pytest

from ecslint.load.positions import JsonLocator, index_json, unpack
from tests.conftest import CORPUS, needs_corpus


def _agree(text: str) -> int:
    index = index_json(text)
    locator = JsonLocator(text, complete=bool(index.duplicates))  # as Document does
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


def test_locator_reads_only_up_to_the_member_asked_for_yet_finds_later_ones() -> None:
    text = '{"a": [1, 2], "b": {"c": {"d": 1}}, "e": "x", "a": 7}'
    locator = JsonLocator(text)
    assert locator.value(("b", "c", "d")) == ((text.index("1}}"), text.index("1}}") + 1), 3)
    assert locator.value(("e",))[0] == (text.index('"x"'), text.index('"x"') + 3)
    assert locator.value(("a", 1)) == ((text.index("2"), text.index("2") + 1), 2)
    assert locator.value(("a", 5)) == ((text.index("[1"), text.index("2]") + 2), 1)
    # with a key written twice, only complete reading finds the value JSON keeps
    assert JsonLocator(text, complete=True).value(("a",))[0] == (len(text) - 2, len(text) - 1)


@pytest.mark.parametrize("text", ["[]", "{}", " 3 ", '"s"', "[[],[[]]]"])
def test_locator_on_small_documents(text: str) -> None:
    _agree(text)
