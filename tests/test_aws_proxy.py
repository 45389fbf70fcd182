"""``--aws`` against a broken network: moto in server mode on 127.0.0.1 behind a small
threaded HTTP proxy that, for one family or one role only, delays past the deadline,
drops the connection, answers garbage, answers 5xx, or throttles every time.

Each case runs through the CLI, with a good family or role beside the bad one whose
findings must still be reported, within a time bound (``--aws-timeout`` keeps it short).
The bad one must be an error finding naming what could not be read (ECS246 for a family,
ECS247 for a role), never a pass, never "not in the account".
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import test_iam_aws
from tests.conftest import CliResult, run_cli
from tests.test_iam_aws import ACCOUNT, PULL_AND_LOG, REGION, TRUST_ECS, _role, _task

pytest.importorskip("boto3")
moto_endpoint = test_iam_aws.moto_endpoint
aws = test_iam_aws.aws

ECS_TARGET = "AmazonEC2ContainerServiceV20141113."
#: --aws-timeout in these tests, in seconds: short, but long enough for a good role's five
#: moto calls on a loaded machine (the deadline is per role and per family).
TIMEOUT = 4
#: What a failing case may take at most: the deadline, the retries' pauses, the run.
BOUND = 20.0


@dataclass
class Fault:
    """What the proxy does to the requests that match: ``action`` (an ECS or IAM action
    name) and ``subject`` (the family or role name the request is about)."""

    kind: str  # "delay" | "drop" | "garbage" | "5xx" | "throttle" | "pass"
    action: str
    subject: str = ""
    #: Requests that matched (each one HTTP request: how many attempts were made).
    hits: int = 0
    times: list[float] = field(default_factory=list)


class Proxy:
    """An HTTP proxy in front of moto; :attr:`fault` says what to break."""

    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream)
        self.fault: Fault | None = None
        self.release = threading.Event()  # ends the delays at teardown
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                proxy.handle(self)

            do_GET = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _matches(self, handler: BaseHTTPRequestHandler, body: bytes) -> bool:
        fault = self.fault
        if fault is None:
            return False
        target = handler.headers.get("X-Amz-Target", "")
        if target:  # ECS: the JSON protocol
            if target != ECS_TARGET + fault.action:
                return False
            request = json.loads(body or b"{}")
            subject = str(request.get("taskDefinition", ""))
        else:  # IAM: the query protocol
            query = parse_qs(body.decode("utf-8", "replace"))
            if query.get("Action") != [fault.action]:
                return False
            subject = query.get("RoleName", [""])[0]
        return not fault.subject or subject == fault.subject

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        fault = self.fault
        if fault is not None and self._matches(handler, body):
            fault.hits += 1
            fault.times.append(time.monotonic())
            ecs = bool(handler.headers.get("X-Amz-Target"))
            if fault.kind == "delay":
                self.release.wait(60)  # far past any --aws-timeout of these tests
                handler.close_connection = True
                return
            if fault.kind == "drop":
                handler.close_connection = True
                handler.connection.shutdown(2)
                return
            if fault.kind == "garbage":
                return self._answer(handler, 200, b"\x00\xff<<<not an answer>>>{[", "text/html")
            if fault.kind == "5xx":
                return self._error(
                    handler, ecs, 500, "InternalFailure" if not ecs else "ServerException"
                )
            if fault.kind == "throttle":
                return self._error(
                    handler, ecs, 400, "ThrottlingException" if ecs else "Throttling"
                )
        self._forward(handler, body)

    def _error(self, handler: BaseHTTPRequestHandler, ecs: bool, status: int, code: str) -> None:
        if ecs:
            body = json.dumps({"__type": code, "message": "from the proxy"}).encode()
            return self._answer(handler, status, body, "application/x-amz-json-1.1")
        xml = (
            "<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{code}</Code><Message>from the proxy</Message></Error>"
            "<RequestId>1</RequestId></ErrorResponse>"
        )
        self._answer(handler, status, xml.encode(), "text/xml")

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        upstream = http.client.HTTPConnection(
            self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=30
        )
        headers = {key: value for key, value in handler.headers.items()}
        upstream.request(handler.command, handler.path, body=body, headers=headers)
        response = upstream.getresponse()
        data = response.read()
        upstream.close()
        handler.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in (
                "content-length",
                "transfer-encoding",
                "connection",
                "server",
                "date",
            ):
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


@pytest.fixture
def proxy(aws: Any, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    """The proxy, with ecslint's AWS endpoint pointing at it (the fixtures' boto3 session
    was made before, so the test's own calls still go to moto directly)."""
    broken = Proxy(moto_endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", broken.url)
    yield broken
    broken.close()


def _register(session: Any, task: dict[str, Any]) -> None:
    session.client("ecs").register_task_definition(**task)


def _timed(args: list[str], stdin: str | None = None) -> tuple[CliResult, float]:
    start = time.monotonic()
    result = run_cli(args, stdin=stdin)
    return result, time.monotonic() - start


def _by_file(result: CliResult) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in result.findings:
        found.setdefault(finding["file"], set()).add(finding["rule"])
    return found


@pytest.fixture
def account(aws: Any, moto_endpoint: str) -> dict[str, str]:
    """Two families registered directly in moto: ``orders`` (a latest tag: ECS401, and a
    role without permissions: ECS240) and ``web``, the one the proxy breaks."""
    bare = _role(aws, "bareRole", TRUST_ECS)
    good = _role(aws, "goodRole", TRUST_ECS, managed_pull=PULL_AND_LOG)
    _register(aws, _task(bare, family="orders", image="nginx:latest"))
    _register(aws, _task(good, family="web"))
    return {"bare": bare, "good": good}


SCAN_FAULTS = {
    "delay": f"no answer within {TIMEOUT} s (--aws-timeout)",
    "drop": "Connection was closed before we received a valid response",
    "garbage": "an answer that cannot be read",
    "5xx": "ServerException: from the proxy",
    "throttle": "ThrottlingException: from the proxy",
}


@pytest.mark.parametrize("kind", sorted(SCAN_FAULTS))
def test_scan_reports_the_broken_family_and_lints_the_other(
    proxy: Proxy, account: dict[str, str], kind: str
) -> None:
    proxy.fault = Fault(kind, "DescribeTaskDefinition", "web")
    result, took = _timed(
        ["scan", "--aws", "--format", "json", "--region", REGION, "--aws-timeout", str(TIMEOUT)]
    )
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    found = _by_file(result)
    orders = f"aws://ecs/{REGION}/orders:1"
    assert {"ECS401", "ECS240"} <= found[orders], found  # the good family, linted
    [web] = [f for f in result.findings if f["file"] == f"aws://ecs/{REGION}/web"]
    assert (web["rule"], web["severity"]) == ("ECS246", "error")
    assert SCAN_FAULTS[kind] in web["message"], web["message"]
    assert result.json["summary"]["task_definitions"] == 1
    assert took < BOUND, took
    assert 1 <= proxy.fault.hits <= 4


def test_an_always_throttled_family_takes_four_calls_and_about_five_seconds(
    proxy: Proxy, account: dict[str, str]
) -> None:
    """The worst case of the retries: with the default deadline (30 s), an always-throttled
    family is asked 4 times, with pauses of 0.5, 1 and 2 s times a jitter in [0.5, 1.5)."""
    proxy.fault = Fault("throttle", "DescribeTaskDefinition", "web")
    result, took = _timed(["scan", "--aws", "--format", "json", "--region", REGION])
    assert result.exit_code == 1, result.stderr
    [web] = [f for f in result.findings if f["rule"] == "ECS246"]
    assert "(after 4 attempts)" in web["message"]
    assert proxy.fault.hits == 4
    span = proxy.fault.times[-1] - proxy.fault.times[0]
    assert 1.75 * 0.9 <= span < 5.25 + 1.0, span
    assert took < 5.25 + 5.0, took
    print(
        f"\nalways throttled: {proxy.fault.hits} calls, {span:.2f} s from the first to the "
        f"last, the run {took:.2f} s"
    )


@pytest.mark.parametrize("kind", ["delay", "throttle", "garbage"])
def test_scan_whose_listing_fails_says_so_and_exits_2(
    proxy: Proxy, account: dict[str, str], kind: str
) -> None:
    proxy.fault = Fault(kind, "ListTaskDefinitionFamilies")
    result, took = _timed(
        ["scan", "--aws", "--format", "json", "--region", REGION, "--aws-timeout", str(TIMEOUT)]
    )
    assert result.exit_code == 2
    assert "cannot list task definitions in eu-west-1: ecs:ListTaskDefinitionFamilies" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert took < BOUND, took


ROLE_FAULTS = {
    "delay": f"no answer within {TIMEOUT} s (--aws-timeout)",
    "drop": "Connection was closed before we received a valid response",
    "garbage": "an answer that cannot be read",
    "5xx": "InternalFailure: from the proxy",
    "throttle": "Throttling: from the proxy",
}


@pytest.mark.parametrize(
    ("kind", "action"),
    [(kind, "GetRole") for kind in sorted(ROLE_FAULTS)]
    + [("delay", "ListAttachedRolePolicies"), ("garbage", "GetPolicyVersion")],
)
def test_check_aws_reports_the_role_it_cannot_read_and_evaluates_the_other(
    proxy: Proxy, aws: Any, tmp_path: Path, kind: str, action: str
) -> None:
    bare = _role(aws, "bareRole", TRUST_ECS)  # evaluated: ECS240 (allows nothing)
    broken = _role(aws, "brokenRole", TRUST_ECS, managed_pull=PULL_AND_LOG)
    (tmp_path / "orders.json").write_text(json.dumps(_task(bare)))
    (tmp_path / "web.json").write_text(json.dumps(_task(broken, family="web")))
    policy = action.startswith("GetPolicy")  # asked by the policy's ARN (only brokenRole has one)
    proxy.fault = Fault(kind, action, "" if policy else "brokenRole")
    call = f"iam:{action} " + (f"arn:aws:iam::{ACCOUNT}:policy/pull" if policy else "brokenRole")
    result, took = _timed(
        ["check", "--aws", "--format", "json", "--aws-timeout", str(TIMEOUT), str(tmp_path)]
    )
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    found = _by_file(result)
    assert "ECS240" in found[str(tmp_path / "orders.json")]
    web = [f for f in result.findings if f["file"] == str(tmp_path / "web.json")]
    iam = [f for f in web if f["rule"].startswith("ECS24")]
    assert [(f["rule"], f["severity"]) for f in iam] == [("ECS247", "error")], iam
    message = iam[0]["message"]
    assert message.startswith("execution role brokenRole could not be read from the AWS account")
    assert call in message and ROLE_FAULTS[kind] in message, message
    assert "not in the AWS account" not in message
    assert took < BOUND, took


def test_check_aws_without_credentials_is_an_error_for_every_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    for family in ("orders", "web"):
        task = _task(f"arn:aws:iam::{ACCOUNT}:role/{family}Role", family=family, image="nginx")
        (tmp_path / f"{family}.json").write_text(json.dumps(task))
    result, took = _timed(["check", "--aws", "--format", "json", str(tmp_path)])
    assert result.exit_code == 1, result.stderr
    found = _by_file(result)
    for family in ("orders", "web"):
        assert {"ECS247", "ECS401"} <= found[str(tmp_path / f"{family}.json")], found
    messages = [f["message"] for f in result.findings if f["rule"] == "ECS247"]
    assert "Unable to locate credentials" in messages[0]
    assert "not asked: an earlier call failed" in messages[1]  # one failure, not two waits
    assert took < BOUND, took


@pytest.mark.parametrize("command", ["scan", "check"])
def test_ctrl_c_while_waiting_for_aws_ends_with_a_message_and_130(
    proxy: Proxy, account: dict[str, str], tmp_path: Path, command: str
) -> None:
    """Ctrl-C while a describe (scan) or a GetRole (check --aws) waits for an answer
    that does not come: the message, exit 130, no traceback, and no wait for the call."""
    if command == "scan":
        proxy.fault = Fault("delay", "DescribeTaskDefinition", "web")
        args = ["scan", "--aws", "--region", REGION]
    else:
        proxy.fault = Fault("delay", "GetRole", "goodRole")
        (tmp_path / "web.json").write_text(json.dumps(_task(account["good"], family="web")))
        args = ["check", "--aws", str(tmp_path / "web.json")]
    child = subprocess.Popen(
        [sys.executable, "-m", "ecslint", *args, "--aws-timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 20
    while proxy.fault.hits == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proxy.fault.hits == 1, "the call never reached the proxy"
    time.sleep(0.3)
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=10)
    assert child.returncode == 130, err
    assert time.monotonic() - sent < 3.0
    assert b"ecslint: interrupted" in err and b"Traceback" not in err, err
