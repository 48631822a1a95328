"""The demo's buyers: each simulated week they edit their plans, then the watch records it.

The weeks played are the weeks that led to today: after each one the review's projections are
recorded as of that week's end (today for the last), so the demo has a forecast history; then
`close_some` has the sellers win, lose and pause a few deals the way their buyers behaved.

These weeks are played at the wall clock's time on plans made today; `demo.pipeline.play_demo`
plays each deal's story from plans made weeks ago, every edit at its simulated time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..domain.businessdays import add_business_days
from ..domain.model import Side
from ..domain.templates import find_template
from ..services.consolidate import load_review_input, record_projections
from ..services.context import Services
from ..store import DealStatus
from .buyers import buyer_week, persona


@dataclass(frozen=True)
class WeekPlayed:
    week: int
    edited_plans: int
    events: int


def play_buyers(
    services: Services, weeks: int, seed: int, report: Callable[[str], None] = lambda _: None
) -> list[WeekPlayed]:
    """Let every demo deal's first buyer act out their persona for `weeks` weeks.

    `report` hears one line per week played (the CLI's progress line on a terminal).
    """
    rng = random.Random(seed)
    today = datetime.now(UTC).date()
    services.watcher.tick()  # start the change feed (or catch up) before the buyers act
    played = []
    for week in range(1, weeks + 1):
        with services.store.transaction() as tx:
            deals = [d for d in tx.deals.newest_first() if d.status is DealStatus.READY]
            latest = {d.deal_id: tx.snapshots.latest(d.deal_id) for d in deals}
        edited = 0
        for index, deal in enumerate(sorted(deals, key=lambda d: d.created_at)):
            snapshot = latest[deal.deal_id]
            buyer = next((p.email for p in deal.people if p.side is Side.BUYER), None)
            if snapshot is None or buyer is None or deal.spreadsheet_id is None:
                continue
            edits = buyer_week(snapshot.payload, persona(index), week, today, rng)
            if not edits:
                continue
            data = [{"range": e.range, "values": e.values} for e in edits]
            services.google.as_user(buyer).write_values(deal.spreadsheet_id, data, "USER_ENTERED")
            edited += 1
        result = services.watcher.tick()
        as_of = today - timedelta(weeks=weeks - week)
        record_projections(services.store, load_review_input(services.store, as_of))
        played.append(WeekPlayed(week, edited, len(result.events)))
        report(
            f"Playing {weeks} demo week(s)… {week}/{weeks}: buyers edited {edited} plan(s), "
            f"{len(result.events)} event(s) recorded"
        )
    return played


# What the sellers decide once the weeks are played, by the persona of the deal's buyer.
OUTCOMES = {
    "engaged": "won",
    "slipping": "lost",
    "silent": "on_hold",
}
LOSS = ("Competitor: chose a cheaper point solution", "Contoso Analytics")
HOLD_WEEKS = 3


def close_some(services: Services) -> list[dict[str, str]]:
    """Win the first engaged buyer's deal, lose the first slipping one's, pause a silent one."""
    today = datetime.now(UTC).date()
    with services.store.transaction(read_only=True) as tx:
        deals = [d for d in tx.deals.newest_first() if d.status is DealStatus.READY]
        decided = set(tx.outcomes.all())
    done: dict[str, dict[str, str]] = {}
    for index, deal in enumerate(sorted(deals, key=lambda d: d.created_at)):
        move = OUTCOMES.get(persona(index))
        if move is None or move in done or deal.deal_id in decided:
            continue
        lifecycle, by = services.lifecycle, deal.owner_email
        if move == "won":
            change = lifecycle.close(deal.deal_id, won=True, by=by)
        elif move == "lost":
            change = lifecycle.close(
                deal.deal_id, won=False, by=by, reason=LOSS[0], competitor=LOSS[1]
            )
        else:
            holidays = frozenset(find_template(deal.template, services.templates_dir).holidays)
            revisit = today + timedelta(weeks=HOLD_WEEKS) - timedelta(days=1)
            until = add_business_days(revisit, 1, holidays)  # never a weekend or holiday
            change = lifecycle.hold(deal.deal_id, until=until, by=by)
        outcome = change.as_json()
        done[move] = {"deal_id": deal.deal_id, "name": deal.name, "outcome": outcome["describe"]}
    return list(done.values())
