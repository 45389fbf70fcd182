"""A fast yes/no answer to "is this valid against the schema?", for the common case.

Most task definitions are valid. Proving that with jsonschema costs its import
(about 70 ms, as much as the rest of a cold run) and a few hundred microseconds
per task definition; this module proves it in a few tens, for the handful of
keywords the generated schema uses. It never produces an error message: when it
says "not valid" (or meets a keyword it does not implement, and so cannot
decide) the caller runs real jsonschema validation, which is the only source of
reported problems. ``tests/test_schema.py`` checks that both agree on the corpus
and on mutated copies of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

Check = Callable[["Any"], bool]

#: Keywords that only annotate; they never change validity.
ANNOTATIONS = frozenset(
    {
        "description",
        "patternErrorMessage",
        "title",
        "$comment",
        "x-ecslint-reported-by",
        "x-ecslint-required-reported-by",
        "x-ecslint-null-reported-by",
    }
)
_SUPPORTED = ANNOTATIONS | {
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "allOf",
}

_TYPES: dict[str, Check] = {
    # the same type rules as the validator ecslint.schema builds (integers are never bools
    # or floats, as botocore has it)
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: type(v) is int,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


class Unsupported(Exception):
    """The schema uses a keyword this module does not implement."""


def compile_check(schema: Mapping[str, Any] | bool) -> Check:
    """A function telling whether a value is valid against ``schema``.

    Raises :class:`Unsupported` for a schema it cannot decide exactly. Sub-schemas
    of properties and items are compiled on first use, so a run pays only for the
    parts of the schema its task definitions use.
    """
    _check_supported(schema)
    return _compile(schema)


def _check_supported(schema: Any) -> None:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, bool):
            continue
        if not isinstance(node, Mapping):
            raise Unsupported(repr(node))
        unknown = set(node) - _SUPPORTED
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        if "enum" in node and not all(isinstance(item, str) for item in node["enum"]):
            raise Unsupported("enum of non-strings")
        stack.extend((node.get("properties") or {}).values())
        stack.extend(node.get("allOf") or ())
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), (Mapping, bool)):
                stack.append(node[key])


def _lazy(schema: Mapping[str, Any] | bool) -> Check:
    compiled: list[Check] = []

    def check(value: Any) -> bool:
        if not compiled:
            compiled.append(_compile(schema))
        return compiled[0](value)

    return check


def _lazy_table(schemas: Mapping[str, Any]) -> Callable[[str], Check | None]:
    """The check of ``schemas[key]``, compiled on first use, without a wrapper per call."""
    compiled: dict[str, Check] = {}

    def lookup(key: str) -> Check | None:
        check = compiled.get(key)
        if check is None and key in schemas:
            check = compiled[key] = _compile(schemas[key])
        return check

    return lookup


def _compile(schema: Mapping[str, Any] | bool) -> Check:
    if schema is True:
        return lambda value: True
    if schema is False:
        return lambda value: False
    if not isinstance(schema, Mapping):
        raise Unsupported(repr(schema))
    checks: list[Check] = []
    kind = schema.get("type")
    if kind is not None:
        names = [kind] if isinstance(kind, str) else list(kind)
        type_checks = [_TYPES[name] for name in names]
        if len(type_checks) == 1:
            checks.append(type_checks[0])
        else:
            checks.append(lambda v: any(check(v) for check in type_checks))
    if "enum" in schema:
        checks.append(_enum(schema["enum"]))
    checks.extend(_string_checks(schema))
    checks.extend(_number_checks(schema))
    checks.extend(_array_checks(schema))
    if any(key in schema for key in ("properties", "additionalProperties", "required")):
        checks.append(_object_check(schema))
    for part in schema.get("allOf") or ():
        checks.append(_compile(part))
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    return _all_of(checks)


def _all_of(checks: list[Check]) -> Check:
    """Every check passes; a plain loop (this runs for every value of every task)."""

    def check(value: Any) -> bool:
        for one in checks:  # noqa: SIM110 - all() would build a generator per value
            if not one(value):
                return False
        return True

    return check


def _enum(values: list[Any]) -> Check:
    allowed = frozenset(values)
    return lambda v: isinstance(v, str) and v in allowed


def _string_checks(schema: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
    if "minLength" in schema:
        low = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= low)
    if "maxLength" in schema:
        high = schema["maxLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) <= high)
    return checks


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number_checks(schema: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda v: not _is_number(v) or v >= low)
    if "maximum" in schema:
        high = schema["maximum"]
        checks.append(lambda v: not _is_number(v) or v <= high)
    return checks


def _array_checks(schema: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "minItems" in schema:
        low = schema["minItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) >= low)
    if "maxItems" in schema:
        high = schema["maxItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) <= high)
    if "items" in schema:
        item = _lazy(schema["items"])

        def each(value: Any) -> bool:
            if isinstance(value, list):
                for element in value:
                    if not item(element):
                        return False
            return True

        checks.append(each)
    return checks


def _object_check(schema: Mapping[str, Any]) -> Check:
    property_check = _lazy_table(schema.get("properties") or {})
    extra = schema.get("additionalProperties", True)
    extra_check = _lazy(extra) if isinstance(extra, (Mapping, bool)) and extra is not True else None
    required = tuple(schema.get("required") or ())

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key in required:
            if key not in value:
                return False
        for key, item in value.items():
            sub = property_check(key) if isinstance(key, str) else None
            if sub is not None:
                if not sub(item):
                    return False
            elif extra_check is not None and not extra_check(item):
                return False
        return True

    return check
