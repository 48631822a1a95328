"""How the stand-in's UI draws a cell and which typed values it refuses, as Google documents.

- DataValidationRule: "showCustomUi: If true, 'List' conditions will show a dropdown";
  "strict: True if invalid data should be rejected"; "inputMessage: A message to show the user
  when adding data to the cell".
  https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#DataValidationRule
- ConditionType BOOLEAN: "Renders as a cell checkbox ... No values indicates the cell must be
  TRUE or FALSE, where TRUE renders as checked and FALSE renders as unchecked. One value
  indicates the cell will render as checked when it contains that value and unchecked when it is
  blank. Two values indicate that the cell will render as checked when it contains the first
  value and unchecked when it contains the second value." DATE_IS_VALID: "The cell's value must
  be a date."
  https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ConditionType
- A date typed in the UI is stored as a serial number, "the days since December 30th 1899".
  https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption
"""

from __future__ import annotations

from typing import Any

from localgoogle import cells
from localgoogle.ui import wrapped_lines
from localgoogle.ui_cells import DEFAULT_REFUSALS, cell_view, css, refusal


def _cell(value: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    stored: dict[str, Any] = {"userEnteredValue": value} if value else {}
    stored.update(extra)
    cells.refresh(stored)
    return stored


LIST = {
    "condition": {
        "type": "ONE_OF_LIST",
        "values": [{"userEnteredValue": v} for v in ("Not started", "Done")],
    },
    "strict": True,
    "showCustomUi": True,
}
DATE_RULE = {"condition": {"type": "DATE_IS_VALID"}, "strict": True}
DATE_FORMAT = {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}


def test_a_list_rule_with_custom_ui_is_a_dropdown_of_its_values() -> None:
    view = cell_view(_cell({"stringValue": "Done"}, dataValidation=LIST), 3, 6, None)
    assert (view.kind, view.value, view.choices) == ("select", "Done", ("Not started", "Done"))


def test_a_list_rule_without_custom_ui_is_typed_text() -> None:
    rule = {**LIST, "showCustomUi": False}
    assert cell_view(_cell({"stringValue": "Done"}, dataValidation=rule), 0, 0, None).kind == "text"


def test_a_boolean_rule_is_a_checkbox_checked_by_true_and_unchecked_by_false() -> None:
    rule = {"condition": {"type": "BOOLEAN"}}
    ticked = cell_view(_cell({"boolValue": True}, dataValidation=rule), 0, 0, None)
    unticked = cell_view(_cell({"boolValue": False}, dataValidation=rule), 0, 0, None)
    blank = cell_view(_cell(None, dataValidation=rule), 0, 0, None)
    assert ticked.kind == "checkbox" and ticked.value == "TRUE"
    assert (ticked.checked_value, ticked.unchecked_value) == ("TRUE", "FALSE")
    assert unticked.value == "FALSE" and blank.value == "FALSE"


def test_a_boolean_rule_with_values_checks_the_first_and_unchecks_the_second_or_blank() -> None:
    two = {
        "condition": {
            "type": "BOOLEAN",
            "values": [{"userEnteredValue": "Yes"}, {"userEnteredValue": "No"}],
        }
    }
    one = {"condition": {"type": "BOOLEAN", "values": [{"userEnteredValue": "Yes"}]}}
    view = cell_view(_cell({"stringValue": "Yes"}, dataValidation=two), 0, 0, None)
    assert (view.value, view.checked_value, view.unchecked_value) == ("Yes", "Yes", "No")
    view = cell_view(_cell(None, dataValidation=one), 0, 0, None)
    assert (view.value, view.checked_value, view.unchecked_value) == ("", "Yes", "")


def test_a_date_rule_on_a_date_is_a_date_picker_holding_the_iso_day() -> None:
    stored = _cell({"numberValue": 46203}, dataValidation=DATE_RULE, userEnteredFormat=DATE_FORMAT)
    view = cell_view(stored, 0, 0, None)
    assert (view.kind, view.value) == ("date", "2026-06-30")  # 46203 days after 1899-12-30
    blank = cell_view(_cell(None, dataValidation=DATE_RULE), 0, 0, None)
    assert (blank.kind, blank.value) == ("date", "")


def test_text_typed_over_a_date_cell_is_shown_as_text_not_lost_in_a_picker() -> None:
    stored = _cell({"stringValue": "next week"}, dataValidation={**DATE_RULE, "strict": False})
    view = cell_view(stored, 0, 0, None)
    assert (view.kind, view.value) == ("text", "next week")


def test_a_formula_cell_shows_its_calculated_value_and_keeps_its_formula() -> None:
    stored = {
        "userEnteredValue": {"formulaValue": "=1+1"},
        "effectiveValue": {"numberValue": 2},
        "formattedValue": "2",
    }
    view = cell_view(stored, 0, 0, None)
    assert (view.kind, view.value, view.formula) == ("formula", "2", "=1+1")


def test_a_wrapped_cell_is_drawn_over_several_lines_and_a_note_is_its_title() -> None:
    stored = _cell(
        {"stringValue": "A long description"},
        userEnteredFormat={"wrapStrategy": "WRAP"},
        note="Ask Ann",
    )
    view = cell_view(stored, 0, 0, None)
    assert (view.kind, view.note) == ("wrap", "Ask Ann")


def test_colours_come_from_the_format_and_a_conditional_format_lays_over_them() -> None:
    fmt = {
        "backgroundColorStyle": {"rgbColor": {"red": 0.93, "green": 0.93, "blue": 0.93}},
        "textFormat": {"bold": True, "foregroundColor": {"red": 1}},
    }
    assert css(fmt, {}) == (
        "background-color: rgb(237, 237, 237); color: rgb(255, 0, 0); font-weight: 700"
    )
    done = {"backgroundColorStyle": {"rgbColor": {"red": 0.85, "green": 0.92, "blue": 0.83}}}
    assert css(fmt, done).startswith("background-color: rgb(217, 235, 212);")


def test_a_strict_rule_refuses_what_it_does_not_accept_with_its_input_message() -> None:
    stored = _cell(None, dataValidation=LIST)
    assert refusal(stored, "Done") is None
    assert refusal(stored, "Finished") == "Input must be an item on the specified list."
    dated = _cell(None, dataValidation={**DATE_RULE, "inputMessage": "Enter a date."})
    assert refusal(dated, "2026-06-30") is None and refusal(dated, "6/30/2026") is None
    assert refusal(dated, "soon") == "Enter a date."
    box = _cell(None, dataValidation={"condition": {"type": "BOOLEAN"}, "strict": True})
    assert refusal(box, "TRUE") is None and refusal(box, "maybe") is not None


def test_clearing_a_cell_and_a_rule_that_is_not_strict_are_never_refused() -> None:
    assert refusal(_cell(None, dataValidation=LIST), "") is None
    assert refusal(_cell(None, dataValidation={**LIST, "strict": False}), "Finished") is None
    assert refusal(_cell({"stringValue": "x"}), "anything") is None


def test_a_wrapped_cell_grows_to_show_its_text_whole() -> None:
    assert wrapped_lines("", 100) == 1
    assert wrapped_lines("x" * 20, 152) == 1  # 20 characters of about 7 pixels fit in 140
    assert wrapped_lines("x" * 41, 152) == 3
    assert wrapped_lines("a\nb\nc", 152) == 3
    assert wrapped_lines("x" * 10_000, 152) == 12  # capped


def test_a_value_that_breaks_its_rule_is_shown_and_marked_invalid() -> None:
    written = cell_view(_cell({"stringValue": "Finished"}, dataValidation=LIST), 0, 0, None)
    assert written.value == "Finished" and written.invalid == DEFAULT_REFUSALS["ONE_OF_LIST"]
    fine = cell_view(_cell({"stringValue": "Done"}, dataValidation=LIST), 0, 0, None)
    assert fine.invalid == ""
    text_date = _cell(
        {"stringValue": "soon"}, dataValidation={**DATE_RULE, "inputMessage": "A date"}
    )
    assert cell_view(text_date, 0, 0, None).invalid == "A date"
    ticked = _cell({"boolValue": True}, dataValidation={"condition": {"type": "BOOLEAN"}})
    assert cell_view(ticked, 0, 0, None).invalid == ""
    assert cell_view(_cell(None, dataValidation=LIST), 0, 0, None).invalid == ""  # blank is fine
