"""Corpus cases on what the buyer puts in Plan cells: dates, words, formulas, any script, sizes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from corpus_case import Case, Expect, Outcome, each, grid, pasted, requests, typed, with_gspread

from addon.domain.parse_values import MAX_TEXT


def _week_after(step_id: str) -> Callable[[dict[str, Any]], str]:
    """The ISO date 7 days after a step's due date in the plan as made."""

    def due(steps: dict[str, Any]) -> str:
        return (date.fromisoformat(steps[step_id]["due"]) + timedelta(days=7)).isoformat()

    return due


IMPORTXML = '=IMPORTXML("https://evil.example/x", "//a")'
HYPERLINK = '=HYPERLINK("https://evil.example", "click me")'
HEBREW = "\u200fבדיקת אבטחה, נא לאשר"  # a right-to-left mark, then "security review, please OK"
ARABIC = "محمد الأحمد"
HEBREW_GOAL = "הפחתת זמן הקליטה 🚀"


def _shown_as_text(*texts: str) -> Callable[[Outcome], None]:
    """The Activity tab shows these texts as typed: written RAW, never run as formulas."""

    def check(outcome: Outcome) -> None:
        activity = outcome.world.read("Activity!A2:H")
        cells = {cell for row in activity for cell in row}
        assert set(texts) <= cells

    return check


DATE_CASES = [
    Case(
        "text_in_date_cells",
        "Words, French and an impossible day go into date cells: each reported, dates kept.",
        each(
            typed("Plan!F4:F5", ["next Tuesday"], ["TBD"]),
            typed("Plan!H6", ["2027-02-30"]),
            typed("Plan!F7:F8", ["Q2 2027"], ["3 mars 2027"]),
        ),
        Expect(
            issues=[
                ("unreadable_date", "Plan!F4"),
                ("unreadable_date", "Plan!F5"),
                ("unreadable_date", "Plan!H6"),
                ("unreadable_date", "Plan!F7"),
                ("unreadable_date", "Plan!F8"),
            ]
        ),
    ),
    Case(
        "dates_in_written_forms",
        "Due dates written eleven ways, as text, numbers and typed dates: all understood.",
        each(
            pasted(
                "Plan!F2:F9",
                ["March 3, 2027"],
                ["3 Mar 2027"],
                ["03/03/2027"],
                ["2027-03-03"],
                ["Wed 3rd of March 2027"],
                ["27.03.2027"],  # dots: day first
                [46450],  # a serial number: 2027-03-04
                [46451.75],  # a serial with a time of day: 2027-03-05
            ),
            typed("Plan!F10", ["3/8/2027"]),  # the Sheets UI makes it a date
            pasted("Plan!F11:F12", ["2027-03-24T09:00:00Z"], ["Mar 30 27"]),
        ),
        Expect(
            events=[
                ("due_date_moved", step_id)
                for step_id in (
                    "discovery",
                    "mutual-plan",
                    "trial",
                    "proposal",
                    "decision",
                    "security-questionnaire",
                    "terms-review",
                    "order-form",
                    "signature",
                    "kickoff",
                    "onboarding",
                )
            ]
            # the signature row is the signature date: its move is the signature's slip too
            + [("signature_slipped", "signature")],
            steps={
                "discovery": {"due": "2027-03-03"},
                "mutual-plan": {"due": "2027-03-03"},
                "trial": {"due": "2027-03-03"},
                "proposal": {"due": "2027-03-03"},
                "decision": {"due": "2027-03-03"},
                "security-questionnaire": {"due": "2027-03-27"},
                "terms-review": {"due": "2027-03-04"},
                "order-form": {"due": "2027-03-05"},
                "signature": {"due": "2027-03-08"},
                "kickoff": {"due": "2027-03-24"},
                "onboarding": {"due": "2027-03-30"},
            },
            # the Deal tab shows the signature row's date: its copy is rewritten
            deal={"signature_target": "2027-03-08"},
        ),
    ),
    Case(
        "dates_out_of_range",
        "Dates in 1927 and 2207 and a stray small number: reported as typos, dates kept.",
        each(
            typed("Plan!F4", ["3/3/1927"]),
            pasted("Plan!F5:F6", ["2207-03-03"], [5]),
        ),
        Expect(
            issues=[
                ("date_out_of_range", "Plan!F4"),
                ("date_out_of_range", "Plan!F5"),
                ("date_out_of_range", "Plan!F6"),
            ]
        ),
    ),
]

FORMULA_CASES = [
    Case(
        "formula_text_kept_as_text",
        "Formula text entered as text (RAW) is read as text and shown in Activity as text.",
        each(pasted("Plan!C4", [IMPORTXML]), pasted("Plan!I5", [HYPERLINK])),
        Expect(
            events=[("step_renamed", "trial")],
            steps={"trial": {"name": IMPORTXML}, "proposal": {"notes": HYPERLINK}},
        ),
        check=_shown_as_text(IMPORTXML),
    ),
    Case(
        "live_formulas",
        "Formulas typed as formulas: failing ones reported and kept, working ones read.",
        each(
            typed("Plan!C5", [IMPORTXML]),  # the stand-in, like Sheets for us, gives #NAME?
            typed("Plan!F6", ["=1/0"]),
            typed("Plan!G7", ['=CONCATENATE("Do", "ne")']),
            typed("Plan!F8", ["=F9+7"]),  # a week after the order form's due date
        ),
        Expect(
            issues=[("formula_error", "Plan!C5"), ("formula_error", "Plan!F6")],
            events=[
                ("step_done", "security-questionnaire"),
                ("due_date_moved", "terms-review"),
            ],
            steps={
                "security-questionnaire": {"status": "Done"},
                "terms-review": {"due": _week_after("order-form")},
            },
        ),
    ),
]

TEXT_CASES = [
    Case(
        "emoji_and_right_to_left_text",
        "Emoji, Hebrew with a right-to-left mark and Arabic go in everywhere: kept exactly.",
        each(
            typed("Plan!C3", ["Agree this plan 🤝✅"]),
            typed("Plan!I4", [HEBREW]),
            typed("Plan!E5", [ARABIC]),
            typed("Deal!B2", [HEBREW_GOAL]),
            typed("Stakeholders!A4:D4", ["محمد 👋", "{dana}", "Buyer", "Legal"]),
        ),
        Expect(
            events=[
                ("step_renamed", "mutual-plan"),
                ("owner_changed", "proposal"),
                ("deal_fact_changed", "goal"),
                ("stakeholder_added", "{dana}"),
            ],
            steps={
                "mutual-plan": {"name": "Agree this plan 🤝✅"},
                "trial": {"notes": HEBREW},
                "proposal": {"owner": ARABIC},
            },
            deal={"goal": HEBREW_GOAL},
            new_people=["{dana}"],
        ),
        check=_shown_as_text("Agree this plan 🤝✅", ARABIC, HEBREW_GOAL, "محمد 👋"),
    ),
    Case(
        "huge_text_cells",
        "50,000-character notes and goal: cut to the first 2,000 characters, reported.",
        each(pasted("Plan!I6", ["é" * 50_000]), pasted("Deal!B2", ["Ω" * 50_000])),
        Expect(
            issues=[("text_truncated", "Plan!I6"), ("text_truncated", "Deal!B2")],
            events=[("deal_fact_changed", "goal")],
            steps={"decision": {"notes": "é" * MAX_TEXT}},
            deal={"goal": "Ω" * MAX_TEXT},
        ),
    ),
    Case(
        "numbers_where_text_is_expected",
        "Numbers in name, owner, phase, status and owner side cells: text where text will do.",
        each(
            pasted("Plan!C6", [12345]),
            pasted("Plan!E7", [42]),
            pasted("Plan!B8", [3.5]),
            pasted("Plan!G9", [1]),
            pasted("Plan!D10", [2]),
        ),
        Expect(
            issues=[("unknown_status", "Plan!G9"), ("unknown_owner_side", "Plan!D10")],
            events=[
                ("step_renamed", "decision"),
                ("owner_changed", "security-questionnaire"),
            ],
            steps={
                "decision": {"name": "12345"},
                "security-questionnaire": {"owner": "42"},
                "terms-review": {"phase": "3.5"},
            },
        ),
    ),
    Case(
        "booleans_in_cells",
        "TRUE and FALSE in status and date cells, 'yes' in the buyer's Deal checkbox.",
        each(
            pasted("Plan!G4", [True]),
            pasted("Plan!F5:F6", [False], [True]),
            typed("Deal!B9", ["yes"]),
        ),
        Expect(
            issues=[
                ("unknown_status", "Plan!G4"),
                ("unreadable_date", "Plan!F5"),
                ("unreadable_date", "Plan!F6"),
            ],
            events=[("plan_agreed", "plan_agreed_buyer")],
            deal={"plan_agreed_buyer": True},
        ),
    ),
    Case(
        "checkbox_neither_ticked_nor_not",
        "'maybe' in the buyer's Deal checkbox: reported, the agreement kept as it was.",
        pasted("Deal!B9", ["maybe"]),
        Expect(issues=[("unreadable_checkbox", "Deal!B9")]),
    ),
    Case(
        "status_typos_and_synonyms",
        "Statuses in lower case, as synonyms and mistyped: synonyms read, typos reported.",
        typed("Plan!G2:G6", ["done"], ["WIP"], ["Dnoe"], ["Waiting on legal"], [" ON HOLD "]),
        Expect(
            issues=[("unknown_status", "Plan!G4"), ("unknown_status", "Plan!G5")],
            events=[
                ("step_done", "discovery"),
                ("step_status_changed", "mutual-plan"),
                ("step_status_changed", "decision"),
            ],
            steps={
                "discovery": {"status": "Done"},
                "mutual-plan": {"status": "In progress"},
                "decision": {"status": "Blocked"},
            },
        ),
    ),
    Case(
        "owner_sides_in_other_words",
        "Owner sides in lower case, capitals and synonyms, one unknown; an owner email in caps.",
        each(
            typed("Plan!D2:D5", ["buyer"], ["VENDOR"], ["joint"], ["them"]),
            typed("Plan!E6", ["Ivy.Chen@ACME.example"]),
        ),
        Expect(
            issues=[("unknown_owner_side", "Plan!D5")],
            events=[
                ("owner_side_changed", "discovery"),
                ("owner_side_changed", "mutual-plan"),
                ("owner_changed", "decision"),
            ],
            steps={
                "discovery": {"owner_side": "Buyer"},
                "mutual-plan": {"owner_side": "Seller"},
                "decision": {"owner": "ivy.chen@acme.example"},
            },
        ),
    ),
    Case(
        "stray_spaces_and_invisible_marks",
        "Padding, a no-break space, a zero-width space and a lone tab: nothing changes.",
        each(
            pasted("Plan!C13", ["  Go-live  "]),
            pasted("Plan!G3", ["Not started\u00a0"]),
            pasted("Plan!D4", ["\u200bBoth"]),
            pasted("Plan!E5", ["\t"]),
        ),
        Expect(),
    ),
]

MERGE_CASES = [
    Case(
        "cells_merged_across_a_step_row",
        "Step, Owner side and Owner of a row are merged: Sheets keeps the step name only.",
        with_gspread(lambda book: book.worksheet("Plan").merge_cells("C3:E3")),
        Expect(
            events=[("owner_side_changed", "mutual-plan")],
            steps={"mutual-plan": {"owner_side": None}},
        ),
    ),
    Case(
        "phase_cells_merged_down_the_column",
        "Phase cells of one phase are merged down the column: every step keeps its phase.",
        requests(
            {"mergeCells": {"range": grid("Plan", "B2:B3"), "mergeType": "MERGE_ALL"}},
            {"mergeCells": {"range": grid("Plan", "B8:B10"), "mergeType": "MERGE_COLUMNS"}},
        ),
        Expect(),
    ),
]

CELL_CASES = [*DATE_CASES, *FORMULA_CASES, *TEXT_CASES, *MERGE_CASES]
