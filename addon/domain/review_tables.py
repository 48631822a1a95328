"""The review's smaller tabs: Activity, Velocity, Forecast by month, Data issues (pure pandas)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from addon.domain.activity import describe
from addon.domain.attribution import Actor
from addon.domain.event_model import EventKind, PlanEvent
from addon.domain.model import ACTOR_SIDES, Side
from addon.domain.review_base import (
    deals_frame,
    events_frame,
    rows_of,
    snapshot_of,
)
from addon.domain.review_input import EventFacts, ReviewInput
from addon.domain.review_velocity import VELOCITY_COLUMNS, velocity_frame

ACTIVITY_COLUMNS = ["When", "Deal", "Who", "Side", "What", "Step / field"]
MONTH_COLUMNS = ["Month", "Committed", "Projected"]
DATA_ISSUE_COLUMNS = ["Deal", "Tab", "Cell", "Kind", "Issue"]
UNREADABLE = "unreadable"
NOT_READ = "not read"


def _what(event: EventFacts) -> str:
    """The Activity sentence for a stored event; a plain text of its kind if the kind is new."""
    try:
        kind = EventKind(event.kind)
    except ValueError:
        return str(event.kind).replace("_", " ").capitalize()
    side = Side(event.actor_side) if event.actor_side in ACTOR_SIDES else Side.UNKNOWN
    return describe(
        PlanEvent(
            event_id=event.event_id,
            deal_id=event.deal_id,
            kind=kind,
            occurred_at=event.occurred_at,
            subject=event.subject,
            subject_label=event.subject_label,
            before=event.before,
            after=event.after,
            actor=Actor(event.actor_email, side),
            details=dict(event.details),
        )
    )


def activity_frame(data: ReviewInput, limit: int = 500) -> pd.DataFrame:
    """The latest `limit` events across deals: buyer actions first, newest first within each."""
    events = events_frame(data)
    events["buyer_first"] = (events["actor_side"] != Side.BUYER.value).astype(int)
    latest = events.sort_values(
        ["buyer_first", "occurred_at", "deal_id", "event_id"],
        ascending=[True, False, True, True],
        kind="stable",
    ).head(max(limit, 0))
    names = deals_frame(data).set_index("deal_id")["name"]
    return pd.DataFrame(
        {
            "When": latest["occurred_at"],
            "Deal": latest["deal_id"].map(names),
            "Who": latest["actor_email"].fillna("Unknown"),
            "Side": latest["actor_side"].fillna(Side.UNKNOWN).astype(str).str.capitalize(),
            "What": [_what(event) for event in latest["facts"]],
            "Step / field": latest["subject_label"],
        },
        columns=ACTIVITY_COLUMNS,
    ).reset_index(drop=True)


def forecast_by_month(data: ReviewInput, forecast: pd.DataFrame) -> pd.DataFrame:
    """Amounts by month of committed signature versus by month of projected close (no amount: 0)."""
    amounts = deals_frame(data).set_index("deal_id")["amount"].fillna(0)
    frame = forecast.assign(amount=forecast["deal_id"].map(amounts).fillna(0))
    committed = frame.groupby(frame["committed_signature"].dt.strftime("%Y-%m"))["amount"].sum()
    projected = frame.groupby(frame["projected_close"].dt.strftime("%Y-%m"))["amount"].sum()
    months = pd.concat([committed.rename("Committed"), projected.rename("Projected")], axis=1)
    months = months.fillna(0.0).sort_index()
    return pd.DataFrame(
        {
            "Month": months.index.astype(str),
            "Committed": months["Committed"].to_numpy(dtype=float),
            "Projected": months["Projected"].to_numpy(dtype=float),
        },
        columns=MONTH_COLUMNS,
    )


def _issue_text(issue: Mapping[str, Any], key: str) -> str:
    value = issue.get(key)
    return "" if value is None else str(value)


def data_issue_rows(data: ReviewInput) -> pd.DataFrame:
    """Data issues with their deal_id: the snapshot's, then unreadable or never-read plans."""
    listed = [
        {
            "deal_id": deal.deal_id,
            "Deal": deal.name,
            **{column: _issue_text(issue, column.lower()) for column in ("Tab", "Cell", "Kind")},
            "Issue": _issue_text(issue, "message"),
        }
        for deal in data.deals
        for issue in rows_of(snapshot_of(data, deal.deal_id), "data_issues")
    ]
    missing = [
        {
            "deal_id": deal.deal_id,
            "Deal": deal.name,
            "Tab": "",
            "Cell": "",
            "Kind": UNREADABLE if deal.deal_id in data.unreadable else NOT_READ,
            "Issue": str(data.unreadable.get(deal.deal_id) or "The plan has not been read yet"),
        }
        for deal in data.deals
        if deal.deal_id in data.unreadable
        or not isinstance(data.snapshots.get(deal.deal_id), Mapping)
    ]
    return pd.DataFrame(listed + missing, columns=["deal_id", *DATA_ISSUE_COLUMNS])


def data_issues_frame(data: ReviewInput) -> pd.DataFrame:
    """What could not be read, in which plan, tab and cell (the Data issues tab)."""
    rows = data_issue_rows(data)
    return rows[DATA_ISSUE_COLUMNS].reset_index(drop=True)


__all__ = [
    "ACTIVITY_COLUMNS",
    "DATA_ISSUE_COLUMNS",
    "MONTH_COLUMNS",
    "VELOCITY_COLUMNS",
    "activity_frame",
    "data_issue_rows",
    "data_issues_frame",
    "forecast_by_month",
    "velocity_frame",
]
