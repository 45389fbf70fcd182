"""``ecslint scan --aws`` on N services in moto (server mode on 127.0.0.1): wall time and
AWS calls per service.

Each service is a Fargate service behind one of ``--balancers`` ALBs (a listener rule per
service), with its own target group, security group and task definition::

    .venv/bin/python bench/scan_services.py [--services 20] [--balancers 2] [--repeat 3]

It prints the wall time of the CLI (a subprocess, so start-up is included) with and
without ``--no-services``, and the calls the service part makes, by operation (counted by
a botocore hook in ``ecslint.sources.aws_services.Reader``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-west-1"


def build(endpoint: str, services: int, balancers: int) -> None:
    import boto3

    session = boto3.session.Session(
        region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    ec2 = session.client("ec2", endpoint_url=endpoint)
    elb = session.client("elbv2", endpoint_url=endpoint)
    ecs = session.client("ecs", endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{z}")[
            "Subnet"
        ]["SubnetId"]
        for n, z in ((1, "a"), (2, "b"))
    ]
    listeners, lb_groups = [], []
    for index in range(balancers):
        group = ec2.create_security_group(GroupName=f"lb{index}", Description="lb", VpcId=vpc)
        lb_groups.append(group["GroupId"])
        balancer = elb.create_load_balancer(
            Name=f"lb{index}", Subnets=subnets, SecurityGroups=[group["GroupId"]]
        )["LoadBalancers"][0]["LoadBalancerArn"]
        listeners.append(
            elb.create_listener(
                LoadBalancerArn=balancer,
                Protocol="HTTP",
                Port=80,
                DefaultActions=[
                    {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}
                ],
            )["Listeners"][0]["ListenerArn"]
        )
    ecs.create_cluster(clusterName="prod")
    for index in range(services):
        name = f"svc{index}"
        lb = index % balancers
        group = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 8080,
                    "ToPort": 8080,
                    "UserIdGroupPairs": [{"GroupId": lb_groups[lb]}],
                }
            ],
        )
        target_group = elb.create_target_group(
            Name=name, Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip"
        )["TargetGroups"][0]["TargetGroupArn"]
        elb.create_rule(
            ListenerArn=listeners[lb],
            Priority=index + 1,
            Conditions=[{"Field": "path-pattern", "Values": [f"/{name}/*"]}],
            Actions=[{"Type": "forward", "TargetGroupArn": target_group}],
        )
        task = ecs.register_task_definition(
            family=name,
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="256",
            memory="512",
            containerDefinitions=[
                {
                    "name": "api",
                    "image": "public.ecr.aws/nginx/nginx:1.27",
                    "portMappings": [{"containerPort": 8080}],
                }
            ],
        )["taskDefinition"]["taskDefinitionArn"]
        ecs.create_service(
            cluster="prod",
            serviceName=name,
            taskDefinition=task,
            desiredCount=1,
            launchType="FARGATE",
            loadBalancers=[
                {"targetGroupArn": target_group, "containerName": "api", "containerPort": 8080}
            ],
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group]}
            },
        )


def calls(endpoint: str) -> dict[str, int]:
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing"
    )
    from ecslint.sources import aws_services
    from ecslint.sources.aws import open_account, scan_account

    account = open_account(REGION)
    reader = aws_services.Reader(account)
    tasks = scan_account(account, None, False, 8)
    for _ in aws_services.with_services(account, tasks, None, 8, reader):
        pass
    return dict(sorted(reader.calls.items()))


def wall(endpoint: str, *extra: str) -> tuple[float, Any]:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
    }
    command = [str(ROOT / ".venv/bin/ecslint"), "scan", "--aws", "--region", REGION]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--format", "json", "--isolated", *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"scan failed ({done.returncode}): {done.stderr}")
    return seconds, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--balancers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        build(endpoint, args.services, args.balancers)
        made = calls(endpoint)
        total = sum(made.values())
        own = sum(n for op, n in made.items() if op not in TASK_PART)
        print(f"{args.services} services behind {args.balancers} ALBs")
        print(f"AWS calls: {total} in all, {own} for the services ({own / args.services:.2f} each)")
        for operation, count in made.items():
            print(f"  {operation}: {count}")
        for label, extra in (("with services", ()), ("--no-services", ("--no-services",))):
            times = []
            for _ in range(args.repeat):
                seconds, report = wall(endpoint, *extra)
                times.append(seconds)
            files = len({f["file"] for f in report["findings"]})
            print(
                f"scan {label}: median {statistics.median(times):.2f} s of {args.repeat} "
                f"(min {min(times):.2f} s); {len(report['findings'])} findings in {files} "
                f"sources; {report['summary'].get('files', '?')} files"
            )
    finally:
        server.stop()


#: The calls ``scan --no-services`` makes too (the task definitions).
TASK_PART = frozenset({"ecs:ListTaskDefinitionFamilies", "ecs:DescribeTaskDefinition"})

if __name__ == "__main__":
    main()
