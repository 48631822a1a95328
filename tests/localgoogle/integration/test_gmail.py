"""The Gmail stand-in through google-api-python-client: send, get in each format, list, drafts,
getProfile, uploads, errors and the request accounting."""

from __future__ import annotations

import base64
import io
import json
import secrets
from collections.abc import Callable
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseUpload

from localgoogle.app import create_app
from localgoogle.server import Running


def _someone(role: str = "seller") -> str:
    """A fresh address: the stand-in is shared by the session, each test has its own mailbox."""
    return f"{role}-{secrets.token_hex(4)}@vendor.test"


def message(
    sender: str,
    to: str | None = "buyer@client.test",
    subject: str = "Your plan",
    text: str = "Step 3 is due on Friday.",
    html: str | None = "<p>Step 3 is <b>due</b> on Friday.</p>",
    **headers: str,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Sam Seller <{sender}>"
    if to is not None:
        mail["To"] = to
    mail["Subject"] = subject
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(text)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    return mail.as_bytes()


def raw(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def refusal(call: Callable[[], Any]) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HttpError) as info:
        call()
    return info.value.status_code, json.loads(info.value.content)["error"]


def _decoded(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def test_send_then_get_in_each_format(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    sent = users.messages().send(userId="me", body={"raw": raw(message(seller))}).execute()
    assert set(sent) == {"id", "threadId", "labelIds"}
    assert sent["labelIds"] == ["SENT"] and sent["threadId"] == sent["id"]
    assert len(sent["id"]) == 16 and int(sent["id"], 16) > 0

    full = users.messages().get(userId="me", id=sent["id"]).execute()
    assert full["snippet"] == "Step 3 is due on Friday."
    assert int(full["internalDate"]) > 1_600_000_000_000 and full["sizeEstimate"] > 0
    payload = full["payload"]
    assert payload["mimeType"] == "multipart/alternative" and payload["partId"] == ""
    names = {h["name"]: h["value"] for h in payload["headers"]}
    assert names["From"] == f"Sam Seller <{seller}>" and names["To"] == "buyer@client.test"
    assert "Date" in names and "Message-ID" in names  # Gmail completes both
    text, html = payload["parts"]
    assert (text["partId"], text["mimeType"], html["mimeType"]) == ("0", "text/plain", "text/html")
    assert _decoded(text["body"]["data"]).decode() == "Step 3 is due on Friday.\r\n"
    assert b"<b>due</b>" in _decoded(html["body"]["data"])
    assert text["body"]["size"] == len(_decoded(text["body"]["data"]))
    assert "raw" not in full

    as_raw = users.messages().get(userId="me", id=sent["id"], format="raw").execute()
    parsed = BytesParser(policy=default).parsebytes(_decoded(as_raw["raw"]))
    assert parsed["Subject"] == "Your plan" and "payload" not in as_raw

    meta = (
        users.messages()
        .get(userId="me", id=sent["id"], format="metadata", metadataHeaders=["Subject"])
        .execute()
    )
    assert meta["payload"]["headers"] == [{"name": "Subject", "value": "Your plan"}]
    assert "parts" not in meta["payload"] and "raw" not in meta

    minimal = users.messages().get(userId="me", id=sent["id"], format="minimal").execute()
    assert minimal["labelIds"] == ["SENT"] and "payload" not in minimal and "raw" not in minimal


def test_list_newest_first_with_labels_and_pages(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    ids = [
        users.messages().send(userId=seller, body={"raw": raw(message(seller))}).execute()["id"]
        for _ in range(3)
    ]
    draft = users.drafts().create(userId="me", body={"message": {"raw": raw(message(seller))}})
    draft_message = draft.execute()["message"]["id"]

    everything = users.messages().list(userId="me").execute()
    assert [m["id"] for m in everything["messages"]] == [draft_message, *reversed(ids)]
    sent = users.messages().list(userId="me", labelIds=["SENT"]).execute()
    assert [m["id"] for m in sent["messages"]] == list(reversed(ids))
    first = users.messages().list(userId="me", labelIds=["SENT"], maxResults=2).execute()
    assert len(first["messages"]) == 2 and "nextPageToken" in first
    rest = (
        users.messages()
        .list(userId="me", labelIds=["SENT"], maxResults=2, pageToken=first["nextPageToken"])
        .execute()
    )
    assert [m["id"] for m in rest["messages"]] == [ids[0]] and "nextPageToken" not in rest
    assert users.messages().list(userId="me", labelIds=["INBOX"]).execute() == {
        "resultSizeEstimate": 0
    }


def test_a_message_to_oneself_is_also_in_the_inbox(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    sent = users.messages().send(userId="me", body={"raw": raw(message(seller, to=seller))})
    assert sent.execute()["labelIds"] == ["SENT", "INBOX", "UNREAD"]


def test_drafts_create_get_list_send_delete(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    created = (
        users.drafts()
        .create(userId="me", body={"message": {"raw": raw(message(seller, subject="Escalation"))}})
        .execute()
    )
    assert created["id"].startswith("r") and created["message"]["labelIds"] == ["DRAFT"]

    got = users.drafts().get(userId="me", id=created["id"]).execute()
    assert got["id"] == created["id"] and got["message"]["id"] == created["message"]["id"]
    subject = {h["name"]: h["value"] for h in got["message"]["payload"]["headers"]}["Subject"]
    assert subject == "Escalation"
    listed = users.drafts().list(userId="me").execute()
    assert [d["id"] for d in listed["drafts"]] == [created["id"]]

    sent = users.drafts().send(userId="me", body={"id": created["id"]}).execute()
    assert sent["labelIds"] == ["SENT"] and sent["id"] == created["message"]["id"]
    assert users.drafts().list(userId="me").execute() == {"resultSizeEstimate": 0}
    status, _ = refusal(users.drafts().get(userId="me", id=created["id"]).execute)
    assert status == 404
    again = users.messages().get(userId="me", id=sent["id"], format="minimal").execute()
    assert again["labelIds"] == ["SENT"]

    other = users.drafts().create(userId="me", body={"message": {"raw": raw(message(seller))}})
    other_id = other.execute()["id"]
    assert users.drafts().delete(userId="me", id=other_id).execute() == ""
    status, error = refusal(users.drafts().delete(userId="me", id=other_id).execute)
    assert (status, error["message"]) == (404, "Requested entity was not found.")


def test_a_draft_may_lack_recipients_but_cannot_be_sent_so(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    draft = (
        users.drafts()
        .create(userId="me", body={"message": {"raw": raw(message(seller, to=None))}})
        .execute()
    )
    status, error = refusal(users.drafts().send(userId="me", body={"id": draft["id"]}).execute)
    assert (status, error["message"]) == (400, "Recipient address required")
    fixed = raw(message(seller, to="buyer@client.test"))
    body = {"id": draft["id"], "message": {"raw": fixed}}
    assert users.drafts().send(userId="me", body=body).execute()["labelIds"] == ["SENT"]


def test_errors_in_gmails_shape(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    status, error = refusal(
        users.messages().send(userId="me", body={"raw": raw(message(seller, to=None))}).execute
    )
    assert (status, error["message"], error["status"]) == (
        400,
        "Recipient address required",
        "INVALID_ARGUMENT",
    )
    assert error["errors"] == [
        {"message": "Recipient address required", "domain": "global", "reason": "invalidArgument"}
    ]
    status, error = refusal(users.messages().send(userId="me", body={"raw": "%%%"}).execute)
    assert status == 400
    assert error["message"].startswith("Invalid value at 'message.raw' (TYPE_BYTES)")
    status, error = refusal(users.messages().send(userId="me", body={}).execute)
    assert status == 400 and "'raw' RFC822 payload message string" in error["message"]
    status, error = refusal(users.messages().get(userId="me", id="0123456789abcdef").execute)
    assert (status, error["errors"][0]["reason"]) == (404, "notFound")
    status, error = refusal(users.messages().list(userId="someone@else.test").execute)
    assert (status, error["message"]) == (403, f"Delegation denied for {seller}")
    status, error = refusal(users.messages().list(userId="me", q="in:sent").execute)
    assert status == 501


def test_from_another_address_is_rewritten_to_the_caller(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    forged = message("ceo@vendor.test")
    sent = users.messages().send(userId="me", body={"raw": raw(forged)}).execute()
    full = users.messages().get(userId="me", id=sent["id"], format="metadata").execute()
    sender = {h["name"]: h["value"] for h in full["payload"]["headers"]}["From"]
    assert sender == f"Sam Seller <{seller}>"


def test_messages_are_private_to_their_mailbox(gmail: Callable[[str], Any]) -> None:
    seller, other = _someone(), _someone("rival")
    sent = (
        gmail(seller)
        .users()
        .messages()
        .send(userId="me", body={"raw": raw(message(seller))})
        .execute()
    )
    status, _ = refusal(gmail(other).users().messages().get(userId="me", id=sent["id"]).execute)
    assert status == 404


def test_profile(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    users.messages().send(userId="me", body={"raw": raw(message(seller))}).execute()
    profile = users.getProfile(userId="me").execute()
    assert profile["emailAddress"] == seller
    assert (profile["messagesTotal"], profile["threadsTotal"]) == (1, 1)
    assert int(profile["historyId"]) > 0


def test_threads_follow_a_known_thread_id(gmail: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail(seller).users()
    first = users.messages().send(userId="me", body={"raw": raw(message(seller))}).execute()
    reply = message(seller, subject="Re: Your plan", In_Reply_To="<x@y>")
    body = {"raw": raw(reply), "threadId": first["threadId"]}
    second = users.messages().send(userId="me", body=body).execute()
    assert second["threadId"] == first["threadId"] and second["id"] != first["id"]


def test_media_uploads(gmail_media: Callable[[str], Any]) -> None:
    seller = _someone()
    users = gmail_media(seller).users()
    media = MediaIoBaseUpload(io.BytesIO(message(seller)), mimetype="message/rfc822")
    sent = users.messages().send(userId="me", media_body=media).execute()
    assert sent["labelIds"] == ["SENT"]
    media = MediaIoBaseUpload(io.BytesIO(message(seller)), mimetype="message/rfc822")
    draft = users.drafts().create(userId="me", body={"message": {}}, media_body=media).execute()
    assert draft["message"]["labelIds"] == ["DRAFT"]
    got = users.messages().get(userId="me", id=sent["id"], format="minimal").execute()
    assert got["snippet"] == "Step 3 is due on Friday."


def test_too_large_a_message_is_refused(local_google: Running) -> None:
    seller = _someone()
    big = message(seller, text="x" * (36700160 + 10), html=None)
    answer = requests.post(
        f"{local_google.url}/upload/gmail/v1/users/me/messages/send?uploadType=media",
        data=big,
        headers={"Authorization": f"Bearer local:{seller}", "Content-Type": "message/rfc822"},
        timeout=60,
    )
    assert answer.status_code == 400 and "too large" in answer.json()["error"]["message"]


def test_requests_are_counted_by_method_and_user(
    gmail: Callable[[str], Any], local_google: Running
) -> None:
    seller = _someone()
    users = gmail(seller).users()
    users.messages().send(userId="me", body={"raw": raw(message(seller))}).execute()
    users.getProfile(userId="me").execute()
    stats = requests.get(f"{local_google.url}/_local/stats", timeout=10).json()
    counted = stats["by_user_method"][seller]
    assert counted["gmail.users.messages.send"] == 1
    assert counted["gmail.users.getProfile"] == 1


def test_unimplemented_methods_answer_501(gmail: Callable[[str], Any]) -> None:
    status, error = refusal(gmail(_someone()).users().labels().list(userId="me").execute)
    assert status == 501 and error["errors"][0]["reason"] == "notImplemented"


def test_mail_survives_a_restart(tmp_path: Path) -> None:
    """Messages and drafts live in the stand-in's SQLite store."""
    seller = _someone()
    headers = {"Authorization": f"Bearer local:{seller}"}
    first = create_app(tmp_path).test_client()
    sent = first.post(
        "/gmail/v1/users/me/messages/send", json={"raw": raw(message(seller))}, headers=headers
    ).get_json()
    body = {"message": {"raw": raw(message(seller))}}
    draft = first.post("/gmail/v1/users/me/drafts", json=body, headers=headers).get_json()
    again = create_app(tmp_path).test_client()
    got = again.get(f"/gmail/v1/users/me/messages/{sent['id']}?format=minimal", headers=headers)
    assert got.get_json()["labelIds"] == ["SENT"]
    assert again.get(f"/gmail/v1/users/me/drafts/{draft['id']}", headers=headers).status_code == 200


def test_headers_are_shown_decoded(gmail: Callable[[str], Any]) -> None:
    """Encoded words (RFC 2047) in headers come back decoded in payload.headers."""
    seller = _someone()
    users = gmail(seller).users()
    body = {"raw": raw(message(seller, subject="Café — étape 3"))}
    sent = users.messages().send(userId="me", body=body).execute()
    got = users.messages().get(userId="me", id=sent["id"], format="metadata").execute()
    subject = {h["name"]: h["value"] for h in got["payload"]["headers"]}["Subject"]
    assert subject == "Café — étape 3"
