"""The services of an AWS account, each read into one document: ``ecslint scan --aws``.

For each service (list-clusters, list-services, describe-services in batches of 10)
the scan reads what the deployment checks follow, read-only: its task definition, its
target groups (elbv2 describe-target-groups), their load balancers
(describe-load-balancers), their listeners (describe-listeners) and, where no listener's
default action forwards to the service's target group, the listeners' rules
(describe-rules), the security groups of the service's awsvpc configuration and of the
load balancers (ec2 describe-security-groups), the load balancers' subnets
(describe-subnets) when an ingress rule admits a CIDR that only the subnets can decide,
and the cluster (describe-clusters, once per 100 clusters). What a service shares with
another (a load balancer, its groups) is read once per scan.

It is written as one JSON document per service (the "live service" document read by
:mod:`ecslint.deploy.live`), named ``aws://ecs/<region>/service/<cluster>/<service>``::

    {"service": {...}, "cluster": {...}, "taskDefinition": {...}, "tags": [...],
     "targetGroups": [...], "loadBalancers": [...], "listeners": [...],
     "rules": [{"ListenerArn": ..., "Rules": [...]}], "securityGroups": [...],
     "subnets": [...], "notRead": [{"call": ..., "ids": [...], "error": ...}]}

A call that fails (access denied, not found, throttled past every retry) is written
under ``notRead``: what it would have read is "not evaluated" by the checks, and the
failure itself is a finding (ECS676). A service whose task definition cannot be read is
not linted, and says so (ECS676). The task definitions services run are linted as
task definitions of their own (``aws://ecs/<region>/<family>:<revision>``), once each,
also when they are not the latest revision of their family.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from functools import partial
from typing import Any

from ecslint.load.source import Source
from ecslint.sources.awscall import AwsCallFailed, Deadline, aws_call, client_config, in_order
from ecslint.sources.base import NotRead

NOT_READ = "ECS676"
#: How many services one describe-services call takes, and clusters one describe-clusters.
SERVICES_PER_CALL = 10
CLUSTERS_PER_CALL = 100
LOAD_BALANCERS_PER_CALL = 20


def service_name(region: str, cluster: str, service: str) -> str:
    return f"aws://ecs/{region}/service/{cluster}/{service}"


def _error(exc: BaseException) -> str:
    if isinstance(exc, (AwsCallFailed, CallFailed)):
        return exc.reason if isinstance(exc, AwsCallFailed) else exc.error
    return f"{type(exc).__name__}: {exc}"


class CallFailed(Exception):
    """A read-only call that failed; ``error`` says why (``Code: Message``)."""

    def __init__(self, call: str, error: str, cause: Exception | None = None) -> None:
        super().__init__(f"{call}: {error}")
        self.call = call
        self.error = error
        #: The exception of the call, for a caller that reports it its own way.
        self.cause = cause


class Reader:
    """The calls of the service part of a scan, each made once per scan (shared caches).

    ``calls`` counts the AWS API calls made, by ``service:Operation`` (pages included).
    """

    def __init__(self, account: Any) -> None:
        self.account = account
        self.timeout: float = account.timeout
        self.region: str = account.region
        session = account.session
        self.ecs = account._ecs
        config = client_config(self.timeout)
        self.elb = session.client("elbv2", region_name=self.region, config=config)
        self.ec2 = session.client("ec2", region_name=self.region, config=config)
        self.calls: Counter[str] = Counter()
        self._count_lock = threading.Lock()
        for client in (self.ecs, self.elb, self.ec2):
            client.meta.events.register("before-call", self._counted)
        self._memo: dict[tuple[Any, ...], Future[Any]] = {}
        self._lock = threading.Lock()

    def _counted(self, model: Any = None, **_: Any) -> None:
        name = f"{model.service_model.endpoint_prefix}:{model.name}" if model else "?"
        with self._count_lock:
            self.calls[name] += 1

    def once(self, key: tuple[Any, ...], call: Callable[[], Any]) -> Any:
        """``call()``'s answer, made once per ``key`` for the whole scan (also its failure)."""
        with self._lock:
            future = self._memo.get(key)
            owner = future is None
            if future is None:
                future = self._memo[key] = Future()
        if owner:
            try:
                future.set_result(call())
            except Exception as exc:
                future.set_exception(exc)
        return future.result()

    def seed(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            if key not in self._memo:
                future: Future[Any] = Future()
                future.set_result(value)
                self._memo[key] = future

    def call(self, name: str, call: Callable[[], Any]) -> Any:
        """One call through :func:`~ecslint.sources.awscall.aws_call` (its deadline,
        bounded retries with backoff); a failure is :class:`CallFailed`."""
        try:
            return aws_call(call, name, Deadline(self.timeout))
        except AwsCallFailed as exc:
            raise CallFailed(name, exc.reason, exc) from None

    # --- listing ------------------------------------------------------------------------

    def list_services(self) -> tuple[list[dict[str, Any]], dict[str, Any], list[NotRead]]:
        """Every service of every cluster, described; the clusters by ARN; what failed."""
        failed: list[NotRead] = []
        where = f"aws://ecs/{self.region}/service"
        try:
            clusters = _pages(self, "ecs:ListClusters", self.ecs.list_clusters, maxResults=100)
        except CallFailed as exc:
            message = f"could not list the clusters ({exc.error}); no service was linted"
            return [], {}, [NotRead(where, NOT_READ, message)]
        cluster_arns = [arn for page in clusters for arn in page.get("clusterArns", [])]
        described: dict[str, Any] = {}
        for batch in _batches(cluster_arns, CLUSTERS_PER_CALL):
            try:
                answer = self.call(
                    "ecs:DescribeClusters",
                    partial(
                        self.ecs.describe_clusters,
                        clusters=batch,
                        include=["SETTINGS", "CONFIGURATIONS"],
                    ),
                )
            except CallFailed as exc:
                for arn in batch:
                    described[arn] = exc
                continue
            for cluster in answer.get("clusters", []):
                if isinstance(cluster, dict) and isinstance(cluster.get("clusterArn"), str):
                    described[cluster["clusterArn"]] = cluster
        services: list[dict[str, Any]] = []
        for cluster_arn in cluster_arns:
            cluster = _last(cluster_arn)
            try:
                pages = _pages(
                    self,
                    "ecs:ListServices",
                    self.ecs.list_services,
                    cluster=cluster_arn,
                    maxResults=100,
                )
            except CallFailed as exc:
                message = f"could not list the services of cluster {cluster} ({exc.error})"
                failed.append(NotRead(f"{where}/{cluster}", NOT_READ, message))
                continue
            arns = [arn for page in pages for arn in page.get("serviceArns", [])]
            for batch in _batches(arns, SERVICES_PER_CALL):
                try:
                    answer = self.call(
                        "ecs:DescribeServices",
                        partial(self.ecs.describe_services, cluster=cluster_arn, services=batch),
                    )
                except CallFailed as exc:
                    for arn in batch:
                        message = f"could not describe the service ({exc.error}); not linted"
                        failed.append(
                            NotRead(
                                service_name(self.region, cluster, _last(arn)), NOT_READ, message
                            )
                        )
                    continue
                for item in answer.get("failures", []) or []:
                    arn = str(item.get("arn", "")) if isinstance(item, dict) else ""
                    reason = item.get("reason", "") if isinstance(item, dict) else ""
                    message = f"could not describe the service ({reason}); not linted"
                    failed.append(
                        NotRead(service_name(self.region, cluster, _last(arn)), NOT_READ, message)
                    )
                services.extend(s for s in answer.get("services", []) if isinstance(s, dict))
        return services, described, failed

    # --- one service ---------------------------------------------------------------------

    def task(self, arn: str) -> dict[str, Any]:
        def describe() -> dict[str, Any]:
            response: dict[str, Any] = self.account.describe(arn)
            return response

        return self.once(("task", arn), lambda: self.call("ecs:DescribeTaskDefinition", describe))  # type: ignore[no-any-return]

    def document(self, service: dict[str, Any], cluster: Any) -> Source | NotRead:
        """The service and what it links to, as one document."""
        name = service_name(
            self.region, _last(str(service.get("clusterArn", ""))), str(service.get("serviceName"))
        )
        arn = service.get("taskDefinition")
        if not isinstance(arn, str):
            return NotRead(name, NOT_READ, "the service names no task definition; not linted")
        try:
            described = self.task(arn)
        except CallFailed as exc:
            message = (
                f"could not describe the service's task definition {_last(arn)} ({exc.error}); "
                "the service was not linted"
            )
            return NotRead(name, NOT_READ, message)
        task = described.get("taskDefinition")
        if not isinstance(task, dict) or not task:
            message = f"the task definition {_last(arn)} was described without one; not linted"
            return NotRead(name, NOT_READ, message)
        document = Document(self)
        document.read(service, cluster)
        data: dict[str, Any] = {"service": {k: v for k, v in service.items() if k != "events"}}
        if isinstance(cluster, dict):
            data["cluster"] = cluster
        data["taskDefinition"] = task
        if "tags" in described:
            data["tags"] = described["tags"]
        data.update(document.sections())
        from ecslint.sources.aws import _json_default

        return Source(name, json.dumps(data, indent=2, default=_json_default))


class Document:
    """What one service links to, read through the scan's :class:`Reader`."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.target_groups: dict[str, Any] = {}
        self.load_balancers: dict[str, Any] = {}
        self.listeners: dict[str, Any] = {}
        self.rules: dict[str, list[Any]] = {}
        self.groups: dict[str, Any] = {}
        self.subnets: dict[str, Any] = {}
        self.not_read: list[dict[str, Any]] = []

    def sections(self) -> dict[str, Any]:
        return {
            "targetGroups": list(self.target_groups.values()),
            "loadBalancers": list(self.load_balancers.values()),
            "listeners": list(self.listeners.values()),
            "rules": [{"ListenerArn": arn, "Rules": rules} for arn, rules in self.rules.items()],
            "securityGroups": list(self.groups.values()),
            "subnets": list(self.subnets.values()),
            "notRead": self.not_read,
        }

    def failed(self, exc: CallFailed, ids: Iterable[str]) -> None:
        self.not_read.append({"call": exc.call, "ids": sorted(ids), "error": exc.error})

    def read(self, service: dict[str, Any], cluster: Any) -> None:
        if isinstance(cluster, CallFailed):
            self.failed(cluster, [str(service.get("clusterArn"))])
        entries = [e for e in service.get("loadBalancers") or [] if isinstance(e, dict)]
        group_arns = sorted(
            {e["targetGroupArn"] for e in entries if isinstance(e.get("targetGroupArn"), str)}
        )
        awsvpc = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
        service_groups = [g for g in awsvpc.get("securityGroups") or [] if isinstance(g, str)]
        if group_arns:
            self._target_groups(group_arns)
        balancer_arns = sorted(
            {
                arn
                for group in self.target_groups.values()
                for arn in group.get("LoadBalancerArns") or []
                if isinstance(arn, str)
            }
        )
        if balancer_arns:
            self._load_balancers(balancer_arns)
        for balancer in list(self.load_balancers.values()):
            self._listeners(balancer["LoadBalancerArn"], set(group_arns))
        lb_groups = {
            g
            for balancer in self.load_balancers.values()
            for g in balancer.get("SecurityGroups") or []
            if isinstance(g, str)
        }
        wanted = sorted(set(service_groups) | lb_groups)
        if wanted:
            self._security_groups(wanted)
        if self._needs_subnets(service_groups):
            subnets = {
                zone["SubnetId"]
                for balancer in self.load_balancers.values()
                for zone in balancer.get("AvailabilityZones") or []
                if isinstance(zone, dict) and isinstance(zone.get("SubnetId"), str)
            }
            if subnets:
                self._subnets(sorted(subnets))

    def _batched(
        self, name: str, key: str, ids: list[str], call: Callable[[list[str]], list[Any]]
    ) -> list[Any]:
        """``call(ids)`` once per scan; when it fails for several ids, each alone, so one
        that is not found does not leave the others unread."""
        reader = self.reader
        try:
            return reader.once((name, tuple(ids)), lambda: reader.call(name, lambda: call(ids)))  # type: ignore[no-any-return]
        except CallFailed as exc:
            if len(ids) == 1:
                self.failed(exc, ids)
                return []
        found: list[Any] = []
        for one in ids:
            found.extend(self._batched(name, key, [one], call))
        return found

    def _target_groups(self, arns: list[str]) -> None:
        elb = self.reader.elb
        for group in self._batched(
            "elasticloadbalancing:DescribeTargetGroups",
            "TargetGroupArn",
            arns,
            lambda ids: elb.describe_target_groups(TargetGroupArns=ids).get("TargetGroups", []),
        ):
            if isinstance(group, dict) and isinstance(group.get("TargetGroupArn"), str):
                self.target_groups[group["TargetGroupArn"]] = group

    def _load_balancers(self, arns: list[str]) -> None:
        elb = self.reader.elb
        for batch in _batches(arns, LOAD_BALANCERS_PER_CALL):
            for balancer in self._batched(
                "elasticloadbalancing:DescribeLoadBalancers",
                "LoadBalancerArn",
                batch,
                lambda ids: elb.describe_load_balancers(LoadBalancerArns=ids).get(
                    "LoadBalancers", []
                ),
            ):
                if isinstance(balancer, dict) and isinstance(balancer.get("LoadBalancerArn"), str):
                    self.load_balancers[balancer["LoadBalancerArn"]] = balancer

    def _listeners(self, balancer: str, groups: set[str]) -> None:
        reader = self.reader
        name = "elasticloadbalancing:DescribeListeners"
        try:
            read = partial(
                _pages, reader, name, reader.elb.describe_listeners, LoadBalancerArn=balancer
            )
            pages = reader.once((name, balancer), read)
        except CallFailed as exc:
            self.failed(exc, [balancer])
            return
        listeners = [
            item for page in pages for item in page.get("Listeners", []) if isinstance(item, dict)
        ]
        for listener in listeners:
            if isinstance(listener.get("ListenerArn"), str):
                self.listeners[listener["ListenerArn"]] = listener
        if any(_forwards(listener.get("DefaultActions"), groups) for listener in listeners):
            return  # the traffic is followed: no rule needs reading
        for listener in listeners:
            arn = listener.get("ListenerArn")
            if not isinstance(arn, str):
                continue
            rule_call = "elasticloadbalancing:DescribeRules"
            rules_of = partial(
                _pages, reader, rule_call, reader.elb.describe_rules, ListenerArn=arn
            )
            try:
                rule_pages = reader.once((rule_call, arn), rules_of)
            except CallFailed as exc:
                self.failed(exc, [arn])
                continue
            rules = [r for page in rule_pages for r in page.get("Rules", []) if isinstance(r, dict)]
            self.rules[arn] = rules
            if any(_forwards(rule.get("Actions"), groups) for rule in rules):
                return

    def _security_groups(self, ids: list[str]) -> None:
        ec2 = self.reader.ec2
        for group in self._batched(
            "ec2:DescribeSecurityGroups",
            "GroupId",
            ids,
            lambda ids: ec2.describe_security_groups(GroupIds=ids).get("SecurityGroups", []),
        ):
            if isinstance(group, dict) and isinstance(group.get("GroupId"), str):
                self.groups[group["GroupId"]] = group

    def _needs_subnets(self, service_groups: list[str]) -> bool:
        """Whether a rule of the service's groups admits a CIDR that is neither /0 nor
        decided without the load balancer's subnets."""
        for group_id in service_groups:
            group = self.groups.get(group_id) or {}
            for permission in group.get("IpPermissions") or []:
                for cidr in (permission or {}).get("IpRanges") or []:
                    text = (cidr or {}).get("CidrIp")
                    if isinstance(text, str) and not text.endswith("/0"):
                        return True
        return False

    def _subnets(self, ids: list[str]) -> None:
        ec2 = self.reader.ec2
        for subnet in self._batched(
            "ec2:DescribeSubnets",
            "SubnetId",
            ids,
            lambda ids: ec2.describe_subnets(SubnetIds=ids).get("Subnets", []),
        ):
            if isinstance(subnet, dict) and isinstance(subnet.get("SubnetId"), str):
                self.subnets[subnet["SubnetId"]] = subnet


def _forwards(actions: Any, groups: set[str]) -> bool:
    for action in actions if isinstance(actions, list) else ():
        if not isinstance(action, dict):
            continue
        if action.get("TargetGroupArn") in groups:
            return True
        forward = action.get("ForwardConfig")
        for item in (forward.get("TargetGroups") if isinstance(forward, dict) else None) or []:
            if isinstance(item, dict) and item.get("TargetGroupArn") in groups:
                return True
    return False


#: The token each API pages with: the request's name for it, and the answer's.
TOKENS = {"ecs": ("nextToken", "nextToken"), "elasticloadbalancing": ("Marker", "NextMarker")}
#: The most pages one listing reads (100 clusters or services a page).
MAX_PAGES = 1000


def _pages(
    reader: Reader, name: str, method: Callable[..., Any], **arguments: Any
) -> list[dict[str, Any]]:
    """Every page of a listing, each page one call with its own deadline."""
    token_in, token_out = TOKENS[name.split(":", 1)[0]]
    pages: list[dict[str, Any]] = []
    token: Any = None
    while len(pages) < MAX_PAGES:
        more = {token_in: token} if token else {}
        page = reader.call(name, partial(method, **arguments, **more))
        if not isinstance(page, dict):
            raise CallFailed(name, "an answer that is not an object")
        pages.append(page)
        token = page.get(token_out)
        if not token or not isinstance(token, str):
            break
    return pages


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _last(arn: str) -> str:
    """The last part of an ARN's resource (a cluster's, a service's, ``family:revision``)."""
    return arn.rsplit("/", 1)[-1]


def _family(arn: str) -> str:
    return _last(arn).split(":", 1)[0]


def with_services(
    account: Any,
    tasks: Iterator[Source | NotRead],
    family_prefix: str | None,
    workers: int,
    reader: Reader | None = None,
) -> Iterator[Source | NotRead]:
    """The task definitions ``tasks`` yields, then each service as a document, then the
    task definitions services run that were not among them."""
    reader = reader or Reader(account)
    linted: set[str] = set()
    for item in tasks:
        if isinstance(item, Source):
            try:
                described = json.loads(item.text)
                arn = described["taskDefinition"]["taskDefinitionArn"]
            except (ValueError, KeyError, TypeError):
                arn = None
            if isinstance(arn, str):
                linted.add(arn)
                reader.seed(("task", arn), described)
        yield item
    services, clusters, failed = reader.list_services()
    yield from failed
    # A service being deleted (DRAINING) is not linted; nor one without a task definition
    # of its own (the EXTERNAL deployment controller: its task sets hold them).
    services = [
        s
        for s in services
        if s.get("status", "ACTIVE") == "ACTIVE"
        and isinstance(s.get("taskDefinition"), str)
        and _family(s["taskDefinition"]).startswith(family_prefix or "")
    ]
    # The cluster's settings (Container Insights, ECS674: advice about the cluster) go in
    # the first document of each cluster only, so the advice is said once per cluster.
    first: dict[str, str] = {}
    for service in services:
        first.setdefault(str(service.get("clusterArn")), str(service.get("serviceArn")))

    def one(service: dict[str, Any]) -> Source | NotRead:
        cluster = clusters.get(str(service.get("clusterArn")))
        if isinstance(cluster, dict) and first.get(str(service.get("clusterArn"))) != str(
            service.get("serviceArn")
        ):
            cluster = {k: v for k, v in cluster.items() if k != "settings"}
        try:
            return reader.document(service, cluster)
        except Exception as exc:  # a malformed answer: said, never a crash nor a pass
            name = service_name(
                reader.region,
                _last(str(service.get("clusterArn", ""))),
                str(service.get("serviceName")),
            )
            return NotRead(
                name, NOT_READ, f"could not read the service ({_error(exc)}); not linted"
            )

    def raised(service: dict[str, Any], exc: BaseException) -> NotRead:
        name = str(service.get("serviceArn"))
        return NotRead(name, NOT_READ, "the service could not be read; not linted")

    yield from in_order(one, services, workers, raised, "ecslint service")
    running = sorted({s["taskDefinition"] for s in services} - linted)
    from ecslint.sources.aws import _described

    for arn in running:
        yield _described(_Cached(reader, account), arn)  # type: ignore[arg-type]


class _Cached:
    """An :class:`~ecslint.sources.aws.Account` whose describe reuses the scan's answers."""

    def __init__(self, reader: Reader, account: Any) -> None:
        self.reader = reader
        self.region = account.region

    def describe(self, key: str) -> dict[str, Any]:
        try:
            return self.reader.task(key)
        except CallFailed as exc:  # reported as a describe of the scan's own would be
            raise exc.cause or exc from None
