"""CloudFormation templates: every ``AWS::ECS::TaskDefinition`` resource becomes a target.

The resource's properties are renamed from CloudFormation's PascalCase to the
API's camelCase (with the quirks of ecs-facts.md §6.1), so every rule runs
unchanged; ``Target.remap`` maps each API path back to the template path, so
findings carry the template's line and column.

Intrinsic functions are resolved only where the template itself decides the
value: a ``Ref`` to a parameter with a ``Default`` (the finding then says so), a
``Fn::Sub``/``Fn::Join``/``Fn::Select``/``Fn::FindInMap``/``Fn::Split`` whose
inputs are all known. A ``Fn::If`` is linted branch by branch: each combination of
the resource's conditions that a deployment can make is a variant target
(``Target.variants``; the engine says "when IsProd is true" of a finding that holds on
some branches only), as long as the conditions can be evaluated from the template's
parameters and are few (:func:`_condition_variants`); otherwise it is read as far as
both branches agree (a field on which they differ is unknown). Everything else
(``Fn::GetAtt``, ``Fn::ImportValue``, pseudo parameters, ``Ref`` to a resource)
becomes an :class:`~ecslint.load.unknown.Unknown`, whose ``ref`` names the referenced
resource so a rule can look it up with :func:`template_resource`.
"""

from __future__ import annotations

import re

from ecslint.facts.cloudformation import (
    API_FIELDS,
    API_TO_CFN_IN,
    API_TO_CFN_QUIRKS,
    CFN_QUIRKS,
    CFN_TAGS,
    CFN_TAGS_WITHOUT_PREFIX,
    PSEUDO_PARAMETERS,
    USER_MAPS,
)
from ecslint.lazy_re import lazy_re
from ecslint.load.document import Document
from ecslint.load.target import NotATaskDefinition, Target
from ecslint.load.unknown import NOECHO, Unknown
from ecslint.model import Edit, PathParts, Problem
from ecslint.numbers import number_text, parse_int

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

TASK_DEFINITION = "AWS::ECS::TaskDefinition"
#: CloudFormation's resource provider schema for the type (tools/generate_cfn_schema.py).
CONTRACT = "cloudformation-task-definition.schema.json"
#: Required keys whose absence a dedicated rule reports (ECS504, ECS402), not the schema's.
REPORTED_BY_RULES = frozenset({("ContainerDefinition", "Name"), ("ContainerDefinition", "Image")})
#: Prefixes the task path of a key CloudFormation rejects (never an API field name).
REJECTED = "\x00"
REASON = "CloudFormation intrinsic"
_SUB_VARIABLE = lazy_re(r"\$\{(!?)([^}]*)\}")
_INTEGER = lazy_re(r"-?\d+")


class _NoValue:
    """``!Ref AWS::NoValue``: the property is left out."""


NO_VALUE = _NoValue()


def cfn_tag(tag: str, value: Any) -> Any:
    """A YAML short form (``!Ref X``) as its JSON form (``{"Ref": "X"}``)."""
    name = tag[1:] if tag.startswith("!") else ""
    if name not in CFN_TAGS:
        raise LookupError(tag)
    if name == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {name if name in CFN_TAGS_WITHOUT_PREFIX else f"Fn::{name}": value}


def is_template(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return False
    return "AWSTemplateFormatVersion" in data or any(
        isinstance(resource, dict) and isinstance(resource.get("Type"), str)
        for resource in data["Resources"].values()
    )


def detect(document: Document) -> list[Target] | None:
    """Detector for :data:`ecslint.load.shapes.DETECTORS`."""
    data = document.data
    if not is_template(data):
        return None
    targets = []
    for logical_id, resource in data["Resources"].items():
        if isinstance(resource, dict) and resource.get("Type") == TASK_DEFINITION:
            try:
                targets.append(_target(document, str(logical_id), resource))
            except RecursionError:  # pragma: no cover - parse() bounds the depth
                raise NotATaskDefinition(f"{logical_id}: nested too deeply to read") from None
    if not targets:
        raise NotATaskDefinition(f"a CloudFormation template with no {TASK_DEFINITION} resource")
    return targets


def template_resource(target: Target, logical_id: str) -> dict[str, Any] | None:
    """The resource ``logical_id`` of the template ``target`` came from, as written."""
    if target.shape != "cloudformation":
        return None
    resources = target.document.data.get("Resources")
    resource = resources.get(logical_id) if isinstance(resources, dict) else None
    return resource if isinstance(resource, dict) else None


#: At most this many distinct combinations of a resource's conditions are linted, one
#: variant each; past it, a value on which the branches differ is not evaluated.
MAX_VARIANTS = 8
#: At most this many assignments of the parameters behind the conditions are tried.
MAX_ASSIGNMENTS = 256


def _target(document: Document, logical_id: str, resource: dict[str, Any]) -> Target:
    target = _one_target(document, logical_id, resource, None)
    for choice, fixed in _condition_variants(resource.get("Properties"), document.data):
        label = ", ".join(f"{n} is {'true' if v else 'false'}" for n, v in choice.items())
        variant = _one_target(document, logical_id, resource, choice, fixed)
        target.variants.append((label, variant))
    return target


class _Undecidable(Exception):
    """A condition ecslint cannot evaluate from the template's parameters."""


_OTHER = object()  # a parameter value equal to none of the literals it is compared with
#: A parameter whose value a variant does not settle (several values give its conditions).
UNSETTLED = object()


Variant = tuple[dict[str, bool], dict[str, "Any"]]


def _condition_variants(properties: Any, template: Any) -> list[Variant]:
    """The combinations of the resource's Fn::If conditions that a deployment can make.

    Conditions are evaluated from the template's ``Conditions`` (``Fn::Equals`` of
    parameters and literals, ``Fn::Not``/``And``/``Or``, ``Condition``), over every value
    of the parameters behind them that tells them apart (each literal a parameter is
    compared with, its AllowedValues, and "any other value"). So ``IsProd`` and
    ``IsNotProd = !Not [!Condition IsProd]`` are never both true. A condition that
    cannot be evaluated so, or too many combinations: none (the branches' agreement is
    read instead). With each combination come the parameters the conditions read: the
    value it implies (``Env`` is ``prod`` where IsProd is true), or UNSETTLED where
    several values give it (a ``Ref`` to it is then unknown, not its default).
    """
    names: list[str] = []
    stack = [properties]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            branch = node.get("Fn::If") if len(node) == 1 else None
            condition = branch[0] if isinstance(branch, list) and branch else None
            if isinstance(condition, str) and condition not in names:
                names.append(condition)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    if not names or not isinstance(template, dict):
        return []
    conditions = _mapping(template.get("Conditions"))
    parameters = _mapping(template.get("Parameters"))
    candidates: dict[str, list[Any]] = {}
    try:
        for name in names:
            _gather(conditions.get(name), conditions, parameters, candidates, (name,))
    except _Undecidable:
        return []
    import itertools

    variables = sorted(candidates)
    total = 1
    for variable in variables:
        total *= len(candidates[variable])
    if total > MAX_ASSIGNMENTS:
        return []
    found: list[tuple[dict[str, bool], dict[str, set[Any]]]] = []
    for values in itertools.product(*(candidates[v] for v in variables)):
        assignment = dict(zip(variables, values, strict=True))
        try:
            choice = {n: _holds(conditions.get(n), conditions, assignment, (n,)) for n in names}
        except _Undecidable:
            return []
        seen = next((taken for made, taken in found if made == choice), None)
        if seen is None:
            if len(found) == MAX_VARIANTS:
                return []
            seen = {variable: set() for variable in variables}
            found.append((choice, seen))
        for variable, value in assignment.items():
            seen[variable].add(value)
    if len(found) < 2:
        return []
    variants: list[Variant] = []
    for choice, taken in found:
        fixed = {
            variable: next(iter(held)) if len(held) == 1 and _OTHER not in held else UNSETTLED
            for variable, held in taken.items()
        }
        variants.append((dict(sorted(choice.items())), fixed))
    return variants


def _operand(value: Any, parameters: dict[str, Any]) -> tuple[str, Any]:
    """("ref", parameter) or ("literal", text) for one side of an Fn::Equals."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Ref"), str):
        name = value["Ref"]
        if name in parameters or name in PSEUDO_PARAMETERS:
            return "ref", name
        raise _Undecidable(name)
    if isinstance(value, bool):
        return "literal", "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return "literal", str(value)
    raise _Undecidable(value)


def _gather(
    node: Any,
    conditions: dict[str, Any],
    parameters: dict[str, Any],
    candidates: dict[str, list[Any]],
    seen: tuple[str, ...],
) -> None:
    """Record, for each parameter a condition reads, the values that tell it apart."""
    function = _intrinsic(node) if isinstance(node, dict) else None
    if isinstance(node, dict) and len(node) == 1 and isinstance(node.get("Condition"), str):
        name = node["Condition"]
        if name in seen or name not in conditions:
            raise _Undecidable(name)
        _gather(conditions[name], conditions, parameters, candidates, (*seen, name))
        return
    if function is None:
        raise _Undecidable(node)
    kind, argument = function
    if kind == "Fn::Equals" and isinstance(argument, list) and len(argument) == 2:
        sides = [_operand(side, parameters) for side in argument]
        for (what, name), (other_what, other) in (sides, sides[::-1]):
            if what != "ref":
                continue
            values = candidates.setdefault(name, [_OTHER])
            allowed = _mapping(parameters.get(name)).get("AllowedValues")
            if isinstance(allowed, list) and values == [_OTHER]:
                values[:] = [str(v).lower() if isinstance(v, bool) else str(v) for v in allowed]
            if other_what == "literal" and other not in values and not isinstance(allowed, list):
                values.append(other)
        return
    if kind in ("Fn::Not", "Fn::And", "Fn::Or") and isinstance(argument, list) and argument:
        for item in argument:
            _gather(item, conditions, parameters, candidates, seen)
        return
    raise _Undecidable(kind)


def _holds(
    node: Any, conditions: dict[str, Any], assignment: dict[str, Any], seen: tuple[str, ...]
) -> bool:
    if isinstance(node, dict) and len(node) == 1 and isinstance(node.get("Condition"), str):
        name = node["Condition"]
        return _holds(conditions[name], conditions, assignment, (*seen, name))
    function = _intrinsic(node)
    if function is None:
        raise _Undecidable(node)
    kind, argument = function
    if kind == "Fn::Equals":
        values = []
        for side in argument:
            if isinstance(side, dict):
                values.append(assignment[side["Ref"]])
            else:
                values.append("true" if side is True else "false" if side is False else str(side))
        return values[0] is not _OTHER and values[0] == values[1]
    results = [_holds(item, conditions, assignment, seen) for item in argument]
    if kind == "Fn::Not":
        return not results[0]
    return all(results) if kind == "Fn::And" else any(results)


def _one_target(
    document: Document,
    logical_id: str,
    resource: dict[str, Any],
    choice: dict[str, bool] | None,
    fixed: dict[str, Any] | None = None,
) -> Target:
    base: PathParts = ("Resources", logical_id, "Properties")
    mapper = _Mapper(document, base, choice, fixed)
    properties = resource.get("Properties")
    task = mapper.convert(properties if properties is not None else {}, base, (), "", contract())
    if not isinstance(task, dict):
        task = {}
    paths = mapper.paths

    def remap(parts: PathParts) -> PathParts:
        probe, rest = parts, 0
        while probe and probe not in paths:
            probe, rest = probe[:-1], rest + 1
        located = paths.get(probe, base)
        for at in range(len(parts) - rest, len(parts)):
            part = parts[at]
            if isinstance(part, str) and not (at and parts[at - 1] in USER_MAPS):
                parent = next((p for p in reversed(located) if isinstance(p, str)), "")
                part = api_to_cfn(part, parent)  # a user map's keys are written as they are
            located = (*located, part)
        return located

    target = Target(document, task, "cloudformation", base, label=logical_id, remap=remap)
    target.origins.update(mapper.origins)
    target.contract = mapper.problems
    return target


_CONTRACT: list[dict[str, Any]] = []


def contract() -> dict[str, Any]:
    """The generated CloudFormation schema of ``AWS::ECS::TaskDefinition``, read once."""
    if not _CONTRACT:
        import json

        from ecslint.datafiles import schemas_dir

        text = (schemas_dir() / CONTRACT).read_text(encoding="utf-8")
        data = json.loads(text)
        for name, definition in data["$defs"].items():
            definition["title"] = name  # which definition a node is, for REPORTED_BY_RULES
        _CONTRACT.append(data)
    return _CONTRACT[0]


def _definition(node: Any) -> dict[str, Any] | None:
    """``node`` with its ``$ref`` followed; None where the schema says nothing."""
    if not isinstance(node, dict):
        return None
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        found = contract()["$defs"].get(name)
        return found if isinstance(found, dict) else None
    return node


def api_to_cfn(name: str, parent: str = "") -> str:
    """How CloudFormation spells the API field ``name`` (under the CFN key ``parent``)."""
    quirk = API_TO_CFN_IN.get((parent, name)) or API_TO_CFN_QUIRKS.get(name)
    return quirk or name[:1].upper() + name[1:]


def cfn_to_api(key: str, parent: str = "") -> str:
    """The API name of the CloudFormation key ``key``; an unknown key stays as written,
    so the schema reports it under the name the template uses."""
    if key in CFN_QUIRKS:
        return CFN_QUIRKS[key]
    candidate = key[:1].lower() + key[1:]
    if key[:1].isupper() and candidate in API_FIELDS and api_to_cfn(candidate, parent) == key:
        return candidate
    return key


def _implied_parameters(
    choice: dict[str, bool], template: Any, parameters: dict[str, Any]
) -> dict[str, Any]:
    """What a variant's conditions say of their parameters: ``Fn::Equals [Ref P, V]``
    taken true makes P exactly V; taken false makes P anything but V, so P's default is
    its value only if the default is not V, and otherwise P is unknown. (Reading the
    default on a branch whose condition the default contradicts would judge a value
    that branch never has.)"""
    if not choice or not isinstance(template, dict):
        return {}
    conditions = _mapping(template.get("Conditions"))
    implied: dict[str, Any] = {}
    for name, taken in choice.items():
        definition = conditions.get(name)
        equals = definition.get("Fn::Equals") if isinstance(definition, dict) else None
        if not (isinstance(equals, list) and len(equals) == 2):
            continue
        for side, other in ((equals[0], equals[1]), (equals[1], equals[0])):  # noqa: B007
            ref = side.get("Ref") if isinstance(side, dict) and len(side) == 1 else None
            if isinstance(ref, str) and ref in parameters:
                break
        else:
            continue
        literal = other if _plain(other) else None
        parameter = parameters.get(ref)
        default = parameter.get("Default") if isinstance(parameter, dict) else None
        text = "${" + ref + "}"
        if taken:
            implied[ref] = literal if literal is not None else Unknown(text, REASON)
        elif literal is None or default is None or str(default) == str(literal):
            implied[ref] = Unknown(
                text, f"{REASON} (a value other than {literal!r}, as {name} is false)"
            )
    return implied


class _Mapper:
    def __init__(
        self,
        document: Document,
        base: PathParts,
        choice: dict[str, bool] | None = None,
        fixed: dict[str, Any] | None = None,
    ) -> None:
        self.document = document
        #: Condition -> the branch taken, for a variant (see _condition_variants).
        self.choice = choice or {}
        #: Parameter -> its value in that variant (or UNSETTLED), instead of its default.
        self.fixed = fixed or {}
        data = document.data
        self.parameters = _mapping(data.get("Parameters"))
        self.mappings = _mapping(data.get("Mappings"))
        self.resources = _mapping(data.get("Resources"))
        #: Parameters whose value a variant's conditions decide (see _implied_parameters).
        self.implied = _implied_parameters(self.choice, data, self.parameters)
        #: task path -> template path, for every value converted.
        self.paths: dict[PathParts, PathParts] = {}
        #: task path -> where a resolved value came from.
        self.origins: dict[PathParts, str] = {}
        self.base = base
        #: What CloudFormation's own schema rejects, by schema kind (see ecslint.schema.KINDS).
        self.problems: dict[str, list[Problem]] = {}

    # --- properties ----------------------------------------------------------------

    def convert(
        self, value: Any, where: PathParts, task_path: PathParts, cfn_key: str, node: Any
    ) -> Any:
        """``value`` in the API's shape, read against its CloudFormation schema ``node``."""
        value, where = self.resolve(value, where, task_path)
        self.paths[task_path] = where
        node = _definition(node)
        if isinstance(value, dict):
            properties = node.get("properties") if node is not None else None
            if properties is None and node is not None and "patternProperties" in node:
                return self.user_map(value, where, task_path, node)
            result: dict[Any, Any] = {}
            for key, item in value.items():
                if isinstance(properties, dict) and key not in properties:
                    self.unsupported(key, where, task_path, sorted(properties), task_path == ())
                    continue
                sub = properties.get(key) if isinstance(properties, dict) else None
                name = cfn_to_api(key, cfn_key) if isinstance(key, str) else key
                item_path = (*task_path, name)
                converted = self.convert(item, (*where, key), item_path, str(key), sub)
                if converted is not NO_VALUE:
                    result[name] = _coerce(converted, _definition(sub))
            for key in (node.get("required") or ()) if node is not None else ():
                name = cfn_to_api(key, cfn_key)
                if name not in result and (node.get("title"), key) not in REPORTED_BY_RULES:
                    self.missing(key, where, (*task_path, name))
            return result
        if isinstance(value, list):
            items_node = node.get("items") if node is not None else None
            items = [
                self.convert(item, (*where, index), (*task_path, index), cfn_key, items_node)
                for index, item in enumerate(value)
            ]
            return [
                _coerce(item, _definition(items_node)) for item in items if item is not NO_VALUE
            ]
        return value

    # --- the contract: CloudFormation's own schema ------------------------------------------

    def unsupported(
        self, key: Any, where: PathParts, task_path: PathParts, known: list[str], top: bool
    ) -> None:
        """A key CloudFormation rejects ("Encountered unsupported property"); not evaluated."""
        if top and key in contract().get("x-read-only-properties", ()):
            return  # an attribute, not an input: CloudFormation ignores it on create
        from ecslint.schema import did_you_mean

        # Its own slot: an API-cased key ("containerDefinitions") must not take the place
        # of the key CloudFormation reads under the same API name.
        slot: PathParts = (*task_path, REJECTED + str(key))
        self.paths[slot] = (*where, key)
        place = _describe(where[len(self.base) :])
        message = (
            f'unknown key "{key}" in {place}: CloudFormation rejects it '
            f"(Encountered unsupported property {key})"
        )
        guess = did_you_mean(str(key), known)
        fix: tuple[Edit, ...] = ()
        if guess is not None:
            message += f'; did you mean "{guess}"?'
            if guess.lower() == str(key).lower():  # "cpu" for "Cpu": safe to rename as written
                fix = (Edit("rename", slot, guess),)
        self.problems.setdefault("unknown-key", []).append(
            Problem(slot, message, at_key=True, fix=fix)
        )

    def missing(self, key: str, where: PathParts, task_path: PathParts) -> None:
        place = _describe(where[len(self.base) :])
        message = (
            f'{place} is missing the required key "{key}" '
            f"(CloudFormation's schema for {TASK_DEFINITION} requires it)"
        )
        self.problems.setdefault("missing-required-key", []).append(Problem(task_path, message))

    def user_map(
        self, value: dict[Any, Any], where: PathParts, task_path: PathParts, node: dict[str, Any]
    ) -> Any:
        """Keys are the user's own (log options, docker labels): only values are resolved."""
        patterns = node.get("patternProperties") or {}
        item_node = _definition(next(iter(patterns.values()), None))
        result = {}
        for key, item in value.items():
            resolved, item_where = self.resolve(item, (*where, key), (*task_path, key))
            slot: PathParts = (*task_path, key)
            self.paths[slot] = item_where
            if resolved is not NO_VALUE:
                result[key] = _coerce(resolved, item_node)
        return result

    # --- intrinsic functions -----------------------------------------------------------

    def resolve(self, value: Any, where: PathParts, task_path: PathParts) -> tuple[Any, PathParts]:
        """(value, template path of what it came from); intrinsics resolved or Unknown."""
        function = _intrinsic(value)
        if function is None:
            return value, where
        name, argument = function
        if name == "Fn::If":
            return self.resolve_if(argument, where, task_path)
        return self.evaluate(name, argument, task_path), where

    def evaluate(self, name: str, argument: Any, task_path: PathParts) -> Any:
        """The value of one intrinsic call, or an Unknown; nested calls are evaluated too."""
        text = _render(name, argument)
        if name == "Ref":
            return self.ref(argument, text, task_path)
        if name == "Fn::GetAtt":
            target = argument[0] if isinstance(argument, list) and argument else None
            return Unknown(text, REASON, ref=target if isinstance(target, str) else None)
        if name == "Fn::Sub":
            return self.sub(argument, text, task_path)
        if name == "Fn::Join":
            joined = self.join(argument, task_path)
            if joined is not None:
                return joined
        parts = self.known(argument, task_path)
        if isinstance(parts, Unknown):
            return Unknown(text, REASON, ref=parts.ref, key=_identity(name, argument))
        result = _pure_function(name, parts, self.mappings)
        return Unknown(text, REASON, key=_identity(name, argument)) if result is None else result

    def join(self, argument: Any, task_path: PathParts) -> str | Unknown | None:
        """A join of strings, some unknown: the known parts stay readable."""
        if not (isinstance(argument, list) and len(argument) == 2):
            return None
        delimiter, items = argument
        if not (isinstance(delimiter, str) and isinstance(items, list)):
            return None
        parts = [self.known(item, task_path) for item in items]
        if not all(isinstance(part, (str, Unknown)) for part in parts):
            return None
        unknown = [part for part in parts if isinstance(part, Unknown)]
        text = delimiter.join(p.text if isinstance(p, Unknown) else p for p in parts)
        if not unknown:
            return text
        self.origins.pop(task_path, None)
        return Unknown(text, REASON, ref=next((u.ref for u in unknown if u.ref), None))

    def known(self, value: Any, task_path: PathParts) -> Any:
        """``value`` with every nested intrinsic evaluated; the first Unknown if any is."""
        function = _intrinsic(value)
        if function is not None:
            if function[0] == "Fn::If":
                return Unknown(_render(*function), REASON, key=_identity(*function))
            return self.evaluate(function[0], function[1], task_path)
        if isinstance(value, list):
            items = [self.known(item, task_path) for item in value]
            return next((i for i in items if isinstance(i, Unknown)), items)
        return value

    def ref(self, name: Any, text: str, task_path: PathParts) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if isinstance(name, str) and name in self.fixed:
            value = self.fixed[name]
            if value is UNSETTLED or name in PSEUDO_PARAMETERS:
                return Unknown(text, "CloudFormation parameter whose value decides a condition")
            self.origins[task_path] = f"where parameter {name} is {value!r}"
            return value
        if not isinstance(name, str) or name in PSEUDO_PARAMETERS:
            return Unknown(text, REASON)
        parameter = self.parameters.get(name)
        if name in self.implied:
            implied = self.implied[name]
            if isinstance(implied, Unknown) or not isinstance(parameter, dict):
                return implied
            if str(parameter.get("NoEcho", "")).lower() != "true":
                self.origins[task_path] = f"from parameter {name}, as this branch's condition says"
                return implied
        if isinstance(parameter, dict):
            if str(parameter.get("NoEcho", "")).lower() == "true":
                return Unknown(text, NOECHO)  # a secret: never read, even its default
            if "Default" not in parameter or parameter["Default"] is None:
                return Unknown(text, "CloudFormation parameter without a default")
            self.origins[task_path] = f"from parameter {name}'s default"
            default = parameter["Default"]
            if not _plain(default):  # CloudFormation takes literals only here
                return Unknown(text, REASON)
            kind = parameter.get("Type")
            if isinstance(default, str) and isinstance(kind, str) and "List" in kind:
                return [item.strip() for item in default.split(",")]
            return default
        return Unknown(text, REASON, ref=name if name in self.resources else None)

    def sub(self, argument: Any, text: str, task_path: PathParts) -> Any:
        template, variables = argument, {}
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            template, variables = argument
        if not isinstance(template, str):
            return Unknown(text, REASON)
        unresolved: list[Unknown] = []

        def substitute(match: re.Match[str]) -> str:
            if match.group(1):  # ${!Literal} is written out as ${Literal}
                return "${" + match.group(2) + "}"
            variable = match.group(2)
            if variable in variables:
                value = self.known(variables[variable], task_path)
            elif "." in variable:
                value = Unknown("${" + variable + "}", REASON, ref=variable.split(".", 1)[0])
            else:
                value = self.ref(variable, f"!Ref {variable}", task_path)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return str(value)
            unknown = value if isinstance(value, Unknown) else Unknown("${" + variable + "}")
            unresolved.append(unknown)
            return match.group(0)  # still unknown: kept as written

        result = _SUB_VARIABLE.sub(substitute, template)
        if unresolved:
            self.origins.pop(task_path, None)
            reason = NOECHO if any(u.reason == NOECHO for u in unresolved) else REASON
            return Unknown(result, reason, ref=next((u.ref for u in unresolved if u.ref), None))
        return result

    def resolve_if(
        self, argument: Any, where: PathParts, task_path: PathParts
    ) -> tuple[Any, PathParts]:
        """Both branches where they agree; an Unknown wherever they differ."""
        text = _render("Fn::If", argument)
        key = _identity("Fn::If", argument)
        if not (isinstance(argument, list) and len(argument) == 3):
            return Unknown(text, REASON, key=key), where
        # A YAML short form indexes the branches under the tag's node; JSON under "Fn::If".
        prefix = (*where, "Fn::If") if self.document.has((*where, "Fn::If", 1)) else where
        condition = argument[0]
        if isinstance(condition, str) and condition in self.choice:
            taken = 1 if self.choice[condition] else 2
            return self.resolve(argument[taken], (*prefix, taken), task_path)
        first, _ = self.resolve(argument[1], (*prefix, 1), task_path)
        second, _ = self.resolve(argument[2], (*prefix, 2), task_path)
        agreed = _agree(first, second, text, key)
        # What both branches share is read (and located) in the first; a whole-value
        # disagreement is located at the Fn::If itself.
        return agreed, where if isinstance(agreed, Unknown) else (*prefix, 1)


def _agree(first: Any, second: Any, text: str, key: str) -> Any:
    """What two branches agree on; an Unknown (keyed by the branches, so that it equals
    only the same disagreement) wherever they differ."""
    if first is NO_VALUE or second is NO_VALUE:
        if first is second:
            return NO_VALUE
        return Unknown(text, f"{REASON} (Fn::If: set on one branch only)", key=key)
    if type(first) is type(second) and first == second:
        return first
    if isinstance(first, dict) and isinstance(second, dict) and first.keys() == second.keys():
        return {name: _agree(first[name], second[name], text, key) for name in first}
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        return [_agree(a, b, text, key) for a, b in zip(first, second, strict=True)]
    return Unknown(
        text, f"{REASON} (Fn::If: the branches differ)", key=f"{key}|{first!r}|{second!r}"
    )


def _identity(name: str, argument: Any) -> str:
    """The whole intrinsic call as text: what makes two unknown values the same one."""
    import json

    return json.dumps({name: argument}, sort_keys=True, default=repr)


def _pure_function(name: str, args: Any, mappings: dict[str, Any]) -> Any:
    """Functions whose result follows from known arguments; None when it does not."""
    try:
        if name == "Fn::Select":
            index, items = args
            return items[int(index)] if isinstance(items, list) else None
        elif name == "Fn::Split":
            delimiter, text = args
            return text.split(delimiter) if isinstance(text, str) else None
        elif name == "Fn::FindInMap":
            table, first, second = args[:3]
            found = mappings[table][first][second]
            return found if _plain(found) else None
    except (TypeError, ValueError, KeyError, IndexError):
        return None
    return None


def _plain(value: Any) -> bool:
    """A literal scalar, or a list of them: what a parameter default or a mapping holds."""
    if isinstance(value, list):
        return all(isinstance(item, (str, int, float)) for item in value)
    return isinstance(value, (str, int, float))


def _intrinsic(value: Any) -> tuple[str, Any] | None:
    if isinstance(value, dict) and len(value) == 1:
        ((key, argument),) = value.items()
        if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::")):
            return key, argument
    return None


def _render(name: str, argument: Any) -> str:
    """An unknown value in ``Fn::Sub`` notation: ``${Image}``, ``${Role.Arn}``, ``${Fn::If}``.

    Written so, the unknown part reads as a placeholder, and a rule that looks past
    placeholders (``${Repo.RepositoryUri}:latest`` still has the tag ``latest``) can.
    """
    if name == "Ref" and isinstance(argument, str):
        return "${" + argument + "}"
    if name == "Fn::GetAtt" and isinstance(argument, list):
        return "${" + ".".join(str(a) for a in argument) + "}"
    if name == "Fn::If" and isinstance(argument, list) and argument:
        condition = argument[0]
        if isinstance(condition, str) and "/" not in condition and "}" not in condition:
            return "${Fn::If " + condition + "}"
    return "${" + name + "}"


def _coerce(value: Any, node: dict[str, Any] | None) -> Any:
    """A scalar as CloudFormation converts it for a property of the schema type in ``node``.

    A template's scalars reach the resource provider as strings (a ``Ref`` to a parameter
    always is one), and CloudFormation converts them to the property's type: ``"80"``
    for an integer, ``"true"`` for a boolean, ``8080`` or ``false`` for a string. What
    does not convert (``"eighty"`` for an integer) stays as written, for the schema rules.
    """
    if node is None or not isinstance(value, (str, int, float)):
        return value
    kind = node.get("type")
    if kind == "string" and not isinstance(value, str):
        if isinstance(value, bool):
            return "true" if value else "false"
        return number_text(value)
    if not isinstance(value, str):
        return value
    if kind == "integer" and (number := parse_int(value)) is not None:
        return number
    if kind == "boolean" and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def _describe(parts: PathParts) -> str:
    """A template path below ``Properties`` as ``ContainerDefinitions[0].LogConfiguration``."""
    out = "Properties"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
