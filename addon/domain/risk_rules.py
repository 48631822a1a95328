"""The risk rules of the pipeline review: one small pure function per flag (see risks.py).

Each rule reads one deal's `DealView` (facts already aggregated from the snapshot, events and the
steps frame) and returns a `Risk` with its evidence and the coaching question a manager would ask,
or None. Thresholds come from `ReviewInput.thresholds`; which rules run is the caller's choice.

The rules about who and what the plan covers (roles, legal, procurement, security, the buyer's
own edits, its length, alternatives, agreement) are here; those about dates and pace
(validation, silence, overdue steps, slips, work that cannot fit) are in `date_risks`.
"""

from __future__ import annotations

from typing import Any

from .date_risks import (
    buyer_silent,
    cannot_fit,
    go_live_slipped,
    overdue_buyer,
    overdue_seller,
    signature_slipped,
    validation_late,
)
from .event_model import EventKind
from .model import Role, Side
from .question_risks import buyer_question_unanswered
from .risk_model import LOW, MEDIUM, DealView, Risk, RiskKind, Rule


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
    amount, limit = view.deal.amount_value, view.thresholds.procurement_amount
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
    if any(e.actor_side == Side.BUYER and e.kind in _MAKING_IT_THEIRS for e in view.events):
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
    RiskKind.QUESTION_UNANSWERED: buyer_question_unanswered,
}
