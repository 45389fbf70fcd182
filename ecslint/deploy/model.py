"""The deployment around the task definitions: services, load balancers, security groups.

One model for every input. A source (a CloudFormation template, a ``.tf`` file, a plan
or state) reads its resources into :class:`Resource` records that keep the source's
own property names and their positions; a table per source (:data:`FIELDS`) names
each property the checks read by one canonical name, so a check asks
``service.get("launchType")`` and never cares which source it came from.

Values are literals, :class:`~ecslint.load.unknown.Unknown` (decided at deploy time:
a parameter without a default, an import, a module output) or a :class:`Link` to a
resource of the same input (a ``Ref``/``Fn::GetAtt``/``Fn::Sub`` of a logical id, a
Terraform reference). A link to something the input does not hold is not a link: it
is unknown, and a check that needs it does not evaluate.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.load.document import Document
from ecslint.load.target import Target
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

MISSING: Any = None


class Link:
    """A reference to the resource ``key`` of the same input (its ``attr``, if named)."""

    __slots__ = ("attr", "key", "text")

    def __init__(self, key: str, attr: str | None, text: str) -> None:
        self.key = key
        self.attr = attr
        #: How it was written (``${TargetGroup}``, ``aws_lb_target_group.app.arn``).
        self.text = text

    def __repr__(self) -> str:
        return f"Link({self.key!r}, {self.attr!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Link) and other.key == self.key

    def __hash__(self) -> int:
        return hash(("Link", self.key))


#: canonical name -> path of the property in the source's own names. An int in a path
#: indexes a list (Terraform's one-item blocks are lists).
FieldTable = dict[str, tuple[str | int, ...]]

#: The load balancing (elbv2) resources, as CloudFormation's AWS::ElasticLoadBalancingV2
#: properties and the elbv2 describe answers both spell them (one table for both).
ELBV2_FIELDS: dict[str, FieldTable] = {
    "target_group": {
        "port": ("Port",),
        "protocol": ("Protocol",),
        "targetType": ("TargetType",),
        "healthCheckPort": ("HealthCheckPort",),
        "healthCheckIntervalSeconds": ("HealthCheckIntervalSeconds",),
        "unhealthyThresholdCount": ("UnhealthyThresholdCount",),
        "healthCheckEnabled": ("HealthCheckEnabled",),
    },
    "load_balancer": {
        "type": ("Type",),
        "securityGroups": ("SecurityGroups",),
        "subnets": ("Subnets",),
        "subnetMappings": ("SubnetMappings",),
    },
    "listener": {"loadBalancerArn": ("LoadBalancerArn",), "actions": ("DefaultActions",)},
    "listener_rule": {"listenerArn": ("ListenerArn",), "actions": ("Actions",)},
    "action": {
        "targetGroupArn": ("TargetGroupArn",),
        "forwardTargetGroups": ("ForwardConfig", "TargetGroups"),
    },
    "forward_group": {"targetGroupArn": ("TargetGroupArn",)},
}


class Resource:
    """One resource of the input: its kind, its key (logical id or address), its data."""

    __slots__ = ("base", "data", "document", "fields", "key", "kind", "paths", "source")

    def __init__(
        self,
        kind: str,
        key: str,
        data: Any,
        base: PathParts,
        fields: FieldTable,
        paths: dict[PathParts, PathParts] | None = None,
        source: str = "",
    ) -> None:
        #: Canonical kind: service, cluster, task, target_group, load_balancer, listener,
        #: listener_rule, security_group, ingress, subnet, capacity_provider.
        self.kind = kind
        self.key = key
        self.data = data if isinstance(data, dict) else {}
        #: Where the resource's properties sit in the document.
        self.base = base
        self.fields = fields
        #: Where a property's value came from, where that is not ``base + its path``
        #: (a CloudFormation ``Fn::If`` branch).
        self.paths = paths or {}
        #: cloudformation | terraform
        self.source = source
        #: The document the resource sits in when it is not the file being linted (another
        #: ``.tf`` file of the same module): findings cannot point into it.
        self.document: Document | None = None

    def __repr__(self) -> str:
        return f"Resource({self.kind} {self.key})"

    def raw(self, *path: str | int) -> Any:
        """The value at ``path`` in the source's own names, MISSING when absent."""
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return MISSING
                node = node[part]
            elif isinstance(node, dict):
                if part not in node:
                    return MISSING
                node = node[part]
            else:
                return MISSING
        return node

    def get(self, name: str) -> Any:
        """The property called ``name`` in the canonical table, MISSING when absent."""
        return self.raw(*self.fields[name])

    def has(self, name: str) -> bool:
        return self.get(name) is not MISSING

    def at(self, name: str, *more: str | int) -> PathParts:
        """The document path of the property ``name`` (where it belongs when absent)."""
        return self.locate((*self.fields[name], *more))

    def locate(self, path: tuple[str | int, ...]) -> PathParts:
        for end in range(len(path), 0, -1):
            found = self.paths.get(path[:end])
            if found is not None:
                return (*found, *path[end:])
        return (*self.base, *path)

    def items(self, name: str, fields: FieldTable) -> Iterator[Resource]:
        """The objects of the list property ``name``, each read with ``fields``."""
        values = self.get(name)
        if not isinstance(values, list):
            return
        prefix = self.fields[name]
        for index, value in enumerate(values):
            if isinstance(value, dict):
                base = self.locate((*prefix, index))
                inner = {
                    p[len(prefix) + 1 :]: at
                    for p, at in self.paths.items()
                    if len(p) > len(prefix) + 1 and p[: len(prefix) + 1] == (*prefix, index)
                }
                item = Resource(self.kind, self.key, value, base, fields, inner, self.source)
                item.document = self.document
                yield item


def as_list(value: Any) -> list[Any] | Unknown | None:
    """A list property as a list; a scalar as one item; None when absent."""
    if value is MISSING:
        return None
    if isinstance(value, Unknown):
        return value
    return value if isinstance(value, list) else [value]


class Deployment:
    """Every resource of one input that the deployment checks read, by kind and key."""

    __slots__ = (
        "_by_label",
        "by_key",
        "document",
        "incomplete",
        "kinds",
        "origins",
        "source",
        "tables",
        "targets",
    )

    def __init__(
        self,
        document: Document,
        source: str,
        targets: list[Target],
        tables: dict[str, FieldTable],
    ) -> None:
        self.document = document
        self.source = source
        self.targets = targets
        #: The source's field tables, for the objects inside a property list.
        self.tables = tables
        self.by_key: dict[str, Resource] = {}
        self.kinds: dict[str, list[Resource]] = {}
        #: document path -> where a value resolved at load time came from
        #: ("from parameter X's default").
        self.origins: dict[PathParts, str] = {}
        #: resource key -> why what it links to is only partly known (a live service's
        #: target group whose load balancer or listeners could not be read).
        self.incomplete: dict[str, str] = {}
        self._by_label: dict[str, Target] | None = None

    def origin(self, path: PathParts) -> str | None:
        for end in range(len(path), 0, -1):
            found = self.origins.get(path[:end])
            if found is not None:
                return found
        return None

    def add(self, resource: Resource) -> None:
        self.by_key[resource.key] = resource
        self.kinds.setdefault(resource.kind, []).append(resource)

    def of_kind(self, kind: str) -> list[Resource]:
        return self.kinds.get(kind, [])

    def follow(self, value: Any, kind: str) -> Resource | None:
        """The resource of ``kind`` that ``value`` links to, or None."""
        if isinstance(value, Link):
            found = self.by_key.get(value.key)
            if found is not None and found.kind == kind:
                return found
        return None

    def task_target(self, value: Any) -> Target | None:
        """The task definition a service's ``taskDefinition`` links to."""
        if not isinstance(value, Link):
            return None
        if self._by_label is None:  # one pass, not one per service (10,000 services)
            self._by_label = {}
            for target in self.targets:
                if target.label is not None:
                    self._by_label.setdefault(target.label, target)
        return self._by_label.get(value.key)

    def services(self) -> list[Resource]:
        """The services of the linted file (never those of a module's other files)."""
        return [s for s in self.of_kind("service") if s.document is None]

    def items(self, resource: Resource, name: str) -> list[Resource]:
        """The objects of ``resource``'s list property ``name`` (load balancers, actions)."""
        return list(resource.items(name, self.tables[ITEM_TABLES[name]]))

    def ingress_rules(self) -> list[Ingress]:
        """Every ingress rule of the input: inline in a group, and standalone."""
        rules = []
        for group in self.of_kind("security_group"):
            link = Link(group.key, None, group.key)
            inline = group.get("ingress")
            if isinstance(inline, Unknown):
                rules.append(Ingress(group, link, MISSING, MISSING, MISSING, [("unknown", inline)]))
            elif isinstance(inline, list):
                for index, item in enumerate(inline):
                    if isinstance(item, Unknown):
                        where = group.at("ingress", index)
                        sub = Resource("ingress", group.key, {}, where, {}, None, group.source)
                        rules.append(
                            Ingress(sub, link, MISSING, MISSING, MISSING, [("unknown", item)])
                        )
                rules.extend(read_ingress(item, link) for item in self.items(group, "ingress"))
        for rule in self.of_kind("ingress"):
            direction = rule.get("type") if "type" in rule.fields else "ingress"
            if isinstance(direction, str) and direction != "ingress":
                continue  # an aws_security_group_rule of type egress
            rules.append(read_ingress(rule, rule.get("group")))
        return rules

    def subnet_cidrs(self, values: Any) -> list[str] | None:
        """The CIDR blocks of the subnets ``values`` names, or None if any is not known."""
        listed = as_list(values)
        if not isinstance(listed, list) or not listed:
            return None
        cidrs = []
        for value in listed:
            subnet = self.follow(value, "subnet")
            cidr = subnet.get("cidr") if subnet is not None else None
            if not isinstance(cidr, str):
                return None
            cidrs.append(cidr)
        return cidrs


#: The field table of the objects in each list property.
ITEM_TABLES = {
    "loadBalancers": "service_lb",
    "capacityProviderStrategy": "strategy",
    "defaultCapacityProviderStrategy": "strategy",
    "settings": "setting",
    "actions": "action",
    "forwardTargetGroups": "forward_group",
    "ingress": "sg_ingress",
}


class Ingress:
    """One ingress rule of a security group, read the same from every source.

    ``group`` is the security group the rule belongs to: a Link, or an Unknown when the
    rule names a group the input does not hold. ``sources`` are (kind, value) pairs,
    kind one of ``cidr`` (IPv4 or IPv6), ``group``, ``self``, ``prefix_list``.
    """

    __slots__ = ("from_port", "group", "path", "protocol", "resource", "sources", "to_port")

    def __init__(
        self,
        resource: Resource,
        group: Any,
        protocol: Any,
        from_port: Any,
        to_port: Any,
        sources: list[tuple[str, Any]],
    ) -> None:
        self.resource = resource
        self.group = group
        self.protocol = protocol
        self.from_port = from_port
        self.to_port = to_port
        self.sources = sources
        self.path = resource.base


#: Ingress fields every source maps to: protocol, fromPort, toPort, cidrIpv4, cidrIpv6,
#: sourceGroup, self, prefixList (each a scalar or a list).
SOURCE_FIELDS = (
    ("cidrIpv4", "cidr"),
    ("cidrIpv6", "cidr"),
    ("sourceGroup", "group"),
    ("prefixList", "prefix_list"),
    ("sourceGroupName", "unknown"),  # a group named, not linked: not followed
)


def read_ingress(rule: Resource, group: Any) -> Ingress:
    sources: list[tuple[str, Any]] = []
    for name, kind in SOURCE_FIELDS:
        if name not in rule.fields:
            continue
        values = as_list(rule.get(name))
        if isinstance(values, Unknown):
            sources.append(("unknown", values))
        elif values:
            sources.extend((kind, value) for value in values)
    if "self" in rule.fields and rule.get("self") is True:
        sources.append(("group", group))
    elif "self" in rule.fields and isinstance(rule.get("self"), Unknown):
        sources.append(("unknown", rule.get("self")))
    return Ingress(
        rule, group, rule.get("protocol"), rule.get("fromPort"), rule.get("toPort"), sources
    )
