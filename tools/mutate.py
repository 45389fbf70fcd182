"""Mutation testing of the rule logic: does the test suite notice a one-token change?

    python tools/mutate.py                      # 300 mutants, seed 18, over checks/ facts/ iam/
    python tools/mutate.py -n 50 --seed 7       # another sample
    python tools/mutate.py --list               # how many mutants each file has, nothing run
    python tools/mutate.py --only 'fargate.py'  # only mutants whose id contains the text
    python tools/mutate.py --rerun out.json     # only the survivors of an earlier --json run

A small AST mutator (no dependency). It enumerates every mutant of the modules under
``ecslint/checks``, ``ecslint/facts`` and ``ecslint/iam`` (comparison swaps, int constants
+/- 1, a changed string in a table or a comparison, a dropped entry of a set/dict/tuple/list
literal, ``and``/``or`` swapped, a negated condition, True/False swapped, ``return x`` ->
``return None``, ``+``/``-`` swapped, a removed statement), draws a seeded sample, and for
each mutant writes the changed module into a private copy of the checkout (never the
checkout itself), runs only the tests that matter for that module in a niced child
``pytest -x -p no:cacheprovider`` with a timeout, and restores the module.

Which tests matter: a check module ``checks/<concern>.py`` runs ``tests/rules/test_<concern>.py``
and the documented examples of the rules in ``rules/<concern>/`` (tests/test_rule_examples.py);
a helper, fact table or IAM module runs the tests of every concern whose check imports it
(directly or through other helpers) and every test file that imports it; a module nothing maps
to runs all of ``tests/rules/`` and the examples.

A mutant is *killed* when the tests fail, *timeout* when they run past the limit (counted as
killed: the change made them hang), *survived* when they pass. Mutants reviewed as equivalent
(no input can tell them from the original) are listed with a reason in
``tools/mutate-equivalent.txt`` and left out of the score. The score is
``(killed + timeout) / (sampled - equivalent)``, per package and in all.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ecslint/checks", "ecslint/facts", "ecslint/iam")
EQUIVALENT_FILE = ROOT / "tools" / "mutate-equivalent.txt"
DEFAULT_COUNT = 300
#: Tests that reach a module by a way the import graph does not show (AWS calls through moto,
#: params validated by the config), run before the ones the graph gives.
EXTRA_TESTS: dict[str, tuple[str, ...]] = {
    "ecslint/iam/live.py": ("tests/test_iam_aws.py",),
    "ecslint/iam/sources.py": ("tests/rules/test_iam.py", "tests/test_iam_aws.py"),
    "ecslint/iam/authdetails.py": ("tests/rules/test_iam.py",),
    "ecslint/checks/generic.py": ("tests/test_custom_rules.py",),
    "ecslint/checks/__init__.py": ("tests/test_config.py", "tests/test_custom_rules.py"),
    "ecslint/iam/evaluate.py": ("tests/test_iam_evaluate.py",),
}
#: Test files never run for a mutant: each case starts child processes under resource
#: limits (40 s and more for the file); the behaviour they pin has fast tests of its own.
SLOW_TESTS = frozenset({"tests/test_hostile_files.py", "tests/test_hostile.py"})
DEFAULT_SEED = 18

_CMP_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


class Mutant(NamedTuple):
    path: str  # relative to ROOT
    line: int
    col: int
    scope: str  # the enclosing function or class, "<module>" at top level
    op: str  # cmp, int, str, drop, boolop, not, bool, return, arith, stmt
    describe: str  # "a < b -> a <= b"
    start: int  # byte offsets of the replaced segment
    end: int
    replacement: bytes
    key: str  # stable id: path::scope::op: describe (#n when repeated)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Collector(ast.NodeVisitor):
    """Every mutation point of one module, in source order."""

    def __init__(self, path: str, source: bytes) -> None:
        self.path = path
        self.source = source
        self.line_starts = [0]
        for index, byte in enumerate(source):
            if byte == 0x0A:
                self.line_starts.append(index + 1)
        self.scope: list[str] = []
        self.found: list[tuple[int, int, str, str, int, int, bytes]] = []
        self.skip: set[int] = set()  # ids of nodes not to mutate (docstrings, annotations)

    # --- positions ----------------------------------------------------------------------------

    def _span(self, node: ast.AST) -> tuple[int, int]:
        start = self.line_starts[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
        end = self.line_starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
        return start, end

    def _text(self, node: ast.AST) -> str:
        start, end = self._span(node)
        return self.source[start:end].decode("utf-8")

    def _add(self, node: ast.AST, op: str, describe: str, replacement: str) -> None:
        start, end = self._span(node)
        self.found.append(
            (
                node.lineno,  # type: ignore[attr-defined]
                node.col_offset,  # type: ignore[attr-defined]
                op,
                describe,
                start,
                end,
                replacement.encode("utf-8"),
            )
        )

    def _replace_expr(self, node: ast.expr, new: ast.expr, op: str) -> None:
        after = ast.unparse(new)
        self._add(node, op, f"{_short(self._text(node))} -> {_short(after)}", f"({after})")

    # --- traversal ----------------------------------------------------------------------------

    def _skip_docstring(self, body: list[ast.stmt]) -> None:
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.skip.add(id(body[0]))

    def visit_Module(self, node: ast.Module) -> None:
        self._skip_docstring(node.body)
        self.generic_visit(node)

    def _visit_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self._skip_docstring(node.body)
        if not isinstance(node, ast.ClassDef):
            for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                if arg.annotation is not None:
                    self.skip.add(id(arg.annotation))
            for extra in (node.args.vararg, node.args.kwarg):
                if extra is not None and extra.annotation is not None:
                    self.skip.add(id(extra.annotation))
            if node.returns is not None:
                self.skip.add(id(node.returns))
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = _visit_scope
    visit_AsyncFunctionDef = _visit_scope
    visit_ClassDef = _visit_scope

    def visit(self, node: ast.AST) -> None:
        if id(node) in self.skip or isinstance(node, ast.JoinedStr):
            return
        if isinstance(node, ast.AnnAssign):
            self.skip.add(id(node.annotation))
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            return
        if isinstance(node, ast.stmt):
            self._statement(node)
        super().visit(node)

    def _statement(self, node: ast.stmt) -> None:
        removable = isinstance(node, ast.Expr | ast.AugAssign | ast.Continue | ast.Break | ast.If)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            removable = False  # a bare string or Ellipsis does nothing
        if isinstance(node, ast.If) and self._text(node).startswith("elif"):
            removable = False  # an elif branch is not a statement of its own
        if removable:
            first = self._text(node).splitlines()[0]
            self._add(node, "stmt", f"remove {_short(first, 70)}", "pass")
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if not (isinstance(value, ast.Constant) and value.value is None):
                self._replace_expr(value, ast.Constant(None), "return")
        if isinstance(node, ast.If | ast.While):
            self._replace_expr(node.test, _negate(node.test), "not")

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._replace_expr(node.test, _negate(node.test), "not")
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        for test in node.ifs:
            self._replace_expr(test, _negate(test), "not")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._replace_expr(node, node.operand, "not")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for index, cmp in enumerate(node.ops):
            swapped = _CMP_SWAP.get(type(cmp))
            if swapped is None:
                continue
            ops = list(node.ops)
            ops[index] = swapped()
            self._replace_expr(node, ast.Compare(node.left, ops, node.comparators), "cmp")
        for operand in [node.left, *node.comparators]:
            if isinstance(operand, ast.Constant) and isinstance(operand.value, str):
                self._string(operand)
                self.skip.add(id(operand))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self._replace_expr(node, ast.BoolOp(other, node.values), "boolop")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap: ast.operator | None = None
        if isinstance(node.op, ast.Add):
            swap = ast.Sub()
        elif isinstance(node.op, ast.Sub):
            swap = ast.Add()
        if swap is not None:
            self._replace_expr(node, ast.BinOp(node.left, swap, node.right), "arith")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._replace_expr(node, ast.Constant(not value), "bool")
        elif isinstance(value, int):
            for delta in (1, -1):
                self._replace_expr(node, ast.Constant(value + delta), "int")

    def _string(self, node: ast.Constant) -> None:
        value = node.value
        assert isinstance(value, str)
        self._replace_expr(node, ast.Constant(value + "X" if value else "X"), "str")

    def _literal(self, node: ast.Set | ast.List | ast.Tuple | ast.Dict) -> None:
        if isinstance(node, ast.Dict):
            for index, key in enumerate(node.keys):
                if key is None:
                    continue  # **spread
                keys = node.keys[:index] + node.keys[index + 1 :]
                values = node.values[:index] + node.values[index + 1 :]
                new_dict = ast.Dict(keys, values)
                self._add(
                    node,
                    "drop",
                    f"drop {_short(self._text(key), 60)}: ... from a dict",
                    f"({ast.unparse(new_dict)})",
                )
            elements = [key for key in node.keys if key is not None] + list(node.values)
        else:
            for index, element in enumerate(node.elts):
                if isinstance(element, ast.Starred):
                    continue
                rest = node.elts[:index] + node.elts[index + 1 :]
                if isinstance(node, ast.Set) and not rest:
                    new: ast.expr = ast.Call(ast.Name("set"), [], [])
                elif isinstance(node, ast.Set):
                    new = ast.Set(rest)
                elif isinstance(node, ast.List):
                    new = ast.List(rest, ast.Load())
                else:
                    new = ast.Tuple(rest, ast.Load())
                kind = type(node).__name__.lower()
                self._add(
                    node,
                    "drop",
                    f"drop {_short(self._text(element), 60)} from a {kind}",
                    f"({ast.unparse(new)})",
                )
            elements = list(node.elts)
        for element in elements:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                self._string(element)
                self.skip.add(id(element))
        self.generic_visit(node)

    def visit_Set(self, node: ast.Set) -> None:
        self._literal(node)

    def visit_List(self, node: ast.List) -> None:
        if isinstance(node.ctx, ast.Load):
            self._literal(node)
        else:
            self.generic_visit(node)

    def visit_Tuple(self, node: ast.Tuple) -> None:
        if isinstance(node.ctx, ast.Load):
            self._literal(node)
        else:
            self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        self._literal(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        # a type expression (dict[str, int] in an alias or cast) is not logic
        if isinstance(node.value, ast.Name) and node.value.id in _TYPE_NAMES:
            return
        self.generic_visit(node)


_TYPE_NAMES = frozenset(
    {"dict", "list", "tuple", "set", "frozenset", "type", "Mapping", "Sequence", "Iterable",
     "Iterator", "Callable", "Literal", "Optional", "Union", "TypeVar", "cast"}
)  # fmt: skip


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _negate(test: ast.expr) -> ast.expr:
    return ast.UnaryOp(ast.Not(), test)


#: The source each mutant was computed from (the checkout may change during a run).
_SOURCES: dict[str, bytes] = {}


def collect(path: Path) -> list[Mutant]:
    """Every mutant of one module."""
    source = path.read_bytes()
    rel = path.relative_to(ROOT).as_posix()
    _SOURCES[rel] = source
    collector = _Collector(rel, source)
    tree = ast.parse(source)
    scopes = _scopes(tree)
    collector.visit(tree)
    seen: dict[str, int] = {}
    mutants: list[Mutant] = []
    for line, col, op, describe, start, end, replacement in collector.found:
        scope = scopes.get(line, "<module>")
        key = f"{rel}::{scope}::{op}: {describe}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key} #{seen[key]}"
        mutants.append(Mutant(rel, line, col, scope, op, describe, start, end, replacement, key))
    return mutants


def _scopes(tree: ast.Module) -> dict[int, str]:
    """Line -> the innermost function or class around it (dotted)."""
    lines: dict[int, str] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}.{child.name}" if prefix else child.name
                for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                    lines[line] = name
                walk(child, name)
            else:
                walk(child, prefix)

    walk(tree, "")
    return lines


def sample(mutants: list[Mutant], count: int, seed: int) -> list[Mutant]:
    """The ``count`` mutants whose keys hash lowest with the seed, in source order.

    A mutant is drawn or not by its own key, so editing one module changes only the draw
    of that module's mutants (a positional random sample would redraw them all).
    """

    def rank(mutant: Mutant) -> bytes:
        return hashlib.sha256(f"{seed}:{mutant.key}".encode()).digest()

    drawn = set(sorted(mutants, key=rank)[:count])
    return [mutant for mutant in mutants if mutant in drawn]


def mutated_source(mutant: Mutant) -> bytes:
    source = _SOURCES[mutant.path]
    return source[: mutant.start] + mutant.replacement + source[mutant.end :]


def all_mutants() -> list[Mutant]:
    mutants: list[Mutant] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            mutants.extend(collect(path))
    return mutants


# --- which tests matter for a module -------------------------------------------------------------


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The ecslint modules a file imports anywhere (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known}


class TestMap:
    def __init__(self) -> None:
        files = sorted((ROOT / "ecslint").rglob("*.py"))
        self.names = {_module_name(path): path for path in files}
        known = set(self.names)
        self.importers: dict[str, set[str]] = {name: set() for name in known}
        for name, path in self.names.items():
            for imported in _imports(path, known):
                self.importers[imported].add(name)
        self.test_imports: dict[str, set[str]] = {}
        for test in sorted((ROOT / "tests").rglob("test_*.py")):
            rel = test.relative_to(ROOT).as_posix()
            for imported in _imports(test, known):
                self.test_imports.setdefault(imported, set()).add(rel)
        self._examples: list[str] | None = None

    def _concern(self, module: str) -> str | None:
        prefix = "ecslint.checks."
        if not module.startswith(prefix):
            return None
        concern = module[len(prefix) :]
        if (ROOT / "tests" / "rules" / f"test_{concern}.py").is_file():
            return concern
        return None

    def concerns(self, module: str) -> set[str]:
        """The check concerns whose modules import ``module``, directly or through helpers."""
        found: set[str] = set()
        todo, seen = [module], {module}
        while todo:
            current = todo.pop()
            concern = self._concern(current)
            if concern is not None:
                found.add(concern)
                continue  # a concern module is where the walk stops
            for importer in self.importers.get(current, ()):
                if importer == "ecslint.checks" or importer in seen:
                    continue
                if not importer.startswith(("ecslint.checks", "ecslint.facts", "ecslint.iam")):
                    continue
                seen.add(importer)
                todo.append(importer)
        return found

    def example_ids(self) -> list[str]:
        if self._examples is None:
            output = subprocess.run(
                [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                 "-o", "addopts=", "tests/test_rule_examples.py"],
                cwd=ROOT, capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip
            self._examples = [line for line in output.splitlines() if "::" in line]
        return self._examples

    def tests_for(self, rel: str) -> list[str]:
        module = _module_name(ROOT / rel)
        concerns = self.concerns(module)
        tests = {f"tests/rules/test_{concern}.py" for concern in concerns}
        tests |= self.test_imports.get(module, set())
        tests -= SLOW_TESTS
        if rel.startswith("ecslint/checks/") and b"Edit(" in (ROOT / rel).read_bytes():
            tests.add("tests/test_fix.py")  # the module's findings carry fixes
        rule_ids = {
            yaml.name.split("-", 1)[0]
            for concern in concerns
            for yaml in (ROOT / "rules" / concern).glob("ECS*.yaml")
        }
        examples = [
            node
            for node in self.example_ids()
            if node.split("[", 1)[-1].split("-", 1)[0] in rule_ids
        ]
        extra = list(EXTRA_TESTS.get(rel, ()))  # first: they fail fastest for these modules
        if not tests and not extra:
            return ["tests/rules", "tests/test_rule_examples.py"]
        return extra + sorted(tests - set(extra)) + examples


# --- running ------------------------------------------------------------------------------------


class Outcome(NamedTuple):
    status: str  # killed, timeout, survived, equivalent, invalid
    seconds: float


def _copy_checkout(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.split(b"\0")  # fmt: skip
    for raw in listed:
        if not raw:
            continue
        rel = raw.decode("utf-8", "surrogateescape")
        source = ROOT / rel
        if not source.is_file() or source.is_symlink():
            continue
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


def _environment(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the copy keeps its bytecode between mutants
    env["PYTHONPATH"] = str(copy)
    corpus = os.environ.get("ECSLINT_CORPUS") or str(ROOT.parent / "shared" / "corpus")
    env["ECSLINT_CORPUS"] = corpus
    return env


def _run_tests(copy: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    command = [
        "nice", "-n", "10", sys.executable, "-m", "pytest",
        "-p", "no:cacheprovider", "-x", "-q", "--no-header", "-o", "addopts=", *tests,
    ]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=copy,
        env=_environment(copy),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return "timeout", time.monotonic() - started
    elapsed = time.monotonic() - started
    return ("survived" if code == 0 else "killed"), elapsed


def _drop_bytecode(path: Path) -> None:
    for cached in (path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"):
        cached.unlink()


def read_equivalent(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """The reviewed equivalent mutants: an id line, then its reason indented below it."""
    if not path.is_file():
        return {}
    entries: dict[str, str] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line[0].isspace():
            if current is None:
                raise SystemExit(f"{path}: a reason before any mutant id: {line.strip()}")
            entries[current] = (entries[current] + " " + line.strip()).strip()
        else:
            current = line.strip()
            entries[current] = ""
    missing = [key for key, reason in entries.items() if not reason]
    if missing:
        raise SystemExit(f"{path}: no reason given for {missing[0]}")
    return entries


def _package(path: str) -> str:
    return path.split("/")[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=DEFAULT_COUNT, help="mutants to sample")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--only", action="append", default=[], help="id substring (repeatable)")
    parser.add_argument("--rerun", type=Path, help="run the survivors of an earlier --json file")
    parser.add_argument("--json", type=Path, help="write every outcome to this file")
    parser.add_argument("--timeout", type=float, default=0, help="seconds per mutant (0: auto)")
    parser.add_argument("--list", action="store_true", help="count mutants per file, run none")
    parser.add_argument("--show", action="store_true", help="print the sampled mutants, run none")
    parser.add_argument("--min-score", type=float, default=0.0, help="exit 1 below this percent")
    args = parser.parse_args(argv)

    mutants = all_mutants()
    if args.list:
        counts: dict[str, int] = {}
        for mutant in mutants:
            counts[mutant.path] = counts.get(mutant.path, 0) + 1
        for path, count in counts.items():
            print(f"{count:6d}  {path}")
        print(f"{len(mutants):6d}  in all")
        return 0
    kept: list[dict[str, object]] = []  # the earlier outcomes --rerun does not repeat
    if args.rerun:
        previous = json.loads(args.rerun.read_text(encoding="utf-8"))
        wanted = {row["id"] for row in previous if row["status"] in ("survived", "equivalent")}
        kept = [row for row in previous if row["id"] not in wanted]
        chosen = [mutant for mutant in mutants if mutant.key in wanted]
        gone = wanted - {mutant.key for mutant in chosen}
        for key in sorted(gone):
            print(f"no longer a mutant (its code changed): {key}", file=sys.stderr)
    else:
        if args.only:
            mutants = [m for m in mutants if any(text in m.key for text in args.only)]
        chosen = sample(mutants, args.count, args.seed)
    equivalent = read_equivalent()
    if args.show:
        for mutant in chosen:
            print(f"{mutant.path}:{mutant.line}:{mutant.col + 1}  {mutant.op}  {mutant.describe}")
        return 0

    tests = TestMap()
    started = time.monotonic()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="ecslint-mutate-") as tmp:
        copy = Path(tmp)
        _copy_checkout(copy)
        baselines: dict[tuple[str, ...], float] = {}
        for number, mutant in enumerate(chosen, 1):
            selected = tests.tests_for(mutant.path)
            where = f"{mutant.path}:{mutant.line}:{mutant.col + 1}"
            if mutant.key in equivalent:
                outcome = Outcome("equivalent", 0.0)
            else:
                source = mutated_source(mutant)
                try:
                    compile(source, mutant.path, "exec")
                except SyntaxError:
                    outcome = Outcome("invalid", 0.0)
                else:
                    key = tuple(selected)
                    if key not in baselines:
                        status, seconds = _run_tests(copy, selected, 600)
                        if status != "survived":
                            failing = " ".join(selected)
                            print(f"the unmutated tests fail: {failing}", file=sys.stderr)
                            return 2
                        baselines[key] = seconds
                    limit = args.timeout or max(30.0, 4 * baselines[key])
                    target = copy / mutant.path
                    original = _SOURCES[mutant.path]
                    try:
                        target.write_bytes(source)
                        _drop_bytecode(target)
                        outcome = Outcome(*_run_tests(copy, selected, limit))
                    finally:
                        target.write_bytes(original)
                        _drop_bytecode(target)
            rows.append(
                {
                    "id": mutant.key,
                    "where": where,
                    "op": mutant.op,
                    "change": mutant.describe,
                    "status": outcome.status,
                    "seconds": round(outcome.seconds, 2),
                    "tests": selected,
                }
            )
            print(
                f"[{number}/{len(chosen)}] {outcome.status:10s} {outcome.seconds:5.1f}s  "
                f"{where}  {mutant.describe}",
                file=sys.stderr,
                flush=True,
            )
    elapsed = time.monotonic() - started
    rows = kept + rows
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return _report(rows, elapsed, args.min_score)


def _report(rows: list[dict[str, object]], elapsed: float, min_score: float) -> int:
    by_package: dict[str, dict[str, int]] = {}
    for row in rows:
        package = _package(str(row["where"]))
        counts = by_package.setdefault(package, {})
        counts[str(row["status"])] = counts.get(str(row["status"]), 0) + 1
    total: dict[str, int] = {}
    for counts in by_package.values():
        for status, count in counts.items():
            total[status] = total.get(status, 0) + count

    def line(name: str, counts: dict[str, int]) -> str:
        killed = counts.get("killed", 0) + counts.get("timeout", 0)
        scored = killed + counts.get("survived", 0)
        score = 100.0 * killed / scored if scored else 100.0
        return (
            f"{name:8s} {score:6.1f}%  killed {counts.get('killed', 0)}, "
            f"timeout {counts.get('timeout', 0)}, survived {counts.get('survived', 0)}, "
            f"equivalent {counts.get('equivalent', 0)}, invalid {counts.get('invalid', 0)}"
        )

    survivors = [row for row in rows if row["status"] == "survived"]
    if survivors:
        print("survivors:")
        for row in survivors:
            print(f"  {row['where']}  {row['change']}")
            print(f"      id: {row['id']}")
    for package in sorted(by_package):
        print(line(package, by_package[package]))
    print(line("all", total))
    print(f"{len(rows)} mutants in {elapsed:.0f} s")
    killed = total.get("killed", 0) + total.get("timeout", 0)
    scored = killed + total.get("survived", 0)
    score = 100.0 * killed / scored if scored else 100.0
    return 1 if score < min_score else 0


if __name__ == "__main__":
    sys.exit(main())
