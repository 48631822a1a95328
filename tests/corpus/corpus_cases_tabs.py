"""Corpus cases on whole tabs (deleted, renamed, protected), the Deal and the Stakeholders tab."""

from __future__ import annotations

import gspread
import pytest
from corpus_case import (
    STEP_ROWS,
    Case,
    Expect,
    Outcome,
    cleared,
    delete_sheet,
    dimension,
    each,
    padded,
    pasted,
    requests,
    typed,
    with_gspread,
)
from corpus_world import PlanWorld
from googleapiclient.errors import HttpError
from gspread.utils import ValueRenderOption

from addon.domain.layout_tabs import SHEET_IDS

PROTECTED = "You are trying to edit a protected cell or object"


def _recreate_plan_tab(world: PlanWorld) -> None:
    """Duplicate the Plan tab, delete the original, give the copy its name, add a step."""
    reply = world.batch_update(
        {"duplicateSheet": {"sourceSheetId": SHEET_IDS["Plan"], "newSheetName": "Copy of Plan"}}
    )
    copy_id = reply["replies"][0]["duplicateSheet"]["properties"]["sheetId"]
    world.batch_update(
        delete_sheet("Plan"),
        {
            "updateSheetProperties": {
                "properties": {"sheetId": copy_id, "title": "Plan"},
                "fields": "title",
            }
        },
    )
    world.type_in("Plan!C14:F14", [["Legal redlines", "Buyer", "", "2027-03-10"]])


def _try_to_edit_activity(world: PlanWorld) -> None:
    """The buyer types in, renames and deletes the protected Activity tab: each is refused."""
    attempts = [
        lambda: world.type_in("Activity!A2", [["nothing happened here"]]),
        lambda: world.batch_update(delete_sheet("Activity")),
        lambda: world.batch_update(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": SHEET_IDS["Activity"], "title": "Old"},
                    "fields": "title",
                }
            }
        ),
    ]
    for attempt in attempts:
        with pytest.raises(HttpError, match=PROTECTED) as refused:
            attempt()
        assert refused.value.resp.status == 400


def _try_to_sign_for_the_seller(world: PlanWorld) -> None:
    """The seller's sign-off (Deal!B11:B12) is protected for the seller's people: the buyer can
    neither tick it, nor clear it, nor delete the tab that holds it."""
    attempts = [
        lambda: world.type_in("Deal!B11:B12", [["TRUE"], ["2027-01-04"]]),
        lambda: world.clear("Deal!B11"),
        lambda: world.batch_update(delete_sheet("Deal")),
    ]
    for attempt in attempts:
        with pytest.raises(HttpError, match=PROTECTED) as refused:
            attempt()
        assert refused.value.resp.status == 400


def _activity_untouched(outcome: Outcome) -> None:
    assert outcome.world.read("Activity!A2:H") == []
    assert outcome.world.read("Activity!A1:A1") == [["When"]]


def _seller_deletes_activity_then_buyer_finishes_a_step(world: PlanWorld) -> None:
    world.batch_update(delete_sheet("Activity"), who=world.owner)
    world.type_in(f"Plan!G{STEP_ROWS['discovery']}", [["Done"]])


def _activity_says_nothing_and_cell_is(outcome: Outcome, a1: str, value: str) -> None:
    assert outcome.world.read("Activity!A2:H") == []
    assert outcome.world.read(a1) == [[value]]


def _date_shown_again(outcome: Outcome, a1: str, day: str) -> None:
    """The cell shows the date again, as a date, and nothing was news in Activity."""
    assert outcome.world.read("Activity!A2:H") == []
    assert outcome.world.read(a1, "FORMATTED_VALUE") == [[day]]


def _activity_says(outcome: Outcome, text: str) -> None:
    assert any(text in cell for row in outcome.world.read("Activity!A2:H") for cell in row)


def _layout_tweaks(book: gspread.Spreadsheet) -> None:
    plan = book.worksheet("Plan")
    plan.freeze(rows=0, cols=3)
    plan.update_index(4)
    plan.columns_auto_resize(0, 8)
    notes = book.add_worksheet("Our notes", rows=10, cols=3)
    notes.update([["Ask legal about the DPA"]], "A1")


WHOLE_TAB_CASES = [
    Case(
        "plan_tab_deleted",
        "The Plan tab is deleted: reported, every step kept, none removed.",
        requests(delete_sheet("Plan")),
        Expect(issues=[("missing_tab", None)]),
        after_baseline=True,
    ),
    Case(
        "deal_tab_deleted_by_the_seller",
        "The seller deletes the Deal tab: reported, every fact kept.",
        lambda world: world.batch_update(delete_sheet("Deal"), who=world.owner),
        Expect(issues=[("missing_tab", None)]),
        after_baseline=True,
    ),
    Case(
        "seller_sign_off_out_of_the_buyers_reach",
        "The buyer ticks the seller's 'Plan agreed', clears it, deletes the Deal tab: all refused.",
        _try_to_sign_for_the_seller,
        Expect(read=False),
    ),
    Case(
        "stakeholders_tab_deleted",
        "The Stakeholders tab is deleted: reported, every person kept.",
        requests(delete_sheet("Stakeholders")),
        Expect(issues=[("missing_tab", None)]),
        after_baseline=True,
    ),
    Case(
        "timeline_tab_deleted",
        "The Timeline tab, a picture of the plan, is deleted: nothing to report.",
        requests(delete_sheet("Timeline")),
        Expect(),
    ),
    Case(
        "find_and_replace_across_the_sheet",
        "'Buyer' becomes 'Customer' everywhere: a synonym, but two Deal labels no longer match.",
        requests({"findReplace": {"find": "Buyer", "replacement": "Customer", "allSheets": True}}),
        # "Plan agreed by buyer" and "Buyer agreed on" lose their names (any case is found):
        # reported, their values kept; owner sides and sides read "Customer" as Buyer.
        Expect(issues=[("missing_fact", None), ("missing_fact", None)]),
        check=lambda outcome: _activity_says_nothing_and_cell_is(outcome, "Plan!D6", "Customer"),
    ),
    Case(
        "plan_tab_renamed",
        "The Plan tab is renamed: reported as missing, every step kept.",
        with_gspread(lambda book: book.worksheet("Plan").update_title("Our plan")),
        Expect(issues=[("missing_tab", None)]),
        after_baseline=True,
    ),
    Case(
        "plan_tab_renamed_in_capitals",
        "The Plan tab is renamed PLAN and a step finished: ranges ignore case, so all is read.",
        each(
            with_gspread(lambda book: book.worksheet("Plan").update_title("PLAN")),
            typed("PLAN!G2", ["Done"]),
        ),
        Expect(events=[("step_done", "discovery")], steps={"discovery": {"status": "Done"}}),
    ),
    Case(
        "plan_tab_recreated_from_a_copy",
        "The Plan tab is replaced by its copy, then a step added: its id must be written back.",
        _recreate_plan_tab,
        Expect(events=[("step_added", "b-legal-redlines-*")], new_steps=["Legal redlines"]),
    ),
    Case(
        "activity_tab_edits_refused",
        "The buyer types in, renames and deletes the protected Activity tab: all refused.",
        _try_to_edit_activity,
        Expect(read=False),
        check=_activity_untouched,
    ),
    Case(
        "activity_tab_deleted_by_the_seller",
        "The seller deletes the Activity tab, then the buyer finishes a step: the tab is put back.",
        _seller_deletes_activity_then_buyer_finishes_a_step,
        Expect(events=[("step_done", "discovery")], steps={"discovery": {"status": "Done"}}),
    ),
    Case(
        "layout_tweaks_and_a_new_tab",
        "Frozen rows and columns, tab order and widths change, a notes tab is added: no news.",
        with_gspread(_layout_tweaks),
        Expect(),
    ),
]


# --- the Deal tab ------------------------------------------------------------------------------


def _rearrange_deal(book: gspread.Spreadsheet) -> None:
    """The buyer's facts in reverse order, a comment row below, and the goal filled in; the
    sign-off rows (protected) and the Agreement status line stay where they are."""
    deal = book.worksheet("Deal")
    facts = padded(deal.get("A2:D8", value_render_option=ValueRenderOption.unformatted), 4)
    goal = next(row for row in facts if row[0] == "Goal")
    goal[1] = "Cut onboarding from 6 weeks to 1"
    deal.update(list(reversed(facts)), "A2:D8", raw=True)
    deal.add_rows(1)
    comment = deal.row_count
    deal.update([["Our internal comment", "call Bob first", "", ""]], f"A{comment}:D{comment}")


DEAL_CASES = [
    Case(
        "deal_facts_rearranged",
        "The buyer's Deal rows are reversed, a comment row added, the goal filled in.",
        with_gspread(_rearrange_deal),
        Expect(
            events=[("deal_fact_changed", "goal")],
            deal={"goal": "Cut onboarding from 6 weeks to 1"},
        ),
    ),
    Case(
        "deal_columns_shifted_right",
        "A column is inserted before the Deal facts, then the budget status is given.",
        each(
            requests({"insertDimension": {"range": dimension("Deal", "COLUMNS", 0, 1)}}),
            typed("Deal!A1:A3", ["#"], [1], [2]),
            typed("Deal!C6", ["Budget approved"]),
        ),
        Expect(
            events=[("deal_fact_changed", "budget_status")],
            deal={"budget_status": "Budget approved"},
        ),
    ),
    Case(
        "go_live_date_removed",
        "The Deal tab's go-live date is cleared: the go-live row still holds the date, so it is "
        "written back and reported, not news.",
        cleared("Deal!B4"),
        Expect(issues=[("milestone_cleared", "Deal!B4")]),
        check=lambda outcome: _date_shown_again(outcome, "Deal!B4", "2027-04-01"),
    ),
    Case(
        "deal_dates_in_words",
        "Go-live written out in words is understood; 'end of March' as a signature date is not.",
        pasted("Deal!B4:B5", ["April 15th, 2027"], ["end of March"]),
        Expect(
            issues=[("unreadable_date", "Deal!B5")],
            # the go-live row takes the Deal tab's new date: one slip, and the row's due moved
            events=[("go_live_slipped", "go_live"), ("due_date_moved", "go-live")],
            steps={"go-live": {"due": "2027-04-15"}},
            deal={"go_live": "2027-04-15"},
        ),
    ),
    Case(
        "deal_fact_label_deleted",
        "The 'Budget status' label is cleared: reported, its value kept.",
        cleared("Deal!A6"),
        Expect(issues=[("missing_fact", None)]),
        after_baseline=True,
    ),
]


# --- the Stakeholders tab ----------------------------------------------------------------------


def _copy_ann_as_champion(world: PlanWorld) -> None:
    world.type_in("Stakeholders!A4:D4", [["Ann (again)", world.buyer, "Buyer", "Champion"]])


def _emails_in_capitals(world: PlanWorld) -> None:
    world.type_in("Stakeholders!B2", [[f"MAILTO:{world.buyer.upper()}"]])
    dana = world.people["dana"]
    world.type_in("Stakeholders!A4:D4", [["Dana Ruiz", f"mailto:{dana.title()}", "", "Legal"]])


def _person_is(outcome: Outcome, key: str, **fields: object) -> None:
    person = next(
        p for p in outcome.after["stakeholders"] if key in (p.get("email"), p.get("name"))
    )
    assert {name: person[name] for name in fields} == fields


PEOPLE_CASES = [
    Case(
        "stakeholder_without_email",
        "A person is added with a name and a role but no email: added, side from the role.",
        typed("Stakeholders!A4:D4", ["Priya Shah", "", "", "Procurement"]),
        Expect(events=[("stakeholder_added", "Priya Shah")], new_people=["Priya Shah"]),
        check=lambda outcome: _person_is(outcome, "Priya Shah", side="Buyer", email=None),
    ),
    Case(
        "stakeholder_listed_twice",
        "The buyer lists herself again with another role: reported, the first row read.",
        _copy_ann_as_champion,
        Expect(issues=[("duplicate_email", "Stakeholders!B4")]),
    ),
    Case(
        "stakeholder_emails_in_capitals_and_mailto",
        "Emails typed as MAILTO: links in capitals: the same people, lower-cased.",
        _emails_in_capitals,
        Expect(events=[("stakeholder_added", "{dana}")], new_people=["{dana}"]),
    ),
    Case(
        "stakeholders_email_column_deleted",
        "The Email column is deleted: reported, and every person keeps their email.",
        requests({"deleteDimension": {"range": dimension("Stakeholders", "COLUMNS", 1, 2)}}),
        Expect(issues=[("missing_column", None)]),
        after_baseline=True,
    ),
    Case(
        "stakeholders_email_column_cleared",
        "Every email is cleared under its header: reported, and every person keeps their email.",
        cleared("Stakeholders!B2:B"),
        Expect(issues=[("cleared_column", None)]),
        after_baseline=True,
    ),
    Case(
        "stakeholders_header_row_deleted",
        "The Stakeholders header row is deleted: one issue, every person kept.",
        with_gspread(lambda book: book.worksheet("Stakeholders").delete_rows(1)),
        Expect(issues=[("missing_header", None)]),
    ),
    Case(
        "stakeholder_role_and_side_unknown",
        "A person is added with a side and a role the plan does not know: reported.",
        typed("Stakeholders!A4:D4", ["Chris", "{dana}", "Partner", "Chief Vibes Officer"]),
        Expect(
            issues=[
                ("unknown_side", "Stakeholders!C4"),
                ("unknown_role", "Stakeholders!D4"),
            ],
            events=[("stakeholder_added", "{dana}")],
            new_people=["{dana}"],
        ),
    ),
]


TAB_CASES = [*WHOLE_TAB_CASES, *DEAL_CASES, *PEOPLE_CASES]
