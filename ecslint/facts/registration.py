"""Registration limits and name rules (ecs-facts.md §1.1, §3.2, §3.3, §7)."""

from __future__ import annotations

from ecslint.lazy_re import lazy_re

#: Containers per task definition: a hard quota (§3.2, "Too many containers.").
MAX_CONTAINERS = 10
#: The whole task definition, as the API receives it (§3.2, §7).
MAX_TASK_DEFINITION_BYTES = 65536
#: family, container and volume names: letters, digits, ``_`` and ``-``, up to 255 (§1.1).
NAME_PATTERN = lazy_re(r"[A-Za-z0-9_-]{1,255}")
MAX_NAME_LENGTH = 255
#: Tags per resource (botocore model: Tags max=50) and the reserved prefix (§1.1).
MAX_TAGS = 50
RESERVED_TAG_PREFIX = "aws:"

#: ClientException texts of RegisterTaskDefinition (§7, and the issues cited in the rules).
MSG_EMPTY = "Container list cannot be empty."
MSG_TOO_MANY = "Too many containers."
MSG_NO_NAME = "Container.name should not be null or empty."
MSG_DUPLICATE_NAME = "Container names must be unique within a Task Definition."
MSG_FAMILY_CHARS = "Family contains invalid characters."
MSG_CONTAINER_NAME_CHARS = "Container.name contains invalid characters."
MSG_NO_ESSENTIAL = "Task definition doesn't have any essential container."
MSG_ESSENTIAL_DEPENDENCY = (
    "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"
)


def too_large_message(size: int) -> str:
    return f"Actual length: '{size}'. Max allowed length is '{MAX_TASK_DEFINITION_BYTES}' bytes."
