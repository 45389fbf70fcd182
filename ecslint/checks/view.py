"""What a check sees: one task definition, with the facts most rules need."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ecslint.load.target import Target
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

_MISSING = object()


class TaskView:
    """A read-only view of a :class:`Target` for checks.

    Values may be :class:`~ecslint.load.unknown.Unknown`; the helpers here say so
    rather than guess, and :meth:`not_evaluated` is how a check reports that it
    skipped one.
    """

    def __init__(self, target: Target, context: Any = None) -> None:
        self.target = target
        #: What the run knows beyond the file (``ecslint.context.RunContext``), or None.
        self.context = context
        self.task: dict[str, Any] = target.task
        self.shape = target.shape
        self._memo: dict[str, Any] = {}
        definitions = self.task.get("containerDefinitions")
        self._containers: list[tuple[int, dict[str, Any]]] = (
            [(i, d) for i, d in enumerate(definitions) if isinstance(d, dict)]
            if isinstance(definitions, list)
            else []
        )
        #: The keys any container sets (even to null): a check about a key that no
        #: container has can return at once instead of walking the containers.
        self.container_keys: set[Any] = set()
        for _, container in self._containers:
            self.container_keys.update(container)
        self._labels: dict[int, str] = {}
        self._read_task_facts()

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute something once per task definition (shared by several rules)."""
        value: T = self._memo.get(key, _MISSING)
        if value is _MISSING:
            value = self._memo[key] = compute()
        return value

    # --- containers ---------------------------------------------------------------

    def containers(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(index, definition) for every container definition that is an object.

        Every check walks the containers; the list is made once per task definition.
        """
        return iter(self._containers)

    def container_path(self, index: int, *rest: str | int) -> PathParts:
        return ("containerDefinitions", index, *rest)

    def container_label(self, index: int) -> str:
        label = self._labels.get(index)
        if label is None:
            label = self._labels[index] = self._container_label(index)
        return label

    def _container_label(self, index: int) -> str:
        definitions = self.task.get("containerDefinitions")
        if isinstance(definitions, list) and index < len(definitions):
            definition = definitions[index]
            if isinstance(definition, dict) and isinstance(definition.get("name"), str):
                return f"container {definition['name']!r}"
        return f"container #{index}"

    def container_names(self) -> set[str]:
        return {c["name"] for _, c in self.containers() if isinstance(c.get("name"), str)}

    def container_by_name(self, name: str) -> tuple[int, dict[str, Any]] | None:
        for index, container in self.containers():
            if container.get("name") == name:
                return index, container
        return None

    # --- task-level facts ----------------------------------------------------------
    # Read once, in __init__: nearly every check asks for some of them, several times.

    def _read_task_facts(self) -> None:
        compat = _compatibilities(self.task.get("requiresCompatibilities"))
        #: ``requiresCompatibilities`` as a set (empty when not given: EC2 by default).
        self.compatibilities: set[str] | Unknown = compat
        #: Validated for Fargate: FARGATE is required, even beside EC2.
        self.is_fargate: bool = isinstance(compat, set) and "FARGATE" in compat
        self.fargate_unknown: Unknown | None = compat if isinstance(compat, Unknown) else None
        family: str | Unknown = "LINUX"
        platform = self.task.get("runtimePlatform")
        if isinstance(platform, dict):
            value = platform.get("operatingSystemFamily")
            if isinstance(value, (str, Unknown)):
                family = value
        self.os_family: str | Unknown = family
        self.is_windows: bool = isinstance(family, str) and family.startswith("WINDOWS")
        mode = self.task.get("networkMode")
        if not isinstance(mode, (str, Unknown)):
            mode = "default" if self.is_windows else "bridge"
        #: The effective network mode: bridge when omitted (Linux EC2's default).
        self.network_mode: str | Unknown = mode

    # --- reporting -----------------------------------------------------------------

    @staticmethod
    def problem(path: PathParts, message: str) -> Problem:
        return Problem(path, message)

    @staticmethod
    def not_evaluated(path: PathParts, value: Unknown, what: str = "") -> Problem:
        """The check could not decide because ``value`` is unknown until deploy."""
        detail = f" ({what})" if what else ""
        return Problem(path, f"{value.describe()}{detail}", evaluated=False)


def _compatibilities(value: Any) -> set[str] | Unknown:
    if isinstance(value, Unknown):
        return value
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Unknown):
                return item  # the first placeholder hides the whole list
            if isinstance(item, str):
                found.add(item)
    return found
