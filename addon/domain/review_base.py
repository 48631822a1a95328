"""The review's input frames (deals, events, templates, Deal tab facts) and business-day helpers.

Building these frames walks the input objects once (comprehensions); every computation on them
is a pandas or numpy operation. Business days here are Monday to Friday: template holidays are
ignored in the review (a holiday shifts a projection by a day at most per holiday, and one
vectorised calendar for all deals keeps the review simple). Dates are datetime64 columns, NaT
when missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from addon.domain.model import GO_LIVE, Milestone, Side, Template
from addon.domain.review_input import ReviewInput

SLIP_KINDS = ("go_live_slipped", "signature_slipped")
BUYER_SIDES = (Side.BUYER.value, Side.BOTH.value)  # a shared step ("Both") is on each side's list
SELLER_SIDES = (Side.SELLER.value, Side.BOTH.value)


def to_dates(values: pd.Series) -> pd.Series:
    """Dates from buyer-typed ISO text (or date objects): datetime64, NaT where not a date."""
    text = values.astype("string").str.strip().str.slice(0, 10)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def timestamp(day: date) -> pd.Timestamp:
    """A date as the Timestamp the review's date columns hold."""
    return pd.Timestamp(day)


def dates_by_deal(deal_ids: pd.Series, dates: pd.Series) -> pd.Series:
    """Per-deal dates (a Series indexed by deal_id) aligned to deal_ids, NaT where absent."""
    found = pd.to_datetime(dates).reindex(deal_ids.to_numpy())
    return pd.Series(found.to_numpy(), index=deal_ids.index)


def busdays_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Signed business days in (start, end] like businessdays.business_days_between; NaN if NaT."""
    missing = (start.isna() | end.isna()).to_numpy()
    fill = np.datetime64("2000-01-03", "D")
    begin = np.where(missing, fill, start.to_numpy(dtype="datetime64[D]"))
    finish = np.where(missing, fill, end.to_numpy(dtype="datetime64[D]"))
    one = np.timedelta64(1, "D")
    # numpy counts [begin, end), and for begin > end not simply the negated span: order first
    low, high = np.minimum(begin, finish), np.maximum(begin, finish)
    sign = np.where(finish < begin, -1.0, 1.0)
    counts = np.busday_count(low + one, high + one) * sign
    return pd.Series(np.where(missing, np.nan, counts), index=start.index)


def add_busdays(day: date, days: pd.Series) -> pd.Series:
    """The days[i]-th business day after `day` (like businessdays.add_business_days)."""
    offsets = days.fillna(0).astype(int).to_numpy()
    start = np.datetime64(day, "D")
    # roll "backward" then add: from a weekend, the first business day after it counts as 1
    moved = np.busday_offset(start, offsets, roll="backward")
    result = np.where(offsets == 0, start, moved)
    return pd.Series(pd.to_datetime(result), index=days.index)


def _day(moment: datetime) -> date:
    """The UTC calendar day of a moment (a naive one is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).date()


def deal_id_frame(data: ReviewInput) -> pd.DataFrame:
    """One row per deal with its deal_id only: text even when there is no deal (an empty team)."""
    return pd.DataFrame({"deal_id": pd.Series([d.deal_id for d in data.deals], dtype=object)})


def deals_frame(data: ReviewInput) -> pd.DataFrame:
    """One row per deal with the seller's facts, whether a snapshot exists, and why unreadable."""
    frame = pd.DataFrame(
        {
            "deal_id": [deal.deal_id for deal in data.deals],
            "name": [deal.name for deal in data.deals],
            "buyer_company": [deal.buyer_company for deal in data.deals],
            "owner": [deal.owner_email for deal in data.deals],
            "template": [deal.template for deal in data.deals],
            "created": [_day(deal.created_at) for deal in data.deals],
            "go_live": [deal.go_live for deal in data.deals],
            "signature_target": [deal.signature_target for deal in data.deals],
            "amount": [deal.amount_value for deal in data.deals],
            "url": [deal.url for deal in data.deals],
            "has_snapshot": [
                isinstance(data.snapshots.get(d.deal_id), Mapping) for d in data.deals
            ],
            "unreadable": [data.unreadable.get(deal.deal_id) for deal in data.deals],
            "unreadable_since": [
                data.unreadable_since.get(deal.deal_id) if deal.deal_id in data.unreadable else None
                for deal in data.deals
            ],
        },
        columns=[
            *("deal_id", "name", "buyer_company", "owner", "template", "created", "go_live"),
            *("signature_target", "amount", "url", "has_snapshot", "unreadable"),
            "unreadable_since",
        ],
        dtype=object,
    )
    for column in ("created", "go_live", "signature_target", "unreadable_since"):
        frame[column] = pd.to_datetime(frame[column].astype(object), errors="coerce")
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce").astype(float)
    frame["has_snapshot"] = frame["has_snapshot"].astype(bool)
    return frame


def snapshot_of(data: ReviewInput, deal_id: str) -> Mapping[str, Any]:
    """A deal's latest snapshot, or an empty one when there is none or it is not a mapping."""
    snapshot = data.snapshots.get(deal_id)
    return snapshot if isinstance(snapshot, Mapping) else {}


def rows_of(snapshot: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The mapping rows of a snapshot list (steps, stakeholders, data_issues); others skipped."""
    rows = snapshot.get(key)
    return [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []


def deal_tab_frame(data: ReviewInput) -> pd.DataFrame:
    """The Deal tab facts the review uses, one row per deal: dates parsed, agreements as bool."""
    tabs = [snapshot_of(data, deal.deal_id).get("deal") for deal in data.deals]
    facts = [tab if isinstance(tab, Mapping) else {} for tab in tabs]
    frame = pd.DataFrame(
        {
            "deal_id": pd.Series([deal.deal_id for deal in data.deals], dtype=object),
            "tab_signature": [fact.get("signature_target") for fact in facts],
            "tab_go_live": [fact.get("go_live") for fact in facts],
            "agreed_buyer": [fact.get("plan_agreed_buyer") is True for fact in facts],
            "agreed_seller": [fact.get("plan_agreed_seller") is True for fact in facts],
        }
    )
    frame["tab_signature"] = to_dates(frame["tab_signature"].astype(object))
    frame["tab_go_live"] = to_dates(frame["tab_go_live"].astype(object))
    frame["agreed_buyer"] = frame["agreed_buyer"].astype(bool)
    frame["agreed_seller"] = frame["agreed_seller"].astype(bool)
    return frame


EVENT_COLUMNS = [
    *("deal_id", "event_id", "kind", "occurred_at", "day", "actor_side", "actor_email"),
    *("subject", "subject_label", "slip_business_days", "is_slip", "slip_cost", "facts"),
]


def _is_slip(event: Any) -> bool:
    """A milestone moved later, or a step moved so that it pushed a milestone or a critical step."""
    days = event.details.get("slip_business_days")
    if str(event.kind) in SLIP_KINDS:
        return isinstance(days, int | float) and not isinstance(days, bool) and days > 0
    return str(event.kind) == "due_date_moved" and event.details.get("slip") is True


def _slip_cost(event: Any) -> float:
    """Business days a slip cost its milestone (a milestone's own move; a step's worst push)."""
    if str(event.kind) in SLIP_KINDS:
        days = event.details.get("slip_business_days")
        return float(days) if isinstance(days, int | float) and not isinstance(days, bool) else 0.0
    costs = event.details.get("milestone_cost")
    values = (
        [v for v in costs.values() if isinstance(v, int | float)]
        if isinstance(costs, Mapping)
        else []
    )
    return float(max([0, *values]))


def events_frame(data: ReviewInput) -> pd.DataFrame:
    """Every event of the review's deals, one row each (deals not in data.deals left out).

    The `facts` column keeps each EventFacts for the texts that need all of it.
    """
    known = {deal.deal_id for deal in data.deals}
    events = [
        event for deal_id, items in data.events.items() if deal_id in known for event in items
    ]
    frame = pd.DataFrame(
        {
            "deal_id": pd.Series([event.deal_id for event in events], dtype=object),
            "event_id": [event.event_id for event in events],
            "kind": [str(event.kind) for event in events],
            "occurred_at": [pd.Timestamp(event.occurred_at) for event in events],
            "day": [_day(event.occurred_at) for event in events],
            "actor_side": [event.actor_side for event in events],
            "actor_email": [event.actor_email for event in events],
            "subject": [event.subject for event in events],
            "subject_label": [event.subject_label for event in events],
            "slip_business_days": [event.details.get("slip_business_days") for event in events],
            "is_slip": [_is_slip(event) for event in events],
            "slip_cost": [_slip_cost(event) for event in events],
            "facts": pd.Series(events, dtype=object),
        },
        columns=EVENT_COLUMNS,
    )
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    frame["day"] = pd.to_datetime(frame["day"].astype(object))
    frame["slip_business_days"] = pd.to_numeric(frame["slip_business_days"], errors="coerce")
    frame["slip_business_days"] = frame["slip_business_days"].astype(float)
    frame["is_slip"] = frame["is_slip"].astype(bool)
    frame["slip_cost"] = frame["slip_cost"].astype(float)
    return frame


def slips_frame(data: ReviewInput, events: pd.DataFrame) -> pd.DataFrame:
    """Per deal: slips (count, business days they cost the milestones, last day); 0 without.

    A slip is a milestone (go-live, signature) moved later, or a step's due date moved so that it
    pushed a milestone or moved a critical step later (events.diff marks those). A date pulled
    in, set for the first time or cleared is an event of the same kind but not a slip.
    """
    slipped = events[events["is_slip"].astype(bool)]
    totals = slipped.groupby("deal_id").agg(
        slips=("event_id", "size"),
        slip_days=("slip_cost", "sum"),
        last_slip=("day", "max"),
    )
    frame = deal_id_frame(data)
    frame = frame.merge(totals, how="left", left_on="deal_id", right_index=True)
    frame["slips"] = frame["slips"].fillna(0).astype(int)
    frame["slip_days"] = frame["slip_days"].fillna(0).astype(int)
    frame["last_slip"] = pd.to_datetime(frame["last_slip"])
    return frame


def buyer_silence(data: ReviewInput, events: pd.DataFrame) -> pd.DataFrame:
    """Per deal: calendar days since the buyer's last event, else since the deal was created."""
    deals = deals_frame(data)[["deal_id", "created"]]
    buyer = events[events["actor_side"] == Side.BUYER.value].groupby("deal_id")["day"].max()
    last = dates_by_deal(deals["deal_id"], buyer)
    since = last.fillna(deals["created"])
    days = (timestamp(data.today) - since).dt.days.clip(lower=0)  # an edit "after" today: 0
    return pd.DataFrame(
        {
            "deal_id": deals["deal_id"],
            "last_buyer_edit": last,
            "silent_days": days.astype(int),
        }
    )


TEMPLATE_STEP_COLUMNS = [
    *("template", "step_id", "template_name", "template_phase", "critical", "duration_days"),
    *("roles", "milestone", "before_signature", "position"),
]


def template_steps_frame(templates: Mapping[str, Template]) -> pd.DataFrame:
    """Every template step, with whether it lies on or before the signature in its chains."""
    rows = [
        {
            "template": name,
            "step_id": spec.id,
            "template_name": spec.name,
            "template_phase": spec.phase,
            "critical": spec.critical,
            "duration_days": float(spec.duration_days),
            "roles": tuple(str(role) for role in spec.roles),
            "milestone": spec.milestone.value if spec.milestone else None,
            "before_signature": before_signature[spec.id],
            "position": position,
        }
        for name, template in templates.items()
        for before_signature in [_before_signature(template)]
        for position, spec in enumerate(template.steps)
    ]
    return pd.DataFrame(rows, columns=TEMPLATE_STEP_COLUMNS)


def _before_signature(template: Template) -> dict[str, bool]:
    """Step id -> whether the step is the signature or its `before` chain reaches it.

    A template without a signature milestone counts every step but the go-live milestone.
    """
    specs = {spec.id: spec for spec in template.steps}
    signature = next((s.id for s in template.steps if s.milestone is Milestone.SIGNATURE), None)
    if signature is None:
        return {spec.id: spec.milestone is not Milestone.GO_LIVE for spec in template.steps}
    result: dict[str, bool] = {}
    for spec in template.steps:
        current, seen = spec.id, set()
        while current != signature and current in specs and current not in seen:
            seen.add(current)
            current = specs[current].before
        result[spec.id] = current == signature and current != GO_LIVE
    return result
