"""The local Google stand-in as a Flask app: Sheets v4, Drive v3, Cloud Tasks v2, Gmail v1, ID
tokens, stats, a small UI with an outbox.

The app imports the API modules (their routers and blueprints); they import what a handler
needs from `context`, never the app.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from . import (
    drive_api,
    drive_changes,
    drive_upload,
    enum_encoding,
    fieldmask,
    gmail_api,
    gmail_upload,
    local_api,
    schema,
    sheets_api,
    tasks_api,
    ui,
    ui_mail,
)
from .context import Caller, LocalGoogle, caller_email, error_response, json_response, local_google
from .errors import ApiError
from .knobs import Accounting, Knobs
from .routing import Route, Router
from .storage import Storage

log = logging.getLogger(__name__)


def _raw_path() -> str:
    """The request path as sent, still percent-encoded, without the leading slash."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    path = raw.split("?", 1)[0] if raw else request.full_path.split("?", 1)[0]
    if "://" in path:  # absolute-form request target
        path = "/" + path.split("://", 1)[1].split("/", 1)[1]
    return path.lstrip("/")


def _parse_body() -> Any:
    if not request.data:
        return None
    try:
        return json.loads(request.data)
    except ValueError as exc:
        raise ApiError(400, f"Invalid JSON payload received. {exc}") from exc


def dispatch(api: str) -> Response:
    """Serve one API request: route, authenticate, count, knobs, validate, handle, mask."""
    lg = local_google()
    try:
        found = lg.routers[api].resolve(request.method, _raw_path())
        if found is None:
            raise ApiError(404, f"Method not found: {request.method} {request.path}")
        route, params = found
        email = caller_email()
        lg.accounting.count(route.method_id, email)
        lg.accounting.delay()
        lg.accounting.check_quota(email, api)
        lg.accounting.maybe_fail()
        if route.handler is None:
            raise ApiError(
                501,
                f"The local Google stand-in does not implement {route.method_id}.",
                reason="notImplemented",
            )
        args = request.args.to_dict(flat=False)
        numeric = enum_encoding.numeric_enums(args)
        if numeric:
            args = enum_encoding.query_enum_names(route.method_id, args)
        schema.validate_query(route.method_id, args)
        body = _parse_body()
        if numeric:
            body = enum_encoding.body_enum_names(route.method_id, body)
        schema.validate_body(route.method_id, body)
        caller = Caller(email=email, args=args, body=schema.drop_unknown(route.method_id, body))
        result = route.handler(caller, **params)
        if request.method != "GET":
            lg.accounting.maybe_fail_after_write()
        if isinstance(result, Response):
            return result
        return json_response(_masked(result, caller, route))
    except ApiError as error:
        return error_response(error, api)
    except Exception:  # a bug in the stand-in: answer as Google does, and say so in the log
        log.exception("local Google failed on %s %s", request.method, request.path)
        return error_response(ApiError(500, "Internal error encountered."), api)


def _masked(result: Any, caller: Caller, route: Route) -> Any:
    fields = caller.arg("fields") or route.default_fields
    if not fields or fields == "*":
        return result
    return fieldmask.apply(result, fieldmask.parse(fields))


def create_app(
    data_dir: Path,
    knobs: Knobs | None = None,
    routers: Iterable[Router] | None = None,
) -> Flask:
    """Build the stand-in app over the SQLite store in `data_dir`."""
    app = Flask(__name__)
    lg = LocalGoogle(
        storage=Storage(data_dir),
        accounting=Accounting(knobs or Knobs()),
        data_dir=data_dir,
    )
    default = (sheets_api.router(), drive_api.router(), tasks_api.router(), gmail_api.router())
    for router in routers or default:
        lg.routers[router.api] = router
    app.extensions["localgoogle"] = lg

    app.add_url_rule(
        "/v4/<path:rest>",
        "sheets",
        lambda rest: dispatch("sheets"),
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    )
    app.add_url_rule(
        "/drive/v3/<path:rest>",
        "drive",
        lambda rest: dispatch("drive"),
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    )
    app.add_url_rule(
        "/v2/<path:rest>",
        "cloudtasks",
        lambda rest: dispatch("cloudtasks"),
        methods=["GET", "POST", "PATCH", "DELETE"],
    )
    app.add_url_rule(
        "/gmail/v1/<path:rest>",
        "gmail",
        lambda rest: dispatch("gmail"),
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    )
    app.register_blueprint(local_api.bp)
    app.register_blueprint(gmail_upload.bp)
    app.register_blueprint(drive_upload.bp)
    app.register_blueprint(drive_changes.export_bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(ui_mail.bp)
    app.register_blueprint(ui_mail.outbox_bp)
    app.config["SECRET_KEY"] = secrets.token_hex(16)
    return app
