"""The ``json-schema`` check: a JSON Schema fragment applied to the task or to each container.

It lets a team write a policy as data (a custom rule in the config) instead of
Python. Params: ``target`` (``task`` or ``container``), ``schema`` (a JSON Schema,
draft 2020-12 unless it names another ``$schema``) and ``message`` (what to
report; ``{container}`` and ``{error}`` are filled in). A value that is a
placeholder is never judged: a failure that depends on one is "not evaluated".
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache

from ecslint.checks import Param, check
from ecslint.checks.view import TaskView
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

TARGETS = ("task", "container")
_VALIDATORS: dict[str, Any] = {}


def validate_params(params: Mapping[str, Any]) -> str | None:
    """Why ``params`` cannot configure this check, or None when they can."""
    unknown = sorted(set(params) - {"target", "schema", "message"})
    if unknown:
        return f"unknown param {unknown[0]!r} (json-schema takes target, schema, message)"
    if params.get("target", "task") not in TARGETS:
        return f"target must be task or container, not {params.get('target')!r}"
    schema = params.get("schema")
    if not isinstance(schema, (dict, bool)):
        return "schema must be a JSON Schema (a mapping)"
    if not isinstance(params.get("message", ""), str):
        return "message must be a string"
    from jsonschema import (  # type: ignore[import-untyped,unused-ignore]
        SchemaError,
        validators,
    )

    cls = validators.validator_for(schema, default=validators.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except SchemaError as exc:
        return f"schema is not a valid JSON Schema: {exc.message}"
    except RecursionError:
        return "schema is nested too deeply"
    return _refs_problem(schema) or _patterns_problem(schema)


def _subschemas(schema: Any) -> Iterator[tuple[str, Any]]:
    """(key, value) of every member of every mapping in ``schema``; iterative."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                yield str(key), value
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


#: The base URI of a rule's schema: $refs resolve inside it, never on the network or disk.
_BASE = "urn:ecslint:custom-rule"


def _registry(schema: Any) -> Any:
    """A registry that holds ``schema`` alone and retrieves nothing.

    jsonschema's default fetches a ``$ref`` it does not hold over HTTP (and ``file://``
    from disk), even in an unused ``anyOf`` branch, and puts what it read in messages.
    """
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(schema, default_specification=DRAFT202012)
    return Registry().with_resource(_BASE, resource)


def _refs_problem(schema: Any) -> str | None:
    """A ``$ref`` that does not point inside the rule's schema, or does not resolve."""
    from referencing.exceptions import Unresolvable

    if isinstance(schema, dict) and "$id" in schema:
        return "schema must not set $id: its $refs resolve inside the rule ('#/...')"
    resolver = None
    for key, value in _subschemas(schema):
        if key not in ("$ref", "$dynamicRef") or not isinstance(value, str):
            continue
        if not value.startswith("#"):
            return (
                f"{key} {value!r} points outside the rule: a custom rule's schema resolves "
                "$refs inside itself only ('#/$defs/...'), never on the network or disk"
            )
        if resolver is None:
            resolver = _registry(schema).resolver(base_uri=_BASE)
        try:
            resolver.lookup(value)
        except (Unresolvable, LookupError, ValueError, TypeError):
            return f"{key} {value!r} does not resolve inside the rule's schema"
    return None


def _patterns_problem(schema: Any) -> str | None:
    """A ``pattern`` (or ``patternProperties`` key) that the linear-time matcher cannot run."""
    for key, value in _subschemas(schema):
        patterns = [value] if key == "pattern" and isinstance(value, str) else []
        if key == "patternProperties" and isinstance(value, dict):
            patterns = [str(name) for name in value]
        for pattern in patterns:
            try:
                _compiled(pattern)
            except Exception as exc:  # re2.error, or re.error without re2
                return f"pattern {pattern!r} cannot be used: {exc}"
    return None


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> Any:
    """``pattern`` for RE2 (google-re2), which matches in linear time.

    A backtracking regex such as ``^(a+)+$`` hung on a 41-character image; RE2 has
    no backtracking (nor backreferences or lookaround, which are refused up front).
    Without the google-re2 package (a dependency of ecslint), Python's re is used.
    """
    try:
        import re2  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        import re as re2
    return re2.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError  # type: ignore[import-untyped,unused-ignore]

    if validator.is_type(instance, "string") and _compiled(pattern).search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, properties: dict[str, Any], instance: Any, schema: Any
) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in properties.items():
        regex = _compiled(pattern)
        for key, value in instance.items():
            if regex.search(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _validator(schema: Any) -> Any:
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _VALIDATORS.get(key)
    if validator is None:
        from jsonschema import validators  # type: ignore[import-untyped,unused-ignore]

        cls = validators.validator_for(schema, default=validators.Draft202012Validator)
        cls = validators.extend(
            cls, {"pattern": _pattern, "patternProperties": _pattern_properties}
        )
        validator = _VALIDATORS[key] = cls(schema, registry=_registry(schema))
    return validator


def _plain(value: Any, path: PathParts, unknown: set[PathParts]) -> Any:
    """``value`` with each Unknown replaced by its text; records where they were."""
    if isinstance(value, Unknown):
        unknown.add(path)
        return value.text
    if isinstance(value, dict):
        return {key: _plain(item, (*path, key), unknown) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item, (*path, index), unknown) for index, item in enumerate(value)]
    return value


def _undecidable(error: Any, unknown: set[PathParts]) -> bool:
    """Whether ``error`` may be due to a placeholder rather than the real value."""
    path = tuple(error.absolute_path)
    if path in unknown:
        return True
    if error.validator in ("not", "contains", "anyOf", "oneOf") and any(
        candidate[: len(path)] == path for candidate in unknown
    ):
        return True
    return any(_undecidable(sub, unknown) for sub in error.context or ())


def _error_path(error: Any) -> PathParts:
    path: PathParts = tuple(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [key for key in error.validator_value if key not in error.instance]
        if missing:
            return (*path, missing[0])
    return path


@check(
    "json-schema",
    params={
        "target": Param(str, "task", "What the schema applies to.", TARGETS),
        "schema": Param(object, True, "A JSON Schema (draft 2020-12 unless it names another)."),
        "message": Param(str, "", "What to report; {container} and {error} are filled in."),
    },
    validate=lambda params: validate_params(params),
)
def json_schema(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    schema = params.get("schema", True)
    validator = _validator(schema)
    message = str(params.get("message") or "does not match the rule's schema: {error}")
    if params.get("target", "task") == "container":
        subjects: list[tuple[PathParts, Any, str]] = [
            (task.container_path(index), container, task.container_label(index))
            for index, container in task.containers()
        ]
    else:
        subjects = [((), task.task, "")]
    for base, value, label in subjects:
        unknown: set[PathParts] = set()
        instance = _plain(value, (), unknown)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path)))
        decided = [error for error in errors if not _undecidable(error, unknown)]
        if decided:
            error = decided[0]
            text = message.replace("{error}", error.message).replace("{container}", label)
            yield task.problem((*base, *_error_path(error)), text)
        elif errors:
            error = errors[0]
            path = (*base, *_error_path(error))
            if tuple(error.absolute_path) in unknown:
                detail = f"{error.instance!r} is a placeholder"
            else:
                detail = f"a placeholder decides whether it matches ({error.message})"
            yield Problem(path, detail, evaluated=False)
