"""Deal outcomes: one row per deal while it is not open, replaced on a new outcome."""

from __future__ import annotations

from datetime import date

from store_helpers import T0, a_deal

from addon.store import ForecastRecord, OutcomeRecord, Store


def _lost(deal_id: str) -> OutcomeRecord:
    return OutcomeRecord(
        deal_id=deal_id,
        outcome="lost",
        outcome_on=date(2026, 12, 1),
        set_by="sam@vendor.example.com",
        set_at=T0,
        reason="Competitor",
        detail="better integrations — and cheaper",
        competitor="Rival Corp",
    )


def test_an_outcome_round_trips_and_a_new_one_replaces_it(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        tx.deals.insert(a_deal("d_bolt0000002"))
        tx.outcomes.record(_lost("d_acme0000001"))
        tx.outcomes.record(
            OutcomeRecord(
                deal_id="d_bolt0000002",
                outcome="on_hold",
                outcome_on=date(2026, 12, 1),
                set_by="sam@vendor.example.com",
                set_at=T0,
                revisit_on=date(2027, 1, 15),
            )
        )
    with store.transaction(read_only=True) as tx:
        assert tx.outcomes.get("d_acme0000001") == _lost("d_acme0000001")
        assert tx.outcomes.archived() == {"d_acme0000001"}
        assert set(tx.outcomes.all()) == {"d_acme0000001", "d_bolt0000002"}
    won = OutcomeRecord(
        "d_acme0000001",
        "won",
        date(2026, 12, 2),
        "sam@vendor.example.com",
        T0,
        success_owner="cas@vendor.example.com",
    )
    with store.transaction() as tx:
        tx.outcomes.record(won)
    with store.transaction(read_only=True) as tx:
        assert tx.outcomes.get("d_acme0000001") == won
        assert tx.outcomes.archived() == set()


def test_clearing_reopens_and_says_what_the_deal_was(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        tx.outcomes.record(_lost("d_acme0000001"))
    with store.transaction() as tx:
        was = tx.outcomes.clear("d_acme0000001")
        again = tx.outcomes.clear("d_acme0000001")
    assert was == _lost("d_acme0000001")
    assert again is None
    with store.transaction(read_only=True) as tx:
        assert tx.outcomes.all() == {}


def test_forecast_history_keeps_one_projection_per_deal_and_day(store: Store) -> None:
    day = date(2026, 12, 1)
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        assert (
            tx.forecasts.record(
                [
                    ForecastRecord("d_acme0000001", day, date(2027, 1, 8), date(2027, 1, 15)),
                    ForecastRecord("d_acme0000001", day, date(2027, 1, 8), date(2027, 1, 20)),
                ]
            )
            == 1
        )  # the later of a day's two replaces the earlier
    with store.transaction() as tx:
        tx.forecasts.record(
            [ForecastRecord("d_acme0000001", day, date(2027, 1, 8), date(2027, 1, 22))]
        )
        tx.forecasts.record(
            [ForecastRecord("d_acme0000001", date(2026, 12, 8), date(2027, 1, 8), None)]
        )
    with store.transaction(read_only=True) as tx:
        history = tx.forecasts.for_deals(["d_acme0000001", "d_none"])
    assert history == {
        "d_acme0000001": [
            ForecastRecord("d_acme0000001", day, date(2027, 1, 8), date(2027, 1, 22)),
            ForecastRecord("d_acme0000001", date(2026, 12, 8), date(2027, 1, 8), None),
        ]
    }
