"""Activity, Velocity, Forecast by month and Data issues tables; a 2,000-deal pipeline."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pandas as pd
from review_examples import TINY, TODAY, deal, event, pipeline, snapshot, step
from shipped_plans import fresh_steps, shipped_review

from addon.domain.review import (
    activity_frame,
    data_issues_frame,
    forecast,
    forecast_by_month,
    pipeline_frame,
    steps_frame,
    velocity_frame,
)
from addon.domain.review_input import EventFacts, ReviewInput
from addon.domain.review_velocity import VELOCITY_COLUMNS


def test_activity_lists_buyer_actions_first_newest_first_within_each_side() -> None:
    table = activity_frame(pipeline())
    assert list(table.columns) == ["When", "Deal", "Who", "Side", "What", "Step / field"]
    assert list(zip(table["Deal"], table["Side"], strict=True)) == [
        ("Acme", "Buyer"),
        ("Bolt", "Buyer"),
        ("Delta", "Buyer"),
        ("Delta", "Buyer"),
        ("Bolt", "Seller"),
        ("Delta", "Seller"),
        ("Cobalt", "Seller"),
    ]
    assert table["When"].iloc[0] == pd.Timestamp("2027-01-29 12:00", tz="UTC")
    assert table["What"].iloc[0] == "Marked Evaluation done"
    assert table["Who"].iloc[1] == "buyer@b.example"
    assert table["Step / field"].iloc[1] == "Procurement review"


def test_activity_describes_an_event_from_its_values_and_keeps_the_latest_only() -> None:
    data = pipeline()
    moved = EventFacts(
        event_id="e_x",
        deal_id="a",
        kind="go_live_slipped",
        occurred_at=datetime(2027, 1, 30, 8, tzinfo=UTC),
        actor_side="buyer",
        actor_email="cfo@acme.example",
        before="2027-04-01",
        after="2027-04-30",
        details={"slip_business_days": 21},
    )
    unknown = dataclasses.replace(moved, event_id="e_y", kind="brand_new_kind")
    events = dict(data.events) | {"a": (*data.events["a"], moved, unknown)}
    table = activity_frame(dataclasses.replace(data, events=events), limit=2)
    assert list(table["What"]) == [
        "Moved go-live from 2027-04-01 to 2027-04-30 (21 business days later)",
        "Brand new kind",
    ]


def _started(deal_id: str, step_id: str, day: str, n: int) -> EventFacts:
    return EventFacts(
        f"s{deal_id}{n}",
        deal_id,
        "step_status_changed",
        datetime.fromisoformat(day).replace(hour=15, tzinfo=UTC),
        "buyer",
        subject=step_id,
        before="Not started",
        after="In progress",
    )


def _done(deal_id: str, step_id: str, day: str, n: int) -> EventFacts:
    return EventFacts(
        f"d{deal_id}{n}",
        deal_id,
        "step_done",
        datetime.fromisoformat(day).replace(hour=15, tzinfo=UTC),
        "buyer",
        subject=step_id,
        before="In progress",
        after="Done",
        details={"done_on": day},
    )


def test_velocity_measures_each_finished_phase_from_its_first_start_to_its_last_done() -> None:
    # mid-market's Discover phase: discovery (3 days) then the plan agreed (1 day): 4 planned
    template, steps = fresh_steps("mid-market")
    finished = [
        {**s, "status": "Done"} if s["id"] in ("discovery", "mutual-plan") else s for s in steps
    ]
    one = shipped_review(template, finished, today=date(2027, 3, 15))
    deals = (one.deals[0], dataclasses.replace(one.deals[0], deal_id="deal-2"))
    events = {
        # on plan: started Mon 1 Mar, the last step done Thu 4 Mar: 4 business days
        "deal-1": (
            _started("deal-1", "discovery", "2027-03-01", 1),
            _done("deal-1", "discovery", "2027-03-03", 2),
            _done("deal-1", "mutual-plan", "2027-03-04", 3),
        ),
        # slow: started Mon 1 Mar, done Wed 10 Mar: 8 business days
        "deal-2": (
            _started("deal-2", "discovery", "2027-03-01", 1),
            _done("deal-2", "discovery", "2027-03-08", 2),
            _done("deal-2", "mutual-plan", "2027-03-10", 3),
        ),
    }
    data = dataclasses.replace(
        one,
        deals=deals,
        events=events,
        snapshots={d.deal_id: one.snapshots["deal-1"] for d in deals},
    )
    table = velocity_frame(data, steps_frame(data))
    assert table.to_dict("records") == [
        {
            "Template": template.title,
            "Phase": "Discover",
            "Deals": 2,
            "Planned days": 4,
            "Actual days": 6.0,
            "Ratio": 1.5,
        }
    ]


def test_velocity_leaves_out_a_phase_not_finished_and_steps_without_events() -> None:
    template, steps = fresh_steps("mid-market")
    half = [{**s, "status": "Done"} if s["id"] == "discovery" else s for s in steps]
    data = shipped_review(
        template,
        half,
        today=date(2027, 3, 15),
        events=(
            _started("deal-1", "discovery", "2027-03-01", 1),
            _done("deal-1", "discovery", "2027-03-03", 2),
        ),
    )
    assert velocity_frame(data, steps_frame(data)).empty
    done_without_events = [{**s, "status": "Done"} for s in steps]
    data = shipped_review(template, done_without_events, today=date(2027, 3, 15))
    assert velocity_frame(data, steps_frame(data)).empty


def test_forecast_by_month_sums_amounts_by_committed_and_projected_month() -> None:
    data = pipeline()
    table = forecast_by_month(data, forecast(data, steps_frame(data)))
    assert table.to_dict("records") == [
        # Acme, Bolt and Delta commit and project in February; Cobalt in March; Echo April
        {"Month": "2027-02", "Committed": 170_000.0, "Projected": 170_000.0},
        {"Month": "2027-03", "Committed": 30_000.0, "Projected": 30_000.0},
        {"Month": "2027-04", "Committed": 10_000.0, "Projected": 10_000.0},
    ]


def test_forecast_by_month_moves_a_late_deal_to_its_projected_month() -> None:
    data = pipeline()
    late = snapshot(
        [step("legal", "Legal review", "Buyer", "2027-02-19")],
        signature="2027-01-29",
        agreed=(True, True),
    )
    data = dataclasses.replace(data, snapshots=dict(data.snapshots) | {"d": late})
    table = forecast_by_month(data, forecast(data, steps_frame(data)))
    assert table.to_dict("records") == [
        {"Month": "2027-01", "Committed": 20_000.0, "Projected": 0.0},
        {"Month": "2027-02", "Committed": 150_000.0, "Projected": 170_000.0},
        {"Month": "2027-03", "Committed": 30_000.0, "Projected": 30_000.0},
        {"Month": "2027-04", "Committed": 10_000.0, "Projected": 10_000.0},
    ]


def test_data_issues_list_snapshot_problems_and_unreadable_plans() -> None:
    table = data_issues_frame(pipeline())
    assert table.to_dict("records") == [
        {
            "Deal": "Cobalt",
            "Tab": "Plan",
            "Cell": "F7",
            "Kind": "bad_date",
            "Issue": "'soon' is no date",
        },
        {"Deal": "Echo", "Tab": "", "Cell": "", "Kind": "unreadable", "Issue": "access removed"},
    ]


def test_data_issues_ignore_malformed_entries() -> None:
    data = pipeline()
    odd = dict(data.snapshots["a"]) | {"data_issues": ["not a mapping", {"tab": "Deal"}]}
    data = dataclasses.replace(data, snapshots=dict(data.snapshots) | {"a": odd})
    table = data_issues_frame(data)
    assert table.iloc[0].to_dict() == {
        "Deal": "Acme",
        "Tab": "Deal",
        "Cell": "",
        "Kind": "",
        "Issue": "",
    }
    assert len(table) == 3


def _generated(count: int) -> ReviewInput:
    """`count` deals on the tiny template with a varied state, two events each."""
    statuses = ["Done", "In progress", "Not started", "Blocked"]
    deals = tuple(
        deal(f"g{n}", f"Deal {n}", amount=Decimal(1000 * (n % 50)), signature_target=None)
        for n in range(count)
    )
    start = date(2027, 1, 4)
    snapshots = {
        f"g{n}": snapshot(
            [
                step(
                    "eval",
                    "Evaluation",
                    "Buyer",
                    (start + timedelta(days=n % 30)).isoformat(),
                    statuses[n % 4],
                    (start + timedelta(days=n % 37)).isoformat() if n % 4 == 0 else None,
                ),
                step(
                    "legal",
                    "Legal review",
                    "Buyer",
                    (start + timedelta(days=20 + n % 40)).isoformat(),
                ),
                step(
                    "signature",
                    "Signature",
                    "Both",
                    (start + timedelta(days=45 + n % 60)).isoformat(),
                ),
                step(None, f"Extra {n}", "Seller", None),
            ],
            signature=(start + timedelta(days=45 + n % 60)).isoformat(),
            agreed=(n % 2 == 0, n % 3 == 0),
            roles=("Champion",) if n % 5 else (),
        )
        for n in range(count)
        if n % 100 != 7
    }
    events = {
        f"g{n}": (
            event(f"g{n}", 1, "go_live_slipped", "2027-01-11", "buyer", slip_business_days=n % 9),
            event(f"g{n}", 2, "step_done", "2027-01-21", "seller" if n % 3 else "buyer"),
        )
        for n in range(count)
    }
    return ReviewInput(
        today=TODAY,
        deals=deals,
        snapshots=snapshots,
        events=events,
        templates={"tiny": TINY},
        unreadable={f"g{n}": "deleted" for n in range(count) if n % 100 == 7},
    )


def test_two_thousand_deals_make_two_thousand_pipeline_rows() -> None:
    data = _generated(2000)
    steps = steps_frame(data)
    projected = forecast(data, steps)
    table = pipeline_frame(data, steps, projected)
    assert len(table) == 2000 and len(projected) == 2000
    assert table["deal_id"].is_unique
    assert len(steps) == 4 * (2000 - 20)
    assert set(table["Forecast"]) <= {"Commit", "Probable", "At risk", "Slipping"}
    assert len(activity_frame(data)) == 500
    assert list(velocity_frame(data, steps).columns) == VELOCITY_COLUMNS
    assert forecast_by_month(data, projected)["Committed"].sum() == table["Amount"].sum()
    assert len(data_issues_frame(data)) == 20
