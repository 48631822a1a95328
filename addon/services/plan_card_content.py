"""What the plan card says beyond the review's figures: schedule warnings, the next step's owner
by name, the buyers and their roles, each side's agreement (read from a stored snapshot).

Pure functions of the deal, its latest snapshot (`domain/snapshot.py`), its template and the day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.agreement import ON, TICK, AgreementState
from ..domain.model import Milestone, Side, Status, Template
from ..domain.plan_status import status_lines
from ..domain.review import steps_frame
from ..domain.review_input import ReviewInput
from ..domain.snapshot import snapshot_date
from ..store import DealRecord, SnapshotRecord

UNNAMED = "A step with no name"


@dataclass(frozen=True)
class NextStep:
    """The plan's next open step: what, when, whose (a person's name, never an address)."""

    name: str
    due: date | None
    side: str  # "Buyer", "Seller", "Both" or ""
    owner_name: str  # "" when the sheet names no owner
    owner_email: str | None  # when the owner is a known person (to say "you")


@dataclass(frozen=True)
class Buyer:
    """A person on the buyer's side, as the card lists them."""

    name: str
    email: str
    role: str | None
    in_sheet_only: bool = False  # listed on the Stakeholders tab, not invited by the seller


@dataclass(frozen=True)
class Agreement:
    """Each side's sign-off as the plan was last read."""

    buyer_on: str | None  # the date, or "" when ticked without one; None: not agreed
    seller_on: str | None
    stale_since: str | None = None

    @property
    def seller_agreed(self) -> bool:
        return self.seller_on is not None

    @property
    def buyer_agreed(self) -> bool:
        return self.buyer_on is not None


def names_of(deal: DealRecord, payload: Mapping[str, Any] | None) -> dict[str, str]:
    """Email -> name, from the people the seller invited, then the Stakeholders tab."""
    found: dict[str, str] = {}
    for person in _stakeholders(payload):
        email, name = _text(person.get("email")).lower(), _text(person.get("name"))
        if email and name:
            found[email] = name
    for invited in deal.people:
        if invited.name.strip():
            found[invited.email.lower()] = invited.name.strip()
    return found


def person_name(who: str, names: Mapping[str, str]) -> str:
    """A step owner as people read it: their name, else the part of the address before "@"."""
    who = who.strip()
    if "@" not in who:
        return who
    return names.get(who.lower()) or who.split("@", 1)[0]


def next_step_of(
    deal: DealRecord, payload: Mapping[str, Any] | None, figures: Mapping[str, Any]
) -> NextStep | None:
    """The review's next step (earliest due open step, then the sheet's order), with its owner."""
    if payload is None:
        return None
    wanted = figures.get("Next step")
    due = snapshot_date(_iso(figures.get("Next step due")))
    for step in _steps(payload):
        if _is_done(step) or _text(step.get("name")) != _text(wanted):
            continue
        if due is not None and snapshot_date(step.get("due")) != due:
            continue
        owner = _text(step.get("owner"))
        return NextStep(
            name=_text(step.get("name")) or UNNAMED,
            due=snapshot_date(step.get("due")),
            side=_text(step.get("owner_side")),
            owner_name=person_name(owner, names_of(deal, payload)) if owner else "",
            owner_email=owner.lower() if "@" in owner else None,
        )
    return None


def schedule_warnings(
    deal: DealRecord, payload: Mapping[str, Any] | None, template: Template | None, today: date
) -> list[str]:
    """Every schedule warning: each milestone the plan now leads past its committed date, then
    each open step past its due date (oldest first) with its owner. None are left out."""
    if payload is None:
        return []
    committed = {Milestone.SIGNATURE: deal.signature_target, Milestone.GO_LIVE: deal.go_live}
    lines = status_lines(payload, template, today, committed)
    # a line that does not say the milestone moves is "on plan" (domain/plan_status.py)
    warnings = [line for line in lines.values() if " moves from " in line]
    names = names_of(deal, payload)
    made = deal.created_at.date()
    late = []
    for step in _steps(payload):
        due = snapshot_date(step.get("due"))
        # a step dated before the plan was made was never the owner's to meet (domain/review.py)
        if due is None or due >= today or due < made or _is_done(step):
            continue
        owner = _text(step.get("owner"))
        side = _text(step.get("owner_side")).lower()
        whose = ", ".join(
            part for part in (person_name(owner, names) if owner else "", side) if part
        )
        name = _text(step.get("name")) or UNNAMED
        late.append(
            (
                due,
                f"{name} was due {due:%A} {due.day} {due:%B %Y}" + (f" ({whose})" if whose else ""),
            )
        )
    return warnings + [text for _, text in sorted(late, key=lambda item: item[0])]


def buyers_of(deal: DealRecord, payload: Mapping[str, Any] | None) -> list[Buyer]:
    """The buyers the seller invited (their names and roles), then the buyer-side people the
    Stakeholders tab lists besides them."""
    names = names_of(deal, payload)
    sheet_roles = {
        _text(p.get("email")).lower(): _text(p.get("role")) for p in _stakeholders(payload)
    }
    found = [
        Buyer(
            name=names.get(p.email) or p.email.split("@", 1)[0],
            email=p.email,
            role=p.role or sheet_roles.get(p.email) or None,
        )
        for p in deal.people
        if p.side is Side.BUYER
    ]
    invited = {p.email for p in deal.people}
    for person in _stakeholders(payload):
        email = _text(person.get("email")).lower()
        if _text(person.get("side")).lower() != Side.BUYER or email in invited:
            continue
        name = _text(person.get("name")) or email.split("@", 1)[0]
        if name:
            found.append(Buyer(name, email, _text(person.get("role")) or None, in_sheet_only=True))
    return found


def agreement_of(payload: Mapping[str, Any] | None) -> Agreement:
    """Each side's accepted sign-off in the snapshot's Deal facts (domain/agreement.py)."""
    deal = payload.get("deal") if payload else None
    facts: Mapping[str, Any] = deal if isinstance(deal, Mapping) else {}

    def on(side: Side) -> str | None:
        if facts.get(TICK[side]) is not True:
            return None
        return _iso(facts.get(ON[side])) or ""

    stale = AgreementState.of(payload).stale if payload else None
    return Agreement(on(Side.BUYER), on(Side.SELLER), _text(stale.get("since")) if stale else None)


def listed_next_steps(
    deals: Sequence[DealRecord],
    latest: Mapping[str, SnapshotRecord],
    today: date,
    template: Callable[[str], Template | None],
) -> dict[str, str]:
    """Each deal's next open step as its latest snapshot has it (the review's rule: the
    earliest due, then the sheet's order; `domain/review.py`), named with its side; a deal
    with no open step is left out."""
    read = [d for d in deals if d.deal_id in latest]
    if not read:
        return {}
    templates = {name: t for name in {d.template for d in read} if (t := template(name))}
    data = ReviewInput(
        today=today,
        deals=tuple(read),
        snapshots={d.deal_id: latest[d.deal_id].payload for d in read},
        events={},
        templates=templates,
    )
    steps = steps_frame(data)
    done = steps["status"].fillna("").astype(str).str.strip().str.casefold().eq("done")
    following = (
        steps[~done]
        .sort_values(["deal_id", "due", "row"], na_position="last")
        .drop_duplicates("deal_id")
    )
    found = {}
    for row in following.itertuples(index=False):
        name = row.name if isinstance(row.name, str) and row.name.strip() else UNNAMED
        side = f" ({row.owner_side.lower()})" if isinstance(row.owner_side, str) else ""
        found[str(row.deal_id)] = name + side
    return found


def _steps(payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rows = payload.get("steps")
    return [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []


def _stakeholders(payload: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    rows = payload.get("stakeholders") if payload else None
    return [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []


def _is_done(step: Mapping[str, Any]) -> bool:
    return _text(step.get("status")).casefold() == Status.DONE.value.casefold()


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _iso(value: Any) -> str | None:
    """A date-like value (date, pandas Timestamp, ISO text) as YYYY-MM-DD, else None."""
    if value is None or value != value:  # None, NaN or NaT
        return None
    if hasattr(value, "date") and callable(value.date):
        try:
            return str(value.date().isoformat())
        except (TypeError, ValueError):
            return None
    day = snapshot_date(value)
    return day.isoformat() if day else None
