"""The language server's time from didChange to its diagnostics, on a 200-line task definition.

    python bench/server_latency.py [--changes N]

Starts ``ecslint server`` (this checkout's), opens a generated Fargate task definition of
200 lines as JSON (with findings: a task cpu written as a number, a hostPort that differs
from its containerPort), then sends N whole-document didChange notifications, each
editing one value as a keystroke would, and times each one from sending it to reading the
publishDiagnostics of that version. Prints the median, the 90th percentile and the
slowest, and the first open (which loads the catalog and compiles the schema) apart.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any


def task_definition(lines: int = 200) -> str:
    """A Fargate task definition of exactly ``lines`` lines of JSON (indent 2)."""
    containers: list[dict[str, Any]] = []
    task: dict[str, Any] = {
        "family": "orders",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": 1024,
        "memory": "2048",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "taskRoleArn": "arn:aws:iam::123456789012:role/orders",
        "containerDefinitions": containers,
    }
    index = 0
    while True:
        containers.append(
            {
                "name": f"app-{index}",
                "image": f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/app-{index}:1.4.{index}",
                "essential": index == 0,
                "portMappings": [{"containerPort": 8080 + index, "hostPort": 80 + index}],
                "environment": [],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/ecs/orders",
                        "awslogs-region": "eu-west-1",
                        "awslogs-stream-prefix": "orders",
                    },
                },
            }
        )
        index += 1
        text = json.dumps(task, indent=2)
        if text.count("\n") + 1 >= lines - 20:
            break
    env = containers[0]["environment"]

    def count() -> int:
        return json.dumps(task, indent=2).count("\n") + 1

    while count() + 4 <= lines:
        env.append({"name": f"SETTING_{len(env)}", "value": str(len(env))})
    for key, value in (("user", "1000"), ("workingDirectory", "/app"), ("stopTimeout", 30)):
        if count() < lines:
            containers[-1][key] = value  # one line each
    text = json.dumps(task, indent=2) + "\n"
    assert text.count("\n") == lines, text.count("\n")
    return text


class Client:
    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        ident = None
        if request:
            self.next_id += 1
            ident = message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()
        return ident

    def read(self) -> dict[str, Any]:
        length = 0
        while True:
            line = self.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.stdout.read(length))
        return message

    def wait_for(self, predicate: Any) -> dict[str, Any]:
        while True:
            message = self.read()
            if predicate(message):
                return message


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--server", help="the server command (default: ecslint server)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    ecslint = root / ".venv" / "bin" / "ecslint"
    command = [str(ecslint) if ecslint.exists() else "ecslint", "server"]
    if args.server:
        import shlex

        command = shlex.split(args.server)
    client = Client(command)
    uri = "file:///tmp/ecslint-bench/taskdef.json"
    ident = client.send(
        "initialize", {"processId": None, "rootUri": None, "capabilities": {}}, request=True
    )
    client.wait_for(lambda m: m.get("id") == ident)
    client.send("initialized", {})
    text = task_definition()

    def published(version: int) -> Any:
        return lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"].get("version") == version
        )

    started = time.perf_counter()
    client.send(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}},
    )
    first = client.wait_for(published(1))
    opened = time.perf_counter() - started
    times = []
    for version in range(2, args.changes + 2):
        changed = text.replace('"SETTING_3"', f'"SETTING_{version}"')  # one edit, as typed
        started = time.perf_counter()
        client.send(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": changed}],
            },
        )
        client.wait_for(published(version))
        times.append(time.perf_counter() - started)
    ident = client.send("shutdown", None, request=True)
    client.wait_for(lambda m: m.get("id") == ident)
    client.send("exit", None)
    client.process.wait(timeout=10)
    times.sort()
    ms = [t * 1000 for t in times]
    print(
        f"200-line task definition, {len(first['params']['diagnostics'])} diagnostics; "
        f"first open {opened * 1000:.1f} ms"
    )
    print(
        f"didChange -> publishDiagnostics over {len(ms)} changes: "
        f"median {statistics.median(ms):.1f} ms, "
        f"p90 {ms[int(len(ms) * 0.9) - 1]:.1f} ms, max {ms[-1]:.1f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
