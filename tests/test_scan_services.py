"""``ecslint scan --aws`` reads each service of a moto account (server mode on 127.0.0.1)
with its target groups, load balancers, listeners, security groups and subnets, and runs
the deployment checks (ECS650-676) on it, through the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests import test_iam_aws
from tests.conftest import CliResult, run_cli
from tests.test_iam_aws import PULL_AND_LOG, REGION, TRUST_ECS, _role, _task

pytest.importorskip("boto3")
moto_endpoint = test_iam_aws.moto_endpoint
aws = test_iam_aws.aws
SEVERE = ("warning", "error")


def scan(*args: str) -> CliResult:
    return run_cli(["scan", "--aws", "--format", "json", "--region", REGION, *args])


def service_file(service: str, cluster: str = "prod") -> str:
    return f"aws://ecs/{REGION}/service/{cluster}/{service}"


@dataclass
class Network:
    vpc: str
    subnets: list[str]
    lb_group: str
    listener: str
    balancer: str
    role: str


@pytest.fixture
def network(aws: Any) -> Network:
    """A VPC with two subnets, an ALB (its group open on 80) with an HTTP listener whose
    default action returns 404, a cluster, and an execution role."""
    ec2, elb = aws.client("ec2"), aws.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{z}")[
            "Subnet"
        ]["SubnetId"]
        for n, z in ((1, "a"), (2, "b"))
    ]
    lb_group = ec2.create_security_group(GroupName="lb", Description="lb", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=lb_group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    balancer = elb.create_load_balancer(
        Name="web", Subnets=subnets, SecurityGroups=[lb_group], Type="application"
    )["LoadBalancers"][0]["LoadBalancerArn"]
    listener = elb.create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
    )["Listeners"][0]["ListenerArn"]
    aws.client("ecs").create_cluster(
        clusterName="prod", settings=[{"name": "containerInsights", "value": "enabled"}]
    )
    role = _role(aws, "goodRole", TRUST_ECS, managed_pull=PULL_AND_LOG)
    return Network(vpc, subnets, lb_group, listener, balancer, role)


def behind_alb(
    aws: Any,
    net: Network,
    name: str,
    priority: int,
    admits: int | None = 8080,
    source: str = "group",
    target_type: str = "ip",
    container: str = "api",
    container_port: int = 8080,
    mapped: int = 8080,
) -> dict[str, Any]:
    """A Fargate service behind the ALB (a listener rule for /<name>/*), its group admitting
    TCP ``admits`` from the ALB's group (or from the VPC's CIDR), its target group of
    ``target_type``."""
    ec2, elb, ecs = aws.client("ec2"), aws.client("elbv2"), aws.client("ecs")
    group = ec2.create_security_group(GroupName=name, Description=name, VpcId=net.vpc)["GroupId"]
    if admits is not None:
        peer: dict[str, Any] = (
            {"UserIdGroupPairs": [{"GroupId": net.lb_group}]}
            if source == "group"
            else {"IpRanges": [{"CidrIp": source}]}
        )
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": admits, "ToPort": admits, **peer}],
        )
    target_group = elb.create_target_group(
        Name=name, Protocol="HTTP", Port=8080, VpcId=net.vpc, TargetType=target_type
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.create_rule(
        ListenerArn=net.listener,
        Priority=priority,
        Conditions=[{"Field": "path-pattern", "Values": [f"/{name}/*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": target_group}],
    )
    task = _task(
        net.role,
        family=name,
        image="public.ecr.aws/nginx/nginx:1.27",
        portMappings=[{"containerPort": mapped}],
    )
    arn = ecs.register_task_definition(**task)["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(
        cluster="prod",
        serviceName=name,
        taskDefinition=arn,
        desiredCount=2,
        launchType="FARGATE",
        loadBalancers=[
            {
                "targetGroupArn": target_group,
                "containerName": container,
                "containerPort": container_port,
            }
        ],
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": net.subnets,
                "securityGroups": [group],
                "assignPublicIp": "DISABLED",
            }
        },
    )
    return {"group": group, "target_group": target_group, "task": arn}


def of(result: CliResult, file: str) -> list[dict[str, Any]]:
    return [f for f in result.findings if f["file"] == file]


def test_a_clean_service_behind_an_alb_has_no_finding_at_warning_or_above(
    aws: Any, network: Network
) -> None:
    behind_alb(aws, network, "web", 10)
    result = scan()
    assert result.exit_code in (0, 1), result.stderr
    findings = of(result, service_file("web"))
    assert [f for f in findings if f["severity"] in SEVERE] == []
    # every deployment check was evaluated: nothing "not evaluated" about the service
    assert [f for f in findings if f["rule"] == "ECS001"] == []
    # its task definition is linted once, as a task definition of its own
    task_files = {f["file"] for f in result.findings if not f["file"].startswith(service_file(""))}
    assert task_files <= {f"aws://ecs/{REGION}/web:1"}
    assert result.json["summary"]["task_definitions"] == 1


def test_a_cidr_source_is_admitted_when_it_holds_the_load_balancer_subnets(
    aws: Any, network: Network
) -> None:
    behind_alb(aws, network, "vpc", 10, source="10.0.0.0/16")
    behind_alb(aws, network, "narrow", 11, source="10.0.1.0/24")  # only one of the LB's subnets
    result = scan("--select", "ECS650,ECS001")
    assert of(result, service_file("vpc")) == []
    [blocked] = of(result, service_file("narrow"))
    assert blocked["rule"] == "ECS650"


def test_broken_services_are_reported_at_the_property_to_change(aws: Any, network: Network) -> None:
    blocked = behind_alb(aws, network, "blocked", 10, admits=9090)
    behind_alb(aws, network, "instance", 11, target_type="instance")
    behind_alb(aws, network, "noport", 12, container_port=9000)
    behind_alb(aws, network, "noname", 13, container="worker")
    result = scan()
    assert result.exit_code == 1, result.stderr
    found = {(f["file"], f["rule"]) for f in result.findings}

    [sg] = [f for f in of(result, service_file("blocked")) if f["rule"] == "ECS650"]
    assert sg["path"].startswith("/securityGroups/") and sg["path"].endswith("/IpPermissions")
    assert blocked["group"] in sg["message"] and "8080" in sg["message"]
    assert (
        f"add an ingress rule to {blocked['group']} for TCP 8080 from {network.lb_group}"
        in (sg["message"])
    )
    assert sg["severity"] == "error"

    [kind] = [f for f in of(result, service_file("instance")) if f["rule"] == "ECS653"]
    assert kind["path"].startswith("/targetGroups/") and kind["path"].endswith("/TargetType")
    assert (service_file("instance"), "ECS650") not in found

    [port] = [f for f in of(result, service_file("noport")) if f["rule"] == "ECS656"]
    assert port["path"] == "/service/loadBalancers/0/containerPort"
    [name] = [f for f in of(result, service_file("noname")) if f["rule"] == "ECS655"]
    assert name["path"] == "/service/loadBalancers/0/containerName"
    for service in ("instance", "noport", "noname"):
        assert not [f for f in of(result, service_file(service)) if f["rule"] == "ECS676"]

    text = run_cli(["scan", "--aws", "--region", REGION, "--format", "concise"])
    assert f"{service_file('blocked')}:" in text.stdout and "ECS650" in text.stdout


def test_what_the_scan_cannot_read_is_not_evaluated_and_a_finding(
    aws: Any, network: Network
) -> None:
    gone = behind_alb(aws, network, "gone", 10, admits=9090)
    elb = aws.client("elbv2")
    for rule in elb.describe_rules(ListenerArn=network.listener)["Rules"]:
        if not rule["IsDefault"]:
            elb.delete_rule(RuleArn=rule["RuleArn"])
    elb.delete_target_group(TargetGroupArn=gone["target_group"])
    result = scan()
    findings = of(result, service_file("gone"))
    rules = {f["rule"] for f in findings}
    assert "ECS676" in rules and "ECS650" not in rules  # never a pass, never a guess
    [failed] = [f for f in findings if f["rule"] == "ECS676"]
    assert failed["path"] == "/notRead/0" and "DescribeTargetGroups" in failed["message"]
    assert failed["severity"] == "error"
    [skipped] = [f for f in findings if f["rule"] == "ECS001"]
    assert skipped["path"] == "/service/loadBalancers/0/targetGroupArn"
    assert "security-group-blocks-load-balancer" in skipped["message"]


def test_a_security_group_that_cannot_be_read_is_not_evaluated(
    aws: Any, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    behind_alb(aws, network, "web", 10, admits=9090)
    from botocore.exceptions import ClientError

    from ecslint.sources import aws_services

    batched = aws_services.Document._batched

    def denied(self: Any, name: str, key: str, ids: list[str], call: Any) -> list[Any]:
        if name == "ec2:DescribeSecurityGroups":
            error = {"Error": {"Code": "UnauthorizedOperation", "Message": "no"}}
            return batched(
                self, name, key, ids, lambda _: (_ for _ in ()).throw(ClientError(error, name))
            )
        return batched(self, name, key, ids, call)

    monkeypatch.setattr(aws_services.Document, "_batched", denied)
    result = scan()
    findings = of(result, service_file("web"))
    rules = [f["rule"] for f in findings]
    assert "ECS650" not in rules
    assert rules.count("ECS676") == 2  # each group alone, after the batch failed
    assert all(
        "UnauthorizedOperation: no" in f["message"] for f in findings if f["rule"] == "ECS676"
    )
    assert any(f["rule"] == "ECS001" and "could not read" in f["message"] for f in findings)


def test_no_services_scans_task_definitions_only(aws: Any, network: Network) -> None:
    behind_alb(aws, network, "blocked", 10, admits=9090)
    result = scan("--no-services")
    assert {f["file"] for f in result.findings} <= {f"aws://ecs/{REGION}/blocked:1"}
    assert not any(f["rule"] == "ECS650" for f in result.findings)


def test_a_service_running_an_older_revision_has_it_linted(aws: Any, network: Network) -> None:
    behind_alb(aws, network, "web", 10)
    newer = _task(network.role, family="web", image="public.ecr.aws/nginx/nginx:latest")
    aws.client("ecs").register_task_definition(**newer)
    result = scan("--select", "ECS401")
    # the latest revision (web:2) and the revision the service runs (web:1), once each
    assert {f["file"] for f in result.findings} == {f"aws://ecs/{REGION}/web:2"}
    linted = scan("--select", "ECS0,ECS401", "--fail-on", "never")
    assert linted.json["summary"]["task_definitions"] == 2


def test_the_calls_per_service(
    aws: Any, network: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    """Print what one service costs, and check it stays bounded: the shared load balancer,
    listener and groups are read once for the scan, not once per service."""
    from ecslint.sources.aws import open_account, scan_account

    for index in range(5):
        behind_alb(aws, network, f"svc{index}", 10 + index)
    account = open_account(REGION)
    from ecslint.sources import aws_services

    reader = aws_services.Reader(account)
    tasks = scan_account(account, None, False, 4)
    items = list(aws_services.with_services(account, tasks, None, 4, reader))
    from ecslint.load.source import Source

    documents = [i for i in items if isinstance(i, Source) and i.path.startswith(service_file(""))]
    assert len(documents) == 5
    total = sum(reader.calls.values())
    with capsys.disabled():
        print(f"\nAWS calls for 5 services: {total} ({dict(sorted(reader.calls.items()))})")
    # per service: its target group, security groups, and its share of the listing;
    # the load balancer, its listener and rules once
    assert reader.calls["elasticloadbalancing:DescribeLoadBalancers"] <= 5
    assert reader.calls["elasticloadbalancing:DescribeListeners"] == 1
    assert total <= 5 * 5


def test_task_tags_suppress_in_the_task_definition_and_the_config_in_the_service(
    aws: Any, network: Network, tmp_path: Any
) -> None:
    behind_alb(aws, network, "web", 10, admits=9090)
    ecs = aws.client("ecs")
    [arn] = ecs.list_task_definitions()["taskDefinitionArns"]
    ecs.tag_resource(
        resourceArn=arn, tags=[{"key": "ecslint:ignore:ECS401", "value": "pinned elsewhere"}]
    )
    result = scan("--show-suppressed")
    # the tag belongs to the task definition (aws://ecs/<region>/web:1), where it is
    # reported as unused; the service's document does not read it a second time
    unused = [(f["file"], f["rule"]) for f in result.findings if f["rule"] == "ECS005"]
    assert unused == [(f"aws://ecs/{REGION}/web:1", "ECS005")]
    assert (service_file("web"), "ECS650") in {(f["file"], f["rule"]) for f in result.findings}
    config = tmp_path / "ecslint.yaml"
    config.write_text("per-file-ignores:\n  'aws://ecs/*/service/prod/*': [ECS650]\n")
    ignored = scan("--config", str(config))
    assert not [f for f in ignored.findings if f["rule"] == "ECS650"]


def test_clusters_that_cannot_be_listed_are_a_finding_and_task_definitions_still_linted(
    aws: Any, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from ecslint.sources import aws_services

    behind_alb(aws, network, "web", 10, admits=9090)
    pages = aws_services._pages

    def denied(reader: Any, name: str, method: Any, **arguments: Any) -> list[dict[str, Any]]:
        if name == "ecs:ListClusters":
            error = {"Error": {"Code": "AccessDeniedException", "Message": "no"}}

            def method(**_: Any) -> Any:
                raise ClientError(error, "ListClusters")

        return pages(reader, name, method, **arguments)

    monkeypatch.setattr(aws_services, "_pages", denied)
    result = scan("--fail-on", "never")
    files = {(f["file"], f["rule"]) for f in result.findings}
    assert (f"aws://ecs/{REGION}/service", "ECS676") in files
    [listing] = [f for f in result.findings if f["rule"] == "ECS676"]
    assert "AccessDeniedException: no" in listing["message"]
    assert not any(file.startswith(service_file("")) for file, _ in files)
    assert result.json["summary"]["task_definitions"] == 1


def test_family_prefix_limits_the_services_too(aws: Any, network: Network) -> None:
    behind_alb(aws, network, "web", 10, admits=9090)
    behind_alb(aws, network, "api", 11, admits=9090)
    result = scan("--family-prefix", "we", "--select", "ECS650")
    assert {f["file"] for f in result.findings} == {service_file("web")}


def test_service_settings_moto_can_make_are_judged_as_in_a_template(
    aws: Any, network: Network
) -> None:
    """What moto accepts and returns: a Fargate service whose task definition is EC2 only,
    Fargate DAEMON, awsvpc on EC2 without a
    network configuration, a public IP, desired count 0 behind a load balancer."""
    ecs = aws.client("ecs")
    ec2_only = ecs.register_task_definition(
        family="ec2only",
        networkMode="awsvpc",
        containerDefinitions=[
            {"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "memory": 256}
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    net = {
        "awsvpcConfiguration": {
            "subnets": network.subnets[:1],
            "securityGroups": [network.lb_group],  # moto needs one
            "assignPublicIp": "DISABLED",
        }
    }
    for name, settings in (
        ("bylaunchtype", {"launchType": "FARGATE", "networkConfiguration": net}),
        (
            "daemon",
            {"launchType": "FARGATE", "schedulingStrategy": "DAEMON", "networkConfiguration": net},
        ),
        ("nonet", {"launchType": "EC2"}),
    ):
        ecs.create_service(
            cluster="prod", serviceName=name, taskDefinition=ec2_only, desiredCount=1, **settings
        )
    elb = aws.client("elbv2")
    behind_alb(aws, network, "idle", 10)
    [idle] = ecs.describe_services(cluster="prod", services=["idle"])["services"]
    ecs.delete_service(cluster="prod", service="idle", force=True)
    aws.client("ecs").create_service(
        cluster="prod",
        serviceName="idle2",
        taskDefinition=idle["taskDefinition"],
        desiredCount=0,
        launchType="FARGATE",
        loadBalancers=idle["loadBalancers"],
        networkConfiguration={
            "awsvpcConfiguration": {
                **idle["networkConfiguration"]["awsvpcConfiguration"],
                "assignPublicIp": "ENABLED",
            }
        },
    )
    assert elb  # the target group and rule of "idle" stay
    result = scan("--select", "ECS65,ECS66,ECS67")
    found = {(f["file"], f["rule"], f["path"]) for f in result.findings}
    assert (
        service_file("bylaunchtype"),
        "ECS657",
        "/taskDefinition/requiresCompatibilities",
    ) in found
    assert (service_file("daemon"), "ECS659", "/service/schedulingStrategy") in found
    assert (service_file("nonet"), "ECS652", "/service/networkConfiguration") in found
    assert (
        service_file("idle2"),
        "ECS670",
        "/service/networkConfiguration/awsvpcConfiguration/assignPublicIp",
    ) in found
    assert (service_file("idle2"), "ECS673", "/service/desiredCount") in found
    assert not [f for f in result.findings if f["rule"] == "ECS674"]  # the cluster enables it


def test_exec_without_logging_reads_the_cluster_configuration(aws: Any, network: Network) -> None:
    ecs = aws.client("ecs")
    ecs.create_cluster(
        clusterName="ops", configuration={"executeCommandConfiguration": {"logging": "NONE"}}
    )
    task = ecs.register_task_definition(
        **_task(network.role, family="shell", image="public.ecr.aws/nginx/nginx:1.27")
    )["taskDefinition"]["taskDefinitionArn"]
    for name in ("shell", "shell2"):
        ecs.create_service(
            cluster="ops",
            serviceName=name,
            taskDefinition=task,
            desiredCount=1,
            launchType="FARGATE",
            enableExecuteCommand=True,
            networkConfiguration={
                "awsvpcConfiguration": {
                    "subnets": network.subnets[:1],
                    "securityGroups": [network.lb_group],
                }
            },
        )
    result = scan("--select", "ECS674,ECS675")
    # moto reports containerInsights disabled for a cluster created without settings:
    # the advice is said once for the cluster, not once per service
    insights = [f for f in result.findings if f["rule"] == "ECS674"]
    assert [(f["file"], f["path"]) for f in insights] == [
        (service_file("shell", "ops"), "/cluster/settings/0/value")
    ]
    found = {(f["file"], f["rule"]) for f in result.findings if f["rule"] == "ECS675"}
    described = ecs.describe_services(cluster="ops", services=["shell"])["services"][0]
    if "enableExecuteCommand" not in described:
        # moto 5.2 does not return enableExecuteCommand: nothing to judge, nothing reported
        assert found == set()
    else:
        assert found == {(service_file(n, "ops"), "ECS675") for n in ("shell", "shell2")}


def test_a_capacity_provider_strategy_as_describe_services_returns_it(tmp_path: Any) -> None:
    """moto 5.2 answers a service created with a FARGATE capacity provider strategy with
    launchType EC2 and no strategy; AWS returns the strategy (camelCase capacityProvider).
    A service document as the scan writes it, through ``check``."""
    import json

    from tests.conftest import lint_file

    account = "arn:aws:ecs:eu-west-1:123456789012"
    document = {
        "service": {
            "serviceArn": f"{account}:service/prod/web",
            "serviceName": "web",
            "clusterArn": f"{account}:cluster/prod",
            "taskDefinition": f"{account}:task-definition/web:3",
            "capacityProviderStrategy": [
                {"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}
            ],
            "networkConfiguration": {
                "awsvpcConfiguration": {"subnets": ["subnet-1"], "securityGroups": ["sg-1"]}
            },
            "loadBalancers": [],
        },
        "taskDefinition": {
            "taskDefinitionArn": f"{account}:task-definition/web:3",
            "family": "web",
            "revision": 3,
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 256}],
        },
        "securityGroups": [{"GroupId": "sg-1", "IpPermissions": []}],
        "notRead": [],
    }
    path = tmp_path / "web.json"
    path.write_text(json.dumps(document, indent=2))
    result = lint_file(path)
    assert [(f["rule"], f["path"]) for f in result.findings] == [
        ("ECS657", "/taskDefinition/requiresCompatibilities")
    ]
    assert result.json["summary"]["task_definitions"] == 0  # linted under its own name in a scan
