"""Rules ECS010-ECS016 and ECS018 (check ``schema``): failing and passing input via the CLI."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import lint


def _task(**container: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "web",
        "image": "public.ecr.aws/nginx/nginx:1.27",
        "memory": 512,
    }
    base.update(container)
    return {"family": "web", "containerDefinitions": [base]}


def _only(result: Any, rule: str) -> list[dict[str, Any]]:
    assert result.exit_code in (0, 1), result.stderr
    return [f for f in result.findings if f["rule"] == rule]


def _line_col(text: str, needle: str) -> tuple[int, int]:
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- ECS010 unknown-key ---------------------------------------------------------------------


def test_unknown_key_points_at_the_key_and_suggests_the_spelling() -> None:
    text = json.dumps(_task(readOnlyRootFilesystem=True), indent=2)
    (finding,) = _only(lint(text), "ECS010")
    assert finding["name"] == "unknown-key"
    assert finding["severity"] == "error"
    assert finding["path"] == "/containerDefinitions/0/readOnlyRootFilesystem"
    assert (finding["line"], finding["column"]) == _line_col(text, '"readOnlyRootFilesystem"')
    assert finding["message"] == (
        'unknown key "readOnlyRootFilesystem" in containerDefinitions[0]; '
        'did you mean "readonlyRootFilesystem"?'
    )
    assert finding["container"] == "web"


def test_unknown_key_says_where_a_misplaced_key_belongs() -> None:
    task = _task(executionRoleArn="arn:aws:iam::123456789012:role/x")
    task["logConfiguration"] = {"logDriver": "awslogs"}
    messages = sorted(f["message"] for f in _only(lint(task), "ECS010"))
    assert messages == [
        'unknown key "executionRoleArn" in containerDefinitions[0]; '
        "executionRoleArn belongs at the top level",
        'unknown key "logConfiguration" at the top level of the task definition; '
        "logConfiguration belongs in containerDefinitions[]",
    ]


def test_unknown_key_without_a_near_miss() -> None:
    task = _task()
    task["containerOverrides"] = []
    (finding,) = _only(lint(task), "ECS010")
    assert finding["path"] == "/containerOverrides"
    assert "the AWS CLI rejects it" in finding["message"]


def test_known_keys_pass() -> None:
    assert _only(lint(_task(readonlyRootFilesystem=True, essential=True)), "ECS010") == []


def test_unknown_key_in_yaml_points_at_the_key() -> None:
    text = (
        "family: web\ncontainerDefinitions:\n"
        "  - name: web\n    image: nginx:1.27\n    Memory: 512\n"
    )
    result = lint(text)
    (finding,) = _only(result, "ECS010")
    assert (finding["line"], finding["column"]) == (5, 5)
    assert 'did you mean "memory"?' in finding["message"]


def test_read_only_fields_are_unknown_keys_only_in_register_input_nested_places() -> None:
    # top-level read-only fields make the file an export (allowed); inside a container
    # the same name is an unknown key whatever the shape
    task = _task(revision=3)
    task["revision"] = 3
    (finding,) = _only(lint(task), "ECS010")
    assert finding["path"] == "/containerDefinitions/0/revision"


# --- ECS011 wrong-type -------------------------------------------------------------------------


def test_task_cpu_as_a_number_must_be_a_string() -> None:
    task = _task()
    task["cpu"] = 512
    text = json.dumps(task, indent=2)
    (finding,) = _only(lint(text), "ECS011")
    assert finding["path"] == "/cpu"
    assert (finding["line"], finding["column"]) == _line_col(text, "512\n}")
    assert finding["message"] == (
        'cpu must be a string, not the integer 512; write "512": '
        "register-task-definition takes task-level cpu as a string"
    )


def test_quoted_port_must_be_an_integer() -> None:
    task = _task(portMappings=[{"containerPort": 80}, {"containerPort": 81, "hostPort": "80"}])
    (finding,) = _only(lint(task), "ECS011")
    assert finding["path"] == "/containerDefinitions/0/portMappings/1/hostPort"
    assert finding["message"] == (
        "containerDefinitions[0].portMappings[1].hostPort must be an integer, "
        'not the string "80"; write 80 without quotes'
    )


def test_map_values_must_be_strings_and_lists_must_be_lists() -> None:
    task = _task(
        logConfiguration={"logDriver": "awslogs", "options": {"awslogs-create-group": True}},
        environment={"STAGE": "prod"},
        command="npm start",
    )
    found = {f["path"]: f["message"] for f in _only(lint(task), "ECS011")}
    assert found == {
        "/containerDefinitions/0/logConfiguration/options/awslogs-create-group": (
            'containerDefinitions[0].logConfiguration.options["awslogs-create-group"] must be '
            'a string, not the boolean true; write "true" in quotes'
        ),
        "/containerDefinitions/0/environment": (
            "containerDefinitions[0].environment must be a list, not an object; "
            'write a list of {"name": ..., "value": ...} objects'
        ),
        "/containerDefinitions/0/command": (
            'containerDefinitions[0].command must be a list, not the string "npm start"; '
            'write it as a list: ["npm start"]'
        ),
    }


def test_right_types_pass() -> None:
    task = _task(portMappings=[{"containerPort": 80, "hostPort": 80}], essential=True)
    task.update(cpu="256", memory="512")
    assert _only(lint(task), "ECS011") == []


# --- ECS012 invalid-enum-value -----------------------------------------------------------------


def test_enum_case_mistake_suggests_the_value() -> None:
    task = _task(portMappings=[{"containerPort": 80, "protocol": "TCP"}])
    task["requiresCompatibilities"] = ["fargate"]
    found = {f["path"]: f["message"] for f in _only(lint(task), "ECS012")}
    assert found == {
        "/requiresCompatibilities/0": (
            'requiresCompatibilities[0] is "fargate", which is not one of: "EC2", "FARGATE", '
            '"EXTERNAL", "MANAGED_INSTANCES" (did you mean "FARGATE"?)'
        ),
        "/containerDefinitions/0/portMappings/0/protocol": (
            'containerDefinitions[0].portMappings[0].protocol is "TCP", which is not one of: '
            '"tcp", "udp" (did you mean "tcp"?)'
        ),
    }


def test_enum_value_with_no_near_miss_lists_the_values() -> None:
    task = _task(logConfiguration={"logDriver": "cloudwatch"})
    (finding,) = _only(lint(task), "ECS012")
    assert finding["path"] == "/containerDefinitions/0/logConfiguration/logDriver"
    assert '"awslogs"' in finding["message"]
    assert "did you mean" not in finding["message"]


def test_valid_enum_values_pass() -> None:
    task = _task(logConfiguration={"logDriver": "awslogs"})
    task.update(networkMode="awsvpc", requiresCompatibilities=["FARGATE"], pidMode="task")
    assert _only(lint(task), "ECS012") == []


# --- ECS013 missing-required-key ---------------------------------------------------------------


def test_missing_key_is_located_at_the_object_that_lacks_it() -> None:
    task = _task(dependsOn=[{"containerName": "init"}])
    text = json.dumps(task, indent=2)
    (finding,) = _only(lint(text), "ECS013")
    assert finding["path"] == "/containerDefinitions/0/dependsOn/0/condition"
    assert finding["message"] == (
        'containerDefinitions[0].dependsOn[0] is missing the required key "condition"'
    )
    assert finding["line"] == _line_col(text, '"containerName"')[0] - 1


def test_missing_family() -> None:
    task = _task()
    del task["family"]
    (finding,) = _only(lint(task), "ECS013")
    assert finding["path"] == "/family"
    assert (finding["line"], finding["column"]) == (1, 1)


def test_required_keys_present_pass() -> None:
    task = _task(dependsOn=[{"containerName": "init", "condition": "START"}])
    assert _only(lint(task), "ECS013") == []


# --- ECS014 value-out-of-range -------------------------------------------------------------------


def test_storage_host_port_and_restart_ranges() -> None:
    task = _task(
        portMappings=[{"containerPort": 80, "hostPort": 70000}],
        restartPolicy={"enabled": True, "restartAttemptPeriod": 30},
        linuxParameters={"swappiness": 101, "maxSwap": -1},
    )
    task["ephemeralStorage"] = {"sizeInGiB": 20}
    found = {f["path"]: f["message"] for f in _only(lint(task), "ECS014")}
    assert found == {
        "/ephemeralStorage/sizeInGiB": (
            "ephemeralStorage.sizeInGiB is 20; it must be between 21 and 200"
        ),
        "/containerDefinitions/0/portMappings/0/hostPort": (
            "containerDefinitions[0].portMappings[0].hostPort is 70000; "
            "it must be between 0 and 65535"
        ),
        "/containerDefinitions/0/restartPolicy/restartAttemptPeriod": (
            "containerDefinitions[0].restartPolicy.restartAttemptPeriod is 30; "
            "it must be between 60 and 1800"
        ),
        "/containerDefinitions/0/linuxParameters/swappiness": (
            "containerDefinitions[0].linuxParameters.swappiness is 101; "
            "it must be between 0 and 100"
        ),
        "/containerDefinitions/0/linuxParameters/maxSwap": (
            "containerDefinitions[0].linuxParameters.maxSwap is -1; it must be at least 0"
        ),
    }


def test_values_in_range_pass() -> None:
    task = _task(
        portMappings=[{"containerPort": 80, "hostPort": 0}],
        restartPolicy={"enabled": True, "restartAttemptPeriod": 1800},
    )
    task["ephemeralStorage"] = {"sizeInGiB": 200}
    assert _only(lint(task), "ECS014") == []


def test_limits_with_a_dedicated_rule_are_reported_once() -> None:
    """Health-check timings, containerPort, names, container and tag counts: not ECS01x."""
    task = _task(
        healthCheck={"command": ["CMD", "true"], "interval": 2},
        portMappings=[{"containerPort": 70000, "containerPortRange": "80"}],
        name="web.app",
    )
    task["family"] = "orders api"
    task["tags"] = [{"key": f"k{i}", "value": "v"} for i in range(51)]
    result = lint(task)
    rules = result.rules()
    assert not {"ECS014", "ECS015", "ECS016"} & set(rules), result.findings
    assert {"ECS506", "ECS507", "ECS509", "ECS518", "ECS610", "ECS614"} <= set(rules)
    empty = lint({"family": "web", "containerDefinitions": []})
    assert "ECS016" not in empty.rules()
    assert "ECS501" in empty.rules()
    missing = lint({"family": "web"})
    assert "ECS013" not in missing.rules()
    assert "ECS501" in missing.rules()


# --- ECS015 invalid-format -----------------------------------------------------------------------


def test_port_mapping_name_and_tag_characters() -> None:
    task = _task(portMappings=[{"containerPort": 80, "name": "-Http"}])
    task["tags"] = [{"key": "owners", "value": "alice,bob"}, {"key": "k" * 129, "value": ""}]
    found = {f["path"]: f["message"] for f in _only(lint(task), "ECS015")}
    assert found == {
        "/containerDefinitions/0/portMappings/0/name": (
            'containerDefinitions[0].portMappings[0].name "-Http" is not valid: it must be '
            "up to 64 lowercase letters, digits, hyphens and underscores, not starting with a "
            "hyphen"
        ),
        "/tags/0/value": (
            'tags[0].value "alice,bob" is not valid: it must be letters, digits, spaces and '
            "_ . : / = + - @ only"
        ),
        "/tags/1/key": "tags[1].key is 129 characters long; at most 128 are allowed",
    }


def test_valid_formats_pass() -> None:
    task = _task(portMappings=[{"containerPort": 80, "name": "http-80"}])
    task["tags"] = [{"key": "team", "value": "Web: ops@example.com"}]
    assert _only(lint(task), "ECS015") == []


# --- ECS016 list-length-out-of-range --------------------------------------------------------------


def test_too_many_credential_specs_and_placement_constraints() -> None:
    specs = ["credentialspec:arn:aws:s3:::b/a.json", "credentialspec:arn:aws:s3:::b/b.json"]
    task = _task(credentialSpecs=specs)
    task["placementConstraints"] = [{"type": "memberOf", "expression": "x"}] * 11
    found = {f["path"]: f for f in _only(lint(task), "ECS016")}
    assert found["/containerDefinitions/0/credentialSpecs"]["message"] == (
        "containerDefinitions[0].credentialSpecs has 2 items; at most 1 is allowed"
    )
    assert found["/containerDefinitions/0/credentialSpecs"]["severity"] == "warning"
    assert found["/placementConstraints"]["message"] == (
        "placementConstraints has 11 items; at most 10 are allowed"
    )


def test_lists_within_limits_pass() -> None:
    task = _task(credentialSpecs=["credentialspec:arn:aws:s3:::b/a.json"])
    task["placementConstraints"] = [{"type": "memberOf", "expression": "x"}] * 10
    assert _only(lint(task), "ECS016") == []


# --- ECS018 null-value ------------------------------------------------------------------


def test_null_in_register_input() -> None:
    text = json.dumps(_task(logConfiguration=None), indent=2)
    (finding,) = _only(lint(text), "ECS018")
    assert finding["severity"] == "warning"
    assert finding["path"] == "/containerDefinitions/0/logConfiguration"
    assert (finding["line"], finding["column"]) == _line_col(text, "null")
    assert _only(lint(_task()), "ECS018") == []


def test_null_in_describe_output_passes() -> None:
    task = _task(logConfiguration=None)
    result = lint({"taskDefinition": {**task, "revision": 1, "status": "ACTIVE"}})
    assert _only(result, "ECS018") == []
    assert _only(result, "ECS010") == []
