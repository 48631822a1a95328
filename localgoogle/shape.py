"""Sheets resources shaped as Google answers them: proto3 defaults left out, colour twins, theme.

Google serialises its messages by the proto3 JSON mapping, which leaves out a plain field that
holds its default (https://protobuf.dev/programming-guides/proto3/#json): `frozenRowCount: 0`,
`hidden: false`, `warningOnly: false` and `sheetId: 0` inside a GridRange never appear. Fields
with presence (SheetProperties.sheetId and index, GridRange's row and column indexes, the booleans
of a TextFormat) keep their zeros. Every colour field has a `*Style` twin (ColorStyle, `rgbColor`
or `themeColor`) and Google answers both:
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ColorStyle
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from . import discovery

# Google's default theme as `spreadsheets.get` answers it for a new spreadsheet: the colours are
# float32 values of #4285F4, #EA4335, #FBBC04, #34A853, #FF6D01, #46BDC6 and link #1155CC
# (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets#SpreadsheetTheme).
_THEME_RGB: tuple[tuple[str, dict[str, float]], ...] = (
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
)
DEFAULT_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": kind, "color": {"rgbColor": dict(rgb)}} for kind, rgb in _THEME_RGB
    ],
}

_GRID_RANGE_KEYS = frozenset(
    {"sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"}
)
# Plain proto3 fields (no presence) that the stand-in may hold at their default.
_DEFAULT_FALSE = frozenset(
    {
        "hidden",
        "rightToLeft",
        "hideGridlines",
        "warningOnly",
        "requestingUserCanEdit",
        "domainUsersCanEdit",
        "rowGroupControlAfter",
        "columnGroupControlAfter",
        "collapsed",
    }
)
_DEFAULT_ZERO = frozenset({"frozenRowCount", "frozenColumnCount"})


@functools.cache
def colour_fields() -> frozenset[str]:
    """Names of colour fields that have a `<name>Style` twin in some Sheets message."""
    names: set[str] = set()
    for spec in discovery.document("sheets")["schemas"].values():
        props = spec.get("properties", {})
        names.update(k for k in props if k + "Style" in props)
    return frozenset(names)


def twin_of(key: str) -> str | None:
    """`tabColor` <-> `tabColorStyle`; None for a key that is not a colour field."""
    if key.endswith("Style") and key[: -len("Style")] in colour_fields():
        return key[: -len("Style")]
    return key + "Style" if key in colour_fields() else None


def _theme_rgb(theme: dict[str, Any], colour_type: str) -> dict[str, Any]:
    for pair in theme.get("themeColors") or []:
        if pair.get("colorType") == colour_type:
            return copy.deepcopy((pair.get("color") or {}).get("rgbColor") or {})
    return {}


_RGB_KEYS = frozenset({"red", "green", "blue", "alpha"})
_STYLE_KEYS = frozenset({"rgbColor", "themeColor"})


def _add_twins(node: dict[str, Any], theme: dict[str, Any]) -> None:
    for key in list(node):
        twin = twin_of(key)
        value = node[key]
        if twin is None or not isinstance(value, dict):
            continue
        if not set(value) <= (_STYLE_KEYS if key.endswith("Style") else _RGB_KEYS):
            continue  # a field that shares a colour field's name (ThemeColorPair.color)
        if key.endswith("Style"):
            if not value:  # an empty ColorStyle: no colour at all
                del node[key]
            elif twin not in node:
                rgb = value.get("rgbColor")
                theme_colour = value.get("themeColor")
                node[twin] = (
                    copy.deepcopy(rgb) if rgb is not None else _theme_rgb(theme, str(theme_colour))
                )
        elif twin not in node:
            node[twin] = {"rgbColor": copy.deepcopy(value)}


def _is_grid_range(node: dict[str, Any]) -> bool:
    return "sheetId" in node and set(node) <= _GRID_RANGE_KEYS


# Messages whose `sheetId` is a oneof member (kept even when 0): EmbeddedObjectPosition and
# DeveloperMetadataLocation.
_ONEOF_SHEET_ID = frozenset({"position", "location", "metadataLocation"})


def _shape(node: Any, theme: dict[str, Any], parent: str = "") -> Any:
    if isinstance(node, list):
        return [_shape(item, theme, parent) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: value if key == "spreadsheetTheme" else _shape(value, theme, key)
        for key, value in node.items()
    }
    if parent not in _ONEOF_SHEET_ID and _is_grid_range(out) and not out["sheetId"]:
        del out["sheetId"]
    for key in list(out):
        value = out[key]
        if (
            (key in _DEFAULT_FALSE and value is False)
            or (key in _DEFAULT_ZERO and value == 0)
            or value == []  # proto3 leaves every empty repeated field out
        ):
            del out[key]
    _add_twins(out, theme)
    return out


def theme_of(properties: dict[str, Any]) -> dict[str, Any]:
    """The spreadsheet's theme: its own, else Google's default."""
    theme = properties.get("spreadsheetTheme")
    return theme if isinstance(theme, dict) and theme else DEFAULT_THEME


def spreadsheet(resource: dict[str, Any]) -> dict[str, Any]:
    """A Spreadsheet resource as Google answers it (theme filled in, defaults left out)."""
    props = resource.get("properties")
    theme = theme_of(props or {})
    if isinstance(props, dict):
        props["spreadsheetTheme"] = copy.deepcopy(theme)
    shaped: dict[str, Any] = _shape(resource, theme)
    return shaped


def reply(value: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """A batchUpdate reply (or any other Sheets answer) shaped the same way."""
    shaped: dict[str, Any] = _shape(value, theme_of(properties))
    return shaped
