"""Log drivers and awslogs options (ecs-facts.md §3.7, §3.8, §2.2, and Docker's awslogs driver)."""

from __future__ import annotations

#: ``LogConfiguration.logDriver`` enum in the ECS API model (botocore 1.44.8, §3.7).
LOG_DRIVERS = frozenset(
    {"json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"}
)

#: Drivers Fargate accepts (§2.2, §3.7).
FARGATE_LOG_DRIVERS = frozenset({"awslogs", "splunk", "awsfirelens"})

#: The awslogs options ECS documents, the same 8 keys cfn-lint allows (§3.7).
#: Fargate rejects every other key: "Log driver awslogs disallows options: ...".
AWSLOGS_OPTIONS = frozenset(
    {
        "awslogs-group",
        "awslogs-region",
        "awslogs-stream-prefix",
        "awslogs-create-group",
        "awslogs-datetime-format",
        "awslogs-multiline-pattern",
        "mode",
        "max-buffer-size",
    }
)

#: Keys Docker's own awslogs driver also accepts (moby daemon/logger/awslogs
#: ValidateLogOpt). On EC2 the agent passes options to Docker, so these work there,
#: but ECS does not document them and Fargate rejects them.
DOCKER_ONLY_AWSLOGS_OPTIONS = frozenset(
    {
        "tag",
        "awslogs-stream",
        "awslogs-create-stream",
        "awslogs-endpoint",
        "awslogs-credentials-endpoint",
        "awslogs-force-flush-interval-seconds",
        "awslogs-max-buffered-events",
        "awslogs-format",
        "awslogs-datetime-as-event-time",
        "awslogs-datetime-timezone",
    }
)

#: awslogs options without which the driver cannot run (§3.7).
AWSLOGS_REQUIRED = ("awslogs-group", "awslogs-region")

#: Required in addition on Fargate (§2.2).
AWSLOGS_FARGATE_REQUIRED = "awslogs-stream-prefix"
#: What the console writes for it in a new task definition; the value ECS103's fix adds.
AWSLOGS_DEFAULT_STREAM_PREFIX = "ecs"

#: ``mode`` applies to every driver (§3.7).
LOG_MODES = frozenset({"blocking", "non-blocking"})

#: What Go's strconv.ParseBool accepts: Docker parses awslogs-create-group with it.
GO_BOOLEANS = frozenset(
    {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
)
