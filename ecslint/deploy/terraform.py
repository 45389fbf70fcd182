"""The deployment in Terraform: a ``.tf`` file, or ``terraform show -json`` (plan or state).

A ``.tf`` file arrives parsed by :mod:`ecslint.load.terraform_hcl`: literals are values,
and a reference to a resource of the same file (``aws_lb_target_group.app.arn``) is an
Unknown holding its text, which becomes a :class:`~ecslint.deploy.model.Link`. In a plan
or a state, the ``configuration`` section says what each argument references; a value
that is known (a state's ``sg-0123``) is linked to the resource whose ``id`` or ``arn``
it is. Anything else (a variable, a module output, a data source) stays unknown.
"""

from __future__ import annotations

import re
from typing import Any

from ecslint.deploy.model import Deployment, FieldTable, Link, Resource
from ecslint.load.document import Document
from ecslint.load.target import Target
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

KINDS = {
    "aws_ecs_service": "service",
    "aws_ecs_cluster": "cluster",
    "aws_ecs_cluster_capacity_providers": "cluster_providers",
    "aws_ecs_capacity_provider": "capacity_provider",
    "aws_ecs_task_definition": "task",
    "aws_lb": "load_balancer",
    "aws_alb": "load_balancer",
    "aws_lb_target_group": "target_group",
    "aws_alb_target_group": "target_group",
    "aws_lb_listener": "listener",
    "aws_alb_listener": "listener",
    "aws_lb_listener_rule": "listener_rule",
    "aws_alb_listener_rule": "listener_rule",
    "aws_security_group": "security_group",
    "aws_security_group_rule": "ingress",
    "aws_vpc_security_group_ingress_rule": "ingress",
    "aws_subnet": "subnet",
    "aws_service_discovery_service": "discovery",
}

_NET = ("network_configuration", 0)
FIELDS: dict[str, FieldTable] = {
    "service": {
        "cluster": ("cluster",),
        "taskDefinition": ("task_definition",),
        "launchType": ("launch_type",),
        "capacityProviderStrategy": ("capacity_provider_strategy",),
        "schedulingStrategy": ("scheduling_strategy",),
        "desiredCount": ("desired_count",),
        "networkConfiguration": ("network_configuration",),
        "awsvpcConfiguration": _NET,
        "subnets": (*_NET, "subnets"),
        "securityGroups": (*_NET, "security_groups"),
        "assignPublicIp": (*_NET, "assign_public_ip"),
        "loadBalancers": ("load_balancer",),
        "healthCheckGracePeriodSeconds": ("health_check_grace_period_seconds",),
        "deploymentConfiguration": ("deployment_circuit_breaker",),
        "circuitBreaker": ("deployment_circuit_breaker",),
        "circuitBreakerEnable": ("deployment_circuit_breaker", 0, "enable"),
        "deploymentController": ("deployment_controller", 0, "type"),
        "enableExecuteCommand": ("enable_execute_command",),
        "platformVersion": ("platform_version",),
    },
    "service_lb": {
        "containerName": ("container_name",),
        "containerPort": ("container_port",),
        "targetGroupArn": ("target_group_arn",),
        "loadBalancerName": ("elb_name",),
    },
    "strategy": {"capacityProvider": ("capacity_provider",)},
    "cluster": {
        "settings": ("setting",),
        "capacityProviders": ("capacity_providers",),
        "defaultCapacityProviderStrategy": ("default_capacity_provider_strategy",),
        "execLogging": ("configuration", 0, "execute_command_configuration", 0, "logging"),
        "execConfiguration": ("configuration", 0, "execute_command_configuration"),
    },
    "setting": {"name": ("name",), "value": ("value",)},
    "cluster_providers": {
        "cluster": ("cluster_name",),
        "defaultCapacityProviderStrategy": ("default_capacity_provider_strategy",),
    },
    "target_group": {
        "port": ("port",),
        "protocol": ("protocol",),
        "targetType": ("target_type",),
        "healthCheckPort": ("health_check", 0, "port"),
        "healthCheckIntervalSeconds": ("health_check", 0, "interval"),
        "unhealthyThresholdCount": ("health_check", 0, "unhealthy_threshold"),
        "healthCheckEnabled": ("health_check", 0, "enabled"),
    },
    "load_balancer": {
        "type": ("load_balancer_type",),
        "securityGroups": ("security_groups",),
        "subnets": ("subnets",),
        "subnetMappings": ("subnet_mapping",),
    },
    "listener": {"loadBalancerArn": ("load_balancer_arn",), "actions": ("default_action",)},
    "listener_rule": {"listenerArn": ("listener_arn",), "actions": ("action",)},
    "action": {
        "targetGroupArn": ("target_group_arn",),
        "forwardTargetGroups": ("forward", 0, "target_group"),
    },
    "forward_group": {"targetGroupArn": ("arn",)},
    "security_group": {"ingress": ("ingress",), "vpc": ("vpc_id",)},
    "sg_ingress": {
        "protocol": ("protocol",),
        "fromPort": ("from_port",),
        "toPort": ("to_port",),
        "cidrIpv4": ("cidr_blocks",),
        "cidrIpv6": ("ipv6_cidr_blocks",),
        "sourceGroup": ("security_groups",),
        "self": ("self",),
        "prefixList": ("prefix_list_ids",),
    },
    "ingress": {
        "type": ("type",),
        "group": ("security_group_id",),
        "protocol": ("protocol",),
        "fromPort": ("from_port",),
        "toPort": ("to_port",),
        "cidrIpv4": ("cidr_blocks",),
        "cidrIpv6": ("ipv6_cidr_blocks",),
        "sourceGroup": ("source_security_group_id",),
        "self": ("self",),
        "prefixList": ("prefix_list_ids",),
    },
    "vpc_ingress": {
        "group": ("security_group_id",),
        "protocol": ("ip_protocol",),
        "fromPort": ("from_port",),
        "toPort": ("to_port",),
        "cidrIpv4": ("cidr_ipv4",),
        "cidrIpv6": ("cidr_ipv6",),
        "sourceGroup": ("referenced_security_group_id",),
        "prefixList": ("prefix_list_id",),
    },
    "subnet": {"cidr": ("cidr_block",)},
    "discovery": {},
    "capacity_provider": {},
    "task": {},
}

#: ``aws_lb_target_group.app.arn`` (no index, no module, no data source): a link.
_REFERENCE = re.compile(r"\$\{(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z_]+)\}")


def build(document: Document, targets: list[Target]) -> Deployment:
    deployment = Deployment(document, "terraform", targets, FIELDS)
    if document.syntax == "hcl":
        data = document.data if isinstance(document.data, dict) else {}
        found: list[tuple[str, Any, Document | None]] = [(a, v, None) for a, v in data.items()]
        if _links_elsewhere(data):
            found += _module_siblings(document.path, set(data))
        addresses = {address for address, _, _ in found}
        for address, values, other in found:
            resource_type = address.split(".", 1)[0]
            kind = KINDS.get(resource_type)
            if kind is not None:
                linked = _link_tree(values, addresses)
                resource = _resource(kind, resource_type, address, linked, (address,))
                resource.document = other
                deployment.add(resource)
        return deployment
    from ecslint.deploy.plan import plan_resources

    for resource_type, address, values, where in plan_resources(document.data):
        kind = KINDS.get(resource_type)
        if kind is not None:
            deployment.add(_resource(kind, resource_type, address, values, where))
    return deployment


#: The most sibling files of a module read for the resources a service links to.
MAX_SIBLINGS = 50


def _links_elsewhere(data: dict[str, Any]) -> bool:
    """Whether a service of the file references a resource the file does not hold."""
    stack: list[Any] = [v for a, v in data.items() if a.startswith("aws_ecs_service.")]
    while stack:
        node = stack.pop()
        if isinstance(node, Unknown):
            match = _REFERENCE.fullmatch(node.text)
            if match and match.group(1) not in data:
                return True
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _module_siblings(path: str, known: set[str]) -> list[tuple[str, Any, Document | None]]:
    """The deployment resources of the module's other ``.tf`` files (a module is its
    directory: the load balancer and groups are often in alb.tf and sg.tf)."""
    import os

    from ecslint.load.source import LoadError, read_source
    from ecslint.load.terraform_hcl import load_hcl

    if path in ("<stdin>", "-"):
        return []
    directory = os.path.dirname(path) or "."
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    own = os.path.basename(path)
    found: list[tuple[str, Any, Document | None]] = []
    declared = set(known)
    for name in [n for n in names if n.endswith(".tf") and n != own][:MAX_SIBLINGS]:
        try:
            other = load_hcl(read_source(os.path.join(directory, name)), siblings=False)
        except LoadError:
            continue  # linted on its own, where the error is reported
        if not isinstance(other.data, dict):
            continue
        for address, values in other.data.items():
            if address in declared:
                # Terraform rejects a module that declares a resource twice: this
                # directory is not one module (a folder of unrelated files), so nothing
                # in it is taken for this service's.
                return []
            declared.add(address)
            kind = KINDS.get(address.split(".", 1)[0])
            # Services are linted in their own file; task definitions are targets of theirs.
            if kind is not None and kind not in ("service", "task"):
                found.append((address, values, other))
    return found


def _resource(
    kind: str, resource_type: str, address: str, values: Any, where: PathParts
) -> Resource:
    table = "vpc_ingress" if resource_type == "aws_vpc_security_group_ingress_rule" else kind
    return Resource(kind, address, values, where, FIELDS[table], None, "terraform")


def reference(text: str, addresses: set[str] | dict[str, Any]) -> Link | None:
    """``${aws_lb_target_group.app.arn}`` as a Link, when the input holds that resource."""
    match = _REFERENCE.fullmatch(text)
    if match and match.group(1) in addresses:
        return Link(match.group(1), match.group(2), text)
    return None


def _link_tree(value: Any, addresses: set[str]) -> Any:
    if isinstance(value, Unknown):
        return reference(value.text, addresses) or value
    if isinstance(value, dict):
        return {key: _link_tree(item, addresses) for key, item in value.items()}
    if isinstance(value, list):
        return [_link_tree(item, addresses) for item in value]
    return value
