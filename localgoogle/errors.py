"""Google's JSON error format, as the stand-in answers it.

Sheets v4 answers `{"error": {"code", "message", "status"}}`; Drive v3 adds an `errors[]` list with
`domain`, `reason`, `message` and, where it applies, `location`/`locationType`
(https://developers.google.com/drive/api/guides/handle-errors). The client libraries decide retries
and exception types from the HTTP status and, for Drive's 403s, from `errors[0].reason`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# HTTP status -> the canonical gRPC status name Google puts in `error.status`.
STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"

# HTTP status -> the Drive `errors[].reason` used when the caller names none.
DEFAULT_REASONS: dict[int, str] = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    429: "rateLimitExceeded",
    500: "backendError",
    501: "notImplemented",
    503: "backendError",
}

# APIs whose errors carry the older `errors[]` list: Drive v3 and Gmail v1 (Gmail's recorded
# "Recipient address required" answer has `errors: [{domain: global, reason: invalidArgument}]`,
# Byron/google-apis-rs issue 351).
ERRORS_LIST_APIS = ("drive", "gmail")
GMAIL_REASONS: dict[int, str] = {400: "invalidArgument"}


def _default_reason(api: str, code: int) -> str:
    if api == "gmail" and code in GMAIL_REASONS:
        return GMAIL_REASONS[code]
    return DEFAULT_REASONS.get(code, "backendError")


@dataclass
class ApiError(Exception):
    """An error the stand-in answers in Google's format; raise it anywhere in a handler."""

    code: int
    message: str
    reason: str | None = None  # Drive's errors[].reason; defaults by code
    location: str | None = None  # Drive: the parameter or field at fault
    location_type: str | None = None  # Drive: "parameter" or "header"
    status: str | None = None  # overrides STATUS_NAMES[code]
    # (field path, description) pairs, answered as a google.rpc.BadRequest detail.
    field_violations: list[tuple[str, str]] | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def violates(self, field: str, description: str | None = None) -> ApiError:
        """Name the request field at fault (once: the first one named is kept)."""
        if not self.field_violations:
            self.field_violations = [(field, description or self.message)]
        return self

    def body(self, api: str) -> dict[str, Any]:
        """The JSON body for `api` ("sheets", "drive", "gmail", "cloudtasks" or "local")."""
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "status": self.status or STATUS_NAMES.get(self.code, "UNKNOWN"),
        }
        if api in ERRORS_LIST_APIS or self.reason:
            item: dict[str, Any] = {
                "message": self.message,
                "domain": "usageLimits" if self.code == 429 else "global",
                "reason": self.reason or _default_reason(api, self.code),
            }
            if self.location:
                item["location"] = self.location
                item["locationType"] = self.location_type or "parameter"
            error["errors"] = [item]
        if self.field_violations and api not in ERRORS_LIST_APIS:  # they name fields in errors[]
            # https://cloud.google.com/apis/design/errors#error_details: a 400 for a request
            # field says which in a google.rpc.BadRequest detail (proto3: an empty field is left
            # out).
            violations = [
                {"field": f, "description": d} if f else {"description": d}
                for f, d in self.field_violations
            ]
            error["details"] = [{"@type": BAD_REQUEST_TYPE, "fieldViolations": violations}]
        return {"error": error}


def bad_request(message: str, **kw: Any) -> ApiError:
    return ApiError(400, message, **kw)


def not_found(message: str, **kw: Any) -> ApiError:
    return ApiError(404, message, **kw)


def permission_denied(message: str, **kw: Any) -> ApiError:
    return ApiError(403, message, **kw)


def not_implemented(what: str) -> ApiError:
    return ApiError(501, f"The local Google stand-in does not implement {what}.")
