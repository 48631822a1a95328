"""Request bodies and query strings checked against the shipped discovery documents.

Expected wordings are those of Google's front end, which parses bodies with the proto3 JSON
mapping (https://protobuf.dev/programming-guides/proto3/#json).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from localgoogle import discovery
from localgoogle.errors import ApiError
from localgoogle.schema import validate_body, validate_query, validate_value

BATCH_UPDATE = "sheets.spreadsheets.batchUpdate"
CREATE = "sheets.spreadsheets.create"
VALUES_UPDATE = "sheets.spreadsheets.values.update"


def rejection(method_id: str, body: object) -> ApiError:
    """The ApiError validate_body raises for `body`."""
    with pytest.raises(ApiError) as caught:
        validate_body(method_id, body)
    return caught.value


def query_rejection(method_id: str, args: dict[str, list[str]]) -> ApiError:
    """The ApiError validate_query raises for `args`."""
    with pytest.raises(ApiError) as caught:
        validate_query(method_id, args)
    return caught.value


def grid_range(sheet_id: int = 0) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": 0,
        "endRowIndex": 10,
        "startColumnIndex": 0,
        "endColumnIndex": 4,
    }


def full_spreadsheet() -> dict[str, Any]:
    """A spreadsheets.create body touching most of the Spreadsheet schema."""
    return {
        "properties": {
            "title": "Mutual action plan",
            "locale": "en_US",
            "timeZone": "Europe/Berlin",
            "autoRecalc": "ON_CHANGE",
            "defaultFormat": {"textFormat": {"fontFamily": "Arial", "fontSize": 10}},
        },
        "sheets": [
            {
                "properties": {
                    "sheetId": 0,
                    "title": "Plan",
                    "index": 0,
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": 100, "columnCount": 8, "frozenRowCount": 1},
                    "tabColorStyle": {"rgbColor": {"red": 0.2, "green": 0.4, "blue": 0.6}},
                },
                "data": [
                    {
                        "startRow": 0,
                        "startColumn": 0,
                        "rowData": [
                            {
                                "values": [
                                    {"userEnteredValue": {"stringValue": "Step"}},
                                    {
                                        "userEnteredValue": {"numberValue": 3.5},
                                        "userEnteredFormat": {
                                            "numberFormat": {"type": "NUMBER", "pattern": "0.00"},
                                            "backgroundColor": {"red": 1, "green": 1, "blue": 1},
                                            "horizontalAlignment": "CENTER",
                                            "textFormat": {"bold": True},
                                        },
                                        "note": "estimate",
                                    },
                                    {"userEnteredValue": {"boolValue": False}},
                                    {"userEnteredValue": {"formulaValue": "=B1*2"}},
                                ]
                            }
                        ],
                        "rowMetadata": [{"pixelSize": 21, "hiddenByUser": False}],
                        "columnMetadata": [{"pixelSize": 120}],
                    }
                ],
                "conditionalFormats": [
                    {
                        "ranges": [grid_range()],
                        "booleanRule": {
                            "condition": {
                                "type": "TEXT_EQ",
                                "values": [{"userEnteredValue": "Done"}],
                            },
                            "format": {"backgroundColor": {"green": 0.9}},
                        },
                    },
                    {
                        "ranges": [grid_range()],
                        "gradientRule": {
                            "minpoint": {"type": "MIN", "color": {"red": 1}},
                            "maxpoint": {"type": "MAX", "color": {"green": 1}},
                        },
                    },
                ],
                "protectedRanges": [
                    {
                        "range": grid_range(),
                        "description": "header",
                        "warningOnly": False,
                        "editors": {"users": ["owner@example.com"], "domainUsersCanEdit": False},
                    }
                ],
                "developerMetadata": [
                    {
                        "metadataId": 7,
                        "metadataKey": "map.plan",
                        "metadataValue": "v1",
                        "location": {"sheetId": 0},
                        "visibility": "DOCUMENT",
                    }
                ],
                "merges": [grid_range()],
                "basicFilter": {"range": grid_range(), "sortSpecs": [{"sortOrder": "ASCENDING"}]},
            }
        ],
        "namedRanges": [{"namedRangeId": "n1", "name": "Steps", "range": grid_range()}],
        "developerMetadata": [
            {"metadataKey": "map.version", "metadataValue": "1", "visibility": "PROJECT"}
        ],
    }


def with_validation(body: dict[str, Any]) -> dict[str, Any]:
    """`body` with a dataValidation rule on its second cell."""
    cell = body["sheets"][0]["data"][0]["rowData"][0]["values"][1]
    cell["dataValidation"] = {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": "Open"}, {"userEnteredValue": "Done"}],
        },
        "strict": True,
        "showCustomUi": True,
        "inputMessage": "Pick a status",
    }
    return body


def chart_batch_update() -> dict[str, Any]:
    """A batchUpdate body with addSheet, updateCells, repeatCell, appendCells and addChart."""

    def source() -> dict[str, Any]:
        return {"sourceRange": {"sources": [grid_range(5)]}}

    return {
        "requests": [
            {
                "addSheet": {
                    "properties": {
                        "sheetId": 5,
                        "title": "Actions",
                        "gridProperties": {"rowCount": 50, "columnCount": 6},
                    }
                }
            },
            {
                "updateCells": {
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": "Owner"}}]}],
                    "fields": "userEnteredValue",
                    "start": {"sheetId": 5, "rowIndex": 0, "columnIndex": 0},
                }
            },
            {
                "repeatCell": {
                    "range": grid_range(5),
                    "cell": {"userEnteredFormat": {"textFormat": {"italic": True}}},
                    "fields": "userEnteredFormat.textFormat.italic",
                }
            },
            {
                "appendCells": {
                    "sheetId": 5,
                    "rows": [{"values": [{"userEnteredValue": {"numberValue": 1}}]}],
                    "fields": "*",
                }
            },
            {
                "addChart": {
                    "chart": {
                        "spec": {
                            "title": "Progress",
                            "basicChart": {
                                "chartType": "COLUMN",
                                "legendPosition": "BOTTOM_LEGEND",
                                "axis": [{"position": "BOTTOM_AXIS", "title": "Step"}],
                                "domains": [{"domain": source()}],
                                "series": [{"series": source(), "targetAxis": "LEFT_AXIS"}],
                                "headerCount": 1,
                            },
                        },
                        "position": {
                            "overlayPosition": {
                                "anchorCell": {"sheetId": 5, "rowIndex": 2, "columnIndex": 2},
                                "widthPixels": 600,
                                "heightPixels": 371,
                            }
                        },
                    }
                }
            },
        ],
        "includeSpreadsheetInResponse": False,
        "responseIncludeGridData": False,
    }


# --- real payloads pass -------------------------------------------------------------------------


def test_full_spreadsheet_create_body_is_accepted() -> None:
    validate_body(CREATE, with_validation(full_spreadsheet()))


def test_batch_update_with_sheet_cells_and_chart_requests_is_accepted() -> None:
    validate_body(BATCH_UPDATE, chart_batch_update())


def test_values_batch_update_body_is_accepted() -> None:
    validate_body(
        "sheets.spreadsheets.values.batchUpdate",
        {
            "valueInputOption": "USER_ENTERED",
            "data": [
                {"range": "Plan!A1:C2", "majorDimension": "ROWS", "values": [["a", 1, True]]},
                {"range": "Plan!D1", "values": [[None, 2.5, "=A1"]]},
            ],
            "includeValuesInResponse": True,
            "responseValueRenderOption": "FORMATTED_VALUE",
        },
    )


def test_drive_files_copy_body_is_accepted() -> None:
    validate_body(
        "drive.files.copy",
        {
            "name": "Plan for Acme",
            "parents": ["folder-1"],
            "mimeType": "application/vnd.google-apps.spreadsheet",
            "appProperties": {"mapTemplate": "standard"},
            "description": None,
            "copyRequiresWriterPermission": False,
        },
    )


def test_drive_permissions_create_body_is_accepted() -> None:
    validate_body(
        "drive.permissions.create",
        {"type": "user", "role": "writer", "emailAddress": "buyer@example.com"},
    )


def test_missing_body_counts_as_empty_message() -> None:
    validate_body(CREATE, None)
    validate_body(CREATE, {})


def test_null_fields_count_as_absent() -> None:
    validate_body(CREATE, {"properties": None, "sheets": None})


def test_method_without_request_schema_ignores_body() -> None:
    validate_body("sheets.spreadsheets.get", {"anything": 1})


# --- unknown names -----------------------------------------------------------------------------


def test_unknown_top_level_field_is_rejected_without_path() -> None:
    error = rejection(CREATE, {"foo": 1})
    assert error.code == 400
    assert error.message == 'Invalid JSON payload received. Unknown name "foo": Cannot find field.'


def test_unknown_field_in_nested_request_names_its_path() -> None:
    body = chart_batch_update()
    body["requests"][0]["addSheet"]["foo"] = 1
    assert rejection(BATCH_UPDATE, body).message == (
        "Invalid JSON payload received. Unknown name \"foo\" at 'requests[0].add_sheet': "
        "Cannot find field."
    )


def test_unknown_field_deep_in_cell_data_uses_snake_case_path() -> None:
    body = full_spreadsheet()
    body["sheets"][0]["properties"]["gridProperties"]["rowcount"] = 5
    assert rejection(CREATE, body).message == (
        'Invalid JSON payload received. Unknown name "rowcount" at '
        "'sheets[0].properties.grid_properties': Cannot find field."
    )


def test_non_object_body_is_rejected_as_root_error() -> None:
    assert rejection(CREATE, [1]).message == (
        'Invalid JSON payload received. Unknown name "": Root element must be a message.'
    )


def test_list_for_singular_field_cannot_start_list() -> None:
    body = {"requests": [{"addSheet": {"properties": [{"title": "x"}]}}]}
    assert rejection(BATCH_UPDATE, body).message == (
        "Invalid JSON payload received. Unknown name \"properties\" at 'requests[0].add_sheet': "
        "Proto field is not repeating, cannot start list."
    )


def test_proto_field_name_is_reported_as_unimplemented() -> None:
    error = rejection(BATCH_UPDATE, {"requests": [{"add_sheet": {}}]})
    assert error.code == 501
    assert '"addSheet"' in error.message


# --- scalar types ------------------------------------------------------------------------------


def add_sheet_with(**properties: object) -> dict[str, Any]:
    return {"requests": [{"addSheet": {"properties": properties}}]}


def test_int32_rejects_non_numeric_string() -> None:
    assert rejection(BATCH_UPDATE, add_sheet_with(index="abc")).message == (
        "Invalid value at 'requests[0].add_sheet.properties.index' (TYPE_INT32), \"abc\""
    )


def test_int32_accepts_numeric_string() -> None:
    validate_body(BATCH_UPDATE, add_sheet_with(index="5", sheetId=-1))


def test_int32_accepts_integral_float_and_rejects_fraction() -> None:
    validate_body(BATCH_UPDATE, add_sheet_with(index=2.0))
    assert rejection(BATCH_UPDATE, add_sheet_with(index=1.5)).message.endswith("(TYPE_INT32), 1.5")


def test_int32_rejects_bool_and_out_of_range() -> None:
    assert rejection(BATCH_UPDATE, add_sheet_with(index=True)).message.endswith(
        "(TYPE_INT32), true"
    )
    assert rejection(BATCH_UPDATE, add_sheet_with(index=2**31)).message.endswith(
        f"(TYPE_INT32), {2**31}"
    )


def test_string_rejects_number() -> None:
    assert rejection(BATCH_UPDATE, add_sheet_with(title=5)).message == (
        "Invalid value at 'requests[0].add_sheet.properties.title' (TYPE_STRING), 5"
    )


def test_bool_accepts_only_json_booleans() -> None:
    validate_body(BATCH_UPDATE, add_sheet_with(hidden=True))
    assert rejection(BATCH_UPDATE, add_sheet_with(hidden="true")).message == (
        "Invalid value at 'requests[0].add_sheet.properties.hidden' (TYPE_BOOL), \"true\""
    )


def test_double_accepts_numbers_numeric_strings_and_special_words() -> None:
    for number in (1, 0.25, "0.5", "-1e3", "NaN", "Infinity", "-Infinity"):
        validate_body(
            CREATE, {"properties": {"defaultFormat": {"backgroundColor": {"red": number}}}}
        )


def test_double_rejects_words_and_booleans() -> None:
    for bad, shown in (("lots", '"lots"'), (False, "false")):
        body = {"properties": {"defaultFormat": {"backgroundColor": {"red": bad}}}}
        assert rejection(CREATE, body).message == (
            "Invalid value at 'properties.default_format.background_color.red' (TYPE_FLOAT), "
            + shown
        )


def test_int64_string_accepts_json_integers() -> None:
    validate_body("drive.files.copy", {"quotaBytesUsed": 1024})
    validate_body("drive.files.copy", {"quotaBytesUsed": "1024"})
    assert rejection("drive.files.copy", {"quotaBytesUsed": "1k"}).message == (
        "Invalid value at 'quota_bytes_used' (TYPE_INT64), \"1k\""
    )


def test_object_given_to_scalar_field_is_rejected() -> None:
    assert rejection(BATCH_UPDATE, add_sheet_with(title={"a": 1})).message == (
        "Invalid value at 'requests[0].add_sheet.properties.title' (TYPE_STRING), "
        "Starting an object on a scalar field"
    )


def test_scalar_given_to_message_field_names_the_message_type() -> None:
    body = add_sheet_with(gridProperties=7)
    assert rejection(BATCH_UPDATE, body).message == (
        "Invalid value at 'requests[0].add_sheet.properties.grid_properties' "
        "(type.googleapis.com/google.apps.sheets.v4.GridProperties), 7"
    )


def test_drive_errors_use_drive_proto_package() -> None:
    error = rejection("drive.files.copy", {"contentRestrictions": [5]})
    assert error.message == (
        "Invalid value at 'content_restrictions[0]' "
        "(type.googleapis.com/google.apps.drive.v3.ContentRestriction), 5"
    )
    assert error.body("drive")["error"]["errors"][0]["reason"] == "badRequest"


# --- enums, arrays, maps, any -------------------------------------------------------------------


def test_enum_rejects_value_outside_enum() -> None:
    body = {
        "requests": [
            {"insertDimension": {"range": {"sheetId": 0, "dimension": "DIAGONAL"}}},
        ]
    }
    assert rejection(BATCH_UPDATE, body).message == (
        "Invalid value at 'requests[0].insert_dimension.range.dimension' "
        '(type.googleapis.com/google.apps.sheets.v4.DimensionRange.Dimension), "DIAGONAL"'
    )


def test_enum_rejects_numbers() -> None:
    error = rejection(BATCH_UPDATE, add_sheet_with(sheetType=1))
    assert error.message.endswith(
        "(type.googleapis.com/google.apps.sheets.v4.SheetProperties.SheetType), 1"
    )


def test_array_elements_are_validated_with_their_index() -> None:
    body = full_spreadsheet()
    body["sheets"][0]["merges"].append({"sheetId": "zero"})
    assert rejection(CREATE, body).message == (
        "Invalid value at 'sheets[0].merges[1].sheet_id' (TYPE_INT32), \"zero\""
    )


def test_array_field_rejects_non_list() -> None:
    assert rejection(BATCH_UPDATE, {"requests": {"addSheet": {}}}).message == (
        "Invalid value at 'requests' (type.googleapis.com/google.apps.sheets.v4.Request), "
        '{"addSheet":{}}'
    )


def test_null_array_element_is_rejected() -> None:
    assert rejection(BATCH_UPDATE, {"requests": [None]}).message == (
        "Invalid value at 'requests[0]' (type.googleapis.com/google.apps.sheets.v4.Request), null"
    )


def test_value_range_rows_must_be_lists_but_cells_may_be_anything() -> None:
    validate_body(VALUES_UPDATE, {"values": [[1, "a", None, True, {"odd": 1}]]})
    assert rejection(VALUES_UPDATE, {"values": ["Valid"]}).message == (
        # values.update binds its body to the request field `data` (recorded Google answer).
        "Invalid value at 'data.values[0]' (type.googleapis.com/google.protobuf.ListValue), "
        '"Valid"'
    )


def test_map_values_are_validated_by_additional_properties() -> None:
    validate_body("drive.files.copy", {"properties": {"a": "1", "b": None}})
    assert rejection("drive.files.copy", {"properties": {"a": "1", "b": 2}}).message == (
        "Invalid value at 'properties[1].value' (TYPE_STRING), 2"
    )


def test_deeply_nested_schema_reports_full_path() -> None:
    # GridRange sits under ChartSourceRange -> ChartData -> BasicChartSeries -> BasicChartSpec.
    request = chart_batch_update()
    series = request["requests"][4]["addChart"]["chart"]["spec"]["basicChart"]["series"][0]
    series["series"]["sourceRange"]["sources"][0]["endRowIndex"] = "ten"
    assert rejection(BATCH_UPDATE, request).message == (
        "Invalid value at 'requests[4].add_chart.chart.spec.basic_chart.series[0].series"
        '.source_range.sources[0].end_row_index\' (TYPE_INT32), "ten"'
    )


def test_recursive_schema_validates_deeply(monkeypatch: pytest.MonkeyPatch) -> None:
    # The shipped documents have no self-referencing schema today; a synthetic one stands in.
    node = {
        "type": "object",
        "properties": {"label": {"type": "string"}, "child": {"$ref": "Node"}},
    }
    real_schema = discovery.schema
    monkeypatch.setattr(
        discovery, "schema", lambda api, name: node if name == "Node" else real_schema(api, name)
    )
    tree: dict[str, Any] = {"label": "leaf"}
    for depth in range(60):
        tree = {"label": f"level {depth}", "child": tree}
    validate_value("sheets", {"$ref": "Node"}, tree, "")
    leaf = tree
    for _ in range(3):
        leaf = leaf["child"]
    leaf["label"] = 3
    with pytest.raises(ApiError) as caught:
        validate_value("sheets", {"$ref": "Node"}, tree, "root")
    assert (
        caught.value.message == "Invalid value at 'root.child.child.child.label' (TYPE_STRING), 3"
    )


def test_validate_value_checks_a_fragment_against_a_named_schema() -> None:
    validate_value("sheets", {"$ref": "GridRange"}, grid_range(), "range")
    with pytest.raises(ApiError) as caught:
        validate_value("sheets", {"$ref": "GridRange"}, {"sheetId": []}, "range")
    assert "Unknown name \"sheetId\" at 'range'" in caught.value.message


def test_validation_does_not_mutate_the_body() -> None:
    body = with_validation(full_spreadsheet())
    snapshot = copy.deepcopy(body)
    validate_body(CREATE, body)
    assert body == snapshot


# --- query strings ------------------------------------------------------------------------------


def test_query_accepts_client_library_and_gspread_parameters() -> None:
    validate_query("sheets.spreadsheets.get", {"alt": ["json"], "includeGridData": ["false"]})
    validate_query(
        "sheets.spreadsheets.values.batchGet",
        {"ranges": ["A1:B2", "Plan!C3"], "valueRenderOption": ["UNFORMATTED_VALUE"]},
    )
    validate_query(VALUES_UPDATE, {"valueInputOption": ["USER_ENTERED"], "alt": ["json"]})
    validate_query("drive.files.copy", {"supportsAllDrives": ["True"], "fields": ["id"]})
    validate_query(
        "drive.files.list",
        {"q": ["name = 'x'"], "pageSize": ["100"], "prettyPrint": ["false"], "$.xgafv": ["2"]},
    )


def test_query_accepts_werkzeug_style_single_strings_and_repeats_of_singular_params() -> None:
    validate_query(VALUES_UPDATE, {"valueInputOption": "RAW"})
    validate_query("sheets.spreadsheets.get", {"includeGridData": ["true", "false"]})


def test_unknown_query_parameter_is_rejected() -> None:
    error = query_rejection("sheets.spreadsheets.get", {"foo": ["1"]})
    assert error.code == 400
    assert error.message == (
        'Invalid JSON payload received. Unknown name "foo": Cannot bind query parameter. '
        "Field 'foo' could not be found in request message."
    )


def test_query_enum_outside_enum_is_rejected() -> None:
    error = query_rejection(VALUES_UPDATE, {"valueInputOption": ["BOGUS"]})
    assert error.message == (
        "Invalid value at 'value_input_option' "
        '(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "BOGUS"'
    )


def test_query_integer_and_boolean_are_type_checked() -> None:
    error = query_rejection("drive.files.list", {"pageSize": ["many"]})
    assert error.message == "Invalid value at 'page_size' (TYPE_INT32), \"many\""
    assert error.location == "pageSize"
    error = query_rejection("sheets.spreadsheets.get", {"includeGridData": ["yes"]})
    assert error.message == "Invalid value at 'include_grid_data' (TYPE_BOOL), \"yes\""


def test_values_update_without_value_input_option_is_rejected() -> None:
    for method_id in (VALUES_UPDATE, "sheets.spreadsheets.values.append"):
        error = query_rejection(method_id, {"alt": ["json"]})
        assert error.message == "'valueInputOption' is required but not specified"


def test_values_batch_update_query_leaves_value_input_option_to_the_handler() -> None:
    validate_query("sheets.spreadsheets.values.batchUpdate", {"alt": ["json"]})


def test_drive_required_query_parameter_is_named_in_location() -> None:
    error = query_rejection("drive.files.export", {})
    assert error.message == "Required parameter: mimeType"
    assert error.body("drive")["error"]["errors"][0] == {
        "message": "Required parameter: mimeType",
        "domain": "global",
        "reason": "required",
        "location": "mimeType",
        "locationType": "parameter",
    }


# --- discovery ----------------------------------------------------------------------------------


def test_discovery_document_is_loaded_once() -> None:
    assert discovery.document("sheets") is discovery.document("sheets")


def test_method_lookup_returns_http_method_path_and_request() -> None:
    found = discovery.method("sheets.spreadsheets.values.batchUpdate")
    assert found["httpMethod"] == "POST"
    assert found["path"] == "v4/spreadsheets/{spreadsheetId}/values:batchUpdate"
    assert discovery.request_schema_name("sheets.spreadsheets.values.batchUpdate") == (
        "BatchUpdateValuesRequest"
    )
    assert discovery.request_schema_name("drive.files.get") is None


def test_unknown_method_and_schema_raise_key_error() -> None:
    with pytest.raises(KeyError):
        discovery.method("sheets.spreadsheets.frobnicate")
    with pytest.raises(KeyError):
        discovery.schema("drive", "NoSuchSchema")


def test_parameter_spec_includes_common_parameters() -> None:
    spec = discovery.parameter_spec("sheets.spreadsheets.values.batchGet")
    common = {"alt", "fields", "key", "prettyPrint", "quotaUser", "access_token", "$.xgafv"}
    common |= {"callback", "oauth_token", "upload_protocol", "uploadType"}
    assert common <= set(spec)
    assert spec["ranges"]["repeated"] is True


@pytest.mark.parametrize("api", ["sheets", "drive"])
def test_every_schema_reachable_from_request_schemas_resolves(api: str) -> None:
    roots = {
        name
        for method_id in discovery.method_ids(api)
        if (name := discovery.request_schema_name(method_id)) is not None
    }
    reachable = discovery.reachable_schemas(api, roots)
    assert roots <= reachable
    assert ("Request" in reachable) if api == "sheets" else ("Permission" in reachable)
