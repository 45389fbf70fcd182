"""Security rules ECS901-ECS912, through the CLI; the secret detector in both directions."""

from __future__ import annotations

from typing import Any

import pytest

from ecslint.checks._secrets import name_looks_secret, value_shape, verdict
from ecslint.facts.security import SECRET_VALUE_SHAPES
from tests.builders import (
    describe_filled,
    findings,
    hardened_bridge_task,
    hardened_container,
    hardened_fargate_task,
    rule_paths,
)
from tests.conftest import lint, lint_with_params

#: ECS903 and ECS905 are in the opt-in hardening set: their tests turn it on.
HARDENING = ("--select", "ALL")


def hardening(document: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    result = lint(document, *HARDENING)
    assert result.exit_code in (0, 1), result.stderr
    return [f for f in result.findings if f["rule"].startswith(rule)]


KEY_ID = "AKIAZ7QXJ4LKT3WQ5P2M"
SECRET_KEY = "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"


def test_best_practice_definitions_have_no_security_warnings() -> None:
    for task in (
        hardened_fargate_task(),
        hardened_bridge_task(),
        describe_filled(hardened_fargate_task()),
        describe_filled(hardened_bridge_task()),
    ):
        found = findings(task, "ECS9")
        assert found == [], found


def test_security_rules_are_warnings_or_info() -> None:
    task = hardened_bridge_task(hardened_container(memory=256, privileged=True, user="root"))
    severities = {f["rule"]: f["severity"] for f in findings(task, "ECS9")}
    assert severities == {"ECS901": "warning", "ECS902": "warning"}


# --- ECS901 privileged -------------------------------------------------------------


def test_ecs901_privileged() -> None:
    task = hardened_bridge_task(
        hardened_container(memory=256),
        hardened_container(name="agent", memory=256, privileged=True),
    )
    found = findings(task, "ECS901")
    assert [(f["path"], f["container"]) for f in found] == [
        ("/containerDefinitions/1/privileged", "agent")
    ]
    assert (
        findings(hardened_bridge_task(hardened_container(memory=256, privileged=False)), "ECS901")
        == []
    )


def test_ecs901_fargate_leaves_it_to_ecs804() -> None:
    result = lint(hardened_fargate_task(hardened_container(privileged=True)))
    assert "ECS804" in result.rules() and "ECS901" not in result.rules()


def test_ecs901_placeholder_not_evaluated() -> None:
    result = lint(hardened_bridge_task(hardened_container(memory=256, privileged="${PRIVILEGED}")))
    assert "ECS901" not in result.rules()
    assert any(f["rule"] == "ECS001" and f["path"].endswith("/privileged") for f in result.findings)


# --- ECS902 / ECS903 user ----------------------------------------------------------


@pytest.mark.parametrize("user", ["root", "0", "0:0", "root:root", "ROOT", "0:1000", " 0 "])
def test_ecs902_explicit_root(user: str) -> None:
    found = findings(hardened_bridge_task(hardened_container(memory=256, user=user)), "ECS90")
    assert [(f["rule"], f["path"]) for f in found] == [("ECS902", "/containerDefinitions/0/user")]


@pytest.mark.parametrize("user", ["1000", "1000:0", "app", "nobody", "65534:65534", "rooter"])
def test_ecs902_non_root(user: str) -> None:
    assert findings(hardened_bridge_task(hardened_container(memory=256, user=user)), "ECS902") == []


def test_ecs903_absent_user_is_info_not_warning() -> None:
    plain = hardened_container(memory=256)
    del plain["user"]
    result = lint(
        hardened_bridge_task(plain, hardened_container(name="b", memory=256, user="")), *HARDENING
    )
    found = [f for f in result.findings if f["rule"] in ("ECS902", "ECS903")]
    assert [(f["rule"], f["severity"], f["path"]) for f in found] == [
        ("ECS903", "info", "/containerDefinitions/0/user"),
        ("ECS903", "info", "/containerDefinitions/1/user"),
    ]


def test_user_rules_skip_windows_and_unknown_user() -> None:
    windows = hardened_bridge_task(
        hardened_container(memory=256, user="0"),
        runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"},
    )
    del windows["containerDefinitions"][0]["user"]
    assert findings(windows, "ECS902") == [] and hardening(windows, "ECS903") == []
    result = lint(
        hardened_bridge_task(hardened_container(memory=256, user="${APP_USER}")), *HARDENING
    )
    assert "ECS902" not in result.rules() and "ECS903" not in result.rules()
    assert any(f["rule"] == "ECS001" and f["path"].endswith("/user") for f in result.findings)


# --- ECS904 ContainerAdministrator -------------------------------------------------


def test_ecs904_container_administrator() -> None:
    windows = {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}
    bad = hardened_bridge_task(
        hardened_container(memory=2048, user="containeradministrator"), runtimePlatform=windows
    )
    assert rule_paths(bad, "ECS904") == ["/containerDefinitions/0/user"]
    good = hardened_bridge_task(
        hardened_container(memory=2048, user="ContainerUser"), runtimePlatform=windows
    )
    assert rule_paths(good, "ECS904") == []


# --- ECS905 writable root ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reported"), [(True, False), (False, True), (None, True), ("absent", True)]
)
def test_ecs905_readonly_root(value: Any, reported: bool) -> None:
    definition = hardened_container(memory=256)
    if value == "absent":
        del definition["readonlyRootFilesystem"]
    else:
        definition["readonlyRootFilesystem"] = value
    found = hardening(hardened_bridge_task(definition), "ECS905")
    assert [(f["path"], f["severity"]) for f in found] == (
        [("/containerDefinitions/0/readonlyRootFilesystem", "info")] if reported else []
    )


# --- ECS906-ECS908 host namespaces -------------------------------------------------


@pytest.mark.parametrize(
    ("field", "rule"), [("networkMode", "ECS906"), ("pidMode", "ECS907"), ("ipcMode", "ECS908")]
)
def test_host_namespaces(field: str, rule: str) -> None:
    assert rule_paths(hardened_bridge_task(**{field: "host"}), rule) == [f"/{field}"]
    other = "awsvpc" if field == "networkMode" else "task"
    assert rule_paths(hardened_bridge_task(**{field: other}), rule) == []
    # on Fargate the ECS80x error rules report it instead
    assert rule_paths(hardened_fargate_task(**{field: "host"}), rule) == []


# --- ECS909 capabilities -----------------------------------------------------------


def test_ecs909_dangerous_capabilities() -> None:
    caps = {"add": ["NET_BIND_SERVICE", "CAP_SYS_ADMIN", "all", "SYS_PTRACE"], "drop": ["ALL"]}
    task = hardened_bridge_task(
        hardened_container(memory=256, linuxParameters={"capabilities": caps})
    )
    base = "/containerDefinitions/0/linuxParameters/capabilities/add/"
    assert rule_paths(task, "ECS909") == [base + "1", base + "2"]


def test_ecs909_param_extends_the_list() -> None:
    caps = {"add": ["SYS_PTRACE"]}
    task = hardened_bridge_task(
        hardened_container(memory=256, linuxParameters={"capabilities": caps})
    )
    assert rule_paths(task, "ECS909") == []
    found = lint_with_params(task, "ECS909", {"capabilities": ["SYS_PTRACE"]})
    assert [f.path for f in found] == ["/containerDefinitions/0/linuxParameters/capabilities/add/0"]


# --- ECS910 docker socket ----------------------------------------------------------


@pytest.mark.parametrize(
    "source", ["/var/run/docker.sock", "/var/run/", "/run/containerd/containerd.sock"]
)
def test_ecs910_socket_mounted(source: str) -> None:
    task = hardened_bridge_task(
        hardened_container(
            memory=256,
            mountPoints=[
                {"sourceVolume": "logs", "containerPath": "/l"},
                {"sourceVolume": "sock", "containerPath": "/s"},
            ],
        ),
        volumes=[
            {"name": "logs", "host": {"sourcePath": "/var/log"}},
            {"name": "sock", "host": {"sourcePath": source}},
        ],
    )
    found = findings(task, "ECS910")
    assert [f["path"] for f in found] == ["/containerDefinitions/0/mountPoints/1/sourceVolume"]
    assert source in found[0]["message"]


def test_ecs910_socket_volume_not_mounted_or_other_paths() -> None:
    volumes = [
        {"name": "sock", "host": {"sourcePath": "/var/run/docker.sock"}},
        {"name": "data", "host": {"sourcePath": "/var/runner"}},
    ]
    task = hardened_bridge_task(
        hardened_container(
            memory=256, mountPoints=[{"sourceVolume": "data", "containerPath": "/d"}]
        ),
        volumes=volumes,
    )
    assert findings(task, "ECS910") == []


# --- ECS911 plaintext secrets: the detector ----------------------------------------

SECRET = [
    ("DB_PASSWORD", "hunter2-but-longer"),
    ("dbPassword", "Tr0ub4dor&3"),
    ("MYSQL_ROOT_PASSWORD", "my-secret-pw"),
    ("SMTP_PASS", "s3nd-m41l"),
    ("API_KEY", "9f8e7d6c5b4a39281706"),
    ("STRIPE_API_KEY", "abcdEFGH12345678"),
    ("JWT_SECRET", "k2j3h4k2j3h4k2j3"),
    ("NEXTAUTH_SECRET", "Zm9vYmFyYmF6cXV4"),
    ("GITHUB_TOKEN", "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"),
    ("SECRET_KEY_BASE", "a8f7d6e5c4b3a2918f7e6d5c4b3a2918"),
    ("PRIVATE_KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
    ("ENCRYPTION_KEY", "c29tZS1lbmNyeXB0aW9uLWtleQ"),
    ("AWS_ACCESS_KEY_ID", KEY_ID),
    ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
    ("S3_UPLOAD_KEY", KEY_ID),  # by value shape, whatever the name
    ("TLS_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA"),
    ("DATABASE_URL", "postgres://app:s3cr3tpw@db.internal:5432/app"),
    ("SLACK_WEBHOOK", "xoxb-1234567890-abcdefghij"),
    ("CREDENTIALS", "user:pa55word"),
]

NOT_SECRET = [
    ("DB_PASSWORD", ""),
    ("DB_PASSWORD", "   "),
    ("DB_PASSWORD", "changeme"),
    ("DB_PASSWORD", "xxxxxxxx"),
    ("DB_PASSWORD", "<db password>"),
    ("DB_PASSWORD", "your_password_here"),
    ("OPENAI_API_KEY", "sk-proj-your-openai-key"),
    ("API_TOKEN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tok-AbCdEf"),
    ("DB_PASSWORD", "{{resolve:secretsmanager:db:SecretString:password}}"),
    ("DB_PASSWORD", "/run/secrets/db_password"),
    ("TOKEN_URL", "https://auth.example.com/oauth/token"),
    ("TOKEN_URL", "some-value-that-is-long"),
    ("PASSWORD_FILE", "secrets/db.txt"),
    ("SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:x"),
    ("SECRET_NAME", "prod/db"),
    ("JWT_SECRET_EXPIRES_IN", "7d"),
    ("ACCESS_TOKEN_EXPIRE_MINUTES", "30"),
    ("PASSWORD_MIN_LENGTH", "12"),
    ("API_KEY_HEADER", "X-Api-Key"),
    ("SESSION_SECRET_ROTATION", "weekly"),
    ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),  # AWS's documented example key
    ("AUTH_ENABLED", "true"),
    ("TOKEN", "false"),
    ("TOKEN_TTL", "3600"),
    ("PIN", "1234"),
    ("MAX_TOKENS", "4096"),
    ("TOKENIZER", "cl100k_base"),
    ("NODE_ENV", "production"),
    ("GIT_SHA", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    ("DATABASE_URL", "postgres://db.internal:5432/app"),
    ("REDIS_URL", "redis://redis:6379/0"),
    ("PWD", "/app"),
    ("PASSWORD_HASH_ALGORITHM", "argon2id"),
    ("CACHE_KEY", "v3"),
    ("KEYCLOAK_REALM", "main"),
]


@pytest.mark.parametrize(("name", "value"), SECRET)
def test_detector_reports(name: str, value: str) -> None:
    assert verdict(name, value, key_id_nearby=False) is not None


@pytest.mark.parametrize(("name", "value"), NOT_SECRET)
def test_detector_skips(name: str, value: str) -> None:
    assert verdict(name, value, key_id_nearby=False) is None


SHAPES = [
    ("an AWS access key id", KEY_ID),
    ("a private key", "-----BEGIN OPENSSH PRIVATE KEY-----"),
    ("a GitHub token", "ghs_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"),
    ("a GitHub token", "github_pat_" + "A1b2C3d4E5_" * 4),
    ("a Slack token", "xoxp-1234567890-abcdefghij"),
    ("a Stripe live key", "rk_live_" + "a1B2c3D4e5F6g7H8i9J0k1"),
    ("a Google API key", "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"),
    ("a URL with an embedded password", "amqp://app:s3cr3tpw@mq.internal/vhost"),
]


@pytest.mark.parametrize(("kind", "value"), SHAPES)
def test_every_value_shape_gets_past_the_quick_hint(kind: str, value: str) -> None:
    """value_shape skips the patterns when SECRET_VALUE_HINT finds nothing: it must
    let every kind through (a new kind needs its hint and an example here)."""
    assert value_shape(value) == kind
    assert {k for k, _ in SHAPES} == {k for k, _ in SECRET_VALUE_SHAPES}


def test_aws_secret_key_needs_a_key_id_or_a_secret_key_name() -> None:
    assert verdict("UPLOAD_SIGNATURE", SECRET_KEY, key_id_nearby=False) is None
    assert "AWS secret access key" in str(
        verdict("UPLOAD_SIGNATURE", SECRET_KEY, key_id_nearby=True)
    )


def test_name_rules() -> None:
    assert name_looks_secret("db-password") and name_looks_secret("clientSecret")
    assert not name_looks_secret("TOKEN_URL") and not name_looks_secret("SECRETS_MANAGER_REGION")


# --- ECS911 through the CLI --------------------------------------------------------


def _env(*pairs: tuple[str, Any]) -> dict[str, Any]:
    return hardened_container(memory=256, environment=[{"name": n, "value": v} for n, v in pairs])


def test_ecs911_reports_paths_and_never_echoes_the_value() -> None:
    task = hardened_bridge_task(
        _env(
            ("DB_HOST", "db.internal"),
            ("DB_PASSWORD", "hunter2-but-longer"),
            ("TOKEN_URL", "https://x/token"),
        )
    )
    result = lint(task)
    found = [f for f in result.findings if f["rule"] == "ECS911"]
    assert [(f["path"], f["severity"]) for f in found] == [
        ("/containerDefinitions/0/environment/1/value", "warning")
    ]
    assert "'DB_PASSWORD'" in found[0]["message"]
    assert "hunter2" not in result.stdout


def test_ecs911_secret_key_beside_a_key_id() -> None:
    task = hardened_bridge_task(_env(("UPLOAD_ID", KEY_ID), ("UPLOAD_SIG", SECRET_KEY)))
    assert rule_paths(task, "ECS911") == [
        "/containerDefinitions/0/environment/0/value",
        "/containerDefinitions/0/environment/1/value",
    ]


def test_ecs911_describe_output_and_fargate() -> None:
    task = hardened_fargate_task(_env(("API_KEY", "9f8e7d6c5b4a39281706")))
    assert rule_paths(describe_filled(task), "ECS911") == [
        "/taskDefinition/containerDefinitions/0/environment/0/value"
    ]


def test_ecs911_placeholder_under_a_secret_name_is_not_evaluated() -> None:
    result = lint(
        hardened_bridge_task(_env(("DB_PASSWORD", "${DB_PASSWORD}"), ("APP_NAME", "${APP}")))
    )
    assert "ECS911" not in result.rules()
    skipped = [
        f for f in result.findings if f["rule"] == "ECS001" and "plaintext-secret" in f["message"]
    ]
    assert [f["path"] for f in skipped] == ["/containerDefinitions/0/environment/0/value"]


def test_ecs911_allow_list_param() -> None:
    task = hardened_bridge_task(
        _env(("NEXT_PUBLIC_API_KEY", "pk_test_12345678"), ("DB_PASSWORD", "hunter2-but-longer"))
    )
    found = lint_with_params(task, "ECS911", {"allow": ["next_public_*"]})
    assert [f.path for f in found] == ["/containerDefinitions/0/environment/1/value"]


def test_ecs911_odd_shapes_do_not_crash() -> None:
    definition = hardened_container(
        memory=256,
        environment=[
            {"name": "A"},
            {"value": "x"},
            "str",
            {"name": 3, "value": "y"},
            {"name": "DB_PASSWORD", "value": 12345678},
        ],
    )
    assert findings(hardened_bridge_task(definition), "ECS911") == []


# --- ECS912 registry auth ----------------------------------------------------------


def test_ecs912_engine_auth_data() -> None:
    data = '{"registry.example.com":{"username":"ci","password":"p"}}'
    task = hardened_bridge_task(
        _env(("ECS_ENGINE_AUTH_DATA", data), ("ECS_ENGINE_AUTH_TYPE", "dockercfg"))
    )
    found = findings(task, "ECS912")
    assert [f["path"] for f in found] == ["/containerDefinitions/0/environment/0/value"]
    assert findings(hardened_bridge_task(_env(("DOCKER_AUTH_CONFIG", ""))), "ECS912") == []


def test_value_that_repeats_the_name_is_a_placeholder() -> None:
    assert verdict("DD_API_KEY", "DD-API-KEY", key_id_nearby=False) is None
    assert verdict("DD_API_KEY", "dd-api-key-0f3a9c", key_id_nearby=False) is not None


def test_ecs912_placeholder_values_are_skipped_except_for_engine_auth_data() -> None:
    for value in ("test", "changeme", "<auth data>"):
        assert findings(hardened_bridge_task(_env(("DOCKER_AUTH_CONFIG", value))), "ECS912") == []
        # AWS Config's ecs-no-environment-secrets fails ECS_ENGINE_AUTH_DATA whatever the value
        reported = findings(hardened_bridge_task(_env(("ECS_ENGINE_AUTH_DATA", value))), "ECS9")
        assert [f["rule"] for f in reported] == ["ECS912"]  # once, by the rule that owns it


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",  # AWS's own example key id
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  # and secret key
        "",
        "${AWS_KEY}",  # filled in by a render step: still plaintext in the registered definition
    ],
)
@pytest.mark.parametrize("name", ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
def test_ecs911_config_names_whatever_the_value(name: str, value: str) -> None:
    found = findings(hardened_bridge_task(_env((name, value))), "ECS911")
    assert [f["path"] for f in found] == ["/containerDefinitions/0/environment/0/value"]
    assert "ECS.8" in found[0]["message"]


@pytest.mark.parametrize("name", ["LOGIN_ENC_KEY", "ENC_KEY", "DATA_ENCRYPTION_KEY"])
def test_ecs911_encryption_key_names(name: str) -> None:
    found = findings(hardened_bridge_task(_env((name, "q8Vd2Lk0Zr7Tn4Wm1Yp6"))), "ECS911")
    assert len(found) == 1


_NOECHO = """
Parameters:
  DbPassword: {Type: String, NoEcho: true, Default: hunter22}
  Stage: {Type: String, Default: prod}
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      ContainerDefinitions:
        - Name: app
          Image: nginx:1.27
          Memory: 256
          Environment:
            - {Name: DB_CONN, Value: !Sub "postgres://app:${DbPassword}@db/app"}
            - {Name: STAGE, Value: !Ref Stage}
            - {Name: PASSWORD, Value: !Ref DbPassword}
"""


def test_ecs911_a_value_from_a_noecho_parameter_is_a_secret_in_plaintext() -> None:
    result = lint(_NOECHO)
    paths = [f["path"] for f in result.findings if f["rule"] == "ECS911"]
    base = "/Resources/Task/Properties/ContainerDefinitions/0/Environment"
    assert paths == [f"{base}/0/Value", f"{base}/2/Value"]
    assert all("NoEcho" in f["message"] for f in result.findings if f["rule"] == "ECS911")
    assert "hunter22" not in result.stdout  # never the secret itself


def test_linux_only_rules_skip_windows_images_without_runtime_platform() -> None:
    iis = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"
    windows = hardened_container(memory=2048, image=iis)
    del windows["user"], windows["readonlyRootFilesystem"]
    task = hardened_bridge_task(windows)
    del task["networkMode"]
    assert findings(task, "ECS90") == []


# --- the security tables, every entry (written out here, not read from facts/) -----------------

#: Name tokens that mark a variable as a secret, and the two-token names (ecs-facts.md
#: appendix B "security-policy"); the suffix forms glue the word to a prefix (DBPASSWORD).
SECRET_WORDS = [
    "PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "TOKEN", "APIKEY", "PASSPHRASE",
    "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY",
]  # fmt: skip
SUFFIX_WORDS = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY"]
SECRET_PAIRS = [
    ("API", "KEY"), ("PRIVATE", "KEY"), ("ACCESS", "KEY"), ("SECRET", "KEY"), ("SIGNING", "KEY"),
    ("ENCRYPTION", "KEY"), ("MASTER", "KEY"), ("AUTH", "KEY"), ("ENC", "KEY"),
]  # fmt: skip
#: Tokens after the secret word that make the name about a secret (TOKEN_URL).
QUALIFIERS = [
    "URL",
    "URI",
    "URIS",
    "ENDPOINT",
    "HOST",
    "HOSTNAME",
    "PORT",
    "PATH",
    "FILE",
    "FILES",
    "DIR",
    "ARN",
    "NAME",
    "ID",
    "IDS",
    "LENGTH",
    "LEN",
    "TTL",
    "EXPIRY",
    "EXPIRATION",
    "EXPIRES",
    "EXPIRE",
    "EXPIRESIN",
    "TIMEOUT",
    "HEADER",
    "TYPE",
    "ENABLED",
    "DISABLED",
    "REQUIRED",
    "POLICY",
    "PARAM",
    "PARAMETER",
    "SSM",
    "REF",
    "LOCATION",
    "REGION",
    "FIELD",
    "PREFIX",
    "SUFFIX",
    "FORMAT",
    "ALGORITHM",
    "ALG",
    "ISSUER",
    "AUDIENCE",
    "LIFETIME",
    "DURATION",
    "MIN",
    "MAX",
    "COUNT",
    "SIZE",
    "ROTATION",
    "VERSION",
    "STAGE",
    "BUCKET",
    "TABLE",
    "QUEUE",
    "TOPIC",
    "USER",
    "USERNAME",
    "KEYNAME",
    "MODE",
    "SOURCE",
    "PROVIDER",
    "STORE",
    "VAULT",
    "SECONDS",
    "MINUTES",
    "HOURS",
    "DAYS",
    "MS",
    "IN",
    "COOKIE",
    "RESET",
    "RETRIES",
    "ATTEMPTS",
    "COMPLEXITY",
    "HASH",
    "ROUNDS",
    "CHARS",
    "PATTERN",
    "REGEX",
]
#: Values that stand in for a secret, and prefixes of values that point at one.
PLACEHOLDERS = [
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "replaceme",
    "replace_me",
    "replace-me",
    "todo",
    "tbd",
    "dummy",
    "placeholder",
    "none",
    "null",
    "nil",
    "undefined",
    "example",
    "sample",
    "test",
    "password",
    "secret",
    "token",
    "xxx",
    "redacted",
    "unset",
    "empty",
    "default",
]
REFERENCES = ["arn:", "ssm:", "secretsmanager:", "vault:", "{{resolve:", "s3://", "file:", "/",
              "./", "../", "~/", "$("]  # fmt: skip
PLAIN = "q8Vd2Lk0Zr7Tn4Wm1Yp6"  # a value that is a secret under a secret name


def _secret_paths(*pairs: tuple[str, str]) -> list[int]:
    """The environment indexes ECS911 reports for one container with these variables."""
    found = findings(hardened_bridge_task(_env(*pairs)), "ECS911")
    return [int(f["path"].split("/")[-2]) for f in found]


def test_every_secret_word_and_pair_fires_and_a_qualifier_after_it_does_not() -> None:
    names = [f"APP_{word}" for word in SECRET_WORDS] + [f"APP{word}" for word in SUFFIX_WORDS]
    names += [f"APP_{first}_{second}" for first, second in SECRET_PAIRS]
    names += [f"app{word.title()}" for word in SECRET_WORDS]  # camelCase splits the same way
    assert _secret_paths(*((name, PLAIN) for name in names)) == list(range(len(names)))
    about = [f"{name}_URL" for name in names]
    about += [f"APP_{b}_{a}" for a, b in SECRET_PAIRS if a not in SECRET_WORDS]  # KEY_API
    about += [f"APP_{a}" for a, _ in SECRET_PAIRS if a not in SECRET_WORDS] + ["APP_KEY"]
    # a token that only starts with a secret word is not one (TOKENIZER, PASSWORDLESS)
    about += [f"APP_{word}X" for word in SECRET_WORDS] + ["TOKENIZER", "PASSWORDLESS", "SECRETARY"]
    assert _secret_paths(*((name, PLAIN) for name in about)) == []


def test_every_qualifier_after_a_secret_word_makes_the_name_metadata() -> None:
    names = [f"DB_PASSWORD_{qualifier}" for qualifier in QUALIFIERS]
    names += [f"API_KEY_{qualifier}" for qualifier in QUALIFIERS]
    assert _secret_paths(*((name, PLAIN) for name in names)) == []
    # the qualifier only counts after the word: before it, the name is still a secret
    before = [f"{qualifier}_PASSWORD" for qualifier in QUALIFIERS]
    assert _secret_paths(*((name, PLAIN) for name in before)) == list(range(len(before)))


def test_every_placeholder_value_and_reference_is_not_a_secret() -> None:
    values = PLACEHOLDERS + [value.upper() for value in PLACEHOLDERS]
    values += [f"{prefix}prod-db-credentials" for prefix in REFERENCES]
    values += ["https://vault.internal/v1/db", "http://localhost:8200/db"]  # URLs, no userinfo
    assert _secret_paths(*(("DB_PASSWORD", value) for value in values)) == []
    # a reference prefix counts at the start only
    near = [f"Zq7{prefix}prod-db-credentials" for prefix in REFERENCES]
    assert _secret_paths(*(("DB_PASSWORD", value) for value in near)) == list(range(len(near)))


#: Capabilities that give a container the host (ECS909), and the runtime sockets (ECS910).
DANGEROUS = ["ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_RAWIO", "SYS_TIME", "SYS_BOOT",
             "DAC_READ_SEARCH", "MAC_ADMIN", "MAC_OVERRIDE", "BPF", "PERFMON"]  # fmt: skip
SOCKETS = ["/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run",
           "/var/run/containerd/containerd.sock", "/run/containerd/containerd.sock"]  # fmt: skip


def test_every_dangerous_capability_fires_and_the_harmless_ones_do_not() -> None:
    harmless = ["SYS_PTRACE", "CHOWN", "NET_BIND_SERVICE", "SYS_NICE", "SETUID", "KILL"]
    caps = {"add": [*DANGEROUS, *harmless]}
    task = hardened_bridge_task(
        hardened_container(memory=256, linuxParameters={"capabilities": caps})
    )
    base = "/containerDefinitions/0/linuxParameters/capabilities/add/"
    assert rule_paths(task, "ECS909") == [base + str(n) for n in range(len(DANGEROUS))]


def test_every_runtime_socket_path_fires_and_its_neighbours_do_not() -> None:
    def mounted(paths: list[str]) -> list[str]:
        volumes = [{"name": f"v{n}", "host": {"sourcePath": p}} for n, p in enumerate(paths)]
        points = [{"sourceVolume": f"v{n}", "containerPath": f"/m{n}"} for n in range(len(paths))]
        task = hardened_bridge_task(
            hardened_container(memory=256, mountPoints=points), volumes=volumes
        )
        return [f["path"].split("/")[-2] for f in findings(task, "ECS910")]

    assert mounted(SOCKETS) == [str(n) for n in range(len(SOCKETS))]
    near = [f"{path}.d" for path in SOCKETS] + ["/var", "/var/runner", "/srv/docker.sock"]
    assert mounted(near) == []


def test_ecs910_socket_volume_beside_containers_without_mount_points() -> None:
    volumes = [{"name": "sock", "host": {"sourcePath": "/var/run/docker.sock"}}, "junk", {"x": 1}]
    task = hardened_bridge_task(
        hardened_container(name="plain", memory=256),
        hardened_container(name="odd", memory=256, mountPoints=["junk", None]),
        hardened_container(
            name="agent", memory=256, mountPoints=[{"sourceVolume": "sock", "containerPath": "/s"}]
        ),
        volumes=volumes,
    )
    result = lint(task)
    assert result.exit_code in (0, 1), result.stderr
    assert rule_paths(task, "ECS910") == ["/containerDefinitions/2/mountPoints/0/sourceVolume"]


@pytest.mark.parametrize(
    ("field", "rule", "slug"),
    [
        ("networkMode", "ECS906", "host-network-mode"),
        ("pidMode", "ECS907", "host-pid-mode"),
        ("ipcMode", "ECS908", "host-ipc-mode"),
    ],
)
def test_a_placeholder_host_mode_is_not_evaluated(field: str, rule: str, slug: str) -> None:
    result = lint(hardened_bridge_task(**{field: "${MODE}"}))
    assert rule not in result.rules()
    skipped = [f for f in result.findings if f["rule"] == "ECS001" and f["path"] == f"/{field}"]
    assert skipped and slug in skipped[0]["message"], result.findings


def test_a_placeholder_os_family_is_not_evaluated_by_the_root_user_rule() -> None:
    task = hardened_bridge_task(
        hardened_container(memory=256, user="root"),
        runtimePlatform={"operatingSystemFamily": "${OS}"},
    )
    result = lint(task)
    assert "ECS902" not in result.rules()
    skipped = {f["path"]: f["message"] for f in result.findings if f["rule"] == "ECS001"}
    assert "container-runs-as-root" in skipped["/runtimePlatform/operatingSystemFamily"]


def test_ecs912_docker_auth_config_with_a_value() -> None:
    auth = '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNzd29yZA=="}}}'
    found = findings(hardened_bridge_task(_env(("DOCKER_AUTH_CONFIG", auth))), "ECS912")
    assert [f["path"] for f in found] == ["/containerDefinitions/0/environment/0/value"]
    for value in ("", "changeme", 5):
        task = hardened_bridge_task(_env(("DOCKER_AUTH_CONFIG", value)))
        assert findings(task, "ECS912") == [], value


def test_every_boolean_word_is_not_a_secret_value() -> None:
    words = ["true", "false", "yes", "no", "on", "off", "enabled", "disabled"]
    values = words + [word.upper() for word in words]
    assert _secret_paths(*(("DB_PASSWORD", value) for value in values)) == []


def test_ecs905_says_whether_readonly_root_filesystem_is_false_or_missing() -> None:
    result = lint(
        hardened_bridge_task(hardened_container(memory=256, readonlyRootFilesystem=False)),
        *HARDENING,
    )
    [false] = [f for f in result.findings if f["rule"] == "ECS905"]
    assert "sets readonlyRootFilesystem to false, so" in false["message"]
    result = lint(
        hardened_bridge_task(hardened_container(memory=256, readonlyRootFilesystem=None)),
        *HARDENING,
    )
    [unset] = [f for f in result.findings if f["rule"] == "ECS905"]
    assert "does not set readonlyRootFilesystem, so" in unset["message"]
