"""The plan-based forecast: when each deal will really sign, and how sure that is (pure pandas).

The dates come from the deal's schedule (`review_schedule`, built on `plan_schedule`), the same
one the risks and the card read:

- Committed signature: the date the seller committed to when creating the plan (the store's
  signature target, which the buyer cannot edit), else the signature milestone row's date, else
  the Deal tab's, else the go-live date.
- Projected close: the latest of the committed signature; the signature row's date as the plan now
  dates it (a step that must end before signature, dated after it, pushes it to the business day
  after that step); and the finish of the longest chain of open work before signature, from
  today, at the pace this deal has kept. The reason names the step that sets it.
- Pace: over Done template steps with both a due date and a Done on date, the mean of
  (business days late + duration) / duration (early steps count below 1), clipped to [0.5, 3];
  1.0 without such a step. A step in progress counts at half its duration.
- A deal without a readable plan (no snapshot, or marked unreadable) is at best "At risk".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from addon.domain.model import Milestone
from addon.domain.plan_outlook import MilestoneOutlook
from addon.domain.review_base import (
    BUYER_SIDES,
    busdays_between,
    buyer_silence,
    dates_by_deal,
    deal_tab_frame,
    deals_frame,
    events_frame,
    slips_frame,
)
from addon.domain.review_input import ReviewInput
from addon.domain.review_schedule import DealSchedule, deal_schedules

COMMIT, PROBABLE, AT_RISK, SLIPPING = "Commit", "Probable", "At risk", "Slipping"
PROBABLE_DAYS = 5  # business days past the committed date still "Probable"
AT_RISK_DAYS = 20  # ... still "At risk"; beyond that "Slipping"
PACE_RANGE = (0.5, 3.0)

FORECAST_COLUMNS = [
    *("deal_id", "committed_signature", "remaining_critical_steps", "remaining_critical_days"),
    *("pace", "projected_close", "slip_business_days", "category", "reason"),
]


def _per_deal(deal_ids: pd.Series, values: pd.Series, fill: float = 0) -> pd.Series:
    """A per-deal aggregate (indexed by deal_id) aligned to deal_ids, `fill` where absent."""
    return deal_ids.map(values).fillna(fill)


def forecast(data: ReviewInput, steps: pd.DataFrame) -> pd.DataFrame:
    """One row per deal: committed and projected close, slip, pace, category and its reason."""
    deals = deals_frame(data)
    ids = deals["deal_id"]
    tab = deal_tab_frame(data).set_index("deal_id").reindex(ids).reset_index()
    committed = _committed(deals, tab, steps)
    seen = _projection(data, ids, committed)
    slip = busdays_between(committed, seen.projected).clip(lower=0).fillna(0).astype(int)
    facts = _facts(data, deals, tab, steps, slip)
    slipped_often = facts["slips"] >= data.thresholds.slip_count
    silent = facts["silent_days"] >= data.thresholds.buyer_silence_days
    category = np.select(
        [
            (facts["slip"] > AT_RISK_DAYS) | slipped_often,
            (facts["slip"] > PROBABLE_DAYS) | silent | facts["no_plan"],
            (facts["slip"] == 0) & facts["agreed"] & (facts["overdue_buyer"] == 0),
        ],
        [SLIPPING, AT_RISK, COMMIT],
        default=PROBABLE,
    )
    reason = _reason(facts, committed, seen, slipped_often, silent)
    reason = reason + seen.setter.fillna("").to_numpy()
    result = pd.DataFrame(
        {
            "deal_id": ids,
            "committed_signature": committed,
            "remaining_critical_steps": seen.remaining_steps,
            "remaining_critical_days": seen.remaining_days.astype(int),
            "pace": seen.pace.round(2),
            "projected_close": seen.projected,
            "slip_business_days": slip,
            "category": category,
            "reason": reason.where(category != COMMIT, reason + _COMMIT_CLAUSE),
        },
        columns=FORECAST_COLUMNS,
    )
    return result.reset_index(drop=True)


def _committed(deals: pd.DataFrame, tab: pd.DataFrame, steps: pd.DataFrame) -> pd.Series:
    """The committed signature: the store's target, else the signature row's date, else the
    Deal tab's signature, else its go-live, else the deal's go-live."""
    signature_due = steps[steps["milestone"] == "signature"].groupby("deal_id")["due"].min()
    return (
        deals["signature_target"]
        .fillna(dates_by_deal(deals["deal_id"], signature_due))
        .fillna(tab["tab_signature"])
        .fillna(tab["tab_go_live"])
        .fillna(deals["go_live"])
    )


@dataclass(frozen=True)
class _Projection:
    """What each deal's schedule says of its close, aligned to the deals."""

    projected: pd.Series
    remaining_steps: pd.Series
    remaining_days: pd.Series
    pace: pd.Series
    setter: pd.Series  # the clause naming what sets the projected close


def _projection(data: ReviewInput, ids: pd.Series, committed: pd.Series) -> _Projection:
    """Each deal's projected close (never before its committed date), the open critical work
    before signature, its pace, and what sets the date."""
    schedules = deal_schedules(data)
    outlooks = [_signature_outlook(schedules.get(deal_id)) for deal_id in ids]
    chains = [
        _remaining(schedules.get(deal_id), seen)
        for deal_id, seen in zip(ids, outlooks, strict=True)
    ]
    closes = [seen.close if seen else None for seen in outlooks]
    close = pd.to_datetime(pd.Series(closes, index=ids.index, dtype=object))
    setter = [
        _set_by(schedules.get(deal_id), seen) for deal_id, seen in zip(ids, outlooks, strict=True)
    ]
    return _Projection(
        projected=close.where(close > committed, committed),
        remaining_steps=pd.Series([len(c) for c, _ in chains], index=ids.index, dtype=int),
        remaining_days=pd.Series([days for _, days in chains], index=ids.index, dtype=int),
        pace=pd.Series(
            [schedules[d].pace if d in schedules else 1.0 for d in ids],
            index=ids.index,
            dtype=float,
        ),
        setter=pd.Series(setter, index=ids.index, dtype=object),
    )


def _facts(
    data: ReviewInput,
    deals: pd.DataFrame,
    tab: pd.DataFrame,
    steps: pd.DataFrame,
    slip: pd.Series,
) -> pd.DataFrame:
    """What the category is decided on, a row per deal: slip, slips, silence, agreement,
    the buyer's overdue critical steps, and whether the plan can be read."""
    ids = deals["deal_id"]
    events = events_frame(data)
    slips = slips_frame(data, events).set_index("deal_id").reindex(ids)
    silence = buyer_silence(data, events).set_index("deal_id").reindex(ids)
    buyer_overdue = steps[
        steps["overdue"]
        & steps["critical"]
        & steps["owner_side"].fillna("").astype(str).str.strip().str.casefold().isin(BUYER_SIDES)
    ]
    overdue_buyer = _per_deal(ids, buyer_overdue.groupby("deal_id").size()).astype(int)
    return pd.DataFrame(
        {
            "slip": slip,
            "slips": slips["slips"].to_numpy(),
            "slip_days": slips["slip_days"].to_numpy(),
            "silent_days": silence["silent_days"].to_numpy(),
            "agreed": (tab["agreed_buyer"] & tab["agreed_seller"]).fillna(False).to_numpy(),
            "overdue_buyer": overdue_buyer,
            "no_plan": (~deals["has_snapshot"] | deals["unreadable"].notna()).to_numpy(),
            "unreadable": deals["unreadable"].to_numpy(),
        }
    )


def _signature_outlook(schedule: DealSchedule | None) -> MilestoneOutlook | None:
    """The signature's outlook, else go-live's for a template without a signature milestone."""
    if schedule is None:
        return None
    found = schedule.milestones.get(Milestone.SIGNATURE)
    return found if found is not None else schedule.milestones.get(Milestone.GO_LIVE)


def _remaining(
    schedule: DealSchedule | None, seen: MilestoneOutlook | None
) -> tuple[tuple[str, ...], int]:
    """The open steps of the longest chain before the milestone, and their planned days."""
    if schedule is None or seen is None or seen.projected is None:
        return (), 0
    steps = schedule.plan.by_key()
    chain = tuple(key for key in seen.projected.chain if steps[key].milestone is None)
    return chain, sum(steps[key].days for key in chain)


def _set_by(schedule: DealSchedule | None, seen: MilestoneOutlook | None) -> str:
    """The clause naming the step that sets the projected close, when a step does.

    As the plan dates it, the step whose date starts the chain of pushes (the first of it);
    from today, the longest chain of open work, first to last step.
    """
    if schedule is None or seen is None or not seen.set_by:
        return ""
    steps = schedule.plan.by_key()
    first = steps[seen.set_by[0]]
    if seen.planned is not None and seen.close == seen.planned.day and first.due is not None:
        return f"; set by {first.name}, which the plan now dates {first.due.isoformat()}"
    if len(seen.set_by) == 1:
        return f"; set by {first.name}, the open work left before it"
    last = steps[seen.set_by[-1]]
    return f"; set by the longest chain of open work, {first.name} to {last.name}"


_COMMIT_CLAUSE = "; the plan is agreed by both sides and no buyer critical step is overdue"


def _counted(count: pd.Series, one: str, many: str) -> pd.Series:
    """ "1 step" / "3 steps": the count and the word that agrees with it."""
    return count.astype(int).astype(str) + np.where(count == 1, " " + one, " " + many)


def _reason(
    facts: pd.DataFrame,
    committed: pd.Series,
    seen: _Projection,
    slipped_often: pd.Series,
    silent: pd.Series,
) -> pd.Series:
    """One sentence per deal with the numbers behind its category."""
    sentence = _when(facts, committed, seen.projected) + _work(facts.index, seen)
    for applies, clause in _clauses(facts, slipped_often, silent):
        sentence = sentence + clause.where(applies, "")
    return sentence


def _when(facts: pd.DataFrame, committed: pd.Series, projected: pd.Series) -> pd.Series:
    """The sentence's start: the projected date against the committed one."""
    index, slip = facts.index, facts["slip"]
    committed_text = pd.Series(committed.dt.strftime("%Y-%m-%d").to_numpy(), index=index)
    projected_text = pd.Series(projected.dt.strftime("%Y-%m-%d").to_numpy(), index=index)
    return pd.Series(
        np.where(
            slip > 0,
            "Projected "
            + projected_text
            + ", "
            + _counted(slip, "business day", "business days")
            + " after the committed "
            + committed_text,
            "Projected on the committed " + committed_text,
        ),
        index=index,
    )


def _work(index: pd.Index, seen: _Projection) -> pd.Series:
    """The open work before signature, and the pace it is projected at."""
    steps_left = pd.Series(seen.remaining_steps.to_numpy(), index=index)
    days_left = pd.Series(seen.remaining_days.to_numpy(), index=index)
    pace_text = pd.Series(seen.pace.round(1).map("{:.1f}".format).to_numpy(), index=index)
    return pd.Series(
        np.where(
            steps_left > 0,
            ": "
            + _counted(steps_left, "step", "steps")
            + " left on the longest chain ("
            + _counted(days_left, "business day", "business days")
            + ") at "
            + pace_text
            + "x the planned time per step",
            ": no open step left before signature",
        ),
        index=index,
    )


def _clauses(
    facts: pd.DataFrame, slipped_often: pd.Series, silent: pd.Series
) -> list[tuple[pd.Series, pd.Series]]:
    """Each further clause, with the deals it applies to."""
    index = facts.index
    return [
        (
            slipped_often,
            "; the plan already slipped "
            + _counted(facts["slips"], "time", "times")
            + " ("
            + _counted(facts["slip_days"], "business day", "business days")
            + " in all)",
        ),
        (
            silent,
            "; the buyer has not edited the plan for "
            + _counted(facts["silent_days"], "day", "days"),
        ),
        (
            facts["unreadable"].notna(),
            "; the plan could not be read (" + facts["unreadable"].fillna("").astype(str) + ")",
        ),
        (
            facts["no_plan"] & facts["unreadable"].isna(),
            pd.Series("; the plan has not been read yet", index=index),
        ),
        (
            ~facts["agreed"] & ~facts["no_plan"],
            pd.Series("; the plan is not agreed by both sides", index=index),
        ),
        (
            facts["overdue_buyer"] > 0,
            "; "
            + _counted(facts["overdue_buyer"], "buyer critical step", "buyer critical steps")
            + " overdue",
        ),
    ]
