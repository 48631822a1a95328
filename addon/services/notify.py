"""One notification pass: the reminders each live deal's plan calls for today, sent once each.

Each message is claimed in the store under its key before it is sent (as plan creation claims
its request key), so a pass killed and run again, or two passes at once, send each message once.
A send that certainly failed (Google refused it) releases the claim for a later pass; a send
whose outcome is unknown (a server error, a lost connection) keeps it: a reminder missed is
better than a reminder sent twice. Mail goes out as the deal's owner (the seller); a manager's
team digest goes out as the manager, to the manager, from the last review's list.

A pass splits into parts (`domain/notify_task.py`: each deal, each seller's digest, each team's
digest) that a durable queue runs apart through `run`; `run_once` runs them all here, reading
the deals once. A person's reminders of one deal on one day go out as one message, each step
claimed under its own key.

Every message carries a link to stop them (signed with a secret kept in the store) and the
List-Unsubscribe headers of RFC 8058 for mail clients' one-click unsubscribe.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from ..domain.digests import (
    Change,
    DealWeek,
    deal_week,
    digest_key,
    escalations,
    render_digest,
    render_escalation,
)
from ..domain.model import Side, Template
from ..domain.notify_task import DEAL as DEAL_PART
from ..domain.notify_task import SELLER as SELLER_PART
from ..domain.notify_task import TEAM as TEAM_PART
from ..domain.notify_task import NotifyTask
from ..domain.outcome import Outcome
from ..domain.reminders import (
    OVERDUE,
    REMINDER,
    Person,
    Reminder,
    ReminderSettings,
    due_reminders,
    render_reminders,
)
from ..domain.team_digest import NeedsManager, render_team_digest, team_digest_key
from ..domain.teams import Team
from ..store import DealRecord, Store
from ..store.notifications import ALL_DEALS
from .notify_parts import (
    Batch,
    Mailer,
    NotifyResult,
    PlanView,
    change_of,
    display_name,
    live_deals,
    name_of,
    people_of,
    role_of,
)
from .notify_post import Post
from .stop_links import SECRET, STOP_PATH, notify_secret, read_stop_token, stop_token

__all__ = [  # the stop links' helpers are used from here by the web app and the tests
    "SECRET",
    "STOP_PATH",
    "Mailer",
    "Notifier",
    "NotifyResult",
    "notify_secret",
    "read_stop_token",
    "stop_token",
]

DIGEST, ESCALATION, TEAM_DIGEST = "digest", "escalation", "team_digest"
NEEDS = "review.needs."  # + team name: consolidate's list of the deals that need a manager


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

    @property
    def _post(self) -> Post:
        return Post(self.store, self.mailer_for)

    def run_once(self) -> NotifyResult:
        """The whole pass in this process: every part `tasks` lists, read in one go."""
        result = NotifyResult()
        today = self.today()
        secret = notify_secret(self.store)
        batch = self._load(lambda tx: tx.deals.newest_first())
        sellers: dict[str, list[tuple[DealRecord, DealWeek]]] = {}
        for deal in reversed(batch.deals):
            week = self._deal_pass(batch, deal, today, secret, result)
            if week is not None:
                sellers.setdefault(deal.owner_email.lower(), []).append((deal, week))
        for email, weeks in sellers.items():
            self._seller_digest(email, weeks, today, secret, result)
        if today.weekday() == self.digest_weekday:
            self._team_digests(batch.by_id(), today, secret, result, self.teams())
        return result

    def tasks(self, day: date | None = None) -> list[NotifyTask]:
        """The parts of the day's pass, for a queue to run apart: each live deal, then each
        seller's digest and each team's on the digest day."""
        today = day or self.today()
        with self.store.transaction(read_only=True) as tx:
            deals = live_deals(tx.deals.newest_first())
        found = [NotifyTask(DEAL_PART, d.deal_id, today) for d in reversed(deals)]
        if today.weekday() == self.digest_weekday:
            owners = dict.fromkeys(d.owner_email.lower() for d in reversed(deals))
            found += [NotifyTask(SELLER_PART, email, today) for email in owners]
            found += [NotifyTask(TEAM_PART, team.name, today) for team in self.teams()]
        return found

    def run(self, task: NotifyTask) -> NotifyResult:
        """One part of a pass (a queue's task): the same messages, claimed under the same keys,
        as `run_once` sends for it, so the two can run side by side and repeat freely."""
        result = NotifyResult()
        today = task.day
        secret = notify_secret(self.store)
        if task.scope == DEAL_PART:
            batch = self._load(lambda tx: [d for d in [tx.deals.get(task.subject)] if d])
            for deal in batch.deals:
                self._deal_pass(batch, deal, today, secret, result)
        elif task.scope == SELLER_PART:
            batch = self._load(lambda tx: tx.deals.newest_first(owner_email=task.subject))
            weeks = [
                (deal, week)
                for deal in reversed(batch.deals)
                if (week := self._seller_week(batch, deal, today)) is not None
            ]
            self._seller_digest(task.subject.lower(), weeks, today, secret, result)
        elif today.weekday() == self.digest_weekday:
            teams = [team for team in self.teams() if team.name == task.subject]
            with self.store.transaction(read_only=True) as tx:
                deals = {d.deal_id: d for d in live_deals(tx.deals.newest_first())}
            self._team_digests(deals, today, secret, result, teams)
        return result

    def _load(self, which: Callable[[Any], list[DealRecord]]) -> Batch:
        """The live deals of `which` (given the transaction, newest first) and what a pass reads
        of each, in one transaction."""
        with self.store.transaction(read_only=True) as tx:
            deals = live_deals(which(tx))
            ids = [d.deal_id for d in deals]
            return Batch(
                deals=deals,
                outcomes=tx.outcomes.all(),
                snapshots=tx.snapshots.latest_of(ids),
                records=tx.events.for_deals(ids),
                stopped={d.deal_id: tx.opt_outs.for_deal(d.deal_id) for d in deals},
                chosen=tx.notify_settings.all(),
            )

    def _plan(self, batch: Batch, deal: DealRecord, today: date, secret: str) -> PlanView | None:
        """The deal as a pass sees it; None when it sends nothing (lost, paused, never read)."""
        outcome = batch.outcomes.get(deal.deal_id)
        if outcome is not None and outcome.outcome == Outcome.LOST.value:
            return None  # archived
        if outcome is not None and outcome.outcome == Outcome.ON_HOLD.value:
            if outcome.revisit_on is None or today < outcome.revisit_on:
                return None  # paused
        snapshot = batch.snapshots.get(deal.deal_id)
        if snapshot is None:
            return None
        template = self.template(deal.template)
        holidays = frozenset(template.holidays) if template else frozenset()
        people = people_of(deal, outcome.success_owner if outcome else None)
        quiet = batch.stopped.get(deal.deal_id, set())
        steps = template.steps if template else ()
        critical = frozenset(step.id for step in steps if step.critical)
        return PlanView(
            deal, snapshot.payload, people, quiet, holidays, secret, self.base_url, critical
        )

    def _settings(self, batch: Batch, deal: DealRecord) -> ReminderSettings:
        stored = batch.chosen.get(deal.deal_id)
        return ReminderSettings(*stored) if stored else ReminderSettings()

    def _seller_week(
        self, batch: Batch, deal: DealRecord, today: date, plan: PlanView | None = None
    ) -> DealWeek | None:
        """The deal's part of its seller's weekly digest, on the digest day (None otherwise)."""
        plan = plan or self._plan(batch, deal, today, "")
        if plan is None or not self._settings(batch, deal).enabled:
            return None
        if today.weekday() != self.digest_weekday:
            return None
        changes = [change_of(r) for r in batch.records.get(deal.deal_id, [])]
        return deal_week(
            deal.deal_id, deal.name, deal.url, plan.snapshot, changes,
            side=Side.SELLER, today=today, holidays=plan.holidays,
        )  # fmt: skip

    def _deal_pass(
        self, batch: Batch, deal: DealRecord, today: date, secret: str, result: NotifyResult
    ) -> DealWeek | None:
        """A deal's reminders, buyer digests and escalation drafts; its seller-digest part."""
        plan = self._plan(batch, deal, today, secret)
        if plan is None:
            return None
        settings = self._settings(batch, deal)
        changes = [change_of(r) for r in batch.records.get(deal.deal_id, [])]
        due = due_reminders(
            deal.deal_id,
            plan.snapshot,
            plan.people,
            today=today,
            created=deal.created_at.date(),
            holidays=plan.holidays,
            settings=settings,
            opted_out=plan.quiet,
        )
        by_person: dict[str, list[Reminder]] = {}
        for reminder in due:
            by_person.setdefault(reminder.to.email, []).append(reminder)
        for reminders in by_person.values():
            self._remind(plan, reminders, result)
        if settings.enabled and today.weekday() == settings.digest_weekday:
            self._buyer_digests(plan, changes, today, result)
        self._escalations(plan, changes, today, result)
        return self._seller_week(batch, deal, today, plan)

    def _remind(self, plan: PlanView, reminders: list[Reminder], result: NotifyResult) -> None:
        """One person's reminders of a deal today as one message. Each step's key is claimed
        (a step reminded before, or by another pass, is left out), so a message lists only the
        steps nobody has reminded them of."""
        to = reminders[0].to
        keys = set(self._post.claim(plan, ((r.key, r.kind) for r in reminders), (to,)))
        claimed = [r for r in reminders if r.key in keys]
        if not claimed:
            return
        message = render_reminders(
            claimed,
            deal_name=plan.deal.name,
            plan_url=plan.deal.url,
            sender=plan.sender,
            stop_url=plan.stop_url(to),
        )
        kind = OVERDUE if any(r.kind == OVERDUE for r in claimed) else REMINDER
        extra = {"steps": [r.step_name for r in claimed]}
        self._post.deliver(
            plan, tuple(r.key for r in claimed), kind, (to,), message, result, extra, claimed=True
        )

    def _escalations(
        self, plan: PlanView, changes: list[Change], today: date, result: NotifyResult
    ) -> None:
        deal = plan.deal
        roles = [(p, role_of(deal, p.email)) for p in plan.people]
        for escalation in escalations(
            deal.deal_id, plan.snapshot, changes, roles, today=today, critical=plan.critical,
            escalate_after=self.escalate_after, holidays=plan.holidays,
        ):  # fmt: skip
            message = render_escalation(
                escalation, deal_name=deal.name, plan_url=deal.url, sender=plan.sender
            )
            extra = {"cause": escalation.cause}
            keys = (escalation.key,)
            self._post.deliver(
                plan, keys, ESCALATION, escalation.to, message, result, extra, draft=True
            )

    def _team_digests(
        self,
        deals: Mapping[str, DealRecord],
        today: date,
        secret: str,
        result: NotifyResult,
        teams: list[Team],
    ) -> None:
        """Each team's managers: the deals the last review says need them, as one message."""
        names = {
            d.owner_email.lower(): display_name(d.owner_email, name_of(d, d.owner_email))
            for d in deals.values()
        }
        with self.store.transaction(read_only=True) as tx:
            stopped = tx.opt_outs.for_deal(ALL_DEALS)
            lists = {team.name: tx.cursors.get(NEEDS + team.name) for team in teams}
        for team in teams:
            found = json.loads(lists.get(team.name) or "{}")
            rows = [NeedsManager.of(r) for r in found.get("rows") or []]
            rows = [r for r in rows if r.deal_id in deals]  # deals deleted since are left out
            if not rows:
                continue
            for email in team.managers:
                manager = Person(email.lower(), "", Side.SELLER)
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
                plan = PlanView(deals[rows[0].deal_id], {}, [manager], set(), frozenset(), secret,
                             self.base_url)  # fmt: skip
                key = team_digest_key(manager, team.name, today)
                extra = {"team": team.name, "deals": len(rows)}
                self._post.deliver(plan, (key,), TEAM_DIGEST, (manager,), message, result, extra,
                              as_user=manager.email, stop_token_for=ALL_DEALS)  # fmt: skip

    def _buyer_digests(
        self, plan: PlanView, changes: list[Change], today: date, result: NotifyResult
    ) -> None:
        week = deal_week(
            plan.deal.deal_id, plan.deal.name, plan.deal.url, plan.snapshot, changes,
            side=Side.BUYER, today=today, holidays=plan.holidays,
        )  # fmt: skip
        for person in plan.people:
            if person.side != Side.BUYER or person.email in plan.quiet:
                continue
            message = render_digest(
                person, [week], sender=plan.sender, stop_url=plan.stop_url(person)
            )
            if message is not None:
                key = digest_key(person, plan.deal.deal_id, today)
                self._post.deliver(plan, (key,), DIGEST, (person,), message, result, {})

    def _seller_digest(
        self,
        email: str,
        deals: list[tuple[DealRecord, DealWeek]],
        today: date,
        secret: str,
        result: NotifyResult,
    ) -> None:
        """One seller's weekly digest over their deals."""
        if not deals:
            return
        first = deals[0][0]
        person = next(p for p in people_of(first) if p.email == email)
        plan = PlanView(first, {}, [person], set(), frozenset(), secret, self.base_url)
        message = render_digest(
            person, [w for _, w in deals], sender="MAP add-on", stop_url=plan.stop_url(person)
        )
        if message is not None:
            key = digest_key(person, "all-deals", today)
            self._post.deliver(plan, (key,), DIGEST, (person,), message, result, {})
