"""The risk rules about dates and pace: technical validation late for signature, a silent
buyer, overdue steps, slipped milestones, and open work that cannot fit before a milestone
(pure; registered with the coverage rules in `risk_rules.RULES`).
"""

from __future__ import annotations

from .businessdays import business_days_between
from .event_model import EventKind
from .model import Milestone, Side
from .plan_outlook import MilestoneOutlook
from .review_schedule import DealSchedule
from .risk_model import HIGH, MEDIUM, DealView, Overdue, Risk, RiskKind


def _plural(n: float, word: str) -> str:
    return f"{n:g} {word}" + ("" if n == 1 else "s")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def validation_late(view: DealView) -> Risk | None:
    """Technical validation not done while signature is within the lead time (or past)."""
    plan = view.plan
    if plan is None or plan.signature is None or not plan.steps.open_validation:
        return None
    lead = view.thresholds.validation_lead_days
    left = business_days_between(view.today, plan.signature, view.holidays)
    if left > lead:
        return None
    steps = ", ".join(plan.steps.open_validation)
    days = _plural(abs(left), "business day")
    when = f"{days} away" if left >= 0 else f"{days} past"
    target = plan.signature.isoformat()
    return view.risk(
        RiskKind.VALIDATION_LATE,
        HIGH,
        f"Technical validation not done: {steps}; signature target {target} is {when} "
        f"(validation due {lead} business days before)",
        f"{view.buyer} has not finished technical validation ({steps}) and signature is {when}. "
        "Is their technical evaluator satisfied, and what is still left to prove?",
    )


def buyer_silent(view: DealView) -> Risk | None:
    """No buyer event for buyer_silence_days calendar days (from creation if never edited)."""
    buyer_times = [e.occurred_at for e in view.events if e.actor_side == Side.BUYER]
    since = max(buyer_times) if buyer_times else view.deal.created_at
    days = (view.today - since.date()).days
    if days < view.thresholds.buyer_silence_days:
        return None
    if buyer_times:
        evidence = f"Last buyer edit on {since.date().isoformat()} ({days} days ago)"
        question = (
            f"{view.buyer} has not touched the plan in {days} days. Who on their side still "
            "owns this decision, and when did we last speak?"
        )
    else:
        evidence = (
            f"No buyer edit since the plan was created on {since.date().isoformat()} "
            f"({days} days ago)"
        )
        question = (
            f"{view.buyer} has not edited the plan once in the {days} days since it was shared. "
            "Have they seen it, and who on their side should own it?"
        )
    return view.risk(RiskKind.BUYER_SILENT, HIGH, evidence, question)


def _overdue(view: DealView, side: Side) -> Overdue | None:
    return None if view.plan is None else view.plan.steps.overdue.get(side)


def _overdue_evidence(side: Side, late: Overdue) -> str:
    due = f" due {late.oldest_due.isoformat()}" if late.oldest_due else ""
    return (
        f"{late.count} {side} {'step' if late.count == 1 else 'steps'} overdue, oldest: "
        f"{late.oldest}{due} ({_plural(late.oldest_days, 'business day')})"
    )


def _behind(late: Overdue) -> str:
    """The overdue steps in words: the one step, or how many and the oldest."""
    days = f"({_plural(late.oldest_days, 'business day')} late)"
    if late.count == 1:
        return f"{late.oldest} {days}"
    return f"{late.count} steps, the oldest {late.oldest} {days}"


def overdue_buyer(view: DealView) -> Risk | None:
    """Steps the buyer owns (alone or with us) are past due and not done."""
    late = _overdue(view, Side.BUYER)
    if late is None:
        return None
    return view.risk(
        RiskKind.OVERDUE_BUYER,
        HIGH if late.critical else MEDIUM,
        _overdue_evidence(Side.BUYER, late),
        f"{view.buyer} is behind on {_behind(late)}. What is blocking them, and who on their "
        "side can unblock it?",
    )


def overdue_seller(view: DealView) -> Risk | None:
    """Steps we own (alone or with the buyer) are past due and not done."""
    late = _overdue(view, Side.SELLER)
    if late is None:
        return None
    return view.risk(
        RiskKind.OVERDUE_SELLER,
        HIGH if late.critical else MEDIUM,
        _overdue_evidence(Side.SELLER, late),
        f"We are behind with {view.buyer} on {_behind(late)}. What do we need to do to catch "
        "up this week?",
    )


def _slipped(view: DealView, kind: RiskKind, event: EventKind, label: str, ask: str) -> Risk | None:
    """A headline date moved later often enough or far enough."""
    slips = []
    for e in view.events:
        days = e.details.get("slip_business_days") if e.kind == event else None
        if isinstance(days, int | float) and not isinstance(days, bool) and days > 0:
            slips.append((e, days))
    total = sum(days for _, days in slips)
    t = view.thresholds
    if not slips or (len(slips) < t.slip_count and total < t.slip_days):
        return None
    last = slips[-1][0]
    moved = _times(len(slips))
    change = f" {last.before} → {last.after}" if last.before and last.after else ""
    return view.risk(
        kind,
        HIGH,
        f"{label} moved later {moved}, {_plural(total, 'business day')} in total; last"
        f"{change} on {last.occurred_at.date().isoformat()}",
        f"The {label.lower()} date with {view.buyer} has moved {moved} "
        f"({_plural(total, 'business day')} in all). {ask}",
    )


def go_live_slipped(view: DealView) -> Risk | None:
    """Go-live moved later at least slip_count times or slip_days business days in total."""
    ask = "What keeps moving it, and does their sponsor stand behind the new date?"
    return _slipped(view, RiskKind.GO_LIVE_SLIPPED, EventKind.GO_LIVE_SLIPPED, "Go-live", ask)


def signature_slipped(view: DealView) -> Risk | None:
    """Signature moved later at least slip_count times or slip_days business days in total."""
    ask = f"What is holding up signature, and who at {view.buyer} can commit to the new date?"
    kind, event = RiskKind.SIGNATURE_SLIPPED, EventKind.SIGNATURE_SLIPPED
    return _slipped(view, kind, event, "Signature", ask)


def cannot_fit(view: DealView) -> Risk | None:
    """The longest chain of open work, from today, ends after the milestone it must end by.

    Signature is checked first, then go-live; the flag names the chain and both dates. Steps
    that run in parallel count once (the template's tree), not summed.
    """
    schedule = view.schedule
    if view.plan is None or schedule is None:
        return None
    for milestone, seen in schedule.milestones.items():
        label = "signature" if milestone is Milestone.SIGNATURE else "go-live"
        dated = _dated_after(view, schedule, seen, label)
        if dated is not None:
            return dated
        if seen.fits or seen.needed is None or seen.committed is None:
            continue
        chain = schedule.names(seen.needed.chain)
        work = [name for name in chain[:-1]] or chain
        days = business_days_between(seen.committed, seen.needed.day, view.holidays)
        return view.risk(
            RiskKind.CANNOT_FIT,
            HIGH,
            f"The open work before {label} ({' → '.join(work)}) needs until "
            f"{seen.needed.day.isoformat()} from today at the planned pace; {label} is "
            f"{seen.committed.isoformat()}, {_plural(days, 'business day')} earlier",
            f"The work left before {label} with {view.buyer} ({' → '.join(work)}) cannot finish "
            f"by {seen.committed.isoformat()}. Which of these steps can be shortened or run in "
            f"parallel, or should we reset the {label} date with them now?",
        )
    return None


def _dated_after(
    view: DealView, schedule: DealSchedule, seen: MilestoneOutlook, label: str
) -> Risk | None:
    """A step that must end before the milestone is dated after it (the plan's own dates)."""
    planned, committed = seen.planned, seen.committed
    if planned is None or committed is None or planned.day <= committed or not seen.set_by:
        return None
    step = schedule.plan.by_key()[seen.set_by[0]]
    when = step.due.isoformat() if step.due else "later"
    days = business_days_between(committed, planned.day, view.holidays)
    return view.risk(
        RiskKind.CANNOT_FIT,
        HIGH,
        f"{step.name} is dated {when}, after {label} on {committed.isoformat()}: as the plan "
        f"stands, {label} can come no earlier than {planned.day.isoformat()} "
        f"({_plural(days, 'business day')} later)",
        f"{view.buyer}'s plan now has {step.name} ending after {label}. Is that date real, and "
        f"if so, who moves {label} with them, or what brings {step.name} back in time?",
    )
