"""Generate schemas/task-definition.schema.json from the ECS API model that botocore ships.

The schema is generated, never edited by hand: the API model gives every shape its
types, enums, required members and the few limits it states in machine-readable
form; ``tools/schema-overlay.yaml`` adds the limits the model states only in prose.
``tests/test_schema.py`` regenerates the file and fails when it drifts.

Run it after changing the overlay or the pinned botocore version::

    python tools/generate_schema.py
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "schemas" / "task-definition.schema.json"
OVERLAY = Path(__file__).resolve().parent / "schema-overlay.yaml"
RULES = Path(__file__).resolve().parent.parent / "rules"

#: The register input (the schema's root), the describe output and its wrapper.
REGISTER = "RegisterTaskDefinitionRequest"
DESCRIBE = "TaskDefinition"
ROOT_SHAPES = (REGISTER, DESCRIBE, "DescribeTaskDefinitionResponse")

#: Timestamps: epoch seconds on the wire, ISO-8601 as the AWS CLI v2 prints them.
ISO_TIMESTAMP = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?"
    r"([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$"
)
DESCRIPTION_LIMIT = 240


def load_model() -> dict[str, Any]:
    import botocore  # type: ignore[import-untyped]
    import botocore.loaders  # type: ignore[import-untyped]

    model: dict[str, Any] = botocore.loaders.create_loader().load_service_model("ecs", "service-2")
    model.setdefault("metadata", {})["botocoreVersion"] = botocore.__version__
    return model


def load_overlay(path: Path = OVERLAY) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: the overlay must be a mapping")
    return data


def short_doc(text: str | None) -> str | None:
    """The first sentence of a model docstring, as plain text."""
    if not text:
        return None
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    plain = " ".join(plain.split())
    if not plain:
        return None
    match = re.search(r"(?<=[a-z0-9)\]'\"`])\.(\s|$)", plain)
    sentence = plain[: match.start() + 1] if match else plain
    if len(sentence) > DESCRIPTION_LIMIT:
        cut = sentence.rfind(" ", 0, DESCRIPTION_LIMIT - 3)
        sentence = sentence[: cut if cut > 0 else DESCRIPTION_LIMIT - 3].rstrip(",;:") + "..."
    return sentence


class Generator:
    def __init__(self, model: Mapping[str, Any], overlay: Mapping[str, Any]) -> None:
        self.shapes: Mapping[str, Any] = model["shapes"]
        self.model = model
        self.member_overlay: Mapping[str, Any] = overlay.get("members") or {}
        self.shape_overlay: Mapping[str, Any] = overlay.get("shapes") or {}
        self.added: Mapping[str, Mapping[str, str]] = overlay.get("add_members") or {}
        self.defs: dict[str, Any] = {}
        self.used_overlay: set[str] = set()

    # --- shapes -------------------------------------------------------------------------

    def is_plain(self, name: str) -> bool:
        """A primitive without constraints is written inline instead of as a $def."""
        shape = self.shapes[name]
        if shape["type"] in ("structure", "list", "map"):
            return False
        constrained = any(key in shape for key in ("enum", "min", "max", "pattern"))
        return not constrained and name not in self.shape_overlay

    def reference(self, name: str) -> dict[str, Any]:
        if self.is_plain(name):
            return self.primitive(self.shapes[name])
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: breaks cycles
            self.defs[name] = self.define(name)
        return {"$ref": f"#/$defs/{name}"}

    def define(self, name: str) -> dict[str, Any]:
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            schema = self.structure(name, shape)
        elif kind == "list":
            schema = {"type": "array", "items": self.reference(shape["member"]["shape"])}
            if "min" in shape:
                schema["minItems"] = shape["min"]
            if "max" in shape:
                schema["maxItems"] = shape["max"]
        elif kind == "map":
            schema = {
                "type": "object",
                "additionalProperties": self.reference(shape["value"]["shape"]),
            }
        else:
            schema = self.primitive(shape, name)
        overlay = self.shape_overlay.get(name)
        if overlay:
            self.used_overlay.add(name)
            schema.update(overlay)
        pattern = schema.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SystemExit(
                    f"shape {name}: pattern {pattern!r} is not portable ({exc}); "
                    "replace it in tools/schema-overlay.yaml"
                ) from None
        description = short_doc(shape.get("documentation"))
        if description and kind != "structure":
            schema["description"] = description
        return schema

    def structure(self, name: str, shape: Mapping[str, Any]) -> dict[str, Any]:
        members: dict[str, Any] = dict(shape.get("members") or {})
        for member, target in (self.added.get(name) or {}).items():
            members[member] = {"shape": target}
        properties: dict[str, Any] = {}
        for member, spec in members.items():
            schema = self.reference(spec["shape"])
            description = short_doc(spec.get("documentation"))
            if description:
                schema["description"] = description
            key = f"{name}.{member}"
            overlay = self.member_overlay.get(key)
            if overlay:
                self.used_overlay.add(key)
                schema.update(overlay)
            properties[member] = schema
        schema = {"type": "object", "additionalProperties": False, "properties": properties}
        if shape.get("required"):
            schema["required"] = list(shape["required"])
        description = short_doc(shape.get("documentation"))
        if description:
            schema["description"] = description
        return schema

    @staticmethod
    def primitive(shape: Mapping[str, Any], name: str = "") -> dict[str, Any]:
        kind = shape["type"]
        schema: dict[str, Any]
        if kind == "string":
            schema = {"type": "string"}
            if "enum" in shape:
                schema["enum"] = list(shape["enum"])
            if "min" in shape:
                schema["minLength"] = shape["min"]
            if "max" in shape:
                schema["maxLength"] = shape["max"]
            if "pattern" in shape:
                schema["pattern"] = shape["pattern"]
        elif kind in ("integer", "long"):
            schema = {"type": "integer"}
            if "min" in shape:
                schema["minimum"] = shape["min"]
            if "max" in shape:
                schema["maximum"] = shape["max"]
        elif kind in ("double", "float"):
            schema = {"type": "number"}
        elif kind == "boolean":
            schema = {"type": "boolean"}
        elif kind == "timestamp":
            schema = {"type": ["number", "string"], "pattern": ISO_TIMESTAMP}
        else:
            raise SystemExit(f"shape {name or shape}: unsupported type {kind!r}")
        return schema

    # --- the document ---------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        for name in ROOT_SHAPES:
            self.reference(name)
        unused = (set(self.member_overlay) | set(self.shape_overlay)) - self.used_overlay
        if unused:
            raise SystemExit(f"overlay entries match no shape: {', '.join(sorted(unused))}")
        metadata = self.model.get("metadata") or {}
        version = metadata.get("botocoreVersion", "unknown")
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": (
                f"Generated by tools/generate_schema.py from the ECS API model "
                f"({metadata.get('apiVersion', '?')}) in botocore {version}, plus "
                "tools/schema-overlay.yaml. Do not edit by hand."
            ),
            "title": "Amazon ECS task definition (register input, describe output, console export)",
            "description": (
                "The root accepts what ecslint check accepts: register-task-definition input "
                "(--cli-input-json, #/$defs/RegisterTaskDefinitionRequest), "
                "describe-task-definition output (#/$defs/DescribeTaskDefinitionResponse) and "
                "a console export or describe's taskDefinition (#/$defs/TaskDefinition: "
                "read-only fields allowed). Point an editor at one definition to have only "
                "that shape accepted."
            ),
            "anyOf": [
                {"$ref": f"#/$defs/{REGISTER}"},
                {"$ref": "#/$defs/DescribeTaskDefinitionResponse"},
                {"$ref": "#/$defs/TaskDefinition"},
            ],
            "$defs": self.defs,
        }


def render(schema: Mapping[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def with_rule_ownership(overlay: dict[str, Any], rules: Path = RULES) -> dict[str, Any]:
    """``overlay`` plus the x-ecslint-*-reported-by annotations the rules' ``reports_schema``
    asks for: ``limits`` and ``nulls`` of a member (``Shape.member``) or shape, and
    ``required`` keys (``Shape.key``)."""
    import yaml

    members: dict[str, dict[str, Any]] = dict(overlay.get("members") or {})
    shapes: dict[str, dict[str, Any]] = dict(overlay.get("shapes") or {})
    keywords = {"limits": "x-ecslint-reported-by", "nulls": "x-ecslint-null-reported-by"}
    for path in sorted(rules.glob("*/*.yaml")):
        rule = yaml.safe_load(path.read_text(encoding="utf-8"))
        owned = rule.get("reports_schema") or {}
        for what, places in owned.items():
            for place in places:
                if what == "required":
                    shape, _, key = place.partition(".")
                    entry = shapes[shape] = dict(shapes.get(shape) or {})
                    table = entry["x-ecslint-required-reported-by"] = dict(
                        entry.get("x-ecslint-required-reported-by") or {}
                    )
                    table[key] = sorted({*table.get(key, []), rule["id"]})
                    continue
                table_of = members if "." in place else shapes
                entry = table_of[place] = dict(table_of.get(place) or {})
                keyword = keywords[what]
                entry[keyword] = sorted({*entry.get(keyword, []), rule["id"]})
    return {**overlay, "members": members, "shapes": shapes}


def generate() -> str:
    return render(Generator(load_model(), with_rule_ownership(load_overlay())).build())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)
    text = generate()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
