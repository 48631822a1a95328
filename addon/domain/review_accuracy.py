"""Forecast accuracy, measured on the product's own history (pure).

Each review records, for every live deal, the date the deal is committed to and the close the
plan projects (`projections`). Once a deal is won, its actual close is the day the seller marked
it won. For each won deal and each horizon (30, 14 and 7 days before the actual close), the
projection recorded by the last review at least that many days before the close is compared
with the actual close, and so is the committed date of that review; errors are absolute, in
business days. The table gives, per month of close, how many won deals had a projection at each
horizon and the mean error of each. Lost deals have no close to compare with and are left out.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from .businessdays import business_days_between
from .outcome import Outcome
from .review_input import RecordedForecast, ReviewInput

HORIZONS = (30, 14, 7)  # calendar days before the actual close
ACCURACY_COLUMNS = [
    "Month",
    "Won deals",
    *(
        column
        for days in HORIZONS
        for column in (
            f"Measured {days} days before",
            f"Projection error {days} days before",
            f"Committed error {days} days before",
        )
    ),
]


def projections(forecast: pd.DataFrame, today: date) -> dict[str, RecordedForecast]:
    """What this review says of each deal in `forecast` (the review's forecast table)."""

    def day(value: object) -> date | None:
        stamp = pd.Timestamp(value) if value is not None else pd.NaT  # type: ignore[arg-type]
        return None if pd.isna(stamp) else stamp.date()

    return {
        str(deal_id): RecordedForecast(today, day(committed), day(projected))
        for deal_id, committed, projected in zip(
            forecast["deal_id"],
            forecast["committed_signature"],
            forecast["projected_close"],
            strict=True,
        )
    }


def _at(history: tuple[RecordedForecast, ...], on_or_before: date) -> RecordedForecast | None:
    """The last recorded review on or before the day."""
    found = [h for h in history if h.reviewed_on <= on_or_before]
    return max(found, key=lambda h: h.reviewed_on) if found else None


def _error(value: date | None, close: date, holidays: frozenset[date]) -> float:
    """How many business days a said date was from the actual close; NaN when nothing was said."""
    if value is None:
        return float("nan")
    return float(abs(business_days_between(value, close, holidays)))


def accuracy_frame(data: ReviewInput) -> pd.DataFrame:
    """Per month of actual close: won deals, and per horizon the deals measured and mean errors."""
    won: list[str] = []
    measured: list[tuple[str, int, float, float]] = []  # month, horizon, errors (NaN: none)
    for deal in data.deals:
        outcome = data.outcome(deal)
        if outcome is None or outcome.outcome is not Outcome.WON:
            continue
        template = data.templates.get(deal.template)
        holidays = frozenset(template.holidays) if template else frozenset()
        month = outcome.on.strftime("%Y-%m")
        won.append(month)
        history = data.forecast_history.get(deal.deal_id, ())
        for days in HORIZONS:
            said = _at(history, outcome.on - timedelta(days=days))
            if said is None:
                continue

            projection = _error(said.projected, outcome.on, holidays)
            committed = _error(said.committed, outcome.on, holidays)
            measured.append((month, days, projection, committed))
    months = sorted(set(won))
    table = pd.DataFrame({"Month": months, "Won deals": [won.count(m) for m in months]})
    found = pd.DataFrame(measured, columns=["Month", "days", "projection", "committed"])
    for days in HORIZONS:
        at = found[found["days"] == days].groupby("Month")
        table[f"Measured {days} days before"] = table["Month"].map(at.size()).fillna(0).astype(int)
        for label, column in (("Projection", "projection"), ("Committed", "committed")):
            means = at[column].mean().round(1)
            table[f"{label} error {days} days before"] = table["Month"].map(means)
    return table.reindex(columns=ACCURACY_COLUMNS)
