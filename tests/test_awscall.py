"""The one wrapper every AWS call goes through (``ecslint.sources.awscall``): retries
only what is worth retrying, a bounded number of times, never past the deadline."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("botocore")

from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from ecslint.sources.awscall import ATTEMPTS, AwsCallFailed, Deadline, aws_call, in_order


def client_error(code: str, status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": f"{code}!"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "DescribeTaskDefinition",
    )


def test_throttling_is_retried_with_growing_pauses_then_answered() -> None:
    calls: list[int] = []
    pauses: list[float] = []

    def throttled() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise client_error("ThrottlingException")
        return "described"

    assert aws_call(throttled, "ecs:Describe", Deadline(30), sleep=pauses.append) == "described"
    assert len(calls) == 3 and len(pauses) == 2
    assert 0.25 <= pauses[0] < 0.75 and 0.5 <= pauses[1] < 1.5


def test_always_throttled_ends_after_the_attempts_with_the_code() -> None:
    calls: list[int] = []
    pauses: list[float] = []

    def throttled() -> str:
        calls.append(1)
        raise client_error("ThrottlingException")

    with pytest.raises(AwsCallFailed) as failed:
        aws_call(throttled, "ecs:Describe web", Deadline(30), sleep=pauses.append)
    assert len(calls) == ATTEMPTS == 4 and len(pauses) == 3
    assert sum(pauses) < 0.5 * 1.5 + 1 * 1.5 + 2 * 1.5  # 5.25 s at most
    assert failed.value.code == "ThrottlingException"
    assert (
        str(failed.value)
        == "ecs:Describe web: ThrottlingException: ThrottlingException! (after 4 attempts)"
    )


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (client_error("AccessDeniedException"), False),
        (client_error("NoSuchEntity", 404), False),
        (client_error("InternalFailure", 500), True),
        (client_error("", 503), True),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), True),
        (ReadTimeoutError(endpoint_url="http://127.0.0.1:1"), True),
        (NoCredentialsError(), False),
        (ValueError("not XML"), False),
    ],
)
def test_what_is_retried(error: Exception, retried: bool) -> None:
    calls: list[int] = []

    def failing() -> str:
        calls.append(1)
        raise error

    with pytest.raises(AwsCallFailed):
        aws_call(failing, "iam:GetRole web", Deadline(30), sleep=lambda _: None)
    assert len(calls) == (ATTEMPTS if retried else 1)


def test_a_call_that_never_answers_ends_at_the_deadline() -> None:
    never = threading.Event()
    start = time.monotonic()
    with pytest.raises(AwsCallFailed) as failed:
        aws_call(never.wait, "iam:GetRole web", Deadline(0.3))
    assert time.monotonic() - start < 1.0
    assert failed.value.reason == "no answer within 0.3 s (--aws-timeout)"
    never.set()


def test_no_pause_past_the_deadline() -> None:
    pauses: list[float] = []

    def throttled() -> str:
        raise client_error("Throttling")

    with pytest.raises(AwsCallFailed) as failed:
        aws_call(throttled, "ecs:Describe web", Deadline(0.2), sleep=pauses.append)
    assert pauses == [] or sum(pauses) < 0.2
    assert "deadline came first" in failed.value.reason


def test_credentials_and_connections_mark_the_account_unreachable() -> None:
    def no_credentials() -> str:
        raise NoCredentialsError()

    with pytest.raises(AwsCallFailed) as failed:
        aws_call(no_credentials, "iam:GetRole web", Deadline(5))
    assert failed.value.unreachable and "Unable to locate credentials" in failed.value.reason

    def timeout() -> str:
        raise ReadTimeoutError(endpoint_url="http://x")

    with pytest.raises(AwsCallFailed) as failed:
        aws_call(timeout, "iam:GetRole web", Deadline(5), sleep=lambda _: None)
    assert not failed.value.unreachable  # one request's bad luck, not the account's


def test_in_order_yields_in_the_order_listed_whatever_finishes_first() -> None:
    def slow_first(n: int) -> str:
        time.sleep(0.05 * (5 - n))  # the first item finishes last
        if n == 3:
            raise RuntimeError("broken")
        return f"done {n}"

    def failed(n: int, exc: BaseException) -> str:
        return f"failed {n}: {exc}"

    results = list(in_order(slow_first, list(range(5)), 3, failed))
    assert results == ["done 0", "done 1", "done 2", "failed 3: broken", "done 4"]


def test_in_order_takes_no_more_items_once_the_reader_stops() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            started.append(n)
        time.sleep(0.02)
        return n

    results = in_order(work, list(range(100)), 2, lambda n, exc: -1)
    assert next(results) == 0
    results.close()  # the reader goes away
    time.sleep(0.2)
    assert len(started) <= 4  # the two threads finish what they hold, then stop
