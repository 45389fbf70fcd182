"""``ecslint check --fix``, ``--unsafe-fixes``, ``--diff``, ``--stdin-filename``, by the CLI.

Each fix is run on JSON and YAML: the file after the fix is compared byte for byte
with what it should be (only the fixed value's bytes change), a second run changes
nothing, and the fixed file lints clean of the rule.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import CORPUS, run_cli

FARGATE_JSON = """{
  "family": "web",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": %(cpu)s,
  "memory": "512",
  "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "public.ecr.aws/nginx/nginx:1.27",
      "essential": %(essential)s,
      "%(readonly)s": true,
      "portMappings": [{"containerPort": 8080, "hostPort": %(host)s}],
      "logConfiguration": {
        "logDriver": "awslogs",
        "options": {
          "awslogs-group": "/ecs/web",
          "awslogs-region": "eu-west-1"%(prefix)s
        }
      }
    }
  ]
}
"""

FARGATE_YAML = """# the web service
family: web
requiresCompatibilities: [FARGATE]
networkMode: awsvpc
cpu: %(cpu)s   # a quarter vCPU
memory: '512'
executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
containerDefinitions:
  - name: web
    image: public.ecr.aws/nginx/nginx:1.27
    essential: %(essential)s
    %(readonly)s: true
    portMappings:
      - containerPort: 8080
        hostPort: %(host)s
    logConfiguration:
      logDriver: awslogs
      options:
        awslogs-group: /ecs/web
        awslogs-region: eu-west-1  # where the group is%(prefix)s
"""

GOOD = {
    "cpu": '"256"',
    "essential": "true",
    "readonly": "readonlyRootFilesystem",
    "host": "8080",
    "prefix": ',\n          "awslogs-stream-prefix": "web"',
}
GOOD_YAML = {**GOOD, "prefix": "\n        awslogs-stream-prefix: web"}

#: rule -> (the broken values, the values after the fix): JSON first, then YAML.
CASES = {
    "ECS011-cpu": ("ECS011", {"cpu": "256"}, {"cpu": '"256"'}, {"cpu": "256"}, {"cpu": '"256"'}),
    "ECS011-essential": (
        "ECS011",
        {"essential": '"true"'},
        {"essential": "true"},
        {"essential": '"true"'},
        {"essential": "true"},
    ),
    "ECS010": (
        "ECS010",
        {"readonly": "readOnlyRootFilesystem"},
        {"readonly": "readonlyRootFilesystem"},
        {"readonly": "readOnlyRootFilesystem"},
        {"readonly": "readonlyRootFilesystem"},
    ),
    "ECS601": ("ECS601", {"host": "80"}, {"host": "8080"}, {"host": "80"}, {"host": "8080"}),
    "ECS103": (
        "ECS103",
        {"prefix": ""},
        {"prefix": ',\n          "awslogs-stream-prefix": "ecs"'},
        {"prefix": ""},
        {"prefix": "\n        awslogs-stream-prefix: ecs"},
    ),
}


def _file(tmp_path: Path, syntax: str, values: dict[str, str]) -> Path:
    template, good = (FARGATE_JSON, GOOD) if syntax == "json" else (FARGATE_YAML, GOOD_YAML)
    path = tmp_path / f"taskdef.{syntax}"
    path.write_bytes((template % {**good, **values}).encode())
    return path


def _rules(path: Path, *extra: str) -> list[str]:
    result = run_cli(["check", "--format", "json", "--isolated", *extra, str(path)])
    return [finding["rule"] for finding in result.findings]


@pytest.mark.parametrize("syntax", ["json", "yaml"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_safe_fix(tmp_path: Path, syntax: str, case: str) -> None:
    rule, json_bad, json_fixed, yaml_bad, yaml_fixed = CASES[case]
    bad, fixed = (json_bad, json_fixed) if syntax == "json" else (yaml_bad, yaml_fixed)
    path = _file(tmp_path, syntax, bad)
    assert rule in _rules(path)
    expected = _file(tmp_path / "..", syntax, fixed).read_bytes()

    result = run_cli(["check", "--fix", "--isolated", "--select", rule, str(path)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "fixed 1 finding(s) in 1 file(s)" in result.stderr
    assert path.read_bytes() == expected  # only the fixed value's bytes changed
    assert rule not in _rules(path)  # the fixed file lints clean of that rule
    again = run_cli(["check", "--fix", "--isolated", str(path)])  # idempotent
    assert "nothing to fix" in again.stderr
    assert path.read_bytes() == expected


@pytest.mark.parametrize("syntax", ["json", "yaml"])
def test_every_fix_at_once_and_the_report_of_what_is_left(tmp_path: Path, syntax: str) -> None:
    values = {k: v[1 if syntax == "json" else 3] for k, v in CASES.items()}
    merged = {key: value for case in values.values() for key, value in case.items()}
    path = _file(tmp_path, syntax, merged)
    result = run_cli(["check", "--fix", "--isolated", "--fail-on", "error", str(path)])
    assert result.exit_code == 0, result.stdout
    assert "fixed 5 finding(s)" in result.stderr
    left = _rules(path)
    assert not {"ECS010", "ECS011", "ECS601", "ECS103"} & set(left)
    # the report of what is left: its summary line (a missing task role is no longer left:
    # ECS201 reports it only where the task shows that it calls AWS)
    assert result.stdout.splitlines()[-1].startswith(("Found ", "No problems found"))


NULLS_JSON = """{
  "family": "web",
  "taskRoleArn": null,
  "containerDefinitions": [
    {"name": "web", "image": "nginx:1.27", "user": null, "memory": 512},
    {
      "name": "b",
      "image": "nginx:1.27",
      "memory": 512,
      "command": null
    }
  ],
  "pidMode": null
}
"""
NULLS_JSON_FIXED = """{
  "family": "web",
  "containerDefinitions": [
    {"name": "web", "image": "nginx:1.27", "memory": 512},
    {
      "name": "b",
      "image": "nginx:1.27",
      "memory": 512
    }
  ]
}
"""
NULLS_YAML = """family: web
taskRoleArn: null   # set later
containerDefinitions:
  - user: ~
    name: web
    image: nginx:1.27
    memory: 512
    linuxParameters: {initProcessEnabled: null}
  - name: b
    image: nginx:1.27
    memory: 512
    command:
pidMode: null
"""
NULLS_YAML_FIXED = """family: web
containerDefinitions:
  - name: web
    image: nginx:1.27
    memory: 512
    linuxParameters: {}
  - name: b
    image: nginx:1.27
    memory: 512
"""


@pytest.mark.parametrize(
    ("name", "text", "fixed"),
    [("t.json", NULLS_JSON, NULLS_JSON_FIXED), ("t.yaml", NULLS_YAML, NULLS_YAML_FIXED)],
)
def test_null_members_are_removed(tmp_path: Path, name: str, text: str, fixed: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert _rules(path, "--select", "ECS018").count("ECS018") >= 4
    result = run_cli(["check", "--fix", "--isolated", "--select", "ECS018", str(path)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert path.read_text() == fixed
    assert "ECS018" not in _rules(path)
    assert "nothing to fix" in run_cli(["check", "--fix", "--isolated", str(path)]).stderr


def test_unsafe_fix_needs_unsafe_fixes(tmp_path: Path) -> None:
    path = _file(tmp_path, "yaml", {"readonly": "readonlyRootFilesystem"})
    text = path.read_text().replace("readonlyRootFilesystem: true", "readonlyRootFilesystem: false")
    path.write_text(text)
    safe = run_cli(["check", "--fix", "--isolated", "--select", "ECS905", str(path)])
    assert "nothing to fix" in safe.stderr
    assert "1 more fixable with --unsafe-fixes" in safe.stderr
    assert path.read_text() == text
    unsafe = run_cli(
        ["check", "--fix", "--unsafe-fixes", "--isolated", "--select", "ECS905", str(path)]
    )
    assert unsafe.exit_code == 0
    assert path.read_text() == text.replace(
        "readonlyRootFilesystem: false", "readonlyRootFilesystem: true"
    )


def test_unsafe_fix_inserts_a_missing_key_in_a_list_item(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx:1.27\n")
    run_cli(["check", "--fix", "--unsafe-fixes", "--isolated", "--select", "ECS905", str(path)])
    assert path.read_text() == (
        "family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx:1.27\n"
        "    readonlyRootFilesystem: true\n"
    )


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path: Path) -> None:
    path = _file(tmp_path, "json", {})
    result = run_cli(["check", "--unsafe-fixes", str(path)])
    assert result.exit_code == 2
    assert "--unsafe-fixes goes with --fix or --diff" in result.stderr


def test_diff_prints_and_writes_nothing(tmp_path: Path) -> None:
    path = _file(tmp_path, "json", {"cpu": "256", "host": "80"})
    before = path.read_bytes()
    result = run_cli(["check", "--diff", "--isolated", str(path)])
    assert result.exit_code == 1
    assert path.read_bytes() == before
    assert f"--- {path}\n+++ {path}\n" in result.stdout  # absolute: no a/ b/
    assert '-  "cpu": 256,\n+  "cpu": "256",\n' in result.stdout
    assert '"hostPort": 8080}' in result.stdout
    assert "would fix 2 finding(s)" in result.stderr
    run_cli(["check", "--fix", "--isolated", str(path)])
    clean = run_cli(["check", "--diff", "--isolated", str(path)])
    assert clean.exit_code == 0
    assert clean.stdout == ""


def test_crlf_line_endings_and_a_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    text = (FARGATE_JSON % {**GOOD, "cpu": "256", "prefix": ""}).replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    run_cli(["check", "--fix", "--isolated", str(path)])
    fixed = path.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in fixed.replace(b"\r\n", b"")
    assert b'"cpu": "256",\r\n' in fixed
    added = b'"awslogs-region": "eu-west-1",\r\n          "awslogs-stream-prefix": "ecs"\r\n'
    assert added in fixed


def test_keeps_the_file_mode_and_never_writes_through_a_link(tmp_path: Path) -> None:
    path = _file(tmp_path, "json", {"cpu": "256"})
    os.chmod(path, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(path)
    before = path.read_bytes()
    result = run_cli(["check", "--fix", "--isolated", str(link)])
    assert result.exit_code == 2
    assert "not fixed" in result.stderr
    assert path.read_bytes() == before and link.is_symlink()
    run_cli(["check", "--fix", "--isolated", str(path)])
    assert path.read_bytes() != before
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_no_fix_of_an_unevaluated_value(tmp_path: Path) -> None:
    path = _file(tmp_path, "json", {"host": '"${HOST_PORT}"', "cpu": '"${CPU}"'})
    before = path.read_bytes()
    result = run_cli(["check", "--diff", "--isolated", str(path)])
    assert result.exit_code == 0, result.stdout
    assert path.read_bytes() == before


CFN = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Port:
    Type: Number
    Default: 80
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub "${AWS::StackName}-web"
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: 256
      Memory: 512
      ExecutionRoleArn: !GetAtt ExecutionRole.Arn
      ContainerDefinitions:
        - Name: web
          Image: !Ref Image   # the image
          PortMappings:
            - ContainerPort: 8080
              HostPort: 80
            - ContainerPort: 9090
              HostPort: !Ref Port
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Ref LogGroup
              awslogs-region: !Ref AWS::Region
"""


def test_cloudformation_yaml_with_short_form_tags(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(CFN)
    result = run_cli(["check", "--fix", "--isolated", "--select", "ECS601,ECS103", str(path)])
    assert "fixed 2 finding(s)" in result.stderr, result.stdout + result.stderr
    fixed = path.read_text()
    # The literal hostPort is fixed; the one from the parameter's default is not touched.
    assert fixed == CFN.replace(
        "              HostPort: 80\n", "              HostPort: 8080\n"
    ).replace(
        "awslogs-region: !Ref AWS::Region\n",
        "awslogs-region: !Ref AWS::Region\n              awslogs-stream-prefix: ecs\n",
    )
    left = _rules(path, "--select", "ECS601,ECS103")
    assert left == ["ECS601"]  # the parameter's: fix the template's parameter, not the file


def test_cloudformation_json_inserts_the_key_cloudformation_spells(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "RequiresCompatibilities": ["FARGATE"],
                    "NetworkMode": "awsvpc",
                    "Cpu": "256",
                    "Memory": "512",
                    "ContainerDefinitions": [
                        {
                            "Name": "web",
                            "Image": "nginx:1.27",
                            "LogConfiguration": {"LogDriver": "awslogs"},
                        }
                    ],
                },
            }
        }
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=4))
    run_cli(["check", "--fix", "--isolated", "--select", "ECS103", str(path)])
    fixed = json.loads(path.read_text())
    container = fixed["Resources"]["Task"]["Properties"]["ContainerDefinitions"][0]
    assert container["LogConfiguration"] == {
        "LogDriver": "awslogs",
        "Options": {"awslogs-stream-prefix": "ecs"},
    }


def test_suppressed_findings_are_not_fixed(tmp_path: Path) -> None:
    path = _file(tmp_path, "json", {"cpu": "256"})
    config = tmp_path / ".ecslint.yaml"
    config.write_text(
        "suppressions:\n  - rules: [ECS011]\n    files: '*.json'\n    reason: kept as it is\n"
    )
    before = path.read_bytes()
    result = run_cli(["check", "--fix", "--config", str(config), str(path)])
    assert "nothing to fix" in result.stderr, result.stderr
    assert path.read_bytes() == before


def test_stdin_fix_prints_the_fixed_buffer(tmp_path: Path) -> None:
    text = FARGATE_YAML % {**GOOD_YAML, "cpu": "256"}
    result = run_cli(
        ["check", "--fix", "--isolated", "--stdin-filename", "svc/taskdef.yaml", "-"], stdin=text
    )
    assert result.stdout == text.replace("cpu: 256 ", 'cpu: "256" ')
    assert "fixed 1 finding(s)" in result.stderr


def test_stdin_filename_names_the_buffer(tmp_path: Path) -> None:
    text = FARGATE_YAML % {**GOOD_YAML, "cpu": "256"}
    result = run_cli(
        ["check", "--format", "json", "--isolated", "--stdin-filename", "svc/td.yaml", "-"],
        stdin=text,
    )
    assert {f["file"] for f in result.findings} == {os.path.normpath("svc/td.yaml")}
    assert "ECS011" in result.rules()


def test_rules_listing_and_page_show_the_fix() -> None:
    listing = run_cli(["rules"]).stdout.splitlines()
    by_id = {line.split()[0]: line for line in listing}
    assert "  fix   " in by_id["ECS011"]
    assert "  fix!  " in by_id["ECS905"]
    assert " fix" not in by_id["ECS401"]
    page = run_cli(["rule", "ECS601"]).stdout
    assert "Fix: **safe**" in page


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_fixes_parse_and_are_idempotent(tmp_path: Path) -> None:
    """Every safe and unsafe fix on every corpus file leaves a file that parses and needs no
    second round."""
    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    from ecslint.catalog import load_builtin_catalog
    from ecslint.commands.fix import Fixer
    from ecslint.config.settings import load_settings
    from ecslint.engine import Linter
    from ecslint.load import parse, read_source

    catalog = load_builtin_catalog()
    linter = Linter(catalog, list(catalog))
    fixer = Fixer(linter, load_settings(None, True), unsafe=True, write=False, diff=False)
    changed = 0
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.suffix not in (".json", ".yaml", ".yml", ".template"):
            continue
        try:
            source = read_source(str(path))
        except Exception:
            continue
        text, _ = fixer.fix_text(source)
        if text == source.text:
            continue
        changed += 1
        parse(source._replace(text=text))  # never unparsable
        assert fixer.fix_text(source._replace(text=text)) == (text, 0), path
    assert not fixer.errors
    assert changed > 10


def test_cloudformation_keys_in_api_case_are_renamed_as_cloudformation_spells_them(
    tmp_path: Path,
) -> None:
    """CloudFormation rejects "containerDefinitions" (Encountered unsupported property);
    the fix renames it, then, once its content is read, the keys inside it."""
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Task:\n"
        "    Type: AWS::ECS::TaskDefinition\n"
        "    Properties:\n"
        "      family: web   # the family\n"
        "      containerDefinitions:\n"
        "        - name: web\n"
        "          image: !Ref Image\n"
        "          logConfiguration:\n"
        "            logDriver: awslogs\n"
        "            options: {awslogs-group: /ecs/web, awslogs-region: !Ref AWS::Region}\n"
        "      volumes:\n"
        "        - name: data\n"
        "          efsVolumeConfiguration: {fileSystemId: fs-1234}\n"
    )
    result = run_cli(["check", "--fix", "--isolated", "--select", "ECS010", str(path)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert path.read_text() == (
        "Resources:\n"
        "  Task:\n"
        "    Type: AWS::ECS::TaskDefinition\n"
        "    Properties:\n"
        "      Family: web   # the family\n"
        "      ContainerDefinitions:\n"
        "        - Name: web\n"
        "          Image: !Ref Image\n"
        "          LogConfiguration:\n"
        "            LogDriver: awslogs\n"
        "            Options: {awslogs-group: /ecs/web, awslogs-region: !Ref AWS::Region}\n"
        "      Volumes:\n"
        "        - Name: data\n"
        "          EFSVolumeConfiguration: {FilesystemId: fs-1234}\n"
    )
    assert "ECS010" not in _rules(path)


def test_a_missing_readonly_root_filesystem_is_fixed_by_one_insert_of_true(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        '{"family":"a","containerDefinitions":[{"name":"a","image":"nginx:1","memory":512}]}'
    )
    result = run_cli(
        ["check", "--diff", "--unsafe-fixes", "--isolated", "--select", "ECS905", str(path)]
    )
    output = result.stdout + result.stderr
    assert '"readonlyRootFilesystem":true}' in output
    assert "would fix 1 finding(s)" in output
