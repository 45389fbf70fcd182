"""A rule's documentation page, rendered from its YAML entry (``ecslint rule``, ``docs/rules``).

The layout follows ruff's rule pages: What it does / Why is this bad? / What AWS
says / Example / Use instead / How to fix / References, plus the rule's options and
its mappings to other tools. ``tools/generate_docs.py`` writes one page per rule.
"""

from __future__ import annotations

import json

from ecslint.catalog import Rule
from ecslint.checks import UnknownCheck, get_spec

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

#: docs.mappings keys, in the order and with the names the pages and coverage table use.
MAPPING_LABELS: tuple[tuple[str, str], ...] = (
    ("security_hub", "AWS Security Hub"),
    ("cfn_lint", "cfn-lint"),
    ("checkov", "checkov"),
    ("trivy", "trivy"),
    ("kics", "KICS"),
)


def mapping_values(rule: Rule, key: str) -> list[str]:
    """The ids a rule maps to for one tool (a mapping may hold a string or a list)."""
    mappings = rule.docs.get("mappings")
    value = mappings.get(key) if isinstance(mappings, dict) else None
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)] if value not in (None, "") else []


_FIX_AVAILABLE = {
    "safe": "Fix: **safe**, where the file holds the value as written: `ecslint check --fix`.",
    "unsafe": (
        "Fix: **unsafe** (it changes how the task behaves): `ecslint check --fix --unsafe-fixes`."
    ),
}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _aws_section(docs: dict[str, Any]) -> list[str]:
    message = docs.get("aws_message")
    if not (isinstance(message, str) and message.strip()):
        return []
    source = docs.get("aws_source")
    if isinstance(source, str) and source.strip():
        intro = f"From {source.strip()}:"
    else:
        intro = "AWS rejects the registration with:"
    return ["## What AWS says", "", intro, "", f"> {message.strip()}", ""]


def _options(rule: Rule) -> list[str]:
    """The params of the rule's check, from the check's declaration."""
    try:
        declared = get_spec(rule.check).params
    except UnknownCheck:
        declared = None
    if not declared:
        return []
    out = ["## Options", ""]
    for name, param in declared.items():
        if name in rule.params:
            value = f"this rule: `{_json(rule.params[name])}`"
        else:
            value = f"default `{_json(param.default)}`"
        out.append(f"- `{name}` ({param.type_name}, {value}): {param.doc}")
    return [*out, ""]


def render_markdown(rule: Rule, check_source: str | None = None) -> str:
    """The page; ``check_source`` is a link to the check's module (docs/rules gives one)."""
    docs = rule.docs
    out = [f"# {rule.id} {rule.name}", "", f"{rule.summary}", ""]
    check = f"[`{rule.check}`]({check_source})" if check_source else f"`{rule.check}`"
    out += [f"Default severity: **{rule.severity.label}**. Check: {check}.", ""]
    if rule.opt_in:
        out += [
            f"Opt-in: this rule is in the `{rule.opt_in}` set, which does not run by default."
            f" Turn the set on with `extend-select: [{rule.opt_in}]` in the configuration"
            f" (or `--select {rule.opt_in}` on the command line, which runs only the set).",
            "",
        ]
    if rule.autofix != "none":
        out += [_FIX_AVAILABLE[rule.autofix], ""]
    sections = (("What it does", "what"), ("Why is this bad?", "why"))
    for title, key in sections:
        text = docs.get(key)
        if isinstance(text, str) and text.strip():
            out += [f"## {title}", "", text.strip(), ""]
    out += _aws_section(docs)
    out += _options(rule)
    example = docs.get("example")
    if isinstance(example, dict):
        params = example.get("params")
        if isinstance(params, dict) and params:
            shown = ", ".join(f"`{key}: {_json(value)}`" for key, value in params.items())
            out += [f"The examples below assume the options {shown}.", ""]
        plugin, config = example.get("plugin"), example.get("config")
        if isinstance(plugin, str) and isinstance(config, str):
            out += [
                "The examples below run with this plugin check installed (a package declaring"
                " its module under the `ecslint.checks` entry point):",
                "",
                "```python",
                plugin.rstrip(),
                "```",
                "",
                "and this configuration:",
                "",
                "```yaml",
                config.rstrip(),
                "```",
                "",
            ]
        for kind, title in (("fail", "## Example"), ("pass", "## Use instead")):
            text = example.get(kind)
            if isinstance(text, str):
                fence = "```json" if text.lstrip().startswith(("{", "[")) else "```yaml"
                out += [title, "", fence, text.rstrip(), "```", ""]
    fix = docs.get("fix")
    if isinstance(fix, str) and fix.strip():
        out += ["## How to fix", "", fix.strip(), ""]
    references = docs.get("references")
    if isinstance(references, list) and references:
        out += ["## References", ""]
        out += [f"- {reference}" for reference in references]
        out.append("")
    mapped = [(label, mapping_values(rule, key)) for key, label in MAPPING_LABELS]
    mapped = [(label, values) for label, values in mapped if values]
    if mapped:
        out += ["## Mappings", ""]
        out += [f"- {label}: {', '.join(values)}" for label, values in mapped]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
