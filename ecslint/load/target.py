"""A task definition found in a document, and where it sits in it.

The one type every format adapter builds (:class:`Target`), apart from the detector
table in :mod:`ecslint.load.shapes` that chooses the adapter, so that adapters and
the table do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable

from ecslint.load.document import Document
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: Fields that only describe-task-definition output (or a console export) carries.
READ_ONLY_FIELDS = frozenset(
    {
        "taskDefinitionArn",
        "revision",
        "status",
        "requiresAttributes",
        "compatibilities",
        "registeredAt",
        "registeredBy",
        "deregisteredAt",
        "deleteRequestedAt",
    }
)


class Target:
    """One task definition to lint."""

    __slots__ = (
        "base",
        "contract",
        "document",
        "followed",
        "label",
        "load_problems",
        "notes",
        "origins",
        "plain",
        "remap",
        "shape",
        "task",
        "variants",
    )

    def __init__(
        self,
        document: Document,
        task: dict[str, Any],
        shape: str,
        base: PathParts = (),
        label: str | None = None,
        remap: Callable[[PathParts], PathParts] | None = None,
    ) -> None:
        self.document = document
        self.task = task
        #: register | describe | export, and what later adapters add.
        self.shape = shape
        #: Where the task definition sits in the document.
        self.base = base
        #: A name for the task definition other than its family (a resource address).
        self.label = label
        #: Maps a path in ``task`` to a path in the document, where it is not ``base + path``.
        self.remap = remap
        self.notes: list[str] = []
        #: Where a value resolved at load time came from ("from parameter X's default").
        self.origins: dict[PathParts, str] = {}
        #: Only JSON values (parsed JSON, no placeholders): validated as it is, no copy.
        self.plain = False
        #: What the input's own engine rejects (CloudFormation's or Terraform's schema),
        #: found while loading, by schema kind; the schema rules report it.
        self.contract: dict[str, list[Problem]] = {}
        #: Document path -> the file a value there was read from (Terraform's file()):
        #: a finding below that path is located in that file.
        self.followed: dict[PathParts, Document] = {}
        #: What could not be read while loading (a file() of a missing file): ECS004.
        self.load_problems: list[Problem] = []
        #: Each deployment the input can make of it ("IsProd is true", target): a
        #: CloudFormation Fn::If is linted branch by branch. Empty: the target is linted.
        self.variants: list[tuple[str, Target]] = []

    def origin(self, parts: PathParts) -> str | None:
        """Where the value at ``parts`` (or the value that holds it) was resolved from."""
        for end in range(len(parts), -1, -1):
            found = self.origins.get(parts[:end])
            if found is not None:
                return found
        return None

    def locate(self, parts: PathParts) -> PathParts:
        if self.remap is not None:
            return self.remap(parts)
        return self.base + parts

    @property
    def family(self) -> str | None:
        family = self.task.get("family")
        return family if isinstance(family, str) else None


class NotATaskDefinition(Exception):
    """The document parsed, but holds no task definition; it is skipped with this note."""
