"""RFC 2822 messages for the Gmail stand-in: decoding `raw`, checking and completing the headers
Gmail completes, and the `payload` tree of `format=full`.

Parsing is Python's `email` package with its lenient `compat32` policy, so that no header or
charset a sender writes can fail a request; header values are shown decoded from RFC 2047.
References: https://developers.google.com/gmail/api/reference/rest/v1/users.messages (Message,
MessagePart, MessagePartBody, MessagePartHeader) and .../users.messages/send.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import re
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr
from typing import Any

from .errors import bad_request

# The Gmail discovery document's mediaUpload.maxSize for messages.send and drafts.*: "36700160"
# (35 MB), the same limit for a `raw` body.
MAX_MESSAGE_BYTES = 36700160
RECIPIENT_HEADERS = ("To", "Cc", "Bcc")
SNIPPET_CHARS = 200


def decode_raw(value: object, field: str) -> bytes:
    """The bytes of a proto3 JSON `bytes` field: base64 or base64url, padded or not.

    A value that does not decode answers Google's recorded wording (FlowCrypt/flowcrypt-android
    issue 859: "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed for ...").
    """
    text = str(value)
    cleaned = re.sub(r"\s", "", text).replace("-", "+").replace("_", "/").rstrip("=")
    try:
        if len(cleaned) % 4 == 1:
            raise binascii.Error("bad length")
        data = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except (binascii.Error, ValueError):
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise bad_request(
            f"Invalid value at '{field}' (TYPE_BYTES), Base64 decoding failed for \"{shown}\""
        ) from None
    return data


def encode(data: bytes) -> str:
    """base64url, as Gmail answers `raw` and `body.data`."""
    return base64.urlsafe_b64encode(data).decode("ascii")


# Lenient parsing; CRLF line ends when written back, as in the `raw` Gmail answers.
_POLICY = policy.compat32.clone(linesep="\r\n")


def parse(data: bytes) -> Message:
    return BytesParser(policy=_POLICY).parsebytes(data)


def decoded(value: object) -> str:
    """A header value with RFC 2047 encoded words decoded (as written when they do not decode)."""
    text = str(value)
    try:
        return str(make_header(decode_header(text)))
    except (LookupError, ValueError, UnicodeError, AssertionError, IndexError):
        return text


def header(message: Message, name: str) -> str | None:
    value = message.get(name)
    return None if value is None else decoded(value)


def check_size(data: bytes) -> None:
    if len(data) > MAX_MESSAGE_BYTES:
        raise bad_request(  # approximate wording; the limit is the discovery document's
            f"Message too large: {len(data)} bytes, the limit is {MAX_MESSAGE_BYTES} bytes."
        )


def recipients(message: Message) -> list[str]:
    """The addresses of To, Cc and Bcc; 400 "Invalid <name> header" for one without a domain.

    Wording recorded from Gmail for `To: human@f` style mistakes ("Invalid to header",
    FlowCrypt/flowcrypt-browser issue 1370).
    """
    found: list[str] = []
    for name in RECIPIENT_HEADERS:
        values = [str(v) for v in message.get_all(name, [])]
        for display, address in getaddresses(values):
            if not address and not display:
                continue
            local, at, domain = address.partition("@")
            if not at or not local or not domain:
                raise bad_request(f"Invalid {name.lower()} header")
            found.append(address.lower())
    return found


def require_recipients(message: Message) -> None:
    """Gmail refuses to send a message without one: 400 "Recipient address required"
    (recorded in Byron/google-apis-rs issue 351 with reason invalidArgument)."""
    if not recipients(message):
        raise bad_request("Recipient address required")


def complete(data: bytes, sender: str) -> bytes:
    """The message as Gmail stores it for `sender`: From is the sender, Date and Message-ID set.

    A From naming another address is replaced by the sender's, keeping the display name, as
    Gmail does for an address that is not one of the account's verified send-as aliases
    (googleapis/google-api-php-client issue 2393; the stand-in knows no aliases): "If the header
    is not a verified alias, Gmail silently rewrites it to the account's primary address".
    """
    message = parse(data)
    name, address = parseaddr(str(message.get("From", "")))
    if address.lower() != sender:
        del message["From"]
        message["From"] = formataddr((decoded(name), sender)) if name else sender
    if message.get("Date") is None:
        message["Date"] = formatdate(localtime=False, usegmt=True)
    if message.get("Message-ID") is None:
        message["Message-ID"] = make_msgid(domain="mail.gmail.com")
    # Headers as the sender wrote them: no refolding (Gmail keeps a message's own header lines)
    return message.as_bytes(policy=_POLICY.clone(max_line_length=None))


def headers(part: Message, only: list[str] | None = None) -> list[dict[str, str]]:
    wanted = {h.lower() for h in only} if only else None
    out = []
    for name, value in part.items():
        if wanted is None or name.lower() in wanted:
            out.append({"name": name, "value": decoded(value)})
    return out


def payload(part: Message, part_id: str = "") -> dict[str, Any]:
    """The MessagePart tree: headers, a body of decoded size and base64url data, child parts."""
    out: dict[str, Any] = {
        "partId": part_id,
        "mimeType": part.get_content_type(),
        "filename": part.get_filename() or "",
        "headers": headers(part),
    }
    if part.is_multipart():
        children = part.get_payload()
        assert isinstance(children, list)
        out["body"] = {"size": 0}
        out["parts"] = [
            payload(child, f"{part_id}.{i}" if part_id else str(i))
            for i, child in enumerate(children)
        ]
        return out
    content = part.get_payload(decode=True)
    data = content if isinstance(content, bytes) else b""
    out["body"] = {"size": len(data), "data": encode(data)} if data else {"size": 0}
    return out


def text_parts(message: Message) -> tuple[str | None, str | None]:
    """The first text/plain and the first text/html part (not attachments), decoded."""
    plain: str | None = None
    rich: str | None = None
    for part in message.walk():
        if part.is_multipart() or part.get_filename():
            continue
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html"):
            continue
        content = part.get_payload(decode=True)
        raw = content if isinstance(content, bytes) else b""
        text = raw.decode(_charset(part), errors="replace")
        if kind == "text/plain" and plain is None:
            plain = text
        elif kind == "text/html" and rich is None:
            rich = text
    return plain, rich


def _charset(part: Message) -> str:
    """The part's charset if Python knows it, else UTF-8."""
    try:
        return codecs.lookup(part.get_content_charset() or "utf-8").name
    except (LookupError, ValueError):
        return "utf-8"


def snippet(message: Message) -> str:
    """A short part of the text, whitespace collapsed and HTML-escaped as Gmail's snippets are
    (they carry entities such as `&#39;`)."""
    plain, rich = text_parts(message)
    text = plain if plain is not None else re.sub(r"<[^>]*>", " ", rich or "")
    words = " ".join(html.unescape(text).split()) if plain is None else " ".join(text.split())
    return html.escape(words[:SNIPPET_CHARS]).replace("&#x27;", "&#39;")
