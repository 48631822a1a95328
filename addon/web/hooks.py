"""`POST /hooks/drive`: Drive push notifications for the product's change-feed channel."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask.typing import ResponseReturnValue

from .resources import services

bp = Blueprint("hooks", __name__, url_prefix="/hooks")

REFUSED = "unknown or expired channel, wrong token, or a message already received"


@bp.post("/drive")
def drive() -> ResponseReturnValue:
    """Check the channel's token, expiry and message order; acknowledge `sync`; start a tick.

    https://developers.google.com/drive/api/guides/push#receiving-notifications
    """
    channel_id = request.headers.get("X-Goog-Channel-ID", "")
    token = request.headers.get("X-Goog-Channel-Token", "")
    state = request.headers.get("X-Goog-Resource-State", "")
    try:
        number = int(request.headers.get("X-Goog-Message-Number", ""))
    except ValueError:
        abort(400, "X-Goog-Message-Number is missing or not a number")
    # We only ever register ASCII ids and tokens; secrets.compare_digest raises on anything else.
    if not (channel_id and channel_id.isascii() and token.isascii()) or not _live():
        abort(403, REFUSED)
    if not services().channels.accept(channel_id, token, number):
        abort(403, REFUSED)
    if state != "sync":
        services().ticker.trigger()
    return "", 200


def _live() -> bool:
    """Whether a channel is registered and not past its expiration (Drive stops it then)."""
    channels = services().channels
    channel = channels.current()
    now_ms = channels.now().timestamp() * 1000
    return channel is not None and int(channel["expiration_ms"]) > now_ms
