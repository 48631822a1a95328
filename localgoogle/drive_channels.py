"""Drive v3 push notifications: `changes.watch` and `channels.stop`.

A channel watches its creator's change feed (https://developers.google.com/drive/api/guides/push);
`drive_push` delivers its messages. Only loopback addresses are accepted (plain `http` accepted
there; Google wants HTTPS on a verified domain). Wordings marked "approximate" are not confirmed
against Google's answers.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from flask import Response, request

from . import drive_common as dc
from . import drive_push
from .context import Caller, local_google
from .drive_routes import route
from .errors import ApiError
from .loopback import LOOPBACK_ONLY, is_loopback

DEFAULT_TTL_S = 3600
MAX_TTL_S = 604800  # "Changes resource: 604800 seconds" (the push guide's maximum expiration)


# ---------------------------------------------------------------- handlers


@route("POST", "drive.changes.watch")
def watch_changes(caller: Caller) -> dict[str, Any]:
    """https://developers.google.com/drive/api/reference/rest/v3/changes/watch"""
    token = caller.arg("pageToken") or ""
    if not token.isdigit() or int(token) < 1:
        raise dc.invalid_param("pageToken")
    spaces = (caller.arg("spaces") or "drive").split(",")
    if any(s not in ("drive", "appDataFolder", "photos") for s in spaces):
        raise dc.invalid_param("spaces")
    body = caller.body if isinstance(caller.body, dict) else {}
    channel_id = body.get("id")
    if not channel_id:
        raise _bad("Required: channel id.", "required", "resource.id")  # approximate
    if body.get("type") not in ("web_hook", "webhook"):
        raise _bad(f"Invalid channel type: {body.get('type')!r}.", "invalid", "resource.type")
    address = _address(body.get("address"))
    now_ms = drive_push.now_ms()
    meta: dict[str, Any] = {
        "id": channel_id,
        "resourceId": _resource_id(caller.email),
        "resourceUri": f"{request.host_url}drive/v3/changes?alt=json&pageToken={token}",
        "expiration": _expiration(body.get("expiration"), now_ms),
        "type": body["type"],
        "address": address,
        "params": body.get("params") or {},
        "email": caller.email,
        "includeRemoved": caller.flag("includeRemoved", True),
        "restrictToMyDrive": caller.flag("restrictToMyDrive"),
        "spaces": spaces,
        "synced": False,  # the worker sends `sync` first, as message 1
        "messageNumber": 0,  # the last number used
    }
    if body.get("token"):
        meta["token"] = body["token"]
    storage = local_google().storage
    notifier = drive_push.start_delivery(storage)
    with storage.transaction() as tx:
        existing = tx.channel(channel_id)
        if existing is not None and int(existing["expiration"]) > now_ms:
            # approximate: Google refuses a channel id already in use in the project
            raise _bad(f"Channel id {channel_id} not unique", "channelIdNotUnique", None)
        meta["cursor"] = tx.last_change_seq()  # notify of changes committed from now on
        tx.put_channel(meta)
        tx.after_commit(notifier.wake)
    return render(meta)


@route("POST", "drive.channels.stop")
def stop_channel(caller: Caller) -> Response:
    """https://developers.google.com/drive/api/reference/rest/v3/channels/stop"""
    body = caller.body if isinstance(caller.body, dict) else {}
    channel_id, resource_id = str(body.get("id") or ""), body.get("resourceId")
    with local_google().storage.transaction() as tx:
        meta = tx.channel(channel_id) or {"email": None}
        # Another user's channel answers 404 like a missing one: Drive never confirms that a
        # resource the caller may not touch exists. An expired channel is forgotten, as Google's.
        mine = meta.get("resourceId") == resource_id and meta.get("email") == caller.email
        if not mine or int(meta["expiration"]) <= drive_push.now_ms():
            # approximate: Google says "Channel 'X' not found for project 'N'"
            raise ApiError(404, f"Channel '{channel_id}' not found for project 'local-google'")
        tx.delete_channel(channel_id)
    return Response(status=204)


def render(meta: dict[str, Any]) -> dict[str, Any]:
    """The Channel resource `changes.watch` answers (token only if one was given)."""
    out = {k: meta[k] for k in ("id", "resourceId", "resourceUri", "token") if meta.get(k)}
    return {"kind": "api#channel", **out, "expiration": str(meta["expiration"])}


def _bad(message: str, reason: str, location: str | None) -> ApiError:
    return ApiError(400, message, reason=reason, location=location, location_type="parameter")


def _resource_id(email: str) -> str:
    """An opaque id of the watched resource: this user's change feed (stable per user)."""
    return hashlib.sha256(f"changes:{email.lower()}".encode()).hexdigest()[:27]


def _address(value: Any) -> str:
    """The channel's address: an http(s) URL on a loopback host, or 400."""
    text = str(value or "")
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.hostname:  # approximate wording
        raise _bad(f"WebHook callback must be HTTP(S): {text}", "push.webhookUrlNotHttps", None)
    if not is_loopback(parts.hostname):
        raise ApiError(
            400,
            f"Unauthorized WebHook callback channel: {text} ({LOOPBACK_ONLY})",
            reason="push.webhookUrlUnauthorized",
        )
    return text


def _expiration(value: Any, now_ms: int) -> int:
    """Requested expiration (ms since the epoch), 1 hour by default, capped at one week."""
    if value is None or value == "":
        return now_ms + DEFAULT_TTL_S * 1000
    try:
        wanted = int(str(value))
    except ValueError:
        raise _bad("Invalid value for expiration.", "invalid", "resource.expiration") from None
    if wanted <= now_ms:  # approximate wording
        raise _bad("Channel expiration must be in the future.", "invalid", "resource.expiration")
    return min(wanted, now_ms + MAX_TTL_S * 1000)
