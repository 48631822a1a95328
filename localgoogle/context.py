"""What every handler of a request shares: the caller, the running stand-in, JSON answers.

`app` dispatches requests and the API modules answer them; both import this module, which imports
neither, so the app can import its handlers without the handlers importing the app.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Response, current_app, request

from .errors import ApiError
from .knobs import Accounting
from .routing import Router
from .storage import Storage

_BEARER = re.compile(r"Bearer\s+local:(?P<email>[^\s@]+@[^\s@]+)\s*$", re.IGNORECASE)


@dataclass
class Caller:
    """Who made an API request, and the request's parsed parts."""

    email: str
    args: dict[str, list[str]]
    body: Any = None

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.args.get(name)
        return values[-1] if values else default

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.arg(name)
        return default if value is None else value.lower() == "true"

    def arg_list(self, name: str) -> list[str]:
        return list(self.args.get(name, []))


@dataclass
class LocalGoogle:
    """Everything one running stand-in holds: its store, knobs and counters."""

    storage: Storage
    accounting: Accounting
    data_dir: Path
    routers: dict[str, Router] = field(default_factory=dict)
    # Seconds Drive's timestamps run behind (negative) or ahead of the wall clock: set at
    # /_local/clock so that a demo can play, in a minute, the weeks that led to today.
    clock_offset: float = 0.0


def local_google() -> LocalGoogle:
    """The stand-in serving the current request."""
    return current_app.extensions["localgoogle"]


def json_response(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        status=status,
        content_type="application/json; charset=UTF-8",
    )


def error_response(error: ApiError, api: str) -> Response:
    resp = json_response(error.body(api), error.code)
    if error.code == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="https://accounts.google.com/"'
    return resp


def caller_email() -> str:
    """The email of the request's `Authorization: Bearer local:<email>`, or 401."""
    header = request.headers.get("Authorization", "")
    if not header:
        raise ApiError(
            401,
            "Request is missing required authentication credential. Expected OAuth 2 access "
            "token, login cookie or other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.",
            reason="required",
            location="Authorization",
            location_type="header",
        )
    m = _BEARER.match(header)
    if not m:
        raise ApiError(
            401,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, "
            "login cookie or other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.",
            reason="authError",
            location="Authorization",
            location_type="header",
        )
    return m.group("email").lower()
