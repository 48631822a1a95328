"""The milestone rows are the signature and go-live dates; the Deal tab shows a copy kept in step.

Plans are made from the shipped templates; an edit of either place moves both, in one slip event.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import pytest
from shipped_plans import TEMPLATES, fresh_steps

from addon.domain.attribution import Actor, Parties
from addon.domain.crediting import Revision, credit
from addon.domain.event_model import EventKind, PlanEvent
from addon.domain.events import diff
from addon.domain.layout_cells import serial
from addon.domain.layout_deal import DEAL_FACTS, deal_fact
from addon.domain.layout_tabs import PLAN_HEADERS
from addon.domain.milestones import SHOWN, MilestoneSync, reconcile, written
from addon.domain.model import Template

DEAL_CELLS = {fact.key: fact.value_cell for fact in DEAL_FACTS}
SLIPS = (EventKind.GO_LIVE_SLIPPED, EventKind.SIGNATURE_SLIPPED)
WHEN = datetime(2027, 3, 8, 15, 0, tzinfo=UTC)


def made(name: str = "mid-market") -> tuple[Template, dict[str, Any]]:
    """A plan just made from a shipped template, as its first snapshot holds it."""
    template, steps = fresh_steps(name)
    due = {step["id"]: step["due"] for step in steps}
    deal = {fact.key: None for fact in DEAL_FACTS}
    deal |= {"go_live": due["go-live"], "signature_target": due["signature"]}
    return template, {"layout_version": 1, "steps": steps, "deal": deal, "stakeholders": []}


def plan_rows(snapshot: dict[str, Any], headers: tuple[str, ...] = PLAN_HEADERS) -> list[Any]:
    """The Plan tab as values.batchGet returns it (dates as serial numbers), columns as headed."""
    fields = ("id", "phase", "name", "owner_side", "owner", "due", "status", "done_on", "notes")
    by_header = dict(zip(PLAN_HEADERS, fields, strict=True))
    rows: list[Any] = [list(headers)]
    for step in snapshot["steps"]:
        row = [step.get(by_header[h]) for h in headers]
        rows.append(
            [
                serial(date.fromisoformat(v)) if h == "Due date" and v else v
                for h, v in zip(headers, row, strict=True)
            ]
        )
    return rows


def edited(
    snapshot: dict[str, Any], *, rows: dict[str, str | None] | None = None, **facts: Any
) -> dict[str, Any]:
    """The snapshot with some steps' due dates and Deal facts changed, as a buyer would."""
    changed = copy.deepcopy(snapshot)
    for step in changed["steps"]:
        if step["id"] in (rows or {}):
            step["due"] = rows[step["id"]]
    changed["deal"].update(facts)
    return changed


def sync(
    previous: dict[str, Any] | None, current: dict[str, Any], template: Template, **kw: Any
) -> MilestoneSync:
    options: dict[str, Any] = {"plan_rows": plan_rows(current), "deal_cells": DEAL_CELLS}
    return reconcile(previous, current, template=template, **(options | kw))


def events(previous: dict[str, Any], synced: MilestoneSync, template: Template) -> list[PlanEvent]:
    return diff(
        previous,
        synced.snapshot,
        deal_id="d_1",
        base_seq=1,
        occurred_at=WHEN,
        actor=Actor("ann@buyer.example", "buyer"),
        template=template,
        milestone_moves=synced.moves,
    )


def due_of(snapshot: dict[str, Any], step_id: str) -> str:
    return next(s["due"] for s in snapshot["steps"] if s["id"] == step_id)


def row_of(snapshot: dict[str, Any], step_id: str) -> int:
    return next(s["row"] for s in snapshot["steps"] if s["id"] == step_id)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_deal_tab_go_live_edit_moves_the_go_live_row_in_one_slip(name: str) -> None:
    template, before = made(name)
    later = date.fromordinal(date.fromisoformat(due_of(before, "go-live")).toordinal() + 7)
    current = edited(before, go_live=later.isoformat())

    synced = sync(before, current, template)

    assert due_of(synced.snapshot, "go-live") == later.isoformat()
    assert synced.snapshot["deal"]["go_live"] == later.isoformat()
    assert synced.writes == ((f"Plan!F{row_of(before, 'go-live')}", later),)
    found = events(before, synced, template)
    [slip] = [e for e in found if e.kind in SLIPS]
    assert (slip.kind, slip.subject, slip.after) == (
        EventKind.GO_LIVE_SLIPPED,
        "go_live",
        later.isoformat(),
    )
    assert slip.details["source"] == "deal" and slip.details["slip_business_days"] == 5
    assert SHOWN in synced.snapshot and SHOWN not in written(synced.snapshot)


def test_a_moved_signature_row_rewrites_the_deal_tab_copy_in_one_slip() -> None:
    template, before = made("enterprise-saas")
    current = edited(before, rows={"signature": "2027-06-30"})

    synced = sync(before, current, template)

    assert synced.snapshot["deal"]["signature_target"] == "2027-06-30"
    assert synced.writes == ((deal_fact("signature_target").value_cell, date(2027, 6, 30)),)
    [slip] = [e for e in events(before, synced, template) if e.kind in SLIPS]
    assert (slip.kind, slip.subject, slip.before, slip.after) == (
        EventKind.SIGNATURE_SLIPPED,
        "signature",
        due_of(before, "signature"),
        "2027-06-30",
    )
    assert slip.details["source"] == "step"


def test_both_places_moved_apart_the_row_wins_and_says_so() -> None:
    template, before = made()
    current = edited(before, rows={"go-live": "2027-09-01"}, go_live="2027-10-01")

    synced = sync(before, current, template)

    assert synced.snapshot["deal"]["go_live"] == due_of(synced.snapshot, "go-live") == "2027-09-01"
    assert synced.writes == ((deal_fact("go_live").value_cell, date(2027, 9, 1)),)
    [issue] = synced.issues
    assert (issue.kind, issue.cell) == ("milestone_conflict", deal_fact("go_live").value_cell)
    assert "2027-10-01" in issue.message and "2027-09-01" in issue.message
    [slip] = [e for e in events(before, synced, template) if e.kind in SLIPS]
    assert slip.after == "2027-09-01"
    assert slip.details["source"] == "step"
    assert slip.details["deal_date_replaced"] == "2027-10-01"


def test_both_places_moved_to_one_date_is_one_slip_and_no_write() -> None:
    template, before = made()
    current = edited(before, rows={"go-live": "2027-09-01"}, go_live="2027-09-01")

    synced = sync(before, current, template)

    assert synced.writes == () and synced.issues == ()
    [slip] = [e for e in events(before, synced, template) if e.kind in SLIPS]
    assert (slip.subject, slip.details["source"]) == ("go_live", "both")


def test_nothing_moved_writes_nothing_and_keeps_the_snapshot() -> None:
    template, before = made()

    synced = sync(before, copy.deepcopy(before), template)

    assert (synced.writes, synced.moves, synced.issues) == ((), {}, ())
    assert synced.snapshot == before


def test_a_write_that_did_not_happen_is_tried_again_not_read_as_an_edit() -> None:
    template, before = made()
    sheet = edited(before, go_live="2027-09-01")  # the buyer's edit; our write then failed
    first = sync(before, sheet, template)

    again = sync(first.snapshot, copy.deepcopy(sheet), template)

    assert again.writes == first.writes
    assert again.moves == {}
    assert events(first.snapshot, again, template) == []
    done = sync(written(first.snapshot), edited(sheet, rows={"go-live": "2027-09-01"}), template)
    assert (done.writes, done.moves) == ((), {})


def test_the_due_date_column_is_found_by_its_header_wherever_it_is() -> None:
    template, before = made()
    headers = ("Due date", *[h for h in PLAN_HEADERS if h != "Due date"])
    current = edited(before, go_live="2027-09-01")

    synced = sync(before, current, template, plan_rows=plan_rows(current, headers))

    assert synced.writes == ((f"Plan!A{row_of(before, 'go-live')}", date(2027, 9, 1)),)


def test_a_deal_edit_the_row_cannot_take_is_reported_and_the_copy_restored() -> None:
    template, before = made()
    current = edited(before, go_live="2027-09-01")

    synced = sync(before, current, template, plan_rows=None)  # the Plan tab is gone

    assert synced.snapshot["deal"]["go_live"] == due_of(before, "go-live")
    assert synced.writes == (
        (deal_fact("go_live").value_cell, date.fromisoformat(due_of(before, "go-live"))),
    )
    assert [i.kind for i in synced.issues] == ["milestone_not_applied"]
    assert [e for e in events(before, synced, template) if e.kind in SLIPS] == []


def test_a_cleared_deal_date_is_written_back_and_is_no_slip() -> None:
    template, before = made()
    current = edited(before, signature_target=None)

    synced = sync(before, current, template)

    expected = date.fromisoformat(due_of(before, "signature"))
    assert synced.writes == ((deal_fact("signature_target").value_cell, expected),)
    assert [i.kind for i in synced.issues] == ["milestone_cleared"]
    assert synced.moves == {}


def test_a_first_read_that_disagrees_takes_the_row() -> None:
    template, before = made()
    current = edited(before, go_live="2030-01-01")

    synced = sync(None, current, template)

    assert synced.snapshot["deal"]["go_live"] == due_of(before, "go-live")
    assert synced.writes[0][0] == deal_fact("go_live").value_cell
    assert synced.moves == {}


def test_without_a_milestone_row_the_deal_fact_alone_slips() -> None:
    template, before = made()
    current = edited(before, go_live="2027-09-01")
    current["steps"] = [s for s in current["steps"] if s["id"] != "go-live"]

    synced = sync(before, current, template)

    assert synced.writes == () and synced.snapshot["deal"]["go_live"] == "2027-09-01"
    [slip] = [e for e in events(before, synced, template) if e.kind in SLIPS]
    assert (slip.subject, slip.details["source"]) == ("go_live", "deal")


def test_two_editors_the_row_moved_by_a_deal_edit_is_credited_to_that_edits_author() -> None:
    template, before = made()
    by_ann = edited(before, go_live="2027-09-01")  # the buyer edits the Deal tab
    by_sam = copy.deepcopy(by_ann)  # then the seller marks a step done
    by_sam["steps"][0]["status"] = "Done"
    synced = sync(before, by_sam, template)
    differ = partial(
        diff,
        deal_id="d_1",
        base_seq=1,
        occurred_at=WHEN,
        actor=Actor(None, "unknown"),
        template=template,
    )
    parties = Parties.of(buyers=["ann@buyer.example"], owner="sam@seller.example")

    found = credit(
        differ(before, synced.snapshot, milestone_moves=synced.moves),
        previous=before,
        revisions=[Revision("ann@buyer.example", by_ann), Revision("sam@seller.example", by_sam)],
        parties=parties,
        claims={},
        differ=differ,
    )

    authors = {(e.kind, e.subject): e.actor.email for e in found}
    assert authors[(EventKind.GO_LIVE_SLIPPED, "go_live")] == "ann@buyer.example"
    assert authors[(EventKind.DUE_DATE_MOVED, "go-live")] == "ann@buyer.example"
    assert authors[(EventKind.STEP_DONE, before["steps"][0]["id"])] == "sam@seller.example"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_new_plan_shows_its_milestone_rows_dates_on_the_deal_tab_even_for_a_weekend_go_live(
    name: str,
) -> None:
    from addon.domain.model import PlanDocument
    from addon.domain.schedule import schedule
    from addon.domain.snapshot import initial_snapshot

    template = TEMPLATES[name]
    saturday = date(2027, 9, 25)
    plan = schedule(template, saturday, date(2027, 1, 4))
    snapshot = initial_snapshot(
        PlanDocument("d", "Deal", "Buyer", template, plan), "sam@vendor.example"
    )
    rows = {step["id"]: step["due"] for step in snapshot["steps"]}
    assert snapshot["deal"]["go_live"] == rows["go-live"] == "2027-09-24"  # the Friday before
    assert snapshot["deal"]["signature_target"] == rows["signature"]
