"""The check registry: parameterised Python logic that rules (YAML, in ``rules/``) name.

A check is a generator ``(task: TaskView, params: Mapping) -> Iterable[Problem]``
registered with :func:`check`, which also declares the params it takes
(:class:`Param`: type, default, meaning); a rule's YAML gives params only where it
differs from those defaults. Built-in checks live in this package, one module
per concern, and every module here is imported on first use (so a new module
needs no registration); third-party packages register more through the entry-point group
``ecslint.checks`` (each entry point names a module, imported for its
``@check`` decorators, or a callable that takes no arguments and does so).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping

from ecslint.checks.view import TaskView
from ecslint.model import Problem
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TypeVar

    CheckFn = Callable[[TaskView, Mapping[str, Any]], Iterable[Problem]]
    #: A check of any scope: ``task`` checks take a TaskView, ``deployment`` checks a
    #: ``ecslint.checks.deployment.ServiceView`` (one service and what it links to).
    AnyCheck = Callable[[Any, Mapping[str, Any]], Iterable[Problem]]
    F = TypeVar("F", bound=AnyCheck)


#: The scopes a check can declare: what it is run on.
SCOPES = ("task", "deployment")

#: Modules of this package that hold no checks.
_NOT_CHECKS = frozenset({"view"})

#: The types a declared param may have, with the names messages and rule pages use.
TYPE_NAMES: dict[object, str] = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "list of strings",
    object: "any value",
}


class Param(Record):
    """A param a check takes: its type, its default, and what it means.

    ``kind`` is ``bool``, ``int``, ``float``, ``str``, ``list`` (of strings) or
    ``object`` (anything, validated by the check's own ``validate``). A default of
    None means "not set" and is also accepted as a value; ``choices`` limits a
    string (or each string of a list) to those values.
    """

    kind: type
    default: Any
    doc: str
    choices: tuple[str, ...] | None = None

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not a value of this param, or None."""
        if value is None and self.default is None:
            return None
        if self.kind is object:
            return None
        if self.kind is bool:
            good = isinstance(value, bool)
        elif self.kind is int:
            good = isinstance(value, int) and not isinstance(value, bool)
        elif self.kind is float:
            good = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif self.kind is list:
            good = isinstance(value, list) and all(isinstance(item, str) for item in value)
        else:
            good = isinstance(value, self.kind)
        if not good:
            name = self.type_name
            return f"must be {'an' if name[0] in 'aeiou' else 'a'} {name}, not {_value_type(value)}"
        if self.choices is not None:
            for item in value if isinstance(value, list) else [value]:
                if item not in self.choices:
                    return f"{item!r} is not one of: {', '.join(self.choices)}"
        return None

    @property
    def type_name(self) -> str:
        name = TYPE_NAMES[self.kind]
        return f"{name} or null" if self.default is None else name


def _value_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(
        type(value), "list" if isinstance(value, list) else "mapping"
    )


class CheckSpec(Record):
    """A registered check: its function, the params it declares, and its scope.

    ``params`` is None for a plugin's check that declares none (its params are its
    own business); a built-in check that declares none takes none. ``validate``, when
    given, judges the params as a whole (json-schema checks that its schema is one).
    """

    fn: AnyCheck
    params: Mapping[str, Param] | None
    validate: Callable[[Mapping[str, Any]], str | None] | None = None
    #: What the engine runs it on: ``task`` or ``deployment`` (see :func:`check`).
    scope: str = "task"

    def with_defaults(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """``given`` over the declared defaults: what the check is called with."""
        if not self.params:
            return dict(given)
        return {**{name: p.default for name, p in self.params.items()}, **given}


_REGISTRY: dict[str, CheckSpec] = {}
_loaded_builtins = False
_loaded_plugins = False


class UnknownCheck(LookupError):
    pass


def check(
    name: str,
    scope: str = "task",
    params: Mapping[str, Param] | None = None,
    validate: Callable[[Mapping[str, Any]], str | None] | None = None,
) -> Callable[[F], F]:
    """Register ``fn`` as the check called ``name`` (the name rules use), taking ``params``.

    ``scope`` says what the engine runs it on: ``task`` (each task definition, the
    default) or ``deployment`` (each service, with the task definition, load balancers
    and security groups it links to).
    """
    if scope not in SCOPES:
        raise ValueError(f"check {name!r}: unknown scope {scope!r}")

    def register(fn: F) -> F:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.fn is not fn:
            raise ValueError(f"check {name!r} is registered twice")
        declared = params
        if declared is None and fn.__module__.startswith(f"{__name__}."):
            declared = {}
        _REGISTRY[name] = CheckSpec(fn, declared, validate, scope)
        return fn

    return register


def get_check(name: str) -> AnyCheck:
    return get_spec(name).fn


def get_spec(name: str) -> CheckSpec:
    _load_builtins()
    if name not in _REGISTRY:
        load_plugins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownCheck(name) from None


def check_scope(name: str) -> str:
    """``task`` or ``deployment``: what the check ``name`` runs on."""
    return get_spec(name).scope


def all_checks() -> dict[str, AnyCheck]:
    return {name: spec.fn for name, spec in all_specs().items()}


def all_specs() -> dict[str, CheckSpec]:
    _load_builtins()
    load_plugins()
    return dict(_REGISTRY)


def _load_builtins() -> None:
    global _loaded_builtins
    if not _loaded_builtins:
        _loaded_builtins = True
        import os

        # A listing, not pkgutil.iter_modules: that imports inspect, ~10 ms of start-up.
        for directory in __path__:
            for file in sorted(os.listdir(directory)):
                module, suffix = os.path.splitext(file)
                if suffix == ".py" and module not in _NOT_CHECKS and not module.startswith("_"):
                    importlib.import_module(f"{__name__}.{module}")


def load_plugins() -> None:
    """Import the checks that installed packages declare under ``ecslint.checks``."""
    global _loaded_plugins
    if _loaded_plugins:
        return
    _loaded_plugins = True
    from importlib.metadata import entry_points

    for entry in entry_points(group="ecslint.checks"):
        loaded = entry.load()
        if callable(loaded) and not isinstance(loaded, type(importlib)):
            loaded()
