"""Release engineering: ``python -m build`` makes a wheel and an sdist that carry the rules and
schemas, and the installed wheel lints from its own data, away from the checkout."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from ecslint import __version__
from tests.conftest import ROOT

pytest.importorskip("build")
#: With hatchling installed (the dev extra), build in this environment: the same backend,
#: without a fresh isolated environment per build.
ISOLATION = [] if importlib.util.find_spec("hatchling") is None else ["--no-isolation"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", *ISOLATION, "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


def _rule_files() -> set[str]:
    return {p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*.yaml")}


def test_the_wheel_carries_every_rule_and_schema(dist: Path) -> None:
    (wheel,) = dist.glob(f"ecslint-{__version__}-py3-none-any.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = {n.removeprefix("ecslint/_data/rules/") for n in names if "_data/rules/" in n}
    assert rules >= _rule_files() and len(rules) > 100
    for schema in (ROOT / "schemas").glob("*.json"):
        assert f"ecslint/_data/schemas/{schema.name}" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "fuzz/"))]


def test_the_sdist_builds_the_same_wheel(dist: Path, tmp_path: Path) -> None:
    (sdist,) = dist.glob(f"ecslint-{__version__}.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        archive.extractall(tmp_path, filter="data")
    top = f"ecslint-{__version__}"
    assert f"{top}/pyproject.toml" in names and f"{top}/CHANGELOG.md" in names
    assert {f"{top}/rules/{name}" for name in _rule_files()} <= set(names)
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "build", *ISOLATION, "--wheel", "--outdir", str(out), top],
        check=True,
        capture_output=True,
        timeout=600,
        cwd=tmp_path,
    )
    (wheel,) = out.glob("*.whl")
    assert sum("_data/rules/" in n for n in zipfile.ZipFile(wheel).namelist()) > 100


def test_the_installed_wheel_lints_with_its_own_rules(dist: Path, tmp_path: Path) -> None:
    """Installed on its own (no checkout on the path), it finds its rules and schemas."""
    (wheel,) = dist.glob("*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-t", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    script = (
        "import json, sys, ecslint.datafiles as d; from ecslint.entry import main\n"
        "print(json.dumps([d.__file__, str(d.rules_dir()), str(d.schemas_dir())]))\n"
        "sys.stdout.flush(); main(['check', '--format', 'json', sys.argv[1]])\n"
    )
    example = tmp_path / "fargate-broken.json"
    example.write_bytes((ROOT / "examples" / "fargate-broken.json").read_bytes())
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(example)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    where, report = result.stdout.split("\n", 1)
    module, rules, schemas = json.loads(where)
    assert all(path.startswith(str(target)) for path in (module, rules, schemas)), where
    assert {"ECS301", "ECS401"} <= {f["rule"] for f in json.loads(report)["findings"]}


def test_the_version_is_written_once() -> None:
    """pyproject.toml reads it from ecslint/__init__.py; the CHANGELOG names it."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and "\nversion =" not in pyproject
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
