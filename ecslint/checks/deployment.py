"""Deployment checks: a service, its task definition, load balancers and security groups.

Every check here declares ``scope="deployment"``: the engine runs it once per service
(``AWS::ECS::Service``, ``aws_ecs_service``) with a :class:`ServiceView` of the model
in :mod:`ecslint.deploy`. Problems carry document paths (the service, its target
group, a security group), so a finding points at the property that must change.

A value that links outside the input (a target group ARN passed in as a parameter, a
security group imported from another stack) is not evaluated: the check says so and
never guesses either way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecslint.checks import check
from ecslint.checks.view import TaskView
from ecslint.facts.logging import FARGATE_LOG_DRIVERS
from ecslint.load.unknown import Unknown
from ecslint.model import PathParts, Problem

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:  # the model is imported when a file holds a service, not on every run
    from typing import Any

    from ecslint.deploy.model import Deployment, Ingress, Resource

#: What Resource.get returns for an absent property (ecslint.deploy.model.MISSING).
MISSING: Any = None

FARGATE_PROVIDERS = frozenset({"FARGATE", "FARGATE_SPOT"})
#: ELB's defaults for an ALB target group: a 30 s interval, 2 failures to mark unhealthy.
DEFAULT_INTERVAL = 30
DEFAULT_UNHEALTHY = 2


class ServiceView:
    """One service and what it links to, for the deployment checks."""

    def __init__(self, service: Resource, deployment: Deployment, context: Any = None) -> None:
        self.service = service
        self.deployment = deployment
        self.context = context
        self.target = deployment.task_target(service.get("taskDefinition"))
        self.task: TaskView | None = TaskView(self.target, context) if self.target else None

    @property
    def family(self) -> str | None:
        return self.target.family if self.target is not None else None

    def container_name(self, path: PathParts) -> str | None:
        return None

    # --- reading ---------------------------------------------------------------------

    def task_path(self, *parts: str | int) -> PathParts:
        """The document path of a task definition field of this service's task."""
        assert self.target is not None
        return self.target.locate(parts)

    def load_balancers(self) -> list[Resource]:
        return self.deployment.items(self.service, "loadBalancers")

    def platform(self) -> str | Unknown | None:
        """FARGATE, EC2 or EXTERNAL: where the service's tasks run; Unknown when the
        launch type or capacity provider comes from outside the input."""
        from ecslint.deploy.model import Link

        launch = self.service.get("launchType")
        if isinstance(launch, (str, Unknown)):
            return launch
        strategy = self.service.get("capacityProviderStrategy")
        if strategy is MISSING:
            cluster = self.deployment.follow(self.service.get("cluster"), "cluster")
            if cluster is None:
                return Unknown(
                    "the cluster's default capacity provider strategy",
                    "setting of a cluster outside this file",
                )
            strategy = cluster.get("defaultCapacityProviderStrategy")
            for association in self.deployment.of_kind("cluster_providers"):
                if association.get("cluster") == Link(cluster.key, None, ""):
                    strategy = association.get("defaultCapacityProviderStrategy")
            if strategy is MISSING:
                return "EC2"  # no launch type, no strategy anywhere: EC2
        return _strategy_platform(strategy)

    def cluster(self) -> Resource | None:
        return self.deployment.follow(self.service.get("cluster"), "cluster")

    def first_of_cluster(self, cluster: Resource) -> bool:
        """Whether this is the first service of ``cluster`` (cluster advice is said once)."""
        for service in self.deployment.services():
            if self.deployment.follow(service.get("cluster"), "cluster") is cluster:
                return service is self.service
        return False

    def container(self, name: Any) -> tuple[int, dict[str, Any]] | None:
        if self.task is None or not isinstance(name, str):
            return None
        return self.task.container_by_name(name)

    def listeners_of(self, group: Resource) -> list[Resource]:
        """The load balancers that forward to the target group ``group``."""
        found: list[Resource] = []
        deployment = self.deployment
        for kind in ("listener", "listener_rule"):
            for listener in deployment.of_kind(kind):
                if not any(
                    _forwards_to(deployment, action, group)
                    for action in deployment.items(listener, "actions")
                ):
                    continue
                if kind == "listener_rule":
                    parent = deployment.follow(listener.get("listenerArn"), "listener")
                    if parent is None:
                        continue
                    listener = parent
                balancer = deployment.follow(listener.get("loadBalancerArn"), "load_balancer")
                if balancer is not None and balancer not in found:
                    found.append(balancer)
        return found


def _forwards_to(deployment: Deployment, action: Resource, group: Resource) -> bool:
    if deployment.follow(action.get("targetGroupArn"), "target_group") is group:
        return True
    return any(
        deployment.follow(item.get("targetGroupArn"), "target_group") is group
        for item in deployment.items(action, "forwardTargetGroups")
    )


def _strategy_platform(strategy: Any) -> str | Unknown | None:
    from ecslint.deploy.model import Link

    if isinstance(strategy, Unknown):
        return strategy
    if not isinstance(strategy, list) or not strategy:
        return None
    platforms = set()
    for item in strategy:
        provider = (
            item.get(
                "CapacityProvider", item.get("capacity_provider", item.get("capacityProvider"))
            )
            if isinstance(item, dict)
            else item
        )
        if isinstance(provider, Unknown):
            return provider
        if isinstance(provider, str):
            platforms.add("FARGATE" if provider in FARGATE_PROVIDERS else "EC2")
        elif isinstance(provider, Link):
            platforms.add("EC2")  # a capacity provider of the input: an Auto Scaling group
    return platforms.pop() if len(platforms) == 1 else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def placed(
    resource: Resource,
    path: PathParts,
    fallback: PathParts,
    message: str,
    evaluated: bool = True,
) -> Problem:
    """A problem at ``path`` of ``resource``; at ``fallback`` (in the linted file), naming
    where the resource is, when it sits in another file of the module."""
    other = resource.document
    if other is None:
        return Problem(path, message, evaluated=evaluated)
    import os

    line = other.span(path).line
    where = f"{resource.key} is in {os.path.basename(other.path)}:{line}"
    return Problem(fallback, f"{message} ({where})", evaluated=evaluated)


def _not_evaluated(path: PathParts, value: Any, what: str) -> Problem:
    text = value.describe() if isinstance(value, Unknown) else f"{value!r} is outside this file"
    return Problem(path, f"{text} ({what})", evaluated=False)


def _describe_link(value: Any) -> str:
    from ecslint.deploy.model import Link

    if isinstance(value, Link):
        return value.key
    if isinstance(value, Unknown):
        return value.text
    return repr(value)


# --- 1. traffic reaches the container ---------------------------------------------------


@check("security-group-blocks-load-balancer", scope="deployment")
def security_group_blocks_load_balancer(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    from ecslint.deploy.model import Link, as_list

    task, service, deployment = view.task, view.service, view.deployment
    if task is None or task.network_mode != "awsvpc":
        return  # bridge and host tasks use the instances' groups, which are not modelled
    listed = as_list(service.get("securityGroups"))
    if listed is None:
        return  # no groups: the VPC's default group, which is not in the file
    if isinstance(listed, Unknown):
        yield _not_evaluated(service.at("securityGroups"), listed, "the service's security groups")
        return
    groups: list[Resource] = []
    for index, value in enumerate(listed):
        group = deployment.follow(value, "security_group")
        if group is None:
            yield _not_evaluated(
                service.at("securityGroups", index), value, "a security group of the service"
            )
            return
        groups.append(group)
    if not groups:
        return
    rules = [
        r
        for r in deployment.ingress_rules()
        if isinstance(r.group, Link) and r.group.key in {g.key for g in groups}
    ]
    for entry in view.load_balancers():
        port = _int(entry.get("containerPort"))
        target_group = deployment.follow(entry.get("targetGroupArn"), "target_group")
        if port is None or target_group is None:
            value = entry.get("targetGroupArn")
            if port is not None and isinstance(value, Unknown):
                yield _not_evaluated(
                    entry.at("targetGroupArn"), value, "the service's target group"
                )
            continue
        mapped = _mapped_ports(view, entry)
        if mapped is not None and port not in mapped:
            continue  # a port the container does not map: ECS656 says so
        ports = [(port, "traffic")]
        health = target_group.get("healthCheckPort")
        health_port = _int(health)
        if health_port is not None and health_port != port:
            ports.append((health_port, "health-check"))
        incomplete = deployment.incomplete.get(target_group.key)
        if incomplete is not None:
            yield Problem(
                entry.at("targetGroupArn"),
                f"which load balancers forward to target group {target_group.key} is not "
                f"known ({incomplete})",
                evaluated=False,
            )
            continue
        for balancer in view.listeners_of(target_group):
            yield from _reach(view, groups, rules, balancer, target_group, ports, entry)


def _reach(
    view: ServiceView,
    groups: list[Resource],
    rules: list[Ingress],
    balancer: Resource,
    target_group: Resource,
    ports: list[tuple[int, str]],
    entry: Resource,
) -> Iterator[Problem]:
    from ecslint.deploy.model import as_list

    deployment = view.deployment
    kind = balancer.get("type")
    listed = as_list(balancer.get("securityGroups"))
    if kind not in (MISSING, "application") and listed is None:
        return  # a network load balancer without groups: the source is not a group
    if isinstance(kind, Unknown) or kind == "gateway" or listed is None:
        return  # an ALB without groups gets the VPC's default group: not in the file
    if isinstance(listed, Unknown):
        problem = _not_evaluated(
            balancer.at("securityGroups"), listed, "the load balancer's security groups"
        )
        yield placed(balancer, problem.path, entry.at("targetGroupArn"), problem.message, False)
        return
    sources: set[str] = set()
    for value in listed:
        group = deployment.follow(value, "security_group")
        if group is None:
            problem = _not_evaluated(
                balancer.at("securityGroups"), value, "a security group of the load balancer"
            )
            yield placed(balancer, problem.path, entry.at("targetGroupArn"), problem.message, False)
            return
        sources.add(group.key)
    subnets = balancer.get("subnets")
    cidrs = deployment.subnet_cidrs(subnets) if subnets is not MISSING else None
    for port, what in ports:
        verdict = _admitted(rules, port, sources, cidrs)
        if verdict is True:
            continue
        if verdict is None:
            yield placed(
                groups[0],
                groups[0].at("ingress"),
                view.service.at("securityGroups"),
                f"an ingress rule of {', '.join(g.key for g in groups)} is not known, so whether "
                f"load balancer {balancer.key} reaches TCP {port} is not evaluated",
                evaluated=False,
            )
            continue
        names = ", ".join(g.key for g in groups)
        lb_groups = ", ".join(sorted(sources))
        port_word = "port" if what == "traffic" else "health-check port"
        plural = len(groups) > 1
        message = (
            f"the service's security group{'s' if plural else ''} {names} "
            f"admit{'' if plural else 's'} no TCP "
            f"on {port_word} {port} from load balancer {balancer.key}'s security group "
            f"{lb_groups} (target group {target_group.key}, container "
            f"{_describe_link(entry.get('containerName'))}): the "
            f"{'targets' if what == 'traffic' else 'health checks'} time out and the "
            f"load balancer serves nothing; add an ingress rule to {groups[0].key} for TCP "
            f"{port} from {sorted(sources)[0]}"
        )
        if len(groups) > 1:
            yield Problem(view.service.at("securityGroups"), message)
        else:
            yield placed(
                groups[0], groups[0].at("ingress"), view.service.at("securityGroups"), message
            )


def _admitted(
    rules: list[Ingress], port: int, sources: set[str], cidrs: list[str] | None
) -> bool | None:
    """True if a rule admits TCP ``port`` from the load balancer; None if one might."""
    unknown = False
    for rule in rules:
        protocol = _protocol(rule.protocol)
        if protocol is False:
            continue
        covers = _covers(rule, port) if protocol == "tcp" else True
        if covers is False:
            continue
        source = _source_admits(rule, sources, cidrs)
        if source is False:
            continue
        if protocol is None or covers is None or source is None:
            unknown = True
            continue
        return True
    return None if unknown else False


def _protocol(value: Any) -> str | bool | None:
    """ "all", "tcp", None (unknown) or False (another protocol)."""
    if isinstance(value, Unknown) or value is MISSING:
        return None
    text = str(value).lower()
    if text in ("-1", "all"):
        return "all"
    if text in ("tcp", "6"):
        return "tcp"
    return False


def _covers(rule: Ingress, port: int) -> bool | None:
    low, high = _int(rule.from_port), _int(rule.to_port)
    if low is None or high is None:
        return None
    return low <= port <= high


def _source_admits(rule: Ingress, sources: set[str], cidrs: list[str] | None) -> bool | None:
    from ecslint.deploy.model import Link

    unknown = False
    for kind, value in rule.sources:
        if kind == "group":
            if isinstance(value, Link):
                if value.key in sources:
                    return True
                continue
            unknown = True
        elif kind == "cidr":
            verdict = _cidr_admits(value, cidrs)
            if verdict is True:
                return True
            unknown = unknown or verdict is None
        else:  # a prefix list, a group given by name, an unknown list
            unknown = True
    return None if unknown else False


def _cidr_admits(value: Any, cidrs: list[str] | None) -> bool | None:
    import ipaddress

    if not isinstance(value, str):
        return None
    try:
        network = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None
    if network.prefixlen == 0:
        return True
    if cidrs is None or network.version == 6:
        return None
    try:
        return all(ipaddress.ip_network(c, strict=False).subnet_of(network) for c in cidrs)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return None


# --- 2. awsvpc and the target group -----------------------------------------------------


@check("awsvpc-service-without-network-configuration", scope="deployment")
def awsvpc_service_without_network_configuration(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if view.task is None or view.task.network_mode != "awsvpc":
        return
    service = view.service
    if service.has("awsvpcConfiguration") or isinstance(
        service.get("networkConfiguration"), Unknown
    ):
        return
    yield Problem(
        service.at("networkConfiguration"),
        f"the task definition {view.target.label if view.target else ''} uses the awsvpc network "
        "mode, but the service has no network configuration (subnets and security groups); "
        "ECS rejects the service",
    )


@check("target-type-incompatible-with-network-mode", scope="deployment")
def target_type_incompatible_with_network_mode(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    if view.task is None or not isinstance(view.task.network_mode, str):
        return
    mode = view.task.network_mode
    needed = "ip" if mode == "awsvpc" else "instance" if mode in ("bridge", "host") else None
    if needed is None:
        return
    for entry in view.load_balancers():
        group = view.deployment.follow(entry.get("targetGroupArn"), "target_group")
        if group is None:
            continue
        kind = group.get("targetType")
        if isinstance(kind, Unknown):
            continue
        actual = "instance" if kind is MISSING else kind
        if actual == needed:
            continue
        if actual not in ("ip", "instance"):
            continue
        omitted = " (TargetType omitted means instance)" if kind is MISSING else ""
        yield placed(
            group,
            group.at("targetType"),
            entry.at("targetGroupArn"),
            f"target group {group.key} has target type {actual!r}{omitted}, but the "
            f"service's task definition uses the {mode} network mode, which needs "
            f"{needed!r}: ECS rejects the service",
        )


@check("dynamic-host-port-fixed-health-check-port", scope="deployment")
def dynamic_host_port_fixed_health_check_port(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    task = view.task
    if task is None or task.network_mode != "bridge":
        return
    for entry in view.load_balancers():
        group = view.deployment.follow(entry.get("targetGroupArn"), "target_group")
        found = view.container(entry.get("containerName"))
        port = _int(entry.get("containerPort"))
        if group is None or found is None or port is None:
            continue
        health = _int(group.get("healthCheckPort"))
        if health is None:
            continue
        mappings = found[1].get("portMappings")
        if not isinstance(mappings, list):
            continue
        for mapping in mappings:
            if not isinstance(mapping, dict) or _int(mapping.get("containerPort")) != port:
                continue
            host = mapping.get("hostPort")
            if host is MISSING or _int(host) == 0:
                yield placed(
                    group,
                    group.at("healthCheckPort"),
                    entry.at("targetGroupArn"),
                    f"container port {port} has a dynamic host port (bridge mode, hostPort "
                    f"{'omitted' if host is MISSING else 0}), but target group {group.key} checks "
                    f"health on the fixed port {health}: the health check never reaches the "
                    "task; use traffic-port",
                )
                break


# --- 3. the load balancer's container and port ------------------------------------------


@check("load-balancer-container-not-found", scope="deployment")
def load_balancer_container_not_found(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    task = view.task
    if task is None or isinstance(task.task.get("containerDefinitions"), Unknown):
        return
    names = task.container_names()
    for entry in view.load_balancers():
        name = entry.get("containerName")
        if not isinstance(name, str) or name in names:
            continue
        if any(isinstance(c.get("name"), Unknown) for _, c in task.containers()):
            continue
        yield Problem(
            entry.at("containerName"),
            f"the load balancer names container {name!r}, which the task definition "
            f"{view.target.label if view.target else ''} does not have "
            f"({', '.join(sorted(names)) or 'no containers'}): ECS rejects the service",
        )


def _mapped_ports(view: ServiceView, entry: Resource) -> list[int] | None:
    """The container ports the load-balanced container maps; None when not known."""
    found = view.container(entry.get("containerName"))
    if found is None:
        return None
    mappings = found[1].get("portMappings")
    if isinstance(mappings, Unknown):
        return None
    ports: list[int] = []
    for mapping in mappings if isinstance(mappings, list) else ():
        if not isinstance(mapping, dict):
            continue
        value = mapping.get("containerPort")
        if isinstance(value, Unknown) or mapping.get("containerPortRange") is not None:
            return None  # unknown, or a range: not compared
        number = _int(value)
        if number is not None:
            ports.append(number)
    return ports


@check("load-balancer-container-port-not-mapped", scope="deployment")
def load_balancer_container_port_not_mapped(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    for entry in view.load_balancers():
        port = _int(entry.get("containerPort"))
        ports = _mapped_ports(view, entry)
        if port is None or ports is None or port in ports:
            continue
        name = entry.get("containerName")
        yield Problem(
            entry.at("containerPort"),
            f"the load balancer sends traffic to port {port} of container {name!r}, which "
            f"maps {', '.join(map(str, ports)) if ports else 'no ports'}: ECS rejects the service",
        )


# --- 4. launch type, capacity providers and the task definition -------------------------


@check("fargate-service-task-not-fargate-compatible", scope="deployment")
def fargate_service_task_not_fargate_compatible(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    task = view.task
    if task is None or view.platform() != "FARGATE" or isinstance(task.compatibilities, Unknown):
        return
    if "FARGATE" in task.compatibilities:
        return
    listed = ", ".join(sorted(task.compatibilities)) or "none: EC2 only"
    where = (
        view.service.at("launchType")
        if view.service.has("launchType")
        else (
            view.service.at("capacityProviderStrategy")
            if view.service.has("capacityProviderStrategy")
            else view.service.at("cluster")
        )
    )
    if task.network_mode == "awsvpc":
        where = view.task_path("requiresCompatibilities")
    yield Problem(
        where,
        f"the service runs on Fargate, but its task definition "
        f"{view.target.label if view.target else ''} does not require FARGATE "
        f"(requiresCompatibilities: {listed}): ECS rejects the service (the task "
        "definition does not support launch_type FARGATE)",
    )


@check("launch-type-with-capacity-provider-strategy", scope="deployment")
def launch_type_with_capacity_provider_strategy(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    service = view.service
    strategy = service.get("capacityProviderStrategy")
    if not isinstance(service.get("launchType"), str) or not (
        isinstance(strategy, list) and strategy
    ):
        return
    yield Problem(
        service.at("launchType"),
        f"the service sets both launchType {service.get('launchType')!r} and a capacity "
        "provider strategy; ECS takes one or the other and rejects the service",
    )


@check("fargate-daemon-service", scope="deployment")
def fargate_daemon_service(view: ServiceView, params: Mapping[str, Any]) -> Iterator[Problem]:
    service = view.service
    if service.get("schedulingStrategy") != "DAEMON":
        return
    # The service's own launch type or strategy only: a daemon service does not take
    # the cluster's default capacity provider strategy.
    own = service.get("launchType")
    if own is MISSING:
        own = _strategy_platform(service.get("capacityProviderStrategy"))
    if own != "FARGATE":
        return
    yield Problem(
        view.service.at("schedulingStrategy"),
        "the service runs on Fargate with the DAEMON scheduling strategy; Fargate supports "
        "REPLICA only and ECS rejects the service",
    )


@check("fargate-service-unsupported-log-driver", scope="deployment")
def fargate_service_unsupported_log_driver(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    task = view.task
    if task is None or view.platform() != "FARGATE" or task.is_fargate or task.fargate_unknown:
        return  # a Fargate task definition has these checked at registration (ECS212)
    for index, container in task.containers():
        config = container.get("logConfiguration")
        driver = config.get("logDriver") if isinstance(config, dict) else None
        if isinstance(driver, str) and driver not in FARGATE_LOG_DRIVERS:
            yield Problem(
                view.task_path("containerDefinitions", index, "logConfiguration", "logDriver"),
                f"{task.container_label(index)} logs with {driver!r}, which Fargate does not "
                f"support ({', '.join(sorted(FARGATE_LOG_DRIVERS))}), and the service runs on "
                "Fargate: the task cannot start",
            )


# --- 5. advice ----------------------------------------------------------------------------


@check("service-assigns-public-ip", scope="deployment")
def service_assigns_public_ip(view: ServiceView, params: Mapping[str, Any]) -> Iterator[Problem]:
    value = view.service.get("assignPublicIp")
    if value == "ENABLED" or value is True:
        behind = " although it is reached through a load balancer" if view.load_balancers() else ""
        yield Problem(
            view.service.at("assignPublicIp"),
            f"every task of the service gets a public IP address{behind}; its security "
            "groups are then all that stands between the task and the internet",
        )


@check("service-without-circuit-breaker", scope="deployment")
def service_without_circuit_breaker(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    service = view.service
    controller = service.get("deploymentController")
    if controller not in (MISSING, "ECS") or service.get("schedulingStrategy") == "DAEMON":
        return
    enable = service.get("circuitBreakerEnable")
    if enable is True or isinstance(enable, Unknown) or str(enable).lower() == "true":
        return
    if isinstance(service.get("deploymentConfiguration"), Unknown):
        return
    yield Problem(
        service.at("circuitBreaker"),
        "the service has no deployment circuit breaker: a deployment whose tasks never "
        "become healthy keeps replacing them for hours instead of failing (and rolling back)",
    )


@check("grace-period-shorter-than-start-period", scope="deployment")
def grace_period_shorter_than_start_period(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    service = view.service
    grace = service.get("healthCheckGracePeriodSeconds")
    if isinstance(grace, Unknown) or (grace is not MISSING and _int(grace) != 0):
        return
    for entry in view.load_balancers():
        found = view.container(entry.get("containerName"))
        if found is None:
            continue
        health = found[1].get("healthCheck")
        start = _int(health.get("startPeriod")) if isinstance(health, dict) else None
        if start is None:
            continue
        group = view.deployment.follow(entry.get("targetGroupArn"), "target_group")
        interval, unhealthy = DEFAULT_INTERVAL, DEFAULT_UNHEALTHY
        if group is not None:
            interval = _int(group.get("healthCheckIntervalSeconds")) or interval
            unhealthy = _int(group.get("unhealthyThresholdCount")) or unhealthy
        budget = interval * unhealthy
        if start <= budget:
            continue
        yield Problem(
            service.at("healthCheckGracePeriodSeconds"),
            f"container {found[1].get('name')!r} needs up to {start} s to start (its health "
            f"check's startPeriod), but the service has no health-check grace period: the "
            f"load balancer marks it unhealthy after {budget} s ({unhealthy} failed checks "
            f"{interval} s apart) and ECS replaces it before it is up; set "
            f"healthCheckGracePeriodSeconds to at least {start}",
        )
        return


@check("desired-count-zero-with-load-balancer", scope="deployment")
def desired_count_zero_with_load_balancer(
    view: ServiceView, params: Mapping[str, Any]
) -> Iterator[Problem]:
    service = view.service
    if _int(service.get("desiredCount")) != 0 or not view.load_balancers():
        return
    yield Problem(
        service.at("desiredCount"),
        "the service runs no tasks (desired count 0) but has a load balancer attached, "
        "which is billed by the hour while it serves nothing",
    )


@check("container-insights-disabled", scope="deployment")
def container_insights_disabled(view: ServiceView, params: Mapping[str, Any]) -> Iterator[Problem]:
    cluster = view.cluster()
    if cluster is None or not view.first_of_cluster(cluster):
        return
    for setting in view.deployment.items(cluster, "settings"):
        if setting.get("name") == "containerInsights" and setting.get("value") == "disabled":
            yield placed(
                setting,
                setting.at("value"),
                view.service.at("cluster"),
                f"cluster {cluster.key} turns Container Insights off, so its services have "
                "no per-task CPU, memory and network metrics to debug a failing deployment",
            )


@check("exec-without-logging", scope="deployment")
def exec_without_logging(view: ServiceView, params: Mapping[str, Any]) -> Iterator[Problem]:
    service = view.service
    enabled = service.get("enableExecuteCommand")
    if not (enabled is True or (isinstance(enabled, str) and enabled.lower() == "true")):
        return
    cluster = view.cluster()
    if cluster is None:
        return
    logging = cluster.get("execLogging")
    if isinstance(logging, Unknown):
        return
    if logging == "NONE":
        why = f"cluster {cluster.key} sets ECS Exec logging to NONE"
    elif logging in (MISSING, "DEFAULT") and view.task is not None:
        drivers = []
        for _, container in view.task.containers():
            config = container.get("logConfiguration")
            drivers.append(config.get("logDriver") if isinstance(config, dict) else None)
        if any(isinstance(d, Unknown) for d in drivers) or "awslogs" in drivers:
            return
        why = (
            f"cluster {cluster.key} logs ECS Exec sessions the DEFAULT way, through the task's "
            "awslogs configuration, and no container of the task definition uses awslogs"
        )
    else:
        return
    yield Problem(
        service.at("enableExecuteCommand"),
        f"the service allows ECS Exec (a shell in its containers), but {why}: the commands "
        "run are not recorded anywhere",
    )


# --- what a scan could not read -----------------------------------------------------------


@check("service-resource-not-read", scope="deployment")
def service_resource_not_read(view: ServiceView, params: Mapping[str, Any]) -> Iterator[Problem]:
    """A describe call of ``ecslint scan --aws`` for this service failed: what it would
    have read is not evaluated, and the service is not counted as clean."""
    for entry in view.deployment.of_kind("not_read"):
        call, ids, error = entry.get("call"), entry.get("ids"), entry.get("error")
        names = ", ".join(str(i) for i in ids) if isinstance(ids, list) else str(ids)
        yield Problem(
            entry.base,
            f"{call} failed for {names or 'the service'} ({error}): what it reads is not evaluated",
        )
