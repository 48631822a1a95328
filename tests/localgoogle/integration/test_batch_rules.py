"""batchUpdate rule requests: validation, conditional formats, named/protected ranges, objects."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError
from localgoogle_helpers import batch, refused

OWNER = "ann@acme.test"
BUYER = "bob@buyer.test"
PROTECTED = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to "
    "remove protection if you need to edit."
)


def _create(service: Any) -> str:
    return str(service.spreadsheets().create(body={}).execute()["spreadsheetId"])


def _share(drive: Any, sid: str, email: str, role: str = "writer") -> None:
    """Share through the Drive API; skip while the stand-in's Drive lacks permissions.create."""
    body = {"type": "user", "role": role, "emailAddress": email}
    try:
        drive(OWNER).permissions().create(
            fileId=sid, body=body, sendNotificationEmail=False
        ).execute()
    except HttpError as exc:
        if exc.status_code == 501:
            pytest.skip("Drive permissions not implemented yet")
        raise


def _sheet(service: Any, sid: str) -> dict[str, Any]:
    got: dict[str, Any] = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]
    return got


def _range(r0: int, r1: int, c0: int, c1: int, sheet_id: int = 0) -> dict[str, int]:
    # Google leaves a GridRange's sheetId out when it is 0, the proto3 default (absent reads as 0
    # in requests too): https://protobuf.dev/programming-guides/proto3/#json
    grid_range = {"sheetId": sheet_id} if sheet_id else {}
    return {
        **grid_range,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": c0,
        "endColumnIndex": c1,
    }


def _write(service: Any, sid: str, a1: str, value: str) -> Any:
    return (
        service.spreadsheets()
        .values()
        .update(spreadsheetId=sid, range=a1, valueInputOption="RAW", body={"values": [[value]]})
        .execute()
    )


def test_protected_range_blocks_non_editor_but_not_owner(sheets: Any, drive: Any) -> None:
    owner = sheets(OWNER)
    sid = _create(owner)
    reply = batch(
        owner,
        sid,
        {
            "addProtectedRange": {
                "protectedRange": {"range": _range(0, 1, 0, 5), "description": "header"}
            }
        },
    )
    protected = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    assert isinstance(protected["protectedRangeId"], int)
    assert protected["editors"] == {"users": [OWNER]}
    assert protected["requestingUserCanEdit"] is True
    _write(owner, sid, "Sheet1!A1", "Step")  # the owner may edit
    batch(
        owner,
        sid,
        {
            "repeatCell": {
                "range": _range(0, 1, 0, 1),
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
    )
    _share(drive, sid, BUYER)
    buyer = sheets(BUYER)
    edit = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 2},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}],
            "fields": "userEnteredValue",
        }
    }
    assert refused(lambda: batch(buyer, sid, edit)) == (400, PROTECTED)
    delete_header = {
        "deleteDimension": {
            "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}
        }
    }
    assert refused(lambda: batch(buyer, sid, delete_header)) == (400, PROTECTED)
    unprotect = {"deleteProtectedRange": {"protectedRangeId": protected["protectedRangeId"]}}
    assert refused(lambda: batch(buyer, sid, unprotect)) == (400, PROTECTED)
    _write(buyer, sid, "Sheet1!A2", "below the header")  # unprotected cells stay editable
    batch(owner, sid, unprotect)
    batch(buyer, sid, edit)


def test_warning_only_protection_does_not_block_and_has_no_editors(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    reply = batch(
        service,
        sid,
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0}, "warningOnly": True}}},
    )
    protected = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    assert protected["warningOnly"] is True and "editors" not in protected
    with_editors = {
        "addProtectedRange": {
            "protectedRange": {
                "range": {"sheetId": 0},
                "warningOnly": True,
                "editors": {"users": [BUYER]},
            }
        }
    }
    status, message = refused(lambda: batch(service, sid, with_editors))
    assert status == 400 and message.startswith("Invalid requests[0].addProtectedRange: ")


def test_update_protected_range_masks_fields(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    reply = batch(
        service,
        sid,
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": _range(0, 1, 0, 2),
                    "description": "header",
                    "editors": {"users": [BUYER]},
                }
            }
        },
    )
    pid = reply["replies"][0]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    batch(
        service,
        sid,
        {
            "updateProtectedRange": {
                "protectedRange": {"protectedRangeId": pid, "range": _range(0, 2, 0, 2)},
                "fields": "range",
            }
        },
    )
    (protected,) = _sheet(service, sid)["protectedRanges"]
    assert protected["range"] == _range(0, 2, 0, 2)
    assert protected["description"] == "header"
    assert protected["editors"] == {"users": sorted([OWNER, BUYER])}


def test_set_data_validation_sets_and_clears_rules(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    rule = {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": "Buyer"}, {"userEnteredValue": "Seller"}],
        },
        "strict": True,
        "showCustomUi": True,
    }
    _write(service, sid, "Sheet1!A2", "Buyer")
    batch(service, sid, {"setDataValidation": {"range": _range(1, 4, 0, 1), "rule": rule}})
    got = (
        service.spreadsheets()
        .get(spreadsheetId=sid, ranges=["Sheet1!A2:A4"], includeGridData=True)
        .execute()
    )
    rows = got["sheets"][0]["data"][0]["rowData"]
    assert [r["values"][0]["dataValidation"] for r in rows] == [rule] * 3
    assert rows[0]["values"][0]["formattedValue"] == "Buyer"
    batch(service, sid, {"setDataValidation": {"range": _range(1, 3, 0, 1)}})
    got = (
        service.spreadsheets()
        .get(spreadsheetId=sid, ranges=["Sheet1!A2:A4"], includeGridData=True)
        .execute()
    )
    rows = got["sheets"][0]["data"][0]["rowData"]
    assert "dataValidation" not in rows[0]["values"][0]
    assert rows[2]["values"][0]["dataValidation"] == rule


def _rule(r0: int, r1: int, color: str) -> dict[str, Any]:
    return {
        "ranges": [_range(r0, r1, 0, 3)],
        "booleanRule": {
            "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "Blocked"}]},
            # Both colour twins, as Google answers them.
            "format": {
                "backgroundColor": {color: 1},
                "backgroundColorStyle": {"rgbColor": {color: 1}},
            },
        },
    }


def test_conditional_format_rules_add_update_and_delete(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    batch(
        service,
        sid,
        {"addConditionalFormatRule": {"rule": _rule(0, 5, "red")}},
        {"addConditionalFormatRule": {"rule": _rule(5, 9, "green"), "index": 0}},
    )
    rules = _sheet(service, sid)["conditionalFormats"]
    assert [r["ranges"][0]["endRowIndex"] for r in rules] == [9, 5]
    moved = batch(
        service, sid, {"updateConditionalFormatRule": {"sheetId": 0, "index": 0, "newIndex": 1}}
    )
    assert moved["replies"][0]["updateConditionalFormatRule"]["newIndex"] == 1
    assert "oldIndex" not in moved["replies"][0]["updateConditionalFormatRule"]
    replaced = batch(
        service,
        sid,
        {"updateConditionalFormatRule": {"sheetId": 0, "index": 1, "rule": _rule(0, 2, "blue")}},
    )
    assert replaced["replies"][0]["updateConditionalFormatRule"]["oldRule"] == _rule(5, 9, "green")
    deleted = batch(service, sid, {"deleteConditionalFormatRule": {"sheetId": 0, "index": 0}})
    assert deleted["replies"][0]["deleteConditionalFormatRule"]["rule"] == _rule(0, 5, "red")
    assert _sheet(service, sid)["conditionalFormats"] == [_rule(0, 2, "blue")]
    missing = {"deleteConditionalFormatRule": {"sheetId": 0, "index": 4}}
    status, message = refused(lambda: batch(service, sid, missing))
    assert status == 400 and message.startswith("Invalid requests[0].deleteConditionalFormatRule")


def test_named_ranges_add_and_delete(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    reply = batch(
        service,
        sid,
        {"addNamedRange": {"namedRange": {"name": "Steps", "range": _range(1, 9, 0, 9)}}},
    )
    named = reply["replies"][0]["addNamedRange"]["namedRange"]
    assert named["name"] == "Steps" and named["namedRangeId"]
    got = service.spreadsheets().get(spreadsheetId=sid).execute()
    assert got["namedRanges"] == [named]
    duplicate = {"addNamedRange": {"namedRange": {"name": "steps", "range": _range(0, 1, 0, 1)}}}
    assert refused(lambda: batch(service, sid, duplicate))[0] == 400
    batch(service, sid, {"deleteNamedRange": {"namedRangeId": named["namedRangeId"]}})
    assert "namedRanges" not in service.spreadsheets().get(spreadsheetId=sid).execute()


def test_developer_metadata_create_update_delete(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    reply = batch(
        service,
        sid,
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "map.version",
                    "metadataValue": "1",
                    "location": {"spreadsheet": True},
                    "visibility": "DOCUMENT",
                }
            }
        },
    )
    meta = reply["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    assert meta["location"] == {"spreadsheet": True, "locationType": "SPREADSHEET"}
    lookup = {"developerMetadataLookup": {"metadataKey": "map.version"}}
    updated = batch(
        service,
        sid,
        {
            "updateDeveloperMetadata": {
                "dataFilters": [lookup],
                "developerMetadata": {"metadataValue": "2"},
                "fields": "metadataValue",
            }
        },
    )
    (changed,) = updated["replies"][0]["updateDeveloperMetadata"]["developerMetadata"]
    assert changed["metadataValue"] == "2" and changed["metadataId"] == meta["metadataId"]
    deleted = batch(service, sid, {"deleteDeveloperMetadata": {"dataFilter": lookup}})
    assert deleted["replies"][0]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"] == [changed]
    assert "developerMetadata" not in service.spreadsheets().get(spreadsheetId=sid).execute()


def test_charts_banding_and_basic_filter(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    spec = {
        "title": "Steps by status",
        "basicChart": {
            "chartType": "COLUMN",
            "domains": [{"domain": {"sourceRange": {"sources": [_range(0, 10, 0, 1)]}}}],
        },
    }
    position = {"overlayPosition": {"anchorCell": {"sheetId": 0, "rowIndex": 2, "columnIndex": 4}}}
    reply = batch(
        service,
        sid,
        {"addChart": {"chart": {"spec": spec, "position": position}}},
        {
            "addBanding": {
                "bandedRange": {
                    "range": _range(0, 10, 0, 3),
                    "rowProperties": {"firstBandColor": {"red": 1}},
                }
            }
        },
        {"setBasicFilter": {"filter": {"range": _range(0, 10, 0, 3)}}},
    )
    chart = reply["replies"][0]["addChart"]["chart"]
    banded = reply["replies"][1]["addBanding"]["bandedRange"]
    assert isinstance(chart["chartId"], int) and isinstance(banded["bandedRangeId"], int)
    batch(
        service,
        sid,
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}
            }
        },
        {"updateChartSpec": {"chartId": chart["chartId"], "spec": {**spec, "title": "Status"}}},
    )
    sheet = _sheet(service, sid)
    (stored,) = sheet["charts"]
    assert stored["spec"]["title"] == "Status"
    assert stored["position"]["overlayPosition"]["anchorCell"]["rowIndex"] == 3
    assert sheet["bandedRanges"][0]["range"] == _range(1, 11, 0, 3)
    assert sheet["basicFilter"]["range"] == _range(1, 11, 0, 3)
    batch(
        service,
        sid,
        {"deleteEmbeddedObject": {"objectId": chart["chartId"]}},
        {"deleteBanding": {"bandedRangeId": banded["bandedRangeId"]}},
        {"clearBasicFilter": {"sheetId": 0}},
    )
    sheet = _sheet(service, sid)
    assert not {"charts", "bandedRanges", "basicFilter"} & set(sheet)
    gone = {"deleteEmbeddedObject": {"objectId": chart["chartId"]}}
    assert refused(lambda: batch(service, sid, gone))[0] == 400


def test_chart_on_a_new_sheet(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    reply = batch(
        service,
        sid,
        {"addChart": {"chart": {"spec": {"title": "T"}, "position": {"newSheet": True}}}},
    )
    chart = reply["replies"][0]["addChart"]["chart"]
    got = service.spreadsheets().get(spreadsheetId=sid).execute()
    chart_sheet = got["sheets"][1]
    assert chart_sheet["properties"]["sheetType"] == "OBJECT"
    assert chart["position"] == {"sheetId": chart_sheet["properties"]["sheetId"]}


def test_banding_with_a_given_id_keeps_it_and_refuses_it_twice(sheets: Any) -> None:
    """AddBandingRequest: "The bandedRangeId field is optional; if one is not set, an id will be
    randomly generated. (It is an error to specify the ID of a range that already exists.)"
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addbandingrequest
    """
    service = sheets(OWNER)
    sid = _create(service)
    add = {"addBanding": {"bandedRange": {"bandedRangeId": 8000, "range": _range(0, 5, 0, 2)}}}
    reply = batch(service, sid, add)
    assert reply["replies"][0]["addBanding"]["bandedRange"]["bandedRangeId"] == 8000
    again = {"addBanding": {"bandedRange": {"bandedRangeId": 8000, "range": _range(9, 12, 0, 2)}}}
    assert refused(lambda: batch(service, sid, again))[0] == 400
    fit = {"bandedRange": {"bandedRangeId": 8000, "range": _range(0, 2, 0, 2)}, "fields": "range"}
    batch(service, sid, {"updateBanding": fit})
    (banded,) = _sheet(service, sid)["bandedRanges"]
    assert banded["bandedRangeId"] == 8000 and banded["range"] == _range(0, 2, 0, 2)


def test_update_embedded_object_position_changes_the_masked_fields(sheets: Any) -> None:
    """UpdateEmbeddedObjectPositionRequest: "fields: The fields of OverlayPosition that should be
    updated when setting a new position ... at least one field must be specified."
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updateembeddedobjectpositionrequest
    """
    service = sheets(OWNER)
    sid = _create(service)
    anchor = {"sheetId": 0, "rowIndex": 1, "columnIndex": 4}
    overlay = {"anchorCell": anchor, "widthPixels": 600, "heightPixels": 371}
    chart = {"chartId": 7003, "spec": {"title": "T"}, "position": {"overlayPosition": overlay}}
    batch(service, sid, {"addChart": {"chart": chart}})
    # AddChartRequest: "It is an error to specify the ID of an embedded object that already
    # exists." https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addchartrequest
    assert refused(lambda: batch(service, sid, {"addChart": {"chart": chart}}))[0] == 400
    taller = {**overlay, "heightPixels": 900, "widthPixels": 10, "anchorCell": {"sheetId": 0}}
    move = {"objectId": 7003, "newPosition": {"overlayPosition": taller}}
    reply = batch(
        service, sid, {"updateEmbeddedObjectPosition": {**move, "fields": "heightPixels"}}
    )
    position = reply["replies"][0]["updateEmbeddedObjectPosition"]["position"]
    assert position["overlayPosition"]["heightPixels"] == 900
    assert position["overlayPosition"]["widthPixels"] == 600  # not in the mask: kept
    (stored,) = _sheet(service, sid)["charts"]
    assert stored["position"]["overlayPosition"]["anchorCell"]["columnIndex"] == 4
    assert stored["position"]["overlayPosition"]["heightPixels"] == 900
    assert refused(lambda: batch(service, sid, {"updateEmbeddedObjectPosition": move}))[0] == 400
    unknown = {"updateEmbeddedObjectPosition": {**move, "objectId": 1, "fields": "heightPixels"}}
    assert refused(lambda: batch(service, sid, unknown))[0] == 400


def test_a_cells_one_link_is_its_hyperlink(sheets: Any) -> None:
    """CellData.hyperlink: "To set it, use a =HYPERLINK formula in the
    userEnteredValue.formulaValue field. A cell-level link can also be set from the
    userEnteredFormat.textFormat field. Alternatively, set a hyperlink in the
    textFormatRun.format.linkUri field that covers the entire cell."
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData
    """
    service = sheets(OWNER)
    sid = _create(service)
    link = {"textFormat": {"link": {"uri": "https://b.example/plan"}}}
    run = {"startIndex": 0, "format": {"link": {"uri": "https://c.example/plan"}}}
    rows = [
        {"userEnteredValue": {"formulaValue": '=HYPERLINK("https://a.example/plan","A")'}},
        {"userEnteredValue": {"stringValue": "B"}, "userEnteredFormat": link},
        {"userEnteredValue": {"stringValue": "C"}, "textFormatRuns": [run]},
        {"userEnteredValue": {"stringValue": "no link"}},
    ]
    fields = "userEnteredValue,userEnteredFormat.textFormat.link,textFormatRuns"
    start = {"sheetId": 0, "rowIndex": 0, "columnIndex": 0}
    batch(
        service,
        sid,
        {"updateCells": {"rows": [{"values": rows}], "fields": fields, "start": start}},
    )
    got = (
        service.spreadsheets()
        .get(spreadsheetId=sid, ranges=["A1:D1"], fields="sheets.data.rowData.values.hyperlink")
        .execute()
    )
    cells = got["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert [cell.get("hyperlink") for cell in cells] == [
        "https://a.example/plan",
        "https://b.example/plan",
        "https://c.example/plan",
        None,
    ]
