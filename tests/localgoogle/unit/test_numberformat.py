"""Specification tests for formattedValue: automatic formatting and number-format patterns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from localgoogle.cellvalues import SERIAL_EPOCH, date_to_serial, serial_to_datetime
from localgoogle.numberformat import (
    DEFAULT_PATTERNS,
    automatic_number,
    error_display,
    format_number,
    format_text,
    format_value,
    pattern_for,
)

# 2026-03-15 14:30:15 (a Sunday).
MOMENT = 46096 + (14 * 3600 + 30 * 60 + 15) / 86400


def fmt(value: float, pattern: str, kind: str = "NUMBER") -> str:
    """Format a number with an explicit pattern."""
    return format_number(value, {"type": kind, "pattern": pattern})


# --- serial numbers -------------------------------------------------------------------------


def test_serial_epoch_is_december_30_1899() -> None:
    assert SERIAL_EPOCH == date(1899, 12, 30)
    assert date_to_serial(SERIAL_EPOCH) == 0


@pytest.mark.parametrize(
    ("day", "serial"),
    [(date(2026, 1, 1), 46023), (date(1899, 12, 31), 1), (date(1900, 3, 1), 61)],
)
def test_date_to_serial_counts_days_since_epoch_without_1900_leap_bug(
    day: date, serial: int
) -> None:
    assert date_to_serial(day) == serial
    assert isinstance(date_to_serial(day), float)


def test_datetime_to_serial_adds_the_time_as_a_fraction_of_a_day() -> None:
    # The DateTimeRenderOption examples: 1900-01-01 noon is 2.5, 1900-02-01 15:00 is 33.625.
    assert date_to_serial(datetime(1900, 1, 1, 12)) == 2.5
    assert date_to_serial(datetime(1900, 2, 1, 15)) == 33.625


def test_dates_before_the_epoch_have_negative_serials() -> None:
    assert date_to_serial(date(1899, 12, 29)) == -1
    assert date_to_serial(datetime(1899, 12, 29, 12)) == -0.5


def test_serial_to_datetime_inverts_date_to_serial() -> None:
    moment = datetime(2026, 3, 15, 14, 30, 15)
    assert serial_to_datetime(date_to_serial(moment)) == moment
    assert serial_to_datetime(46023) == datetime(2026, 1, 1)
    assert serial_to_datetime(-0.5) == datetime(1899, 12, 29, 12)


# --- non-numbers ----------------------------------------------------------------------------


def test_strings_format_as_themselves() -> None:
    assert format_value({"stringValue": "007"}, None) == "007"
    assert format_value({"stringValue": "x"}, {"type": "NUMBER", "pattern": "0.00"}) == "x"


def test_text_section_of_a_pattern_wraps_strings() -> None:
    assert format_text("abc", {"type": "TEXT", "pattern": "@"}) == "abc"
    assert format_text("abc", {"type": "NUMBER", "pattern": '0;-0;0;"<"@">"'}) == "<abc>"
    assert format_text("abc", {"type": "TEXT", "pattern": '"Note: "@'}) == "Note: abc"


@pytest.mark.parametrize(("value", "text"), [(True, "TRUE"), (False, "FALSE")])
def test_bools_format_as_upper_case_words(value: bool, text: str) -> None:
    assert format_value({"boolValue": value}, None) == text
    assert format_value({"boolValue": value}, {"type": "NUMBER", "pattern": "0"}) == text


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("ERROR", "#ERROR!"),
        ("NULL_VALUE", "#NULL!"),
        ("DIVIDE_BY_ZERO", "#DIV/0!"),
        ("VALUE", "#VALUE!"),
        ("REF", "#REF!"),
        ("NAME", "#NAME?"),
        ("NUM", "#NUM!"),
        ("N_A", "#N/A"),
        ("LOADING", "Loading..."),
        ("SOMETHING_NEW", "#ERROR!"),
    ],
)
def test_errors_format_as_their_display_string(kind: str, text: str) -> None:
    error = {"type": kind, "message": "details"}
    assert error_display(error) == text
    assert format_value({"errorValue": error}, None) == text


def test_empty_value_formats_as_empty_string() -> None:
    assert format_value({}, {"type": "DATE"}) == ""


# --- automatic format -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (42, "42"),
        (42.0, "42"),
        (-7, "-7"),
        (0, "0"),
        (-0.0, "0"),
        (3.14159265358979, "3.141592654"),
        (1 / 3, "0.3333333333"),
        (0.1 + 0.2, "0.3"),
        (123456.123456, "123456.1235"),
        (12345678901.5, "12345678902"),
        (2.5e-5, "0.000025"),
        (123456789012345, "123456789012345"),
        (1.23456e15, "1.23E+15"),
        (1e15, "1E+15"),
        (-2.5e20, "-2.5E+20"),
        (1e-10, "1E-10"),
    ],
)
def test_numbers_without_format_use_the_automatic_format(value: float, text: str) -> None:
    assert automatic_number(value) == text
    assert format_value({"numberValue": value}, None) == text


@pytest.mark.parametrize("pattern", ["", "General", "@"])
def test_general_and_text_patterns_show_numbers_automatically(pattern: str) -> None:
    assert fmt(1234.5, pattern, "TEXT") == "1234.5"


def test_non_finite_numbers_show_num_error() -> None:
    assert format_number(float("inf"), None) == "#NUM!"


# --- NUMBER, PERCENT, CURRENCY, SCIENTIFIC patterns -----------------------------------------


@pytest.mark.parametrize(
    ("pattern", "value", "text"),
    [
        ("0", 1234.5, "1235"),
        ("0", 2.5, "3"),
        ("0", -2.5, "-3"),
        ("0.00", 3.14159, "3.14"),
        ("0.00", 1.005, "1.01"),
        ("0.00", 5, "5.00"),
        ("#,##0", 1234567.891, "1,234,568"),
        ("#,##0", 999, "999"),
        ("#,##0", 0, "0"),
        ("#,##0.00", 1234.5, "1,234.50"),
        ("#,##0.00", -1234567.891, "-1,234,567.89"),
        ("000", 5, "005"),
        ("0,000", 5, "0,005"),
        ("#.##", 5, "5."),
        ("0.###", 0.125, "0.125"),
        ("0.###", 2.5, "2.5"),
        ("?.??", 5.1, "5.1 "),
        ("#,##0,", 1234567, "1,235"),
        ('0.0,,"M"', 15300000, "15.3M"),
        ("(###) ###-####", 5551234567, "(555) 123-4567"),
        ('#,##0.00 "USD"', 1200, "1,200.00 USD"),
        ("\\#0", 7, "#7"),
    ],
)
def test_number_patterns(pattern: str, value: float, text: str) -> None:
    assert fmt(value, pattern) == text


@pytest.mark.parametrize(
    ("pattern", "value", "text"),
    [
        ("0%", 0.12, "12%"),
        ("0%", 0.125, "13%"),
        ("0.00%", 0.125, "12.50%"),
        ("0.00%", -0.5, "-50.00%"),
        ("0.0%", 1, "100.0%"),
    ],
)
def test_percent_patterns_multiply_by_100(pattern: str, value: float, text: str) -> None:
    assert fmt(value, pattern, "PERCENT") == text


@pytest.mark.parametrize(
    ("pattern", "value", "text"),
    [
        ("$#,##0.00", 1200.5, "$1,200.50"),
        ("$#,##0.00", -5, "-$5.00"),
        ('"$"#,##0.00', 1234567.5, "$1,234,567.50"),
        ("[$€-407]#,##0.00", 12.5, "€12.50"),
        ("$#,##0.00;($#,##0.00)", -5, "($5.00)"),
        ('$#,##0.00;($#,##0.00);"-"', 0, "-"),
        ("[Red]$#,##0", 1000, "$1,000"),
        ("$#,##0.00_);($#,##0.00)", 3, "$3.00 "),
    ],
)
def test_currency_patterns_with_quoted_literals_and_sections(
    pattern: str, value: float, text: str
) -> None:
    assert fmt(value, pattern, "CURRENCY") == text


@pytest.mark.parametrize(
    ("pattern", "value", "text"),
    [
        ("0.00E+00", 1234.5, "1.23E+03"),
        ("0.00E+00", 0.000123, "1.23E-04"),
        ("0.00E+00", 9.999, "1.00E+01"),
        ("0.00E+00", 0, "0.00E+00"),
        ("0.00E+00", -1234.5, "-1.23E+03"),
        ("0.0E-0", 1234.5, "1.2E3"),
        ("##0.0E+0", 12345, "12.3E+3"),
    ],
)
def test_scientific_patterns(pattern: str, value: float, text: str) -> None:
    assert fmt(value, pattern, "SCIENTIFIC") == text


# --- DATE, TIME, DATE_TIME patterns ---------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("yyyy-mm-dd", "2026-03-15"),
        ("m/d/yyyy", "3/15/2026"),
        ("M/d/yyyy", "3/15/2026"),
        ("mm/dd/yy", "03/15/26"),
        ("d mmm yyyy", "15 Mar 2026"),
        ("mmm d, yyyy", "Mar 15, 2026"),
        ("mmmm d, yyyy", "March 15, 2026"),
        ("mmmmm", "M"),
        ("dddd", "Sunday"),
        ("ddd, d mmm", "Sun, 15 Mar"),
        ("yyyy.mm.dd", "2026.03.15"),
    ],
)
def test_date_patterns(pattern: str, text: str) -> None:
    assert fmt(MOMENT, pattern, "DATE") == text


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("h:mm:ss am/pm", "2:30:15 PM"),
        ("h:mm AM/PM", "2:30 PM"),
        ("hh:mm a/p", "02:30 p"),
        ("hh:mm A/P", "02:30 P"),
        ("hh:mm", "14:30"),
        ("H:mm:ss", "14:30:15"),
        ("m:ss", "30:15"),
        ("h:mm:ss.000", "14:30:15.000"),
        ("[h]:mm:ss", "1106318:30:15"),
    ],
)
def test_time_patterns(pattern: str, text: str) -> None:
    assert fmt(MOMENT, pattern, "TIME") == text


def test_minutes_versus_months_follow_their_neighbours() -> None:
    # "m" is minutes after hours or before seconds, otherwise the month.
    assert fmt(MOMENT, "m", "DATE") == "3"
    assert fmt(MOMENT, "h m", "TIME") == "14 30"
    assert fmt(MOMENT, "m s", "TIME") == "30 15"
    assert fmt(MOMENT, "mm-dd hh:mm", "DATE_TIME") == "03-15 14:30"


def test_twelve_hour_clock_shows_midnight_and_noon_as_12() -> None:
    assert fmt(0, "h:mm am/pm", "TIME") == "12:00 AM"
    assert fmt(0.5, "h:mm am/pm", "TIME") == "12:00 PM"


def test_times_round_to_the_displayed_second() -> None:
    assert fmt(46096 + 52214.6 / 86400, "hh:mm:ss", "TIME") == "14:30:15"
    assert fmt(46096 + 52214.6 / 86400, "hh:mm:ss.0", "TIME") == "14:30:14.6"
    assert fmt(0.99999999, "yyyy-mm-dd hh:mm:ss", "DATE_TIME") == "1899-12-31 00:00:00"


def test_durations_use_elapsed_hours() -> None:
    assert fmt(25 / 24, "[h]:mm", "TIME") == "25:00"
    assert fmt(1.5, "[mm]:ss", "TIME") == "2160:00"


@pytest.mark.parametrize(
    ("pattern", "text"),
    [("yyyy-mm-dd hh:mm", "2026-03-15 14:30"), ("m/d/yyyy h:mm:ss", "3/15/2026 14:30:15")],
)
def test_date_time_patterns(pattern: str, text: str) -> None:
    assert fmt(MOMENT, pattern, "DATE_TIME") == text


def test_serial_epoch_dates() -> None:
    assert fmt(0, "yyyy-mm-dd", "DATE") == "1899-12-30"
    assert fmt(1, "yyyy-mm-dd", "DATE") == "1899-12-31"
    assert fmt(61, "yyyy-mm-dd", "DATE") == "1900-03-01"
    assert fmt(46023, "yyyy-mm-dd", "DATE") == "2026-01-01"
    assert fmt(-1, "yyyy-mm-dd", "DATE") == "1899-12-29"


def test_dates_beyond_year_9999_fall_back_to_the_automatic_format() -> None:
    assert fmt(1e9, "yyyy-mm-dd", "DATE") == "1000000000"


# --- default patterns by type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("DATE", 46096, "3/15/2026"),
        ("TIME", MOMENT, "2:30:15 PM"),
        ("DATE_TIME", MOMENT, "3/15/2026 14:30:15"),
        ("NUMBER", 1234.5, "1,234.50"),
        ("PERCENT", 0.125, "12.50%"),
        ("CURRENCY", 1234.5, "$1,234.50"),
        ("SCIENTIFIC", 1234.5, "1.23E+03"),
        ("TEXT", 1234.5, "1234.5"),
    ],
)
def test_a_type_without_pattern_uses_the_en_us_default(kind: str, value: float, text: str) -> None:
    number_format: dict[str, Any] = {"type": kind}
    assert pattern_for(number_format) == DEFAULT_PATTERNS[kind]
    assert format_value({"numberValue": value}, number_format) == text
    assert format_value({"numberValue": value}, {"type": kind, "pattern": ""}) == text
