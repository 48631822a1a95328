"""The risk rules of the pipeline review: one small pure function per flag (see risks.py).

Each rule reads one deal's `DealView` (facts already aggregated from the snapshot, events and the
steps frame) and returns a `Risk` with its evidence and the coaching question a manager would ask,
or None. Thresholds come from `ReviewInput.thresholds`; which rules run is the caller's choice.
"""

from __future__ import annotations

from typing import Any

from .businessdays import business_days_between
from .event_model import EventKind
from .model import Milestone, Role
from .plan_outlook import MilestoneOutlook
from .review_schedule import DealSchedule
from .risk_model import HIGH, LOW, MEDIUM, DealView, Overdue, Risk, RiskKind, Rule


def _plural(n: float, word: str) -> str:
    return f"{n:g} {word}" + ("" if n == 1 else "s")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _has_role(view: DealView, role: Role) -> bool | None:
    """Whether a stakeholder has the role (None without a snapshot: no plan-based risk)."""
    return None if view.plan is None else role.value.casefold() in view.plan.roles


def no_economic_buyer(view: DealView) -> Risk | None:
    """No stakeholder has the role Economic buyer."""
    if view.plan is None or _has_role(view, Role.ECONOMIC_BUYER):
        return None
    return view.risk(
        RiskKind.NO_ECONOMIC_BUYER,
        MEDIUM,
        f"No stakeholder with the role Economic buyer among {view.plan.people} listed",
        f"Nobody at {view.buyer} is named as the economic buyer. Who signs off on the budget, "
        "and have we met them?",
    )


def no_champion(view: DealView) -> Risk | None:
    """No stakeholder has the role Champion."""
    if view.plan is None or _has_role(view, Role.CHAMPION):
        return None
    return view.risk(
        RiskKind.NO_CHAMPION,
        MEDIUM,
        f"No stakeholder with the role Champion among {view.plan.people} listed",
        f"Nobody at {view.buyer} is named as our champion. Who inside {view.buyer} wants this "
        "to happen and will sell it when we are not in the room?",
    )


def legal_missing(view: DealView) -> Risk | None:
    """No legal/contract step in the plan, or none of them has a due date."""
    if view.plan is None or view.plan.steps.legal_scheduled:
        return None
    unscheduled = view.plan.steps.legal_unscheduled
    if unscheduled:
        evidence = "Legal step with no due date: " + ", ".join(unscheduled)
        question = (
            f"{view.buyer}'s {unscheduled[0]} has no date. When will their counsel review our "
            "terms, and who on their side is driving it?"
        )
    else:
        evidence = "No legal, contract or MSA step in the plan"
        question = (
            f"No legal review is scheduled with {view.buyer}. Has their counsel confirmed our "
            "standard terms are acceptable?"
        )
    return view.risk(RiskKind.LEGAL_MISSING, MEDIUM, evidence, question)


def no_procurement_contact(view: DealView) -> Risk | None:
    """The amount is above the threshold and no stakeholder has the role Procurement."""
    amount, limit = view.deal.amount, view.thresholds.procurement_amount
    if amount is None or amount <= limit or _has_role(view, Role.PROCUREMENT) is not False:
        return None
    return view.risk(
        RiskKind.NO_PROCUREMENT_CONTACT,
        MEDIUM,
        f"Amount {amount:,.0f} is above {limit:,.0f} and no stakeholder has the role Procurement",
        f"Who runs procurement at {view.buyer} for a {amount:,.0f} purchase, and what will they "
        "need from us (vendor onboarding, forms, purchase order)?",
    )


def security_missing(view: DealView) -> Risk | None:
    """The template has a security step but the plan has none (never had it, or it was removed)."""
    if view.plan is None or view.template is None or view.plan.steps.security:
        return None
    required = [s for s in view.template.steps if Role.SECURITY in s.roles]
    if not required:
        return None
    ids = {spec.id for spec in required}
    removed = [e for e in view.events if e.kind == EventKind.STEP_REMOVED and e.subject in ids]
    evidence = f"Template {view.template.title} requires {required[0].name}"
    if removed:
        last = removed[-1]
        evidence += (
            f"; {last.subject_label or last.subject} was removed by the {last.actor_side} "
            f"on {last.occurred_at.date().isoformat()}"
        )
    else:
        evidence += "; no step in the plan covers security review"
    return view.risk(
        RiskKind.SECURITY_MISSING,
        MEDIUM,
        evidence,
        f"The plan with {view.buyer} has no security review, though deals like this need one. "
        "Has their security team been engaged, and could it block signature?",
    )


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
    buyer_times = [e.occurred_at for e in view.events if e.actor_side == "buyer"]
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


def _overdue(view: DealView, side: str) -> Overdue | None:
    return None if view.plan is None else view.plan.steps.overdue.get(side)


def _overdue_evidence(side: str, late: Overdue) -> str:
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
    late = _overdue(view, "buyer")
    if late is None:
        return None
    return view.risk(
        RiskKind.OVERDUE_BUYER,
        HIGH if late.critical else MEDIUM,
        _overdue_evidence("buyer", late),
        f"{view.buyer} is behind on {_behind(late)}. What is blocking them, and who on their "
        "side can unblock it?",
    )


def overdue_seller(view: DealView) -> Risk | None:
    """Steps we own (alone or with the buyer) are past due and not done."""
    late = _overdue(view, "seller")
    if late is None:
        return None
    return view.risk(
        RiskKind.OVERDUE_SELLER,
        HIGH if late.critical else MEDIUM,
        _overdue_evidence("seller", late),
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


_MAKING_IT_THEIRS = {
    EventKind.STEP_ADDED,
    EventKind.STEP_REMOVED,
    EventKind.STEP_RENAMED,
    EventKind.DUE_DATE_MOVED,
    EventKind.OWNER_CHANGED,
}


def plan_unchanged(view: DealView) -> Risk | None:
    """The plan's steps are exactly the template's and the buyer never reshaped it."""
    if view.plan is None or view.template is None:
        return None
    if any(e.actor_side == "buyer" and e.kind in _MAKING_IT_THEIRS for e in view.events):
        return None
    if sorted(view.plan.steps.step_ids) != sorted(s.id for s in view.template.steps):
        return None
    return view.risk(
        RiskKind.PLAN_UNCHANGED,
        LOW,
        f"All {view.plan.steps.count} steps are template {view.template.name}'s; the buyer has "
        "not added, removed, renamed, re-dated or re-assigned any",
        f"{view.buyer} has not changed a single step, date or owner of the plan we proposed. "
        "Have we walked them through it, and does it reflect how they actually buy?",
    )


def plan_too_long(view: DealView) -> Risk | None:
    """The plan has more than max_steps steps."""
    limit = view.thresholds.max_steps
    if view.plan is None or view.plan.steps.count <= limit:
        return None
    count = view.plan.steps.count
    return view.risk(
        RiskKind.PLAN_TOO_LONG,
        LOW,
        f"{count} steps (limit {limit})",
        f"The plan with {view.buyer} has {count} steps. Which of them really matter to their "
        "decision, and can we trim the rest so they keep using it?",
    )


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


_NO_ALTERNATIVE = {"", "none", "no", "n/a", "na", "-", "—", "nothing"}


def alternative_named(view: DealView) -> Risk | None:
    """The buyer named an alternative (Deal fact "alternatives" not empty)."""
    if view.plan is None:
        return None
    value = view.plan.facts.get("alternatives")
    text = " ".join(str(value).split()) if value is not None else ""
    if text.casefold() in _NO_ALTERNATIVE:
        return None
    shown = text if len(text) <= 80 else text[:79] + "…"
    return view.risk(
        RiskKind.ALTERNATIVE_NAMED,
        MEDIUM,
        f'Alternatives considered: "{shown}"',
        f'{view.buyer} is also weighing "{shown}". Why would they choose that over us, and '
        "what have we done to make the difference clear?",
    )


def _ticked(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().casefold() in {"true", "yes", "x", "✓", "✔"}


def not_agreed(view: DealView) -> Risk | None:
    """Plan agreed by buyer / by seller are not both ticked."""
    if view.plan is None:
        return None
    buyer = _ticked(view.plan.facts.get("plan_agreed_buyer"))
    seller = _ticked(view.plan.facts.get("plan_agreed_seller"))
    if buyer and seller:
        return None
    if not buyer and not seller:
        question = f"Neither side has agreed to the plan with {view.buyer}. When will we review "
        question += "it together and both sign off?"
    elif not buyer:
        question = f"{view.buyer} has not agreed to the plan. Who at {view.buyer} needs to sign "
        question += "off on it, and when will we walk them through it?"
    else:
        question = f"{view.buyer} agreed to the plan but we have not. What stops us from "
        question += "committing to these dates?"
    yes_no = {True: "yes", False: "no"}
    evidence = f"Plan agreed: buyer {yes_no[buyer]}, seller {yes_no[seller]}"
    stale = _stale_agreement(view)
    if stale is not None:
        changes = [str(c) for c in stale.details.get("changes") or []]
        evidence += f"; the agreement went stale on {stale.details.get('since')}" + (
            f": {changes[0]}" if changes else ""
        )
        question = (
            f"The plan changed after both sides agreed to it. When will we walk {view.buyer} "
            "through the change and both sign off again?"
        )
    return view.risk(RiskKind.NOT_AGREED, MEDIUM, evidence, question)


def _stale_agreement(view: DealView) -> Any:
    """The agreement_stale event that explains the plan not being agreed: the latest change of
    the agreement, when it is one (domain.agreement)."""
    moves = [
        e for e in view.events if e.kind in ("agreement_stale", "plan_agreed", "plan_withdrawn")
    ]
    # In one read the stale event comes with the changes that made it: it wins a tie.
    latest = max(moves, key=lambda e: (e.occurred_at, e.kind == "agreement_stale"), default=None)
    return latest if latest is not None and latest.kind == "agreement_stale" else None


RULES: dict[RiskKind, Rule] = {
    RiskKind.NO_ECONOMIC_BUYER: no_economic_buyer,
    RiskKind.NO_CHAMPION: no_champion,
    RiskKind.LEGAL_MISSING: legal_missing,
    RiskKind.NO_PROCUREMENT_CONTACT: no_procurement_contact,
    RiskKind.SECURITY_MISSING: security_missing,
    RiskKind.VALIDATION_LATE: validation_late,
    RiskKind.BUYER_SILENT: buyer_silent,
    RiskKind.OVERDUE_BUYER: overdue_buyer,
    RiskKind.OVERDUE_SELLER: overdue_seller,
    RiskKind.GO_LIVE_SLIPPED: go_live_slipped,
    RiskKind.SIGNATURE_SLIPPED: signature_slipped,
    RiskKind.PLAN_UNCHANGED: plan_unchanged,
    RiskKind.PLAN_TOO_LONG: plan_too_long,
    RiskKind.CANNOT_FIT: cannot_fit,
    RiskKind.ALTERNATIVE_NAMED: alternative_named,
    RiskKind.NOT_AGREED: not_agreed,
}
