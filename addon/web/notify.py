"""Stopping reminders: the link every message carries, and mail clients' one-click (RFC 8058).

GET shows what the link stops and a button; POST stops it (a mail client's one-click POST
carries `List-Unsubscribe=One-Click`). The token is signed (services/notify.py), so a link stops
only its own recipient's messages about its own deal; a mail scanner's GET stops nothing.
"""

from __future__ import annotations

from html import escape

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from ..services.notify import STOP_PATH, notify_secret, read_stop_token
from .resources import services

bp = Blueprint("notify", __name__)

PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8>"
    "<meta name=viewport content='width=device-width'><title>{title}</title>"
    "<body style='font-family:sans-serif;max-width:32em;margin:3em auto'>{body}</body></html>"
)


def _page(title: str, body: str, status: int = 200) -> ResponseReturnValue:
    html = PAGE.format(title=escape(title), body=body)
    return html, status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


@bp.route(STOP_PATH, methods=["GET", "POST"])
def stop() -> ResponseReturnValue:
    token = request.args.get("token", "")
    found = read_stop_token(notify_secret(services().store), token)
    if found is None:
        return _page("Link not valid", "<p>This link is not valid. Nothing was changed.</p>", 400)
    email, deal_id = found
    with services().store.transaction() as tx:
        deal = tx.deals.get(deal_id)
    what = f"reminders about {deal.name}" if deal else "these reminders"
    if request.method == "GET":
        form = (
            f"<p>Stop {escape(what)} for {escape(email)}?</p>"
            f"<form method=post action='{escape(STOP_PATH)}?token={escape(token)}'>"
            "<button type=submit>Stop them</button></form>"
        )
        return _page("Stop reminders", form)
    with services().store.transaction() as tx:
        tx.opt_outs.add(email, deal_id)
    return _page("Stopped", f"<p>Done: no more {escape(what)} for {escape(email)}.</p>")
