"""shape: answers as Google's proto3 JSON writes them (https://protobuf.dev/programming-guides/proto3/#json)."""

from __future__ import annotations

from localgoogle import shape

PROPS: dict[str, object] = {}


def test_sheet_id_zero_leaves_a_grid_range_but_not_a_oneof() -> None:
    got = shape.reply(
        {
            "merges": [{"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1}],
            "range": {"sheetId": 0},
            "position": {"sheetId": 0},
            "location": {"sheetId": 0},
            "other": {"sheetId": 7, "startColumnIndex": 0},
        },
        PROPS,
    )
    assert got == {
        "merges": [{"startRowIndex": 0, "endRowIndex": 1}],
        "range": {},
        "position": {"sheetId": 0},
        "location": {"sheetId": 0},
        "other": {"sheetId": 7, "startColumnIndex": 0},
    }


def test_default_flags_counts_and_empty_lists_are_left_out_but_set_ones_stay() -> None:
    got = shape.reply(
        {
            "hidden": False,
            "warningOnly": True,
            "gridProperties": {"rowCount": 5, "frozenRowCount": 0, "frozenColumnCount": 2},
            "rowGroups": [],
            "textFormat": {"bold": False},  # a field with presence keeps its false
        },
        PROPS,
    )
    assert got == {
        "warningOnly": True,
        "gridProperties": {"rowCount": 5, "frozenColumnCount": 2},
        "textFormat": {"bold": False},
    }


def test_colours_get_their_twin_and_theme_colours_resolve() -> None:
    got = shape.reply(
        {
            "tabColor": {"red": 1},
            "format": {"backgroundColorStyle": {"themeColor": "LINK"}},
            "border": {"color": {}, "style": "SOLID"},
            "cleared": {"tabColorStyle": {}},
        },
        PROPS,
    )
    assert got == {
        "tabColor": {"red": 1},
        "tabColorStyle": {"rgbColor": {"red": 1}},
        "format": {
            "backgroundColorStyle": {"themeColor": "LINK"},
            "backgroundColor": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8},
        },
        "border": {"color": {}, "colorStyle": {"rgbColor": {}}, "style": "SOLID"},
        "cleared": {},
    }


def test_writing_one_twin_names_the_other_for_replacement() -> None:
    assert shape.twin_of("tabColor") == "tabColorStyle"
    assert shape.twin_of("backgroundColorStyle") == "backgroundColor"
    assert shape.twin_of("title") is None
