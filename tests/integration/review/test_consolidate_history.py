"""Each consolidate keeps what it projected for every live deal; a won deal is then measured.

Through the stand-in: two reviews a week apart (the Consolidator's clock), then the seller wins
the deal, and the next review's Forecast accuracy tab counts it with the projections recorded.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.services.consolidate import Consolidator
from addon.services.context import Services
from localgoogle.server import Running

DAY = date(2026, 12, 7)


def test_reviews_record_projections_and_measure_won_deals(
    local_google: Running, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    seller = f"sam-{tag}@vendor.example"
    teams = tmp_path / "teams.yaml"
    teams.write_text(
        f"teams:\n  - name: t-{tag}\n    managers: [m-{tag}@vendor.example]\n"
        f"    sellers: [{seller}]\n"
    )
    services = Services(
        Config.from_env(
            {
                "MAP_LOCAL_GOOGLE_URL": local_google.url,
                "MAP_DATA_DIR": str(tmp_path / "data"),
                "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
                "MAP_TEAMS_FILE": str(teams),
            }
        )
    )
    try:
        request = build_plan_request(
            deal_name="Rollout",
            buyer_company="Acme",
            buyer_emails=[f"ann-{tag}@acme.example"],
            go_live="2027-03-01",
            template="mid-market",
            owner=seller,
            today=DAY,
        )
        deal_id = services.creator.create(request).deal_id
        for day in (DAY, DAY + timedelta(days=7)):
            Consolidator(services, today=lambda day=day: day).run()
        with services.store.transaction(read_only=True) as tx:
            history = tx.forecasts.for_deals([deal_id])[deal_id]
        assert [h.reviewed_on for h in history] == [DAY, DAY + timedelta(days=7)]
        assert all(h.committed is not None and h.projected is not None for h in history)

        won_on = DAY + timedelta(days=40)
        lifecycle = services.lifecycle
        lifecycle.clock = lambda: datetime.combine(won_on, datetime.min.time(), tzinfo=UTC)
        lifecycle.close(deal_id, won=True, by=seller)
        (review,), _, _ = Consolidator(services, today=lambda: won_on).run()
        accuracy = review.frames["Forecast accuracy"].iloc[0]
        month = pd.Timestamp(won_on.replace(day=1))  # the month as its first day
        assert (accuracy["Month"], accuracy["Won deals"]) == (month, 1)
        assert accuracy["Measured 30 days before"] == 1  # the review of DAY + 7, 33 days before
        assert accuracy["Projection error 30 days before"] >= 0
        assert deal_id in set(review.frames["Closed"]["deal_id"])
        assert deal_id not in set(review.frames["Pipeline"]["deal_id"])
        with services.store.transaction(read_only=True) as tx:
            after = tx.forecasts.for_deals([deal_id])[deal_id]
        assert len(after) == 2  # a closed deal is no longer projected
    finally:
        services.close()
