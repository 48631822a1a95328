"""Sending a pass's messages: claim each message's key, then send (or draft) it as the deal's
owner or the given user, and record it sent or release the claim (see `notify`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
        keys: tuple[str, ...],
        kind: str,
        to: tuple[Person, ...],
        message: Message,
        result: NotifyResult,
        extra: dict[str, Any],
        *,
        claimed: bool = False,
        draft: bool = False,
        as_user: str | None = None,
        stop_token_for: str | None = None,
    ) -> None:
        """Claim the message's keys (unless the caller has: `claimed`), then send (or draft) it
        as the deal's owner (or `as_user`), record it sent or release the claims, and report
        what happened. `stop_token_for`: the deal id the stop link names ("" for every
        message)."""
        if not claimed:
            keys = self.claim(plan, ((key, kind) for key in keys), to)
            if not keys:
                return  # sent (or being sent) by an earlier or another pass: not news
        sender = as_user or plan.deal.owner_email
        item = {"to": ", ".join(p.email for p in to), "deal_id": plan.deal.deal_id, "kind": kind}
        mail = _mail(plan, sender, to, message, draft, as_user, stop_token_for)
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

    def claim(
        self, plan: PlanView, keys: Iterable[tuple[str, str]], to: tuple[Person, ...]
    ) -> tuple[str, ...]:
        """The (key, kind) pairs' keys this pass claimed, in one transaction and one order (no
        deadlock between two passes); the others were claimed before, by anyone."""
        recipients = ", ".join(p.email for p in to)
        with self.store.transaction() as tx:
            return tuple(
                key
                for key, kind in sorted(keys)
                if tx.notifications.claim(
                    key, deal_id=plan.deal.deal_id, kind=kind, recipient=recipients
                )
            )


def _mail(
    plan: PlanView,
    sender: str,
    to: tuple[Person, ...],
    message: Message,
    draft: bool,
    as_user: str | None,
    stop_token_for: str | None,
) -> OutgoingMail:
    """The message as the mailer sends it: a sent one carries RFC 8058's one-click stop."""
    first, *others = to
    headers: tuple[tuple[str, str], ...] = ()
    if not draft:
        stop_url = plan.stop_url(first, stop_token_for)
        headers = (
            ("List-Unsubscribe", f"<{stop_url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        )
    return OutgoingMail(
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
