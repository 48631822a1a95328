"""The review's end of the funnel: closed deals, win/loss counts, and won deals' onboarding (pure).

A deal the seller closed (domain/outcome.py) leaves the live tabs. Lost and won deals are listed
on Closed with their cycle length against the template's typical length; Win-loss counts them by
template and by owner; a won deal's plan carries on, and Onboarding follows its steps after
signature against the go-live the plan commits to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from .businessdays import business_days_between
from .deal import DealRecord
from .model import Milestone
from .outcome import Outcome
from .plan_outlook import MilestoneOutlook
from .review_base import events_frame, slips_frame
from .review_input import ReviewInput
from .review_schedule import deal_schedules

CLOSED_COLUMNS = [
    *("Deal", "Buyer", "Owner", "Amount", "Template", "Outcome", "Closed on", "Reason"),
    *("Reason in words", "Competitor", "Cycle (business days)", "Typical (business days)"),
    *("Cycle vs typical", "Slips before close", "Slip days before close", "Plan", "deal_id"),
]
WIN_LOSS_COLUMNS = ["By", "Name", "Won", "Lost", "Win rate", "Top loss reason", "Lost to"]
ONBOARDING_COLUMNS = [
    *("Deal", "Buyer", "Owner", "Customer success", "Won on", "Step", "Side", "Step owner"),
    *("Due", "Status"),
    *("Overdue", "Go-live (committed)", "Go-live (projected)", "On track", "Why", "Plan"),
    "deal_id",
]


def split_by_outcome(data: ReviewInput) -> tuple[ReviewInput, ReviewInput, ReviewInput]:
    """(live: open and on hold, closed: won and lost, won) views of one review input."""

    def only(keep: Iterable[DealRecord]) -> ReviewInput:
        return replace(data, deals=tuple(keep))

    def closed(deal: DealRecord) -> bool:
        outcome = data.outcome(deal)
        return outcome is not None and outcome.closed

    def won(deal: DealRecord) -> bool:
        outcome = data.outcome(deal)
        return outcome is not None and outcome.outcome is Outcome.WON

    return (
        only(d for d in data.deals if not closed(d)),
        only(d for d in data.deals if closed(d)),
        only(d for d in data.deals if won(d)),
    )


def closed_frame(data: ReviewInput) -> pd.DataFrame:
    """One row per won or lost deal (give it the closed deals only): most recent first."""
    events = events_frame(data)
    closed_on = {d.deal_id: o.on for d in data.deals if (o := data.outcome(d)) is not None}
    until = pd.to_datetime(events["deal_id"].map(closed_on).astype(object), errors="coerce")
    frame = slips_frame(data, events[(events["day"] <= until).fillna(False).astype(bool)])
    slips = {
        deal_id: (int(count), int(days))
        for deal_id, count, days in zip(
            frame["deal_id"], frame["slips"], frame["slip_days"], strict=True
        )
    }
    rows = []
    for deal in data.deals:
        outcome = data.outcome(deal)
        if outcome is None or not outcome.closed:
            continue
        template = data.templates.get(deal.template)
        holidays = frozenset(template.holidays) if template else frozenset()
        cycle = business_days_between(deal.created_at.date(), outcome.on, holidays)
        weeks = template.typical_weeks if template else None
        typical = f"{weeks[0] * 5}-{weeks[1] * 5}" if weeks else None
        versus = _versus(cycle, weeks)
        slip_count, slip_days = slips.get(deal.deal_id, (0, 0))
        rows.append(
            {
                "Deal": deal.name,
                "Buyer": deal.buyer_company,
                "Owner": deal.owner_email,
                "Amount": deal.amount_value,
                "Template": deal.template,
                "Outcome": outcome.outcome.label,
                "Closed on": outcome.on,
                "Reason": outcome.reason or "",
                "Reason in words": outcome.detail,
                "Competitor": outcome.competitor or "",
                "Cycle (business days)": cycle,
                "Typical (business days)": typical or "",
                "Cycle vs typical": versus,
                "Slips before close": slip_count,
                "Slip days before close": slip_days,
                "Plan": deal.url,
                "deal_id": deal.deal_id,
            }
        )
    frame = pd.DataFrame(rows, columns=CLOSED_COLUMNS)
    if not frame.empty:
        frame["Closed on"] = pd.to_datetime(frame["Closed on"])
        frame = frame.sort_values(["Closed on", "Deal"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)


def _versus(cycle: int, weeks: tuple[int, int] | None) -> str:
    """The cycle against the template's typical range, in words."""
    if not weeks:
        return "no typical length in the template"
    low, high = weeks[0] * 5, weeks[1] * 5
    if cycle < low:
        return f"{low - cycle} business days shorter"
    if cycle > high:
        return f"{cycle - high} business days longer"
    return "within the typical range"


def win_loss_frame(data: ReviewInput) -> pd.DataFrame:
    """Won and lost counts, win rate and the most frequent loss reason, by template and owner."""
    rows = []
    for by, key in (("Template", "template"), ("Owner", "owner_email")):
        groups: dict[str, list[DealRecord]] = {}
        for deal in data.deals:
            outcome = data.outcome(deal)
            if outcome is not None and outcome.closed:
                groups.setdefault(str(getattr(deal, key)), []).append(deal)
        for name in sorted(groups, key=str.casefold):
            deals = groups[name]
            outcomes = [o for o in map(data.outcome, deals) if o is not None]
            won = sum(o.outcome is Outcome.WON for o in outcomes)
            lost = [o for o in outcomes if o.outcome is Outcome.LOST]
            reasons = Counter(o.reason for o in lost if o.reason)
            rivals = Counter(o.competitor for o in lost if o.competitor)
            rows.append(
                {
                    "By": by,
                    "Name": name,
                    "Won": won,
                    "Lost": len(lost),
                    "Win rate": round(won / len(outcomes), 3) if outcomes else 0.0,
                    "Top loss reason": _top(reasons),
                    "Lost to": _top(rivals),
                }
            )
    return pd.DataFrame(rows, columns=WIN_LOSS_COLUMNS)


def _top(counts: Counter[str]) -> str:
    """The most frequent entries (ties all named, alphabetically) with their count."""
    if not counts:
        return ""
    most = max(counts.values())
    names = sorted((name for name, n in counts.items() if n == most), key=str.casefold)
    return f"{', '.join(names)} ({most})"


def onboarding_frame(data: ReviewInput, steps: pd.DataFrame) -> pd.DataFrame:
    """Each won deal's steps after signature, with whether the plan still makes its go-live.

    Give it the won deals only, and their `steps_frame`. A step counts as after signature when
    it is due after the plan's signature date (or, undated, follows it in the template).
    """
    schedules = deal_schedules(data)
    rows = []
    for deal in data.deals:
        outcome = data.outcome(deal)
        schedule = schedules.get(deal.deal_id)
        go_live = schedule.milestones.get(Milestone.GO_LIVE) if schedule else None
        signature = schedule.milestones.get(Milestone.SIGNATURE) if schedule else None
        signed = signature.committed if signature else None
        committed = go_live.committed if go_live else None
        projected = go_live.close if go_live else None
        on_track, why = _on_track(go_live)
        mine = steps[steps["deal_id"] == deal.deal_id]
        after = mine[mine["due"] > pd.Timestamp(signed)] if signed else mine
        after = after[after["milestone"].astype(object) != Milestone.SIGNATURE.value]
        for _, step in after.iterrows():
            rows.append(
                {
                    "Deal": deal.name,
                    "Buyer": deal.buyer_company,
                    "Owner": deal.owner_email,
                    "Customer success": (outcome.success_owner or "") if outcome else "",
                    "Won on": outcome.on if outcome else None,
                    "Step": step["name"],
                    "Side": step["owner_side"],
                    "Step owner": step["owner"],
                    "Due": step["due"],
                    "Status": step["status"],
                    "Overdue": "yes" if bool(step["overdue"]) else "no",
                    "Go-live (committed)": committed,
                    "Go-live (projected)": projected,
                    "On track": on_track,
                    "Why": why,
                    "Plan": deal.url,
                    "deal_id": deal.deal_id,
                }
            )
    frame = pd.DataFrame(rows, columns=ONBOARDING_COLUMNS)
    for column in ("Won on", "Due", "Go-live (committed)", "Go-live (projected)"):
        frame[column] = pd.to_datetime(frame[column])
    return frame.reset_index(drop=True)


def _on_track(go_live: MilestoneOutlook | None) -> tuple[str, str]:
    """("yes" / "no" / "unknown", why) for a won deal's go-live."""
    committed = go_live.committed if go_live else None
    close = go_live.close if go_live else None
    if committed is None or close is None:
        return "unknown", "the plan has no go-live date to follow"
    if close <= committed:
        return "yes", "the remaining steps fit before the go-live"
    late = business_days_between(committed, close)
    return "no", f"the remaining steps end {late} business days after the go-live"
