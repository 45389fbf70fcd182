"""``ecslint convert``: describe-task-definition output or a console export -> register input.

This is a command, not a fix of ``check --fix``: the result is another document (the
``taskDefinition`` wrapper unwrapped, the read-only fields and the nulls that describe
output prints for unset fields removed), not an edit of a few bytes of the file, and
describe output is not wrong as it is (ecslint lints it as describe output, and other
tools read it so), so there is no finding for such a fix to belong to. The result is
what ``aws ecs register-task-definition --cli-input-json`` (or ``--cli-input-yaml``) takes.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ecslint.commands.check import UsageError
from ecslint.load.target import READ_ONLY_FIELDS


def register_input(data: Any) -> dict[str, Any]:
    """The register input that describe output or an export ``data`` describes."""
    if isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict):
        task = dict(data["taskDefinition"])
        tags = data.get("tags")
        if isinstance(tags, list) and tags and "tags" not in task:
            task["tags"] = tags
    elif isinstance(data, dict) and ("containerDefinitions" in data or "family" in data):
        task = dict(data)
    else:
        raise UsageError(
            "not describe-task-definition output, a console export or a task definition"
        )
    for field in READ_ONLY_FIELDS:
        task.pop(field, None)
    cleaned = _without_nulls(task)
    assert isinstance(cleaned, dict)
    return cleaned


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def run_convert(path: str, output: str | None, output_format: str | None) -> int:
    from ecslint.load import LoadError, parse, read_source

    try:
        source = read_source(path)
        document = parse(source, "json" if path == "-" and output_format == "json" else None)
    except LoadError as error:
        raise UsageError(f"{path}:{error.line}:{error.column}: {error.message}") from None
    if document.syntax == "hcl":
        raise UsageError(f"{path}: a Terraform file; convert reads JSON or YAML")
    task = register_input(document.data)
    syntax = output_format or document.syntax
    if syntax == "yaml":
        from ecslint.load.yaml_doc import dump_yaml

        text = dump_yaml(task)
    else:
        text = json.dumps(task, indent=2, ensure_ascii=False) + "\n"
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    from ecslint.fixes import write_text
    from ecslint.safeio import FileError

    try:
        write_text(output, text)
    except (OSError, FileError) as exc:
        raise UsageError(f"cannot write {output}: {exc}") from None
    return 0
