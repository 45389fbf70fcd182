"""Which task definitions a document holds, and where each one sits in it.

A detector looks at a parsed document and returns the task definitions in it
(as :class:`Target`), or None when the document is not of its shape. Each
target carries the task definition in the API's own shape (camelCase, as
``register-task-definition`` takes it), so rules never care where it came from.
"""

from __future__ import annotations

from collections.abc import Callable

from ecslint.load.document import Document
from ecslint.load.target import READ_ONLY_FIELDS, NotATaskDefinition, Target
from ecslint.load.unknown import Unknown, mark_placeholders
from ecslint.model import PathParts

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: Words that every input some detector accepts holds as written: a key of register input
#: or describe output, a CloudFormation or Terraform resource type, an item of a bare
#: container list. A file a walk finds with none of them (and no escape that could spell one)
#: is not parsed: a repository is mostly package.json, workflows and manifests.
MARKERS = (
    "containerDefinitions",
    "family",
    "taskDefinition",
    "AWS::ECS::",
    "Resources",  # any CloudFormation template: its note says what it lacks
    "aws_ecs_",
    "image",
)
NOT_AN_ECS_INPUT = (
    "not an ECS input (it holds none of containerDefinitions, family, taskDefinition, "
    "AWS::ECS::, Resources, aws_ecs_ or image)"
)


def may_hold_targets(text: str) -> bool:
    """False only for a text that no detector can accept, decided without parsing it.

    An empty file is still parsed (an empty task definition is a finding), and so is any
    text with a backslash, where an escape such as ``\\u0066amily`` could write a key.
    """
    if not text.strip() or "\\" in text:
        return True
    return any(marker in text for marker in MARKERS)


Detector = Callable[[Document], "list[Target] | None"]


def _describe(document: Document) -> list[Target] | None:
    data = document.data
    if not (isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict)):
        return None
    task = dict(data["taskDefinition"])
    if "tags" in data:
        task["tags"] = data["tags"]

    def remap(parts: PathParts) -> PathParts:
        if parts and parts[0] == "tags":
            return parts
        return ("taskDefinition", *parts)

    return [Target(document, task, "describe", ("taskDefinition",), remap=remap)]


def _aws_service(document: Document) -> list[Target] | None:
    """A service read from an account by ``ecslint scan --aws`` (ecslint.sources.aws_services):
    its task definition sits where describe-task-definition puts it, beside the service."""
    data = document.data
    if not (isinstance(data, dict) and isinstance(data.get("service"), dict)):
        return None
    found = _describe(document)
    if found is None:
        return None
    target = found[0]
    target.shape = "aws-service"
    family, revision = target.task.get("family"), target.task.get("revision")
    if isinstance(family, str) and isinstance(revision, int):
        target.label = f"{family}:{revision}"
    return found


def _register(document: Document) -> list[Target] | None:
    data = document.data
    if not isinstance(data, dict):
        return None
    if "containerDefinitions" not in data and "family" not in data:
        return None
    shape = "export" if READ_ONLY_FIELDS.intersection(data) else "register"
    return [Target(document, data, shape)]


def _cloudformation(document: Document) -> list[Target] | None:
    if not (isinstance(document.data, dict) and "Resources" in document.data):
        return None
    from ecslint.load.cloudformation import detect

    return detect(document)


def _terraform(document: Document) -> list[Target] | None:
    data = document.data
    if document.syntax != "hcl" and not (isinstance(data, dict) and "format_version" in data):
        return None
    from ecslint.load.terraform import detect

    return detect(document)


#: Why a task-level field of a container list linted alone is unknown.
ALONE = "field of the task definition that includes this container list (linted alone)"


def _container_list(document: Document) -> list[Target] | None:
    """A bare list of container definitions (what Terraform's file() reads): its containers
    are linted; every task-level field is unknown, so no task-level rule guesses."""
    data = document.data
    if not (
        isinstance(data, list)
        and data
        and all(isinstance(item, dict) for item in data)
        and any("image" in item or "name" in item for item in data)
    ):
        return None
    from ecslint.facts.cloudformation import TASK_FIELDS

    # Distinct texts: two unknowns of the same text would compare equal (one role for both).
    task: dict[str, Any] = {name: Unknown(f"({name})", ALONE) for name in TASK_FIELDS}
    task["containerDefinitions"] = data

    def remap(parts: PathParts) -> PathParts:
        return parts[1:] if parts[:1] == ("containerDefinitions",) else ()

    return [Target(document, task, "containers", remap=remap)]


#: Tried in order; adapters for more shapes add themselves here.
DETECTORS: list[Detector] = [
    _aws_service,
    _describe,
    _cloudformation,
    _terraform,
    _register,
    _container_list,
]

#: ``--input-format`` names and the detectors each one allows ("auto": all of them).
INPUT_FORMATS: dict[str, list[Detector]] = {
    "taskdef": [_register],
    "describe": [_aws_service, _describe],
    "cloudformation": [_cloudformation],
    "terraform-plan": [_terraform],
    "terraform": [_terraform],
    "container-definitions": [_container_list],
}


def detect_targets(document: Document, input_format: str = "auto") -> list[Target]:
    """The task definitions in ``document``; raises NotATaskDefinition if there are none.

    ``input_format`` (``--input-format``) limits detection to one shape.
    """
    for detector in INPUT_FORMATS.get(input_format, DETECTORS):
        targets = detector(document)
        if targets is not None:
            for target in targets:
                replaced = mark_placeholders(target.task)
                target.plain = document.syntax == "json" and not replaced
            return targets
    if input_format != "auto":
        raise NotATaskDefinition(f"not {input_format} input ({_why_not(document.data)})")
    raise NotATaskDefinition(_why_not(document.data))


def _why_not(data: Any) -> str:
    if isinstance(data, dict) and "Resources" in data:
        return "a CloudFormation template with no AWS::ECS::TaskDefinition resource"
    if isinstance(data, dict):
        return "not a task definition (no family or containerDefinitions)"
    return f"not a task definition (the top level is a {type(data).__name__}, not an object)"
