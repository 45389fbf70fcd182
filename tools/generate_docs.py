"""Write the rule documentation from the catalog: one page per rule, an index, a coverage table.

    python tools/generate_docs.py            # rewrite docs/rules/ and docs/coverage.md
    python tools/generate_docs.py --check    # exit 1 if a committed page is stale

Everything is generated from rules/<concern>/*.yaml (through ecslint.catalog.pages), so the pages
cannot drift from the rules; tests/test_docs.py runs the --check comparison. It also runs
tools/generate_catalog.py, which writes the index a run reads (ecslint/catalog/).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ecslint.catalog import Catalog, Rule, load_rules_dir  # noqa: E402
from ecslint.catalog.pages import MAPPING_LABELS, mapping_values, render_markdown  # noqa: E402

COMMAND = "python tools/generate_docs.py"
HEADER = f"<!-- Generated from rules/<concern>/*.yaml by `{COMMAND}`; do not edit by hand. -->\n\n"

#: Headings for the id hundreds whose concern is settled; others show as "ECS5xx".
GROUPS: dict[str, str] = {
    "ECS0": "The file itself (ECS0xx)",
    "ECS1": "Logging (ECS1xx)",
    "ECS2": "Roles, secrets and environment files (ECS2xx)",
    "ECS3": "CPU and memory (ECS3xx)",
    "ECS4": "Images (ECS4xx)",
    "ECS5": "Registration limits, containers, dependencies and health checks (ECS5xx)",
    "ECS6": "Networking and ports (ECS6xx)",
    "ECS7": "Volumes (ECS7xx)",
    "ECS8": "Fargate and Windows (ECS8xx)",
    "ECS9": "Security (ECS9xx)",
}


def page_name(rule: Rule) -> str:
    return f"{rule.id}-{rule.name}.md"


def check_source(rule: Rule) -> str:
    """The check's module, as a link relative to docs/rules/ (the page's folder)."""
    from ecslint.checks import all_checks

    module = all_checks()[rule.check].__module__
    return "../../" + module.replace(".", "/") + ".py"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_index(catalog: Catalog) -> str:
    out = [HEADER + "# Rules", ""]
    out += [
        f"ecslint has {len(catalog)} built-in rules. `ecslint rule <ID>` prints a page in the "
        "terminal; ids and slugs are interchangeable everywhere.",
        "",
    ]
    current = None
    for rule in catalog:
        group = GROUPS.get(rule.id[:4], f"{rule.id[:4]}xx")
        if group != current:
            current = group
            out += ["", f"## {group}", "", "| Rule | Name | Severity | Summary |"]
            out += ["|---|---|---|---|"]
        out.append(
            f"| [{rule.id}]({page_name(rule)}) | `{rule.name}` | {rule.severity.label} | "
            f"{_cell(rule.summary)} |"
        )
    from ecslint.catalog import RETIRED

    out += ["", "## Retired", "", "Removed rules; their ids and slugs are never reused, and "]
    out[-1] += "selectors that name them are accepted and select nothing."
    out += ["", "| Rule | Name | Why |", "|---|---|---|"]
    out += [f"| {rule_id} | `{slug}` | {_cell(why)} |" for rule_id, (slug, why) in RETIRED.items()]
    return "\n".join(out).rstrip() + "\n"


def render_coverage(catalog: Catalog) -> str:
    labels = [label for _, label in MAPPING_LABELS]
    out = [HEADER + "# Coverage: ecslint rules and the checks of other tools", ""]
    out += [
        "Each row is an ecslint rule; each column names the check of another tool that looks "
        "for the same problem, from the rule's `docs.mappings`. AWS Security Hub checks "
        "running accounts; cfn-lint reads CloudFormation; checkov, trivy and KICS read "
        "CloudFormation and Terraform. An empty cell means no mapped check is known.",
        "",
    ]
    counts = {key: 0 for key, _ in MAPPING_LABELS}
    rows = []
    for rule in catalog:
        cells = []
        for key, _ in MAPPING_LABELS:
            values = mapping_values(rule, key)
            counts[key] += bool(values)
            cells.append(", ".join(_cell(v) for v in values))
        link = f"[{rule.id}](rules/{page_name(rule)})"
        rows.append(
            f"| {link} | `{rule.name}` | {rule.severity.label} | " + " | ".join(cells) + " |"
        )
    out += ["| Rule | Name | Severity | " + " | ".join(labels) + " |"]
    out += ["|---|---|---|" + "---|" * len(labels)]
    out += rows
    out += ["", f"{len(catalog)} rules. Rules with a mapped check: "]
    out[-1] += ", ".join(f"{label} {counts[key]}" for key, label in MAPPING_LABELS) + "."
    return "\n".join(out).rstrip() + "\n"


def render_all(catalog: Catalog) -> dict[str, str]:
    """Relative path (under docs/) -> content, for every generated file."""
    files = {
        f"rules/{page_name(rule)}": HEADER + render_markdown(rule, check_source(rule))
        for rule in catalog
    }
    files["rules/README.md"] = render_index(catalog)
    files["coverage.md"] = render_coverage(catalog)
    return files


def stale(docs: Path, files: dict[str, str]) -> list[str]:
    """Generated files that differ from ``docs``, and rule pages there that no rule makes."""
    problems = [name for name, text in files.items() if _read(docs / name) != text]
    rules_dir = docs / "rules"
    if rules_dir.is_dir():
        for page in sorted(rules_dir.glob("ECS*.md")):
            if f"rules/{page.name}" not in files:
                problems.append(f"rules/{page.name} (no such rule)")
    return problems


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def write(docs: Path, files: dict[str, str]) -> None:
    (docs / "rules").mkdir(parents=True, exist_ok=True)
    for page in (docs / "rules").glob("ECS*.md"):
        if f"rules/{page.name}" not in files:
            page.unlink()
    for name, text in files.items():
        target = docs / name
        if _read(target) != text:
            target.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="docs directory")
    parser.add_argument("--check", action="store_true", help="report stale pages, write nothing")
    args = parser.parse_args(argv)
    files = render_all(Catalog(load_rules_dir(ROOT / "rules")))
    sys.path.insert(0, str(ROOT / "tools"))
    import generate_catalog  # the index a run reads comes from the same YAML

    if args.check:
        problems = stale(args.out, files)
        if generate_catalog.main(["--check"]):
            problems.append("../ecslint/catalog/builtin.json, docs.json or sarif-rules.txt")
        for problem in problems:
            print(f"stale: docs/{problem}", file=sys.stderr)
        if problems:
            print(f"run `{COMMAND}` to regenerate", file=sys.stderr)
        return 1 if problems else 0
    write(args.out, files)
    print(f"wrote {len(files)} files under {args.out}")
    generate_catalog.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
