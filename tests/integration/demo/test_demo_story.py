"""The demo pipeline tells a true story: what the review finds is what each deal's story says.

`play_demo` runs against the stand-in through the real client libraries, three simulated weeks
to a fixed day (a US holiday, Thanksgiving, falls in them; go-lives and the revisit date fall
around Christmas), then the review is computed as of that day from the store.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from addon.config import Config
from addon.demo.deals import CHAMPION, ECONOMIC_BUYER, STORIES, story_of
from addon.demo.pipeline import DemoRun, play_demo
from addon.domain.businessdays import is_business_day
from addon.domain.model import Side
from addon.domain.review_all import review_frames
from addon.domain.review_input import ReviewInput
from addon.domain.risk_model import RiskKind
from addon.domain.risks import Risk
from addon.services.consolidate import load_review_input
from addon.services.context import Services
from addon.store.schema import notifications
from localgoogle.server import Running

TODAY = date(2026, 12, 4)  # a Friday; the three weeks before it hold Thanksgiving (26 November)
WEEKS = 3


class Played:
    """The demo as played, and the review of it as of TODAY."""

    def __init__(self, services: Services, run: DemoRun) -> None:
        self.services = services
        self.run = run
        self.data: ReviewInput = load_review_input(services.store, TODAY)
        self.frames, self.risks = review_frames(self.data)
        self.index = {d["deal_id"]: n for n, d in enumerate(run.deals)}
        with services.store.transaction(read_only=True) as tx:
            records = [tx.deals.get(d["deal_id"]) for d in run.deals]
        self.buyer_counts = [
            sum(1 for p in r.people if p.side is Side.BUYER) if r else 0 for r in records
        ]

    def flagged(self, kind: RiskKind) -> set[int]:
        return {self.index[r.deal_id] for r in self.risks if r.kind == kind}

    def live(self) -> set[int]:
        closed = {k for k, outcome in self.data.outcomes.items() if outcome.closed}
        return {n for deal_id, n in self.index.items() if deal_id not in closed}


@pytest.fixture(scope="module")
def played(local_google: Running, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Played]:
    tag = uuid.uuid4().hex[:8]
    data_dir: Path = tmp_path_factory.mktemp(f"demo-{tag}")
    services = Services(
        Config.from_env(
            {
                "MAP_LOCAL_GOOGLE_URL": local_google.url,
                "MAP_DATA_DIR": str(data_dir),
                "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
            }
        )
    )
    try:
        run = play_demo(
            services, len(STORIES), seed=1, weeks=WEEKS, today=TODAY, say=lambda m: None
        )
        yield Played(services, run)
    finally:
        services.close()


def _missing(played: Played, role: str) -> set[int]:
    """The live deals whose story leaves `role` unnamed (roles go to the listed buyers in turn)."""
    return {n for n in played.live() if role not in story_of(n).roles[: played.buyer_counts[n]]}


def test_exactly_the_deals_whose_story_names_no_economic_buyer_or_champion_are_flagged(
    played: Played,
) -> None:
    no_buyer, no_champion = _missing(played, ECONOMIC_BUYER), _missing(played, CHAMPION)
    assert 1 <= len(no_buyer) <= 2 and 1 <= len(no_champion) <= 2
    assert played.flagged(RiskKind.NO_ECONOMIC_BUYER) == no_buyer
    assert played.flagged(RiskKind.NO_CHAMPION) == no_champion


def test_only_deals_meant_to_be_unfit_cannot_fit_and_the_pulled_in_go_live_does_not(
    played: Played,
) -> None:
    unfit = {n for n in played.live() if story_of(n).unfit}
    flagged = played.flagged(RiskKind.CANNOT_FIT)
    assert flagged <= unfit
    pulled_in = {n for n in unfit if any(days < 0 for _, days in story_of(n).go_live_moves)}
    assert pulled_in and pulled_in <= flagged


def test_both_sides_agreed_where_the_story_says_so(played: Played) -> None:
    not_agreed = played.flagged(RiskKind.NOT_AGREED)
    agreed = {
        n
        for n in played.live()
        if story_of(n).buyer_agrees and story_of(n).seller_agrees and not story_of(n).go_live_moves
    }
    assert agreed and not (agreed & not_agreed)
    assert {n for n in played.live() if story_of(n).seller_agrees is None} <= not_agreed


def test_events_are_stamped_across_the_weeks_played_at_each_deals_own_times(
    played: Played,
) -> None:
    stamps = [e.occurred_at for events in played.data.events.values() for e in events]
    minutes = {s.replace(second=0, microsecond=0) for s in stamps}
    days = {s.date() for s in stamps}
    assert len(minutes) > len(played.run.deals)
    assert min(days) < TODAY - timedelta(weeks=2) and max(days) >= TODAY - timedelta(days=3)
    created = min(d.created_at for d in played.data.deals)
    assert all(created <= s <= datetime.combine(TODAY, datetime.max.time(), UTC) for s in stamps)
    assert date(2026, 11, 26) not in {s.date() for s in stamps if s < created + timedelta(days=20)}
    assert {s.weekday() for s in stamps} <= {0, 1, 2, 3, 4}


def test_no_step_is_due_and_no_revisit_falls_on_a_holiday_or_weekend(played: Played) -> None:
    for deal in played.data.deals:
        holidays = frozenset(played.data.templates[deal.template].holidays)
        steps = played.data.snapshots[deal.deal_id]["steps"]
        dues = [date.fromisoformat(s["due"]) for s in steps if s.get("due")]
        assert dues and all(is_business_day(d, holidays) for d in dues), deal.name
        assert is_business_day(deal.go_live, holidays)
        outcome = played.data.outcome(deal)
        if outcome is not None and outcome.revisit_on is not None:
            assert is_business_day(outcome.revisit_on, holidays)


def test_closed_deals_were_created_weeks_before_they_closed(played: Played) -> None:
    closed = played.frames["Closed"]
    assert set(closed["Outcome"]) == {"Won", "Lost"}
    assert (pd.to_numeric(closed["Cycle (business days)"]) >= 10).all()
    assert {d.created_at.date() for d in played.data.deals} == {date(2026, 11, 13)}


def test_forecast_and_velocity_show_what_the_deals_did(played: Played) -> None:
    forecast = played.frames["Forecast"]
    assert (forecast["Projected"] != forecast["Committed"]).any()
    velocity = played.frames["Velocity"]
    assert len(velocity) >= 2
    assert (velocity["Actual days"] > 0).all() and (velocity["Ratio"] > 0).all()
    assert velocity["Ratio"].nunique() >= 2  # fast and slow deals, not one pace
    categories = set(played.frames["Pipeline"]["Forecast"])
    assert {"Commit", "On hold"} <= categories and len(categories) >= 3


def test_the_story_outcomes_are_the_ones_decided(played: Played) -> None:
    decided = {n: story_of(n).outcome for n in range(len(STORIES)) if story_of(n).outcome}
    words = {"won": "Won on", "lost": "Lost on", "on_hold": "On hold since"}
    said = {played.index[o["deal_id"]]: o["outcome"] for o in played.run.outcomes}
    assert {
        n: next(k for k, w in words.items() if text.startswith(w)) for n, text in said.items()
    } == decided
    risks: list[Risk] = played.risks
    assert all(played.index[r.deal_id] in played.live() for r in risks)


def test_each_played_day_sends_its_reminders_and_digests_once(played: Played) -> None:
    """The daily notification pass ran on each simulated business day: the outbox has the
    reminders the stories' due dates call for, and the Monday digests, each key once."""
    sent = sum(week.messages for week in played.run.weeks)
    assert sent > 0
    with played.services.store.transaction(read_only=True) as tx:
        rows = tx.connection.execute(
            sa.select(
                notifications.c.key,
                notifications.c.kind,
                notifications.c.status,
                notifications.c.message_id,
            )
        ).all()
    # one stored claim per step a message covers, none left half-done; a person's reminders of
    # one deal on one day are one message
    assert len({row.message_id for row in rows}) == sent <= len(rows)
    assert {row.status for row in rows} <= {"sent", "drafted"}
    kinds = {row.kind for row in rows}
    assert {"reminder", "digest"} <= kinds
    last = TODAY - timedelta(days=1)
    while last.weekday() >= 5:
        last -= timedelta(days=1)
    notifier = replace(played.services.notifier, today=lambda: last)
    assert notifier.run_once().sent == []  # the last played day's pass again: nothing twice
