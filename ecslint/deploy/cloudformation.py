"""The deployment in a CloudFormation template.

Each resource's properties are resolved as the task definition's are (the loader's
own intrinsic-function resolution: a parameter's default, ``Fn::Sub``, ``Fn::If``
where the branches agree), and a ``Ref``, ``Fn::GetAtt`` or ``Fn::Sub`` whose whole
value is one resource of the template becomes a :class:`~ecslint.deploy.model.Link`.
"""

from __future__ import annotations

from ecslint.deploy.model import ELBV2_FIELDS, Deployment, FieldTable, Link, Resource
from ecslint.load.cloudformation import NO_VALUE as _NO_VALUE
from ecslint.load.cloudformation import _Mapper
from ecslint.load.document import Document
from ecslint.load.target import Target
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

KINDS = {
    "AWS::ECS::Service": "service",
    "AWS::ECS::Cluster": "cluster",
    "AWS::ECS::ClusterCapacityProviderAssociations": "cluster_providers",
    "AWS::ECS::CapacityProvider": "capacity_provider",
    "AWS::ECS::TaskDefinition": "task",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "target_group",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "load_balancer",
    "AWS::ElasticLoadBalancingV2::Listener": "listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule": "listener_rule",
    "AWS::EC2::SecurityGroup": "security_group",
    "AWS::EC2::SecurityGroupIngress": "ingress",
    "AWS::EC2::Subnet": "subnet",
    "AWS::ServiceDiscovery::Service": "discovery",
}

_AWSVPC = ("NetworkConfiguration", "AwsvpcConfiguration")
FIELDS: dict[str, FieldTable] = {
    "service": {
        "cluster": ("Cluster",),
        "taskDefinition": ("TaskDefinition",),
        "launchType": ("LaunchType",),
        "capacityProviderStrategy": ("CapacityProviderStrategy",),
        "schedulingStrategy": ("SchedulingStrategy",),
        "desiredCount": ("DesiredCount",),
        "networkConfiguration": ("NetworkConfiguration",),
        "awsvpcConfiguration": _AWSVPC,
        "subnets": (*_AWSVPC, "Subnets"),
        "securityGroups": (*_AWSVPC, "SecurityGroups"),
        "assignPublicIp": (*_AWSVPC, "AssignPublicIp"),
        "loadBalancers": ("LoadBalancers",),
        "healthCheckGracePeriodSeconds": ("HealthCheckGracePeriodSeconds",),
        "deploymentConfiguration": ("DeploymentConfiguration",),
        "circuitBreaker": ("DeploymentConfiguration", "DeploymentCircuitBreaker"),
        "circuitBreakerEnable": ("DeploymentConfiguration", "DeploymentCircuitBreaker", "Enable"),
        "deploymentController": ("DeploymentController", "Type"),
        "enableExecuteCommand": ("EnableExecuteCommand",),
        "platformVersion": ("PlatformVersion",),
    },
    "service_lb": {
        "containerName": ("ContainerName",),
        "containerPort": ("ContainerPort",),
        "targetGroupArn": ("TargetGroupArn",),
        "loadBalancerName": ("LoadBalancerName",),
    },
    "strategy": {"capacityProvider": ("CapacityProvider",)},
    "cluster": {
        "settings": ("ClusterSettings",),
        "capacityProviders": ("CapacityProviders",),
        "defaultCapacityProviderStrategy": ("DefaultCapacityProviderStrategy",),
        "execLogging": ("Configuration", "ExecuteCommandConfiguration", "Logging"),
        "execConfiguration": ("Configuration", "ExecuteCommandConfiguration"),
    },
    "setting": {"name": ("Name",), "value": ("Value",)},
    "cluster_providers": {
        "cluster": ("Cluster",),
        "defaultCapacityProviderStrategy": ("DefaultCapacityProviderStrategy",),
    },
    **ELBV2_FIELDS,
    "security_group": {"ingress": ("SecurityGroupIngress",), "vpc": ("VpcId",)},
    "sg_ingress": {
        "protocol": ("IpProtocol",),
        "fromPort": ("FromPort",),
        "toPort": ("ToPort",),
        "cidrIpv4": ("CidrIp",),
        "cidrIpv6": ("CidrIpv6",),
        "sourceGroup": ("SourceSecurityGroupId",),
        "sourceGroupName": ("SourceSecurityGroupName",),
        "prefixList": ("SourcePrefixListId",),
    },
    "ingress": {
        "group": ("GroupId",),
        "groupName": ("GroupName",),
        "protocol": ("IpProtocol",),
        "fromPort": ("FromPort",),
        "toPort": ("ToPort",),
        "cidrIpv4": ("CidrIp",),
        "cidrIpv6": ("CidrIpv6",),
        "sourceGroup": ("SourceSecurityGroupId",),
        "sourceGroupName": ("SourceSecurityGroupName",),
        "prefixList": ("SourcePrefixListId",),
    },
    "subnet": {"cidr": ("CidrBlock",)},
    "discovery": {},
    "capacity_provider": {},
    "task": {},
}


def build(document: Document, targets: list[Target]) -> Deployment:
    data = document.data
    resources = data.get("Resources") if isinstance(data, dict) else None
    deployment = Deployment(document, "cloudformation", targets, FIELDS)
    if not isinstance(resources, dict):
        return deployment
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        kind = KINDS.get(str(resource.get("Type")))
        if kind is None:
            continue
        base: PathParts = ("Resources", logical_id, "Properties")
        resolver = _Resolver(document, base, resources)
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            properties, base = {}, ("Resources", logical_id)
        props = resolver.tree(properties, base, ())
        for rel, origin in resolver.mapper.origins.items():
            deployment.origins[resolver.paths.get(rel, (*base, *rel))] = origin
        deployment.add(
            Resource(
                kind,
                str(logical_id),
                props,
                base,
                FIELDS[kind],
                resolver.paths,
                "cloudformation",
            )
        )
    return deployment


class _Resolver:
    """Resolves a resource's whole property tree, keeping where each value came from."""

    def __init__(self, document: Document, base: PathParts, resources: dict[str, Any]) -> None:
        self.mapper = _Mapper(document, base)
        self.resources = resources
        self.base = base
        #: property path -> document path, where they differ from base + path.
        self.paths: dict[PathParts, PathParts] = {}

    def tree(self, value: Any, where: PathParts, rel: PathParts) -> Any:
        resolved, at = self.mapper.resolve(value, where, rel)
        if at != (*self.base, *rel):
            self.paths[rel] = at
        if isinstance(resolved, Unknown):
            return self.link(resolved)
        if isinstance(resolved, dict):
            out = {}
            for key, item in resolved.items():
                converted = self.tree(item, (*at, key), (*rel, key))
                if converted is not _NO_VALUE:
                    out[key] = converted
            return out
        if isinstance(resolved, list):
            items = [self.tree(item, (*at, i), (*rel, i)) for i, item in enumerate(resolved)]
            return [item for item in items if item is not _NO_VALUE]
        return resolved

    def link(self, unknown: Unknown) -> Any:
        """A reference whose whole value is one resource of the template: a Link."""
        ref = unknown.ref
        if ref is None or ref not in self.resources:
            return unknown
        text = unknown.text
        if text == "${" + ref + "}":
            return Link(ref, None, text)
        if text.startswith("${" + ref + ".") and text.endswith("}") and text.count("${") == 1:
            return Link(ref, text[len(ref) + 3 : -1], text)
        return unknown
