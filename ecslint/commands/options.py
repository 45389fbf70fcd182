"""What ``ecslint check`` can be asked: every option, declared once, free of typer.

Each field of :class:`CheckOptions` after ``paths`` is one option: its type gives its
kind (``bool``: a flag; ``tuple[str, ...]``: a list, one value per use; anything else:
one value, an ``Enum`` giving the choices, an ``int`` maybe bounded), and its default,
written as :func:`option`, gives the default, the flags and the help. Both command-line
parsers are derived from these fields by :func:`option_specs`: typer's ``check``
command (``ecslint.cli``) and the quick parser for plain command lines
(``ecslint.commands.quickargs``). Adding an option is adding one field here.
"""

# No ``from __future__ import annotations``: the parsers read the annotations at run time
# (they would still work with it, at the cost of evaluating them).

import sys
import types
from collections.abc import Callable
from enum import Enum

from ecslint.records import Record

TYPE_CHECKING = False  # typing is not imported at run time (a cold run's 16 M instructions)
if TYPE_CHECKING:
    from typing import Any, Literal, TypeVar

    V = TypeVar("V")
    T = TypeVar("T", bound=tuple[object, ...])
    Kind = Literal["flag", "value", "list"]


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
    container_definitions = "container-definitions"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class MinSeverity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class OptionSpec:
    """One option as both parsers read it: written by :func:`option`, completed by
    :func:`options` from the field's name and type."""

    __slots__ = (
        "default",
        "flags",
        "help",
        "kind",
        "max",
        "metavar",
        "min",
        "name",
        "optional",
        "value_type",
    )

    def __init__(
        self,
        default: object,
        flags: tuple[str, ...],
        help: str,
        metavar: str | None = None,
        min: int | None = None,
        max: int | None = None,
    ) -> None:
        self.name = ""
        self.flags = flags
        self.kind: Kind = "value"
        #: The type of one value: ``bool`` for a flag, ``str``, ``int`` or an ``Enum``.
        self.value_type: type = str
        self.default = default
        self.help = help
        self.metavar = metavar
        self.min = min
        self.max = max
        #: The value may be None (``str | None``).
        self.optional = False

    @property
    def choices(self) -> type[Enum] | None:
        return self.value_type if issubclass(self.value_type, Enum) else None

    def __repr__(self) -> str:
        return f"OptionSpec({self.name!r}, {self.flags!r}, {self.kind!r})"


class ArgumentSpec:
    """The positional arguments of a command: a name and a help."""

    __slots__ = ("help", "name")

    def __init__(self, name: str, help: str) -> None:
        self.name = name
        self.help = help


#: Options written by :func:`option` in a class body that :func:`options` has not closed.
_pending: list[OptionSpec] = []


def option(
    default: "V",
    *flags: str,
    help: str,
    metavar: str | None = None,
    min: int | None = None,
    max: int | None = None,
) -> "V":
    """A field's default, and its option's flags (``"--format", "-f"``) and help.

    Written as the default of a field in a class decorated with :func:`options`;
    ``min`` and ``max`` bound an int. It returns the default, so the field is typed
    and defaulted as usual, and files the rest for the decorator, in the fields' order.
    """
    _pending.append(OptionSpec(default, flags, help, metavar, min, max))
    return default


def same_option(fields: type[tuple[object, ...]], name: str) -> "Any":
    """The option ``name`` of another NamedTuple of options, taken as it is declared there
    (flags, help, default), for a command that shares it: ``scan`` shares ``--format``."""
    for spec in option_specs(fields)[1]:
        if spec.name == name:
            return option(
                spec.default,
                *spec.flags,
                help=spec.help,
                metavar=spec.metavar,
                min=spec.min,
                max=spec.max,
            )
    raise TypeError(f"{fields.__name__} has no option {name!r}")


def options(argument_help: str | None = None) -> "Callable[[type[T]], type[T]]":
    """Close a NamedTuple of options: with ``argument_help``, its first field holds the
    positional arguments (that is their help); every other field is an :func:`option`."""

    def close(fields: "type[T]") -> "type[T]":
        specs = tuple(_pending)
        _pending.clear()
        names: tuple[str, ...] = fields._fields  # type: ignore[attr-defined]
        defaults: dict[str, object] = fields._field_defaults  # type: ignore[attr-defined]
        positional = names[:1] if argument_help is not None else ()
        if len(specs) != len(names) - len(positional) or set(positional) & set(defaults):
            raise TypeError(f"{fields.__name__}: one positional field, then option(...) fields")
        hints = fields.__annotations__
        typing = sys.modules.get("typing")  # a ForwardRef exists only once typing is imported
        unresolved = (str,) if typing is None else (str, typing.ForwardRef)
        if any(isinstance(hint, unresolved) for hint in hints.values()):
            from typing import get_type_hints  # from __future__ import annotations

            hints = get_type_hints(fields)
        for name, spec in zip(names[len(positional) :], specs, strict=True):
            if defaults[name] is not spec.default:
                raise TypeError(f"{fields.__name__}.{name}: its default is not its option(...)")
            spec.name = name
            _complete(spec, hints[name], fields.__name__)
        argument = ArgumentSpec(names[0], argument_help) if argument_help is not None else None
        fields.__options__ = (argument, specs)  # type: ignore[attr-defined]
        return fields

    return close


def _union_members(value_type: "Any") -> "tuple[Any, ...] | None":
    """The members of ``X | None`` (or typing's ``Optional[X]``), or None for another type."""
    if isinstance(value_type, types.UnionType):
        return value_type.__args__
    typing = sys.modules.get("typing")  # Optional[X] exists only once typing is imported
    if typing is not None and getattr(value_type, "__origin__", None) is typing.Union:
        args: tuple[Any, ...] = value_type.__args__
        return args
    return None


def _complete(spec: OptionSpec, value_type: "Any", owner: str) -> None:
    """The kind and value type of an option, from its field's type."""
    members = _union_members(value_type)
    if members is not None:
        spec.optional, value_type = True, next(m for m in members if m is not type(None))
    if getattr(value_type, "__origin__", None) is tuple:  # tuple[str, ...] (or Tuple)
        spec.kind, value_type = "list", value_type.__args__[0]
    elif value_type is bool:
        spec.kind = "flag"
    spec.value_type = value_type
    if (spec.kind == "flag" and spec.default is not False) or (
        spec.kind == "list" and spec.default != ()
    ):
        raise TypeError(f"{owner}.{spec.name}: a flag defaults to False, a list to ()")


@options(argument_help="Task definition files or directories; - reads stdin.")
class CheckOptions(Record):
    """The parameters of ``ecslint check``, in the order ``--help`` lists them."""

    paths: tuple[str, ...]
    output_format: OutputFormat = option(OutputFormat.text, "--format", "-f", help="Output format.")
    fail_on: FailOn | None = option(
        None, "--fail-on", help="Lowest severity that makes the exit code 1 [default: warning]."
    )
    select: tuple[str, ...] = option(
        (), "--select", help="Run only these rules (ids, prefixes or slugs)."
    )
    ignore: tuple[str, ...] = option(
        (), "--ignore", help="Do not run these rules (ids, prefixes or slugs)."
    )
    quiet: bool = option(False, "--quiet", "-q", help="Print findings only: no notes, no summary.")
    iam: tuple[str, ...] = option(
        (),
        "--iam",
        metavar="FILE",
        help="Evaluate execution roles against this 'aws iam "
        "get-account-authorization-details' JSON.",
    )
    aws: bool = option(
        False, "--aws", help="Evaluate execution roles read from the AWS account (boto3)."
    )
    region: str | None = option(
        None, "--region", help="The AWS Region the task definitions run in."
    )
    aws_timeout: int = option(
        30,
        "--aws-timeout",
        metavar="SECONDS",
        min=1,
        max=3600,
        help="With --aws: the longest one AWS read may take, retries included "
        "(a role's, a family's describe, a list page); then it is an error finding.",
    )
    input_format: InputFormat = option(
        InputFormat.auto,
        "--input-format",
        help="What the files hold; auto detects it from each file's content.",
    )
    config: str | None = option(
        None, "--config", help="Read settings from this file instead of searching."
    )
    isolated: bool = option(False, "--isolated", help="Ignore every configuration file.")
    output: str | None = option(
        None, "--output", "-o", help="Write the --format report to FILE; print text to stdout."
    )
    statistics: bool = option(False, "--statistics", help="Print how many findings each rule has.")
    show_suppressed: bool = option(
        False, "--show-suppressed", help="Also show suppressed findings."
    )
    baseline: str | None = option(
        None, "--baseline", help="Report only findings that are not in this baseline."
    )
    write_baseline: str | None = option(
        None, "--write-baseline", help="Record today's findings in FILE; exit 0."
    )
    min_severity: MinSeverity | None = option(
        None, "--min-severity", help="Show only findings at or above this severity [default: info]."
    )
    fix: bool = option(False, "--fix", help="Apply the safe fixes; report what is left.")
    unsafe_fixes: bool = option(
        False, "--unsafe-fixes", help="With --fix or --diff: also the fixes that change behaviour."
    )
    diff: bool = option(
        False, "--diff", help="Print the fixes as a unified diff; write nothing; exit 1 if any."
    )
    jobs: int | None = option(
        None,
        "--jobs",
        "-j",
        metavar="N",
        min=1,
        max=256,
        help="Lint in N processes [default: every core, from 200 files on].",
    )
    stdin_filename: str | None = option(
        None, "--stdin-filename", help="The name of the file that - (stdin) holds, for editors."
    )
    color: ColorMode = option(
        ColorMode.auto,
        "--color",
        help="Color the text format: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces it).",
    )
    quiet_skips: bool = option(
        False,
        "--quiet-skips",
        help="No note for a file that holds no ECS input (for pre-commit, which passes them all).",
    )


def option_specs(
    fields: type[tuple[object, ...]],
) -> tuple[ArgumentSpec | None, tuple[OptionSpec, ...]]:
    """The positional argument (if any) and the options a NamedTuple of :func:`options`
    declares."""
    return fields.__options__  # type: ignore[attr-defined,no-any-return]
