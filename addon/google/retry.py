"""Run Google API requests with truncated exponential backoff and full jitter.

Google asks clients to retry 429s, 5xx and Drive's rate-limit 403s with exponential backoff
(https://developers.google.com/sheets/api/limits#exponential,
https://developers.google.com/drive/api/guides/limits), and to honour `Retry-After`. The delay
before retry n (n = 1, 2, ...) is uniform in [0, min(max_delay, initial_delay * multiplier**(n-1))]
("full jitter", https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), and
never less than the server's `Retry-After`.

Every attempt is counted in a `RequestCounter`; every failure leaves as a `GoogleApiError`.
"""

from __future__ import annotations

import logging
import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import gspread.exceptions
import httplib2
from googleapiclient.errors import HttpError

from .accounting import RequestCounter, default_counter
from .errors import (
    GoogleApiError,
    RateLimited,
    TransportFailure,
    from_gspread_error,
    from_http_error,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

# Statuses worth another try: quota (429) and transient server failures. 501 is permanent.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

# No response at all. requests' exceptions derive from OSError; socket timeouts are TimeoutError.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (OSError, httplib2.HttpLib2Error)


class ApiRequest(Protocol):
    """What `execute` needs of a google-api-python-client `HttpRequest` (plus `methodId`)."""

    def execute(self, http: Any = None, num_retries: int = 0) -> Any: ...


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to try, and how long to wait in between.

    `sleep` and `random` (a float in [0, 1)) are injectable so tests neither wait nor guess.
    A `Retry-After` longer than `max_delay` is not waited out: the error is raised at once, for the
    caller (a task queue, a cron tick) to come back later.
    """

    max_attempts: int = 6
    initial_delay: float = 1.0
    max_delay: float = 32.0
    multiplier: float = 2.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    random: Callable[[], float] = field(default=_random.random, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.initial_delay < 0 or self.max_delay < 0 or self.multiplier < 1:
            raise ValueError("delays must be >= 0 and multiplier >= 1")

    def backoff(self, retry: int) -> float:
        """The jittered delay before retry number `retry` (1 = the second attempt)."""
        ceiling = min(self.max_delay, self.initial_delay * self.multiplier ** (retry - 1))
        return ceiling * self.random()


DEFAULT = RetryPolicy()
NO_RETRY = RetryPolicy(max_attempts=1)


def is_retryable(error: GoogleApiError, *, idempotent: bool = True) -> bool:
    """Whether the same request may succeed if sent again.

    A rate-limited request was refused before Google acted on it, so it is always safe to resend.
    A 5xx or a lost connection may come after the change was applied: resending a non-idempotent
    request (`values.append`, `spreadsheets.create`) could apply it twice.
    """
    if isinstance(error, RateLimited):
        return True
    if not idempotent:
        return False
    return isinstance(error, TransportFailure) or error.status in RETRYABLE_STATUSES


def execute(
    request: ApiRequest,
    *,
    method: str | None = None,
    policy: RetryPolicy = DEFAULT,
    idempotent: bool = True,
    counter: RequestCounter | None = None,
) -> dict[str, Any]:
    """Execute a google-api-python-client request for its JSON body, retrying what Google says to.

    `method` names the call in errors and logs (default: the request's discovery `methodId`);
    attempts are counted under the `methodId`, as the stand-in counts them. Pass
    `idempotent=False` for requests that must not be applied twice (`values.append`).
    Raises a `GoogleApiError` subclass; never `HttpError` or a connection error.
    """
    result = execute_raw(
        request, method=method, policy=policy, idempotent=idempotent, counter=counter
    )
    if result is None or result == "" or result == b"":
        return {}  # methods with an empty response: files.delete, channels.stop
    if not isinstance(result, dict):
        raise TypeError(
            f"{_method_id(request, method)} returned {type(result).__name__}, "
            "not a JSON object; use execute_raw"
        )
    return result


def execute_raw(
    request: ApiRequest,
    *,
    method: str | None = None,
    policy: RetryPolicy = DEFAULT,
    idempotent: bool = True,
    counter: RequestCounter | None = None,
) -> Any:
    """Like `execute`, but return what the library returns: bytes for `files.export` and media."""
    label = _method_id(request, method)
    count_as = getattr(request, "methodId", None) or label
    tally = counter or default_counter()

    def attempt() -> Any:
        tally.record(count_as)
        try:
            return request.execute(num_retries=0)
        except HttpError as exc:
            raise from_http_error(exc, method=label) from exc
        except CONNECTION_ERRORS as exc:
            raise TransportFailure(f"{type(exc).__name__}: {exc}", method=label) from exc

    return _run(attempt, label, policy, idempotent)


def _method_id(request: ApiRequest, method: str | None) -> str:
    return method or getattr(request, "methodId", None) or "unknown"


def call_with_retry(
    fn: Callable[[], T],
    *,
    method: str | None = None,
    policy: RetryPolicy = DEFAULT,
    idempotent: bool = True,
) -> T:
    """Call a gspread operation (`lambda: worksheet.get_values("A1:C9")`) with the same retries.

    gspread's own HTTP client counts its requests (see `clients.gspread_client`); this only
    retries and translates `gspread.exceptions.APIError` and connection errors.
    """
    label = method or getattr(fn, "__qualname__", None) or "gspread"

    def attempt() -> T:
        try:
            return fn()
        except gspread.exceptions.APIError as exc:
            raise from_gspread_error(exc, method=label) from exc
        except gspread.exceptions.GSpreadException as exc:
            cause = exc.__cause__
            if isinstance(cause, gspread.exceptions.APIError):  # SpreadsheetNotFound & co.
                raise from_gspread_error(cause, method=label) from exc
            raise
        except CONNECTION_ERRORS as exc:
            raise TransportFailure(f"{type(exc).__name__}: {exc}", method=label) from exc

    return _run(attempt, label, policy, idempotent)


def _run(attempt: Callable[[], T], method_id: str, policy: RetryPolicy, idempotent: bool) -> T:
    """Call `attempt` until it returns, fails for good, or runs out of attempts."""
    number = 1
    while True:
        try:
            return attempt()
        except GoogleApiError as error:
            if number >= policy.max_attempts or not is_retryable(error, idempotent=idempotent):
                raise
            delay = policy.backoff(number)
            if error.retry_after is not None:
                if error.retry_after > policy.max_delay:
                    raise
                delay = max(delay, error.retry_after)
            log.info(
                "%s failed (%s, attempt %d of %d); retrying in %.2fs",
                method_id,
                error.status or type(error).__name__,
                number,
                policy.max_attempts,
                delay,
            )
            policy.sleep(delay)
            number += 1
