"""The errors of a JSON Schema validation, for the keywords ecslint's generated schemas use.

Importing jsonschema (with referencing, attrs and jsonschema_specifications) costs
more instructions than the whole rest of a one-file run, and the task-definition
schema uses a dozen keywords of JSON Schema 2020-12. This module yields, for those
keywords, the errors jsonschema's ``Draft202012Validator.iter_errors`` yields (with
integers that are never bools or floats, as botocore has it): the same keywords, in
the same order, at the same paths, with the same instances and schema values.

jsonschema stays the reference: ``tests/test_schema.py`` compares both on the
corpus and on mutated copies of it, and :func:`supports` sends a schema with any
other keyword to jsonschema (as it does a user's custom-rule schema).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecslint.schema.quick import ANNOTATIONS

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: Keywords that only annotate (the quick check's list), or that the compiled schema never holds.
_IGNORED = ANNOTATIONS | {"$schema", "default", "examples"}
_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "additionalProperties",
        "patternProperties",
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
)


class SchemaError:
    """One error, with the attributes of ``jsonschema.ValidationError`` that ecslint reads."""

    __slots__ = ("absolute_path", "instance", "message", "schema", "validator", "validator_value")

    context: tuple[()] = ()

    def __init__(
        self, keyword: str, value: Any, instance: Any, schema: dict[str, Any], message: str
    ) -> None:
        self.validator = keyword
        self.validator_value = value
        self.instance = instance
        self.schema = schema
        self.message = message
        self.absolute_path: tuple[str | int, ...] = ()

    def __repr__(self) -> str:
        return f"<SchemaError {self.validator} at {list(self.absolute_path)}: {self.message}>"


def supports(schema: Any) -> bool:
    """Whether every keyword in ``schema`` (a compiled schema, no ``$ref``) is one of ours."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    for keyword, value in schema.items():
        if keyword in _IGNORED:
            continue
        if keyword not in _KEYWORDS:
            return False
        if keyword in ("properties", "patternProperties"):
            if not isinstance(value, dict) or not all(supports(s) for s in value.values()):
                return False
        elif keyword == "allOf":
            if not isinstance(value, list) or not all(supports(s) for s in value):
                return False
        elif keyword in ("additionalProperties", "items") and not supports(value):
            return False
    return True


class Validator:
    """``iter_errors(instance)`` for one compiled schema that :func:`supports`."""

    __slots__ = ("schema",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema

    def iter_errors(self, instance: Any) -> Iterator[SchemaError]:
        return _errors(instance, self.schema, ())


def _errors(instance: Any, schema: Any, path: tuple[str | int, ...]) -> Iterator[SchemaError]:
    if schema is True:
        return
    if schema is False:
        error = SchemaError(
            "false", False, instance, {}, f"False schema does not allow {instance!r}"
        )
        error.absolute_path = path
        yield error
        return
    for keyword, value in schema.items():
        check = _CHECKS.get(keyword)
        if check is None:
            continue
        for error in check(value, instance, schema, path):
            if not error.absolute_path:
                error.absolute_path = path
            yield error


# Each keyword: (its value, the instance, the schema holding it, the instance's path).
# A nested error carries its own path; an error of the keyword itself gets ``path``.


def _type(value: Any, instance: Any, schema: dict[str, Any], path: Any) -> Iterator[SchemaError]:
    types = [value] if isinstance(value, str) else value
    if not any(is_type(instance, name) for name in types):
        shown = ", ".join(repr(name) for name in types)
        yield SchemaError("type", value, instance, schema, f"{instance!r} is not of type {shown}")


def _properties(
    value: dict[str, Any], instance: Any, schema: dict[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if not isinstance(instance, dict):
        return
    for name, subschema in value.items():
        if name in instance:
            yield from _errors(instance[name], subschema, (*path, name))


def _pattern_properties(
    value: dict[str, Any], instance: Any, schema: dict[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if not isinstance(instance, dict):
        return
    for pattern, subschema in value.items():
        for key, item in instance.items():
            if re.search(pattern, key):
                yield from _errors(item, subschema, (*path, key))


def _additional_properties(
    value: Any, instance: Any, schema: dict[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if not isinstance(instance, dict):
        return
    properties = schema.get("properties", {})
    patterns = "|".join(schema.get("patternProperties", {}))
    extras = [
        key
        for key in instance
        if key not in properties and not (patterns and re.search(patterns, key))
    ]
    if isinstance(value, dict):
        for key in extras:
            yield from _errors(instance[key], value, (*path, key))
    elif not value and extras:
        ordered = sorted(extras, key=str)
        if "patternProperties" in schema:
            verb = "does" if len(ordered) == 1 else "do"
            joined = ", ".join(repr(each) for each in ordered)
            regexes = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            message = f"{joined} {verb} not match any of the regexes: {regexes}"
        else:
            verb = "was" if len(ordered) == 1 else "were"
            message = (
                "Additional properties are not allowed "
                f"({', '.join(repr(each) for each in ordered)} {verb} unexpected)"
            )
        yield SchemaError("additionalProperties", value, instance, schema, message)


def _required(
    value: list[str], instance: Any, schema: dict[str, Any], path: Any
) -> Iterator[SchemaError]:
    if not isinstance(instance, dict):
        return
    for name in value:
        if name not in instance:
            yield SchemaError(
                "required", value, instance, schema, f"{name!r} is a required property"
            )


def _items(
    value: Any, instance: Any, schema: dict[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if not isinstance(instance, list):
        return
    for index, item in enumerate(instance):
        yield from _errors(item, value, (*path, index))


def _enum(
    value: list[Any], instance: Any, schema: dict[str, Any], path: Any
) -> Iterator[SchemaError]:
    if all(not equal(each, instance) for each in value):
        yield SchemaError("enum", value, instance, schema, f"{instance!r} is not one of {value!r}")


def _pattern(value: str, instance: Any, schema: dict[str, Any], path: Any) -> Iterator[SchemaError]:
    if isinstance(instance, str) and not re.search(value, instance):
        yield SchemaError(
            "pattern", value, instance, schema, f"{instance!r} does not match {value!r}"
        )


def _bound(keyword: str, words: str, beyond: Any) -> Any:
    def check(
        value: Any, instance: Any, schema: dict[str, Any], path: Any
    ) -> Iterator[SchemaError]:
        if is_type(instance, "number") and beyond(instance, value):
            yield SchemaError(
                keyword, value, instance, schema, f"{instance!r} is {words} {value!r}"
            )

    return check


def _size(keyword: str, kind: type, too_few: bool) -> Any:
    def check(
        value: Any, instance: Any, schema: dict[str, Any], path: Any
    ) -> Iterator[SchemaError]:
        if not isinstance(instance, kind):
            return
        size = len(instance)  # type: ignore[arg-type]
        if too_few and size < value:
            words = "should be non-empty" if value == 1 else "is too short"
        elif not too_few and size > value:
            words = "is expected to be empty" if value == 0 else "is too long"
        else:
            return
        yield SchemaError(keyword, value, instance, schema, f"{instance!r} {words}")

    return check


def _all_of(
    value: list[Any], instance: Any, schema: dict[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    for subschema in value:
        yield from _errors(instance, subschema, path)


_CHECKS: dict[str, Any] = {
    "type": _type,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "required": _required,
    "items": _items,
    "enum": _enum,
    "pattern": _pattern,
    "minimum": _bound("minimum", "less than the minimum of", lambda i, v: i < v),
    "maximum": _bound("maximum", "greater than the maximum of", lambda i, v: i > v),
    "minLength": _size("minLength", str, True),
    "maxLength": _size("maxLength", str, False),
    "minItems": _size("minItems", list, True),
    "maxItems": _size("maxItems", list, False),
    "allOf": _all_of,
}


def is_type(value: Any, name: str) -> bool:
    """JSON Schema's types, with integers that are never bools or floats."""
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "integer":
        return type(value) is int
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    return False


def equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema has it: ``true`` is not ``1``, lists and objects deeply."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(equal(one[key], two[key]) for key in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return bool(one == two)
