"""Spreadsheet resources answered as Google answers them, through both client libraries.

Google serialises by the proto3 JSON mapping, which leaves out plain fields holding their
default (https://protobuf.dev/programming-guides/proto3/#json); every colour field has a
ColorStyle twin (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ColorStyle)
and spreadsheet properties carry the theme
(https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets#SpreadsheetProperties).
"""

from __future__ import annotations

from typing import Any

import gspread
from fidelity_helpers import batch, create

OWNER = "ann@acme.test"
ACCENT1 = {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}


def _get(service: Any, sid: str, fields: str | None = None) -> dict[str, Any]:
    got: dict[str, Any] = service.spreadsheets().get(spreadsheetId=sid, fields=fields).execute()
    return got


def test_a_new_spreadsheet_has_googles_theme_and_no_default_valued_fields(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    got = _get(service, sid)
    theme = got["properties"]["spreadsheetTheme"]
    assert theme["primaryFontFamily"] == "Arial"
    assert [p["colorType"] for p in theme["themeColors"]] == [
        "TEXT",
        "BACKGROUND",
        "ACCENT1",
        "ACCENT2",
        "ACCENT3",
        "ACCENT4",
        "ACCENT5",
        "ACCENT6",
        "LINK",
    ]
    default_format = got["properties"]["defaultFormat"]
    assert default_format["backgroundColorStyle"] == {"rgbColor": default_format["backgroundColor"]}
    assert default_format["textFormat"]["foregroundColorStyle"] == {"rgbColor": {}}
    props = got["sheets"][0]["properties"]
    assert props["sheetId"] == 0 and props["index"] == 0  # fields with presence keep their 0
    assert props["gridProperties"] == {"rowCount": 1000, "columnCount": 26}
    assert "hidden" not in props


def test_fields_set_back_to_their_default_leave_the_answer(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    batch(service, sid, {"addSheet": {"properties": {"title": "Other"}}})

    def props(freeze: int, hidden: bool) -> dict[str, Any]:
        batch(
            service,
            sid,
            {
                "updateSheetProperties": {
                    "properties": {
                        "sheetId": 0,
                        "hidden": hidden,
                        "gridProperties": {"frozenRowCount": freeze, "rowGroupControlAfter": True},
                    },
                    "fields": "hidden,gridProperties(frozenRowCount,rowGroupControlAfter)",
                }
            },
        )
        return dict(_get(service, sid)["sheets"][0]["properties"])

    shown = props(2, True)
    assert shown["hidden"] is True
    assert shown["gridProperties"]["frozenRowCount"] == 2
    assert shown["gridProperties"]["rowGroupControlAfter"] is True
    back = props(0, False)
    assert "hidden" not in back
    assert "frozenRowCount" not in back["gridProperties"]


def test_grid_ranges_on_the_first_sheet_leave_out_sheet_id_zero(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    other = batch(service, sid, {"addSheet": {"properties": {"title": "Other"}}})
    other_id = other["replies"][0]["addSheet"]["properties"]["sheetId"]
    area = {"startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2}
    replies = batch(
        service,
        sid,
        {"mergeCells": {"range": {"sheetId": 0, **area}, "mergeType": "MERGE_ALL"}},
        {"mergeCells": {"range": {"sheetId": other_id, **area}, "mergeType": "MERGE_ALL"}},
        {"addNamedRange": {"namedRange": {"name": "Top", "range": {"sheetId": 0, **area}}}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0}, "warningOnly": True}}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": other_id, **area}}}},
    )["replies"]
    assert replies[2]["addNamedRange"]["namedRange"]["range"] == area
    warning = replies[3]["addProtectedRange"]["protectedRange"]
    # "When writing: if this field is true, then editors are ignored."
    # (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#ProtectedRange)
    assert warning["range"] == {} and warning["warningOnly"] is True and "editors" not in warning
    strict = replies[4]["addProtectedRange"]["protectedRange"]
    assert "warningOnly" not in strict
    assert strict["editors"] == {"users": [OWNER]}
    assert strict["requestingUserCanEdit"] is True
    first, second = _get(service, sid)["sheets"]
    assert first["merges"] == [area]
    assert second["merges"] == [{"sheetId": other_id, **area}]
    assert _get(service, sid, "namedRanges")["namedRanges"][0]["range"] == area


def test_colours_come_with_their_style_twin_and_theme_colours_resolve(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)

    def tab(properties: dict[str, Any], fields: str) -> dict[str, Any]:
        batch(
            service,
            sid,
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": 0, **properties},
                    "fields": fields,
                }
            },
        )
        return dict(_get(service, sid, "sheets.properties")["sheets"][0]["properties"])

    red = tab({"tabColor": {"red": 1}}, "tabColor")
    assert red["tabColorStyle"] == {"rgbColor": {"red": 1}}
    themed = tab({"tabColorStyle": {"themeColor": "ACCENT1"}}, "tabColorStyle")
    assert themed["tabColorStyle"] == {"themeColor": "ACCENT1"}
    assert themed["tabColor"] == ACCENT1
    cleared = tab({}, "tabColorStyle")
    assert "tabColor" not in cleared and "tabColorStyle" not in cleared


def test_gspread_reads_tab_colour_frozen_rows_and_hidden_state(gspread_as: Any) -> None:
    book: gspread.Spreadsheet = gspread_as(OWNER).create("Shape")
    ws = book.sheet1
    ws.update_tab_color("#ff0000")
    ws.freeze(rows=1)
    again = book.worksheet("Sheet1")
    assert again.tab_color == "#FF0000"
    assert again.frozen_row_count == 1
    assert again.isSheetHidden is False
    ws.clear_tab_color()
    ws.freeze(rows=0)
    props = book.fetch_sheet_metadata()["sheets"][0]["properties"]
    assert book.worksheet("Sheet1").tab_color is None
    assert "tabColor" not in props and "frozenRowCount" not in props["gridProperties"]


def test_a_theme_set_by_the_client_resolves_its_theme_colours(sheets: Any) -> None:
    # SpreadsheetTheme.themeColors: "To update you must provide all theme color pairs."
    service = sheets(OWNER)
    sid = create(service)
    theme = _get(service, sid, "properties.spreadsheetTheme")["properties"]["spreadsheetTheme"]
    green = {"red": 0.2, "green": 0.6, "blue": 0.2}
    for pair in theme["themeColors"]:
        if pair["colorType"] == "ACCENT1":
            pair["color"] = {"rgbColor": green}
    batch(
        service,
        sid,
        {
            "updateSpreadsheetProperties": {
                "properties": {"spreadsheetTheme": theme},
                "fields": "spreadsheetTheme",
            }
        },
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "tabColorStyle": {"themeColor": "ACCENT1"}},
                "fields": "tabColorStyle",
            }
        },
    )
    got = _get(service, sid)
    assert got["properties"]["spreadsheetTheme"] == theme
    assert got["sheets"][0]["properties"]["tabColor"] == green
