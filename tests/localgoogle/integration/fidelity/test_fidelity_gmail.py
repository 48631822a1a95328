"""Gmail v1 as Google documents it and as clients have recorded its answers; each test cites
where the behaviour comes from."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from email.message import EmailMessage
from importlib import resources
from typing import Any

from fidelity_helpers import refusal

from localgoogle import gmail_mime

Gmail = Callable[[str], Any]
SELLER = "fidelity-seller@vendor.test"


def _raw(to: str | None = "buyer@client.test", sender: str = SELLER, **extra: str) -> str:
    mail = EmailMessage()
    mail["From"] = sender
    if to is not None:
        mail["To"] = to
    for name, value in extra.items():
        mail[name] = value
    mail["Subject"] = "Plan update"
    mail.set_content("It's due on Friday & on time.")
    mail.add_alternative("<p>It's <b>due</b> on Friday &amp; on time.</p>", subtype="html")
    return base64.urlsafe_b64encode(mail.as_bytes()).decode()


def test_send_answers_the_message_with_its_ids_and_the_sent_label(gmail: Gmail) -> None:
    """users.messages.send "Sends the specified message to the recipients in the To, Cc, and Bcc
    headers"; the response body is a Message: id, threadId, labelIds ["SENT"].
    https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send
    https://developers.google.com/gmail/api/guides/sending ("userId": "me")"""
    sent = gmail(SELLER).users().messages().send(userId="me", body={"raw": _raw()}).execute()
    assert sorted(sent) == ["id", "labelIds", "threadId"] and sent["labelIds"] == ["SENT"]


def test_bcc_alone_is_a_recipient(gmail: Gmail) -> None:
    """To, Cc and Bcc are all recipient headers (users.messages.send reference, above)."""
    body = {"raw": _raw(to=None, Bcc="hidden@client.test")}
    assert gmail(SELLER).users().messages().send(userId="me", body=body).execute()["id"]


def test_the_four_formats(gmail: Gmail) -> None:
    """Format: minimal "Returns only email message ID and labels; does not return the email
    headers, body, or payload"; full "body content parsed in the payload field; the raw field is
    not used"; raw "body content in the raw field as a base64url encoded string; the payload
    field is not used"; metadata "Returns only email message ID, labels, and email headers".
    https://developers.google.com/gmail/api/reference/rest/v1/Format"""
    messages = gmail(SELLER).users().messages()
    sent = messages.send(userId="me", body={"raw": _raw()}).execute()
    shapes = {}
    for fmt in ("minimal", "full", "raw", "metadata"):
        got = messages.get(userId="me", id=sent["id"], format=fmt).execute()
        shapes[fmt] = ("payload" in got, "raw" in got, "parts" in got.get("payload", {}))
    assert shapes == {
        "minimal": (False, False, False),
        "full": (True, False, True),
        "raw": (False, True, False),
        "metadata": (True, False, False),
    }


def test_message_parts_and_bodies(gmail: Gmail) -> None:
    """MessagePart: partId ("" for the top, then "0", "1"...), mimeType, filename, headers,
    body (MessagePartBody: size, data "The body data of a MIME message part as a base64url
    encoded string"), parts for container types; the Message carries snippet ("A short part
    of the message text"), internalDate ("epoch ms") and sizeEstimate.
    https://developers.google.com/gmail/api/reference/rest/v1/users.messages#MessagePart
    https://developers.google.com/gmail/api/reference/rest/v1/users.messages#Message
    Snippets are HTML-escaped as Gmail's are (they carry `&#39;`)."""
    messages = gmail(SELLER).users().messages()
    sent = messages.send(userId="me", body={"raw": _raw()}).execute()
    got = messages.get(userId="me", id=sent["id"]).execute()
    top = got["payload"]
    assert (top["partId"], top["mimeType"], top["filename"], top["body"]) == (
        "",
        "multipart/alternative",
        "",
        {"size": 0},
    )
    assert [(p["partId"], p["mimeType"]) for p in top["parts"]] == [
        ("0", "text/plain"),
        ("1", "text/html"),
    ]
    data = top["parts"][0]["body"]["data"]
    assert "+" not in data and "/" not in data  # base64url
    assert got["snippet"] == "It&#39;s due on Friday &amp; on time."
    assert got["internalDate"].isdigit() and isinstance(got["sizeEstimate"], int)


def test_no_recipient(gmail: Gmail) -> None:
    """400 "Recipient address required", reason invalidArgument, as recorded from Gmail in
    github.com/Byron/google-apis-rs/issues/351 and
    stackoverflow.com/questions/64267579 ("googleapi: Error 400: Recipient address required,
    invalidArgument")."""
    call = gmail(SELLER).users().messages().send(userId="me", body={"raw": _raw(to=None)})
    status, error = refusal(call.execute)
    assert status == 400
    assert error == {
        "code": 400,
        "message": "Recipient address required",
        "status": "INVALID_ARGUMENT",
        "errors": [
            {
                "message": "Recipient address required",
                "domain": "global",
                "reason": "invalidArgument",
            }
        ],
    }


def test_a_malformed_address(gmail: Gmail) -> None:
    """400 "Invalid to header" for `To: human@f`-style mistakes, as recorded in
    github.com/FlowCrypt/flowcrypt-browser/issues/1370 (here: an address without a domain)."""
    call = gmail(SELLER).users().messages().send(userId="me", body={"raw": _raw(to="human")})
    assert refusal(call.execute)[1]["message"] == "Invalid to header"


def test_raw_that_is_not_base64(gmail: Gmail) -> None:
    """400 "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed for ...", as
    recorded in github.com/FlowCrypt/flowcrypt-android/issues/859 and
    github.com/google/googleapis.dart/issues/109; standard and URL-safe alphabets are both
    accepted (proto3 JSON bytes: protobuf.dev/programming-guides/proto3/#json)."""
    messages = gmail(SELLER).users().messages()
    status, error = refusal(messages.send(userId="me", body={"raw": "not base64!"}).execute)
    assert status == 400
    assert error["message"].startswith(
        "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed for"
    )
    standard = base64.b64decode(_raw().replace("-", "+").replace("_", "/") + "==")
    body = {"raw": base64.b64encode(standard).decode()}
    assert messages.send(userId="me", body=body).execute()["labelIds"] == ["SENT"]


def test_no_raw(gmail: Gmail) -> None:
    """Gmail's answer to a send without a message: "'raw' RFC822 payload message string or
    uploading message via /upload/* URL required" (the `raw` field is required for
    messages.send per the discovery document's Message.raw annotations)."""
    status, error = refusal(gmail(SELLER).users().messages().send(userId="me", body={}).execute)
    assert status == 400 and error["message"].startswith("'raw' RFC822 payload message string")


def test_from_someone_else_is_replaced_by_the_sender(gmail: Gmail) -> None:
    """Gmail sends from the authenticated account: a From that is not one of its send-as
    aliases is replaced by the account's address, not refused
    (github.com/googleapis/google-api-php-client/issues/2393: "Setting the 'From' does nothing
    as it reverts to bob@company.com"; users.settings.sendAs: "Send-as aliases correspond to
    the 'Send Mail As' feature",
    developers.google.com/gmail/api/reference/rest/v1/users.settings.sendAs). The stand-in has
    no aliases, so only the caller's own address stays."""
    messages = gmail(SELLER).users().messages()
    body = {"raw": _raw(sender="Boss <ceo@vendor.test>")}
    sent = messages.send(userId="me", body=body).execute()
    got = messages.get(userId="me", id=sent["id"], format="metadata", metadataHeaders=["From"])
    assert got.execute()["payload"]["headers"] == [{"name": "From", "value": f"Boss <{SELLER}>"}]


def test_another_users_mailbox(gmail: Gmail) -> None:
    """userId: "The user's email address. The special value me can be used to indicate the
    authenticated user." Another person's mailbox is 403 "Delegation denied for <caller>"
    (github.com/googleworkspace/python-samples/issues/80,
    github.com/googleapis/google-api-nodejs-client/issues/2510: reason forbidden).
    https://developers.google.com/gmail/api/reference/rest/v1/users.messages/list"""
    messages = gmail(SELLER).users().messages()
    assert messages.list(userId=SELLER.upper()).execute()["resultSizeEstimate"] >= 0
    status, error = refusal(messages.list(userId="buyer@client.test").execute)
    assert (status, error["message"], error["errors"][0]["reason"]) == (
        403,
        f"Delegation denied for {SELLER}",
        "forbidden",
    )


def test_unknown_message(gmail: Gmail) -> None:
    """404 "Requested entity was not found.", reason notFound, status NOT_FOUND, as recorded in
    github.com/googleapis/google-api-php-client/issues/2058."""
    call = gmail(SELLER).users().messages().get(userId="me", id="18c0000000000000")
    assert refusal(call.execute) == (
        404,
        {
            "code": 404,
            "message": "Requested entity was not found.",
            "status": "NOT_FOUND",
            "errors": [
                {
                    "message": "Requested entity was not found.",
                    "domain": "global",
                    "reason": "notFound",
                }
            ],
        },
    )


def test_drafts_send_and_delete(gmail: Gmail) -> None:
    """drafts.create answers a Draft (id, message with the DRAFT label); drafts.send "Sends the
    specified, existing draft to the recipients in the To, Cc, and Bcc headers" and answers a
    Message; drafts.delete "Immediately and permanently deletes the specified draft. Does not
    simply trash it." (empty answer).
    https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/create
    https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/send
    https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/delete"""
    drafts = gmail(SELLER).users().drafts()
    one = drafts.create(userId="me", body={"message": {"raw": _raw()}}).execute()
    assert one["message"]["labelIds"] == ["DRAFT"]
    assert drafts.send(userId="me", body={"id": one["id"]}).execute()["labelIds"] == ["SENT"]
    two = drafts.create(userId="me", body={"message": {"raw": _raw()}}).execute()
    assert drafts.delete(userId="me", id=two["id"]).execute() == ""
    assert refusal(drafts.get(userId="me", id=two["id"]).execute)[0] == 404


def test_the_size_limit_is_the_discovery_documents() -> None:
    """messages.send and drafts accept uploads up to mediaUpload.maxSize "36700160" bytes (35 MB)
    (the bundled gmail.v1.json; developers.google.com/gmail/api/guides/uploads: "Maximum upload
    file size ... specified on the reference page for any method that supports media
    uploads")."""
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / "gmail.v1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    send = document["resources"]["users"]["resources"]["messages"]["methods"]["send"]
    assert int(send["mediaUpload"]["maxSize"]) == gmail_mime.MAX_MESSAGE_BYTES
