"""What a demo deal's buyer and seller type on one simulated day, from its story (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from addon.demo.days import Day, day_edits
from addon.demo.deals import CHAMPION, ECONOMIC_BUYER, STORIES, Story
from addon.domain.businessdays import is_business_day
from addon.domain.layout_deal import deal_fact
from addon.domain.templates import find_template

TEMPLATE = find_template("mid-market")
STEADY = Story("steady", "mid-market", roles=(CHAMPION, ECONOMIC_BUYER), budget_approved=None)


def snapshot() -> dict[str, Any]:
    return {
        "steps": [
            {"id": "discovery", "row": 2, "due": "2026-11-19", "status": "Not started",
             "owner_side": "Both"},
            {"id": "mutual-plan", "row": 3, "due": "2026-11-20", "status": "Not started",
             "owner_side": "Buyer"},
            {"id": "order-form", "row": 4, "due": "2026-11-20", "status": "Not started",
             "owner_side": "Seller"},
            {"id": "go-live", "row": 5, "due": "2026-12-24", "status": "Not started",
             "owner_side": "Both"},
        ],
        "stakeholders": [
            {"name": "Ann Lee", "email": "ann@acme.example", "side": "Buyer"},
            {"name": "Bob Ng", "email": "bob@acme.example", "side": "Buyer"},
            {"name": "Maya Patel", "email": "maya@vendor.example", "side": "Seller"},
        ],
    }  # fmt: skip


def ranges(edits: list[Any]) -> dict[str, Any]:
    return {e.range: e.values[0] for e in edits}


def test_day_one_the_buyer_names_roles_in_the_listed_order_and_owns_their_first_steps() -> None:
    typed = ranges(day_edits(snapshot(), STEADY, TEMPLATE, Day(date(2026, 11, 16), 1)).buyer)
    assert typed["Stakeholders!D2"] == [CHAMPION]
    assert typed["Stakeholders!D3"] == [ECONOMIC_BUYER]
    assert "Stakeholders!D4" not in typed  # the seller's row keeps its role
    assert typed["Plan!E3"] == ["Ann Lee"]  # the buyer's own step first


def test_work_starts_at_a_steps_start_and_is_done_on_its_due_date_as_the_right_side() -> None:
    # discovery (3 days) starts on the 17th, is due on the 19th; the seller's order form the 20th
    before = day_edits(snapshot(), STEADY, TEMPLATE, Day(date(2026, 11, 16), 5))
    assert "Plan!G2" not in ranges(before.buyer) and not before.seller
    started = ranges(day_edits(snapshot(), STEADY, TEMPLATE, Day(date(2026, 11, 17), 5)).buyer)
    assert started["Plan!G2"] == ["In progress"]
    due = day_edits(snapshot(), STEADY, TEMPLATE, Day(date(2026, 11, 20), 5))
    assert ranges(due.buyer)["Plan!G3:H3"] == ["Done", "2026-11-20"]
    assert ranges(due.seller) == {"Plan!G4:H4": ["Done", "2026-11-20"]}
    assert "Plan!G5:H5" not in ranges(due.buyer)  # a milestone is not ticked off


def test_a_fast_buyer_finishes_early_and_a_slow_one_late_never_before_starting() -> None:
    fast, slow = replace(STEADY, lead=1), replace(STEADY, lead=-2)
    on_18th = ranges(day_edits(snapshot(), fast, TEMPLATE, Day(date(2026, 11, 18), 5)).buyer)
    assert on_18th["Plan!G2:H2"] == ["Done", "2026-11-18"]
    on_20th = ranges(day_edits(snapshot(), slow, TEMPLATE, Day(date(2026, 11, 20), 5)).buyer)
    assert "Plan!G2:H2" not in on_20th and "Plan!G3:H3" not in on_20th
    on_24th = ranges(day_edits(snapshot(), slow, TEMPLATE, Day(date(2026, 11, 24), 5)).buyer)
    assert on_24th["Plan!G3:H3"] == ["Done", "2026-11-24"]


def test_each_side_signs_off_in_its_own_cells_on_its_day() -> None:
    edits = day_edits(snapshot(), STEADY, TEMPLATE, Day(date(2026, 11, 17), 2))
    buyer, seller = ranges(edits.buyer), ranges(edits.seller)
    assert buyer[deal_fact("plan_agreed_buyer").value_cell] == [True]
    assert buyer[deal_fact("plan_agreed_buyer_on").value_cell] == ["2026-11-17"]
    assert seller[deal_fact("plan_agreed_seller").value_cell] == [True]
    assert deal_fact("plan_agreed_seller").value_cell not in buyer


def test_a_go_live_move_lands_on_a_business_day_of_the_templates_calendar() -> None:
    later = replace(STEADY, go_live_moves=((4, 1),))
    moved = ranges(day_edits(snapshot(), later, TEMPLATE, Day(date(2026, 11, 19), 4)).buyer)
    # one business day after Thursday 24 December skips Christmas and the weekend
    assert moved["Plan!F5"] == ["2026-12-28"]
    assert not is_business_day(date(2026, 12, 25), frozenset(TEMPLATE.holidays))


def test_a_quiet_buyer_types_nothing_while_the_seller_still_works() -> None:
    silent = replace(STEADY, quiet_from=0)
    edits = day_edits(snapshot(), silent, TEMPLATE, Day(date(2026, 11, 20), 5))
    assert edits.buyer == [] and ranges(edits.seller) == {"Plan!G4:H4": ["Done", "2026-11-20"]}
    assert day_edits(snapshot(), STEADY, TEMPLATE, Day(date(2026, 11, 13), 0)).buyer == []


def test_a_blocked_step_waits_until_it_is_unblocked() -> None:
    blocking = replace(STEADY, blocked=(3, 6))
    first = ranges(day_edits(snapshot(), blocking, TEMPLATE, Day(date(2026, 11, 20), 3)).buyer)
    assert first["Plan!G2"] == ["Blocked"] and "Plan!G2:H2" not in first
    held = snapshot()
    held["steps"][0]["status"] = "Blocked"
    waiting = ranges(day_edits(held, blocking, TEMPLATE, Day(date(2026, 11, 23), 4)).buyer)
    assert "Plan!G2" not in waiting and "Plan!G2:H2" not in waiting
    back = ranges(day_edits(held, blocking, TEMPLATE, Day(date(2026, 11, 27), 6)).buyer)
    assert back["Plan!G2"] == ["In progress"]


def test_stories_are_twelve_one_liners_with_roles_missing_on_purpose_for_a_few() -> None:
    assert len(STORIES) == 12 and all("\n" not in s.line and s.line for s in STORIES)
    no_buyer = [s for s in STORIES if ECONOMIC_BUYER not in s.roles]
    no_champion = [s for s in STORIES if CHAMPION not in s.roles]
    assert 1 <= len(no_buyer) <= 2 and 1 <= len(no_champion) <= 2
    assert {s.outcome for s in STORIES} == {None, "won", "lost", "on_hold"}
