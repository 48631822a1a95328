"""One notification pass: the reminders each live deal's plan calls for today, sent once each.

Each message is claimed in the store under its key before it is sent (as plan creation claims
its request key), so a pass killed and run again, or two passes at once, send each message once.
A send that certainly failed (Google refused it) releases the claim for a later pass; a send
whose outcome is unknown (a server error, a lost connection) keeps it: a reminder missed is
better than a reminder sent twice. Mail goes out as the deal's owner (the seller).

Every message carries a link to stop them (signed with a secret kept in the store) and the
List-Unsubscribe headers of RFC 8058 for mail clients' one-click unsubscribe.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol
from urllib.parse import quote

from ..domain.model import Template
from ..domain.outcome import Outcome
from ..domain.reminders import (
    BUYER,
    SELLER,
    OutgoingMail,
    Person,
    Reminder,
    due_reminders,
    render,
)
from ..google.errors import GoogleApiError, ServerError, TransportFailure
from ..store import DealRecord, DealStatus, PersonSide, Store

SECRET = "notify.secret"  # cursors key of the secret that signs stop links
STOP_PATH = "/notify/stop"


class Mailer(Protocol):
    """Sends as one person (the Gmail API as the seller, or a fake)."""

    def send(self, mail: OutgoingMail) -> str:
        """Send now; the sent message's id."""
        ...


@dataclass
class NotifyResult:
    sent: list[dict[str, Any]] = field(default_factory=list)
    drafted: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"sent": self.sent, "drafted": self.drafted, "skipped": self.skipped}


def display_name(email: str, name: str | None = None) -> str:
    """A person's name for a message: the known name, else one made from the address."""
    if name and name.strip():
        return " ".join(name.split())
    local = email.split("@")[0]
    return " ".join(part.capitalize() for part in local.replace("_", ".").split(".") if part)


def people_of(deal: DealRecord, success_owner: str | None = None) -> list[Person]:
    """The deal's people as the seller registered them (never the sheet's Stakeholders)."""
    found: dict[str, Person] = {}
    owner = deal.owner_email.lower()
    found[owner] = Person(owner, display_name(owner, _name(deal, owner)), SELLER)
    for person in deal.people:
        if person.side is PersonSide.SERVICE:
            continue
        side = BUYER if person.side is PersonSide.BUYER else SELLER
        found.setdefault(
            person.email, Person(person.email, display_name(person.email, person.name), side)
        )
    if success_owner:
        email = success_owner.lower()
        found.setdefault(email, Person(email, display_name(email), SELLER))
    return list(found.values())


def _name(deal: DealRecord, email: str) -> str | None:
    person = deal.person(email)
    return person.name if person else None


def stop_token(secret: str, email: str, deal_id: str) -> str:
    """A token naming who stops which deal's messages, signed so nobody can forge another's."""
    body = json.dumps({"e": email.lower(), "d": deal_id}, separators=(",", ":")).encode()
    data = base64.urlsafe_b64encode(body).decode().rstrip("=")
    signature = hmac.new(secret.encode(), data.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{data}.{signature}"


def read_stop_token(secret: str, token: str) -> tuple[str, str] | None:
    """(email, deal_id) of a genuine token; None for anything else."""
    data, _, signature = token.partition(".")
    expected = hmac.new(secret.encode(), data.encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        return str(body["e"]), str(body["d"])
    except (ValueError, KeyError, TypeError):
        return None


def notify_secret(store: Store) -> str:
    """The secret that signs stop links: made once, kept in the store for every process."""
    with store.transaction() as tx:
        known = tx.cursors.get(SECRET)
        if known:
            return known
        tx.cursors.set(SECRET, secrets.token_hex(32))
    with store.transaction(read_only=True) as tx:
        return tx.cursors.get(SECRET) or ""


@dataclass
class Notifier:
    """Runs notification passes; `mailer_for(email)` sends as that person."""

    store: Store
    mailer_for: Callable[[str], Mailer]
    base_url: str  # where the app answers (the stop links)
    today: Callable[[], date] = field(default=lambda: datetime.now(UTC).date())
    template: Callable[[str], Template | None] = field(default=lambda name: None)

    def run_once(self) -> NotifyResult:
        result = NotifyResult()
        today = self.today()
        secret = notify_secret(self.store)
        with self.store.transaction(read_only=True) as tx:
            deals = [
                d
                for d in tx.deals.newest_first()
                if d.status is DealStatus.READY and d.spreadsheet_id
            ]
            outcomes = tx.outcomes.all()
            snapshots = tx.snapshots.latest_of([d.deal_id for d in deals])
            stopped = {d.deal_id: tx.opt_outs.for_deal(d.deal_id) for d in deals}
        for deal in reversed(deals):
            outcome = outcomes.get(deal.deal_id)
            if outcome is not None and outcome.outcome == Outcome.LOST.value:
                continue  # archived
            if outcome is not None and outcome.outcome == Outcome.ON_HOLD.value:
                if outcome.revisit_on is None or today < outcome.revisit_on:
                    continue  # paused
            snapshot = snapshots.get(deal.deal_id)
            if snapshot is None:
                continue
            template = self.template(deal.template)
            reminders = due_reminders(
                deal.deal_id,
                snapshot.payload,
                people_of(deal, outcome.success_owner if outcome else None),
                today=today,
                created=deal.created_at.date(),
                holidays=template.holidays if template else (),
                opted_out=stopped.get(deal.deal_id, set()),
            )
            for reminder in reminders:
                self._send(deal, reminder, secret, result)
        return result

    def _send(
        self, deal: DealRecord, reminder: Reminder, secret: str, result: NotifyResult
    ) -> None:
        item = {"to": reminder.to.email, "deal_id": deal.deal_id, "kind": reminder.kind}
        with self.store.transaction() as tx:
            claimed = tx.notifications.claim(
                reminder.key, deal_id=deal.deal_id, kind=reminder.kind, recipient=reminder.to.email
            )
        if not claimed:
            return  # sent (or being sent) by an earlier or another pass: not news
        token = stop_token(secret, reminder.to.email, deal.deal_id)
        stop_url = f"{self.base_url}{STOP_PATH}?token={quote(token)}"
        sender = display_name(deal.owner_email, _name(deal, deal.owner_email))
        message = render(
            reminder, deal_name=deal.name, plan_url=deal.url, sender=sender, stop_url=stop_url
        )
        mail = OutgoingMail(
            sender=deal.owner_email,
            sender_name=sender,
            to=reminder.to.email,
            to_name=reminder.to.display,
            subject=message.subject,
            text=message.text,
            html=message.html,
            headers=(
                ("List-Unsubscribe", f"<{stop_url}>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ),
        )
        try:
            message_id = self.mailer_for(deal.owner_email).send(mail)
        except (ServerError, TransportFailure) as exc:
            result.skipped.append(
                {**item, "reason": f"not known whether it was sent ({exc}); not sent again"}
            )
            return
        except (GoogleApiError, ValueError) as exc:  # refused, quota included: it was not sent
            with self.store.transaction() as tx:
                tx.notifications.release(reminder.key)
            result.skipped.append({**item, "reason": f"refused: {exc}; tried again next pass"})
            return
        with self.store.transaction() as tx:
            tx.notifications.done(reminder.key, status="sent", message_id=message_id)
        result.sent.append({**item, "message_id": message_id, "step": reminder.step_name})
