"""Which deals a manager's digest lists, in which order (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from addon.domain.deal import DealRecord
from addon.domain.outcome import DealOutcome, Outcome
from addon.domain.reminders import Person
from addon.domain.review_input import ReviewInput
from addon.domain.risk_model import HIGH, LOW, MEDIUM, Risk, RiskKind
from addon.domain.team_digest import MAX_DEALS, needs_manager, render_team_digest

TODAY = date(2027, 3, 15)
KIND = next(iter(RiskKind))


Deal = tuple[DealRecord, DealOutcome | None]


def _deal(deal_id: str, owner: str, amount: int, outcome: DealOutcome | None = None) -> Deal:
    made = datetime(2027, 3, 1, tzinfo=UTC)
    return DealRecord(deal_id, f"Deal {deal_id}", "Buyer", owner, "mid-market", 1, TODAY, made,
                      made, amount=Decimal(amount)), outcome  # fmt: skip


def _data(*deals: Deal) -> ReviewInput:
    return ReviewInput(
        today=TODAY,
        deals=tuple(deal for deal, _ in deals),
        snapshots={},
        events={},
        templates={},
        outcomes={deal.deal_id: outcome for deal, outcome in deals if outcome is not None},
    )


def test_worst_risk_per_deal_owners_grouped_high_before_medium_then_amount() -> None:
    won = DealOutcome(Outcome.WON, datetime(2027, 3, 10, tzinfo=UTC), "maya@v.example")
    data = _data(
        _deal("a", "zoe@v.example", 10),
        _deal("b", "maya@v.example", 5),
        _deal("c", "maya@v.example", 50),
        _deal("d", "maya@v.example", 99),
        _deal("w", "maya@v.example", 999, won),
    )
    risks = [
        Risk("a", KIND, HIGH, "e1", "q1"),
        Risk("b", KIND, MEDIUM, "e2", "q2"),
        Risk("b", KIND, HIGH, "e3", "q3"),
        Risk("c", KIND, HIGH, "e4", "q4"),
        Risk("d", KIND, LOW, "e5", "q5"),  # low: not the manager's
        Risk("w", KIND, HIGH, "e6", "q6"),  # won: not live
    ]
    rows = needs_manager(data, risks)
    assert [(r.deal_id, r.severity, r.more) for r in rows] == [
        ("c", HIGH, 0),
        ("b", HIGH, 1),
        ("a", HIGH, 0),
    ]
    assert rows[1].why.endswith(": e3") and rows[1].ask == "q3"


@given(st.integers(0, 40))
def test_the_digest_lists_at_most_max_deals_and_counts_the_rest(count: int) -> None:
    data = _data(*(_deal(f"d{n}", "maya@v.example", n) for n in range(count)))
    rows = needs_manager(data, [Risk(f"d{n}", KIND, HIGH, "e", "q") for n in range(count)])
    message = render_team_digest(
        Person("lena@v.example", "", "seller"), "emea", rows, review_url=None, names={},
        stop_url="https://map.example/notify/stop?token=t",
    )  # fmt: skip
    if count == 0:
        assert message is None
        return
    assert message is not None
    assert message.text.count("\n- Deal ") + message.text.startswith("- Deal ") <= MAX_DEALS
    listed = min(count, MAX_DEALS)
    assert message.html.count("Ask: q") == listed
    assert (f"And {count - MAX_DEALS} more in the review." in message.text) == (count > MAX_DEALS)
