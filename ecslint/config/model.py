"""The configuration file's model (pydantic), and turning a file into validated settings.

Imported only when a configuration exists, so a plain ``ecslint check`` never pays
for pydantic. Errors are :class:`ConfigError` with the file, line and key they
are about; the CLI prints them on one line and exits 2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ecslint.config.file import ConfigError, Located

SeverityName = Literal["error", "warning", "info"]
FailOnName = Literal["error", "warning", "info", "never"]

#: Ids of built-in rules; a custom rule must use its own prefix.
BUILTIN_PREFIX = "ECS"
CUSTOM_ID = r"^[A-Z][A-Z0-9]*[0-9]+$"
SLUG = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True
    )


class Suppression(_Strict):
    """Suppress rules for matching files, task definitions or containers, with a reason."""

    rules: list[str] = Field(min_length=1, description="Rule ids, prefixes or slugs.")
    files: str = Field("**", description="A path glob, relative to this file.")
    family: str | None = Field(None, description="A glob on the task definition family.")
    container: str | None = Field(None, description="A glob on the container name.")
    reason: str = Field(min_length=1, description="Why; required, never empty.")

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the reason must not be empty")
        return value.strip()


class CustomRule(_Strict):
    """A rule in the format of ``rules/``: a built-in or plugin check with its own params.

    Mirrors ``schemas/rule.schema.json`` (which validates rule files; a test keeps
    the two in step) so that inline rules are validated with the config.
    """

    id: str = Field(pattern=CUSTOM_ID, description="Your own prefix and a number: ACME001.")
    name: str = Field(pattern=SLUG, description="A kebab-case slug naming the bad pattern.")
    severity: SeverityName
    check: str | None = Field(
        None, min_length=1, description="The check it runs, e.g. json-schema (default: name)."
    )
    summary: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)
    docs: dict[str, Any] = Field(default_factory=dict)
    opt_in: str | None = Field(
        None,
        pattern=SLUG,
        description="The opt-in set the rule belongs to: it runs only when selected by name.",
    )
    autofix: Literal["safe", "unsafe", "none"] = Field(
        "none", description="Whether a finding can be fixed automatically."
    )

    @field_validator("id")
    @classmethod
    def _not_builtin(cls, value: str) -> str:
        if value.upper().startswith(BUILTIN_PREFIX):
            raise ValueError(f"ids starting with {BUILTIN_PREFIX} are reserved for built-in rules")
        return value


class Config(_Strict):
    """ecslint's configuration: ``.ecslint.yaml`` or ``[tool.ecslint]`` in pyproject.toml."""

    model_config = ConfigDict(title="ecslint configuration")

    select: list[str] | None = Field(
        None, description="Run only these rules (ids, prefixes, slugs or ALL)."
    )
    extend_select: list[str] = Field(
        default_factory=list, description="Rules to run in addition to select."
    )
    ignore: list[str] = Field(default_factory=list, description="Rules not to run.")
    severity: dict[str, SeverityName] = Field(
        default_factory=dict, description="Severity overrides: rule -> error|warning|info."
    )
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Rule params: rule -> {param: value}."
    )
    exclude: list[str] = Field(default_factory=list, description="Path globs never linted.")
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, description="Path glob -> rules not reported for those files."
    )
    fail_on: FailOnName | None = Field(
        None, description="Lowest severity that makes the exit code 1 (default warning)."
    )
    min_severity: SeverityName | None = Field(
        None, description="Show only findings at or above this severity (default: info, all)."
    )
    baseline: str | None = Field(
        None, description="A baseline file (from --write-baseline), relative to this file."
    )
    custom_rules: list[str | CustomRule] = Field(
        default_factory=list,
        description="Custom rules: inline, or paths to YAML rule files relative to this file.",
    )
    suppressions: list[Suppression] = Field(
        default_factory=list, description="Findings to suppress, each with a reason."
    )


def json_schema() -> dict[str, Any]:
    schema = Config.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/ecslint/ecslint/schemas/config.schema.json",
        **schema,
    }


def parse_config(data: Located) -> Config:
    """Validate the mapping read from a config file."""
    if not isinstance(data.value, dict):
        raise data.error((), "the configuration must be a mapping of keys")
    try:
        return Config.model_validate(data.value)
    except ValidationError as exc:
        raise _first_error(exc, data) from None


def _first_error(
    exc: ValidationError, data: Located, prefix: tuple[str | int, ...] = ()
) -> ConfigError:
    errors = exc.errors()
    # For ``str | CustomRule`` pydantic reports both branches; the mapping's is the useful one.
    error = next((e for e in errors if "str" not in e["loc"]), errors[0])
    location = tuple(part for part in error["loc"] if not _is_union_tag(part))
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    else:
        message = error["msg"]
        given = error.get("input")
        if error["type"] in ("literal_error", "string_pattern_mismatch") and given is not None:
            message += f" (got {given!r})"
    return data.error((*prefix, *location), message)


def _is_union_tag(part: str | int) -> bool:
    # pydantic names the branch of a union it tried, e.g. ``str`` or ``CustomRule``.
    return isinstance(part, str) and (
        part in ("str", "CustomRule") or bool(re.match(r"^[\w-]+\[", part))
    )


def resolve_path(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path
