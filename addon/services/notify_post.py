"""Sending a pass's messages: claim each message's key, then send (or draft) it as the deal's
owner or the given user, and record it sent or release the claim (see `notify`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.reminders import Message, OutgoingMail, Person
from ..google.errors import GoogleApiError, ServerError, TransportFailure
from ..store import Store
from .notify_parts import Mailer, NotifyResult, PlanView


@dataclass(frozen=True)
class Post:
    """Claims and sends; `mailer_for(email)` sends as that person."""

    store: Store
    mailer_for: Callable[[str], Mailer]

    def deliver(
        self,
        plan: PlanView,
        key: str,
        kind: str,
        to: tuple[Person, ...],
        message: Message,
        result: NotifyResult,
        extra: dict[str, Any],
        *,
        draft: bool = False,
        as_user: str | None = None,
        stop_token_for: str | None = None,
    ) -> None:
        """Claim, then send (or draft) as the deal's owner (or `as_user`); report what
        happened. `stop_token_for`: the deal id the stop link names ("" for every message)."""
        recipients = ", ".join(p.email for p in to)
        with self.store.transaction() as tx:
            claimed = tx.notifications.claim(
                key, deal_id=plan.deal.deal_id, kind=kind, recipient=recipients
            )
        if not claimed:
            return  # sent (or being sent) by an earlier or another pass: not news
        self.send(
            plan, (key,), kind, to, message, result, extra,
            draft=draft, as_user=as_user, stop_token_for=stop_token_for,
        )  # fmt: skip

    def send(
        self,
        plan: PlanView,
        keys: tuple[str, ...],
        kind: str,
        to: tuple[Person, ...],
        message: Message,
        result: NotifyResult,
        extra: dict[str, Any],
        *,
        draft: bool = False,
        as_user: str | None = None,
        stop_token_for: str | None = None,
    ) -> None:
        """Send (or draft) a message whose keys this pass claimed; record or release them."""
        deal = plan.deal
        sender = as_user or deal.owner_email
        item = {"to": ", ".join(p.email for p in to), "deal_id": deal.deal_id, "kind": kind}
        first, *others = to
        headers: tuple[tuple[str, str], ...] = ()
        if not draft:
            stop_url = plan.stop_url(first, stop_token_for)
            headers = (
                ("List-Unsubscribe", f"<{stop_url}>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            )
        mail = OutgoingMail(
            sender=sender,
            sender_name=plan.sender if as_user is None else "MAP add-on",
            to=first.email,
            to_name=first.display,
            subject=message.subject,
            text=message.text,
            html=message.html,
            headers=headers,
            more_to=tuple((p.email, p.display) for p in others),
        )
        mailer = self.mailer_for(sender)
        try:
            message_id = mailer.draft(mail) if draft else mailer.send(mail)
        except (ServerError, TransportFailure) as exc:
            reason = f"not known whether it was sent ({exc}); not sent again"
            result.skipped.append({**item, "reason": reason})
            return
        except (GoogleApiError, ValueError) as exc:  # refused, quota included: it was not sent
            with self.store.transaction() as tx:
                for key in keys:
                    tx.notifications.release(key)
            result.refused += 1
            result.skipped.append({**item, "reason": f"refused: {exc}; tried again next pass"})
            return
        with self.store.transaction() as tx:
            for key in keys:
                tx.notifications.done(
                    key, status="drafted" if draft else "sent", message_id=message_id
                )
        done = {**item, ("draft_id" if draft else "message_id"): message_id, **extra}
        (result.drafted if draft else result.sent).append(done)
