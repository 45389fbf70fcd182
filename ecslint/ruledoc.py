"""A rule's documentation page, rendered from its YAML entry (``ecslint rule``, ``docs/rules``)."""

from __future__ import annotations

from ecslint.catalog import Rule


def render_markdown(rule: Rule) -> str:
    docs = rule.docs
    out = [f"# {rule.id} {rule.name}", "", f"{rule.summary}", ""]
    out += [f"Default severity: **{rule.severity.label}**.", ""]
    sections = (("What it does", "what"), ("Why is this bad?", "why"))
    for title, key in sections:
        text = docs.get(key)
        if isinstance(text, str) and text.strip():
            out += [f"## {title}", "", text.strip(), ""]
    message = docs.get("aws_message")
    if isinstance(message, str) and message.strip():
        out += [
            "## What AWS says",
            "",
            "AWS rejects the registration with:",
            "",
            f"> {message.strip()}",
            "",
        ]
    if rule.params:
        out += ["## Options", ""]
        out += [f"- `{key}`: default `{value!r}`" for key, value in rule.params.items()]
        out.append("")
    example = docs.get("example")
    if isinstance(example, dict):
        if isinstance(example.get("fail"), str):
            out += ["## Example", "", "```json", example["fail"].rstrip(), "```", ""]
        if isinstance(example.get("pass"), str):
            out += ["## Use instead", "", "```json", example["pass"].rstrip(), "```", ""]
    fix = docs.get("fix")
    if isinstance(fix, str) and fix.strip():
        out += ["## How to fix", "", fix.strip(), ""]
    references = docs.get("references")
    if isinstance(references, list) and references:
        out += ["## References", ""]
        out += [f"- {reference}" for reference in references]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
