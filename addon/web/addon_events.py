"""Reading an add-on event: who is using the sidebar, what the form holds, what the button says.

https://developers.google.com/workspace/add-ons/concepts/event-objects
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, current_app, request

from ..config import Config
from ..google.idtokens import CertsUnavailable, InvalidIdToken, verify_addon_token


def event() -> dict[str, Any]:
    """The request's event object (400 if the body is not one)."""
    found = request.get_json(silent=True)
    if not isinstance(found, dict):
        abort(400, "the request body is not an add-on event object")
    return found


def user(event: dict[str, Any]) -> str:
    """The verified email of the person using the sidebar."""
    config: Config = current_app.config["MAP"]
    token = (event.get("authorizationEventObject") or {}).get("userIdToken", "")
    try:
        claims = verify_addon_token(
            token, audience=config.addon_user_audience, certs_url=config.certs_url
        )
    except InvalidIdToken as exc:
        abort(401, f"invalid user ID token: {exc}")
    except CertsUnavailable:
        abort(503, "cannot fetch Google's certificates")
    if not claims.get("email") or not claims.get("email_verified", False):
        abort(401, "the user ID token carries no verified email")
    return str(claims["email"]).lower()


def url(path: str) -> str:
    """The public URL of one of our endpoints: what a button's action names."""
    return current_app.config["MAP"].addon_audience.rstrip("/") + path


def inputs(event: dict[str, Any]) -> dict[str, str]:
    """Form values: text inputs and dropdowns as text, date pickers as YYYY-MM-DD.

    A date picker whose value is not a time (a malformed event) is kept as it came, so the
    form that reads it says it is not a date.
    """
    found = {}
    for name, value in ((event.get("commonEventObject") or {}).get("formInputs") or {}).items():
        strings = (value.get("stringInputs") or {}).get("value") or []
        if strings:
            found[name] = str(strings[0])
        elif "dateInput" in value:
            ms = (value["dateInput"] or {}).get("msSinceEpoch", 0)
            try:
                found[name] = datetime.fromtimestamp(int(ms) / 1000, UTC).date().isoformat()
            except (TypeError, ValueError, OverflowError, OSError):
                found[name] = str(ms)
    return found


def parameters(event: dict[str, Any]) -> dict[str, str]:
    """The parameters of the button that was clicked."""
    return dict((event.get("commonEventObject") or {}).get("parameters") or {})
