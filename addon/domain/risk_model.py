"""The vocabulary of the risk rules: kinds, flags, and the per-deal view rules read (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from .businessdays import business_days_between
from .deal import DealRecord
from .model import Side, Template
from .outcome import DealOutcome
from .review_input import EventFacts, Thresholds
from .review_schedule import DealSchedule

HIGH, MEDIUM, LOW, SETUP = "high", "medium", "low", "setup"
# high: the date is in danger; medium: the deal is exposed; low: worth a word; setup: a plan in its
# first days that is still missing something (a checklist item, not a risk yet)
SEVERITY_RANK = {HIGH: 0, MEDIUM: 1, LOW: 2, SETUP: 3}


class RiskKind(StrEnum):
    """What a flag is about."""

    NO_ECONOMIC_BUYER = "no_economic_buyer"
    NO_CHAMPION = "no_champion"
    LEGAL_MISSING = "legal_missing"
    NO_PROCUREMENT_CONTACT = "no_procurement_contact"
    SECURITY_MISSING = "security_missing"
    VALIDATION_LATE = "validation_late"
    BUYER_SILENT = "buyer_silent"
    OVERDUE_BUYER = "overdue_buyer"
    OVERDUE_SELLER = "overdue_seller"
    GO_LIVE_SLIPPED = "go_live_slipped"
    SIGNATURE_SLIPPED = "signature_slipped"
    PLAN_UNCHANGED = "plan_unchanged"
    PLAN_TOO_LONG = "plan_too_long"
    CANNOT_FIT = "cannot_fit"
    ALTERNATIVE_NAMED = "alternative_named"
    NOT_AGREED = "not_agreed"
    QUESTION_UNANSWERED = "question_unanswered"

    @property
    def label(self) -> str:
        """The readable name the Risks tab shows."""
        return _TITLES[self]


_K = RiskKind
_TITLES = {
    _K.NO_ECONOMIC_BUYER: "No economic buyer",
    _K.NO_CHAMPION: "No champion",
    _K.LEGAL_MISSING: "Legal review missing or unscheduled",
    _K.NO_PROCUREMENT_CONTACT: "No procurement contact",
    _K.SECURITY_MISSING: "Security review missing",
    _K.VALIDATION_LATE: "Technical validation late",
    _K.BUYER_SILENT: "Buyer silent",
    _K.OVERDUE_BUYER: "Buyer steps overdue",
    _K.OVERDUE_SELLER: "Seller steps overdue",
    _K.GO_LIVE_SLIPPED: "Go-live slipped",
    _K.SIGNATURE_SLIPPED: "Signature slipped",
    _K.PLAN_UNCHANGED: "Plan unchanged from template",
    _K.PLAN_TOO_LONG: "Plan too long",
    _K.CANNOT_FIT: "Remaining work cannot fit",
    _K.ALTERNATIVE_NAMED: "Alternative vendor named",
    _K.NOT_AGREED: "Plan not agreed by both sides",
    _K.QUESTION_UNANSWERED: "Buyer question unanswered",
}


# The flags about dates and pace: an on-hold deal raises none until its revisit date.
DATE_KINDS = frozenset(
    {
        RiskKind.VALIDATION_LATE,
        RiskKind.BUYER_SILENT,
        RiskKind.OVERDUE_BUYER,
        RiskKind.OVERDUE_SELLER,
        RiskKind.GO_LIVE_SLIPPED,
        RiskKind.SIGNATURE_SLIPPED,
        RiskKind.CANNOT_FIT,
    }
)


@dataclass(frozen=True)
class Risk:
    """One flag on one deal: what, how bad, the facts behind it, and what a manager would ask."""

    deal_id: str
    kind: RiskKind
    severity: str  # "high" | "medium" | "low"
    evidence: str
    question: str


@dataclass(frozen=True)
class Overdue:
    """One side's overdue steps on a deal: how many, and the oldest."""

    count: int
    oldest: str
    oldest_due: date | None
    oldest_days: int
    critical: bool = False


@dataclass(frozen=True)
class StepFacts:
    """What the rules need from one deal's rows of the steps frame (aggregated in risks.py)."""

    count: int = 0
    step_ids: tuple[str, ...] = ()  # "" for a row without a Step ID
    legal_scheduled: bool = False  # a legal step with a due date (or done)
    legal_unscheduled: tuple[str, ...] = ()  # names of legal steps without a due date
    security: bool = False  # a step covers security review
    open_validation: tuple[str, ...] = ()  # technical-evaluator steps not done
    overdue: Mapping[Side, Overdue] = field(default_factory=dict)  # buyer and seller


@dataclass(frozen=True)
class PlanFacts:
    """What the latest snapshot of a deal's plan says, for the rules."""

    facts: Mapping[str, Any]  # the Deal tab, by key
    roles: frozenset[str]  # stakeholder roles, casefolded
    people: int
    signature: date | None
    steps: StepFacts


@dataclass(frozen=True)
class DealView:
    """One deal as the rules see it; `plan` is None when the deal has no snapshot."""

    deal: DealRecord
    today: date
    thresholds: Thresholds
    events: tuple[EventFacts, ...] = ()
    template: Template | None = None
    plan: PlanFacts | None = None
    holidays: frozenset[date] = frozenset()
    schedule: DealSchedule | None = None  # the plan on its template's tree (None without a plan)
    outcome: DealOutcome | None = None  # as the seller set it; None while the deal is open

    @property
    def in_setup(self) -> bool:
        """Whether the plan is in its first `setup_days` business days."""
        created = self.deal.created_at.date()
        age = business_days_between(created, self.today, self.holidays)
        return age < self.thresholds.setup_days

    @property
    def on_hold(self) -> bool:
        """Paused by the seller and not yet due for a look: no date flags."""
        return self.outcome is not None and self.outcome.on_hold(self.today)

    @property
    def buyer(self) -> str:
        """The buyer company, the name every question uses."""
        return self.deal.buyer_company.strip() or self.deal.name

    def risk(self, kind: RiskKind, severity: str, evidence: str, question: str) -> Risk:
        """A flag on this deal."""
        return Risk(self.deal.deal_id, kind, severity, evidence, question)


Rule = Callable[[DealView], Risk | None]
