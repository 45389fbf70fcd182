"""Where a rule's documentation lives online, for formats that link to it."""

from __future__ import annotations

from ecslint.catalog import Rule

PROJECT_URL = "https://github.com/ecslint/ecslint"
#: Rule pages, as ``docs/rules/<ID>-<slug>.md`` in the repository.
RULE_DOCS_URL = PROJECT_URL + "/blob/main/docs/rules/{id}-{name}.md"


def help_uri(rule: Rule) -> str:
    """A built-in rule's page; a custom rule's own ``docs.url`` or first reference."""
    if rule.id.startswith("ECS"):
        return RULE_DOCS_URL.format(id=rule.id, name=rule.name)
    docs = rule.docs
    url = docs.get("url")
    if isinstance(url, str) and url:
        return url
    references = docs.get("references")
    if isinstance(references, list) and references and isinstance(references[0], str):
        return references[0]
    return PROJECT_URL + "/blob/main/docs/custom-rules.md"
