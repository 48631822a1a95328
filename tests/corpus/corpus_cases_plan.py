"""Corpus cases on the Plan tab's shape: its header, its columns, its rows and their Step IDs."""

from __future__ import annotations

import random
from collections.abc import Callable

import gspread
from corpus_case import (
    STEP_ROWS,
    Case,
    Edit,
    Expect,
    Outcome,
    append_columns,
    cleared,
    dimension,
    each,
    grid,
    padded,
    requests,
    typed,
    with_gspread,
)
from corpus_world import PlanWorld
from gspread.utils import ValueRenderOption

from addon.domain.parse import MAX_STEPS
from addon.domain.parse_grid import MAX_ISSUES_PER_TAB

# --- header and columns ------------------------------------------------------------------------


def _reorder_columns(book: gspread.Spreadsheet) -> None:
    """Cut and paste the columns into the buyer's own order, then add a step in that order."""
    plan = book.worksheet("Plan")
    rows = padded(plan.get("A1:I13", value_render_option=ValueRenderOption.unformatted))
    order = [2, 5, 6, 3, 4, 1, 8, 7, 0]  # Step, Due date, Status, ..., Done on, Step ID
    plan.update([[row[column] for column in order] for row in rows], "A1:I13", raw=True)
    plan.update(
        [["Legal redlines", "2027-03-10", "Not started", "Buyer", "", "Contract"]],
        "A14:F14",
        raw=False,
    )


def _new_step_id_written_at(column: str, row: int) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        (new_id,) = outcome.new_step_ids()
        assert outcome.world.read(f"Plan!{column}{row}") == [[new_id]]
        assert outcome.step(new_id)["row"] == row

    return check


HEADER_CASES = [
    Case(
        "due_date_header_deleted",
        "The 'Due date' header is cleared: dates are kept, even one typed under the blank header.",
        each(cleared("Plan!F1"), typed("Plan!F4", ["2027-05-03"])),
        Expect(issues=[("missing_column", None)]),
    ),
    Case(
        "headers_renamed_to_synonyms",
        "Every header is renamed to a synonym while a step is finished: all is read as before.",
        each(
            typed(
                "Plan!A1:I1",
                ["ID", "Stage", "Task", "Side", "Assigned to", "Deadline", "State", "Completed"],
            ),
            typed("Plan!I1", ["Comments"]),
            typed("Plan!G4", ["Done"]),
        ),
        Expect(events=[("step_done", "trial")], steps={"trial": {"status": "Done"}}),
    ),
    Case(
        "headers_with_hints_case_and_spacing",
        "Headers get capitals, odd spacing and bracketed hints: still understood, no issue.",
        typed(
            "Plan!A1:I1",
            [
                "STEP-ID",
                " phase ",
                "Step (what)",
                "Owner  side",
                "OWNER",
                "Due date (mm/dd/yyyy)",
                "Status [pick one]",
                "Done on",
                "Notes:",
            ],
        ),
        Expect(),
    ),
    Case(
        "due_date_header_renamed_to_unknown_name",
        "The 'Due date' header is renamed to words no synonym covers: reported, dates kept.",
        typed("Plan!F1", ["When we hope to be done"]),
        Expect(issues=[("missing_column", None)]),
    ),
    Case(
        "columns_reordered",
        "The buyer rearranges all nine columns, then adds a step: no change but the new step.",
        with_gspread(_reorder_columns),
        Expect(events=[("step_added", "b-legal-redlines-*")], new_steps=["Legal redlines"]),
        check=_new_step_id_written_at("I", 14),  # the Step ID column is now I
    ),
    Case(
        "unknown_columns_inserted",
        "A 'Priority' column is inserted before Step and an 'Internal ref' one added after Notes.",
        each(
            requests(
                {"insertDimension": {"range": dimension("Plan", "COLUMNS", 2, 3)}},
                append_columns("Plan", 1),
            ),
            typed("Plan!C1:C3", ["Priority"], ["High"], ["Low"]),
            typed("Plan!K1:K2", ["Internal ref"], ["PO-7781"]),
        ),
        Expect(),
    ),
    Case(
        "due_date_header_repeated",
        "A second 'Due date' column with other dates is added: reported, the first one read.",
        each(
            requests(append_columns("Plan", 1)),
            typed("Plan!J1:J3", ["Due date"], ["2030-01-01"], ["2030-01-01"]),
        ),
        Expect(issues=[("duplicate_column", "Plan!J1")]),
    ),
    Case(
        "owner_side_column_deleted",
        "The Owner side column is deleted: reported once, every step's owner side kept.",
        requests({"deleteDimension": {"range": dimension("Plan", "COLUMNS", 3, 4)}}),
        Expect(issues=[("missing_column", None)]),
    ),
    Case(
        "sheet_resized_to_seven_columns",
        "The Plan grid is cut to seven columns, losing Done on and Notes: reported, kept.",
        with_gspread(lambda book: book.worksheet("Plan").resize(cols=7)),
        Expect(issues=[("missing_column", None), ("missing_column", None)]),
    ),
    Case(
        "header_row_deleted",
        "The header row is deleted: one issue, and every step kept as it was.",
        with_gspread(lambda book: book.worksheet("Plan").delete_rows(1)),
        Expect(issues=[("missing_header", None)]),
    ),
    Case(
        "title_rows_inserted_above_header",
        "A title and a blank row go above the header, then a step is added below the plan.",
        each(
            with_gspread(
                lambda book: book.worksheet("Plan").insert_rows(
                    [["Acme × Vendor: mutual action plan 🚀"], [""]], row=1
                )
            ),
            typed("Plan!C16:F16", ["Legal redlines", "Buyer", "", "2027-03-10"]),
        ),
        Expect(events=[("step_added", "b-legal-redlines-*")], new_steps=["Legal redlines"]),
        check=_new_step_id_written_at("A", 16),
    ),
]

# --- rows and Step IDs -------------------------------------------------------------------------


def _junk_rows(count: int) -> Edit:
    """`count` rows of pasted junk under the plan, none with a Step ID or a step name."""

    def edit(world: PlanWorld) -> None:
        rng = random.Random(count)
        words = ["x", "?", "🙂", "junk", "ملاحظة", "=A1", "#REF!", "TRUE", " ", "n" * 40]
        rows = [
            ["", rng.choice(words), "", rng.choice(words), str(rng.random()), rng.random() * 1e6]
            + [rng.choice(words), rng.randint(-5, 99999), rng.choice(words)]
            for _ in range(count)
        ]
        grid_rows = 1 + len(STEP_ROWS) + 200  # the header, the steps, the empty rows
        world.batch_update(
            {
                "appendDimension": {
                    "sheetId": 0,
                    "dimension": "ROWS",
                    "length": 14 + count - grid_rows,
                }
            }
        )
        world.type_in("Plan!A14", rows, raw=True)

    return edit


def _junk_expect() -> Expect:
    """Each junk row is not a step; only so many are listed, and only so many rows are read."""
    listed = [("unnamed_step", f"Plan!{row}:{row}") for row in range(14, 14 + MAX_ISSUES_PER_TAB)]
    return Expect(issues=[*listed, ("more_issues", None), ("too_many_rows", None)])


def _junk_check(outcome: Outcome) -> None:
    (too_many,) = [i for _, i in outcome.result.data_issues if i.kind == "too_many_rows"]
    assert f"only the first {MAX_STEPS} (through row {MAX_STEPS + 1})" in too_many.message


def _ids_written_back(outcome: Outcome) -> None:
    new_ids = outcome.new_step_ids()
    assert len(set(new_ids)) == 3
    column_a = outcome.world.read("Plan!A14:A17")
    assert column_a == [[new_ids[0]], [], [new_ids[1]], [new_ids[2]]]


def _id_in_cell(a1: str, step_id: str) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        assert outcome.world.read(a1) == [[step_id]]

    return check


def _sorted_by_due_date(outcome: Outcome) -> None:
    by_row = sorted(outcome.after["steps"], key=lambda step: step["row"])
    dues = [step["due"] for step in by_row]
    assert dues == sorted(dues, reverse=True)
    assert by_row[0]["id"] == "go-live" and by_row[0]["row"] == 2


ROW_CASES = [
    Case(
        "junk_rows_5000",
        "5,000 rows of pasted junk under the plan: reported in brief, no step changes.",
        _junk_rows(5_000),
        _junk_expect(),
        check=_junk_check,
    ),
    Case(
        "junk_rows_50000",
        "50,000 rows of pasted junk under the plan: reported in brief, no step changes.",
        _junk_rows(50_000),
        _junk_expect(),
        check=_junk_check,
        slow=True,
    ),
    Case(
        "steps_added_without_step_ids",
        "Three steps are added with blank Step IDs, two of the same name: ids are written back.",
        each(
            typed("Plan!C14:D14", ["Procurement onboarding", "Buyer"]),
            typed(
                "Plan!B16:D17",
                ["Launch", "Admin training 👩‍🏫", "Both"],
                ["Contract", "Procurement onboarding", "Buyer"],
            ),
        ),
        Expect(
            events=[
                ("step_added", "b-procurement-onboarding-*"),
                ("step_added", "b-admin-training-*"),
                ("step_added", "b-procurement-onboarding-*"),
            ],
            new_steps=["Procurement onboarding", "Admin training 👩‍🏫", "Procurement onboarding"],
        ),
        check=_ids_written_back,
    ),
    Case(
        "step_added_with_a_hand_typed_step_id",
        "A step is added with a Step ID the buyer made up: it is used as typed, not rewritten.",
        typed("Plan!A14:D14", ["legal-1", "Contract", "Legal redlines", "Buyer"]),
        Expect(events=[("step_added", "legal-1")], new_steps=["Legal redlines"]),
        check=_id_in_cell("Plan!A14", "legal-1"),
    ),
    Case(
        "step_id_retyped_by_hand",
        "An existing step's Step ID is retyped: as documented, one step removed and one added.",
        typed("Plan!A4", ["TRIAL-2"]),
        Expect(
            events=[("step_added", "TRIAL-2"), ("step_removed", "trial")],
            steps={"trial": None},
            new_steps=["Hands-on trial with your team"],
        ),
    ),
    Case(
        "step_id_cleared",
        "A step's Step ID cell is cleared: the step is found by its name and its id written back.",
        cleared("Plan!A4"),
        Expect(),
        check=_id_in_cell("Plan!A4", "trial"),
    ),
    Case(
        "row_copied_with_its_step_id",
        "A step's row is copied below the plan and renamed: the repeated Step ID is reported.",
        each(
            requests(
                {
                    "copyPaste": {
                        "source": grid("Plan", "A4:I4"),
                        "destination": grid("Plan", "A14:I14"),
                    }
                }
            ),
            typed("Plan!C14", ["Hands-on trial, second team"]),
        ),
        Expect(issues=[("duplicate_step_id", "Plan!A14")]),
    ),
    Case(
        "step_id_pasted_over_another",
        "Another step's Step ID is pasted over the proposal's: reported, the row found by name.",
        typed("Plan!A5", ["trial"]),
        Expect(issues=[("duplicate_step_id", "Plan!A5")]),
        check=_id_in_cell("Plan!A5", "proposal"),
    ),
    Case(
        "rows_deleted",
        "Two step rows are deleted: exactly those two steps are removed.",
        with_gspread(lambda book: book.worksheet("Plan").delete_rows(6, 7)),
        Expect(
            events=[("step_removed", "decision"), ("step_removed", "security-questionnaire")],
            steps={"decision": None, "security-questionnaire": None},
        ),
    ),
    Case(
        "rows_inserted_in_the_middle",
        "Three rows are inserted mid-plan and a step typed in the middle one.",
        each(
            requests({"insertDimension": {"range": dimension("Plan", "ROWS", 4, 7)}}),
            typed("Plan!B6:F6", ["Decide", "Reference call", "Seller", "", "2027-03-11"]),
        ),
        Expect(events=[("step_added", "b-reference-call-*")], new_steps=["Reference call"]),
        check=_new_step_id_written_at("A", 6),
    ),
    Case(
        "rows_sorted_by_due_date",
        "The steps are sorted by due date, latest first: rows move, nothing changes.",
        requests(
            {
                "sortRange": {
                    "range": grid("Plan", "A2:I13"),
                    "sortSpecs": [{"dimensionIndex": 5, "sortOrder": "DESCENDING"}],
                }
            }
        ),
        Expect(),
        check=_sorted_by_due_date,
    ),
    Case(
        "plan_tab_cleared",
        "Everything on the Plan tab is cleared: reported, every step kept.",
        cleared("Plan"),
        Expect(issues=[("empty_tab", None)]),
        after_baseline=True,
    ),
    Case(
        "steps_cleared_below_the_header",
        "Every row under the header is cleared: reported, every step kept, none removed.",
        cleared("Plan!A2:I"),
        Expect(issues=[("no_steps", None)]),
        after_baseline=True,
    ),
    Case(
        "due_date_column_cleared",
        "The whole Due date column is cleared under its header: reported, dates kept.",
        with_gspread(lambda book: book.worksheet("Plan").batch_clear(["F2:F13"])),
        Expect(issues=[("cleared_column", None)]),
    ),
    Case(
        "one_due_date_cleared",
        "One step's due date is cleared on purpose: that is news, not an issue.",
        cleared("Plan!F6"),
        Expect(events=[("due_date_moved", "decision")], steps={"decision": {"due": None}}),
    ),
]

PLAN_CASES = [*HEADER_CASES, *ROW_CASES]
