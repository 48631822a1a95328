"""Google API errors as this project's exceptions: one base class, one subclass per kind of failure.

Google answers errors as JSON (https://cloud.google.com/apis/design/errors#http_mapping):
`{"error": {"code", "message", "status", "details": [...]}}`. Drive v3 adds the legacy
`errors: [{"domain", "reason", "message"}]` list, and decides between "forbidden" and "slow down"
on a 403 only through `errors[0].reason`
(https://developers.google.com/drive/api/guides/handle-errors). Newer bodies carry the same idea in
a `google.rpc.ErrorInfo` entry of `details`.

The adapter translates `googleapiclient.errors.HttpError`, `gspread.exceptions.APIError` and
google-api-core's `GoogleAPICallError` (the google-cloud-* clients) here, so nothing above
`addon.google` ever sees a library's exception type.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Mapping
from typing import Any

import gspread.exceptions
from google.api_core.exceptions import GoogleAPICallError
from googleapiclient.errors import HttpError

# Drive's `errors[].reason` (and ErrorInfo's `reason`) values that make a 403 mean "slow down".
RATE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
)

_ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"
_HTML_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class GoogleApiError(Exception):
    """A request to a Google API failed.

    `status` is the HTTP status (0 when no response arrived), `reason` Drive's `errors[0].reason`
    or the ErrorInfo reason when the body has one, `message` Google's `error.message`, and `method`
    the discovery method id (`sheets.spreadsheets.values.get`) when the caller named it.
    `retry_after` is the `Retry-After` header in seconds, if the response had one.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        reason: str | None = None,
        method: str | None = None,
        status_name: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason
        self.method = method
        self.status_name = status_name
        self.retry_after = retry_after

    def __str__(self) -> str:
        where = f" {self.method}" if self.method else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.status}{where}: {self.message}{why}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, message={self.message!r}, "
            f"reason={self.reason!r}, method={self.method!r})"
        )


class InvalidRequest(GoogleApiError):
    """400: the request is malformed or names a bad range, field or value."""


class Unauthenticated(GoogleApiError):
    """401: the credentials are missing, expired or invalid."""


class PermissionDenied(GoogleApiError):
    """403 that is not a rate limit: the caller may not read or change this resource."""


class NotFound(GoogleApiError):
    """404: the spreadsheet, file or other resource does not exist (or is not visible)."""


class Conflict(GoogleApiError):
    """409: the resource already exists or was changed concurrently."""


class RateLimited(GoogleApiError):
    """429, or a 403 whose reason is a rate limit: retry later, more slowly."""


class ServerError(GoogleApiError):
    """5xx (other than 501): Google failed; the same request may succeed later."""


class NotImplementedByBackend(GoogleApiError):
    """501: the backend does not implement this method (the local stand-in says so for gaps)."""


class TransportFailure(GoogleApiError):
    """No HTTP response at all: connection refused or reset, DNS failure, timeout."""

    def __init__(self, message: str, *, method: str | None = None) -> None:
        super().__init__(0, message, method=method)


_BY_STATUS: dict[int, type[GoogleApiError]] = {
    400: InvalidRequest,
    401: Unauthenticated,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    429: RateLimited,
    501: NotImplementedByBackend,
}


def error_class(status: int, reason: str | None) -> type[GoogleApiError]:
    """The exception class for an HTTP status and Drive-style reason."""
    if status == 403 and reason in RATE_LIMIT_REASONS:
        return RateLimited
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if 500 <= status < 600:
        return ServerError
    return GoogleApiError


def from_body(
    status: int,
    body: bytes | str | Mapping[str, Any] | None,
    *,
    method: str | None = None,
    fallback_message: str = "",
    retry_after: float | None = None,
) -> GoogleApiError:
    """The exception for an HTTP error status and its (JSON, HTML or empty) body."""
    error = _error_object(body)
    message = error.get("message") if isinstance(error.get("message"), str) else None
    if message is None:
        message = _text(body) or fallback_message or f"HTTP {status}"
    code = error.get("code")
    if isinstance(code, int) and code > 0 and status <= 0:
        status = code
    status_name = error.get("status") if isinstance(error.get("status"), str) else None
    reason = _reason(error)
    cls = error_class(status, reason)
    return cls(
        status,
        message.strip(),
        reason=reason,
        method=method,
        status_name=status_name,
        retry_after=retry_after,
    )


def from_http_error(exc: HttpError, *, method: str | None = None) -> GoogleApiError:
    """Translate google-api-python-client's `HttpError` (raise the result `from exc`)."""
    resp = exc.resp
    status = int(getattr(resp, "status", 0) or 0)
    headers: Mapping[str, str] = resp if isinstance(resp, Mapping) else {}
    return from_body(
        status,
        exc.content,
        method=method,
        fallback_message=str(getattr(resp, "reason", "") or ""),
        retry_after=parse_retry_after(headers.get("retry-after")),
    )


def from_gspread_error(
    exc: gspread.exceptions.APIError, *, method: str | None = None
) -> GoogleApiError:
    """Translate gspread's `APIError` (raise the result `from exc`)."""
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    if status <= 0 and isinstance(exc.code, int):
        status = exc.code
    headers = getattr(response, "headers", None) or {}
    body: Mapping[str, Any] = {"error": exc.error} if isinstance(exc.error, Mapping) else {}
    if not isinstance(exc.error, Mapping) or exc.error.get("code") == -1:
        # gspread could not parse the body; it keeps the raw text as the message.
        body = {}
    return from_body(
        status,
        body or getattr(response, "text", None),
        method=method,
        fallback_message=str(getattr(response, "reason", "") or ""),
        retry_after=parse_retry_after(headers.get("Retry-After")),
    )


def from_api_call_error(exc: GoogleAPICallError, *, method: str | None = None) -> GoogleApiError:
    """Translate google-api-core's `GoogleAPICallError` (raise the result `from exc`).

    Its `code` is the HTTP status (gRPC errors map to one too); over REST the response body
    is Google's JSON error, read like any other.
    """
    response = exc.response
    content = getattr(response, "content", None)
    headers: Mapping[str, str] = getattr(response, "headers", None) or {}
    fallback = {"error": {"message": exc.message or str(exc), "status": _status_name_of(exc)}}
    error = from_body(
        int(exc.code or 0),
        content if _error_object(content) else fallback,
        method=method,
        retry_after=parse_retry_after(headers.get("Retry-After")),
    )
    if error.reason is None and exc.reason:
        error.reason = exc.reason
    return error


def _status_name_of(exc: GoogleAPICallError) -> str | None:
    status = exc.grpc_status_code
    return getattr(status, "name", None)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _error_object(body: bytes | str | Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The `error` object of a Google error body, or {} if the body is not one."""
    data: Any = body
    if isinstance(body, bytes | str):
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return {}
    if isinstance(data, list) and data:  # batch-style bodies: a list of error objects
        data = data[0]
    if isinstance(data, Mapping) and isinstance(data.get("error"), Mapping):
        return data["error"]
    return {}


def _reason(error: Mapping[str, Any]) -> str | None:
    """Drive's `errors[0].reason`, else the `reason` of a `google.rpc.ErrorInfo` detail."""
    errors = error.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
        reason = errors[0].get("reason")
        if isinstance(reason, str) and reason:
            return reason
    details = error.get("details")
    if isinstance(details, list):
        for detail in details:
            if isinstance(detail, Mapping) and detail.get("@type") == _ERROR_INFO_TYPE:
                reason = detail.get("reason")
                if isinstance(reason, str) and reason:
                    return reason
    return None


def _text(body: bytes | str | Mapping[str, Any] | None) -> str:
    """One short line from a non-JSON body: an HTML page's title (Google's front ends answer
    502s in HTML), else the start of the text."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not isinstance(body, str):
        return ""
    title = _HTML_TITLE.search(body)
    if title:
        return " ".join(title.group(1).split())[:200]
    if body.lstrip().startswith("<"):
        return ""
    return " ".join(body.split())[:200]
