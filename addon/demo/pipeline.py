"""The demo pipeline played over the weeks that led to today, each deal by its story.

The sellers create the plans `weeks` weeks ago; then every business day, in the morning the
buyers and in the afternoon the sellers type what their stories say (`demo.days`), and at the
end of the day the watch reads what changed, and a notification pass sends that day's reminders
and digests (read them in the stand-in's outbox). Each week's end records the review's
projections as of that day. Today, the sellers close the deals whose stories end so (won, lost,
on hold).
Everything is stamped at its simulated time (`demo.clock`): the deals' creation, the events,
the snapshots; only the outcomes, decided today, are stamped now.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..domain.businessdays import add_business_days, business_days_between, is_business_day
from ..domain.model import Side, Template
from ..domain.plan_request import InvalidPlanRequest, build_plan_request
from ..domain.templates import find_template, load_templates
from ..services.consolidate import load_review_input, record_projections
from ..services.context import Services
from ..services.deal_outcome import DealLifecycle
from ..store import DealRecord, DealStatus
from .clock import DemoClock, demo_clock
from .days import Day, day_edits
from .deals import demo_deals, story_of
from .play import LOSS

HOLD_WEEKS = 3
BUYERS_AT, SELLERS_AT, WATCH_AT, MAIL_AT = time(9, 0), time(14, 0), time(17, 30), time(18, 0)


@dataclass(frozen=True)
class DemoWeek:
    week: int
    edited_plans: int
    events: int
    messages: int = 0  # reminders, digests and escalation drafts the week's passes made


@dataclass
class DemoRun:
    """What `play_demo` made: the plans, each week's edits and events, the outcomes."""

    deals: list[dict[str, str]] = field(default_factory=list)
    weeks: list[DemoWeek] = field(default_factory=list)
    outcomes: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "deals": self.deals,
            "weeks": [asdict(w) for w in self.weeks],
            "outcomes": self.outcomes,
        }


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def start_day(today: date, weeks: int, holidays: frozenset[date]) -> date:
    """The business day the plans are made: `weeks` weeks before today (or the next one)."""
    start = today - timedelta(weeks=weeks)
    while not is_business_day(start, holidays):
        start += timedelta(days=1)
    return start


def play_demo(
    services: Services,
    count: int,
    seed: int,
    weeks: int = 3,
    *,
    today: date | None = None,
    say: Callable[[str], None] = _say,
) -> DemoRun:
    """Create `count` demo plans `weeks` weeks before today and play their stories to today."""
    if weeks and not services.config.is_local:
        raise InvalidPlanRequest("simulated weeks need the local stand-in; use --weeks 0")
    end = today or datetime.now(UTC).date()
    templates = {t.name: t for t in load_templates(services.templates_dir)}
    every_holiday = frozenset(d for t in templates.values() for d in t.holidays)
    start = start_day(end, weeks, every_holiday) if weeks else end
    run = DemoRun()
    begin = datetime.combine(start, time(8, 0), UTC) if weeks else datetime.now(UTC)
    with demo_clock(services.config, begin) as clock:
        made = _create(services, clock, count, seed, list(templates), run, say)
        watcher = replace(services.watcher, now=clock.now)
        if weeks:
            watcher.tick()  # start the change feed (or catch up) before anyone edits
        day, week = start + timedelta(days=1), 1
        edited: set[str] = set()
        events = messages = 0
        while weeks and day < end:
            if day.weekday() < 5:  # each deal's own holidays are skipped in _play_day
                edited |= _play_day(services, clock, made, day, templates)
                clock.at(datetime.combine(day, WATCH_AT, UTC))
                events += len(watcher.tick().events)
                clock.at(datetime.combine(day, MAIL_AT, UTC))
                messages += _mail(services, day)
            if (day - start).days >= 7 * week or day + timedelta(days=1) >= end:
                record_projections(services.store, load_review_input(services.store, day))
                run.weeks.append(DemoWeek(week, len(edited), events, messages))
                say(
                    f"demo week {week}/{weeks}: {len(edited)} plan(s) edited, {events} event(s), "
                    f"{messages} message(s)"
                )
                edited, events, messages, week = set(), 0, 0, week + 1
            day += timedelta(days=1)
        if weeks:
            # decided today: now, or midday of a `today` given that is not the wall clock's
            wall = datetime.now(UTC)
            clock.at(wall if wall.date() == end else datetime.combine(end, time(12, 0), UTC))
            lifecycle = replace(services.lifecycle, clock=clock.now, catch_up=None)
            run.outcomes = _close(services, lifecycle, made, templates, say)
            record_projections(services.store, load_review_input(services.store, end))
    return run


def _mail(services: Services, day: date) -> int:
    """The day's notification pass, as the daily job would run it: messages sent or drafted."""
    result = replace(services.notifier, today=lambda: day).run_once()
    return len(result.sent) + len(result.drafted)


def _create(
    services: Services,
    clock: DemoClock,
    count: int,
    seed: int,
    names: list[str],
    run: DemoRun,
    say: Callable[[str], None],
) -> dict[str, int]:
    """The plans, made by their sellers a few minutes apart; deal id -> the deal's index."""
    creator = replace(services.creator, today=clock.today, now=clock.now)
    made: dict[str, int] = {}
    start = clock.now()
    for n, deal in enumerate(demo_deals(count, seed, clock.today(), names)):
        clock.at(start + timedelta(minutes=3 * n))
        request = build_plan_request(**asdict(deal), today=clock.today())
        created = creator.create(request)
        made[created.deal_id] = n
        state = "exists" if created.reused else "created"
        run.deals.append(
            {"deal_id": created.deal_id, "name": deal.deal_name, "url": created.url, "state": state}
        )
        say(f"demo {n + 1}/{count} {state}: {deal.deal_name}")
    return made


def _live(services: Services, made: dict[str, int]) -> list[DealRecord]:
    with services.store.transaction(read_only=True) as tx:
        decided = set(tx.outcomes.all())
        deals = [tx.deals.get(deal_id) for deal_id in made]
    return [
        d
        for d in deals
        if d is not None
        and d.status is DealStatus.READY
        and d.spreadsheet_id
        and d.deal_id not in decided
    ]


def _play_day(
    services: Services,
    clock: DemoClock,
    made: dict[str, int],
    day: date,
    templates: dict[str, Template],
) -> set[str]:
    """The day's edits: the buyers' in the morning, the sellers' in the afternoon."""
    plans: list[tuple[DealRecord, str, Any]] = []
    for deal in _live(services, made):
        template = templates.get(deal.template) or find_template(
            deal.template, services.templates_dir
        )
        holidays = frozenset(template.holidays)
        if not is_business_day(day, holidays):
            continue  # a holiday where this buyer works: nobody touches the plan
        with services.store.transaction(read_only=True) as tx:
            snapshot = tx.snapshots.latest(deal.deal_id)
        buyer = next((p.email for p in deal.people if p.side is Side.BUYER), None)
        if snapshot is None or buyer is None:
            continue
        number = business_days_between(deal.created_at.date(), day, holidays)
        story = story_of(made[deal.deal_id])
        edits = day_edits(snapshot.payload, story, template, Day(day, number))
        plans.append((deal, buyer, edits))
    edited: set[str] = set()
    for side, at in (("buyer", BUYERS_AT), ("seller", SELLERS_AT)):
        for deal, buyer, edits in plans:
            typed = edits.buyer if side == "buyer" else edits.seller
            if not typed:
                continue
            offset = timedelta(minutes=17 * made[deal.deal_id] + 1)
            clock.at(datetime.combine(day, at, UTC) + offset)
            who = buyer if side == "buyer" else deal.owner_email
            data = [{"range": e.range, "values": e.values} for e in typed]
            assert deal.spreadsheet_id is not None
            services.google.as_user(who).write_values(deal.spreadsheet_id, data, "USER_ENTERED")
            edited.add(deal.deal_id)
    return edited


def _close(
    services: Services,
    lifecycle: DealLifecycle,
    made: dict[str, int],
    templates: dict[str, Template],
    say: Callable[[str], None],
) -> list[dict[str, str]]:
    """The sellers close the deals whose stories end today: won, lost or on hold."""
    done = []
    today = lifecycle.clock().date()
    for deal in _live(services, made):
        story = story_of(made[deal.deal_id])
        by = deal.owner_email
        if story.outcome == "won":
            change = lifecycle.close(deal.deal_id, won=True, by=by)
        elif story.outcome == "lost":
            change = lifecycle.close(
                deal.deal_id, won=False, by=by, reason=LOSS[0], competitor=LOSS[1]
            )
        elif story.outcome == "on_hold":
            holidays = frozenset(templates[deal.template].holidays)
            revisit = today + timedelta(weeks=HOLD_WEEKS)
            until = add_business_days(revisit - timedelta(days=1), 1, holidays)  # never a holiday
            change = lifecycle.hold(deal.deal_id, until=until, by=by)
        else:
            continue
        outcome = change.as_json()
        done.append({"deal_id": deal.deal_id, "name": deal.name, "outcome": outcome["describe"]})
        say(f"demo outcome: {deal.name}: {outcome['describe']}")
    return done
