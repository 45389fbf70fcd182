# ruff: noqa: E501  (the cases are template edits, kept one per line to read as a table)
"""Deployment checks (ECS650-ECS675) through the CLI, in CloudFormation and in Terraform.

Each case edits one of two clean templates of our own (tests/data/deploy/service.yaml
and main.tf: a Fargate service behind an ALB whose security groups let the load
balancer in) so that exactly one thing is wrong, and checks the rule fires on the
edit and stays quiet on the original.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, ROOT, lint_file, run_cli

DATA = ROOT / "tests" / "data" / "deploy"
CFN = (DATA / "service.yaml").read_text(encoding="utf-8")
TF = (DATA / "main.tf").read_text(encoding="utf-8")
DEPLOYMENT_RULES = "ECS65,ECS66,ECS67"


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def run(tmp_path: Path, text: str, suffix: str, *extra: str) -> list[dict[str, object]]:
    path = tmp_path / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    result = lint_file(path, "--isolated", *extra)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return list(result.findings)


def ids(findings: list[dict[str, object]]) -> list[object]:
    return [f["rule"] for f in findings]


# --- the edits --------------------------------------------------------------------------

CFN_SG_80 = (
    "{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !Ref LbGroup}",
    "{IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !Ref LbGroup}",
)
CFN_NET = (
    "      NetworkConfiguration:\n        AwsvpcConfiguration:\n"
    "          Subnets: [subnet-0123, subnet-0456]\n"
    "          SecurityGroups: [!Ref ServiceGroup]\n"
)
CFN_BRIDGE = (
    (
        '      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n'
        '      Memory: "512"\n',
        "      NetworkMode: bridge\n",
    ),
    (
        "          Image: public.ecr.aws/nginx/nginx:1.27\n",
        "          Image: public.ecr.aws/nginx/nginx:1.27\n          Memory: 256\n",
    ),
    ("PortMappings: [{ContainerPort: 8080}]", "PortMappings: [{ContainerPort: 8080, HostPort: 0}]"),
    ("      TargetType: ip\n", "      TargetType: instance\n"),
    ("      LaunchType: FARGATE\n", "      LaunchType: EC2\n"),
    (CFN_NET, ""),
)
CFN_SLOW = (
    "          PortMappings: [{ContainerPort: 8080}]\n",
    "          PortMappings: [{ContainerPort: 8080}]\n"
    "          HealthCheck: {Command: [CMD-SHELL, curl -f http://localhost:8080/], StartPeriod: 120}\n",
)
CFN_EXEC = ("      DesiredCount: 2\n", "      DesiredCount: 2\n      EnableExecuteCommand: true\n")
CFN_CLUSTER = "  Cluster:\n    Type: AWS::ECS::Cluster\n"

TF_NET = (
    "  network_configuration {\n"
    '    subnets         = ["subnet-0123", "subnet-0456"]\n'
    "    security_groups = [aws_security_group.service.id]\n"
    "  }\n"
)
TF_BRIDGE = (
    ('  requires_compatibilities = ["FARGATE"]\n', ""),
    ('  network_mode             = "awsvpc"\n', '  network_mode             = "bridge"\n'),
    (
        "      portMappings = [{ containerPort = 8080 }]\n",
        "      memory       = 256\n      portMappings = [{ containerPort = 8080, hostPort = 0 }]\n",
    ),
    ('  target_type = "ip"\n', '  target_type = "instance"\n'),
    ('  launch_type     = "FARGATE"\n', '  launch_type     = "EC2"\n'),
    (TF_NET, ""),
)
TF_SLOW = (
    "      portMappings = [{ containerPort = 8080 }]\n",
    "      portMappings = [{ containerPort = 8080 }]\n"
    '      healthCheck  = { command = ["CMD-SHELL", "curl -f http://localhost:8080/"], '
    "startPeriod = 120 }\n",
)
TF_EXEC = ("  desired_count   = 2\n", "  desired_count   = 2\n  enable_execute_command = true\n")
TF_CLUSTER = 'resource "aws_ecs_cluster" "main" {\n  name = "main"\n'

#: rule, (CloudFormation edit that fails, edit that passes), (Terraform: the same).
CASES: list[tuple[str, tuple[tuple[tuple[str, str], ...], ...], tuple[tuple[tuple[str, str], ...], ...]]] = [
    (
        "ECS650",
        ((CFN_SG_80,), ()),
        (
            (("from_port                    = 8080", "from_port                    = 80"),
             ("to_port                      = 8080", "to_port                      = 80")),
            (),
        ),
    ),
    ("ECS652", (((CFN_NET, ""),), ()), (((TF_NET, ""),), ())),
    (
        "ECS653",
        ((("      TargetType: ip\n", ""),), ()),
        (((('  target_type = "ip"\n', ""),)), ()),
    ),
    (
        "ECS654",
        (
            (*CFN_BRIDGE, ("      TargetType: instance\n", '      TargetType: instance\n      HealthCheckPort: "8080"\n')),
            (*CFN_BRIDGE, ("      TargetType: instance\n", "      TargetType: instance\n      HealthCheckPort: traffic-port\n")),
        ),
        (
            (*TF_BRIDGE, ('  target_type = "instance"\n', '  target_type = "instance"\n  health_check {\n    port = "8080"\n  }\n')),
            (*TF_BRIDGE, ('  target_type = "instance"\n', '  target_type = "instance"\n  health_check {\n    port = "traffic-port"\n  }\n')),
        ),
    ),
    (
        "ECS655",
        ((("{ContainerName: web, ContainerPort: 8080", "{ContainerName: app, ContainerPort: 8080"),), ()),
        ((('    container_name   = "web"', '    container_name   = "app"'),), ()),
    ),
    (
        "ECS656",
        ((("{ContainerName: web, ContainerPort: 8080", "{ContainerName: web, ContainerPort: 80"),), ()),
        ((("    container_port   = 8080", "    container_port   = 80"),), ()),
    ),
    (
        "ECS657",
        ((("      RequiresCompatibilities: [FARGATE]\n", ""),), ()),
        ((('  requires_compatibilities = ["FARGATE"]\n', ""),), ()),
    ),
    (
        "ECS658",
        (
            (("      LaunchType: FARGATE\n", "      LaunchType: FARGATE\n      CapacityProviderStrategy: [{CapacityProvider: FARGATE_SPOT}]\n"),),
            (("      LaunchType: FARGATE\n", "      CapacityProviderStrategy: [{CapacityProvider: FARGATE_SPOT}]\n"),),
        ),
        (
            (('  launch_type     = "FARGATE"\n', '  launch_type     = "FARGATE"\n  capacity_provider_strategy {\n    capacity_provider = "FARGATE_SPOT"\n    weight = 1\n  }\n'),),
            (('  launch_type     = "FARGATE"\n', '  capacity_provider_strategy {\n    capacity_provider = "FARGATE_SPOT"\n    weight = 1\n  }\n'),),
        ),
    ),
    (
        "ECS659",
        ((("      DesiredCount: 2\n", "      SchedulingStrategy: DAEMON\n"),), ()),
        ((("  desired_count   = 2\n", '  scheduling_strategy = "DAEMON"\n'),), ()),
    ),
    (
        "ECS660",
        (
            (("      RequiresCompatibilities: [FARGATE]\n", ""), ("LogDriver: awslogs", "LogDriver: json-file")),
            (("      RequiresCompatibilities: [FARGATE]\n", ""),),
        ),
        (
            (('  requires_compatibilities = ["FARGATE"]\n', ""), ('logDriver = "awslogs"', 'logDriver = "json-file"')),
            (('  requires_compatibilities = ["FARGATE"]\n', ""),),
        ),
    ),
    (
        "ECS670",
        (
            (("          SecurityGroups: [!Ref ServiceGroup]\n", "          SecurityGroups: [!Ref ServiceGroup]\n          AssignPublicIp: ENABLED\n"),),
            (("          SecurityGroups: [!Ref ServiceGroup]\n", "          SecurityGroups: [!Ref ServiceGroup]\n          AssignPublicIp: DISABLED\n"),),
        ),
        (
            (("    security_groups = [aws_security_group.service.id]\n", "    security_groups = [aws_security_group.service.id]\n    assign_public_ip = true\n"),),
            (("    security_groups = [aws_security_group.service.id]\n", "    security_groups = [aws_security_group.service.id]\n    assign_public_ip = false\n"),),
        ),
    ),
    (
        "ECS672",
        ((CFN_SLOW,), (CFN_SLOW, ("      DesiredCount: 2\n", "      DesiredCount: 2\n      HealthCheckGracePeriodSeconds: 120\n"))),
        ((TF_SLOW,), (TF_SLOW, ("  desired_count   = 2\n", "  desired_count   = 2\n  health_check_grace_period_seconds = 120\n"))),
    ),
    (
        "ECS673",
        ((("      DesiredCount: 2\n", "      DesiredCount: 0\n"),), ()),
        ((("  desired_count   = 2\n", "  desired_count   = 0\n"),), ()),
    ),
    (
        "ECS674",
        (
            ((CFN_CLUSTER, CFN_CLUSTER + "    Properties:\n      ClusterSettings: [{Name: containerInsights, Value: disabled}]\n"),),
            ((CFN_CLUSTER, CFN_CLUSTER + "    Properties:\n      ClusterSettings: [{Name: containerInsights, Value: enhanced}]\n"),),
        ),
        (
            ((TF_CLUSTER, TF_CLUSTER + '  setting {\n    name  = "containerInsights"\n    value = "disabled"\n  }\n'),),
            ((TF_CLUSTER, TF_CLUSTER + '  setting {\n    name  = "containerInsights"\n    value = "enabled"\n  }\n'),),
        ),
    ),
    (
        "ECS675",
        (
            (CFN_EXEC, (CFN_CLUSTER, CFN_CLUSTER + "    Properties:\n      Configuration:\n        ExecuteCommandConfiguration: {Logging: NONE}\n")),
            (CFN_EXEC,),
        ),
        (
            (TF_EXEC, (TF_CLUSTER, TF_CLUSTER + '  configuration {\n    execute_command_configuration {\n      logging = "NONE"\n    }\n  }\n')),
            (TF_EXEC,),
        ),
    ),
]  # fmt: skip


def _params() -> list[Any]:
    out = []
    for rule, cfn, tf in CASES:
        for source, (fail, passing), base, suffix in (
            ("cfn", cfn, CFN, ".yaml"),
            ("tf", tf, TF, ".tf"),
        ):
            out.append(pytest.param(rule, base, fail, suffix, True, id=f"{rule}-{source}-fail"))
            out.append(pytest.param(rule, base, passing, suffix, False, id=f"{rule}-{source}-pass"))
    return out


@pytest.mark.parametrize(("rule", "base", "pairs", "suffix", "fires"), _params())
def test_rule(
    rule: str,
    base: str,
    pairs: tuple[tuple[str, str], ...],
    suffix: str,
    fires: bool,
    tmp_path: Path,
) -> None:
    findings = run(tmp_path, edit(base, *pairs), suffix)
    own = [f for f in findings if f["rule"] == rule]
    if fires:
        assert own, f"{rule} does not fire: {ids(findings)}"
        assert all(isinstance(f["line"], int) and f["line"] > 1 for f in own)
    else:
        assert not own, own


@pytest.mark.parametrize(("base", "suffix"), [(CFN, ".yaml"), (TF, ".tf")], ids=["cfn", "tf"])
def test_clean_service_reports_nothing_at_warning_or_above(
    base: str, suffix: str, tmp_path: Path
) -> None:
    findings = run(tmp_path, base, suffix)
    assert [f for f in findings if f["severity"] != "info"] == []
    assert not [f for f in findings if str(f["rule"]).startswith("ECS6")]


def test_circuit_breaker_is_opt_in(tmp_path: Path) -> None:
    text = edit(
        CFN,
        (
            "      DeploymentConfiguration:\n"
            "        DeploymentCircuitBreaker: {Enable: true, Rollback: true}\n",
            "",
        ),
    )
    assert "ECS671" not in ids(run(tmp_path, text, ".yaml"))
    assert "ECS671" not in ids(run(tmp_path, text, ".yaml", "--select", "ECS6"))
    assert "ECS671" in ids(run(tmp_path, text, ".yaml", "--select", "resilience"))
    assert "ECS671" not in ids(run(tmp_path, CFN, ".yaml", "--select", "resilience"))


def test_security_group_finding_points_at_the_ingress_rules(tmp_path: Path) -> None:
    text = edit(CFN, CFN_SG_80)
    (finding,) = [f for f in run(tmp_path, text, ".yaml") if f["rule"] == "ECS650"]
    line = text.splitlines()[int(str(finding["line"])) - 1]
    assert line.strip().startswith("- {IpProtocol: tcp, FromPort: 80"), line
    assert finding["path"] == "/Resources/ServiceGroup/Properties/SecurityGroupIngress"
    assert "TCP on port 8080" in str(finding["message"])
    assert "LbGroup" in str(finding["message"])


def test_health_check_port_is_checked_when_it_differs(tmp_path: Path) -> None:
    text = edit(
        CFN, ("      TargetType: ip\n", '      TargetType: ip\n      HealthCheckPort: "8081"\n')
    )
    findings = [f for f in run(tmp_path, text, ".yaml") if f["rule"] == "ECS650"]
    assert len(findings) == 1 and "health-check port 8081" in str(findings[0]["message"])
    text = edit(
        text,
        (
            "SourceSecurityGroupId: !Ref LbGroup}",
            "SourceSecurityGroupId: !Ref LbGroup}\n"
            "        - {IpProtocol: tcp, FromPort: 8081, ToPort: 8081, SourceSecurityGroupId: !Ref LbGroup}",
        ),
    )
    assert "ECS650" not in ids(run(tmp_path, text, ".yaml"))


SUBNETS = (
    "Resources:\n",
    "Resources:\n"
    "  PublicA:\n    Type: AWS::EC2::Subnet\n"
    "    Properties: {VpcId: vpc-0abc, CidrBlock: 10.0.1.0/24}\n"
    "  PublicB:\n    Type: AWS::EC2::Subnet\n"
    "    Properties: {VpcId: vpc-0abc, CidrBlock: 10.0.2.0/24}\n",
)


@pytest.mark.parametrize(
    ("cidr", "subnets", "expected"),
    [
        ("0.0.0.0/0", False, "pass"),
        ("10.0.0.0/16", True, "pass"),  # contains both load balancer subnets
        ("10.0.1.0/24", True, "fail"),  # holds one of them only
        ("192.168.0.0/16", True, "fail"),
        ("10.0.0.0/16", False, "not evaluated"),  # the subnets are not in the file
    ],
)
def test_cidr_sources(cidr: str, subnets: bool, expected: str, tmp_path: Path) -> None:
    text = edit(CFN, ("SourceSecurityGroupId: !Ref LbGroup}", f"CidrIp: {cidr}}}"))
    if subnets:
        text = edit(
            text,
            SUBNETS,
            ("Subnets: [subnet-0abc, subnet-0def]", "Subnets: [!Ref PublicA, !Ref PublicB]"),
        )
    findings = run(tmp_path, text, ".yaml")
    blocked = [f for f in findings if f["rule"] == "ECS650"]
    skipped = [
        f
        for f in findings
        if f["rule"] == "ECS001" and "security-group-blocks" in str(f["message"])
    ]
    assert (expected == "fail") == bool(blocked), blocked
    assert (expected == "not evaluated") == bool(skipped), findings


def test_separate_ingress_resource_is_read(tmp_path: Path) -> None:
    text = edit(
        CFN,
        ("      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !Ref LbGroup}\n", ""),
        (
            "  LoadBalancer:\n",
            "  FromLb:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n"
            "      GroupId: !GetAtt ServiceGroup.GroupId\n      IpProtocol: tcp\n"
            "      FromPort: 8000\n      ToPort: 9000\n"
            "      SourceSecurityGroupId: !GetAtt LbGroup.GroupId\n  LoadBalancer:\n",
        ),
    )  # fmt: skip
    assert "ECS650" not in ids(run(tmp_path, text, ".yaml"))
    text = edit(
        text,
        (
            "      FromPort: 8000\n      ToPort: 9000\n",
            "      FromPort: 9000\n      ToPort: 9100\n",
        ),
    )
    assert "ECS650" in ids(run(tmp_path, text, ".yaml"))


def test_all_traffic_rule_and_self_reference_in_terraform(tmp_path: Path) -> None:
    blocked = edit(TF, ("from_port                    = 8080", "from_port                    = 80"), ("to_port                      = 8080", "to_port                      = 80"))  # fmt: skip
    assert "ECS650" in ids(run(tmp_path, blocked, ".tf"))
    everything = edit(
        blocked, ('  ip_protocol                  = "tcp"', '  ip_protocol                  = "-1"')
    )
    assert "ECS650" not in ids(run(tmp_path, everything, ".tf"))
    # One group for both: a self rule lets the load balancer in.
    same = edit(
        blocked,
        (
            "  security_groups = [aws_security_group.lb.id]\n}",
            "  security_groups = [aws_security_group.service.id]\n}",
        ),
    )
    assert "ECS650" in ids(run(tmp_path, same, ".tf"))
    with_self = edit(
        same,
        (
            '  name   = "service"\n  vpc_id = "vpc-0abc"\n',
            '  name   = "service"\n  vpc_id = "vpc-0abc"\n  ingress {\n    from_port = 8080\n'
            '    to_port   = 8080\n    protocol  = "tcp"\n    self      = true\n  }\n',
        ),
    )
    assert "ECS650" not in ids(run(tmp_path, with_self, ".tf"))


def test_unknown_links_are_not_evaluated(tmp_path: Path) -> None:
    """A target group ARN or a security group passed in as a parameter is never guessed."""
    text = edit(
        CFN,
        ("Resources:\n", "Parameters:\n  TargetGroupArn: {Type: String}\n  ServiceSg: {Type: AWS::EC2::SecurityGroup::Id}\nResources:\n"),
        ("ContainerPort: 8080, TargetGroupArn: !Ref TargetGroup}", "ContainerPort: 8080, TargetGroupArn: !Ref TargetGroupArn}"),
        CFN_SG_80,
    )  # fmt: skip
    findings = run(tmp_path, text, ".yaml")
    assert not [f for f in findings if str(f["rule"]).startswith("ECS65")]
    notes = [f for f in findings if f["rule"] == "ECS001" and "TargetGroupArn" in str(f["message"])]
    assert (
        notes and notes[0]["path"] == "/Resources/Service/Properties/LoadBalancers/0/TargetGroupArn"
    )
    text = edit(
        CFN,
        CFN_SG_80,
        ("SecurityGroups: [!Ref ServiceGroup]", "SecurityGroups: [!ImportValue shared-sg]"),
    )
    findings = run(tmp_path, text, ".yaml")
    assert "ECS650" not in ids(findings)
    assert any(f["rule"] == "ECS001" and "security group" in str(f["message"]) for f in findings)


def test_terraform_variables_are_not_evaluated(tmp_path: Path) -> None:
    text = edit(
        TF,
        ("from_port                    = 8080", "from_port                    = 80"),
        ("to_port                      = 8080", "to_port                      = 80"),
        (
            "    security_groups = [aws_security_group.service.id]",
            "    security_groups = [var.service_sg]",
        ),
    )
    assert "ECS650" not in ids(run(tmp_path, text, ".tf"))


def test_fargate_capacity_provider_from_the_cluster_default(tmp_path: Path) -> None:
    text = edit(
        CFN,
        ("      RequiresCompatibilities: [FARGATE]\n", ""),
        ("      LaunchType: FARGATE\n", ""),
        (CFN_CLUSTER, CFN_CLUSTER + "    Properties:\n      CapacityProviders: [FARGATE]\n"
         "      DefaultCapacityProviderStrategy: [{CapacityProvider: FARGATE}]\n"),
    )  # fmt: skip
    assert "ECS657" in ids(run(tmp_path, text, ".yaml"))
    outside = edit(text, ("      Cluster: !Ref Cluster\n", "      Cluster: shared\n"))
    assert "ECS657" not in ids(run(tmp_path, outside, ".yaml"))


def test_parameter_default_is_named(tmp_path: Path) -> None:
    text = edit(
        CFN,
        ("Resources:\n", "Parameters:\n  Count: {Type: Number, Default: 0}\nResources:\n"),
        ("      DesiredCount: 2\n", "      DesiredCount: !Ref Count\n"),
    )
    (finding,) = [f for f in run(tmp_path, text, ".yaml") if f["rule"] == "ECS673"]
    assert "parameter Count's default" in str(finding["message"])


def _plan(blocked: bool) -> dict[str, object]:
    """A ``terraform show -json`` plan of the service, its groups and its load balancer."""
    port = 80 if blocked else 8080
    containers = json.dumps(
        [
            {
                "name": "web",
                "image": "public.ecr.aws/nginx/nginx:1.27",
                "portMappings": [{"containerPort": 8080}],
            }
        ]
    )

    def resource(kind: str, name: str, values: dict[str, object]) -> dict[str, object]:
        return {
            "address": f"{kind}.{name}",
            "mode": "managed",
            "type": kind,
            "name": name,
            "values": values,
        }

    resources = [
        resource(
            "aws_security_group",
            "lb",
            {
                "ingress": [
                    {
                        "from_port": 443,
                        "to_port": 443,
                        "protocol": "tcp",
                        "cidr_blocks": ["0.0.0.0/0"],
                    }
                ]
            },
        ),
        resource("aws_security_group", "service", {"ingress": []}),
        resource(
            "aws_vpc_security_group_ingress_rule",
            "from_lb",
            {"ip_protocol": "tcp", "from_port": port, "to_port": port},
        ),
        resource("aws_lb", "web", {"subnets": ["subnet-0abc"]}),
        resource(
            "aws_lb_target_group", "web", {"port": 8080, "protocol": "HTTP", "target_type": "ip"}
        ),
        resource("aws_lb_listener", "https", {"default_action": [{"type": "forward"}]}),
        resource(
            "aws_ecs_task_definition",
            "web",
            {
                "family": "web",
                "requires_compatibilities": ["FARGATE"],
                "network_mode": "awsvpc",
                "cpu": "256",
                "memory": "512",
                "container_definitions": containers,
                "execution_role_arn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            },
        ),
        resource(
            "aws_ecs_service",
            "web",
            {
                "launch_type": "FARGATE",
                "desired_count": 2,
                "network_configuration": [{"subnets": ["subnet-0123"], "assign_public_ip": False}],
                "load_balancer": [{"container_name": "web", "container_port": 8080}],
            },
        ),
    ]

    def after_unknown(address: str) -> dict[str, object]:
        unknown: dict[str, dict[str, object]] = {
            "aws_vpc_security_group_ingress_rule.from_lb": {
                "security_group_id": True,
                "referenced_security_group_id": True,
            },
            "aws_lb.web": {"security_groups": [True]},
            "aws_lb_listener.https": {
                "load_balancer_arn": True,
                "default_action": [{"target_group_arn": True}],
            },
            "aws_ecs_service.web": {
                "task_definition": True,
                "cluster": True,
                "network_configuration": [{"security_groups": [True]}],
                "load_balancer": [{"target_group_arn": True}],
            },
        }
        return unknown.get(address, {})

    def refs(*names: str) -> dict[str, object]:
        return {"references": [part for name in names for part in (f"{name}.id", name)]}

    expressions = {
        "aws_vpc_security_group_ingress_rule.from_lb": {
            "security_group_id": refs("aws_security_group.service"),
            "referenced_security_group_id": refs("aws_security_group.lb"),
        },
        "aws_lb.web": {"security_groups": refs("aws_security_group.lb")},
        "aws_lb_listener.https": {
            "load_balancer_arn": refs("aws_lb.web"),
            "default_action": [{"target_group_arn": refs("aws_lb_target_group.web")}],
        },
        "aws_ecs_service.web": {
            "task_definition": refs("aws_ecs_task_definition.web"),
            "network_configuration": [{"security_groups": refs("aws_security_group.service")}],
            "load_balancer": [{"target_group_arn": refs("aws_lb_target_group.web")}],
        },
    }
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [
            {"address": r["address"], "type": r["type"], "change": {"after_unknown": after_unknown(str(r["address"]))}}
            for r in resources
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {"address": address, "expressions": value} for address, value in expressions.items()
                ]
            }
        },
    }  # fmt: skip


@pytest.mark.parametrize("blocked", [True, False])
def test_terraform_plan(blocked: bool, tmp_path: Path) -> None:
    findings = run(tmp_path, json.dumps(_plan(blocked), indent=2), ".json")
    assert ("ECS650" in ids(findings)) is blocked, findings


def test_deployment_rules_do_not_run_on_a_bare_task_definition() -> None:
    result = run_cli(
        ["check", "--format", "json", "--isolated", str(ROOT / "examples" / "fargate-clean.json")]
    )
    assert not [f for f in result.findings if str(f["rule"]).startswith("ECS6")]


SERVICE_TEMPLATES = [
    path
    for folder in (CORPUS / "cfn", CORPUS / "external" / "realworld" / "cfn")
    if folder.is_dir()
    for path in sorted(folder.iterdir())
    if path.is_file() and b"AWS::ECS::Service" in path.read_bytes()
]


@pytest.mark.skipif(not SERVICE_TEMPLATES, reason="the corpus is not beside the checkout")
def test_corpus_services_have_no_deployment_errors() -> None:
    """Every service template of the corpus is linted without an internal error, and the
    deployment findings are the ones judged in the closing note of issue 14 (no error:
    none of these services is rejected by AWS for a reason these rules check)."""
    result = run_cli(
        [
            "check",
            "--format",
            "json",
            "--isolated",
            "--select",
            DEPLOYMENT_RULES,
            *map(str, SERVICE_TEMPLATES),
        ]
    )
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr.lower()
    deployment = [f for f in result.findings if str(f["rule"]).startswith("ECS6")]
    assert deployment, "no deployment finding at all: the model read nothing"
    assert not [f for f in deployment if f["severity"] == "error"]


SG_RULE = (
    'resource "aws_vpc_security_group_ingress_rule" "from_lb" {\n'
    "  security_group_id            = aws_security_group.service.id\n"
    "  referenced_security_group_id = aws_security_group.lb.id\n"
    '  ip_protocol                  = "tcp"\n'
    "  from_port                    = 8080\n"
    "  to_port                      = 8080\n"
    "}\n"
)


@pytest.mark.parametrize(
    ("rule", "fires"),
    [
        (
            '  type = "ingress"\n  source_security_group_id = aws_security_group.lb.id\n  from_port = 8080\n  to_port = 8080\n',
            False,
        ),
        (
            '  type = "ingress"\n  source_security_group_id = aws_security_group.lb.id\n  from_port = 80\n  to_port = 80\n',
            True,
        ),
        (
            '  type = "egress"\n  source_security_group_id = aws_security_group.lb.id\n  from_port = 8080\n  to_port = 8080\n',
            True,
        ),
        (
            '  type = "ingress"\n  cidr_blocks = ["0.0.0.0/0"]\n  from_port = 0\n  to_port = 65535\n',
            False,
        ),
        (
            '  type = "ingress"\n  prefix_list_ids = [var.prefix_list]\n  from_port = 8080\n  to_port = 8080\n',
            None,
        ),
    ],
)
def test_terraform_security_group_rule(rule: str, fires: bool | None, tmp_path: Path) -> None:
    block = (
        'resource "aws_security_group_rule" "from_lb" {\n'
        "  security_group_id = aws_security_group.service.id\n"
        f'  protocol = "tcp"\n{rule}}}\n'
    )
    findings = run(tmp_path, edit(TF, (SG_RULE, block)), ".tf")
    assert ("ECS650" in ids(findings)) is bool(fires), findings
    if fires is None:  # a prefix list is not known: not evaluated, never a pass or a failure
        assert any(
            f["rule"] == "ECS001" and "aws_security_group.service" in str(f["message"])
            for f in findings
        )


def test_network_load_balancer_without_groups_is_not_judged(tmp_path: Path) -> None:
    text = edit(
        TF,
        ("from_port                    = 8080", "from_port                    = 80"),
        ("to_port                      = 8080", "to_port                      = 80"),
        (
            "  security_groups = [aws_security_group.lb.id]\n}",
            '  load_balancer_type = "network"\n}',
        ),
    )
    assert "ECS650" not in ids(run(tmp_path, text, ".tf"))


def test_terraform_module_spread_over_files(tmp_path: Path) -> None:
    """A module is its directory: the groups and load balancer of ecs.tf's service are in
    network.tf. The finding stays in the linted file, at the service's security groups,
    and says where the group is."""
    blocked = edit(
        TF,
        ("from_port                    = 8080", "from_port                    = 80"),
        ("to_port                      = 8080", "to_port                      = 80"),
    )
    split = blocked.index('resource "aws_ecs_cluster" "main"')
    (tmp_path / "network.tf").write_text(blocked[:split], encoding="utf-8")
    ecs = tmp_path / "ecs.tf"
    ecs.write_text(blocked[split:], encoding="utf-8")
    result = lint_file(ecs, "--isolated")
    (finding,) = [f for f in result.findings if f["rule"] == "ECS650"]
    assert finding["file"].endswith("ecs.tf")
    assert finding["path"] == "/aws_ecs_service.web/network_configuration/0/security_groups"
    assert "aws_security_group.service is in network.tf:12" in str(finding["message"])
    network = lint_file(tmp_path / "network.tf", "--isolated")
    assert "ECS650" not in network.rules()  # no service there: said once, by ecs.tf
    (tmp_path / "network.tf").write_text(
        TF[: TF.index('resource "aws_ecs_cluster" "main"')], encoding="utf-8"
    )
    assert "ECS650" not in lint_file(ecs, "--isolated").rules()


@pytest.mark.parametrize(
    "damage",
    [
        {"resource_changes": [{"address": "aws_ecs_service.web", "change": []}]},
        {"resource_changes": "x", "configuration": {"root_module": {"resources": "x"}}},
        {
            "configuration": {
                "root_module": {
                    "resources": [{"address": "aws_lb.web", "expressions": [[{"references": [1]}]]}]
                }
            }
        },
    ],
)
def test_damaged_plan_is_no_crash(damage: dict[str, object], tmp_path: Path) -> None:
    plan = {**_plan(True), **damage}
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    result = lint_file(tmp_path / "plan.json", "--isolated")
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_that_is_not_one_module_is_not_read(tmp_path: Path) -> None:
    """Two files declaring one resource are not one module (Terraform rejects that):
    nothing of the folder's other files is taken for the service's."""
    blocked = edit(
        TF,
        ("from_port                    = 8080", "from_port                    = 80"),
        ("to_port                      = 8080", "to_port                      = 80"),
    )
    split = blocked.index('resource "aws_ecs_cluster" "main"')
    (tmp_path / "network.tf").write_text(blocked[:split], encoding="utf-8")
    (tmp_path / "other.tf").write_text(blocked[:split], encoding="utf-8")
    ecs = tmp_path / "ecs.tf"
    ecs.write_text(blocked[split:], encoding="utf-8")
    assert "ECS650" not in lint_file(ecs, "--isolated").rules()


# --- edges of the deployment checks (CloudFormation; each row: rule, edits, fires, path end) --

_BRIDGE_IP = tuple(p for p in CFN_BRIDGE if p[0] != "      TargetType: ip\n")
_HOST_IP = tuple(
    (old, "      NetworkMode: host\n") if new == "      NetworkMode: bridge\n" else (old, new)
    for old, new in _BRIDGE_IP
)
_START_60 = (CFN_SLOW[0], CFN_SLOW[1].replace("StartPeriod: 120", "StartPeriod: 60"))
_START_61 = (CFN_SLOW[0], CFN_SLOW[1].replace("StartPeriod: 120", "StartPeriod: 61"))
_SLOW_CHECKS = (
    "      TargetType: ip\n",
    "      TargetType: ip\n      HealthCheckIntervalSeconds: 40\n",
)
EDGES: list[tuple[str, tuple[tuple[str, str], ...], bool, str]] = [
    # ECS653: the target type each mode needs (bridge and host: instance; awsvpc: ip)
    ("ECS653", _BRIDGE_IP, True, "/TargetType"),
    ("ECS653", _HOST_IP, True, "/TargetType"),
    ("ECS653", (*_BRIDGE_IP, ("      TargetType: ip\n", "      TargetType: lambda\n")), False, ""),
    # ECS650: a rule for another protocol does not let TCP in
    ("ECS650", (("{IpProtocol: tcp, FromPort: 8080", "{IpProtocol: udp, FromPort: 8080"),), True, ""),
    ("ECS650", (("{IpProtocol: tcp, FromPort: 8080", "{IpProtocol: '6', FromPort: 8080"),), False, ""),
    ("ECS650", (("{IpProtocol: tcp, FromPort: 8080", "{IpProtocol: '-1', FromPort: 8080"),), False, ""),
    # ECS656: a container port range is not compared with the load balancer's port
    ("ECS656", (("{ContainerName: web, ContainerPort: 8080", "{ContainerName: web, ContainerPort: 80"), ("PortMappings: [{ContainerPort: 8080}]", "PortMappings: [{ContainerPortRange: 8000-8100}]")), False, ""),
    ("ECS656", (("{ContainerName: web, ContainerPort: 8080", "{ContainerName: web, ContainerPort: 80"), ("PortMappings: [{ContainerPort: 8080}]", "PortMappings: [{ContainerPort: !Ref Port}]")), False, ""),
    # ECS654: a container whose port mappings are a placeholder is not judged (nor a crash)
    ("ECS654", (*CFN_BRIDGE, ("      TargetType: instance\n", '      TargetType: instance\n      HealthCheckPort: "8080"\n'), ("PortMappings: [{ContainerPort: 8080, HostPort: 0}]", "PortMappings: !Ref Mappings")), False, ""),
    # ECS672: the default budget is 2 failed checks 30 s apart: 60 s is enough, 61 s is not
    ("ECS672", (_START_60,), False, ""),
    ("ECS672", (_START_61,), True, "/HealthCheckGracePeriodSeconds"),
    ("ECS672", (_START_61, _SLOW_CHECKS), False, ""),
    # ECS657: pointed at the task definition under awsvpc, at the service's launch type else
    ("ECS657", (("      RequiresCompatibilities: [FARGATE]\n", ""),), True, "/RequiresCompatibilities"),
    ("ECS657", (("      RequiresCompatibilities: [FARGATE]\n", ""), ("      NetworkMode: awsvpc\n", "      NetworkMode: bridge\n")), True, "/LaunchType"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "pairs", "fires", "where"), EDGES)
def test_rule_edges(
    rule: str, pairs: tuple[tuple[str, str], ...], fires: bool, where: str, tmp_path: Path
) -> None:
    own = [f for f in run(tmp_path, edit(CFN, *pairs), ".yaml") if f["rule"] == rule]
    assert bool(own) is fires, own
    if fires:
        assert all(str(f["path"]).endswith(where) for f in own), own


def test_ecs657_names_what_the_task_definition_requires(tmp_path: Path) -> None:
    text = edit(CFN, ("      RequiresCompatibilities: [FARGATE]\n", ""))
    [finding] = [f for f in run(tmp_path, text, ".yaml") if f["rule"] == "ECS657"]
    assert "(requiresCompatibilities: none: EC2 only)" in str(finding["message"])
    ec2 = edit(CFN, ("RequiresCompatibilities: [FARGATE]", "RequiresCompatibilities: [EC2]"))
    [finding] = [f for f in run(tmp_path, ec2, ".yaml") if f["rule"] == "ECS657"]
    assert "(requiresCompatibilities: EC2)" in str(finding["message"])


@pytest.mark.parametrize(
    ("enable", "fires"), [("false", True), ("'false'", True), ("'true'", False), ("'True'", False)]
)
def test_circuit_breaker_written_as_a_string_or_false(
    enable: str, fires: bool, tmp_path: Path
) -> None:
    text = edit(
        CFN,
        (
            "DeploymentCircuitBreaker: {Enable: true",
            f"DeploymentCircuitBreaker: {{Enable: {enable}",
        ),
    )
    assert ("ECS671" in ids(run(tmp_path, text, ".yaml", "--select", "resilience"))) is fires


def test_an_ingress_rule_of_unknown_protocol_is_not_judged(tmp_path: Path) -> None:
    text = edit(
        CFN, ("{IpProtocol: tcp, FromPort: 8080", "{IpProtocol: !Ref Proto, FromPort: 8080")
    )
    assert "ECS650" not in ids(run(tmp_path, text, ".yaml"))


def test_the_message_names_every_service_group(tmp_path: Path) -> None:
    text = edit(
        CFN,
        CFN_SG_80,
        (
            "          SecurityGroups: [!Ref ServiceGroup]",
            "          SecurityGroups: [!Ref ServiceGroup, !Ref LbGroup]",
        ),
    )
    [finding] = [f for f in run(tmp_path, text, ".yaml") if f["rule"] == "ECS650"]
    assert "the service's security groups " in str(finding["message"])
    assert " admit no TCP" in str(finding["message"])
    [single] = [f for f in run(tmp_path, edit(CFN, CFN_SG_80), ".yaml") if f["rule"] == "ECS650"]
    assert "the service's security group ServiceGroup admits no TCP" in str(single["message"])


def test_a_deployment_finding_names_the_task_definition_family(tmp_path: Path) -> None:
    [finding] = [f for f in run(tmp_path, edit(CFN, CFN_SG_80), ".yaml") if f["rule"] == "ECS650"]
    assert finding["family"] == "web"
