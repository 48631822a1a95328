"""The outbox page of the stand-in's UI: every message sent and every draft saved through the
Gmail stand-in, newest first, so a person can read what the product mailed.

`/_local/ui/mail` shows every mailbox; `?as=<email>` only what that person sent or drafted and
what was addressed to them. Each message shows its text part as text and its HTML part inside
a sandboxed iframe (`srcdoc`, no `allow-scripts`), under a Content-Security-Policy that lets no
script run and nothing load from elsewhere: a hostile subject or body is shown, never run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template_string, request, url_for
from flask.typing import ResponseReturnValue

from . import gmail_mime as mime
from .context import local_google
from .ui import _page

bp = Blueprint("ui_mail", __name__, url_prefix="/_local/ui")
outbox_bp = Blueprint("outbox", __name__)

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
    "form-action 'self'; base-uri 'none'"
)

_MAIL = """<h1>Mail{% if user %} of {{ user }}{% endif %}</h1>
<p class="muted">Messages sent and drafts saved through the Gmail API, newest first ·
<a href="{{ url_for('ui.home', **{'as': user}) }}">files</a>
{% if user %}· <a href="{{ url_for('ui_mail.mail') }}">every mailbox</a>{% endif %}</p>
{% if not messages %}<p class="muted">No mail.</p>{% endif %}
{% for m in messages %}<article class="mail">
<h2>{{ m.subject or "(no subject)" }} <span class="muted">{{ m.kind }}</span></h2>
<table class="head">
<tr><th>From</th><td>{{ m.from_ }}</td></tr>
{% for name, value in m.recipients %}<tr><th>{{ name }}</th><td>{{ value }}</td></tr>{% endfor %}
<tr><th>Date</th><td>{{ m.date }}</td></tr>
<tr><th>Id</th><td class="muted">{{ m.id }} · thread {{ m.thread }}</td></tr>
</table>
{% if m.text is not none %}<h3>Text part</h3><pre class="text">{{ m.text }}</pre>{% endif %}
{% if m.html is not none %}<h3>HTML part</h3>
<iframe class="html" sandbox="" referrerpolicy="no-referrer" srcdoc="{{ m.html }}"></iframe>
{% endif %}</article>{% endfor %}
<style>
 article.mail { border-top: 1px solid #dadce0; padding: .5rem 0 1rem; }
 table.head th { text-align: left; background: none; border: 0; padding-right: 1rem; }
 table.head td { border: 0; }
 pre.text { white-space: pre-wrap; background: #f8f9fa; padding: .5rem; }
 iframe.html { width: 100%; height: 18rem; border: 1px solid #dadce0; }
</style>"""


def _shown(entry: dict[str, Any]) -> dict[str, Any]:
    message = mime.parse(mime.decode_raw(entry["raw"], "raw"))
    text, html = mime.text_parts(message)
    when = datetime.fromtimestamp(int(entry["internalDate"]) / 1000, UTC)
    recipients = [
        (name, ", ".join(mime.decoded(v) for v in message.get_all(name, [])))
        for name in mime.RECIPIENT_HEADERS
        if message.get_all(name)
    ]
    return {
        "id": entry["id"],
        "thread": entry["threadId"],
        "kind": "draft" if entry.get("draftId") else "sent",
        "from_": mime.header(message, "From") or "",
        "recipients": recipients,
        "subject": mime.header(message, "Subject") or "",
        "date": when.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "text": text,
        "html": html,
    }


def _concerns(entry: dict[str, Any], user: str) -> bool:
    if entry["owner"] == user:
        return True
    if entry.get("draftId"):
        return False  # a draft is its author's only
    message = mime.parse(mime.decode_raw(entry["raw"], "raw"))
    return user in mime.recipients(message)


@bp.get("/mail")
def mail() -> ResponseReturnValue:
    """Every message and draft (of one person with `?as=`), newest first."""
    user = (request.args.get("as") or "").strip().lower()
    with local_google().storage.transaction() as tx:
        entries = tx.mailbox(None)
    shown = [_shown(e) for e in entries if not user or _concerns(e, user)]
    body = render_template_string(_MAIL, messages=shown, user=user)
    response = local_google_page("Mail", user, body)
    return response


def local_google_page(title: str, user: str, body: str) -> ResponseReturnValue:
    html = _page(title, user, body)
    return html, 200, {"Content-Security-Policy": CSP}


@outbox_bp.get("/_local/outbox")
def outbox() -> ResponseReturnValue:
    """A short address for the mail page."""
    query = urlencode(list(request.args.items(multi=True)))
    return redirect(url_for("ui_mail.mail") + ("?" + query if query else ""))
