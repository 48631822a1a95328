"""Rule batchUpdate requests: data validation, conditional formats, named and protected ranges."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from . import cells, protection
from . import sheetmodel as sm
from .batch_common import (
    Body,
    Handler,
    Reply,
    check_cells,
    mask_of,
    range_bounds,
    sheet_of,
    updated,
    with_sheet_id,
)
from .errors import bad_request

if TYPE_CHECKING:
    from .sheets_common import Opened


def set_data_validation(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#setdatavalidationrequest"""
    sheet, bounds = range_bounds(o, body.get("range"))
    rule = body.get("rule")
    if rule is not None and not (rule.get("condition") or {}).get("type"):
        raise bad_request("A data validation rule must have a condition type.")  # approximate
    check_cells(o, sheet, bounds)
    for r, c, stored in list(sm.cells_in(sheet, bounds)):
        new = {k: v for k, v in (stored or {}).items() if k in cells.WRITABLE}
        if rule is None:
            new.pop("dataValidation", None)
        else:
            new["dataValidation"] = copy.deepcopy(rule)
        if "formulaValue" not in (new.get("userEnteredValue") or {}):
            cells.refresh(new)
        else:
            new.update(
                {
                    k: stored[k]
                    for k in ("effectiveValue", "formattedValue")
                    if stored and k in stored
                }
            )
        sm.set_cell(sheet, r, c, new or None)
    return {}


# ---------------------------------------------------------------- conditional formats


def _rule_sheet(o: Opened, rule: dict[str, Any]) -> tuple[sm.Sheet, dict[str, Any]]:
    """Check a ConditionalFormatRule; its sheet and a stored copy with every range's sheetId."""
    ranges = rule.get("ranges") or []
    if not ranges:
        raise bad_request("A conditional format rule must have at least one range.")  # approx.
    if (rule.get("booleanRule") is None) == (rule.get("gradientRule") is None):
        raise bad_request("A conditional format rule needs a booleanRule or a gradientRule.")
    stored = copy.deepcopy(rule)
    stored["ranges"] = [with_sheet_id(r) for r in ranges]
    sheet_ids = {r["sheetId"] for r in stored["ranges"]}
    if len(sheet_ids) > 1:
        raise bad_request("All ranges of a conditional format rule must be on the same sheet.")
    sheet = sheet_of(o, sheet_ids.pop())
    for grid_range in stored["ranges"]:
        _, bounds = range_bounds(o, grid_range)
        check_cells(o, sheet, bounds)
    return sheet, stored


def add_conditional_format_rule(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addconditionalformatrulerequest"""
    sheet, rule = _rule_sheet(o, body.get("rule") or {})
    rules = sheet.setdefault("conditionalFormats", [])
    index = int(body.get("index", 0))
    if not 0 <= index <= len(rules):
        raise bad_request(f"Invalid index {index}: the sheet has {len(rules)} conditional formats.")
    rules.insert(index, rule)
    return {}


def _existing_rule(o: Opened, body: Body) -> tuple[sm.Sheet, list[dict[str, Any]], int]:
    sheet = sheet_of(o, body.get("sheetId"))
    rules = sheet.get("conditionalFormats", [])
    index = int(body.get("index", 0))
    if not 0 <= index < len(rules):
        # Approximate wording.
        raise bad_request(f"No conditional format on sheet: {sm.sheet_id(sheet)} at index: {index}")
    for grid_range in rules[index].get("ranges", []):
        _, bounds = range_bounds(o, {**grid_range, "sheetId": sm.sheet_id(sheet)})
        check_cells(o, sheet, bounds)
    return sheet, rules, index


def _drop_zero_index(reply: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in reply.items() if v != 0}


def update_conditional_format_rule(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updateconditionalformatrulerequest"""
    sheet, rules, index = _existing_rule(o, body)
    old = rules[index]
    if body.get("rule") is not None:
        target, rule = _rule_sheet(o, body["rule"])
        if target is sheet:
            rules[index] = rule
        else:  # the rule moves to the sheet of its new ranges, at the front
            del rules[index]
            target.setdefault("conditionalFormats", []).insert(0, rule)
        new_index = index if target is sheet else 0
    else:
        new_index = int(body.get("newIndex", 0))
        if not 0 <= new_index < len(rules):
            raise bad_request(f"Invalid newIndex {new_index}.")  # approximate wording
        rule = rules.pop(index)
        rules.insert(new_index, rule)
    if not sheet.get("conditionalFormats"):
        sheet.pop("conditionalFormats", None)
    reply = {
        "newRule": copy.deepcopy(rule),
        "newIndex": new_index,
        "oldRule": old,
        "oldIndex": index,
    }
    return {"updateConditionalFormatRule": _drop_zero_index(reply)}


def delete_conditional_format_rule(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deleteconditionalformatrulerequest"""
    sheet, rules, index = _existing_rule(o, body)
    old = rules.pop(index)
    if not rules:
        sheet.pop("conditionalFormats", None)
    return {"deleteConditionalFormatRule": {"rule": old}}


# ---------------------------------------------------------------- named ranges

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,249}")
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*")


def _check_named(o: Opened, named: dict[str, Any], keep: str | None = None) -> dict[str, Any]:
    name = named.get("name") or ""
    if not _NAME.fullmatch(name) or _CELL_LIKE.fullmatch(name) or name.lower() in ("true", "false"):
        raise bad_request(f"Invalid name for a named range: {name}")  # approximate wording
    for other in o.doc.get("namedRanges", []):
        if other["namedRangeId"] != keep and other["name"].lower() == name.lower():
            # Approximate wording.
            raise bad_request(f'A named range with the name "{name}" already exists.')
    stored = copy.deepcopy(named)
    stored["range"] = with_sheet_id(named.get("range"))
    range_bounds(o, stored["range"])
    return stored


def add_named_range(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addnamedrangerequest"""
    stored = _check_named(o, body.get("namedRange") or {})
    taken = {n["namedRangeId"] for n in o.doc.get("namedRanges", [])}
    if not stored.get("namedRangeId") or stored["namedRangeId"] in taken:
        stored["namedRangeId"] = str(sm.next_id(o.doc, "namedRange"))
    o.doc.setdefault("namedRanges", []).append(stored)
    return {"addNamedRange": {"namedRange": copy.deepcopy(stored)}}


def _named(o: Opened, named_range_id: Any) -> dict[str, Any]:
    for named in o.doc.get("namedRanges", []):
        if named["namedRangeId"] == named_range_id:
            return named
    raise bad_request(f"No named range with id: {named_range_id}")  # approximate wording


def update_named_range(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatenamedrangerequest"""
    given = body.get("namedRange") or {}
    mask = mask_of(body.get("fields"), "NamedRange")
    named = _named(o, given.get("namedRangeId"))
    new = updated(named, given, mask)
    new["namedRangeId"] = named["namedRangeId"]
    checked = _check_named(o, new, keep=new["namedRangeId"])  # before the old one is emptied
    named.clear()
    named.update(checked)
    return {}


def delete_named_range(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deletenamedrangerequest"""
    named = _named(o, body.get("namedRangeId"))
    o.doc["namedRanges"].remove(named)
    return {}


# ---------------------------------------------------------------- protected ranges


def _protected_sheet(o: Opened, protected: dict[str, Any]) -> sm.Sheet:
    """The sheet a ProtectedRange lives on, its range checked (a named range's, if it names one)."""
    if protected.get("namedRangeId"):
        grid_range = _named(o, protected["namedRangeId"])["range"]
        protected.pop("range", None)
    else:
        protected["range"] = grid_range = with_sheet_id(protected.get("range"))
    sheet, _ = range_bounds(o, grid_range)
    for unprotected in protected.get("unprotectedRanges", []):
        unprotected["sheetId"] = sm.sheet_id(sheet)
        range_bounds(o, unprotected)
    return sheet


def _editors(o: Opened, protected: dict[str, Any]) -> None:
    """Editors as Google keeps them: never with warningOnly; the owner always among them."""
    if protected.get("warningOnly"):
        if protected.get("editors"):
            # Approximate wording, from the field's documentation.
            raise bad_request("Editors are not supported with warningOnly protection.")
        protected.pop("editors", None)
        return
    editors = protected.setdefault("editors", {})
    users = [u.lower() for u in editors.get("users", [])] or [o.caller.lower()]
    editors["users"] = sorted({*users, o.owner.lower()})


def _requester_view(o: Opened, protected: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(protected)
    out["requestingUserCanEdit"] = protection.may_edit(protected, o.caller, o.owner)
    return out


def add_protected_range(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addprotectedrangerequest"""
    protected = copy.deepcopy(body.get("protectedRange") or {})
    protected.pop("requestingUserCanEdit", None)
    sheet = _protected_sheet(o, protected)
    _editors(o, protected)
    taken = {p["protectedRangeId"] for s in o.doc["sheets"] for p in s.get("protectedRanges", [])}
    if "protectedRangeId" not in protected or int(protected["protectedRangeId"]) in taken:
        protected["protectedRangeId"] = sm.next_id(o.doc, "protectedRange")
    sheet.setdefault("protectedRanges", []).append(protected)
    return {"addProtectedRange": {"protectedRange": _requester_view(o, protected)}}


def _find_protected(o: Opened, protected_id: Any) -> tuple[sm.Sheet, dict[str, Any]]:
    for sheet in o.doc["sheets"]:
        for protected in sheet.get("protectedRanges", []):
            if protected["protectedRangeId"] == int(protected_id or 0):
                if not protection.may_edit(protected, o.caller, o.owner):
                    raise bad_request(protection.PROTECTED_MESSAGE)
                return sheet, protected
    raise bad_request(f"No protected range with id: {protected_id}")  # approximate wording


def update_protected_range(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updateprotectedrangerequest"""
    given = body.get("protectedRange") or {}
    mask = mask_of(body.get("fields"), "ProtectedRange")
    sheet, protected = _find_protected(o, given.get("protectedRangeId"))
    new = updated(protected, given, mask)
    new["protectedRangeId"] = protected["protectedRangeId"]
    new.pop("requestingUserCanEdit", None)
    target = _protected_sheet(o, new)
    if new.get("warningOnly") and not ({"*", "editors"} & set(mask)):
        new.pop("editors", None)  # turning a protection into a warning drops its editors
    _editors(o, new)
    sheet["protectedRanges"].remove(protected)
    if not sheet["protectedRanges"]:
        del sheet["protectedRanges"]
    target.setdefault("protectedRanges", []).append(new)
    return {}


def delete_protected_range(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deleteprotectedrangerequest"""
    sheet, protected = _find_protected(o, body.get("protectedRangeId"))
    sheet["protectedRanges"].remove(protected)
    if not sheet["protectedRanges"]:
        del sheet["protectedRanges"]
    return {}


HANDLERS: dict[str, Handler] = {
    "setDataValidation": set_data_validation,
    "addConditionalFormatRule": add_conditional_format_rule,
    "updateConditionalFormatRule": update_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "addNamedRange": add_named_range,
    "updateNamedRange": update_named_range,
    "deleteNamedRange": delete_named_range,
    "addProtectedRange": add_protected_range,
    "updateProtectedRange": update_protected_range,
    "deleteProtectedRange": delete_protected_range,
}
