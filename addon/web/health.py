"""Liveness and readiness endpoints."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The app answers; says which Google backend it is configured for."""
    config = current_app.config["MAP"]
    body = {"status": "ok", "backend": config.backend}
    if config.is_local:
        body["local_google_url"] = config.local_google_url
    return jsonify(body)
