"""What ``ecslint check`` can be asked: its choices and its options, free of typer.

Both command-line parsers fill in :class:`CheckOptions`: typer's (``ecslint.cli``)
and the quick one for the common forms (``ecslint.commands.quickargs``).
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class OutputFormat(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    gitlab = "gitlab"


class InputFormat(str, Enum):
    auto = "auto"
    taskdef = "taskdef"
    describe = "describe"
    cloudformation = "cloudformation"
    terraform_plan = "terraform-plan"
    terraform = "terraform"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class CheckOptions(NamedTuple):
    """The parameters of ``ecslint check``, named as its options are."""

    paths: tuple[str, ...]
    output_format: OutputFormat = OutputFormat.text
    fail_on: FailOn | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    quiet: bool = False
    iam: tuple[str, ...] = ()
    aws: bool = False
    region: str | None = None
    input_format: InputFormat = InputFormat.auto
    config: str | None = None
    isolated: bool = False
    output: str | None = None
    statistics: bool = False
    show_suppressed: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
