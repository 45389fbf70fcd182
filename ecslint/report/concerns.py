"""What a rule is about, for the formats that classify findings: SARIF tags and
``security-severity`` (GitHub code scanning), GitLab Code Quality categories.

A built-in rule's concern is the folder it lives in (``rules/<concern>/``); a custom rule
outside those folders has none and is classified as a bug risk. A rule is a security rule
when its concern is security, or when it maps to an AWS Security Hub control
(``docs.mappings.security_hub``); its ``security-severity`` is then that control's severity
in Security Hub, or, for a rule without a control, what its own severity says.
"""

from __future__ import annotations

from pathlib import PurePath

from ecslint.catalog import Rule
from ecslint.model import Severity

#: Concern -> GitLab Code Quality category (one of GitLab's: Bug Risk, Clarity,
#: Compatibility, Complexity, Duplication, Performance, Security, Style).
CATEGORIES = {
    "security": "Security",
    "image_policy": "Security",
    "fargate": "Compatibility",
    "windows": "Compatibility",
    "meta": "Style",
}
#: Concerns whose rules are security rules in every format.
SECURITY_CONCERNS = frozenset({"security", "image_policy"})

#: The severity AWS Security Hub gives each ECS control that a rule maps to
#: (https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html; ECS.1 is
#: retired there since March 2026, and no rule maps to it). Checked in issue 16 against the
#: stored pages: ECS.1 on AWS's page; ECS.2, 3, 4, 5 (High) and 21 (Medium) on pages that
#: restate Security Hub's (cyscale, cloudyali, prowler, emnode), ECS.18 not High (emnode:
#: ELB.17 is the only High one beside S3.5 and ECS.18); ECS.8, 9, 17 and 20 not found.
SECURITY_HUB = {
    "ECS.1": "High",
    "ECS.2": "High",
    "ECS.3": "High",
    "ECS.4": "High",
    "ECS.5": "High",
    "ECS.8": "High",
    "ECS.9": "High",
    "ECS.10": "Medium",
    "ECS.12": "Medium",
    "ECS.16": "High",
    "ECS.17": "Medium",
    "ECS.18": "Medium",
    "ECS.20": "Medium",
    "ECS.21": "Medium",
}
#: GitHub's scale: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SCORES = {"Critical": "9.5", "High": "8.0", "Medium": "5.5", "Low": "3.0"}
#: A security rule without a Security Hub control: by the rule's own severity.
BY_SEVERITY = {Severity.ERROR: "High", Severity.WARNING: "Medium", Severity.INFO: "Low"}

_KNOWN = frozenset(
    {
        "containers",
        "deployment",
        "fargate",
        "healthcheck",
        "iam",
        "image_policy",
        "images",
        "logging",
        "meta",
        "networking",
        "registration",
        "resources",
        "roles",
        "schema",
        "secrets",
        "security",
        "volumes",
        "windows",
    }
)


def concern(rule: Rule) -> str | None:
    """The folder of a built-in rule (``security``, ``logging``, ...); None otherwise."""
    declared = getattr(rule, "concern", None)
    if isinstance(declared, str) and declared:
        return declared
    if not rule.origin:
        return None
    origin = PurePath(rule.origin)
    folder = origin.parent.name
    return folder if folder in _KNOWN and origin.parent.parent.name in ("rules", "_rules") else None


def security_hub_control(rule: Rule) -> str | None:
    mappings = rule.docs.get("mappings")
    control = mappings.get("security_hub") if isinstance(mappings, dict) else None
    return str(control) if control else None


def is_security(rule: Rule) -> bool:
    return concern(rule) in SECURITY_CONCERNS or security_hub_control(rule) is not None


def security_severity(rule: Rule) -> str | None:
    """GitHub's ``security-severity`` (a score as a string) of a security rule; else None."""
    if not is_security(rule):
        return None
    control = security_hub_control(rule)
    level = SECURITY_HUB.get(control) if control else None
    return SCORES[level or BY_SEVERITY[rule.severity]]


def tags(rule: Rule) -> list[str]:
    """SARIF tags: ``ecs``, the concern, and ``security`` for a security rule."""
    found = ["ecs"]
    name = concern(rule)
    if name:
        found.append(name.replace("_", "-"))
    if is_security(rule):
        if "security" not in found:
            found.append("security")
        control = security_hub_control(rule)
        if control:
            found.append(f"security-hub/{control}")
    return found


def gitlab_category(rule: Rule | None) -> str:
    if rule is not None and is_security(rule):
        return "Security"
    name = concern(rule) if rule is not None else None
    return CATEGORIES.get(name or "", "Bug Risk")
