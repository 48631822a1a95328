"""`POST /hooks/drive`: Drive push notifications for the product's change-feed channel."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask.typing import ResponseReturnValue

from .resources import services

bp = Blueprint("hooks", __name__, url_prefix="/hooks")


@bp.post("/drive")
def drive() -> ResponseReturnValue:
    """Check the channel's token and message order; acknowledge `sync`; start a watch tick.

    https://developers.google.com/drive/api/guides/push#receiving-notifications
    """
    channel_id = request.headers.get("X-Goog-Channel-ID", "")
    token = request.headers.get("X-Goog-Channel-Token", "")
    state = request.headers.get("X-Goog-Resource-State", "")
    try:
        number = int(request.headers.get("X-Goog-Message-Number", ""))
    except ValueError:
        abort(400, "X-Goog-Message-Number is missing or not a number")
    if not channel_id or not services().channels.accept(channel_id, token, number):
        abort(403, "unknown channel, wrong token, or a message already received")
    if state != "sync":
        services().ticker.trigger()
    return "", 200
