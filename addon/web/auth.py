"""Who may call the job endpoints: App Engine cron, Cloud Tasks, or a verified OIDC token.

On App Engine, `X-Appengine-Cron` and `X-AppEngine-QueueName` (App Engine-targeted tasks) are
stripped from outside requests, so their presence proves the caller. `X-CloudTasks-*` headers
are not stripped (anyone can send them), so HTTP-target tasks must bring an ID token
(https://cloud.google.com/appengine/docs/standard/scheduling-jobs-with-cron-yaml#securing_urls_for_cron,
https://cloud.google.com/tasks/docs/creating-appengine-handlers#reading-headers). Elsewhere a
caller must present a Google-signed ID token for the endpoint's URL whose email is one of
MAP_JOB_CALLERS.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Request, abort, current_app, request

from ..config import Config
from ..google.idtokens import CertsUnavailable, InvalidIdToken, verify_addon_token

F = TypeVar("F", bound=Callable[..., Any])


def on_app_engine() -> bool:
    return os.environ.get("GAE_ENV", "").startswith("standard")


def endpoint_url(config: Config, req: Request) -> str:
    """The URL Google signs tokens for: the public base URL plus the path, no query string."""
    return config.addon_audience.rstrip("/") + req.path


def verify_bearer(
    config: Config, req: Request, allowed: tuple[str, ...], refused: int = 403
) -> dict[str, Any]:
    """The verified claims of the request's bearer ID token, or a 401 (`refused` for a valid
    token from a caller who is not allowed)."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401, "a Google-signed ID token is required")
    try:
        claims = verify_addon_token(
            header.removeprefix("Bearer ").strip(),
            audience=endpoint_url(config, req),
            certs_url=config.certs_url,
        )
    except InvalidIdToken as exc:
        abort(401, f"invalid ID token: {exc}")
    except CertsUnavailable:
        abort(503, "cannot fetch Google's certificates to verify the caller")
    email = str(claims.get("email", "")).lower()
    if email not in allowed or not claims.get("email_verified", False):
        abort(refused, "this caller is not allowed here")
    return claims


def job_caller(view: F) -> F:
    """Run the view only for App Engine cron / Cloud Tasks or a verified job caller."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        config: Config = current_app.config["MAP"]
        trusted_header = request.headers.get("X-Appengine-Cron") == "true" or bool(
            request.headers.get("X-AppEngine-QueueName")
        )
        if not (on_app_engine() and trusted_header):
            verify_bearer(config, request, config.job_callers)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
