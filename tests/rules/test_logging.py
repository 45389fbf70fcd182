"""Logging rules (ECS101-ECS111) through the real CLI: failing and passing inputs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.builders import (
    AWSLOGS,
    DROP,
    describe,
    ec2_task,
    fargate_task,
    logged_container,
    of,
    unevaluated_paths,
)
from tests.conftest import CORPUS, lint, lint_file, needs_corpus

OPTIONS = "/containerDefinitions/0/logConfiguration/options"


def awslogs(**options: Any) -> dict[str, Any]:
    config = copy.deepcopy(AWSLOGS)
    for key, value in options.items():
        if value is DROP:
            config["options"].pop(key, None)
        else:
            config["options"][key] = value
    return config


# --- ECS101 missing-log-configuration ---------------------------------------------------------


def test_container_without_log_configuration_is_reported() -> None:
    result = lint(ec2_task(logged_container(logConfiguration=DROP)))
    [finding] = of(result, "ECS101")
    assert finding["path"] == "/containerDefinitions/0/logConfiguration"
    assert finding["severity"] == "warning"
    assert "'web' has no logConfiguration" in finding["message"]


def test_container_with_log_configuration_passes() -> None:
    assert not of(lint(ec2_task()), "ECS101")


@pytest.mark.parametrize(("value", "shown"), [(None, "null"), ({}, "{}")])
def test_null_or_empty_log_configuration_is_no_logging(value: Any, shown: str) -> None:
    # describe output and Terraform read null as unset; {} configures no driver
    for document in (ec2_task(logged_container(logConfiguration=value)), describe(ec2_task())):
        if document.get("taskDefinition"):
            document["taskDefinition"]["containerDefinitions"][0]["logConfiguration"] = value
        [finding] = of(lint(document), "ECS101")
        assert finding["path"].endswith("/containerDefinitions/0/logConfiguration")
        assert f"has no logConfiguration ({shown})" in finding["message"]


# --- ECS102 awslogs-missing-group-or-region ------------------------------------------------


@pytest.mark.parametrize("missing", ["awslogs-group", "awslogs-region"])
def test_awslogs_without_group_or_region_fails(missing: str) -> None:
    result = lint(ec2_task(logged_container(logConfiguration=awslogs(**{missing: DROP}))))
    [finding] = of(result, "ECS102")
    assert finding["path"] == f"{OPTIONS}/{missing}"
    assert finding["severity"] == "error"
    assert repr(missing) in finding["message"]


def test_awslogs_without_options_reports_both_keys_at_the_config() -> None:
    config = {"logDriver": "awslogs"}
    result = lint(ec2_task(logged_container(logConfiguration=config)))
    findings = of(result, "ECS102")
    assert [f["path"] for f in findings] == ["/containerDefinitions/0/logConfiguration/options"] * 2
    assert "'awslogs-group'" in findings[0]["message"]
    assert "'awslogs-region'" in findings[1]["message"]


def test_awslogs_with_group_and_region_passes_and_placeholder_group_counts_as_present() -> None:
    assert not of(lint(ec2_task()), "ECS102")
    result = lint(
        ec2_task(logged_container(logConfiguration=awslogs(**{"awslogs-group": "${GROUP}"})))
    )
    assert not of(result, "ECS102")


def test_other_drivers_need_no_group() -> None:
    config = {"logDriver": "json-file", "options": {"max-size": "10m"}}
    assert not of(lint(ec2_task(logged_container(logConfiguration=config))), "ECS102")


# --- ECS103 awslogs-missing-stream-prefix ---------------------------------------------------


def test_fargate_awslogs_without_prefix_fails_with_the_aws_reason() -> None:
    result = lint(
        fargate_task(logged_container(logConfiguration=awslogs(**{"awslogs-stream-prefix": DROP})))
    )
    [finding] = of(result, "ECS103")
    assert finding["path"] == f"{OPTIONS}/awslogs-stream-prefix"
    assert "Fargate rejects" in finding["message"]


def test_fargate_with_ec2_too_is_still_validated_for_fargate() -> None:
    task = fargate_task(
        logged_container(logConfiguration=awslogs(**{"awslogs-stream-prefix": DROP})),
        requiresCompatibilities=["EC2", "FARGATE"],
    )
    assert of(lint(task), "ECS103")


def test_ec2_awslogs_without_prefix_passes() -> None:
    task = ec2_task(logged_container(logConfiguration=awslogs(**{"awslogs-stream-prefix": DROP})))
    assert not of(lint(task), "ECS103")


def test_unknown_compatibilities_are_not_evaluated() -> None:
    task = fargate_task(
        logged_container(logConfiguration=awslogs(**{"awslogs-stream-prefix": DROP})),
        requiresCompatibilities=["${LAUNCH_TYPE}"],
    )
    result = lint(task)
    assert not of(result, "ECS103")
    assert "awslogs-missing-stream-prefix" in unevaluated_paths(result)["/requiresCompatibilities"]


# --- ECS104 unknown-awslogs-option / ECS105 docker-only-awslogs-option ---------------------


def test_typo_in_option_is_an_error_everywhere_with_did_you_mean() -> None:
    result = lint(
        ec2_task(logged_container(logConfiguration=awslogs(**{"awslogs-stream-prefx": "x"})))
    )
    [finding] = of(result, "ECS104")
    assert finding["path"] == f"{OPTIONS}/awslogs-stream-prefx"
    assert 'did you mean "awslogs-stream-prefix"' in finding["message"]
    assert not of(result, "ECS105")


def test_firelens_option_under_awslogs_on_fargate_is_rejected() -> None:
    result = lint(fargate_task(logged_container(logConfiguration=awslogs(log_key="log"))))
    [finding] = of(result, "ECS104")
    assert finding["path"] == f"{OPTIONS}/log_key"


def test_docker_only_option_is_an_error_on_fargate_and_advice_on_ec2() -> None:
    fargate = lint(fargate_task(logged_container(logConfiguration=awslogs(tag="{{.Name}}x"))))
    [error] = of(fargate, "ECS104")
    assert "Fargate does not allow" in error["message"]
    assert not of(fargate, "ECS105")
    ec2 = lint(
        ec2_task(logged_container(logConfiguration=awslogs(**{"awslogs-endpoint": "https://x"})))
    )
    assert not of(ec2, "ECS104")
    [info] = of(ec2, "ECS105")
    assert info["severity"] == "info"
    assert info["path"] == f"{OPTIONS}/awslogs-endpoint"


def test_documented_options_pass() -> None:
    options = {
        "awslogs-create-group": "true",
        "awslogs-datetime-format": "%Y",
        "mode": "non-blocking",
        "max-buffer-size": "25m",
    }
    result = lint(fargate_task(logged_container(logConfiguration=awslogs(**options))))
    assert not of(result, "ECS104")
    assert not of(result, "ECS105")


def test_options_of_other_drivers_are_not_awslogs_options() -> None:
    config = {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch", "log_key": "log"}}
    router = logged_container(
        name="router", logConfiguration=DROP, firelensConfiguration={"type": "fluentbit"}
    )
    result = lint(fargate_task(router, logged_container(logConfiguration=config)))
    assert not of(result, "ECS104")


# --- ECS106 invalid-awslogs-create-group ----------------------------------------------------


@pytest.mark.parametrize(("value", "fact"), [("yes", "'yes'"), ("enabled", "'enabled'")])
def test_create_group_that_is_not_a_boolean_string_fails(value: object, fact: str) -> None:
    result = lint(
        ec2_task(logged_container(logConfiguration=awslogs(**{"awslogs-create-group": value})))
    )
    [finding] = of(result, "ECS106")
    assert finding["path"] == f"{OPTIONS}/awslogs-create-group"
    assert fact in finding["message"]


def test_create_group_as_a_json_boolean_is_the_schema_rules_finding() -> None:
    """One finding per problem: a boolean is a type error, reported by wrong-type."""
    result = lint(
        ec2_task(logged_container(logConfiguration=awslogs(**{"awslogs-create-group": True})))
    )
    assert not of(result, "ECS106")
    [finding] = of(result, "ECS011")
    assert finding["path"] == f"{OPTIONS}/awslogs-create-group"
    assert 'write "true" in quotes' in finding["message"]


@pytest.mark.parametrize("value", ["true", "false", "True"])
def test_create_group_strings_docker_parses_pass(value: str) -> None:
    result = lint(
        ec2_task(logged_container(logConfiguration=awslogs(**{"awslogs-create-group": value})))
    )
    assert not of(result, "ECS106")


def test_create_group_placeholder_is_not_evaluated() -> None:
    options = {"awslogs-create-group": "${CREATE}"}
    result = lint(ec2_task(logged_container(logConfiguration=awslogs(**options))))
    assert not of(result, "ECS106")
    assert (
        "invalid-awslogs-create-group"
        in unevaluated_paths(result)[f"{OPTIONS}/awslogs-create-group"]
    )


# --- ECS107 awslogs-datetime-format-with-multiline-pattern ---------------------------------


def test_datetime_format_with_multiline_pattern_fails() -> None:
    options = {"awslogs-datetime-format": "%Y", "awslogs-multiline-pattern": "^INFO"}
    result = lint(ec2_task(logged_container(logConfiguration=awslogs(**options))))
    [finding] = of(result, "ECS107")
    assert finding["path"] == f"{OPTIONS}/awslogs-multiline-pattern"
    assert "both" in finding["message"]


def test_multiline_pattern_alone_passes() -> None:
    options = {"awslogs-multiline-pattern": "^INFO"}
    assert not of(lint(ec2_task(logged_container(logConfiguration=awslogs(**options)))), "ECS107")


# --- ECS108 invalid-log-mode -------------------------------------------------------------------


def test_bad_mode_fails_with_did_you_mean() -> None:
    result = lint(ec2_task(logged_container(logConfiguration=awslogs(mode="nonblocking"))))
    [finding] = of(result, "ECS108")
    assert finding["path"] == f"{OPTIONS}/mode"
    assert 'did you mean "non-blocking"' in finding["message"]


@pytest.mark.parametrize("mode", ["blocking", "non-blocking"])
def test_valid_modes_pass(mode: str) -> None:
    assert not of(lint(ec2_task(logged_container(logConfiguration=awslogs(mode=mode)))), "ECS108")


def test_mode_applies_to_every_driver() -> None:
    config = {"logDriver": "json-file", "options": {"mode": "fast"}}
    assert of(lint(ec2_task(logged_container(logConfiguration=config))), "ECS108")


# --- ECS109 log-driver-unsupported-on-fargate --------------------------------------------------


@pytest.mark.parametrize("driver", ["json-file", "fluentd", "gelf", "syslog", "journald"])
def test_fargate_rejects_other_drivers(driver: str) -> None:
    result = lint(fargate_task(logged_container(logConfiguration={"logDriver": driver})))
    [finding] = of(result, "ECS109")
    assert finding["path"] == "/containerDefinitions/0/logConfiguration/logDriver"
    assert repr(driver) in finding["message"]


def test_ec2_accepts_other_drivers_and_fargate_accepts_splunk() -> None:
    assert not of(
        lint(ec2_task(logged_container(logConfiguration={"logDriver": "fluentd"}))), "ECS109"
    )
    splunk = {"logDriver": "splunk", "options": {"splunk-url": "https://splunk:8088"}}
    assert not of(lint(fargate_task(logged_container(logConfiguration=splunk))), "ECS109")


def test_placeholder_driver_on_fargate_is_not_evaluated() -> None:
    result = lint(fargate_task(logged_container(logConfiguration={"logDriver": "${DRIVER}"})))
    assert not of(result, "ECS109")
    path = "/containerDefinitions/0/logConfiguration/logDriver"
    assert "log-driver-unsupported-on-fargate" in unevaluated_paths(result)[path]


# --- ECS110 awsfirelens-without-router / ECS111 unused-firelens-router -------------------------

FIRELENS = {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}}


def router(**fields: Any) -> dict[str, Any]:
    return logged_container(
        name="log_router",
        image="public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
        firelensConfiguration={"type": "fluentbit"},
        **fields,
    )


def test_awsfirelens_without_router_fails() -> None:
    result = lint(ec2_task(logged_container(logConfiguration=FIRELENS)))
    [finding] = of(result, "ECS110")
    assert finding["path"] == "/containerDefinitions/0/logConfiguration/logDriver"
    assert "firelensConfiguration" in finding["message"]


def test_router_without_users_fails() -> None:
    result = lint(ec2_task(router(), logged_container()))
    [finding] = of(result, "ECS111")
    assert finding["path"] == "/containerDefinitions/0/firelensConfiguration"
    assert "'log_router'" in finding["message"]


def test_router_with_user_passes_both_rules() -> None:
    result = lint(ec2_task(router(), logged_container(logConfiguration=FIRELENS)))
    assert not of(result, "ECS110")
    assert not of(result, "ECS111")


def test_router_with_placeholder_driver_elsewhere_is_not_evaluated() -> None:
    result = lint(ec2_task(router(), logged_container(logConfiguration={"logDriver": "${DRIVER}"})))
    assert not of(result, "ECS111")
    path = "/containerDefinitions/1/logConfiguration/logDriver"
    assert "unused-firelens-router" in unevaluated_paths(result)[path]


# --- describe-task-definition output and the corpus ----------------------------------------


def test_describe_output_of_a_clean_fargate_task_has_no_logging_findings() -> None:
    task = fargate_task(logged_container(cpu=0, memory=DROP, environment=[], mountPoints=[]))
    result = lint(describe(task))
    assert not [f for f in result.findings if f["rule"].startswith("ECS1")]


def test_describe_output_paths_include_the_wrapper() -> None:
    task = fargate_task(
        logged_container(logConfiguration=awslogs(**{"awslogs-stream-prefix": DROP}))
    )
    [finding] = of(lint(describe(task)), "ECS103")
    assert finding["path"] == "/taskDefinition" + f"{OPTIONS}/awslogs-stream-prefix"


@needs_corpus()
def test_corpus_fargate_example_without_stream_prefix() -> None:
    path = CORPUS / "taskdef" / "BigRedS__tiny-telemetry__examples_ecs-task-definition.json"
    result = lint_file(path)
    [finding] = of(result, "ECS103")
    assert finding["line"] > 1


# --- the option and driver tables, every entry (written out here, not read from facts/) --------

#: The awslogs options ECS documents (ecs-facts.md §3.7; cfn-lint allows the same 8).
ECS_AWSLOGS_OPTIONS = {
    "awslogs-group": "/ecs/web",
    "awslogs-region": "eu-west-1",
    "awslogs-stream-prefix": "web",
    "awslogs-create-group": "true",
    "awslogs-datetime-format": "%Y-%m-%d",
    "awslogs-multiline-pattern": "^INFO",
    "mode": "non-blocking",
    "max-buffer-size": "25m",
}
#: Keys Docker's awslogs driver accepts beyond those (moby daemon/logger/awslogs ValidateLogOpt).
DOCKER_ONLY_AWSLOGS_OPTIONS = {
    "tag": "{{.Name}}",
    "awslogs-stream": "web",
    "awslogs-create-stream": "true",
    "awslogs-endpoint": "https://logs.eu-west-1.amazonaws.com",
    "awslogs-credentials-endpoint": "/creds",
    "awslogs-force-flush-interval-seconds": "5",
    "awslogs-max-buffered-events": "100",
    "awslogs-format": "json/emf",
    "awslogs-datetime-as-event-time": "true",
    "awslogs-datetime-timezone": "UTC",
}


def _only(options: dict[str, str]) -> dict[str, Any]:
    return {"logDriver": "awslogs", "options": dict(options)}


def _option_paths(result: Any, rule: str) -> set[str]:
    return {finding["path"].removeprefix(OPTIONS + "/") for finding in of(result, rule)}


@pytest.mark.parametrize("make", [ec2_task, fargate_task], ids=["ec2", "fargate"])
@pytest.mark.parametrize("left_out", ["awslogs-multiline-pattern", "awslogs-datetime-format"])
def test_every_documented_awslogs_option_passes_everywhere(make: Any, left_out: str) -> None:
    """All eight at once (less the one ECS107 forbids beside the other)."""
    options = {k: v for k, v in ECS_AWSLOGS_OPTIONS.items() if k != left_out}
    result = lint(make(logged_container(logConfiguration=_only(options))))
    assert result.exit_code == 0, result.findings
    for rule in ("ECS102", "ECS103", "ECS104", "ECS105", "ECS106", "ECS107", "ECS108"):
        assert not of(result, rule), (rule, of(result, rule))


def test_every_docker_only_option_is_advice_on_ec2_and_an_error_on_fargate() -> None:
    options = {**ECS_AWSLOGS_OPTIONS, **DOCKER_ONLY_AWSLOGS_OPTIONS}
    del options["awslogs-multiline-pattern"]
    ec2 = lint(ec2_task(logged_container(logConfiguration=_only(options))))
    assert not of(ec2, "ECS104")
    assert _option_paths(ec2, "ECS105") == set(DOCKER_ONLY_AWSLOGS_OPTIONS)
    fargate = lint(fargate_task(logged_container(logConfiguration=_only(options))))
    assert not of(fargate, "ECS105")
    assert _option_paths(fargate, "ECS104") == set(DOCKER_ONLY_AWSLOGS_OPTIONS)
    assert all("Fargate does not allow" in f["message"] for f in of(fargate, "ECS104"))


def test_a_near_miss_of_every_known_option_is_unknown_everywhere() -> None:
    known = [*ECS_AWSLOGS_OPTIONS, *DOCKER_ONLY_AWSLOGS_OPTIONS]
    near = {f"{key}s": "x" for key in known} | {key[:-1]: "x" for key in known}
    config = awslogs(**near)
    for make in (ec2_task, fargate_task):
        result = lint(make(logged_container(logConfiguration=config)))
        assert _option_paths(result, "ECS104") == set(near)
        assert not of(result, "ECS105")


#: What Go's strconv.ParseBool accepts (Docker parses awslogs-create-group with it).
GO_BOOLEANS = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"]


@pytest.mark.parametrize("value", GO_BOOLEANS)
def test_every_go_boolean_is_a_valid_create_group(value: str) -> None:
    config = awslogs(**{"awslogs-create-group": value})
    assert not of(lint(ec2_task(logged_container(logConfiguration=config))), "ECS106")


@pytest.mark.parametrize("value", ["tRUE", "fALSE", "2", "-1", "y", "on", "truee", " true"])
def test_near_misses_of_go_booleans_fail_create_group(value: str) -> None:
    config = awslogs(**{"awslogs-create-group": value})
    assert of(lint(ec2_task(logged_container(logConfiguration=config))), "ECS106")


@pytest.mark.parametrize("mode", ["Blocking", "non_blocking", "nonblocking ", "block"])
def test_near_misses_of_log_modes_fail(mode: str) -> None:
    assert of(lint(ec2_task(logged_container(logConfiguration=awslogs(mode=mode)))), "ECS108")


#: The logDriver enum of the ECS API (botocore) and the three Fargate accepts (§2.2, §3.7).
FARGATE_DRIVERS = ["awslogs", "splunk", "awsfirelens"]
OTHER_DRIVERS = ["json-file", "syslog", "journald", "gelf", "fluentd"]


@pytest.mark.parametrize("driver", FARGATE_DRIVERS + OTHER_DRIVERS)
def test_every_driver_of_the_enum_against_fargate_and_ec2(driver: str) -> None:
    config = {"logDriver": driver, "options": {"awslogs-group": "g", "awslogs-region": "r"}}
    config = config if driver == "awslogs" else {"logDriver": driver}
    fargate = lint(fargate_task(logged_container(logConfiguration=config)))
    assert bool(of(fargate, "ECS109")) == (driver not in FARGATE_DRIVERS)
    assert not of(lint(ec2_task(logged_container(logConfiguration=config))), "ECS109")


def test_no_log_configuration_needs_no_fargate_verdict() -> None:
    task = ec2_task(logged_container(logConfiguration=DROP), requiresCompatibilities=["${COMPAT}"])
    skipped = unevaluated_paths(lint(task)).get("/requiresCompatibilities", "")
    assert "log-driver-unsupported-on-fargate" not in skipped
    json_file = logged_container(logConfiguration={"logDriver": "json-file"})
    logged = ec2_task(json_file, requiresCompatibilities=["${COMPAT}"])
    assert (
        "log-driver-unsupported-on-fargate"
        in unevaluated_paths(lint(logged))["/requiresCompatibilities"]
    )
