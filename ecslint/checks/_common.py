"""Small helpers several check modules share (not a check module itself).

The readers here return the value when it is of the expected type, an
:class:`~ecslint.load.unknown.Unknown` when it is a placeholder, and None otherwise
(absent or of the wrong type, which the schema reports): they never guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ecslint.checks.view import TaskView
from ecslint.facts.images import ImageReference, parse_image
from ecslint.lazy_re import lazy_re
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

COMPAT_PATH: PathParts = ("requiresCompatibilities",)


def fargate(task: TaskView) -> bool | Unknown:
    """Whether the task is validated for Fargate, or the Unknown that hides it."""
    unknown = task.fargate_unknown
    return unknown if unknown is not None else task.is_fargate


def as_int(value: Any) -> int | None:
    """An integer, not a boolean (JSON ``true`` is not a port)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def fargate_gate(task: TaskView) -> list[Problem]:
    """Not evaluated when requiresCompatibilities itself is a placeholder.

    A list, not a generator: nearly always empty, and a dozen checks ask for it.
    """
    unknown = task.fargate_unknown
    return [] if unknown is None else [task.not_evaluated(COMPAT_PATH, unknown)]


def volume_label(volume: dict[str, Any], index: int) -> str:
    """'name' for a named volume, #index for one without a name."""
    name = volume.get("name")
    return repr(name) if isinstance(name, str) else f"#{index}"


def as_count(value: object) -> int | Unknown | None:
    """An integer or a digit string (CloudFormation writes numbers as strings), or the Unknown."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        from ecslint.numbers import parse_count

        return parse_count(value)
    return None


def added_capabilities(task: TaskView) -> list[tuple[int, PathParts, Any]]:
    """(container index, path, entry) for every entry of linuxParameters.capabilities.add."""
    return task.memo("capabilities.add", lambda: _added_capabilities(task))


def _added_capabilities(task: TaskView) -> list[tuple[int, PathParts, Any]]:
    found = []
    for index, container in task.containers():
        linux = container.get("linuxParameters")
        caps = linux.get("capabilities") if isinstance(linux, dict) else None
        added = caps.get("add") if isinstance(caps, dict) else None
        if isinstance(added, list):
            for position, capability in enumerate(added):
                path = task.container_path(
                    index, "linuxParameters", "capabilities", "add", position
                )
                found.append((index, path, capability))
    return found


def capability_name(value: str) -> str:
    """SYS_ADMIN for " cap_sys_admin": Docker takes either spelling, in any case."""
    upper = value.strip().upper()
    return upper[4:] if upper.startswith("CAP_") else upper


def entries(owner: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, item) for every object in the list ``owner[key]``.

    A list, not a generator: checks ask for lists that are mostly absent or short, and
    a generator cost more to make than the walk itself.
    """
    items = owner.get(key)
    if not isinstance(items, list) or not items:
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def is_essential(container: dict[str, Any]) -> bool | Unknown:
    """``essential`` defaults to true: only an explicit false makes a container non-essential."""
    value = container.get("essential")
    if isinstance(value, Unknown):
        return value
    return value is not False


def has_items(value: Any) -> bool:
    """A non-empty list (describe output fills absent lists with ``[]``)."""
    return isinstance(value, list) and len(value) > 0


def first_unknown(value: Any) -> Unknown | None:
    """The first Unknown anywhere inside ``value`` (iterative: no recursion limit)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Unknown):
            return node
        if isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return None


LogConfigurations = list[tuple[int, dict[str, "Any"], str | Unknown | None]]


def log_configurations(task: TaskView) -> LogConfigurations:
    """(container index, logConfiguration, driver) for every container with one.

    The driver is None when it is missing or not a string (the schema reports that).
    Made once per task definition: a dozen rules read it.
    """
    return task.memo("log_configurations", lambda: _log_configurations(task))


def _log_configurations(task: TaskView) -> LogConfigurations:
    found: LogConfigurations = []
    for index, container in task.containers():
        config = container.get("logConfiguration")
        if isinstance(config, dict):
            driver = config.get("logDriver")
            found.append((index, config, driver if isinstance(driver, (str, Unknown)) else None))
    return found


def options_of(config: dict[str, Any]) -> dict[str, Any] | None:
    options = config.get("options")
    return options if isinstance(options, dict) else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for a near miss, else ''."""
    import difflib  # only when there is something to suggest

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.75)
    return f' (did you mean "{close[0]}"?)' if close else ""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Template tokens that the loader does not treat as placeholders because they are also
# plausible text (ACCOUNT_ID, XXXXXXXXXXXX, {AWS_ID}, <task-role-arn>, CHANGEME_IMAGE).
# Checks consult this only for a value they would otherwise report as malformed, so a
# valid value is never skipped because of it.
_TEMPLATE = lazy_re(
    r"""
      \{[^{}]*\}                      # {AWS_ID}, {your-account-id}
    | <[A-Za-z]                       # <task-role-arn>, <image of any app
    | X{4,}                           # XXXX, XXXXXXXXXXXX
    | (?i:your)[_-]                   # YOUR_ACCOUNT_ID, your-account-id
    | (?i:account[_-]?id|changeme|change[_-]me|replace[_-]?me|placeholder|todo)
    | \b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b  # ACCOUNT_ID, REPOSITORY_URI, REPLACED_BY_CI
    | \b[A-Z]{3,}[A-Z0-9]*\b          # IMAGE, REGION, TAG written in capitals
    """,
    re.VERBOSE,
)


def template_token(text: str) -> Unknown | None:
    """An Unknown for ``text`` when it looks like a template value, not a real one."""
    if _TEMPLATE.search(text):
        return Unknown(text, reason="template value (it looks like a placeholder)")
    return None


def parsed_image(task: TaskView, image: str) -> ImageReference | None:
    """:func:`~ecslint.facts.images.parse_image`, once per task definition and image: four
    rules read the same references."""
    parsed: dict[str, ImageReference | None] = task.memo("images.parsed", dict)
    try:
        return parsed[image]
    except KeyError:
        reference = parsed[image] = parse_image(image)
        return reference
