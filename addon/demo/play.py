"""The demo's buyers: each simulated week they edit their plans, then the watch records it."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from ..services.context import Services
from ..store import DealStatus, PersonSide
from .buyers import buyer_week, persona


@dataclass(frozen=True)
class WeekPlayed:
    week: int
    edited_plans: int
    events: int


def play_buyers(services: Services, weeks: int, seed: int) -> list[WeekPlayed]:
    """Let every demo deal's first buyer act out their persona for `weeks` weeks."""
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
            buyer = next((p.email for p in deal.people if p.side is PersonSide.BUYER), None)
            if snapshot is None or buyer is None or deal.spreadsheet_id is None:
                continue
            edits = buyer_week(snapshot.payload, persona(index), week, today, rng)
            if not edits:
                continue
            data = [{"range": e.range, "values": e.values} for e in edits]
            services.google.as_user(buyer).write_values(deal.spreadsheet_id, data, "USER_ENTERED")
            edited += 1
        result = services.watcher.tick()
        played.append(WeekPlayed(week, edited, len(result.events)))
        print(
            f"demo week {week}/{weeks}: buyers edited {edited} plan(s), "
            f"{len(result.events)} event(s) recorded",
            file=sys.stderr,
            flush=True,
        )
    return played
