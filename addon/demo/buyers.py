"""How demo buyers behave, week by week: cell edits a real buyer would make (pure, seeded).

Personas: an *engaged* buyer finishes steps in order, names legal, agrees the plan and approves
the budget; a *slipping* buyer moves dates out, blocks a step and withdraws the budget; an
*expanding* buyer adds a step and a procurement contact; a *silent* buyer does nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..domain.layout_deal import deal_fact

PERSONAS = ("engaged", "slipping", "expanding", "engaged", "silent")


@dataclass(frozen=True)
class BuyerEdit:
    """Values a buyer types into a range (USER_ENTERED, as in the Sheets UI)."""

    range: str
    values: list[list[Any]]


def persona(index: int) -> str:
    """The persona of the index-th demo deal (a steady mix, silent ones included)."""
    return PERSONAS[index % len(PERSONAS)]


def _open_steps(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    steps = [s for s in snapshot.get("steps", []) if s.get("status") != "Done" and s.get("row")]
    return sorted(steps, key=lambda s: (s.get("due") or "9999", s["row"]))


def _next_row(items: list[dict[str, Any]], first: int = 2) -> int:
    rows = [int(item["row"]) for item in items if item.get("row")]
    return max(rows, default=first - 1) + 1


def _fact(key: str, value: Any) -> BuyerEdit:
    return BuyerEdit(deal_fact(key).value_cell, [[value]])


def buyer_week(
    snapshot: dict[str, Any], who: str, week: int, today: date, rng: random.Random
) -> list[BuyerEdit]:
    """The edits a buyer of persona `who` makes in simulated week `week` (1-based)."""
    steps = _open_steps(snapshot)
    people = snapshot.get("stakeholders", [])
    company = next((p["email"].split("@")[1] for p in people if p.get("side") == "Buyer"), None)
    edits: list[BuyerEdit] = []
    if who == "engaged":
        theirs = [s for s in steps if s.get("owner_side") in ("Buyer", "Both")]
        for step in theirs[: rng.randint(1, 2)]:
            done_on = (today - timedelta(days=rng.randint(0, 3))).isoformat()
            edits.append(BuyerEdit(f"Plan!G{step['row']}:H{step['row']}", [["Done", done_on]]))
        if week == 1:
            edits.append(_fact("plan_agreed_buyer", True))
            edits.append(_fact("plan_agreed_buyer_on", today.isoformat()))
            edits.append(_fact("goal", "Cut month-end reporting from 5 days to 1"))
            if company:
                row = len(people) + 2
                person = [["Lee Legal", f"legal@{company}", "Buyer", "Legal", "Contract review"]]
                edits.append(BuyerEdit(f"Stakeholders!A{row}:E{row}", person))
        if week == 2:
            edits.append(_fact("budget_status", "Budget approved"))
    elif who == "slipping":
        for step in steps[: rng.randint(1, 2)]:
            if step.get("due"):
                moved = date.fromisoformat(step["due"]) + timedelta(days=rng.randint(5, 15))
                edits.append(BuyerEdit(f"Plan!F{step['row']}", [[moved.isoformat()]]))
        if week == 2 and steps:
            edits.append(BuyerEdit(f"Plan!G{steps[0]['row']}", [["Blocked"]]))
        if week == 3:
            edits.append(_fact("budget_status", "Not budgeted"))
            edits.append(_fact("alternatives", "Also evaluating an in-house build"))
    elif who == "expanding" and week == 1:
        row = _next_row(snapshot.get("steps", []))
        due = (today + timedelta(weeks=3)).isoformat()
        new_step = [
            [
                "",
                "Contract",
                "Supplier onboarding in our procurement portal",
                "Buyer",
                "",
                due,
                "In progress",
            ]
        ]
        edits.append(BuyerEdit(f"Plan!A{row}:G{row}", new_step))
        if company:
            row = len(people) + 2
            person = [["Pat Buyer", f"procurement@{company}", "Buyer", "Procurement", "PO"]]
            edits.append(BuyerEdit(f"Stakeholders!A{row}:E{row}", person))
    return edits
