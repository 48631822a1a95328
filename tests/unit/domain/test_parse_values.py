"""Reading single cells: dates in the forms people type them, text, ticks.

With UNFORMATTED_VALUE and SERIAL_NUMBER a date cell arrives as a serial number (days since
1899-12-30, a fraction for the time); a date typed into a plain-text cell arrives as text.
"""

from __future__ import annotations

from datetime import date

import pytest

from addon.domain.parse import DateOutOfRange, parse_date
from addon.domain.parse_values import (
    FormulaError,
    cell_text,
    has_content,
    parse_checkbox,
    vocab_key,
)

MARCH_5 = date(2027, 3, 5)


@pytest.mark.parametrize("serial", [46451, 46451.0, 46451.75])
def test_serial_numbers_are_dates_and_the_time_of_day_is_ignored(serial: float) -> None:
    assert parse_date(serial) == MARCH_5


@pytest.mark.parametrize(
    "text",
    ["2027-03-05", "2027/03/05", "2027-3-5", " 2027-03-05T09:30:00Z ", "3/5/2027", "3/5/27"],
)
def test_iso_and_us_numeric_dates_are_understood(text: str) -> None:
    assert parse_date(text) == MARCH_5


@pytest.mark.parametrize(
    "text",
    [
        "5 Mar 2027",
        "March 5, 2027",
        "Mar 5 2027",
        "5 March 2027",
        "5-Mar-2027",
        "Mar. 5, 2027",
        "Friday, March 5th, 2027",
        "5th of march 2027",
        "MARCH 5 2027",
        "5 Mar 27",
    ],
)
def test_written_date_forms_are_understood(text: str) -> None:
    assert parse_date(text) == MARCH_5


def test_day_first_dates_are_read_only_where_unambiguous() -> None:
    assert parse_date("13/5/2027") == date(2027, 5, 13)
    assert parse_date("5.3.2027") == MARCH_5  # dotted dates are day-first
    assert parse_date("5/3/2027") == date(2027, 5, 3)  # en_US: month first


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_cell_is_no_date(empty: object) -> None:
    assert parse_date(empty) is None


@pytest.mark.parametrize(
    "text",
    [
        "next Tuesday",
        "TBD",
        "Q3",
        "March 2027",
        "5 Mar 2027 or later",
        "2027-02-30",
        "13/13/2027",
        "46451",
        "#VALUE!",
        "2027-03-05" * 10,
    ],
)
def test_text_that_is_not_a_date_raises_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("value", [True, False, float("nan"), float("inf"), [46451], {"d": 1}])
def test_values_no_date_cell_holds_raise_value_error(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize("value", [0, 7, 36525, 73416, -5, 1e300, "1/1/1999", "3/5/2101"])
def test_dates_before_2000_or_after_2100_are_out_of_range(value: object) -> None:
    with pytest.raises(DateOutOfRange):
        parse_date(value)


def test_the_first_and_last_accepted_days() -> None:
    assert parse_date(36526) == date(2000, 1, 1)
    assert parse_date("2100-12-31") == date(2100, 12, 31)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("  Legal  ", "Legal"),
        ("", None),
        (None, None),
        (42, "42"),
        (42.0, "42"),
        (0.5, "0.5"),
        (True, "TRUE"),
        ("#NAME", "#NAME"),
        ("N/A", "N/A"),
    ],
)
def test_cells_read_as_the_text_sheets_shows(value: object, text: str | None) -> None:
    assert cell_text(value) == text


@pytest.mark.parametrize("error", ["#NAME?", "#REF!", " #div/0! ", "#N/A", "#ERROR!", "#VALUE!"])
def test_a_failing_formulas_error_value_is_neither_text_nor_a_date(error: str) -> None:
    with pytest.raises(FormulaError, match=error.strip().upper()):
        cell_text(error)
    with pytest.raises(FormulaError):
        parse_date(error)
    with pytest.raises(ValueError):
        parse_checkbox(error)


@pytest.mark.parametrize("value", [[1], {"a": 1}, float("nan"), object()])
def test_values_no_cell_holds_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        cell_text(value)


def test_an_unticked_checkbox_or_blank_text_is_no_content() -> None:
    assert [has_content(v) for v in (None, "", "  ", False, 0, True, "x")] == [
        False,
        False,
        False,
        False,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("value", "ticked"),
    [
        (True, True),
        (False, False),
        ("TRUE", True),
        ("false", False),
        ("Yes", True),
        ("no", False),
        ("x", True),
        ("X", True),
        ("✓", True),
        ("", False),
        (None, False),
        (1, True),
        (0, False),
    ],
)
def test_checkbox_values(value: object, ticked: bool) -> None:
    assert parse_checkbox(value) is ticked


@pytest.mark.parametrize("value", ["maybe", "-", 2, [True]])
def test_checkbox_values_that_are_neither_tick_nor_untick_raise(value: object) -> None:
    with pytest.raises(ValueError):
        parse_checkbox(value)


def test_vocabulary_keys_ignore_case_spacing_punctuation_and_bracketed_notes() -> None:
    assert vocab_key("  Due-Date (yyyy-mm-dd) ") == vocab_key("due date") == "duedate"
    assert vocab_key("Step #") == "step#"
