"""The deployment of one service read from an AWS account (``ecslint scan --aws``).

The document (written by :mod:`ecslint.sources.aws_services`) holds the service as
describe-services returns it, its cluster, task definition, target groups, load
balancers, listeners and rules, security groups and subnets as the elbv2 and ec2
describe calls return them. Resources are keyed by a readable name (the ARN's resource
part, a group or subnet id) and linked by ARN or id: a string that is the ARN or id of
a resource of the document is a :class:`~ecslint.deploy.model.Link` to it; one the scan
could not read (``notRead``: access denied, not found) is an
:class:`~ecslint.load.unknown.Unknown`, so a check that needs it does not evaluate.
A source group of an ingress rule is linked by its id whether or not it was read: the
checks compare it with the load balancer's groups, which were.
"""

from __future__ import annotations

from typing import Any

from ecslint.deploy.model import ELBV2_FIELDS, Deployment, FieldTable, Link, Resource
from ecslint.load.document import Document
from ecslint.load.target import Target
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

_AWSVPC = ("networkConfiguration", "awsvpcConfiguration")
FIELDS: dict[str, FieldTable] = {
    "service": {
        "cluster": ("clusterArn",),
        "taskDefinition": ("taskDefinition",),
        "launchType": ("launchType",),
        "capacityProviderStrategy": ("capacityProviderStrategy",),
        "schedulingStrategy": ("schedulingStrategy",),
        "desiredCount": ("desiredCount",),
        "networkConfiguration": ("networkConfiguration",),
        "awsvpcConfiguration": _AWSVPC,
        "subnets": (*_AWSVPC, "subnets"),
        "securityGroups": (*_AWSVPC, "securityGroups"),
        "assignPublicIp": (*_AWSVPC, "assignPublicIp"),
        "loadBalancers": ("loadBalancers",),
        "healthCheckGracePeriodSeconds": ("healthCheckGracePeriodSeconds",),
        "deploymentConfiguration": ("deploymentConfiguration",),
        "circuitBreaker": ("deploymentConfiguration", "deploymentCircuitBreaker"),
        "circuitBreakerEnable": ("deploymentConfiguration", "deploymentCircuitBreaker", "enable"),
        "deploymentController": ("deploymentController", "type"),
        "enableExecuteCommand": ("enableExecuteCommand",),
        "platformVersion": ("platformVersion",),
    },
    "service_lb": {
        "containerName": ("containerName",),
        "containerPort": ("containerPort",),
        "targetGroupArn": ("targetGroupArn",),
        "loadBalancerName": ("loadBalancerName",),
    },
    "strategy": {"capacityProvider": ("capacityProvider",)},
    "cluster": {
        "settings": ("settings",),
        "capacityProviders": ("capacityProviders",),
        "defaultCapacityProviderStrategy": ("defaultCapacityProviderStrategy",),
        "execLogging": ("configuration", "executeCommandConfiguration", "logging"),
        "execConfiguration": ("configuration", "executeCommandConfiguration"),
    },
    "setting": {"name": ("name",), "value": ("value",)},
    # the load balancer's "subnets" are not in the answer: those of its AvailabilityZones,
    # collected by the scan
    **ELBV2_FIELDS,
    # IpPermissions, each with its sources collected into flat lists (below)
    "security_group": {"ingress": ("IpPermissions",), "vpc": ("VpcId",)},
    "sg_ingress": {
        "protocol": ("IpProtocol",),
        "fromPort": ("FromPort",),
        "toPort": ("ToPort",),
        "cidrIpv4": ("CidrIps",),
        "cidrIpv6": ("CidrIpv6s",),
        "sourceGroup": ("GroupIds",),
        "prefixList": ("PrefixListIds",),
    },
    "subnet": {"cidr": ("CidrBlock",)},
    "not_read": {"call": ("call",), "ids": ("ids",), "error": ("error",)},
}


def build(document: Document, targets: list[Target]) -> Deployment:
    data = document.data if isinstance(document.data, dict) else {}
    deployment = Deployment(document, "aws", targets, FIELDS)
    unread: dict[str, str] = {}
    for index, entry in enumerate(_list(data.get("notRead"))):
        if isinstance(entry, dict):
            deployment.add(
                Resource(
                    "not_read", f"notRead/{index}", entry, ("notRead", index), FIELDS["not_read"]
                )
            )
            for ident in _list(entry.get("ids")):
                if isinstance(ident, str):
                    unread[ident] = f"{entry.get('call')}: {entry.get('error')}"
    found: list[tuple[str, str, dict[str, Any], PathParts]] = []
    keys: dict[str, str] = {}  # ARN or id -> key

    def add(kind: str, key: str, ident: Any, value: Any, where: PathParts) -> None:
        if isinstance(value, dict) and isinstance(ident, str):
            keys[ident] = key
            found.append((kind, key, value, where))

    service = data.get("service")
    if isinstance(service, dict):
        add(
            "service",
            str(service.get("serviceName")),
            service.get("serviceArn"),
            service,
            ("service",),
        )
    cluster = data.get("cluster")
    if isinstance(cluster, dict):
        add(
            "cluster",
            str(cluster.get("clusterName")),
            cluster.get("clusterArn"),
            cluster,
            ("cluster",),
        )
    for section, kind, field in (
        ("targetGroups", "target_group", "TargetGroupArn"),
        ("loadBalancers", "load_balancer", "LoadBalancerArn"),
        ("listeners", "listener", "ListenerArn"),
    ):
        for index, item in enumerate(_list(data.get(section))):
            if isinstance(item, dict):
                ident = item.get(field)
                add(kind, _resource_part(ident), ident, item, (section, index))
    for index, listed in enumerate(_list(data.get("rules"))):
        if not isinstance(listed, dict):
            continue
        for position, rule in enumerate(_list(listed.get("Rules"))):
            if isinstance(rule, dict):
                ident = rule.get("RuleArn")
                with_listener = {**rule, "ListenerArn": listed.get("ListenerArn")}
                add(
                    "listener_rule",
                    _resource_part(ident),
                    ident,
                    with_listener,
                    ("rules", index, "Rules", position),
                )
    for index, group in enumerate(_list(data.get("securityGroups"))):
        if isinstance(group, dict):
            add(
                "security_group",
                str(group.get("GroupId")),
                group.get("GroupId"),
                _group(group),
                ("securityGroups", index),
            )
    for index, subnet in enumerate(_list(data.get("subnets"))):
        if isinstance(subnet, dict):
            add(
                "subnet",
                str(subnet.get("SubnetId")),
                subnet.get("SubnetId"),
                subnet,
                ("subnets", index),
            )
    for target in targets:
        arn = target.task.get("taskDefinitionArn")
        if isinstance(arn, str) and target.label:
            keys[arn] = target.label
    for kind, key, value, where in found:
        if kind == "load_balancer":
            value = {**value, "Subnets": _zones(value)}
            if not value.get("SecurityGroups"):
                value.pop("SecurityGroups", None)  # none: a network load balancer without groups
        linked = _link_tree(value, keys, unread)
        deployment.add(Resource(kind, key, linked, where, FIELDS[kind], None, "aws"))
    _mark_incomplete(deployment, data, unread, keys)
    return deployment


def _mark_incomplete(
    deployment: Deployment, data: dict[str, Any], unread: dict[str, str], keys: dict[str, str]
) -> None:
    """A target group whose load balancers, or their listeners or rules, were not all read:
    which load balancers forward to it is not known (never taken as "none")."""
    listeners_of: dict[str, list[str]] = {}
    for read in _dicts(data.get("listeners")):
        listeners_of.setdefault(str(read.get("LoadBalancerArn")), []).append(
            str(read.get("ListenerArn"))
        )
    for group in _dicts(data.get("targetGroups")):
        key = keys.get(str(group.get("TargetGroupArn")))
        for balancer in _list(group.get("LoadBalancerArns")):
            reason = unread.get(str(balancer))
            if reason is None and str(balancer) not in keys:
                reason = f"load balancer {balancer} was not read"
            for listener in listeners_of.get(str(balancer), []):
                reason = reason or unread.get(listener)
            if reason is not None and key is not None:
                deployment.incomplete[key] = reason
                break


def _group(group: dict[str, Any]) -> dict[str, Any]:
    """A security group with each ingress permission's sources as flat lists; the
    referenced groups as links by id (read or not: they are compared, not followed)."""
    permissions: list[Any] = []
    for permission in _list(group.get("IpPermissions")):
        if not isinstance(permission, dict):
            permissions.append(Unknown(repr(permission), "ingress permission not understood"))
            continue
        flat: dict[str, Any] = {
            k: v for k, v in permission.items() if k in ("IpProtocol", "FromPort", "ToPort")
        }
        flat["CidrIps"] = [r.get("CidrIp") for r in _dicts(permission.get("IpRanges"))]
        flat["CidrIpv6s"] = [r.get("CidrIpv6") for r in _dicts(permission.get("Ipv6Ranges"))]
        flat["GroupIds"] = [
            Link(str(p.get("GroupId")), None, str(p.get("GroupId")))
            if isinstance(p.get("GroupId"), str)
            else Unknown(repr(p), "source security group named without its id")
            for p in _dicts(permission.get("UserIdGroupPairs"))
        ]
        flat["PrefixListIds"] = [
            p.get("PrefixListId") for p in _dicts(permission.get("PrefixListIds"))
        ]
        permissions.append(flat)
    return {**group, "IpPermissions": permissions}


def _zones(balancer: dict[str, Any]) -> list[Any]:
    return [z.get("SubnetId") for z in _dicts(balancer.get("AvailabilityZones"))]


def _link_tree(value: Any, keys: dict[str, str], unread: dict[str, str]) -> Any:
    if isinstance(value, str):
        if value in keys:
            return Link(keys[value], None, value)
        if value in unread:
            return Unknown(value, f"resource the scan could not read ({unread[value]})")
        return value
    if isinstance(value, dict):
        return {key: _link_tree(item, keys, unread) for key, item in value.items()}
    if isinstance(value, list):
        return [_link_tree(item, keys, unread) for item in value]
    return value


def _resource_part(arn: Any) -> str:
    """``targetgroup/web/0123abcd`` of a target group's ARN: readable, and unique."""
    text = str(arn)
    return text.split(":", 5)[5] if text.startswith("arn:") and text.count(":") >= 5 else text


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in _list(value) if isinstance(item, dict)]
