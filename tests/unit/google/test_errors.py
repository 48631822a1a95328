"""Google's error bodies become this project's exceptions, whichever library saw them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httplib2
import pytest
import requests
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError

from addon.google.errors import (
    Conflict,
    GoogleApiError,
    InvalidRequest,
    NotFound,
    NotImplementedByBackend,
    PermissionDenied,
    RateLimited,
    ServerError,
    Unauthenticated,
    from_gspread_error,
    from_http_error,
    parse_retry_after,
)

BODIES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "google_error_bodies.json").read_text()
)


def http_error(status: int, body: bytes, **headers: str) -> HttpError:
    resp = httplib2.Response({"status": str(status), **headers})
    resp.reason = "Reason Phrase"
    return HttpError(resp, body, uri="https://sheets.googleapis.com/v4/spreadsheets/x")


def gspread_error(status: int, body: bytes, **headers: str) -> APIError:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers)
    response.reason = "Reason Phrase"
    return APIError(response)


@pytest.mark.parametrize(
    ("name", "cls", "reason"),
    [
        ("sheets_400_range", InvalidRequest, None),
        ("sheets_401", Unauthenticated, "ACCESS_TOKEN_EXPIRED"),
        ("drive_403_insufficient_permissions", PermissionDenied, "insufficientFilePermissions"),
        ("drive_403_user_rate_limit", RateLimited, "userRateLimitExceeded"),
        ("sheets_404", NotFound, None),
        ("drive_404_file", NotFound, "notFound"),
        ("drive_409_channel", Conflict, "duplicate"),
        ("sheets_429_read_quota", RateLimited, "RATE_LIMIT_EXCEEDED"),
        ("sheets_500", ServerError, None),
        ("sheets_503", ServerError, None),
        ("sheets_501", NotImplementedByBackend, "notImplemented"),
    ],
)
def test_each_real_google_body_maps_to_its_narrow_class_from_both_libraries(
    name: str, cls: type[GoogleApiError], reason: str | None
) -> None:
    body = json.dumps(BODIES[name]).encode()
    status = BODIES[name]["error"]["code"]
    for error in (
        from_http_error(http_error(status, body), method="sheets.spreadsheets.values.get"),
        from_gspread_error(gspread_error(status, body), method="sheets.spreadsheets.values.get"),
    ):
        assert type(error) is cls
        assert error.status == status
        assert error.reason == reason
        assert error.message == BODIES[name]["error"]["message"]
        assert error.method == "sheets.spreadsheets.values.get"


def test_status_name_is_kept_from_sheets_bodies() -> None:
    error = from_http_error(http_error(429, json.dumps(BODIES["sheets_429_read_quota"]).encode()))
    assert error.status_name == "RESOURCE_EXHAUSTED"


def test_a_403_rate_limit_is_rate_limited_but_other_403s_are_permission_denied() -> None:
    limited = json.dumps(BODIES["drive_403_user_rate_limit"]).encode()
    denied = json.dumps(BODIES["drive_403_insufficient_permissions"]).encode()
    assert isinstance(from_http_error(http_error(403, limited)), RateLimited)
    assert not isinstance(from_http_error(http_error(403, denied)), RateLimited)


def test_an_html_502_from_the_front_end_becomes_a_server_error_titled_by_the_page() -> None:
    html = (
        b"<!DOCTYPE html>\n<html lang=en><title>Error 502 (Server Error)!!1</title>\n" + b"x" * 5000
    )
    error = from_http_error(http_error(502, html))
    assert isinstance(error, ServerError)
    assert error.status == 502
    assert error.message == "Error 502 (Server Error)!!1"


def test_a_long_plain_text_body_is_cut_to_one_short_line() -> None:
    error = from_http_error(http_error(500, b"upstream\nfailure " + b"y" * 5000))
    assert error.message.startswith("upstream failure yyy")
    assert len(error.message) == 200


def test_an_empty_body_falls_back_to_the_http_reason_phrase() -> None:
    error = from_http_error(http_error(404, b""))
    assert isinstance(error, NotFound)
    assert error.message == "Reason Phrase"


def test_gspread_errors_with_unparseable_bodies_keep_the_http_status() -> None:
    error = from_gspread_error(gspread_error(503, b"upstream connect error"))
    assert isinstance(error, ServerError)
    assert error.status == 503
    assert error.message == "upstream connect error"


def test_retry_after_header_is_read_from_both_libraries() -> None:
    body = json.dumps(BODIES["sheets_429_read_quota"]).encode()
    assert from_http_error(http_error(429, body, **{"retry-after": "7"})).retry_after == 7.0
    assert from_gspread_error(gspread_error(429, body, **{"Retry-After": "3"})).retry_after == 3.0
    assert from_http_error(http_error(429, body)).retry_after is None


def test_retry_after_accepts_http_dates_and_rejects_garbage() -> None:
    now = 1_700_000_000.0  # Tue, 14 Nov 2023 22:13:20 GMT
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now=now) == 30.0
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


def test_errors_read_as_one_line_with_status_method_and_reason() -> None:
    error = from_http_error(
        http_error(403, json.dumps(BODIES["drive_403_user_rate_limit"]).encode()),
        method="drive.permissions.create",
    )
    assert (
        str(error)
        == "403 drive.permissions.create: User Rate Limit Exceeded (userRateLimitExceeded)"
    )
