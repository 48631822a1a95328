"""values.update input parsing: valueInputOption RAW vs USER_ENTERED, and formula evaluation.

Contracts:
- https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption
  (RAW: "The values the user has entered will not be parsed and will be stored as-is.";
  USER_ENTERED: "The values will be parsed as if the user typed them into the UI.")
- https://developers.google.com/sheets/api/reference/rest/v4/ValueRenderOption
- https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption
  (serial numbers count days since December 30, 1899)
- https://developers.google.com/sheets/api/guides/formats
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from googleapiclient.errors import HttpError

USER = "ann@acme.test"


def serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


@pytest.fixture
def api(sheets: Any) -> Any:
    return sheets(USER).spreadsheets()


@pytest.fixture
def sid(api: Any) -> str:
    body = {"sheets": [{"properties": {"title": "Sheet1"}}, {"properties": {"title": "Other"}}]}
    return str(api.create(body=body).execute()["spreadsheetId"])


def write(api: Any, sid: str, rng: str, values: list[list[Any]], option: str) -> dict[str, Any]:
    result: dict[str, Any] = (
        api.values()
        .update(spreadsheetId=sid, range=rng, valueInputOption=option, body={"values": values})
        .execute()
    )
    return result


def read(api: Any, sid: str, rng: str, **options: Any) -> list[list[Any]]:
    got = api.values().get(spreadsheetId=sid, range=rng, **options).execute()
    return list(got.get("values", []))


def error_of(exc: HttpError) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc.content)["error"]
    return body


@pytest.mark.parametrize("method", ["update", "append"])
def test_value_input_option_is_required_on_update_and_append(
    api: Any, sid: str, method: str
) -> None:
    call = getattr(api.values(), method)
    with pytest.raises(HttpError) as caught:
        call(spreadsheetId=sid, range="Sheet1!A1", body={"values": [["x"]]}).execute()
    assert caught.value.resp.status == 400
    assert error_of(caught.value) == {
        "code": 400,
        "message": "'valueInputOption' is required but not specified",
        "status": "INVALID_ARGUMENT",
    }


def test_value_input_option_is_required_on_batch_update(api: Any, sid: str) -> None:
    # Assumption: Google words the missing body field as for the query parameter; the exact
    # text Google uses for values.batchUpdate was not confirmed.
    body = {"data": [{"range": "Sheet1!A1", "values": [["x"]]}]}
    with pytest.raises(HttpError) as caught:
        api.values().batchUpdate(spreadsheetId=sid, body=body).execute()
    assert caught.value.resp.status == 400
    assert error_of(caught.value)["message"] == "'valueInputOption' is required but not specified"
    assert read(api, sid, "Sheet1!A1") == []


def test_raw_stores_formulas_apostrophes_and_digits_as_text(api: Any, sid: str) -> None:
    write(api, sid, "Sheet1!A1", [["=1+1", "'x", "12", "TRUE", "12%"]], "RAW")
    assert read(api, sid, "Sheet1!A1:E1", valueRenderOption="UNFORMATTED_VALUE") == [
        ["=1+1", "'x", "12", "TRUE", "12%"]
    ]
    assert read(api, sid, "Sheet1!A1:E1", valueRenderOption="FORMULA") == [
        ["=1+1", "'x", "12", "TRUE", "12%"]
    ]


def test_raw_keeps_json_numbers_and_booleans_typed(api: Any, sid: str) -> None:
    write(api, sid, "Sheet1!A1", [[12, 1.5, True]], "RAW")
    assert read(api, sid, "Sheet1!A1:C1", valueRenderOption="UNFORMATTED_VALUE") == [
        [12, 1.5, True]
    ]
    assert read(api, sid, "Sheet1!A1:C1") == [["12", "1.5", "TRUE"]]


@pytest.mark.parametrize(
    ("typed", "unformatted", "formatted"),
    [
        ("12", 12, "12"),
        ("-3.25", -3.25, "-3.25"),
        ("1,234", 1234, "1,234"),
        ("TRUE", True, "TRUE"),
        ("false", False, "FALSE"),
        ("12%", 0.12, "12%"),
        ("$1,234.50", 1234.5, "$1,234.50"),
        ("'12", "12", "12"),
        ("hello", "hello", "hello"),
    ],
)
def test_user_entered_parses_as_the_ui_does(
    api: Any, sid: str, typed: str, unformatted: Any, formatted: str
) -> None:
    write(api, sid, "Sheet1!A1", [[typed]], "USER_ENTERED")
    assert read(api, sid, "Sheet1!A1", valueRenderOption="UNFORMATTED_VALUE") == [[unformatted]]
    assert read(api, sid, "Sheet1!A1") == [[formatted]]


@pytest.mark.parametrize("typed", ["2026-03-15", "3/15/2026"])
def test_user_entered_dates_become_serial_numbers_from_1899_12_30(
    api: Any, sid: str, typed: str
) -> None:
    write(api, sid, "Sheet1!A1", [[typed]], "USER_ENTERED")
    assert read(api, sid, "Sheet1!A1", valueRenderOption="UNFORMATTED_VALUE") == [
        [serial(date(2026, 3, 15))]
    ]
    assert read(api, sid, "Sheet1!A1") == [[typed]]  # the format mirrors what was typed


def test_date_time_render_option_chooses_serial_or_formatted_string(api: Any, sid: str) -> None:
    write(api, sid, "Sheet1!A1", [["3/15/2026", "7"]], "USER_ENTERED")
    unformatted = {"valueRenderOption": "UNFORMATTED_VALUE"}
    assert read(api, sid, "Sheet1!A1:B1", dateTimeRenderOption="SERIAL_NUMBER", **unformatted) == [
        [serial(date(2026, 3, 15)), 7]
    ]
    assert read(
        api, sid, "Sheet1!A1:B1", dateTimeRenderOption="FORMATTED_STRING", **unformatted
    ) == [["3/15/2026", 7]]


def test_formulas_evaluate_arithmetic_references_and_functions(api: Any, sid: str) -> None:
    write(api, sid, "Other!A1", [[10]], "RAW")
    write(
        api,
        sid,
        "Sheet1!A1",
        [
            [2, 3, 4],
            [
                "=1+2*3",
                "=A1+B1",
                "=Other!A1*2",
                "=SUM(A1:C1)",
                "=MIN(A1:C1)",
                "=MAX(A1:C1)",
                "=COUNT(A1:C1)",
                '=IF(A1>1,"big","small")',
            ],
        ],
        "USER_ENTERED",
    )
    assert read(api, sid, "Sheet1!A2:H2", valueRenderOption="UNFORMATTED_VALUE") == [
        [7, 5, 20, 9, 2, 4, 3, "big"]
    ]
    assert read(api, sid, "Sheet1!A2:H2", valueRenderOption="FORMULA") == [
        [
            "=1+2*3",
            "=A1+B1",
            "=Other!A1*2",
            "=SUM(A1:C1)",
            "=MIN(A1:C1)",
            "=MAX(A1:C1)",
            "=COUNT(A1:C1)",
            '=IF(A1>1,"big","small")',
        ]
    ]


def test_formulas_recalculate_when_a_referenced_cell_changes(api: Any, sid: str) -> None:
    write(api, sid, "Sheet1!A1", [[1, "=A1*10"]], "USER_ENTERED")
    write(api, sid, "Other!A1", [["=Sheet1!B1+1"]], "USER_ENTERED")
    write(api, sid, "Sheet1!A1", [[5]], "RAW")
    assert read(api, sid, "Sheet1!B1") == [["50"]]
    assert read(api, sid, "Other!A1") == [["51"]]


def test_today_is_a_date_serial_number(api: Any, sid: str) -> None:
    before = serial(datetime.now(UTC).date())
    write(api, sid, "Sheet1!A1", [["=TODAY()"]], "USER_ENTERED")
    (row,) = read(api, sid, "Sheet1!A1", valueRenderOption="UNFORMATTED_VALUE")
    after = serial(datetime.now(UTC).date())
    assert row[0] in (before, after)  # the spreadsheet's time zone here is Etc/GMT


@pytest.mark.parametrize(
    ("formula", "shown"),
    [("=NOSUCHFUNCTION(1)", "#NAME?"), ("=1/0", "#DIV/0!"), ('=1+"a"', "#VALUE!")],
)
def test_formula_errors_render_as_error_codes_not_failures(
    api: Any, sid: str, formula: str, shown: str
) -> None:
    write(api, sid, "Sheet1!A1", [[formula]], "USER_ENTERED")
    assert read(api, sid, "Sheet1!A1") == [[shown]]
    assert read(api, sid, "Sheet1!A1", valueRenderOption="UNFORMATTED_VALUE") == [[shown]]
    assert read(api, sid, "Sheet1!A1", valueRenderOption="FORMULA") == [[formula]]


@pytest.mark.parametrize("formula", ["=SUM(", "=)", "=A1+", "=1 2"])
def test_malformed_formulas_are_stored_and_show_a_parse_error(
    api: Any, sid: str, formula: str
) -> None:
    # Google answers 200 and the cell shows #ERROR! ("Formula parse error.").
    write(api, sid, "Sheet1!A1", [[formula]], "USER_ENTERED")
    assert read(api, sid, "Sheet1!A1") == [["#ERROR!"]]
    assert read(api, sid, "Sheet1!A1", valueRenderOption="FORMULA") == [[formula]]


def test_recorded_exchange_with_formulas_dates_and_numbers_renders_alike(
    api: Any, sid: str
) -> None:
    # Replays a recorded exchange with the real API (gspread's cassette
    # WorksheetTest.test_get_all_records_value_render_options).
    result = write(
        api,
        sid,
        "Sheet1!A1:D2",
        [["=4/2", "2020-01-01", "string", 53], ["=3/2", 0.12, "1999-01-02", ""]],
        "USER_ENTERED",
    )
    assert result == {
        "spreadsheetId": sid,
        "updatedRange": "Sheet1!A1:D2",
        "updatedRows": 2,
        "updatedColumns": 4,
        "updatedCells": 8,
    }
    assert read(api, sid, "Sheet1!A1:D2") == [
        ["2", "2020-01-01", "string", "53"],
        ["1.5", "0.12", "1999-01-02"],
    ]
    assert read(api, sid, "Sheet1!A1:D2", valueRenderOption="UNFORMATTED_VALUE") == [
        [2, 43831, "string", 53],
        [1.5, 0.12, 36162],
    ]
    assert read(api, sid, "Sheet1!A1:D2", valueRenderOption="FORMULA") == [
        ["=4/2", 43831, "string", 53],
        ["=3/2", 0.12, 36162],
    ]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("= 1 / 1024", "0.0009765625"),
        ("2,000,000.01", "2,000,000.01"),
        ("0042", "42"),
        (42.01, "42.01"),
        ("Артур", "Артур"),
        ("two\nlines", "two\nlines"),
    ],
)
def test_recorded_user_entered_inputs_show_as_google_showed_them(
    api: Any, sid: str, typed: Any, shown: str
) -> None:
    # Inputs and answers recorded from the real API (gspread's CellTest.test_numeric_value and
    # WorksheetTest.test_update_cell* cassettes).
    write(api, sid, "Sheet1!B1", [[typed]], "USER_ENTERED")
    assert read(api, sid, "Sheet1!B1") == [[shown]]
