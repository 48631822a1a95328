"""The outbox page shows every message sent and every draft, both parts, and runs nothing."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from localgoogle.app import create_app

SELLER = "seller@vendor.test"
BUYER = "buyer@client.test"
HOSTILE_SUBJECT = "<script>alert('subject')</script> & more"
HOSTILE_TEXT = "</pre><script>alert('text')</script>"
HOSTILE_HTML = '<p>Hello</p><script>alert("html")</script><img src=x onerror="alert(1)">'


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    return create_app(tmp_path).test_client()


def _raw(subject: str, text: str, rich: str, to: str = BUYER) -> str:
    mail = EmailMessage()
    mail["From"] = SELLER
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(text)
    mail.add_alternative(rich, subtype="html")
    return base64.urlsafe_b64encode(mail.as_bytes()).decode()


def _post(client: FlaskClient, path: str, body: Mapping[str, object], who: str = SELLER) -> None:
    answer = client.post(
        f"/gmail/v1/users/me/{path}", json=body, headers={"Authorization": f"Bearer local:{who}"}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)


def test_the_outbox_lists_sent_mail_and_drafts_newest_first(client: FlaskClient) -> None:
    _post(client, "messages/send", {"raw": _raw("First reminder", "one", "<p>one</p>")})
    draft = {"message": {"raw": _raw("Escalation draft", "two", "<p>two</p>")}}
    _post(client, "drafts", draft)
    page = client.get("/_local/ui/mail").get_data(as_text=True)
    assert page.index("Escalation draft") < page.index("First reminder")
    assert "draft" in page and "sent" in page
    assert SELLER in page and BUYER in page


def test_the_outbox_shows_both_parts_and_escapes_hostile_content(client: FlaskClient) -> None:
    _post(client, "messages/send", {"raw": _raw(HOSTILE_SUBJECT, HOSTILE_TEXT, HOSTILE_HTML)})
    answer = client.get(f"/_local/ui/mail?as={SELLER}")
    page = answer.get_data(as_text=True)
    assert "<script>" not in page  # nothing of the message becomes markup of the page
    assert str(escape(HOSTILE_SUBJECT)) in page
    assert str(escape(HOSTILE_TEXT)) in page
    frame = re.search(r'<iframe[^>]*sandbox=""[^>]*srcdoc="([^"]*)"', page)
    assert frame is not None  # the HTML part, in a frame where no script may run
    assert html.unescape(frame.group(1)).rstrip() == HOSTILE_HTML
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_as_a_person_shows_their_mail_only(client: FlaskClient) -> None:
    _post(client, "messages/send", {"raw": _raw("To the buyer", "x", "<p>x</p>")})
    _post(client, "messages/send", {"raw": _raw("To someone else", "y", "<p>y</p>", "z@z.test")})
    page = client.get(f"/_local/ui/mail?as={BUYER}").get_data(as_text=True)
    assert "To the buyer" in page and "To someone else" not in page
    assert (
        client.get("/_local/outbox?as=x@y.test")
        .headers["Location"]
        .endswith("/_local/ui/mail?as=x%40y.test")
    )


def test_the_ui_index_links_to_the_outbox(client: FlaskClient) -> None:
    assert "/_local/ui/mail" in client.get("/_local/ui/").get_data(as_text=True)
    assert "/_local/ui/mail" in client.get(f"/_local/ui/?as={SELLER}").get_data(as_text=True)
