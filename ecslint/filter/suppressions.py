"""Suppressions written in the task definition itself, where AWS keeps them.

Task definitions have no comments, so a suppression rides on fields that survive
registration: a task tag ``ecslint:ignore:<rule>`` (the whole task definition)
or a container docker label ``ecslint.ignore.<rule>`` (that container). The
value is the reason; ``<rule>`` is an id, an id prefix or a slug, as everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.load.target import Target
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

TAG_PREFIX = "ecslint:ignore:"
LABEL_PREFIX = "ecslint.ignore."


class InlineSuppression:
    """A suppression written in the task definition: a task tag or a container label."""

    __slots__ = (
        "container",
        "key_path",
        "kind",
        "reason",
        "scope",
        "selector",
        "used",
        "value_path",
    )

    def __init__(
        self,
        kind: str,
        selector: str,
        reason: str,
        key_path: PathParts,
        value_path: PathParts,
        scope: PathParts,
        container: str | None = None,
    ) -> None:
        #: "tag" or "label".
        self.kind = kind
        self.selector = selector
        self.reason = reason
        #: Task paths of the key and of the value (the value's is the key's for a map entry).
        self.key_path = key_path
        self.value_path = value_path
        #: Document pointer prefix of what it covers: the task definition or one container.
        self.scope = scope
        self.container = container
        self.used = False


def _reason(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.text.strip()
    return value.strip() if isinstance(value, str) else ""


def find_suppressions(target: Target) -> Iterator[InlineSuppression]:
    """Every suppression tag and label of ``target``, in file order."""
    if target.shape == "aws-service":
        # A service read by scan --aws: its task definition's tags and labels belong to
        # that task definition, linted (and suppressed) as a source of its own.
        return
    task = target.task
    scope = target.locate(())
    tags = task.get("tags")
    if isinstance(tags, list):
        for i, tag in enumerate(tags):
            if isinstance(tag, dict) and isinstance(tag.get("key"), str):
                key = tag["key"]
                if key.lower().startswith(TAG_PREFIX):
                    yield InlineSuppression(
                        "tag",
                        key[len(TAG_PREFIX) :].strip(),
                        _reason(tag.get("value")),
                        ("tags", i, "key"),
                        ("tags", i, "value") if "value" in tag else ("tags", i),
                        scope,
                    )
    elif isinstance(tags, dict):  # Terraform and other map-shaped sources
        for key, value in tags.items():
            if isinstance(key, str) and key.lower().startswith(TAG_PREFIX):
                entry: PathParts = ("tags", key)
                yield InlineSuppression(
                    "tag", key[len(TAG_PREFIX) :].strip(), _reason(value), entry, entry, scope
                )
    definitions = task.get("containerDefinitions")
    if not isinstance(definitions, list):
        return
    for index, container in enumerate(definitions):
        if not isinstance(container, dict) or not isinstance(container.get("dockerLabels"), dict):
            continue
        name = container.get("name") if isinstance(container.get("name"), str) else None
        for key, value in container["dockerLabels"].items():
            if isinstance(key, str) and key.lower().startswith(LABEL_PREFIX):
                label: PathParts = ("containerDefinitions", index, "dockerLabels", key)
                yield InlineSuppression(
                    "label",
                    key[len(LABEL_PREFIX) :].strip(),
                    _reason(value),
                    label,
                    label,
                    target.locate(("containerDefinitions", index)),
                    name,
                )
