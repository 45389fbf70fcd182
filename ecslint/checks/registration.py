"""Checks of what RegisterTaskDefinition rejects outright: limits, names and tags.

Messages quote the ClientException where it is known (ecs-facts.md §7), so a
user can search for the error they would otherwise meet at deploy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from ecslint.checks import Param, check
from ecslint.checks._common import entries, first_unknown
from ecslint.checks.view import TaskView
from ecslint.facts import registration as facts
from ecslint.load.target import READ_ONLY_FIELDS
from ecslint.load.unknown import Unknown
from ecslint.model import Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: How close to the limit a template with placeholders must be before the size is in doubt.
_UNKNOWN_MARGIN = 4096


@check("empty-container-list")
def empty_container_list(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    definitions = task.task.get("containerDefinitions")
    path = ("containerDefinitions",)
    if isinstance(definitions, Unknown):
        yield task.not_evaluated(path, definitions)
    elif definitions is None or definitions == []:
        state = "is empty" if definitions == [] else "is missing"
        yield task.problem(path, f"containerDefinitions {state}; ECS answers '{facts.MSG_EMPTY}'")


@check(
    "too-many-containers",
    params={"max": Param(int, facts.MAX_CONTAINERS, "The most containers a task may have.")},
)
def too_many_containers(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    definitions = task.task.get("containerDefinitions")
    limit = int(params["max"])
    if isinstance(definitions, list) and len(definitions) > limit:
        yield task.problem(
            ("containerDefinitions", limit),
            f"the task definition has {len(definitions)} containers; ECS allows at most "
            f"{limit} ('{facts.MSG_TOO_MANY}')",
        )


def register_request(task: dict[str, Any]) -> dict[str, Any]:
    """The task definition as register-task-definition sends it: no read-only fields,
    no nulls (botocore drops them), no tags (they are not part of the definition)."""
    cleaned = _drop_nulls({k: v for k, v in task.items() if k not in READ_ONLY_FIELDS})
    cleaned.pop("tags", None)
    return cleaned  # type: ignore[no-any-return]


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(item) for item in value]
    return value


def serialised_size(task: dict[str, Any], unknown_as: str = "text") -> int:
    """Bytes of the compact UTF-8 JSON; placeholders count as written or as empty."""

    def placeholder(value: object) -> str:
        if isinstance(value, Unknown):
            return value.text if unknown_as == "text" else ""
        raise TypeError(type(value).__name__)

    text = json.dumps(
        register_request(task), separators=(",", ":"), ensure_ascii=False, default=placeholder
    )
    return len(text.encode("utf-8", "surrogatepass"))


#: Compact JSON is at most this many times longer than the JSON text it was read from
#: (a number such as 1e15 re-serialises as 1000000000000000.0; \uXXXX escapes shrink).
_MAX_GROWTH = 5


def _surely_small(task: TaskView, limit: int) -> bool:
    """A JSON file this short cannot hold a task definition over the limit.

    Serialising every task definition to measure it was a tenth of a many-file run;
    real ones are a few KiB, so the bound settles almost all of them for free.
    """
    document = task.target.document
    return (
        document.syntax == "json"
        and task.shape in ("register", "describe", "export")
        and len(document.text.encode("utf-8", "surrogatepass")) * _MAX_GROWTH <= limit
    )


@check(
    "task-definition-too-large",
    params={
        "max_bytes": Param(
            int, facts.MAX_TASK_DEFINITION_BYTES, "The largest registration, in bytes."
        )
    },
)
def task_definition_too_large(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    limit = int(params["max_bytes"])
    if _surely_small(task, limit):
        return
    unknown = first_unknown(register_request(task.task))
    # A placeholder can expand to anything: count it as empty for a certain lower bound.
    size = serialised_size(task.task, "empty" if unknown is not None else "text")
    if size > limit:
        yield task.problem(
            (),
            f"the task definition is {size:,} bytes as compact JSON; ECS accepts at most "
            f"{limit:,} ('{facts.too_large_message(size)}')",
        )
    elif unknown is not None and size > limit - _UNKNOWN_MARGIN:
        yield task.not_evaluated(
            (), unknown, f"the definition is {size:,} bytes before placeholders are filled in"
        )


def _name_problem(value: str, what: str) -> str | None:
    if not value:
        return f"{what} is empty"
    if len(value) > facts.MAX_NAME_LENGTH:
        limit = facts.MAX_NAME_LENGTH
        return f"{what} is {len(value)} characters long; at most {limit} are allowed"
    if not facts.NAME_PATTERN.fullmatch(value):
        bad = sorted({ch for ch in value if not facts.NAME_PATTERN.fullmatch(ch)})
        shown = ", ".join(repr(ch) for ch in bad)
        return f"{what} {value!r} contains {shown}; only letters, digits, '_' and '-' are allowed"
    return None


@check("invalid-family-name")
def invalid_family_name(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    family = task.task.get("family")
    if isinstance(family, Unknown):
        yield task.not_evaluated(("family",), family)
    elif isinstance(family, str):
        problem = _name_problem(family, "family")
        if problem:
            yield task.problem(("family",), f"{problem} ('{facts.MSG_FAMILY_CHARS}')")


@check("invalid-container-name")
def invalid_container_name(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in task.containers():
        name = container.get("name")
        path = task.container_path(index, "name")
        if isinstance(name, Unknown):
            yield task.not_evaluated(path, name)
        elif isinstance(name, str) and name:  # an empty name is missing-container-name's
            problem = _name_problem(name, "container name")
            if problem:
                yield task.problem(path, f"{problem} ('{facts.MSG_CONTAINER_NAME_CHARS}')")


@check("invalid-volume-name")
def invalid_volume_name(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, volume in entries(task.task, "volumes"):
        name = volume.get("name")
        path = ("volumes", index, "name")
        if isinstance(name, Unknown):
            yield task.not_evaluated(path, name)
        elif isinstance(name, str):
            problem = _name_problem(name, "volume name")
            if problem:
                yield task.problem(path, problem)


@check("missing-container-name")
def missing_container_name(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    for index, container in task.containers():
        name = container.get("name")
        if name is None or (isinstance(name, str) and not name.strip()):
            state = "has no name" if name is None else "has an empty name"
            yield task.problem(
                task.container_path(index, "name"),
                f"container #{index} {state}; ECS answers '{facts.MSG_NO_NAME}'",
            )


@check("duplicate-container-name")
def duplicate_container_name(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, container in task.containers():
        name = container.get("name")
        if not isinstance(name, str) or not name:
            continue
        if name in seen:
            yield task.problem(
                task.container_path(index, "name"),
                f"container #{index} is named {name!r} like container #{seen[name]} "
                f"('{facts.MSG_DUPLICATE_NAME}')",
            )
        else:
            seen[name] = index


def _tags(task: TaskView) -> list[tuple[int, dict[str, Any]]]:
    return list(entries(task.task, "tags"))


@check(
    "too-many-tags",
    params={"max": Param(int, facts.MAX_TAGS, "The most tags a task definition may have.")},
)
def too_many_tags(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    tags = task.task.get("tags")
    limit = int(params["max"])
    if isinstance(tags, list) and len(tags) > limit:
        yield task.problem(
            ("tags", limit),
            f"{len(tags)} tags; a task definition can carry at most {limit}",
        )


@check("duplicate-tag-key")
def duplicate_tag_key(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, tag in _tags(task):
        key = tag.get("key")
        if isinstance(key, Unknown):
            yield task.not_evaluated(("tags", index, "key"), key)
        elif isinstance(key, str):
            if key in seen:
                yield task.problem(
                    ("tags", index, "key"),
                    f"tag key {key!r} is already used by tags[{seen[key]}]; keys must be unique",
                )
            else:
                seen[key] = index


@check("reserved-tag-prefix")
def reserved_tag_prefix(task: TaskView, params: Mapping[str, Any]) -> Iterator[Problem]:
    if task.shape == "describe":
        return  # AWS itself adds aws:* tags (CloudFormation's); the user did not write them
    prefix = facts.RESERVED_TAG_PREFIX
    for index, tag in _tags(task):
        key = tag.get("key")
        path = ("tags", index, "key")
        if isinstance(key, Unknown):
            if key.text[: len(prefix)].lower() == prefix:
                yield task.problem(
                    path, f"tag key {key.text!r} starts with the reserved {prefix!r}"
                )
        elif isinstance(key, str) and key[: len(prefix)].lower() == prefix:
            yield task.problem(
                path,
                f"tag key {key!r} starts with {key[: len(prefix)]!r}: the prefix {prefix!r} "
                "is reserved for AWS in any letter case",
            )
