"""Plaintext secret values are masked in every output format (ecslint.mask), whichever rules run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecslint.report import FORMATS
from tests.builders import task
from tests.conftest import run_cli, write_json

SECRET = "hunter2-prod-Zq81"
KEY_BODY = "MIIEowIBAAKCAQEAx3secretbody"


def _file(repo: Path) -> Path:
    return write_json(
        repo / "svc" / "task.json",
        task(
            {
                "name": "web",
                "image": "nginx:latest",
                "environment": [
                    {"name": "DB_PASSWORD", "value": SECRET, "bogus": 1},
                    {"name": "LOG_LEVEL", "value": "debug-verbose"},
                ],
            }
        ),
    )


@pytest.mark.parametrize("output_format", sorted(FORMATS))
def test_no_format_prints_a_plaintext_secret(repo: Path, output_format: str) -> None:
    path = _file(repo)
    result = run_cli(["check", "--format", output_format, str(path)])
    assert result.exit_code == 1, result.stderr
    assert "DB_PASSWORD" in result.stdout  # the finding is reported, by the variable's name
    assert SECRET not in result.stdout + result.stderr
    assert "debug-verbose" not in result.stdout or output_format == "text"


def test_the_excerpt_masks_the_value_one_for_one_and_other_rules_on_its_line(repo: Path) -> None:
    path = repo / "task.json"
    path.write_text(
        '{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27",\n'
        f' "environment": [{{"name": "DB_PASSWORD", "value": "{SECRET}", "bogus": 1}}]}}]}}\n',
        encoding="utf-8",
    )
    # ECS911 is not selected: the unknown key on the secret's line still quotes the line
    result = run_cli(["check", "--select", "ECS010", str(path)])
    assert result.exit_code == 1
    assert SECRET not in result.stdout
    line = next(text for text in result.stdout.splitlines() if "DB_PASSWORD" in text)
    assert f'"value": "{"*" * len(SECRET)}"' in line
    caret = result.stdout.splitlines()[result.stdout.splitlines().index(line) + 1]
    assert caret.index("^") == line.index('"bogus"')  # columns are unchanged


def test_a_multi_line_yaml_key_is_masked_on_every_line(tmp_path: Path) -> None:
    path = tmp_path / "task.yaml"
    path.write_text(
        "family: web\n"
        "containerDefinitions:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    memory: 512\n"
        "    environment:\n"
        "      - name: TLS_KEY\n"
        '        value: "-----BEGIN RSA PRIVATE KEY-----\\n'
        f'{KEY_BODY}\\n-----END RSA PRIVATE KEY-----"\n',
        encoding="utf-8",
    )
    for output_format in ("text", "json", "sarif"):
        result = run_cli(["check", "--format", output_format, "--select", "ECS911", str(path)])
        assert result.exit_code == 1, result.stderr
        assert "TLS_KEY" in result.stdout
        assert KEY_BODY not in result.stdout


def test_a_message_that_quotes_the_value_is_masked(tmp_path: Path) -> None:
    """The mask applies to every finding's message, not only ECS911's."""
    from ecslint.mask import mask_message

    assert mask_message(f"value {SECRET!r} is odd", [SECRET]) == "value '****' is odd"
    assert mask_message(f'value "{SECRET}" and {SECRET}', [SECRET]) == 'value "****" and ****'
    assert mask_message("on and on", ["on"]) == "on and on"  # a short bare word is left
