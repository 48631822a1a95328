"""The retry executor: backs off on what Google says to retry, fails fast on the rest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gspread.exceptions
import httplib2
import pytest
import requests
from googleapiclient.errors import HttpError

from addon.google.accounting import RequestCounter
from addon.google.errors import (
    InvalidRequest,
    NotFound,
    NotImplementedByBackend,
    PermissionDenied,
    RateLimited,
    ServerError,
    TransportFailure,
)
from addon.google.retry import RetryPolicy, call_with_retry, execute, execute_raw

BODIES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "google_error_bodies.json").read_text()
)


def google_error(name: str, **headers: str) -> HttpError:
    body = BODIES[name]
    resp = httplib2.Response({"status": str(body["error"]["code"]), **headers})
    return HttpError(resp, json.dumps(body).encode(), uri="https://sheets.googleapis.com/v4/x")


Outcome = BaseException | dict[str, Any] | str | bytes | None


class FakeRequest:
    """Stands in for googleapiclient's HttpRequest: raises or returns each scripted outcome."""

    def __init__(self, *outcomes: Outcome, method_id: str = "") -> None:
        self.methodId = method_id or "sheets.spreadsheets.values.get"
        self.outcomes = list(outcomes)
        self.calls: list[int] = []

    def execute(self, http: Any = None, num_retries: int = 0) -> Any:
        self.calls.append(num_retries)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


class RecordedSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def policy(sleep: RecordedSleep, jitter: float = 1.0, **kw: Any) -> RetryPolicy:
    """A policy that records its sleeps and draws `jitter` as its random fraction."""
    return RetryPolicy(sleep=sleep, random=lambda: jitter, **kw)


def test_a_successful_request_runs_once_without_library_retries() -> None:
    request = FakeRequest({"values": [["a"]]})
    sleep = RecordedSleep()
    assert execute(request, policy=policy(sleep)) == {"values": [["a"]]}
    assert request.calls == [0]
    assert sleep.delays == []


@pytest.mark.parametrize(
    "name", ["sheets_429_read_quota", "drive_403_user_rate_limit", "sheets_503"]
)
def test_transient_failures_are_retried_until_success(name: str) -> None:
    request = FakeRequest(google_error(name), google_error(name), {"ok": True})
    sleep = RecordedSleep()
    assert execute(request, policy=policy(sleep)) == {"ok": True}
    assert len(request.calls) == 3
    assert sleep.delays == [1.0, 2.0]


def test_delays_grow_exponentially_and_stop_at_max_delay() -> None:
    request = FakeRequest(*[google_error("sheets_500")] * 7, {"ok": True})
    sleep = RecordedSleep()
    execute(request, policy=policy(sleep, max_attempts=8, initial_delay=0.5, max_delay=5.0))
    assert sleep.delays == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_full_jitter_draws_each_delay_between_zero_and_the_exponential_ceiling() -> None:
    request = FakeRequest(*[google_error("sheets_503")] * 3, {"ok": True})
    sleep = RecordedSleep()
    execute(request, policy=policy(sleep, jitter=0.25, initial_delay=2.0))
    assert sleep.delays == [0.5, 1.0, 2.0]


def test_gives_up_after_max_attempts_with_the_mapped_error() -> None:
    request = FakeRequest(*[google_error("sheets_429_read_quota")] * 4)
    sleep = RecordedSleep()
    with pytest.raises(RateLimited) as caught:
        execute(request, policy=policy(sleep, max_attempts=4))
    assert len(request.calls) == 4
    assert len(sleep.delays) == 3
    assert caught.value.method == "sheets.spreadsheets.values.get"
    assert isinstance(caught.value.__cause__, HttpError)


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("sheets_404", NotFound),
        ("sheets_400_range", InvalidRequest),
        ("sheets_501", NotImplementedByBackend),
        ("drive_403_insufficient_permissions", PermissionDenied),
    ],
)
def test_permanent_failures_raise_at_once(name: str, cls: type[Exception]) -> None:
    request = FakeRequest(google_error(name), {"never": "reached"})
    sleep = RecordedSleep()
    with pytest.raises(cls) as caught:
        execute(request, policy=policy(sleep))
    assert not isinstance(caught.value, HttpError)
    assert len(request.calls) == 1
    assert sleep.delays == []


def test_connection_errors_are_retried_and_end_as_transport_failures() -> None:
    request = FakeRequest(
        ConnectionResetError("reset by peer"),
        TimeoutError("timed out"),
        httplib2.ServerNotFoundError("no such host"),
        OSError("network is unreachable"),
    )
    sleep = RecordedSleep()
    with pytest.raises(TransportFailure) as caught:
        execute(request, policy=policy(sleep, max_attempts=4))
    assert caught.value.status == 0
    assert len(request.calls) == 4


def test_non_idempotent_requests_retry_rate_limits_but_not_server_errors() -> None:
    sleep = RecordedSleep()
    limited = FakeRequest(google_error("sheets_429_read_quota"), {"updates": {}})
    assert execute(limited, policy=policy(sleep), idempotent=False) == {"updates": {}}
    failed = FakeRequest(google_error("sheets_503"), {"updates": {}})
    with pytest.raises(ServerError):
        execute(failed, policy=policy(sleep), idempotent=False)
    assert len(failed.calls) == 1


def test_retry_after_is_waited_when_longer_than_the_backoff() -> None:
    request = FakeRequest(google_error("sheets_429_read_quota", **{"retry-after": "9"}), {})
    sleep = RecordedSleep()
    execute(request, policy=policy(sleep, max_delay=30.0))
    assert sleep.delays == [9.0]


def test_retry_after_beyond_max_delay_raises_instead_of_waiting() -> None:
    request = FakeRequest(google_error("sheets_429_read_quota", **{"retry-after": "120"}), {})
    sleep = RecordedSleep()
    with pytest.raises(RateLimited) as caught:
        execute(request, policy=policy(sleep, max_delay=30.0))
    assert caught.value.retry_after == 120.0
    assert sleep.delays == []


def test_every_attempt_is_counted_under_the_request_method_id() -> None:
    counter = RequestCounter()
    request = FakeRequest(
        google_error("sheets_503"), {"ok": True}, method_id="sheets.spreadsheets.values.batchGet"
    )
    execute(request, policy=policy(RecordedSleep()), counter=counter)
    counts = counter.snapshot()
    assert dict(counts.by_method) == {"sheets.spreadsheets.values.batchGet": 2}
    assert counts.as_json() == {"sheets": 2, "drive": 0}


def test_an_explicit_method_name_labels_errors_while_counts_keep_the_method_id() -> None:
    counter = RequestCounter()
    request = FakeRequest(google_error("drive_404_file"), method_id="drive.files.get")
    with pytest.raises(NotFound) as caught:
        execute(
            request, method="drive.files.get(plan)", policy=policy(RecordedSleep()), counter=counter
        )
    assert caught.value.method == "drive.files.get(plan)"
    assert dict(counter.snapshot().by_method) == {"drive.files.get": 1}


@pytest.mark.parametrize("empty", [None, "", b""])
def test_an_empty_response_body_comes_back_as_an_empty_dict(empty: Outcome) -> None:
    assert execute(FakeRequest(empty), policy=policy(RecordedSleep())) == {}


def test_media_bodies_are_refused_by_execute_and_returned_by_execute_raw() -> None:
    xlsx = b"PK\x03\x04"
    with pytest.raises(TypeError, match="use execute_raw"):
        execute(FakeRequest(xlsx), policy=policy(RecordedSleep()))
    assert execute_raw(FakeRequest(xlsx), policy=policy(RecordedSleep())) == xlsx


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(multiplier=0.5)


def gspread_api_error(name: str) -> gspread.exceptions.APIError:
    response = requests.Response()
    response.status_code = BODIES[name]["error"]["code"]
    response._content = json.dumps(BODIES[name]).encode()
    return gspread.exceptions.APIError(response)


def test_call_with_retry_retries_gspread_rate_limits_and_returns_the_value() -> None:
    outcomes: list[Any] = [gspread_api_error("sheets_429_read_quota"), [["a", "b"]]]

    def read() -> Any:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    sleep = RecordedSleep()
    assert call_with_retry(read, method="gspread.get_values", policy=policy(sleep)) == [["a", "b"]]
    assert sleep.delays == [1.0]


def test_call_with_retry_unwraps_gspreads_not_found_wrappers() -> None:
    def open_missing() -> None:
        try:
            raise gspread_api_error("sheets_404")
        except gspread.exceptions.APIError as exc:
            raise gspread.exceptions.SpreadsheetNotFound(exc.response) from exc

    with pytest.raises(NotFound):
        call_with_retry(open_missing, policy=policy(RecordedSleep()))
