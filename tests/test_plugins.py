"""A Python check from an installed package: a tiny plugin wheel, installed with pip.

The test writes the plugin as a wheel (a zip file; no build backend needed),
installs it with pip into a temporary directory, and runs ``python -m ecslint``
in a subprocess with that directory on PYTHONPATH, so the entry point is found
exactly as it would be in a real environment.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.builders import task
from tests.conftest import ROOT, write_json

CHECKS = """
from ecslint.checks import check
from ecslint.load.unknown import Unknown


@check("acme-root-user")
def root_user(task, params):
    allowed = set(params.get("allow", []))
    for index, container in task.containers():
        user = container.get("user")
        path = task.container_path(index, "user")
        if isinstance(user, Unknown):
            yield task.not_evaluated(path, user)
        elif user in (None, "root", "0") and container.get("name") not in allowed:
            yield task.problem(path, f"{task.container_label(index)} runs as root")
"""

FILES = {
    "acme_ecslint/__init__.py": "",
    "acme_ecslint/checks.py": CHECKS,
    "acme_ecslint-0.1.dist-info/METADATA": (
        "Metadata-Version: 2.1\nName: acme-ecslint\nVersion: 0.1\n"
    ),
    "acme_ecslint-0.1.dist-info/WHEEL": (
        "Wheel-Version: 1.0\nGenerator: handmade\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ),
    "acme_ecslint-0.1.dist-info/entry_points.txt": "[ecslint.checks]\nacme = acme_ecslint.checks\n",
}


def _wheel(directory: Path) -> Path:
    path = directory / "acme_ecslint-0.1-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in FILES.items():
            data = text.encode()
            wheel.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{name},sha256={digest},{len(data)}")
        record.append("acme_ecslint-0.1.dist-info/RECORD,,")
        wheel.writestr("acme_ecslint-0.1.dist-info/RECORD", "\n".join(record) + "\n")
    return path


def test_plugin_check_from_an_installed_package(tmp_path: Path) -> None:
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(_wheel(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert install.returncode == 0, install.stderr
    assert (target / "acme_ecslint" / "checks.py").is_file()

    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / ".ecslint.yaml").write_text(
        "custom-rules:\n"
        "  - id: ACME020\n    name: acme-root-user-container\n    severity: warning\n"
        "    check: acme-root-user\n    summary: A container runs as root\n"
        "    params: {allow: [init]}\n"
    )
    write_json(
        project / "td.json",
        task(
            {"name": "app", "image": "nginx:1.27"},
            {"name": "init", "image": "busybox:1"},
            {"name": "svc", "image": "nginx:1.27", "user": "1000"},
            {"name": "tpl", "image": "nginx:1.27", "user": "${USER}"},
        ),
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecslint",
            "check",
            "--format",
            "json",
            "--select",
            "ECS0,ACME",
            "td.json",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["container"], f["path"]) for f in findings] == [
        ("ACME020", "app", "/containerDefinitions/0/user"),
        ("ECS001", "tpl", "/containerDefinitions/3/user"),
    ]
    assert findings[0]["message"] == "container 'app' runs as root"
    assert "acme-root-user-container" in findings[1]["message"]

    without = subprocess.run(
        [sys.executable, "-m", "ecslint", "check", "td.json"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert without.returncode == 2
    assert "unknown check 'acme-root-user'" in without.stderr
