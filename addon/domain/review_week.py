"""The review's first tab: where a manager acts this week (pure).

This week lists the live deals whose evidence needs a manager (a high or medium risk), grouped
by owner, each owner's deals ranked by the worst risk, then the amount, then the business days
left to the committed signature; each row says why in one line and the one question to ask.
Forecast totals sums the live deals by forecast category, with the time the review was built.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from .businessdays import business_days_between
from .review_input import ReviewInput
from .risk_model import HIGH, MEDIUM, SEVERITY_RANK, Risk

WEEK_COLUMNS = [
    *("Owner", "Deal", "Buyer", "Amount", "Forecast", "Signature (committed)"),
    *("Business days to signature", "Severity", "Why", "Ask", "More risks", "Plan", "deal_id"),
]
TOTALS_COLUMNS = ["Forecast", "Deals", "Amount", "As of"]
CATEGORY_ORDER = ("Commit", "Probable", "At risk", "Slipping", "On hold")


def this_week(
    data: ReviewInput, pipeline: pd.DataFrame, forecast: pd.DataFrame, risks: list[Risk]
) -> pd.DataFrame:
    """The deals that need a manager this week (see the module's docstring)."""
    worst: dict[str, Risk] = {}
    counts: dict[str, int] = {}
    for risk in risks:  # each deal's risks come ranked, most severe first
        if risk.severity not in (HIGH, MEDIUM):
            continue
        counts[risk.deal_id] = counts.get(risk.deal_id, 0) + 1
        worst.setdefault(risk.deal_id, risk)
    committed = dict(zip(forecast["deal_id"], forecast["committed_signature"], strict=True))
    rows = []
    for _, deal in pipeline.iterrows():
        deal_id = str(deal["deal_id"])
        top = worst.get(deal_id)
        if top is None:
            continue
        day = committed.get(deal_id)
        signature = pd.Timestamp(day) if day is not None and not pd.isna(day) else None
        days = business_days_between(data.today, signature.date()) if signature else None
        rows.append(
            {
                "Owner": deal["Owner"],
                "Deal": deal["Deal"],
                "Buyer": deal["Buyer"],
                "Amount": deal["Amount"],
                "Forecast": deal["Forecast"],
                "Signature (committed)": signature,
                "Business days to signature": days,
                "Severity": top.severity,
                "Why": f"{top.kind.label}: {top.evidence}",
                "Ask": top.question,
                "More risks": counts[deal_id] - 1,
                "Plan": deal["Plan"],
                "deal_id": deal_id,
                "_rank": SEVERITY_RANK.get(top.severity, len(SEVERITY_RANK)),
            }
        )
    frame = pd.DataFrame(rows, columns=[*WEEK_COLUMNS, "_rank"])
    if frame.empty:
        return frame.drop(columns="_rank")
    frame = frame.assign(
        _owner=frame["Owner"].astype(str).str.casefold(),
        _amount=-pd.to_numeric(frame["Amount"], errors="coerce").fillna(0.0),
        _days=pd.to_numeric(frame["Business days to signature"], errors="coerce").fillna(10**6),
    ).sort_values(["_owner", "_rank", "_amount", "_days"], kind="stable")
    frame["Signature (committed)"] = pd.to_datetime(frame["Signature (committed)"])
    frame["Business days to signature"] = frame["Business days to signature"].astype("Int64")
    return frame[WEEK_COLUMNS].reset_index(drop=True)


def forecast_totals(pipeline: pd.DataFrame, built_at: datetime) -> pd.DataFrame:
    """Live deals and their amount by forecast category, with when the review was built."""
    amounts = pd.to_numeric(pipeline["Amount"], errors="coerce").fillna(0.0)
    grouped = (
        pd.DataFrame({"Forecast": pipeline["Forecast"].astype(str), "Amount": amounts})
        .groupby("Forecast")
        .agg(Deals=("Amount", "size"), Amount=("Amount", "sum"))
    )
    order = [c for c in CATEGORY_ORDER if c in grouped.index]
    order += sorted(c for c in grouped.index if c not in CATEGORY_ORDER)
    totals = grouped.reindex(order).reset_index()
    stamp = pd.Timestamp(built_at.replace(tzinfo=None, microsecond=0))
    totals["As of"] = stamp
    if not totals.empty:
        everything = {
            "Forecast": "All live deals",
            "Deals": int(totals["Deals"].sum()),
            "Amount": float(totals["Amount"].sum()),
            "As of": stamp,
        }
        totals = pd.concat([totals, pd.DataFrame([everything])], ignore_index=True)
    totals["Deals"] = totals["Deals"].astype(int)
    return totals.reindex(columns=TOTALS_COLUMNS)
