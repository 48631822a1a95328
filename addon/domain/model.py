"""The mutual action plan: templates, scheduled steps, stakeholders, deals (plain dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

GO_LIVE = "go-live"  # the anchor every backward chain ends at


class Side(StrEnum):
    """Which side of the deal someone or something is on: the one side enum of the product.

    A step's owner is the buyer, the seller or both (`STEP_OWNERS`); a person on the deal is a
    buyer, a seller or the add-on's own service account (`PEOPLE_SIDES`); a change is credited
    to the buyer, the seller or, when the facts cannot say, to an unknown side (`ACTOR_SIDES`).
    Values are lower-case words ("buyer"), what the store and events keep; `label` is the word a
    sheet shows ("Buyer"). A side is looked up from either, in any case: `Side("Buyer")`.
    """

    BUYER = "buyer"
    SELLER = "seller"
    BOTH = "both"  # a step both sides own
    SERVICE = "service"  # the add-on's own service account
    UNKNOWN = "unknown"  # a change the facts credit to no one side

    @property
    def label(self) -> str:
        """The word a sheet shows: "Buyer", "Seller", "Both"."""
        return self.value.capitalize()

    @classmethod
    def _missing_(cls, value: object) -> Side | None:
        text = value.strip().casefold() if isinstance(value, str) else None
        return next((side for side in cls if side.value == text), None)


STEP_OWNERS = (Side.BUYER, Side.SELLER, Side.BOTH)  # the Plan tab's Owner side choices
PARTIES = (Side.BUYER, Side.SELLER)  # the Stakeholders tab's Side choices
PEOPLE_SIDES = (Side.BUYER, Side.SELLER, Side.SERVICE)  # a person the plan is shared with
ACTOR_SIDES = (Side.BUYER, Side.SELLER, Side.UNKNOWN)  # whom a change is credited to


def side_among(value: object, allowed: tuple[Side, ...], what: str) -> Side:
    """The side `value` names (a member, "buyer" or "Buyer"), when it is one of `allowed`."""
    try:
        side = Side(value) if isinstance(value, str) else None
    except ValueError:
        side = None
    if side not in allowed:
        words = ", ".join(s.value for s in allowed[:-1]) + f" or {allowed[-1].value}"
        raise ValueError(f"{what} must be {words}, not {value!r}")
    return side


class Status(StrEnum):
    """Where a step stands, as the Plan tab's dropdown offers it."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    DONE = "Done"
    BLOCKED = "Blocked"


class Role(StrEnum):
    """A stakeholder's role in the buying process (buyer roles first, then seller roles)."""

    CHAMPION = "Champion"
    ECONOMIC_BUYER = "Economic buyer"
    DECISION_MAKER = "Decision maker"
    TECHNICAL_EVALUATOR = "Technical evaluator"
    SECURITY = "Security"
    LEGAL = "Legal"
    PROCUREMENT = "Procurement"
    END_USER = "End user"
    EXECUTIVE_SPONSOR = "Executive sponsor"
    ACCOUNT_EXECUTIVE = "Account executive"
    SOLUTIONS_ENGINEER = "Solutions engineer"
    CUSTOMER_SUCCESS = "Customer success"
    SELLER_EXECUTIVE = "Seller executive sponsor"
    SELLER_LEGAL = "Seller legal"

    @property
    def side(self) -> Side:
        return Side.SELLER if self in _SELLER_ROLES else Side.BUYER


_SELLER_ROLES = {
    Role.ACCOUNT_EXECUTIVE,
    Role.SOLUTIONS_ENGINEER,
    Role.CUSTOMER_SUCCESS,
    Role.SELLER_EXECUTIVE,
    Role.SELLER_LEGAL,
}


class Milestone(StrEnum):
    """Steps the plan's headline dates come from."""

    SIGNATURE = "signature"
    GO_LIVE = "go-live"


@dataclass(frozen=True)
class StepSpec:
    """One step of a template, before it is scheduled.

    The step ends before `before` starts: another step's id, or GO_LIVE. `lag_days` business days
    of slack sit between this step's end and its anchor's start. A milestone step of duration 0
    (signature, go-live) marks a date rather than work.
    """

    id: str
    phase: str
    name: str
    owner_side: Side  # one of STEP_OWNERS
    duration_days: int
    before: str = GO_LIVE
    lag_days: int = 0
    critical: bool = False
    roles: tuple[Role, ...] = ()
    milestone: Milestone | None = None
    description: str = ""


@dataclass(frozen=True)
class Template:
    """A MAP template as loaded from `sheets_templates/<name>.yaml`."""

    name: str
    title: str
    version: int
    description: str
    steps: tuple[StepSpec, ...]
    holidays: tuple[date, ...] = ()  # the file's own dates and its region's public holidays
    typical_weeks: tuple[int, int] | None = None
    region: str | None = None  # ISO 3166 country (optionally "-SUBDIVISION") for holidays
    # the step the spare time sits before when go-live leaves more than the steps need (the
    # steps before it start now); None: every step as late as possible. See schedule rule 8.
    slack_before: str | None = None

    def step(self, step_id: str) -> StepSpec:
        for spec in self.steps:
            if spec.id == step_id:
                return spec
        raise KeyError(step_id)


@dataclass(frozen=True)
class ScheduledStep:
    """A template step with its dates: work from `start` through `due` (business days)."""

    spec: StepSpec
    start: date
    due: date


@dataclass(frozen=True)
class ScheduleWarning:
    """A step the go-live date does not leave room for; the plan is created all the same."""

    step_id: str
    kind: str  # "due_in_past" | "starts_in_past"
    days: int  # business days by which it is late or short
    message: str


@dataclass(frozen=True)
class Schedule:
    """The result of backward scheduling: steps in plan order, and what does not fit."""

    go_live: date
    steps: tuple[ScheduledStep, ...]
    warnings: tuple[ScheduleWarning, ...] = ()

    @property
    def signature_date(self) -> date | None:
        for step in self.steps:
            if step.spec.milestone is Milestone.SIGNATURE:
                return step.due
        return None

    @property
    def first_start(self) -> date:
        return min(step.start for step in self.steps)


@dataclass(frozen=True)
class Stakeholder:
    """A person on either side of the deal, as the Stakeholders tab lists them."""

    name: str
    email: str
    side: Side  # one of PARTIES
    role: Role | None = None
    responsibility: str = ""


@dataclass(frozen=True)
class PlanRequest:
    """What a seller asks for when creating a plan (already validated)."""

    deal_name: str
    buyer_company: str
    buyer_emails: tuple[str, ...]
    go_live: date
    template: str
    owner: str
    amount: float | None = None
    request_key: str | None = None
    invitation: str | None = None
    buyer_roles: tuple[tuple[str, Role], ...] = ()  # (buyer email, role) as the seller chose


@dataclass(frozen=True)
class PlanDocument:
    """Everything that goes into a new plan spreadsheet (no seller-internal data)."""

    deal_id: str
    deal_name: str
    buyer_company: str
    template: Template
    schedule: Schedule
    stakeholders: tuple[Stakeholder, ...] = field(default=())
    # The Deal tab's outlook lines (label -> words) as the schedule model says them at creation
    # (domain/plan_status.py); None: "on plan" for the dates the plan starts with.
    outlook: tuple[tuple[str, str], ...] | None = None
    # The Executive summary's lines (label, text) as creation worked them out
    # (domain/exec_summary.py); None: a placeholder the first read replaces.
    summary: tuple[tuple[str, str], ...] | None = None
