"""The schema stage: validate a task definition against the generated JSON Schema.

``schemas/task-definition.schema.json`` is generated from the ECS API model
(``tools/generate_schema.py``). This module validates one task definition against
it with ``jsonschema`` and turns each error into a :class:`Problem` of one *kind*
(``unknown-key``, ``wrong-type``, ...), which the ``schema`` check hands to the rule
of that kind. It owns three decisions:

- which schema a target shape is validated against, and what that shape tolerates
  (:data:`SHAPES`);
- that placeholders are never errors: a value that is an
  :class:`~ecslint.load.unknown.Unknown` is validated as its text, and an error located
  at it becomes a "not evaluated" problem;
- one message per location, in plain words, with the fix where there is an obvious
  one, instead of jsonschema's raw output.

``jsonschema`` costs about 70 ms to import, as much as the rest of a cold run, and a
few hundred microseconds per task definition. Most task definitions are valid, so
:mod:`ecslint.schema.quick` first proves validity in a few tens of microseconds; only
a task definition it cannot prove valid is validated (and its problems reported) by
jsonschema, imported then and compiled once per process.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from ecslint.datafiles import schemas_dir
from ecslint.lazy_re import lazy_re
from ecslint.load.unknown import Unknown, find_placeholder
from ecslint.model import Edit, PathParts, Problem
from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

    #: jsonschema ships no type information (and types-jsonschema is not a dependency):
    #: its objects are Any here, named for what they are.
    ValidationError = Any
    Validator = Any


TASK_SCHEMA = "task-definition.schema.json"

#: The kinds of schema problem; each is served by one rule (``params: {kind: ...}``).
KINDS = (
    "unknown-key",
    "wrong-type",
    "invalid-enum-value",
    "missing-required-key",
    "value-out-of-range",
    "invalid-format",
    "list-length",
    "null-value",
)

#: jsonschema keyword -> kind. A keyword not listed is reported as invalid-format.
_KIND_BY_KEYWORD = {
    "additionalProperties": "unknown-key",
    "unevaluatedProperties": "unknown-key",
    "type": "wrong-type",
    "enum": "invalid-enum-value",
    "const": "invalid-enum-value",
    "required": "missing-required-key",
    "minimum": "value-out-of-range",
    "maximum": "value-out-of-range",
    "exclusiveMinimum": "value-out-of-range",
    "exclusiveMaximum": "value-out-of-range",
    "multipleOf": "value-out-of-range",
    "pattern": "invalid-format",
    "minLength": "invalid-format",
    "maxLength": "invalid-format",
    "format": "invalid-format",
    "maxItems": "list-length",
    "maxProperties": "list-length",
    "minItems": "list-length",
    "minProperties": "list-length",
}

#: When two errors share a location, the one whose keyword comes first is kept
#: (a value of the wrong type is not also reported as outside its enum).
_PRIORITY = {"type": 0, "enum": 1, "const": 1}


class ShapeRules(Record):
    """How one target shape is validated."""

    #: The ``$defs`` entry the task definition is validated against.
    definition: str
    #: Top-level fields whose numbers the shape's tooling turns into strings.
    numeric_strings: frozenset[str] = frozenset()
    #: Drop keys whose value is null before validating (outputs print unset fields so).
    drop_nulls: bool = False
    #: Required keys come from the input's own engine (``Target.contract``), not the API...
    own_required: bool = False
    #: ...except under these top-level fields, which the engine passes to the API as is.
    api_required_under: frozenset[str] = frozenset()


_TASK_SIZE = frozenset({"cpu", "memory"})

#: Target shape -> how it is validated. Register input is validated as the AWS CLI
#: and SDKs send it (task ``cpu``/``memory`` must be strings, null is rejected).
#: describe output and console exports carry read-only fields and print unset
#: fields as null. CloudFormation and Terraform coerce a number given for task
#: ``cpu``/``memory`` to the string the API wants (ecs-facts.md §2.1), and Terraform
#: treats null as unset. CloudFormation's required keys are its own schema's (checked
#: by ecslint.load.cloudformation). A shape not listed is validated as register input.
SHAPES: dict[str, ShapeRules] = {
    "register": ShapeRules("RegisterTaskDefinitionRequest"),
    "describe": ShapeRules("TaskDefinition", drop_nulls=True),
    "export": ShapeRules("TaskDefinition", drop_nulls=True),
    "cloudformation": ShapeRules(
        "RegisterTaskDefinitionRequest", numeric_strings=_TASK_SIZE, own_required=True
    ),
    "terraform": ShapeRules(
        "RegisterTaskDefinitionRequest",
        numeric_strings=_TASK_SIZE,
        drop_nulls=True,
        own_required=True,
        api_required_under=frozenset({"containerDefinitions"}),
    ),
    # A bare container list: the task around it is not in the file.
    "containers": ShapeRules(
        "RegisterTaskDefinitionRequest",
        own_required=True,
        api_required_under=frozenset({"containerDefinitions"}),
    ),
}

ProblemsByKind = dict[str, list[Problem]]

#: Schema annotation naming the dedicated rules that report a limit (written from the
#: rules' ``reports_schema`` by tools/generate_schema.py); the problem carries them as
#: ``reported_by`` and the engine drops it when one of them runs (a type error there is
#: still the schema rules').
REPORTED_BY = "x-ecslint-reported-by"
#: Unknown keys listed one by one in one object; more are counted in one problem.
MAX_UNKNOWN_KEYS = 1000
#: The same for required keys: ``{key: [rule ids]}`` on the object's schema.
REQUIRED_REPORTED_BY = "x-ecslint-required-reported-by"
NULL_REPORTED_BY = "x-ecslint-null-reported-by"
_LIMITS = frozenset(
    {
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
    }
)


# --- entry point ---------------------------------------------------------------------------


def validate_task(task: Mapping[str, Any], shape: str, plain: bool = False) -> ProblemsByKind:
    """Every schema problem of one task definition, grouped by kind.

    ``plain``: ``task`` holds only JSON values (no Unknown, no YAML types), so a shape
    that neither drops nulls nor converts numbers validates it without a copy.
    """
    rules = SHAPES.get(shape, SHAPES["register"])
    as_is = plain and not rules.drop_nulls and not rules.numeric_strings
    instance = task if as_is else _prepare(task, rules)
    if _quick_check(rules.definition)(instance):
        return {}
    validator = _validator(rules.definition)
    found = _collect(task, validator.iter_errors(instance), _key_index(rules.definition))
    if rules.own_required and "missing-required-key" in found:
        kept = [
            problem
            for problem in found.pop("missing-required-key")
            if problem.path and problem.path[0] in rules.api_required_under
        ]
        if kept:
            found["missing-required-key"] = kept
    return found


def _collect(
    task: Mapping[str, Any], errors: Iterator[ValidationError], index: KeyIndex
) -> ProblemsByKind:
    #: Spelling suggestions left: difflib is slow, and hostile input can hold 100,000 keys.
    budget = [_SUGGESTIONS_PER_TASK]
    found: dict[tuple[PathParts, bool], tuple[int, str, Problem]] = {}
    owned: dict[tuple[PathParts, bool], tuple[int, str, Problem]] = {}
    suggested: set[PathParts] = set()
    for error in errors:
        for kind, problem, keyword, suggestion in _problems(task, _reduce(error), index, budget):
            if suggestion is not None:
                suggested.add((*problem.path[:-1], suggestion))
            slot = (problem.path, problem.at_key)
            rank = _PRIORITY.get(keyword, 2)
            # A problem a rule reports better never displaces another at its place: it is
            # dropped when that rule runs, and the other must then still be there.
            table = owned if problem.reported_by else found
            if slot not in table or rank < table[slot][0]:
                table[slot] = (rank, kind, problem)
    for slot, entry in owned.items():
        found.setdefault(slot, entry)
    grouped: ProblemsByKind = {}
    for _, kind, problem in found.values():
        if kind == "missing-required-key" and problem.path in suggested:
            continue  # the unknown key's "did you mean" already says it
        grouped.setdefault(kind, []).append(problem)
    return grouped


# --- the validators, built once per process ------------------------------------------------------

_VALIDATORS: dict[str, Validator] = {}
_QUICK: dict[str, Callable[[Any], bool]] = {}
_COMPILED: dict[str, dict[str, Any]] = {}


def _quick_check(definition: str) -> Callable[[Any], bool]:
    quick = _QUICK.get(definition)
    if quick is None:
        from ecslint.schema.quick import Unsupported, compile_check

        try:
            quick = compile_check(compiled_schema(definition))
        except Unsupported:
            quick = _never  # the schema grew a keyword the quick check lacks: always validate
        _QUICK[definition] = quick
    return quick


def _never(value: Any) -> bool:
    return False


def _validator(definition: str) -> Validator:
    validator = _VALIDATORS.get(definition)
    if validator is None:
        from ecslint.schema import validate

        schema = compiled_schema(definition)
        if validate.supports(schema):
            validator = _VALIDATORS[definition] = validate.Validator(schema)
            return validator
        validator = _VALIDATORS[definition] = _jsonschema_validator(schema)
    return validator


def _jsonschema_validator(schema: dict[str, Any]) -> Validator:
    """jsonschema's validator, for a schema with a keyword :mod:`.validate` lacks.

    Its ``properties`` and ``items`` keywords do not descend into a value the quick check
    proves valid: an invalid task definition usually has one or two bad values, and
    walking the valid rest cost ~80% of its validation. Only jsonschema reports
    problems; a value skipped is one it would have found nothing in. Both keywords are
    written here with jsonschema's public API only (``extend``, ``descend``,
    ``ValidationError``); ``tests/test_schema.py`` checks that the errors are
    jsonschema's own.
    """
    from jsonschema import validators  # type: ignore[import-untyped]
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

    #: The quick check of each part of ``schema``, by identity: the entry keeps the part
    #: alive, so its id cannot be another object's while the entry exists.
    proofs: dict[int, tuple[Any, Callable[[Any], bool]]] = {}

    def proven(part: Any, value: Any) -> bool:
        entry = proofs.get(id(part))
        if entry is None or entry[0] is not part:
            from ecslint.schema.quick import Unsupported, compile_check

            try:
                proof = compile_check(part)
            except Unsupported:
                proof = _never
            entry = proofs[id(part)] = (part, proof)
        return entry[1](value)

    def properties(
        validator: Any, properties: dict[str, Any], instance: Any, schema: dict[str, Any]
    ) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        for name, subschema in properties.items():
            if name in instance and not proven(subschema, instance[name]):
                yield from validator.descend(instance[name], subschema, path=name, schema_path=name)

    def items(validator: Any, items: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        if not validator.is_type(instance, "array"):
            return
        prefix = len(schema.get("prefixItems", []))
        extra = len(instance) - prefix
        if extra <= 0:
            return
        if items is False:  # as draft 2020-12 (and jsonschema) say it
            rest = instance[prefix:] if extra != 1 else instance[prefix]
            noun = "items" if prefix != 1 else "item"
            yield ValidationError(
                f"Expected at most {prefix} {noun} but found {extra} extra: {rest!r}"
            )
            return
        for index in range(prefix, len(instance)):
            if not proven(items, instance[index]):
                yield from validator.descend(instance[index], items, path=index)

    strict = validators.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: type(value) is int
    )
    validator_class = validators.extend(
        validators.Draft202012Validator,
        validators={"properties": properties, "items": items},
        type_checker=strict,
    )
    return validator_class(schema)


def load_schema(name: str = TASK_SCHEMA) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    return data


def compiled_schema(definition: str) -> dict[str, Any]:
    """``$defs[definition]`` with every ``$ref`` inlined and descriptions dropped.

    The API model has no recursive shapes, so inlining terminates; it halves the
    time jsonschema takes per task definition (no reference resolution at run time).
    Built once per process; callers must not modify it.
    """
    cached = _COMPILED.get(definition)
    if cached is not None:
        return cached
    schema = load_schema()
    defs: dict[str, Any] = schema["$defs"]
    done: dict[str, Any] = {}

    def inline(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        out = {
            key: inline(value, seen)
            for key, value in node.items()
            if key not in ("description", "$ref", "$defs", "$comment", "$schema", "title")
        }
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return out
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            raise ValueError(f"recursive schema reference {ref}")
        if name not in done:
            done[name] = inline(defs[name], (*seen, name))
        target: dict[str, Any] = done[name]
        if set(target) & set(out):
            return {"allOf": [target, out]}
        return {**target, **out}

    compiled: dict[str, Any] = inline({"$ref": f"#/$defs/{definition}"}, ())
    _COMPILED[definition] = compiled
    return compiled


# --- preparing the instance ------------------------------------------------------------------


def _prepare(task: Mapping[str, Any], rules: ShapeRules) -> Any:
    """A JSON-only copy to validate: Unknowns become their text, keys become strings."""

    drop_nulls = rules.drop_nulls

    def copy(value: Any) -> Any:
        # Exact type tests first: this copies every value of every task definition.
        kind = type(value)
        if kind is str or kind is int or kind is bool or kind is float or value is None:
            return value
        if kind is dict or isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():
                if drop_nulls and item is None:
                    continue
                out[key if type(key) is str else _key_text(key)] = (
                    item if type(item) is str else copy(item)
                )
            return out
        if kind is list or isinstance(value, list):
            return [item if type(item) is str else copy(item) for item in value]
        if isinstance(value, Unknown):
            return value.text
        if isinstance(value, (str, int, float)):
            return value
        isoformat = getattr(value, "isoformat", None)  # a YAML timestamp (date, datetime)
        return isoformat() if callable(isoformat) else str(value)

    instance = copy(task)
    if rules.numeric_strings and isinstance(instance, dict):
        for field in rules.numeric_strings:
            value = instance.get(field)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                instance[field] = _number_text(value)
    return instance


def _key_text(key: Any) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --- errors to problems -----------------------------------------------------------------------


def _reduce(error: ValidationError) -> ValidationError:
    """An anyOf/oneOf error becomes one error of its most plausible branch, never a dump.

    The branch whose type matches the value wins over one that wants another type,
    then the branch with the fewest errors; jsonschema's ``best_match`` picks the
    error within it.
    """
    while error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branch = sub.relative_schema_path[0] if sub.relative_schema_path else 0
            branches.setdefault(branch, []).append(sub)

        def plausibility(subs: list[ValidationError]) -> tuple[bool, int]:
            wrong_type = any(s.validator == "type" and not s.relative_path for s in subs)
            return wrong_type, len(subs)

        chosen = min(branches.values(), key=plausibility)
        best = best_match(chosen)
        if best is None:
            break
        error = best
    return error


def _problems(
    task: Mapping[str, Any], error: ValidationError, index: KeyIndex, budget: list[int]
) -> Iterator[tuple[str, Problem, str, str | None]]:
    """(kind, problem, keyword, the key an unknown key probably meant) for one error."""
    keyword = str(error.validator)
    kind = _KIND_BY_KEYWORD.get(keyword, "invalid-format")
    path = _original_path(task, tuple(error.absolute_path))
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        extra = list(_extra_keys(error))
        if len(extra) > MAX_UNKNOWN_KEYS:
            # Generated junk, not typos: list a few and count the rest.
            more = len(extra) - MAX_UNKNOWN_KEYS
            where = _describe_path(path) if path else "the task definition"
            message = f"{more} more unknown keys in {where}, not listed"
            yield (
                kind,
                Problem((*path, extra[MAX_UNKNOWN_KEYS]), message, at_key=True),
                keyword,
                None,
            )
            extra = extra[:MAX_UNKNOWN_KEYS]
        for key in extra:
            key_path = (*path, _original_key(task, path, key))
            if find_placeholder(key):
                yield kind, _unknown_problem(key_path, Unknown(key), "the key"), keyword, None
            else:
                budget[0] -= 1
                message, guess = _unknown_key_message(error, path, key, index, budget[0] >= 0)
                fix = _rename_fix(key_path, key, guess)
                yield kind, Problem(key_path, message, at_key=True, fix=fix), keyword, guess
        return
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        schema = error.schema if isinstance(error.schema, dict) else {}
        elsewhere = schema.get(REQUIRED_REPORTED_BY) or {}
        for name in error.validator_value:
            if name not in instance:
                where = _describe_path(path) if path else "the task definition"
                message = f'{where} is missing the required key "{name}"'
                by = tuple(elsewhere.get(name) or ())
                yield kind, Problem((*path, name), message, reported_by=by), keyword, None
        return
    owners: tuple[str, ...] = ()
    if keyword in _LIMITS and isinstance(error.schema, dict) and REPORTED_BY in error.schema:
        owners = tuple(error.schema[REPORTED_BY])  # a rule reports this limit better
    if keyword in ("enum", "const") and error.instance == "":
        return  # "" is unset to the Go SDK and the GitHub deploy action; ECS's reply is unverified
    if keyword == "type" and error.instance is None:
        if isinstance(error.schema, dict) and NULL_REPORTED_BY in error.schema:
            owners = tuple(error.schema[NULL_REPORTED_BY])  # a rule reports it as missing
        kind = "null-value"
    original = _value_at(task, path)
    if isinstance(original, Unknown) and not _still_wrong_type(keyword, error, original):
        problem = _unknown_problem(path, original, _KIND_WORDS[kind])
        yield kind, problem._replace(reported_by=owners), keyword, None
        return
    fix = _type_fix(error.instance, error.validator_value, path) if keyword == "type" else ()
    if kind == "null-value" and path and isinstance(path[-1], str):
        fix = (Edit("remove", path),)  # null is "unset" to whoever wrote it; the CLI refuses it
    problem = Problem(path, _message(keyword, error, path), fix=fix, reported_by=owners)
    yield kind, problem, keyword, None


def _rename_fix(path: PathParts, key: str, guess: str | None) -> tuple[Edit, ...]:
    """The known key an unknown one is but for case, hyphens or underscores (safe to rename)."""
    if guess is None or _NOT_ALNUM.sub("", guess.lower()) != _NOT_ALNUM.sub("", key.lower()):
        return ()
    return (Edit("rename", path, guess),)


def _type_fix(value: Any, expected: Any, path: PathParts) -> tuple[Edit, ...]:
    """The value written with the type the API wants, where that is one obvious edit."""
    types = [expected] if isinstance(expected, str) else list(expected)
    new: Any = None
    # Numbers longer than any ECS field's: int() refuses past 4,300 digits, and no fix is due.
    if "integer" in types and isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value):
        new = int(value)
    elif "boolean" in types and isinstance(value, str) and value.lower() in ("true", "false"):
        new = value.lower() == "true"
    elif "string" in types and isinstance(value, bool):
        new = "true" if value else "false"
    elif "string" in types and isinstance(value, int) and abs(value) < 10**18:
        new = str(value)
    return () if new is None else (Edit("replace", path, new),)


def _still_wrong_type(keyword: str, error: ValidationError, value: Unknown) -> bool:
    """A template such as ``"echo {{ .x }}"`` renders to a string whatever its value is."""
    if keyword != "type":
        return False
    expected = error.validator_value
    types = [expected] if isinstance(expected, str) else list(expected)
    if "string" in types or value.reason != "placeholder":
        return False
    from ecslint.load.unknown import strip_placeholders

    return bool(strip_placeholders(value.text).strip())


_KIND_WORDS = {
    "wrong-type": "its type",
    "invalid-enum-value": "whether it is an allowed value",
    "value-out-of-range": "its range",
    "invalid-format": "its format",
    "list-length": "its length",
    "null-value": "its type",
    "unknown-key": "the key",
    "missing-required-key": "the key",
}


def _unknown_problem(path: PathParts, value: Unknown, what: str) -> Problem:
    return Problem(path, f"{value.describe()} (schema: {what})", evaluated=False)


def _extra_keys(error: ValidationError) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties") or {}
    patterns = list((schema.get("patternProperties") or {}).keys())
    return [
        key
        for key in instance
        if key not in known and not any(re.search(pattern, key) for pattern in patterns)
    ]


def _message(keyword: str, error: ValidationError, path: PathParts) -> str:
    where = _describe_path(path) if path else "the task definition"
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "type" and value is None:
        return (
            f"{where} is null; the AWS CLI and boto3 reject null values "
            "(omit the key to leave the field unset)"
        )
    if keyword == "type":
        message = _type_message(where, value, error.validator_value, schema, path)
        if isinstance(value, str) and find_placeholder(value):
            message += " (it holds a placeholder, but renders to a string whatever its value)"
        return message
    if keyword in ("enum", "const"):
        allowed = error.validator_value if keyword == "enum" else [error.validator_value]
        return _enum_message(where, value, list(allowed))
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"{where} is {_show(value)}; {_range_words(schema)}"
    if keyword == "pattern":
        explained = schema.get("patternErrorMessage")
        rule = explained if isinstance(explained, str) else f"the pattern {error.validator_value}"
        return f"{where} {_show(value)} is not valid: it must be {rule}"
    if keyword in ("minLength", "maxLength") and isinstance(value, str):
        limit = error.validator_value
        if keyword == "maxLength":
            return f"{where} is {len(value)} characters long; at most {limit} are allowed"
        if not value:
            return f"{where} is empty; at least {limit} character{_s(limit)} required"
        return f"{where} is {len(value)} characters long; at least {limit} are required"
    if keyword in ("maxItems", "maxProperties"):
        size = len(value) if isinstance(value, (list, dict)) else 0
        limit = error.validator_value
        return f"{where} has {size} items; at most {limit} {'is' if limit == 1 else 'are'} allowed"
    if keyword in ("minItems", "minProperties"):
        limit = error.validator_value
        if isinstance(value, (list, dict)) and not value:
            return f"{where} is empty; at least {limit} item{_s(limit)} required"
        size = len(value) if isinstance(value, (list, dict)) else 0
        return f"{where} has {size} items; at least {limit} are required"
    return f"{where}: {error.message}"


def _s(count: object) -> str:
    return " is" if count == 1 else "s are"


# --- wrong types -------------------------------------------------------------------------------

_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


def _type_message(
    where: str, value: Any, expected: Any, schema: Mapping[str, Any], path: PathParts
) -> str:
    types = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    message = f"{where} must be {wanted}, not {_show_typed(value)}"
    hint = _type_hint(value, types, schema, path)
    return f"{message}; {hint}" if hint else message


def _type_hint(value: Any, types: Sequence[str], schema: Mapping[str, Any], path: PathParts) -> str:
    if value is None:
        return "remove the key (the AWS CLI and SDKs reject null; omit a field to leave it unset)"
    if "integer" in types and isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return f"write {value.strip()} without quotes"
    if "integer" in types and isinstance(value, float) and value.is_integer():
        return f"write {int(value)}"
    if "boolean" in types and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return f"write {value.strip().lower()} without quotes"
    if "string" in types and isinstance(value, bool):
        return f'write "{str(value).lower()}" in quotes'
    if "string" in types and isinstance(value, (int, float)):
        text = _number_text(value)
        if path in (("cpu",), ("memory",)):
            return (
                f'write "{text}": register-task-definition takes task-level {path[0]} as a string'
            )
        return f'write "{text}" in quotes'
    if "array" in types:
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        fields = (items or {}).get("properties") or {}
        if isinstance(value, dict) and {"name", "value"} <= set(fields):
            return 'write a list of {"name": ..., "value": ...} objects'
        if isinstance(value, dict) and {"key", "value"} <= set(fields):
            return 'write a list of {"key": ..., "value": ...} objects'
        if isinstance(value, (str, int, float, dict)):
            return f"write it as a list: [{_sorted_json(value)}]"
    if "object" in types and isinstance(value, list) and len(value) == 1:
        return (
            "write the object itself, without the surrounding list"
            if isinstance(value[0], dict)
            else ""
        )
    return ""


def _show_typed(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {_quote(value)}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, bool):
        return str(value).lower()
    return json.dumps(value) if isinstance(value, (int, float)) else _show_typed(value)


def _quote(text: str, limit: int = 80) -> str:
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    return json.dumps(shown, ensure_ascii=False)


# --- enums, keys, ranges -------------------------------------------------------------------------


_SUGGESTIONS_PER_TASK = 200
_NOT_ALNUM = lazy_re(r"[^a-z0-9]")


@functools.lru_cache(maxsize=256)
def _folded(choices: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Choices by their lower-case form and by their letters and digits only."""
    by_lower: dict[str, str] = {}
    by_compact: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
        by_compact.setdefault(_NOT_ALNUM.sub("", choice.lower()), choice)
    return by_lower, by_compact


def same_key(word: str, choices: Sequence[str]) -> str | None:
    """The choice ``word`` equals but for case, hyphens or underscores."""
    by_lower, by_compact = _folded(tuple(choices))
    lowered = word.lower()
    return by_lower.get(lowered) or by_compact.get(_NOT_ALNUM.sub("", lowered))


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    """A near miss: a case-insensitive match first, then the closest spelling."""
    same = same_key(word, choices)
    if same is not None:
        return same
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    if close:
        return close[0]
    by_lower, _ = _folded(tuple(choices))
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


def _enum_message(where: str, value: Any, allowed: list[Any]) -> str:
    listed = ", ".join(_show(item) for item in allowed)
    message = f"{where} is {_show(value)}, which is not one of: {listed}"
    if isinstance(value, str):
        guess = did_you_mean(value, [item for item in allowed if isinstance(item, str)])
        if guess is not None and guess != value:
            message += f' (did you mean "{guess}"?)'
    return message


def _unknown_key_message(
    error: ValidationError, path: PathParts, key: str, index: KeyIndex, suggest: bool = True
) -> tuple[str, str | None]:
    """The message, and the key it was probably meant to be (a near miss in the same object)."""
    where = f"in {_describe_path(path)}" if path else "at the top level of the task definition"
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = sorted((schema.get("properties") or {}).keys())
    message = f'unknown key "{key}" {where}'
    guess = same_key(key, known)
    if guess is not None:
        return f'{message}; did you mean "{guess}"?', guess
    places = index.get(key)
    if places:
        shown = " or ".join("at the top level" if p == _TOP else f"in {p}" for p in places[:3])
        return f"{message}; {key} belongs {shown}", None
    guess = did_you_mean(key, known) if suggest else None
    if guess is not None:
        return f'{message}; did you mean "{guess}"?', guess
    return f"{message} (the AWS CLI rejects it as an unknown parameter)", None


KeyIndex = dict[str, list[str]]
_TOP = ""
_KEY_INDEXES: dict[str, KeyIndex] = {}


def _key_index(definition: str) -> KeyIndex:
    """Every key of the schema -> where it belongs (``containerDefinitions[].image``'s parent)."""
    index = _KEY_INDEXES.get(definition)
    if index is not None:
        return index
    index = {}
    stack: list[tuple[Any, tuple[str, ...]]] = [(compiled_schema(definition), ())]
    while stack:
        node, where = stack.pop()
        if not isinstance(node, dict):
            continue
        for part in node.get("allOf") or ():
            stack.append((part, where))
        properties = node.get("properties")
        if isinstance(properties, dict):
            label = "".join(where).lstrip(".") or _TOP
            for key, sub in properties.items():
                index.setdefault(key, []).append(label)
                stack.append((sub, (*where, f".{key}")))
        items = node.get("items")
        if isinstance(items, dict):
            stack.append((items, (*where, "[]")))
    for places in index.values():
        places.sort(key=lambda place: (place != _TOP, place.count("."), place))
    _KEY_INDEXES[definition] = index
    return index


def _range_words(schema: Mapping[str, Any]) -> str:
    low = schema.get("minimum")
    high = schema.get("maximum")
    if low is not None and high is not None:
        return f"it must be between {low} and {high}"
    if low is not None:
        return f"it must be at least {low}"
    if high is not None:
        return f"it must be at most {high}"
    if "exclusiveMinimum" in schema:
        return f"it must be greater than {schema['exclusiveMinimum']}"
    if "exclusiveMaximum" in schema:
        return f"it must be less than {schema['exclusiveMaximum']}"
    return "it is out of range"


# --- paths --------------------------------------------------------------------------------------

_IDENTIFIER = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*")


def _describe_path(parts: PathParts) -> str:
    """``("containerDefinitions", 0, "image")`` -> ``containerDefinitions[0].image``."""
    out = ""
    for raw in parts:
        # YAML keys may be booleans, numbers or null
        part = raw if isinstance(raw, str) or type(raw) is int else _key_text(raw)
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def _original_path(task: Mapping[str, Any], parts: Sequence[Any]) -> PathParts:
    """Map a path in the validated copy back to the task's own keys (YAML may have non-str keys)."""
    out: list[str | int] = []
    node: Any = task
    for part in parts:
        if isinstance(node, dict):
            key = part if part in node else _original_key_in(node, part)
            out.append(key)
            node = node.get(key)
        elif isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            out.append(part)
            node = None
    return tuple(out)


def _original_key_in(node: Mapping[Any, Any], text: str) -> Any:
    for key in node:
        if not isinstance(key, str) and _key_text(key) == text:
            return key
    return text


def _original_key(task: Mapping[str, Any], path: PathParts, key: str) -> str | int:
    node = _value_at(task, path)
    if isinstance(node, dict) and key not in node:
        # YAML keys may be numbers, booleans or null; the position index keeps them as is
        original: str | int = _original_key_in(node, key)
        return original
    return key


def _value_at(task: Mapping[str, Any], path: PathParts) -> Any:
    node: Any = task
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _sorted_json(value: object) -> str:
    """Keys sorted, so a message does not change when only the file's key order does."""
    try:
        return json.dumps(value, sort_keys=True)
    except TypeError:  # keys of mixed types (YAML): keep the order written
        return json.dumps(value)
