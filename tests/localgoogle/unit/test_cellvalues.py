"""Specification tests for cell value parsing (values.update) and rendering (values.get)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from localgoogle.cellvalues import (
    ParsedInput,
    date_to_serial,
    effective_from_user,
    format_value,
    is_empty,
    number_format_of,
    parse_input,
    render,
    to_python,
)
from localgoogle.errors import ApiError

MARCH_15_2026 = 46096.0


def user(raw: object) -> ParsedInput:
    """Parse as USER_ENTERED, asserting the cell is not skipped."""
    parsed = parse_input(raw, "USER_ENTERED")
    assert parsed is not None
    return parsed


def raw(value: object) -> ParsedInput:
    """Parse as RAW, asserting the cell is not skipped."""
    parsed = parse_input(value, "RAW")
    assert parsed is not None
    return parsed


def cell(
    user_value: dict[str, Any],
    effective: dict[str, Any] | None = None,
    number_format: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A CellData dict the way the stand-in stores one."""
    eff = effective if effective is not None else effective_from_user(user_value)
    data: dict[str, Any] = {"userEnteredValue": user_value, "effectiveValue": eff}
    if number_format:
        data["userEnteredFormat"] = {"numberFormat": number_format}
        data["effectiveFormat"] = {"numberFormat": number_format}
    data["formattedValue"] = format_value(eff, number_format)
    return data


# --- parse_input: common rules --------------------------------------------------------------


@pytest.mark.parametrize("option", ["RAW", "USER_ENTERED"])
def test_null_input_leaves_the_cell_unchanged(option: str) -> None:
    assert parse_input(None, option) is None


@pytest.mark.parametrize("option", ["RAW", "USER_ENTERED"])
def test_empty_string_clears_the_cell(option: str) -> None:
    assert parse_input("", option) == ParsedInput({}, None)


@pytest.mark.parametrize("option", ["RAW", "USER_ENTERED"])
def test_json_numbers_become_number_values(option: str) -> None:
    assert parse_input(5, option) == ParsedInput({"numberValue": 5.0}, None)
    assert parse_input(-2.5, option) == ParsedInput({"numberValue": -2.5}, None)


@pytest.mark.parametrize("option", ["RAW", "USER_ENTERED"])
def test_json_bools_become_bool_values_not_numbers(option: str) -> None:
    assert parse_input(True, option) == ParsedInput({"boolValue": True}, None)
    assert parse_input(False, option) == ParsedInput({"boolValue": False}, None)


def test_unknown_input_option_is_a_bad_request() -> None:
    with pytest.raises(ApiError) as caught:
        parse_input("x", "PARSED")
    assert caught.value.code == 400


@pytest.mark.parametrize("bad", [[1, 2], {"a": 1}, float("nan"), float("inf")])
def test_non_scalar_or_non_finite_input_is_a_bad_request(bad: object) -> None:
    with pytest.raises(ApiError):
        parse_input(bad, "RAW")


# --- parse_input: RAW -----------------------------------------------------------------------


def test_raw_keeps_leading_equals_as_text() -> None:
    assert raw("=SUM(A1:A3)") == ParsedInput({"stringValue": "=SUM(A1:A3)"}, None)


@pytest.mark.parametrize("text", ["12", "TRUE", "2026-03-15", "12%", "$5", "'abc", " 7 "])
def test_raw_stores_strings_exactly_as_given(text: str) -> None:
    assert raw(text) == ParsedInput({"stringValue": text}, None)


# --- parse_input: USER_ENTERED --------------------------------------------------------------


def test_user_entered_equals_becomes_formula() -> None:
    assert user("=A1+1") == ParsedInput({"formulaValue": "=A1+1"}, None)


@pytest.mark.parametrize(("text", "value"), [("TRUE", True), ("false", False), ("True", True)])
def test_user_entered_true_false_in_any_case_become_bools(text: str, value: bool) -> None:
    assert user(text) == ParsedInput({"boolValue": value}, None)


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12.0), ("-3", -3.0), ("+4", 4.0), ("0123", 123.0), ("3.25", 3.25), (".5", 0.5)],
)
def test_user_entered_plain_numbers_become_numbers_without_format(text: str, value: float) -> None:
    assert user(text) == ParsedInput({"numberValue": value}, None)


def test_user_entered_surrounding_spaces_around_a_number_are_ignored() -> None:
    assert user(" 42 ").value == {"numberValue": 42.0}


def test_user_entered_grouped_number_gets_grouped_number_format() -> None:
    assert user("1,234.5") == ParsedInput(
        {"numberValue": 1234.5}, {"type": "NUMBER", "pattern": "#,##0.00"}
    )
    assert user("1,234").number_format == {"type": "NUMBER", "pattern": "#,##0"}


def test_user_entered_exponent_becomes_number_with_scientific_format() -> None:
    assert user("1e3") == ParsedInput(
        {"numberValue": 1000.0}, {"type": "SCIENTIFIC", "pattern": "0.00E+00"}
    )
    assert user("2.5E-2").value == {"numberValue": 0.025}


@pytest.mark.parametrize(
    ("text", "value", "pattern"),
    [("12%", 0.12, "0%"), ("12.5%", 0.125, "0.00%"), ("-3%", -0.03, "0%")],
)
def test_user_entered_percent_divides_by_100_with_percent_format(
    text: str, value: float, pattern: str
) -> None:
    assert user(text) == ParsedInput(
        {"numberValue": value}, {"type": "PERCENT", "pattern": pattern}
    )


@pytest.mark.parametrize(
    ("text", "value"), [("$1,200.50", 1200.5), ("$5", 5.0), ("-$5", -5.0), ("$-7.25", -7.25)]
)
def test_user_entered_dollar_amount_becomes_number_with_currency_format(
    text: str, value: float
) -> None:
    assert user(text) == ParsedInput(
        {"numberValue": value}, {"type": "CURRENCY", "pattern": "$#,##0.00"}
    )


@pytest.mark.parametrize("text", ["(12)", "1,2", "1.2.3", "12abc", "$", "-$-5", "inf", "nan"])
def test_user_entered_number_lookalikes_stay_text(text: str) -> None:
    assert user(text) == ParsedInput({"stringValue": text}, None)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("2026-03-15", "yyyy-mm-dd"),
        ("2026/3/15", "yyyy/mm/dd"),
        ("3/15/2026", "m/d/yyyy"),
        ("3-15-2026", "m-d-yyyy"),
        ("15 Mar 2026", "d mmm yyyy"),
        ("15-Mar-2026", "d-mmm-yyyy"),
        ("15 March 2026", "d mmmm yyyy"),
        ("March 15, 2026", "mmmm d, yyyy"),
        ("Mar 15, 2026", "mmm d, yyyy"),
        ("Mar 15 2026", "mmm d yyyy"),
    ],
)
def test_user_entered_dates_become_serials_with_date_format(text: str, pattern: str) -> None:
    assert user(text) == ParsedInput(
        {"numberValue": MARCH_15_2026}, {"type": "DATE", "pattern": pattern}
    )


def test_user_entered_us_date_becomes_serial_with_date_format() -> None:
    # The default spreadsheet locale is en_US, so 3/4/2026 is March 4th, not April 3rd.
    parsed = user("3/4/2026")
    assert parsed.value == {"numberValue": date_to_serial(date(2026, 3, 4))}
    assert parsed.number_format == {"type": "DATE", "pattern": "m/d/yyyy"}


@pytest.mark.parametrize(
    ("text", "year"), [("3/15/26", 2026), ("3/15/29", 2029), ("3/15/30", 1930)]
)
def test_user_entered_two_digit_years_pivot_at_1930(text: str, year: int) -> None:
    parsed = user(text)
    assert parsed.value == {"numberValue": date_to_serial(date(year, 3, 15))}
    assert parsed.number_format == {"type": "DATE", "pattern": "m/d/yy"}


@pytest.mark.parametrize("text", ["2/30/2026", "13/1/2026", "2026-02-29", "Foo 15, 2026"])
def test_user_entered_impossible_dates_stay_text(text: str) -> None:
    assert user(text).value == {"stringValue": text}


@pytest.mark.parametrize(
    ("text", "seconds", "pattern"),
    [
        ("14:30", 52200, "h:mm"),
        ("09:05", 32700, "hh:mm"),
        ("9:05", 32700, "h:mm"),
        ("14:30:15", 52215, "h:mm:ss"),
        ("2:30 PM", 52200, "h:mm am/pm"),
        ("2:30pm", 52200, "h:mm am/pm"),
        ("12:15 AM", 900, "h:mm am/pm"),
        ("12:15 PM", 44100, "h:mm am/pm"),
        ("2 PM", 50400, "h am/pm"),
        ("14:30:15.5", 52215.5, "h:mm:ss.0"),
    ],
)
def test_user_entered_times_become_day_fractions_with_time_format(
    text: str, seconds: float, pattern: str
) -> None:
    parsed = user(text)
    assert parsed.value["numberValue"] == pytest.approx(seconds / 86400)
    assert parsed.number_format == {"type": "TIME", "pattern": pattern}


def test_user_entered_hours_past_23_become_a_duration() -> None:
    parsed = user("25:00")
    assert parsed.value["numberValue"] == pytest.approx(25 / 24)
    assert parsed.number_format == {"type": "TIME", "pattern": "[h]:mm"}


@pytest.mark.parametrize("text", ["14:60", "13:00 PM", "0:30 AM", "12:30:61"])
def test_user_entered_impossible_times_stay_text(text: str) -> None:
    assert user(text).value == {"stringValue": text}


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("2026-03-15 14:30", "yyyy-mm-dd h:mm"),
        ("3/15/2026 2:30 PM", "m/d/yyyy h:mm am/pm"),
        ("March 15, 2026 14:30:00", "mmmm d, yyyy h:mm:ss"),
        ("2026-03-15 02:30 PM", "yyyy-mm-dd hh:mm am/pm"),
    ],
)
def test_user_entered_date_times_become_serials_with_date_time_format(
    text: str, pattern: str
) -> None:
    parsed = user(text)
    assert parsed.value["numberValue"] == pytest.approx(MARCH_15_2026 + 52200 / 86400)
    assert parsed.number_format == {"type": "DATE_TIME", "pattern": pattern}


def test_user_entered_leading_apostrophe_forces_text_and_is_stripped() -> None:
    assert user("'0123") == ParsedInput({"stringValue": "0123"}, None)
    assert user("'=A1") == ParsedInput({"stringValue": "=A1"}, None)
    assert user("'") == ParsedInput({"stringValue": ""}, None)


@pytest.mark.parametrize("text", ["hello", "Q3 plan", "  padded  ", " =A1"])
def test_user_entered_other_text_stays_a_string_as_typed(text: str) -> None:
    assert user(text) == ParsedInput({"stringValue": text}, None)


# --- effective values and plain values ------------------------------------------------------


def test_effective_from_user_is_an_independent_copy() -> None:
    value = {"errorValue": {"type": "NAME", "message": "x"}}
    effective = effective_from_user(value)
    assert effective == value
    effective["errorValue"]["type"] = "REF"
    assert value["errorValue"]["type"] == "NAME"


def test_effective_from_user_refuses_formulas() -> None:
    with pytest.raises(ValueError):
        effective_from_user({"formulaValue": "=1"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"numberValue": 5}, 5.0),
        ({"stringValue": "a"}, "a"),
        ({"boolValue": False}, False),
        ({}, None),
        ({"errorValue": {"type": "N_A", "message": "m"}}, {"type": "N_A", "message": "m"}),
    ],
)
def test_to_python_unwraps_extended_values(value: dict[str, Any], expected: object) -> None:
    result = to_python(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("data", "empty"),
    [
        (None, True),
        ({}, True),
        ({"userEnteredValue": {}}, True),
        ({"userEnteredFormat": {"numberFormat": {"type": "DATE"}}}, True),
        ({"userEnteredValue": {"stringValue": ""}}, False),
        ({"userEnteredValue": {"numberValue": 0}}, False),
    ],
)
def test_is_empty_means_no_user_entered_value(data: dict[str, Any] | None, empty: bool) -> None:
    assert is_empty(data) is empty


def test_number_format_of_prefers_effective_format() -> None:
    data = {
        "userEnteredFormat": {"numberFormat": {"type": "NUMBER", "pattern": "0"}},
        "effectiveFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy"}},
    }
    assert number_format_of(data) == {"type": "DATE", "pattern": "yyyy"}
    assert number_format_of({"userEnteredFormat": {"numberFormat": {"type": "TEXT"}}}) == {
        "type": "TEXT"
    }
    assert number_format_of({}) is None


# --- render ---------------------------------------------------------------------------------

ALL_OPTIONS = [
    (value_render, datetime_render)
    for value_render in ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
    for datetime_render in ("SERIAL_NUMBER", "FORMATTED_STRING")
]
DATE_CELL = cell(
    {"numberValue": MARCH_15_2026}, number_format={"type": "DATE", "pattern": "m/d/yyyy"}
)
FORMULA_DATE_CELL = cell(
    {"formulaValue": "=DATE(2026,3,15)"},
    {"numberValue": MARCH_15_2026},
    {"type": "DATE", "pattern": "yyyy-mm-dd"},
)


@pytest.mark.parametrize(("value_render", "datetime_render"), ALL_OPTIONS)
def test_empty_cells_render_as_empty_string(value_render: str, datetime_render: str) -> None:
    assert render(None, value_render, datetime_render) == ""
    assert render({}, value_render, datetime_render) == ""
    assert render({"userEnteredValue": {}}, value_render, datetime_render) == ""


def test_render_defaults_to_formatted_value_and_serial_number() -> None:
    assert render(DATE_CELL) == "3/15/2026"


@pytest.mark.parametrize("datetime_render", ["SERIAL_NUMBER", "FORMATTED_STRING"])
def test_formatted_value_returns_the_formatted_string(datetime_render: str) -> None:
    data = cell({"numberValue": 1234.5}, number_format={"type": "CURRENCY", "pattern": "$#,##0.00"})
    assert render(data, "FORMATTED_VALUE", datetime_render) == "$1,234.50"


def test_formatted_value_uses_stored_formatted_value() -> None:
    data = {"userEnteredValue": {"numberValue": 1}, "formattedValue": "one"}
    assert render(data, "FORMATTED_VALUE", "SERIAL_NUMBER") == "one"


def test_formatted_value_is_computed_when_not_stored() -> None:
    data = {
        "userEnteredValue": {"numberValue": 0.5},
        "userEnteredFormat": {"numberFormat": {"type": "PERCENT", "pattern": "0%"}},
    }
    assert render(data, "FORMATTED_VALUE", "SERIAL_NUMBER") == "50%"


def test_unformatted_date_renders_as_serial() -> None:
    result = render(DATE_CELL, "UNFORMATTED_VALUE", "SERIAL_NUMBER")
    assert result == 46096 and isinstance(result, int)


def test_formatted_string_datetime_option_applies_only_to_unformatted() -> None:
    # dateTimeRenderOption "is ignored if valueRenderOption is FORMATTED_VALUE".
    assert render(DATE_CELL, "UNFORMATTED_VALUE", "FORMATTED_STRING") == "3/15/2026"
    assert render(DATE_CELL, "FORMATTED_VALUE", "FORMATTED_STRING") == "3/15/2026"
    assert render(DATE_CELL, "FORMATTED_VALUE", "SERIAL_NUMBER") == "3/15/2026"


def test_formatted_string_leaves_non_date_numbers_as_numbers() -> None:
    data = cell({"numberValue": 0.25}, number_format={"type": "PERCENT", "pattern": "0%"})
    assert render(data, "UNFORMATTED_VALUE", "FORMATTED_STRING") == 0.25


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [
        ({"type": "TIME", "pattern": "h:mm am/pm"}, "2:30 PM"),
        ({"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}, "2026-03-15 14:30"),
        ({"type": "DATE"}, "3/15/2026"),
    ],
)
def test_formatted_string_renders_times_and_date_times_in_their_format(
    number_format: dict[str, Any], expected: str
) -> None:
    data = cell({"numberValue": MARCH_15_2026 + 52200 / 86400}, number_format=number_format)
    assert render(data, "UNFORMATTED_VALUE", "FORMATTED_STRING") == expected


def test_unformatted_numbers_are_integers_when_integral() -> None:
    assert (
        json.dumps(render(cell({"numberValue": 5.0}), "UNFORMATTED_VALUE", "SERIAL_NUMBER")) == "5"
    )
    assert render(cell({"numberValue": 2.5}), "UNFORMATTED_VALUE", "SERIAL_NUMBER") == 2.5
    assert render(cell({"numberValue": -0.0}), "UNFORMATTED_VALUE", "SERIAL_NUMBER") == 0
    huge = render(cell({"numberValue": 1e20}), "UNFORMATTED_VALUE", "SERIAL_NUMBER")
    assert isinstance(huge, float)


def test_unformatted_ignores_number_format() -> None:
    # ValueRenderOption: A1 = 1.23 formatted as currency returns the number 1.23.
    data = cell({"numberValue": 1.23}, number_format={"type": "CURRENCY", "pattern": "$#,##0.00"})
    assert render(data, "UNFORMATTED_VALUE", "SERIAL_NUMBER") == 1.23


@pytest.mark.parametrize("value_render", ["UNFORMATTED_VALUE", "FORMULA"])
def test_unformatted_strings_and_bools_keep_their_json_type(value_render: str) -> None:
    assert render(cell({"stringValue": "12"}), value_render, "SERIAL_NUMBER") == "12"
    assert render(cell({"boolValue": True}), value_render, "SERIAL_NUMBER") is True


@pytest.mark.parametrize(("value_render", "datetime_render"), ALL_OPTIONS)
def test_bools_format_as_upper_case_words_only_when_formatted(
    value_render: str, datetime_render: str
) -> None:
    result = render(cell({"boolValue": False}), value_render, datetime_render)
    assert result == ("FALSE" if value_render == "FORMATTED_VALUE" else False)


@pytest.mark.parametrize(("value_render", "datetime_render"), ALL_OPTIONS)
def test_formula_errors_render_as_their_display_string(
    value_render: str, datetime_render: str
) -> None:
    data = cell({"formulaValue": "=NOPE()"}, {"errorValue": {"type": "NAME", "message": "Unknown"}})
    expected = "=NOPE()" if value_render == "FORMULA" else "#NAME?"
    assert render(data, value_render, datetime_render) == expected


@pytest.mark.parametrize(
    ("value_render", "datetime_render", "expected"),
    [
        ("FORMATTED_VALUE", "SERIAL_NUMBER", "2026-03-15"),
        ("FORMATTED_VALUE", "FORMATTED_STRING", "2026-03-15"),
        ("UNFORMATTED_VALUE", "SERIAL_NUMBER", 46096),
        ("UNFORMATTED_VALUE", "FORMATTED_STRING", "2026-03-15"),
        ("FORMULA", "SERIAL_NUMBER", "=DATE(2026,3,15)"),
        ("FORMULA", "FORMATTED_STRING", "=DATE(2026,3,15)"),
    ],
)
def test_formula_cell_under_every_render_option_combination(
    value_render: str, datetime_render: str, expected: object
) -> None:
    assert render(FORMULA_DATE_CELL, value_render, datetime_render) == expected


@pytest.mark.parametrize(
    ("datetime_render", "expected"), [("SERIAL_NUMBER", 46096), ("FORMATTED_STRING", "3/15/2026")]
)
def test_formula_option_renders_non_formula_cells_as_unformatted(
    datetime_render: str, expected: object
) -> None:
    assert render(DATE_CELL, "FORMULA", datetime_render) == expected


def test_formula_with_empty_result_renders_empty_except_under_formula() -> None:
    data = {"userEnteredValue": {"formulaValue": '=IF(FALSE,1,"")'}}
    assert render(data, "FORMATTED_VALUE", "SERIAL_NUMBER") == ""
    assert render(data, "UNFORMATTED_VALUE", "SERIAL_NUMBER") == ""
    assert render(data, "FORMULA", "SERIAL_NUMBER") == '=IF(FALSE,1,"")'


def test_cells_without_effective_value_fall_back_to_the_user_entered_value() -> None:
    data = {"userEnteredValue": {"numberValue": 7}}
    assert render(data, "UNFORMATTED_VALUE", "SERIAL_NUMBER") == 7
    assert render(data, "FORMATTED_VALUE", "SERIAL_NUMBER") == "7"


@pytest.mark.parametrize(
    ("value_render", "datetime_render"),
    [("FORMATTED", "SERIAL_NUMBER"), ("FORMULA", "SERIAL"), ("formula", "SERIAL_NUMBER")],
)
def test_unknown_render_options_are_bad_requests(value_render: str, datetime_render: str) -> None:
    with pytest.raises(ApiError) as caught:
        render(DATE_CELL, value_render, datetime_render)
    assert caught.value.code == 400


@pytest.mark.parametrize(
    "text",
    ["12", "1,234.5", "12%", "$1,200.50", "2026-03-15", "3/15/2026", "14:30", "2:30 PM", "TRUE"],
)
def test_user_entered_round_trips_to_the_formatted_text_typed(text: str) -> None:
    parsed = user(text)
    data = cell(parsed.value, number_format=parsed.number_format)
    expected = {"1,234.5": "1,234.50"}.get(text, text)
    assert render(data, "FORMATTED_VALUE", "SERIAL_NUMBER") == expected
