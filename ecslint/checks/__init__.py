"""The check registry: parameterised Python logic that rules (YAML, in ``rules/``) name.

A check is a generator ``(task: TaskView, params: Mapping) -> Iterable[Problem]``
registered with :func:`check`. Built-in checks live in this package, one module
per concern, and every module here is imported on first use (so a new module
needs no registration); third-party packages register more through the entry-point group
``ecslint.checks`` (each entry point names a module, imported for its
``@check`` decorators, or a callable that takes no arguments and does so).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ecslint.checks.view import TaskView
from ecslint.model import Problem

CheckFn = Callable[[TaskView, Mapping[str, Any]], Iterable[Problem]]
#: A check of any scope: ``task`` checks take a TaskView, ``deployment`` checks a
#: ``ecslint.checks.deployment.ServiceView`` (one service and what it links to).
AnyCheck = Callable[[Any, Mapping[str, Any]], Iterable[Problem]]
F = TypeVar("F", bound=AnyCheck)

#: The scopes a check can declare: what it is run on.
SCOPES = ("task", "deployment")

#: Modules of this package that hold no checks.
_NOT_CHECKS = frozenset({"view"})

_REGISTRY: dict[str, AnyCheck] = {}
_SCOPE: dict[str, str] = {}
_loaded_builtins = False
_loaded_plugins = False


class UnknownCheck(LookupError):
    pass


def check(name: str, scope: str = "task") -> Callable[[F], F]:
    """Register ``fn`` as the check called ``name`` (the name rules use).

    ``scope`` says what the engine runs it on: ``task`` (each task definition, the
    default) or ``deployment`` (each service, with the task definition, load balancers
    and security groups it links to).
    """
    if scope not in SCOPES:
        raise ValueError(f"check {name!r}: unknown scope {scope!r}")

    def register(fn: F) -> F:
        existing = _REGISTRY.get(name)
        if existing is not None and existing is not fn:
            raise ValueError(f"check {name!r} is registered twice")
        _REGISTRY[name] = fn
        _SCOPE[name] = scope
        return fn

    return register


def get_check(name: str) -> AnyCheck:
    _load_builtins()
    if name not in _REGISTRY:
        load_plugins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownCheck(name) from None


def check_scope(name: str) -> str:
    """``task`` or ``deployment``: what the check ``name`` runs on."""
    get_check(name)
    return _SCOPE.get(name, "task")


def all_checks() -> dict[str, AnyCheck]:
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
