"""The stand-in's own endpoints under /_local (stats, ID tokens) and Google's cert URL."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from .context import json_response, local_google
from .errors import ApiError

bp = Blueprint("local", __name__)


@bp.get("/_local/health")
def health() -> Response:
    return json_response({"status": "ok"})


@bp.get("/_local/stats")
def stats() -> Response:
    """Requests counted by discovery method id and by user since the last reset."""
    return json_response(local_google().accounting.snapshot())


@bp.post("/_local/stats/reset")
def reset_stats() -> Response:
    local_google().accounting.reset()
    return json_response(local_google().accounting.snapshot())


@bp.route("/_local/clock", methods=["GET", "POST"])
def clock() -> Response:
    """The stand-in's clock, which stamps Drive's times (modifiedTime, revisions, the change
    feed): POST {"now": "2026-11-13T09:00:00Z"} sets it, {"now": null} puts it back on the wall
    clock. A stand-in control, not a Google API: Google's clock cannot be set."""
    from datetime import UTC, datetime

    from .access import utc_now

    running = local_google()
    if request.method == "POST":
        body: dict[str, Any] = request.get_json(silent=True) or {}
        wanted = body.get("now")
        if wanted is None:
            running.clock_offset = 0.0
        else:
            try:
                at = datetime.fromisoformat(str(wanted).replace("Z", "+00:00"))
            except ValueError:
                at = None
            if at is None or at.tzinfo is None:
                err = ApiError(400, "'now' must be an RFC 3339 time with a zone, or null.")
                return json_response(err.body("local"), 400)
            running.clock_offset = (at - datetime.now(UTC)).total_seconds()
    now = utc_now()
    return json_response(
        {"now": now.isoformat().replace("+00:00", "Z"), "offset_seconds": running.clock_offset}
    )


@bp.post("/_local/id-token")
def id_token() -> Response:
    """Mint a Google-style ID token: body {"audience": ..., "email": ...}."""
    from .idtoken import issuer

    body: dict[str, Any] = request.get_json(silent=True) or {}
    audience, email = body.get("audience"), body.get("email")
    if not isinstance(audience, str) or not isinstance(email, str) or not audience or not email:
        err = ApiError(400, "Both 'audience' and 'email' are required strings.")
        return json_response(err.body("local"), 400)
    lifetime = int(body.get("lifetime_seconds", 3600))
    token = issuer(local_google().data_dir).mint(audience, email, lifetime)
    return json_response({"id_token": token})


@bp.get("/oauth2/v1/certs")
def certs() -> Response:
    """The verification certificates, in the format of https://www.googleapis.com/oauth2/v1/certs."""
    from .idtoken import issuer

    resp = json_response(issuer(local_google().data_dir).certs())
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp
