"""A deal's outcome: the moves allowed between open, won, lost and on hold, and their events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.domain.event_model import EventKind
from addon.domain.outcome import (
    LOSS_REASONS,
    MAX_TEXT,
    DealOutcome,
    InvalidOutcome,
    Outcome,
    close,
    hold,
    loss_reason,
    outcome_event,
    reopen,
)

TODAY = date(2027, 2, 1)
SELLER = "sam@vendor.example.com"


def test_an_open_deal_is_won() -> None:
    won = close(None, won=True, on=TODAY, by=SELLER)
    assert (won.outcome, won.on, won.by, won.closed, won.archived) == (
        Outcome.WON,
        TODAY,
        SELLER,
        True,
        False,
    )
    assert won.describe() == "Won on 2027-02-01"


def test_a_lost_deal_is_archived_with_its_reason_and_competitor() -> None:
    lost = close(None, won=False, on=TODAY, by=SELLER, reason="price", competitor="Rival Corp")
    assert (lost.reason, lost.detail, lost.competitor, lost.archived) == (
        "Price",
        "",
        "Rival Corp",
        True,
    )
    assert lost.describe() == "Lost on 2027-02-01, reason: Price, to Rival Corp"


def test_free_text_keeps_its_words_under_other_or_competitor() -> None:
    assert loss_reason("They chose to build it in-house", None) == (
        "Other",
        "They chose to build it in-house",
    )
    assert loss_reason("better integrations", "Rival") == ("Competitor", "better integrations")
    assert loss_reason("Timing: budget frozen until Q3", None) == (
        "Timing",
        "budget frozen until Q3",
    )
    assert loss_reason(None, None) == ("Other", "")


def test_a_closed_deal_must_be_reopened_before_closing_otherwise() -> None:
    won = close(None, won=True, on=TODAY, by=SELLER)
    with pytest.raises(InvalidOutcome, match="already won .*reopen it first"):
        close(won, won=False, on=TODAY, by=SELLER)
    with pytest.raises(InvalidOutcome, match="reopen it before putting it on hold"):
        hold(won, until=date(2027, 3, 1), on=TODAY, by=SELLER)


def test_won_takes_no_loss_reason() -> None:
    with pytest.raises(InvalidOutcome, match="lost deals only"):
        close(None, won=True, on=TODAY, by=SELLER, reason="Price")


def test_hold_needs_a_later_date_and_may_move_it() -> None:
    with pytest.raises(InvalidOutcome, match="after today"):
        hold(None, until=TODAY, on=TODAY, by=SELLER)
    held = hold(None, until=date(2027, 3, 1), on=TODAY, by=SELLER)
    assert held.on_hold(TODAY) and not held.on_hold(date(2027, 3, 1))
    later = hold(held, until=date(2027, 4, 1), on=date(2027, 2, 10), by=SELLER)
    assert (later.on, later.revisit_on) == (TODAY, date(2027, 4, 1))  # paused since the first day
    won = close(held, won=True, on=date(2027, 2, 10), by=SELLER)
    assert won.outcome is Outcome.WON


def test_reopen_refuses_an_open_deal() -> None:
    with pytest.raises(InvalidOutcome, match="open already"):
        reopen(None)
    reopen(close(None, won=False, on=TODAY, by=SELLER))  # no error


def test_oversized_text_is_refused() -> None:
    with pytest.raises(InvalidOutcome, match="longer than"):
        close(None, won=False, on=TODAY, by=SELLER, reason="x" * (MAX_TEXT + 1))


def test_events_record_the_move_as_the_seller() -> None:
    at = datetime(2027, 2, 1, 15, 30, tzinfo=UTC)
    lost = close(None, won=False, on=TODAY, by=SELLER, reason="No decision")
    set_event = outcome_event("d_1", base_seq=3, before=None, after=lost, at=at, by=SELLER)
    back = outcome_event("d_1", base_seq=3, before=lost, after=None, at=at, by=SELLER)
    assert set_event.kind is EventKind.OUTCOME_SET and back.kind is EventKind.DEAL_REOPENED
    assert set_event.after == {"outcome": "lost", "on": "2027-02-01", "reason": "No decision"}
    assert (set_event.actor.email, set_event.actor.side) == (SELLER, "seller")
    assert back.before == set_event.after and back.after is None
    assert set_event.event_id != back.event_id


@given(st.text(max_size=80), st.one_of(st.none(), st.text(max_size=20)))
def test_any_reason_text_maps_to_a_listed_reason(text: str, competitor: str | None) -> None:
    reason, detail = loss_reason(text, competitor)
    assert reason in LOSS_REASONS
    assert "\n" not in detail and len(detail) <= MAX_TEXT


def test_on_hold_without_a_date_is_not_paused() -> None:
    paused = DealOutcome(Outcome.ON_HOLD, TODAY, SELLER)
    assert not paused.on_hold(TODAY)


def test_a_won_deal_may_name_its_customer_success_owner() -> None:
    won = close(None, won=True, on=TODAY, by=SELLER, success_owner=" Cas@Vendor.example.com ")
    assert won.success_owner == "cas@vendor.example.com"
    assert won.describe() == "Won on 2027-02-01, customer success: cas@vendor.example.com"
    event = outcome_event("d_1", base_seq=1, before=None, after=won, at=_AT, by=SELLER)
    assert event.after["success_owner"] == "cas@vendor.example.com"
    with pytest.raises(InvalidOutcome, match="must be an email address, not 'cas at vendor'"):
        close(None, won=True, on=TODAY, by=SELLER, success_owner="cas at vendor")
    with pytest.raises(InvalidOutcome, match="for won deals only"):
        close(None, won=False, on=TODAY, by=SELLER, success_owner="cas@vendor.example.com")


_AT = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
