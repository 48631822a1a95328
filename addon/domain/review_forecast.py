"""The plan-based forecast: when each deal will really sign, and how sure that is (pure pandas).

Choices, where the plan leaves room:

- Committed signature: the Deal tab's signature target, else DealFacts.signature_target, else
  the signature milestone step's due date, else the go-live date (Deal tab, then DealFacts).
- Remaining critical work: the summed duration_days of the not-Done critical template steps that
  are the signature milestone or whose `before` chain reaches it (for a template without a
  signature milestone: every step but go-live). Durations are summed, not laid on a critical
  path, so critical steps that run in parallel count in full: the estimate leans late. A step in
  progress counts in full too; buyer-added steps are never critical.
- Pace: over Done template steps of positive duration with both a due date and a Done on date,
  the mean of (business days late + duration) / duration (early steps count below 1), clipped to
  [0.5, 3]; 1.0 without such a step.
- A deal without a readable plan (no snapshot, or marked unreadable) is at best "At risk".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from addon.domain.review_base import (
    BUYER_SIDES,
    add_busdays,
    busdays_between,
    buyer_silence,
    dates_by_deal,
    deal_tab_frame,
    deals_frame,
    events_frame,
    slips_frame,
    template_steps_frame,
)
from addon.domain.review_input import ReviewInput

COMMIT, PROBABLE, AT_RISK, SLIPPING = "Commit", "Probable", "At risk", "Slipping"
PROBABLE_DAYS = 5  # business days past the committed date still "Probable"
AT_RISK_DAYS = 20  # ... still "At risk"; beyond that "Slipping"
PACE_RANGE = (0.5, 3.0)

FORECAST_COLUMNS = [
    *("deal_id", "committed_signature", "remaining_critical_steps", "remaining_critical_days"),
    *("pace", "projected_close", "slip_business_days", "category", "reason"),
]


def _is_done(status: pd.Series) -> pd.Series:
    return status.fillna("").astype(str).str.strip().str.casefold().eq("done")


def _per_deal(deal_ids: pd.Series, values: pd.Series, fill: float = 0) -> pd.Series:
    """A per-deal aggregate (indexed by deal_id) aligned to deal_ids, `fill` where absent."""
    return deal_ids.map(values).fillna(fill)


def forecast(data: ReviewInput, steps: pd.DataFrame) -> pd.DataFrame:
    """One row per deal: committed and projected close, slip, pace, category and its reason."""
    deals = deals_frame(data)
    ids = deals["deal_id"]
    tab = deal_tab_frame(data).set_index("deal_id").reindex(ids).reset_index()
    events = events_frame(data)
    done = _is_done(steps["status"])

    signature_due = steps[steps["milestone"] == "signature"].groupby("deal_id")["due"].min()
    committed = (
        tab["tab_signature"]
        .fillna(deals["signature_target"])
        .fillna(dates_by_deal(ids, signature_due))
        .fillna(tab["tab_go_live"])
        .fillna(deals["go_live"])
    )

    specs = template_steps_frame(data.templates)[["template", "step_id", "before_signature"]]
    template_of = deals.set_index("deal_id")["template"]
    chained = steps.assign(template=steps["deal_id"].map(template_of)).merge(
        specs, how="left", on=["template", "step_id"]
    )
    before_signature = chained["before_signature"].astype("boolean").fillna(False).to_numpy()
    left = (steps["critical"] & ~done & before_signature).to_numpy()
    remaining = steps[left]
    remaining_days = _per_deal(ids, remaining.groupby("deal_id")["duration_days"].sum())
    remaining_steps = _per_deal(
        ids, remaining[remaining["duration_days"] > 0].groupby("deal_id").size()
    ).astype(int)

    evidence = steps[
        done & steps["due"].notna() & steps["done_on"].notna() & (steps["duration_days"] > 0)
    ]
    late = busdays_between(evidence["due"], evidence["done_on"])
    ratio = (late + evidence["duration_days"]) / evidence["duration_days"]
    pace = _per_deal(ids, ratio.groupby(evidence["deal_id"]).mean(), 1.0).clip(*PACE_RANGE)

    work = (remaining_days * pace).round(9)  # no float noise pushing 3.0 up to 4
    needed = pd.Series(np.ceil(work.to_numpy()), index=work.index)
    projected = add_busdays(data.today, needed).where(lambda day: day > committed, committed)
    slip = busdays_between(committed, projected).clip(lower=0).fillna(0).astype(int)

    slips = slips_frame(data, events).set_index("deal_id").reindex(ids)
    silence = buyer_silence(data, events).set_index("deal_id").reindex(ids)
    buyer_overdue = steps[
        steps["overdue"]
        & steps["critical"]
        & steps["owner_side"].fillna("").astype(str).str.strip().str.casefold().isin(BUYER_SIDES)
    ]
    overdue_buyer = _per_deal(ids, buyer_overdue.groupby("deal_id").size()).astype(int)
    thresholds = data.thresholds
    facts = pd.DataFrame(
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
    slipped_often = facts["slips"] >= thresholds.slip_count
    silent = facts["silent_days"] >= thresholds.buyer_silence_days
    category = np.select(
        [
            (facts["slip"] > AT_RISK_DAYS) | slipped_often,
            (facts["slip"] > PROBABLE_DAYS) | silent | facts["no_plan"],
            (facts["slip"] == 0) & facts["agreed"] & (facts["overdue_buyer"] == 0),
        ],
        [SLIPPING, AT_RISK, COMMIT],
        default=PROBABLE,
    )
    reason = _reason(
        facts, committed, projected, remaining_steps, remaining_days, pace, slipped_often, silent
    )
    result = pd.DataFrame(
        {
            "deal_id": ids,
            "committed_signature": committed,
            "remaining_critical_steps": remaining_steps,
            "remaining_critical_days": remaining_days.astype(int),
            "pace": pace.round(2),
            "projected_close": projected,
            "slip_business_days": slip,
            "category": category,
            "reason": reason.where(category != COMMIT, reason + _COMMIT_CLAUSE),
        },
        columns=FORECAST_COLUMNS,
    )
    return result.reset_index(drop=True)


_COMMIT_CLAUSE = "; the plan is agreed by both sides and no buyer critical step is overdue"


def _counted(count: pd.Series, one: str, many: str) -> pd.Series:
    """ "1 step" / "3 steps": the count and the word that agrees with it."""
    return count.astype(int).astype(str) + np.where(count == 1, " " + one, " " + many)


def _reason(
    facts: pd.DataFrame,
    committed: pd.Series,
    projected: pd.Series,
    remaining_steps: pd.Series,
    remaining_days: pd.Series,
    pace: pd.Series,
    slipped_often: pd.Series,
    silent: pd.Series,
) -> pd.Series:
    """One sentence per deal with the numbers behind its category."""
    index = facts.index
    committed_text = pd.Series(committed.dt.strftime("%Y-%m-%d").to_numpy(), index=index)
    projected_text = pd.Series(projected.dt.strftime("%Y-%m-%d").to_numpy(), index=index)
    slip = facts["slip"]
    steps_left = pd.Series(remaining_steps.to_numpy(), index=index)
    days_left = pd.Series(remaining_days.to_numpy(), index=index)
    pace_text = pd.Series(pace.round(1).map("{:.1f}".format).to_numpy(), index=index)
    when = pd.Series(
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
    work = pd.Series(
        np.where(
            steps_left > 0,
            ": "
            + _counted(steps_left, "critical step", "critical steps")
            + " left ("
            + _counted(days_left, "business day", "business days")
            + ") at "
            + pace_text
            + "x the planned pace",
            ": no critical step left before signature",
        ),
        index=index,
    )
    clauses: list[tuple[pd.Series, pd.Series]] = [
        (
            slipped_often,
            "; go-live or signature already slipped "
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
    sentence = when + work
    for applies, clause in clauses:
        sentence = sentence + clause.where(applies, "")
    return sentence
