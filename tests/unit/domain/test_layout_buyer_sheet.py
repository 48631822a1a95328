"""The buyer's sheet as created: steps by due date, notes wrapped, a colour per status.

Sheets' wrapStrategy WRAP: "Lines that are longer than the cell width will be wrapped onto the
next line" (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#WrapStrategy).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from layout_examples import (
    OWNER,
    SERVICE_ACCOUNT,
    STEPS,
    column,
    example_body,
    make_plan,
    rows,
    value,
)

from addon.domain.layout import PLAN_TAB, in_due_order, spreadsheet_body
from addon.domain.model import Schedule, ScheduledStep, Side, StepSpec


def _schedule(offsets: list[int]) -> Schedule:
    base = date(2027, 1, 4)
    steps = tuple(
        ScheduledStep(
            StepSpec(f"s{i}", "Phase", f"Step {i}", Side.BUYER, 1),
            base + timedelta(days=offset - 1),
            base + timedelta(days=offset),
        )
        for i, offset in enumerate(offsets)
    )
    return Schedule(go_live=base + timedelta(days=200), steps=steps)


@given(st.lists(st.integers(0, 60), max_size=25))
def test_steps_come_in_due_order_and_steps_due_the_same_day_keep_the_template_order(
    offsets: list[int],
) -> None:
    ordered = in_due_order(_schedule(offsets)).steps
    assert [s.due for s in ordered] == sorted(s.due for s in ordered)
    positions = [int(s.spec.id[1:]) for s in ordered]
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.due == after.due:
            assert positions[ordered.index(before)] < positions[ordered.index(after)]
    assert sorted(positions) == list(range(len(offsets)))  # nothing lost or doubled


def test_a_plan_built_in_due_order_lists_its_rows_by_due_date() -> None:
    shuffled = (STEPS[2], STEPS[0], STEPS[4], STEPS[1], STEPS[3])
    plan = make_plan(shuffled)
    plan = replace(plan, schedule=in_due_order(plan.schedule))
    body = spreadsheet_body(plan, service_account=SERVICE_ACCOUNT, owner=OWNER)
    ids = [value(row[column("Step ID")]) for row in rows(body, PLAN_TAB)[1 : 1 + len(STEPS)]]
    assert ids == [spec.id for spec, _ in STEPS]  # the example's steps are in due order


def test_every_notes_cell_of_the_plan_wraps_its_text_steps_and_empty_rows_alike() -> None:
    plan_rows = rows(example_body(), PLAN_TAB)[1:]
    formats: list[Any] = [row[column("Notes")].get("userEnteredFormat") for row in plan_rows]
    assert formats and all(
        f == {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"} for f in formats
    )
