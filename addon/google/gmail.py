"""Mail as the seller through the Gmail API: `users.messages.send` and `users.drafts.create`.

https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send
https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/create
The message is an RFC 2822 message, base64url-encoded in the `raw` field, built with Python's
`email` package: a text part and an HTML part of the same words, names in the address headers.
Needs the `https://www.googleapis.com/auth/gmail.send` scope (drafts: `gmail.compose`), granted
to the service account's domain-wide delegation as the seller (docs/DEPLOY.md).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .accounting import RequestCounter
from .clients import Backend, authorized_http, shared_resource
from .retry import DEFAULT, RetryPolicy, execute

if TYPE_CHECKING:
    from ..domain.reminders import OutgoingMail

GMAIL_SCOPES = (
    "https://www.googleapis.com/auth/gmail.send",
    "https://www.googleapis.com/auth/gmail.compose",
)


def _address(email: str, name: str) -> Address:
    user, _, domain = email.partition("@")
    return Address(display_name=name, username=user, domain=domain)


def rfc2822(mail: OutgoingMail) -> bytes:
    """The message: From and To with names, Subject, extra headers, text and HTML parts."""
    # CRLF line ends (RFC 5322) and no folding of header lines under 998 characters: Python's
    # default folds a long Subject right after its colon, which some readers show as a blank.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    message["From"] = _address(mail.sender, mail.sender_name)
    message["To"] = [
        _address(mail.to, mail.to_name),
        *(_address(email, name) for email, name in mail.more_to),
    ]
    message["Subject"] = mail.subject
    for name, value in mail.headers:
        message[name] = value
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message.as_bytes()


def _raw(mail: OutgoingMail) -> str:
    return base64.urlsafe_b64encode(rfc2822(mail)).decode("ascii")


@dataclass
class GmailMailer:
    """Sends and drafts as the identity in `backend` (the seller)."""

    backend: Backend
    counter: RequestCounter = field(default_factory=RequestCounter)
    policy: RetryPolicy = DEFAULT

    @cached_property
    def _messages(self) -> Any:
        return shared_resource("gmail", self.backend.base_url, "users.messages")

    @cached_property
    def _drafts(self) -> Any:
        return shared_resource("gmail", self.backend.base_url, "users.drafts")

    @cached_property
    def _http(self) -> Any:
        return authorized_http(self.backend)

    def _run(self, request: Any) -> dict[str, Any]:
        request.http = self._http
        # A send that may have landed must not be repeated: not idempotent, never retried on 5xx.
        return execute(request, policy=self.policy, idempotent=False, counter=self.counter)

    def send(self, mail: OutgoingMail) -> str:
        """Send now; the Gmail message id."""
        request = self._messages.send(userId="me", body={"raw": _raw(mail)})
        return str(self._run(request)["id"])

    def draft(self, mail: OutgoingMail) -> str:
        """Leave the message in the sender's Drafts for them to send; the draft id."""
        request = self._drafts.create(userId="me", body={"message": {"raw": _raw(mail)}})
        return str(self._run(request)["id"])
