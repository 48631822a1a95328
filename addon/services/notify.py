"""One notification pass: the reminders each live deal's plan calls for today, sent once each.

Each message is claimed in the store under its key before it is sent (as plan creation claims
its request key), so a pass killed and run again, or two passes at once, send each message once.
A send that certainly failed (Google refused it) releases the claim for a later pass; a send
whose outcome is unknown (a server error, a lost connection) keeps it: a reminder missed is
better than a reminder sent twice. Mail goes out as the deal's owner (the seller); a manager's
team digest goes out as the manager, to the manager, from the last review's list.

Every message carries a link to stop them (signed with a secret kept in the store) and the
List-Unsubscribe headers of RFC 8058 for mail clients' one-click unsubscribe.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol
from urllib.parse import quote

from ..domain.activity import describe
from ..domain.digests import (
    Change,
    DealWeek,
    deal_week,
    digest_key,
    escalations,
    render_digest,
    render_escalation,
)
from ..domain.model import Template
from ..domain.outcome import Outcome
from ..domain.reminders import (
    BUYER,
    SELLER,
    Message,
    OutgoingMail,
    Person,
    ReminderSettings,
    due_reminders,
    render,
)
from ..domain.team_digest import NeedsManager, render_team_digest, team_digest_key
from ..domain.teams import Team
from ..google.errors import GoogleApiError, ServerError, TransportFailure
from ..store import DealRecord, DealStatus, EventRecord, PersonSide, Store
from ..store.notifications import ALL_DEALS
from .plan_writes import plan_event_of
from .stop_links import SECRET, STOP_PATH, notify_secret, read_stop_token, stop_token

__all__ = [  # the stop links' helpers are used from here by the web app and the tests
    "SECRET",
    "STOP_PATH",
    "Notifier",
    "notify_secret",
    "read_stop_token",
    "stop_token",
]

DIGEST, ESCALATION, TEAM_DIGEST = "digest", "escalation", "team_digest"
NEEDS = "review.needs."  # + team name: consolidate's list of the deals that need a manager


class Mailer(Protocol):
    """Sends as one person (the Gmail API as the seller, or a fake)."""

    def send(self, mail: OutgoingMail) -> str:
        """Send now; the sent message's id."""
        ...

    def draft(self, mail: OutgoingMail) -> str:
        """Leave it in the sender's drafts; the draft's id."""
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


@dataclass
class Notifier:
    """Runs notification passes; `mailer_for(email)` sends as that person."""

    store: Store
    mailer_for: Callable[[str], Mailer]
    base_url: str  # where the app answers (the stop links)
    today: Callable[[], date] = field(default=lambda: datetime.now(UTC).date())
    template: Callable[[str], Template | None] = field(default=lambda name: None)
    digest_weekday: int = 0  # Monday: the weekly digests go out on this day
    escalate_after: int = 5  # business days a critical step is overdue before an escalation
    teams: Callable[[], list[Team]] = field(default=list)  # whose managers get a team digest

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
            records = tx.events.for_deals([d.deal_id for d in deals])
            stopped = {d.deal_id: tx.opt_outs.for_deal(d.deal_id) for d in deals}
            chosen = tx.notify_settings.all()
        sellers: dict[str, list[tuple[DealRecord, DealWeek]]] = {}
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
            holidays = frozenset(template.holidays) if template else frozenset()
            people = people_of(deal, outcome.success_owner if outcome else None)
            quiet = stopped.get(deal.deal_id, set())
            plan = _Plan(deal, snapshot.payload, people, quiet, holidays, secret, self.base_url)
            changes = [_change(r) for r in records.get(deal.deal_id, [])]
            stored = chosen.get(deal.deal_id)
            settings = ReminderSettings(*stored) if stored else ReminderSettings()
            for reminder in due_reminders(
                deal.deal_id,
                snapshot.payload,
                people,
                today=today,
                created=deal.created_at.date(),
                holidays=holidays,
                settings=settings,
                opted_out=quiet,
            ):
                message = render(
                    reminder,
                    deal_name=deal.name,
                    plan_url=deal.url,
                    sender=plan.sender,
                    stop_url=plan.stop_url(reminder.to),
                )
                extra = {"step": reminder.step_name}
                self._deliver(
                    plan, reminder.key, reminder.kind, (reminder.to,), message, result, extra
                )
            if settings.enabled and today.weekday() == settings.digest_weekday:
                self._buyer_digests(plan, changes, today, result)
            if settings.enabled and today.weekday() == self.digest_weekday:
                for person in people:
                    if person.side == SELLER and person.email == deal.owner_email.lower():
                        week = deal_week(
                            deal.deal_id, deal.name, deal.url, snapshot.payload, changes,
                            side=SELLER, today=today, holidays=holidays,
                        )  # fmt: skip
                        sellers.setdefault(person.email, []).append((deal, week))
            critical = (
                frozenset(s.id for s in template.steps if s.critical) if template else frozenset()
            )
            roles = [(p, _role(deal, p.email)) for p in people]
            for escalation in escalations(
                deal.deal_id, snapshot.payload, changes, roles, today=today, critical=critical,
                escalate_after=self.escalate_after, holidays=holidays,
            ):  # fmt: skip
                message = render_escalation(
                    escalation, deal_name=deal.name, plan_url=deal.url, sender=plan.sender
                )
                extra = {"cause": escalation.cause}
                self._deliver(
                    plan,
                    escalation.key,
                    ESCALATION,
                    escalation.to,
                    message,
                    result,
                    extra,
                    draft=True,
                )
        self._seller_digests(sellers, today, secret, result)
        if today.weekday() == self.digest_weekday:
            self._team_digests({d.deal_id: d for d in deals}, today, secret, result)
        return result

    def _team_digests(
        self, deals: Mapping[str, DealRecord], today: date, secret: str, result: NotifyResult
    ) -> None:
        """Each team's managers: the deals the last review says need them, as one message."""
        names = {
            d.owner_email.lower(): display_name(d.owner_email, _name(d, d.owner_email))
            for d in deals.values()
        }
        with self.store.transaction(read_only=True) as tx:
            stopped = tx.opt_outs.for_deal(ALL_DEALS)
            lists = {team.name: tx.cursors.get(NEEDS + team.name) for team in self.teams()}
        for team in self.teams():
            found = json.loads(lists.get(team.name) or "{}")
            rows = [NeedsManager.of(r) for r in found.get("rows") or []]
            rows = [r for r in rows if r.deal_id in deals]  # deals deleted since are left out
            if not rows:
                continue
            for email in team.managers:
                manager = Person(email.lower(), "", SELLER)
                if manager.email in stopped:
                    continue
                token = stop_token(secret, manager.email, ALL_DEALS)
                message = render_team_digest(
                    manager,
                    team.name,
                    rows,
                    review_url=found.get("url"),
                    names=names,
                    stop_url=f"{self.base_url}{STOP_PATH}?token={quote(token)}",
                )
                if message is None:
                    continue
                plan = _Plan(deals[rows[0].deal_id], {}, [manager], set(), frozenset(), secret,
                             self.base_url)  # fmt: skip
                key = team_digest_key(manager, team.name, today)
                extra = {"team": team.name, "deals": len(rows)}
                self._deliver(plan, key, TEAM_DIGEST, (manager,), message, result, extra,
                              as_user=manager.email, stop_token_for=ALL_DEALS)  # fmt: skip

    def _buyer_digests(
        self, plan: _Plan, changes: list[Change], today: date, result: NotifyResult
    ) -> None:
        week = deal_week(
            plan.deal.deal_id, plan.deal.name, plan.deal.url, plan.snapshot, changes,
            side=BUYER, today=today, holidays=plan.holidays,
        )  # fmt: skip
        for person in plan.people:
            if person.side != BUYER or person.email in plan.quiet:
                continue
            message = render_digest(
                person, [week], sender=plan.sender, stop_url=plan.stop_url(person)
            )
            if message is not None:
                key = digest_key(person, plan.deal.deal_id, today)
                self._deliver(plan, key, DIGEST, (person,), message, result, {})

    def _seller_digests(
        self,
        sellers: dict[str, list[tuple[DealRecord, DealWeek]]],
        today: date,
        secret: str,
        result: NotifyResult,
    ) -> None:
        for email, deals in sellers.items():
            first = deals[0][0]
            person = next(p for p in people_of(first) if p.email == email)
            plan = _Plan(first, {}, [person], set(), frozenset(), secret, self.base_url)
            message = render_digest(
                person, [w for _, w in deals], sender="MAP add-on", stop_url=plan.stop_url(person)
            )
            if message is not None:
                key = digest_key(person, "all-deals", today)
                self._deliver(plan, key, DIGEST, (person,), message, result, {})

    def _deliver(
        self,
        plan: _Plan,
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
        deal = plan.deal
        sender = as_user or deal.owner_email
        item = {"to": ", ".join(p.email for p in to), "deal_id": deal.deal_id, "kind": kind}
        with self.store.transaction() as tx:
            claimed = tx.notifications.claim(
                key, deal_id=deal.deal_id, kind=kind, recipient=item["to"]
            )
        if not claimed:
            return  # sent (or being sent) by an earlier or another pass: not news
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
                tx.notifications.release(key)
            result.skipped.append({**item, "reason": f"refused: {exc}; tried again next pass"})
            return
        with self.store.transaction() as tx:
            tx.notifications.done(key, status="drafted" if draft else "sent", message_id=message_id)
        done = {**item, ("draft_id" if draft else "message_id"): message_id, **extra}
        (result.drafted if draft else result.sent).append(done)


@dataclass(frozen=True)
class _Plan:
    """One deal as a pass sees it."""

    deal: DealRecord
    snapshot: Mapping[str, Any]
    people: list[Person]
    quiet: set[str]
    holidays: frozenset[date]
    secret: str
    base_url: str

    @property
    def sender(self) -> str:
        return display_name(self.deal.owner_email, _name(self.deal, self.deal.owner_email))

    def stop_url(self, person: Person, deal_id: str | None = None) -> str:
        token = stop_token(
            self.secret, person.email, self.deal.deal_id if deal_id is None else deal_id
        )
        return f"{self.base_url}{STOP_PATH}?token={quote(token)}"


def _change(record: EventRecord) -> Change:
    event = plan_event_of(record)
    return Change(record.occurred_at, describe(event), record.actor_side.value, record.kind)


def _role(deal: DealRecord, email: str) -> str | None:
    person = deal.person(email)
    return person.role if person else None
