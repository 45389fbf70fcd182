"""Every AWS call ecslint makes, through one wrapper: a deadline, bounded retries, one error.

:func:`aws_call` runs one botocore call (``lambda: client.describe_task_definition(...)``)
against a :class:`Deadline` (``--aws-timeout``: the most one family's describe, one list
page or one role's reads may take, retries included). Each attempt is one HTTP request
(botocore's own retries are off: :func:`client_config`), made on a daemon thread that is
waited for at most the time left, so an endpoint that never answers, or answers one byte
at a time, ends the call at the deadline. Throttling, 5xx answers and connection errors
are retried after a jittered exponential pause, at most :data:`ATTEMPTS` times in all and
never past the deadline. Whatever goes wrong ends as :class:`AwsCallFailed`, naming the
call and the reason: callers turn it into a finding (ECS246, ECS247), never a pass.

Worst case for an always-throttled call: :data:`ATTEMPTS` (4) requests and pauses of
0.5, 1 and 2 s, each times a jitter in [0.5, 1.5): at most 5.25 s of pauses, and never
more than the deadline in all. botocore is imported only when a call is made.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
Item = TypeVar("Item")

#: ``--aws-timeout``'s default, in seconds.
DEFAULT_TIMEOUT = 30
#: Requests per call at most (the first and three retries).
ATTEMPTS = 4
#: The first pause before a retry, in seconds; it doubles each time.
BASE_PAUSE = 0.5
#: How much of an exception's text a reason keeps (a garbage body can be long).
REASON_LENGTH = 300

THROTTLING = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
    }
)
TRANSIENT = frozenset(
    {
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "ServerException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)


class AwsCallFailed(Exception):
    """An AWS call that gave no usable answer: ``call`` names it, ``reason`` says why,
    ``code`` is AWS's error code when AWS answered with one (``NoSuchEntity``)."""

    def __init__(
        self,
        call: str,
        reason: str,
        code: str = "",
        retry: bool = False,
        unreachable: bool = False,
    ) -> None:
        super().__init__(f"{call}: {reason}")
        self.call = call
        self.reason = reason
        self.code = code
        #: Worth asking again (throttling, a 5xx, a connection error).
        self.retry = retry
        #: No call can succeed: the endpoint cannot be connected to, or there are no
        #: credentials (not one request's bad luck: a timeout or a torn connection).
        self.unreachable = unreachable

    def again(self, reason: str) -> AwsCallFailed:
        """The same failure with another reason (the retries it took)."""
        return AwsCallFailed(self.call, reason, self.code, False, self.unreachable)


class Deadline:
    """A number of seconds from now; :meth:`remaining` counts down to 0."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())


def client_config(timeout: float = DEFAULT_TIMEOUT) -> Any:
    """A botocore client config for :func:`aws_call`: one request per attempt, and socket
    timeouts no longer than the deadline (they end the thread of an abandoned attempt)."""
    from botocore.config import Config

    return Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        max_pool_connections=32,
        connect_timeout=min(5.0, timeout),
        read_timeout=min(20.0, timeout),
    )


def aws_call(
    call: Callable[[], T],
    what: str,
    deadline: Deadline,
    *,
    attempts: int = ATTEMPTS,
    base: float = BASE_PAUSE,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``call()``'s answer, retried with backoff while AWS throttles or fails transiently,
    within ``deadline``; :class:`AwsCallFailed` naming ``what`` otherwise."""
    for attempt in range(1, attempts + 1):
        try:
            return _attempt(call, what, deadline)
        except AwsCallFailed as failed:
            if not failed.retry:
                raise
            if attempt == attempts:
                raise failed.again(f"{failed.reason} (after {attempts} attempts)") from None
            pause = base * 2 ** (attempt - 1) * (0.5 + random.random())
            if pause >= deadline.remaining():
                raise failed.again(
                    f"{failed.reason} (after {attempt} attempt(s): "
                    f"the {deadline.seconds:g} s deadline came first)"
                ) from None
            sleep(pause)
    raise AssertionError("unreachable")


def _attempt(call: Callable[[], T], what: str, deadline: Deadline) -> T:
    """One request, on a daemon thread waited for at most the time left."""
    answer: list[T] = []
    error: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            answer.append(call())
        except BaseException as exc:  # handed to the caller's thread
            error.append(exc)
        finally:
            done.set()

    left = deadline.remaining()
    if left > 0:
        threading.Thread(target=run, name=f"aws {what}", daemon=True).start()
    if left <= 0 or not done.wait(left):
        raise AwsCallFailed(what, f"no answer within {deadline.seconds:g} s (--aws-timeout)")
    if error:
        raise _failure(what, error[0]) from None
    return answer[0]


def _failure(what: str, exc: BaseException) -> AwsCallFailed:
    """The exception of one attempt as an :class:`AwsCallFailed`, retriable or not."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectTimeoutError,
        CredentialRetrievalError,
        EndpointConnectionError,
        HTTPClientError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ProfileNotFound,
    )
    from botocore.exceptions import ConnectionError as BotoConnectionError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {}) if isinstance(exc.response, dict) else {}
        meta = exc.response.get("ResponseMetadata", {}) if isinstance(exc.response, dict) else {}
        code = str(error.get("Code") or "")
        status = meta.get("HTTPStatusCode") if isinstance(meta, dict) else None
        message = str(error.get("Message") or "")
        reason = f"{code or f'HTTP {status}'}: {message}" if message else code or f"HTTP {status}"
        retry = (
            code in THROTTLING or code in TRANSIENT or (isinstance(status, int) and status >= 500)
        )
        return AwsCallFailed(what, _short(reason), code, retry)
    if isinstance(exc, (BotoConnectionError, HTTPClientError)):
        cannot_connect = isinstance(exc, (EndpointConnectionError, ConnectTimeoutError))
        return AwsCallFailed(what, _short(str(exc)), retry=True, unreachable=cannot_connect)
    if isinstance(exc, BotoCoreError):  # no credentials, no Region, a bad parameter
        unusable = isinstance(
            exc,
            (
                NoCredentialsError,
                PartialCredentialsError,
                CredentialRetrievalError,
                NoRegionError,
                ProfileNotFound,
            ),
        )
        return AwsCallFailed(what, _short(str(exc)), unreachable=unusable)
    # A body botocore cannot parse (ResponseParserError is no BotoCoreError), or an
    # answer without the keys the caller reads.
    return AwsCallFailed(
        what, _short(f"an answer that cannot be read ({type(exc).__name__}: {exc})")
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def in_order(
    work: Callable[[Item], T],
    items: list[Item],
    workers: int,
    failed: Callable[[Item, BaseException], T],
    name: str = "ecslint aws",
) -> Iterator[T]:
    """``work(item)`` for each item on ``workers`` daemon threads, yielded in the order
    listed; ``failed(item, exc)`` stands for a work that raised. Daemon threads, so Ctrl-C
    (a KeyboardInterrupt in the reading thread) ends the run at once: no pool to wait for,
    and each thread's calls end at their deadline anyway. When the reader stops early, the
    threads take no more items."""
    results: list[Any] = [None] * len(items)
    ready = [threading.Event() for _ in items]
    pending = iter(range(len(items)))
    lock = threading.Lock()
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            with lock:
                index = next(pending, None)
            if index is None:
                return
            try:
                results[index] = work(items[index])
            except BaseException as exc:  # never leave the reader waiting
                results[index] = failed(items[index], exc)
            finally:
                ready[index].set()

    for _ in range(min(workers, len(items))):
        threading.Thread(target=run, name=name, daemon=True).start()
    try:
        for index, event in enumerate(ready):
            event.wait()
            yield results[index]
    finally:
        stop.set()
