"""Security policy lists: risky capabilities, the Docker socket, root users and
what a plaintext secret looks like (ecs-facts.md §1.2 KernelCapabilities, §3.12,
appendix B "security-policy").

These are defaults; rules expose them as params so a team can tighten or relax them.
"""

from __future__ import annotations

import re

from ecslint.lazy_re import lazy_re

#: Capabilities that give a container control over the host or other containers.
#: SYS_PTRACE is left out: it is what Fargate allows and APM/security agents need.
DANGEROUS_CAPABILITIES: tuple[str, ...] = (
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_TIME",
    "SYS_BOOT",
    "DAC_READ_SEARCH",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "BPF",
    "PERFMON",
)

#: Host paths whose bind mount hands a container the container runtime's API.
DOCKER_SOCKET_PATHS: tuple[str, ...] = (
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run",
    "/run",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
)

#: `user` values that mean UID 0 (with or without a group).
ROOT_USER = lazy_re(r"^(?:root|0)(?::.*)?$", re.IGNORECASE)

#: Name tokens that mark an environment variable as holding a secret.
SECRET_WORDS: tuple[str, ...] = (
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "PASSPHRASE",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATEKEY",
)

#: Two-token names that mark a secret (API_KEY, PRIVATE_KEY, ACCESS_KEY, ...).
SECRET_PAIRS: tuple[tuple[str, str], ...] = (
    ("API", "KEY"),
    ("PRIVATE", "KEY"),
    ("ACCESS", "KEY"),
    ("SECRET", "KEY"),
    ("SIGNING", "KEY"),
    ("ENCRYPTION", "KEY"),
    ("MASTER", "KEY"),
    ("AUTH", "KEY"),
    ("ENC", "KEY"),
)

#: AWS Config's ecs-no-environment-secrets (behind Security Hub ECS.8) fails a task
#: definition with any of these in plaintext environment, whatever the value (its default
#: secretKeys). ECS_ENGINE_AUTH_DATA is registry-auth-in-environment's (ECS912).
CONFIG_SECRET_NAMES: tuple[str, ...] = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "ECS_ENGINE_AUTH_DATA",
)

#: A token after the secret word that makes the name *about* a secret, not the secret
#: itself: TOKEN_URL, PASSWORD_FILE, SECRET_ARN, JWT_SECRET_EXPIRES_IN, API_KEY_HEADER.
#: One token each: names are split at every non-alphanumeric (KEY_ID is KEY, then ID).
NOT_SECRET_QUALIFIERS = frozenset(
    {
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
    }
)

#: Values that are placeholders, not secrets.
PLACEHOLDER_VALUES = frozenset(
    {
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
    }
)

#: Values that point at a secret rather than hold one.
REFERENCE_PREFIXES: tuple[str, ...] = (
    "arn:",
    "ssm:",
    "secretsmanager:",
    "vault:",
    "{{resolve:",
    "s3://",
    "file:",
    "/",
    "./",
    "../",
    "~/",
    "$(",
)

#: Value shapes that are secrets whatever the variable is called.
SECRET_VALUE_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key id", lazy_re(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    (
        "a private key",
        lazy_re(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ),
    (
        "a GitHub token",
        lazy_re(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    ),
    ("a Slack token", lazy_re(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe live key", lazy_re(r"\b[sr]k_live_[A-Za-z0-9]{20,}")),
    ("a Google API key", lazy_re(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    (
        "a URL with an embedded password",
        lazy_re(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]+:([^@/\s]+)@[^\s]+"),
    ),
)

#: Text that every match of a SECRET_VALUE_SHAPES pattern contains: a value without any
#: of it cannot have one of those shapes, so one quick search spares the seven (a
#: regular expression, compiled on first use). Keep in step with the patterns above.
SECRET_VALUE_HINT = r"AKIA|ASIA|-----BEGIN |gh[pousr]_|github_pat_|xox|k_live_|AIza|://"

#: The 40-character shape of an AWS secret access key.
AWS_SECRET_KEY = lazy_re(r"^[A-Za-z0-9/+]{40}$")

#: Environment variables that hand a container registry credentials.
REGISTRY_AUTH_NAMES: tuple[str, ...] = ("ECS_ENGINE_AUTH_DATA", "DOCKER_AUTH_CONFIG")

#: Template text standing in for a secret: your_api_key, sk-your-key-here, <token>,
#: REPLACE_WITH_..., xxxx (seen in real task definitions committed as samples).
PLACEHOLDER_PATTERN = lazy_re(
    r"""(?ix)
    (?:^|[-_.\s])your(?:[-_.\s]|$)
    | (?:^|[-_.\s])your[-_]?(?:key|token|secret|password|api)
    | [-_.\s]here$
    | ^(?:insert|enter|put|add|replace|set|fill)[-_.\s]
    | change[-_]?me | replace[-_]?me | placeholder | dummy | example | redacted
    | xxxx | \*\*\*
    """
)
