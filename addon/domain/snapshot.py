"""A plan's state as the backend remembers it: what the sheet says, in plain JSON.

The first snapshot is taken from the plan the product builds; later ones (the watch) are parsed
from the sheet. Both have this shape, so diffs compare like with like:

    {"layout_version": 1,
     "steps": [{"id", "phase", "name", "owner_side", "owner", "due", "status", "done_on",
                "notes", "row"}],                 # dates as ISO text, absent values as None;
                                                  # "row": the step's 1-based sheet row
     "deal": {<DealFact.key>: value},             # dates ISO, checkboxes bool, text str or None
     "stakeholders": [{"name", "email", "side", "role", "responsibility"}]}
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .layout import LAYOUT_VERSION
from .layout_deal import DEAL_FACTS, FactKind, initial_outlook, prefilled_dates
from .layout_summary import initial_summary
from .layout_tabs import initial_owner
from .model import PlanDocument, Status


def snapshot_date(value: Any) -> date | None:
    """A date stored in a snapshot (ISO text), or None when missing or not a date."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def initial_snapshot(plan: PlanDocument, owner: str) -> dict[str, Any]:
    """The snapshot of a plan spreadsheet exactly as `layout.spreadsheet_body` builds it."""
    prefilled = prefilled_dates(plan)
    deal: dict[str, Any] = {}
    for fact in DEAL_FACTS:
        if fact.kind is FactKind.CHECKBOX:
            deal[fact.key] = False
        else:
            value = prefilled.get(fact.key)
            deal[fact.key] = _iso(value) if isinstance(value, date) else value
    return {
        "layout_version": LAYOUT_VERSION,
        "steps": [
            {
                "id": step.spec.id,
                "phase": step.spec.phase,
                "name": step.spec.name,
                "owner_side": step.spec.owner_side.label,
                "owner": initial_owner(step.spec, owner) or None,
                "due": _iso(step.due),
                "status": Status.NOT_STARTED.value,
                "done_on": None,
                "notes": step.spec.description or None,
                "row": index + 2,
            }
            for index, step in enumerate(plan.schedule.steps)
        ],
        "deal": deal,
        "stakeholders": [
            {
                "name": person.name or None,
                "email": person.email,
                "side": person.side.label,
                "role": person.role.value if person.role else None,
                "responsibility": person.responsibility or None,
            }
            for person in plan.stakeholders
        ],
        # the Deal tab's outlook lines as laid out (domain/plan_status.py keeps them current)
        "outlook": initial_outlook(plan),
        # the Executive summary's lines as laid out (domain/exec_summary.py keeps them current)
        "summary": [list(line) for line in initial_summary(plan)],
    }
