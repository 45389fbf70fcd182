"""Network modes and port mappings (ECS601-ECS614) through the CLI."""

from __future__ import annotations

from typing import Any

from tests.builders import container, ec2, fargate, findings, unevaluated


def ports(*mappings: dict[str, Any]) -> dict[str, Any]:
    return container(portMappings=list(mappings))


def test_host_port_mismatch_in_awsvpc_quotes_aws() -> None:
    [finding] = findings(fargate(ports({"containerPort": 8080, "hostPort": 80})), "ECS601")
    assert finding["path"] == "/containerDefinitions/0/portMappings/0/hostPort"
    assert "containerPort 8080 to hostPort 80" in finding["message"]
    assert "When networkMode=awsvpc, the host ports" in finding["message"]
    assert not findings(fargate(ports({"containerPort": 8080, "hostPort": 8080})), "ECS601")
    assert not findings(fargate(ports({"containerPort": 8080})), "ECS601")


def test_host_port_mismatch_in_host_mode_and_fargate_without_network_mode() -> None:
    host = ec2(ports({"containerPort": 8080, "hostPort": 80}), networkMode="host")
    [finding] = findings(host, "ECS601")
    assert "networkMode host" in finding["message"]
    doc = fargate(ports({"containerPort": 8080, "hostPort": 80}))
    del doc["networkMode"]
    assert findings(doc, "ECS601")  # Fargate can only run awsvpc


def test_host_port_is_free_in_bridge_mode() -> None:
    assert not findings(ec2(ports({"containerPort": 8080, "hostPort": 80})), "ECS601")


def test_network_mode_placeholder_is_not_evaluated() -> None:
    doc = ec2(ports({"containerPort": 8080, "hostPort": 80}), networkMode="${MODE}")
    assert not findings(doc, "ECS601")
    assert "/networkMode" in {f["path"] for f in unevaluated(doc)}


def test_port_mappings_with_network_mode_none() -> None:
    doc = ec2(ports({"containerPort": 80}), container("worker"), networkMode="none")
    [finding] = findings(doc, "ECS602")
    assert finding["path"] == "/containerDefinitions/0/portMappings"
    assert not findings(ec2(container(portMappings=[]), networkMode="none"), "ECS602")
    assert not findings(ec2(ports({"containerPort": 80})), "ECS602")


def test_hostname_with_awsvpc() -> None:
    [finding] = findings(fargate(container(hostname="api")), "ECS603")
    assert finding["path"] == "/containerDefinitions/0/hostname"
    assert "hostname is not supported on container when networkMode=awsvpc." in finding["message"]
    assert not findings(ec2(container(hostname="api")), "ECS603")


def test_links_outside_bridge() -> None:
    [finding] = findings(fargate(container(links=["db"]), container("db")), "ECS604")
    assert finding["path"] == "/containerDefinitions/0/links"
    assert "not awsvpc" in finding["message"]
    host = ec2(container(links=["db"]), container("db"), networkMode="host")
    assert "not host" in findings(host, "ECS604")[0]["message"]
    assert not findings(ec2(container(links=["db"]), container("db")), "ECS604")
    assert not findings(fargate(container(links=[])), "ECS604")
    # "default" is Docker's default network, the bridge, on Linux (AWS's own examples use it)
    default = ec2(container(links=["db"]), container("db"), networkMode="default")
    assert not findings(default, "ECS604")


def test_extra_hosts_with_awsvpc() -> None:
    hosts = [{"hostname": "db", "ipAddress": "10.0.0.5"}]
    [finding] = findings(fargate(container(extraHosts=hosts)), "ECS605")
    assert finding["path"] == "/containerDefinitions/0/extraHosts"
    assert not findings(ec2(container(extraHosts=hosts)), "ECS605")


def test_container_port_mapped_twice() -> None:
    doc = ec2(ports({"containerPort": 53}, {"containerPort": 53, "protocol": "udp"}))
    [finding] = findings(doc, "ECS606")
    assert finding["path"] == "/containerDefinitions/0/portMappings/1/containerPort"
    assert "tcp and udp" in finding["message"]
    assert finding["severity"] == "warning"  # registration accepts it (awsdocs PR 128)
    twice = ec2(ports({"containerPort": 80}, {"containerPort": 80, "protocol": "tcp"}))
    assert "twice" in findings(twice, "ECS606")[0]["message"]
    # bridge: one container port published on two host ports is Docker's business
    two_hosts = ec2(
        ports({"containerPort": 80, "hostPort": 80}, {"containerPort": 80, "hostPort": 8080})
    )
    assert not findings(two_hosts, "ECS606")
    assert not findings(ec2(ports({"containerPort": 53, "protocol": "udp"})), "ECS606")


def test_port_used_by_two_containers() -> None:
    doc = fargate(
        ports({"containerPort": 8080}), container("admin", portMappings=[{"containerPort": 8080}])
    )
    [finding] = findings(doc, "ECS607")
    assert finding["severity"] == "warning"
    assert finding["path"] == "/containerDefinitions/1/portMappings/0/containerPort"
    assert "8080/tcp" in finding["message"]
    udp = fargate(
        ports({"containerPort": 8080}),
        container("admin", portMappings=[{"containerPort": 8080, "protocol": "udp"}]),
    )
    assert not findings(udp, "ECS607")
    bridge = ec2(
        ports({"containerPort": 8080}), container("admin", portMappings=[{"containerPort": 8080}])
    )
    assert not findings(bridge, "ECS607")


def test_reserved_host_port() -> None:
    doc = ec2(
        ports({"containerPort": 22, "hostPort": 22}, {"containerPort": 80, "hostPort": 51679})
    )
    found = findings(doc, "ECS608")
    assert [f["path"] for f in found] == [
        "/containerDefinitions/0/portMappings/0/hostPort",
        "/containerDefinitions/0/portMappings/1/hostPort",
    ]
    assert "SSH" in found[0]["message"] and "ECS container agent" in found[1]["message"]
    host = ec2(ports({"containerPort": 2375}), networkMode="host")
    assert findings(host, "ECS608")[0]["path"].endswith("/containerPort")
    assert not findings(ec2(ports({"containerPort": 22})), "ECS608")  # dynamic host port
    assert not findings(fargate(ports({"containerPort": 22})), "ECS608")


def test_static_host_port_in_ephemeral_range() -> None:
    [finding] = findings(ec2(ports({"containerPort": 80, "hostPort": 49153})), "ECS609")
    assert finding["severity"] == "warning"
    assert "49153-65535" in finding["message"]
    assert not findings(ec2(ports({"containerPort": 80, "hostPort": 49152})), "ECS609")
    assert not findings(ec2(ports({"containerPort": 80, "hostPort": 0})), "ECS609")
    assert not findings(ec2(ports({"containerPort": 50000})), "ECS609")


def test_invalid_container_port_range() -> None:
    for text, fact in (("9000-8000", "start below"), ("0-80", "1-65535"), ("80", "'start-end'")):
        [finding] = findings(fargate(ports({"containerPortRange": text})), "ECS610")
        assert finding["path"] == "/containerDefinitions/0/portMappings/0/containerPortRange"
        assert fact in finding["message"]
    assert not findings(fargate(ports({"containerPortRange": "8000-9000"})), "ECS610")


def test_container_port_range_with_host_port() -> None:
    doc = fargate(ports({"containerPortRange": "8000-8010", "hostPort": 8000}))
    [finding] = findings(doc, "ECS611")
    assert finding["path"] == "/containerDefinitions/0/portMappings/0/hostPort"
    assert not findings(fargate(ports({"containerPortRange": "8000-8010"})), "ECS611")


def test_container_port_range_network_mode() -> None:
    doc = ec2(ports({"containerPortRange": "8000-8010"}), networkMode="host")
    [finding] = findings(doc, "ECS612")
    assert "not host" in finding["message"]
    assert not findings(ec2(ports({"containerPortRange": "8000-8010"})), "ECS612")


def test_overlapping_container_port_ranges() -> None:
    doc = fargate(
        ports(
            {"containerPortRange": "8000-8099"},
            {"containerPort": 8050},
            {"containerPortRange": "8090-8200"},
            {"containerPortRange": "8000-8099", "protocol": "udp"},
        )
    )
    found = findings(doc, "ECS613")
    assert [f["path"].rsplit("/", 2)[-2:] for f in found] == [
        ["1", "containerPort"],
        ["2", "containerPortRange"],
    ]
    assert "overlaps range '8000-8099'" in found[0]["message"]


def test_invalid_container_port() -> None:
    doc = ec2(ports({"hostPort": 80}, {"containerPort": "8080"}, {"containerPort": 70000}))
    found = findings(doc, "ECS614")
    assert [f["path"] for f in found] == [
        f"/containerDefinitions/0/portMappings/{n}/containerPort" for n in (0, 2)
    ]
    assert "Invalid 'containerPort' setting for container 'web'." in found[0]["message"]
    # a string is a type error, reported once, by wrong-type
    (wrong_type,) = findings(doc, "ECS011")
    assert wrong_type["path"] == "/containerDefinitions/0/portMappings/1/containerPort"
    assert not findings(
        ec2(ports({"containerPort": 80}, {"containerPortRange": "81-90"})), "ECS614"
    )


def test_port_placeholders_are_not_evaluated() -> None:
    doc = ec2(ports({"containerPort": 80, "hostPort": "${HOST_PORT}"}))
    assert not findings(doc, "ECS608") and not findings(doc, "ECS609")
    [skipped] = [f for f in unevaluated(doc) if f["path"].endswith("/hostPort")]
    assert "reserved-host-port" in skipped["message"]
    assert "static-host-port-in-ephemeral-range" in skipped["message"]


def test_describe_output_points_into_task_definition() -> None:
    task = fargate(ports({"containerPort": 8080, "hostPort": 80, "protocol": "tcp"}))
    [finding] = findings({"taskDefinition": task}, "ECS601")
    assert finding["path"] == "/taskDefinition/containerDefinitions/0/portMappings/0/hostPort"
    assert finding["line"] > 1


def test_ephemeral_range_start_is_a_param() -> None:
    """Instances whose ip_local_port_range starts at 32768 can say so (params have no CLI flag)."""
    import json

    from ecslint.checks.networking import static_host_port_in_ephemeral_range
    from ecslint.checks.view import TaskView
    from ecslint.load import Source, detect_targets, parse

    doc = ec2(ports({"containerPort": 80, "hostPort": 40000}))
    [target] = detect_targets(parse(Source("t.json", json.dumps(doc))))
    view = TaskView(target)
    assert list(static_host_port_in_ephemeral_range(view, {"ephemeral_start": None})) == []
    [problem] = static_host_port_in_ephemeral_range(view, {"ephemeral_start": 32768})
    assert "32768-65535" in problem.message


# --- the port tables and their edges, every entry (written out here, not read from facts/) -----

#: Host ports every container instance reserves (ECS agent config: ECS_RESERVED_PORTS default).
RESERVED = {
    22: "SSH",
    2375: "Docker",
    2376: "Docker",
    51678: "agent",
    51679: "agent",
    51680: "agent",
}


def _paths(doc: dict[str, Any], rule: str) -> list[str]:
    return [f["path"] for f in findings(doc, rule)]


def test_every_reserved_host_port_fails_in_bridge_and_host_mode_and_its_neighbours_pass() -> None:
    reserved = sorted(RESERVED)
    bridge = ec2(ports(*({"containerPort": 80, "hostPort": port} for port in reserved)))
    assert _paths(bridge, "ECS608") == [
        f"/containerDefinitions/0/portMappings/{n}/hostPort" for n in range(len(reserved))
    ]
    host = ec2(ports(*({"containerPort": port} for port in reserved)), networkMode="host")
    found = findings(host, "ECS608")
    assert [f["path"] for f in found] == [
        f"/containerDefinitions/0/portMappings/{n}/containerPort" for n in range(len(reserved))
    ]
    for finding, port in zip(found, reserved, strict=True):
        assert f"host port {port}," in finding["message"]
        assert RESERVED[port] in finding["message"]
    neighbours = sorted({p + d for p in reserved for d in (-1, 1)} - set(reserved))
    assert not findings(
        ec2(ports(*({"containerPort": 80, "hostPort": port} for port in neighbours))), "ECS608"
    )
    assert not findings(
        ec2(ports(*({"containerPort": port} for port in neighbours)), networkMode="host"), "ECS608"
    )


def test_reserved_host_port_needs_a_static_port_in_bridge_or_host() -> None:
    awsvpc = ec2(ports({"containerPort": 22, "hostPort": 22}), networkMode="awsvpc")
    assert not findings(awsvpc, "ECS608")
    dynamic = ec2(ports({"containerPort": 22, "hostPort": 0}))
    assert not findings(dynamic, "ECS608")
    host_override = ec2(ports({"containerPort": 8080, "hostPort": 22}), networkMode="host")
    assert _paths(host_override, "ECS608") == ["/containerDefinitions/0/portMappings/0/hostPort"]


def test_ephemeral_range_edges_on_linux_and_windows() -> None:
    def static(*host_ports: int, **fields: Any) -> dict[str, Any]:
        return ec2(ports(*({"containerPort": 80, "hostPort": p} for p in host_ports)), **fields)

    assert [p.rsplit("/", 2)[-2] for p in _paths(static(49152, 49153, 65535), "ECS609")] == [
        "1",
        "2",
    ]
    # (Windows instances run <default> (NAT) or awsvpc; a bridge task names its mode)
    windows = {
        "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
        "networkMode": "bridge",
    }
    found = findings(static(49151, 49152, **windows), "ECS609")
    assert [f["path"].rsplit("/", 2)[-2] for f in found] == ["1"]
    assert "49152-65535" in found[0]["message"]
    assert not findings(static(80, networkMode="host"), "ECS609")


def test_container_port_edges() -> None:
    good = ec2(ports({"containerPort": 1}, {"containerPort": 65535}))
    assert not findings(good, "ECS614")
    bad = ec2(ports({"containerPort": 0}, {"containerPort": 65536}, {"containerPort": -1}))
    assert len(findings(bad, "ECS614")) == 3


def test_container_port_range_edges() -> None:
    for text in ("1-65535", "1-2", "65534-65535"):
        assert not findings(fargate(ports({"containerPortRange": text})), "ECS610"), text
    for text in ("0-65535", "1-65536", "5-5", "6-5", "1-2-3", "a-b", "-5"):
        assert findings(fargate(ports({"containerPortRange": text})), "ECS610"), text


def test_a_port_equal_to_either_end_of_a_range_overlaps_it() -> None:
    for port in (8000, 8010):
        doc = fargate(ports({"containerPortRange": "8000-8010"}, {"containerPort": port}))
        assert _paths(doc, "ECS613") == ["/containerDefinitions/0/portMappings/1/containerPort"]
    for port in (7999, 8011):
        doc = fargate(ports({"containerPortRange": "8000-8010"}, {"containerPort": port}))
        assert not findings(doc, "ECS613")
    touching = fargate(
        ports({"containerPortRange": "8000-8010"}, {"containerPortRange": "8010-8020"})
    )
    assert _paths(touching, "ECS613") == [
        "/containerDefinitions/0/portMappings/1/containerPortRange"
    ]
    apart = fargate(ports({"containerPortRange": "8000-8010"}, {"containerPortRange": "8011-8020"}))
    assert not findings(apart, "ECS613")


def test_a_placeholder_port_range_is_not_evaluated_and_gets_no_decided_error() -> None:
    doc = fargate(ports({"containerPortRange": "${RANGE}"}, {"containerPort": 8000}))
    for rule in ("ECS610", "ECS613", "ECS614"):
        assert not findings(doc, rule), rule
    [skipped] = [f for f in unevaluated(doc) if f["path"].endswith("/containerPortRange")]
    assert "invalid-container-port-range" in skipped["message"]


def test_a_placeholder_network_mode_is_not_evaluated_by_the_mode_rules() -> None:
    doc = ec2(
        ports({"containerPort": 8080, "hostPort": 80}),
        container(
            "db",
            hostname="db",
            links=["web"],
            extraHosts=[{"hostname": "a", "ipAddress": "1.2.3.4"}],
        ),
        networkMode="${MODE}",
    )
    for rule in ("ECS601", "ECS603", "ECS604", "ECS605", "ECS608", "ECS609"):
        assert not findings(doc, rule), rule
    [skipped] = [f for f in unevaluated(doc) if f["path"] == "/networkMode"]
    for slug in ("host-port-mismatch", "hostname-with-awsvpc", "links-outside-bridge"):
        assert slug in skipped["message"]


def test_a_placeholder_container_port_is_not_evaluated_for_a_shared_namespace() -> None:
    doc = fargate(
        ports({"containerPort": "${PORT}"}), container("b", portMappings=[{"containerPort": 80}])
    )
    assert not findings(doc, "ECS607")
    skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
    assert (
        "port-used-by-two-containers"
        in skipped["/containerDefinitions/0/portMappings/0/containerPort"]
    )


def test_a_range_after_a_single_port_inside_it_overlaps() -> None:
    doc = fargate(ports({"containerPort": 8005}, {"containerPortRange": "8000-8010"}))
    assert _paths(doc, "ECS613") == ["/containerDefinitions/0/portMappings/1/containerPortRange"]


def test_placeholder_ports_where_host_must_equal_container_are_not_evaluated() -> None:
    for mapping in (
        {"containerPort": 8080, "hostPort": "${HOST}"},
        {"containerPort": "${C}", "hostPort": 80},
    ):
        for doc in (fargate(ports(mapping)), ec2(ports(mapping), networkMode="host")):
            assert not findings(doc, "ECS601")
            skipped = {f["path"]: f["message"] for f in unevaluated(doc)}
            assert (
                "host-port-mismatch" in skipped["/containerDefinitions/0/portMappings/0/hostPort"]
            )


def test_one_container_with_a_placeholder_mode_needs_no_shared_namespace_verdict() -> None:
    one = ec2(ports({"containerPort": 80}, {"containerPort": 81}), networkMode="${MODE}")
    skipped = " ".join(f["message"] for f in unevaluated(one) if f["path"] == "/networkMode")
    assert "port-used-by-two-containers" not in skipped
    two = ec2(
        ports({"containerPort": 80}),
        container("b", portMappings=[{"containerPort": 80}]),
        networkMode="${MODE}",
    )
    skipped = " ".join(f["message"] for f in unevaluated(two) if f["path"] == "/networkMode")
    assert "port-used-by-two-containers" in skipped


def test_mappings_without_a_container_port_are_not_mapped_twice() -> None:
    doc = fargate(ports({"containerPortRange": "8000-8010"}, {"containerPortRange": "9000-9010"}))
    assert not findings(doc, "ECS606")


def test_a_fargate_task_that_names_another_mode_runs_in_that_mode_for_these_rules() -> None:
    doc = fargate(ports({"containerPort": 8080, "hostPort": 80}), networkMode="bridge")
    assert not findings(doc, "ECS601")  # bridge maps any host port (ECS801 reports the mode)


def test_a_placeholder_mode_is_not_evaluated_by_the_host_port_rules() -> None:
    doc = ec2(
        ports({"containerPort": 80, "hostPort": 50000}, {"containerPort": 22, "hostPort": 22}),
        networkMode="${MODE}",
    )
    skipped = " ".join(f["message"] for f in unevaluated(doc) if f["path"] == "/networkMode")
    for slug in ("reserved-host-port", "static-host-port-in-ephemeral-range"):
        assert slug in skipped
