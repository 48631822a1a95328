"""Checking request bodies and query strings against the discovery documents.

Google's front end (ESF) turns the JSON body into the method's request proto with the proto3 JSON
mapping (https://protobuf.dev/programming-guides/proto3/#json) and answers 400 INVALID_ARGUMENT in
the wording of protobuf's JSON parser (`Invalid JSON payload received. Unknown name ...`,
`Invalid value at '<path>' (<type>), <value>`), with paths in proto (snake_case) field names.
Here the discovery schema stands in for the proto descriptor. Only the first error is reported;
Google lists them all, joined by "\\n".
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from localgoogle import discovery
from localgoogle.errors import ApiError, bad_request, not_implemented

# API short name -> proto package, used in `type.googleapis.com/<package>.<Message>` type names.
PROTO_PACKAGES: dict[str, str] = {
    "sheets": "google.apps.sheets.v4",
    "drive": "google.apps.drive.v3",
    "cloudtasks": "google.cloud.tasks.v2",
}

# Query parameters Google's backends require although the discovery document does not mark them
# `required` (observed answer: "'valueInputOption' is required but not specified").
SERVICE_REQUIRED_QUERY: dict[str, tuple[str, ...]] = {
    "sheets.spreadsheets.values.update": ("valueInputOption",),
    "sheets.spreadsheets.values.append": ("valueInputOption",),
}

_INT_RE = re.compile(r"-?\d+")
_NUMBER_RE = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_NUMBER_WORDS = frozenset({"NaN", "Infinity", "-Infinity"})
_INT_RANGES: dict[str, tuple[int, int]] = {
    "TYPE_INT32": (-(2**31), 2**31 - 1),
    "TYPE_UINT32": (0, 2**32 - 1),
    "TYPE_INT64": (-(2**63), 2**63 - 1),
    "TYPE_UINT64": (0, 2**64 - 1),
}
# Discovery string formats that are well-known proto messages carried as JSON strings.
_WELL_KNOWN_STRINGS: dict[str, str] = {
    "google-datetime": "type.googleapis.com/google.protobuf.Timestamp",
    "date-time": "type.googleapis.com/google.protobuf.Timestamp",
    "google-duration": "type.googleapis.com/google.protobuf.Duration",
    "google-fieldmask": "type.googleapis.com/google.protobuf.FieldMask",
}


def snake_case(name: str) -> str:
    """The proto field name of a lowerCamelCase JSON name: "addSheet" -> "add_sheet"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def pascal_case(name: str) -> str:
    """A JSON name as a proto type name: "valueInputOption" -> "ValueInputOption"."""
    letters = re.sub(r"[^A-Za-z0-9]", "", name)
    return letters[:1].upper() + letters[1:]


def _join(path: str, segment: str) -> str:
    return f"{path}.{segment}" if path else segment


def _show(value: object) -> str:
    """A JSON value as Google prints it in messages: strings quoted, numbers plain."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=True)


def unknown_name(name: str, path: str, detail: str = "Cannot find field.") -> ApiError:
    """`Invalid JSON payload received. Unknown name "x" at 'path': <detail>` as a 400."""
    where = f" at '{path}'" if path else ""
    error = bad_request(f'Invalid JSON payload received. Unknown name "{name}"{where}: {detail}')
    return error.violates(path)


def invalid_value(path: str, type_name: str, shown: str) -> ApiError:
    """`Invalid value at 'path' (TYPE), value` as a 400."""
    return bad_request(f"Invalid value at '{path}' ({type_name}), {shown}").violates(path)


def scalar_type_name(spec: Mapping[str, Any]) -> str:
    """The proto type name Google prints for a scalar discovery schema (TYPE_INT32, ...)."""
    kind, fmt = spec.get("type"), spec.get("format")
    if kind == "integer":
        return "TYPE_UINT32" if fmt == "uint32" else "TYPE_INT32"
    if kind == "number":
        return "TYPE_FLOAT" if fmt == "float" else "TYPE_DOUBLE"
    if kind == "boolean":
        return "TYPE_BOOL"
    if fmt in ("int64", "uint64"):
        return f"TYPE_{str(fmt).upper()}"
    if fmt == "byte":
        return "TYPE_BYTES"
    return _WELL_KNOWN_STRINGS.get(str(fmt), "TYPE_STRING")


def _integer_ok(value: object, type_name: str) -> bool:
    """proto3 JSON integers: JSON numbers without a fraction or decimal strings, within range."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        if not value.is_integer():
            return False
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INT_RE.fullmatch(value):
        number = int(value)
    else:
        return False
    low, high = _INT_RANGES[type_name]
    return low <= number <= high


def _scalar_ok(spec: Mapping[str, Any], value: object) -> bool:
    """Whether `value` is an accepted proto3 JSON form of the scalar `spec`."""
    type_name = scalar_type_name(spec)
    if type_name in _INT_RANGES:
        return _integer_ok(value, type_name)
    if type_name in ("TYPE_DOUBLE", "TYPE_FLOAT"):
        if isinstance(value, bool):
            return False
        if isinstance(value, int | float):  # NaN/Infinity travel as strings, not bare floats
            return math.isfinite(value)
        return isinstance(value, str) and (
            value in _NUMBER_WORDS or _NUMBER_RE.fullmatch(value) is not None
        )
    if type_name == "TYPE_BOOL":
        return isinstance(value, bool)
    return isinstance(value, str)


class _Validator:
    """Walks one JSON value alongside its discovery schema; follows the data, so it terminates."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.package = PROTO_PACKAGES.get(api, api)

    def type_url(self, message: str) -> str:
        return f"type.googleapis.com/{self.package}.{message}"

    def value(self, spec: Mapping[str, Any], value: object, path: str, type_name: str) -> None:
        """Check `value` against `spec`; `type_name` is the proto name it would have if named."""
        if value is None:  # proto3 JSON: null means "absent" for every field
            return
        if "$ref" in spec:
            name = str(spec["$ref"])
            self.message(discovery.schema(self.api, name), value, path, name)
            return
        kind = spec.get("type")
        if kind == "any":
            return
        if kind == "array":
            self.array(spec, value, path, type_name)
        elif kind == "object" and "properties" not in spec:
            self.map(spec, value, path, type_name)
        elif kind == "object":
            self.message(spec, value, path, type_name)
        elif "enum" in spec:
            self.enum(spec, value, path, type_name)
        elif isinstance(value, dict):
            raise invalid_value(
                path, scalar_type_name(spec), "Starting an object on a scalar field"
            )
        elif not _scalar_ok(spec, value):
            raise invalid_value(path, scalar_type_name(spec), _show(value))

    def message(self, spec: Mapping[str, Any], value: object, path: str, name: str) -> None:
        """An object with declared properties: unknown names and each present field."""
        if not isinstance(value, dict):
            raise invalid_value(path, self.type_url(name), _show(value))
        properties: Mapping[str, Any] = spec.get("properties", {})
        for key, item in value.items():
            field = properties.get(key)
            if field is None and self.api == "drive":
                # Drive v3 ignores names it does not know: a v2-style {"title": ...} on
                # files.create yields an "Untitled" file, and gspread's share() sends v2's
                # `withLink` to permissions.create. Sheets (ESF) rejects them.
                continue
            if field is None:
                raise self._unknown(properties, key, path)
            if isinstance(item, list) and field.get("type") not in ("array", "any"):
                raise unknown_name(key, path, "Proto field is not repeating, cannot start list.")
            self.value(field, item, _join(path, snake_case(key)), f"{name}.{pascal_case(key)}")

    def _unknown(self, properties: Mapping[str, Any], key: str, path: str) -> ApiError:
        """The error for a name the message lacks; proto field names are accepted by Google."""
        camel = {snake_case(p): p for p in properties}.get(key)
        if camel is not None and camel != key:
            return not_implemented(
                f'proto field names in JSON bodies ("{key}" at \'{path}\'); send "{camel}"'
            )
        return unknown_name(key, path)

    def array(self, spec: Mapping[str, Any], value: object, path: str, type_name: str) -> None:
        """A repeated field: a JSON list whose elements match `items`."""
        items: Mapping[str, Any] = spec.get("items", {})
        if not isinstance(value, list):
            raise invalid_value(path, self._element_type(items, type_name), _show(value))
        for index, element in enumerate(value):
            where = f"{path}[{index}]"
            if element is None and items.get("type") != "any":
                raise invalid_value(where, self._element_type(items, type_name), "null")
            if items.get("type") == "array" and not isinstance(element, list | None):
                raise invalid_value(where, self._element_type(spec, type_name), _show(element))
            self.value(items, element, where, type_name)

    def _element_type(self, items: Mapping[str, Any], type_name: str) -> str:
        if "$ref" in items:
            return self.type_url(str(items["$ref"]))
        if items.get("type") == "array":  # a list of lists is repeated google.protobuf.ListValue
            return "type.googleapis.com/google.protobuf.ListValue"
        if items.get("type") == "any":
            return "type.googleapis.com/google.protobuf.Value"
        if items.get("type") == "object" or "enum" in items:
            return self.type_url(type_name)
        return scalar_type_name(items)

    def map(self, spec: Mapping[str, Any], value: object, path: str, type_name: str) -> None:
        """A map field (`additionalProperties`); Google names entry i's value `path[i].value`."""
        if not isinstance(value, dict):
            raise invalid_value(path, self.type_url(f"{type_name}Entry"), _show(value))
        values = spec.get("additionalProperties")
        if not isinstance(values, dict):
            return
        for index, item in enumerate(value.values()):
            self.value(values, item, f"{path}[{index}].value", type_name)

    def enum(self, spec: Mapping[str, Any], value: object, path: str, type_name: str) -> None:
        """An enum: one of the declared names (enum numbers are not accepted here)."""
        if isinstance(value, dict):
            raise invalid_value(
                path, self.type_url(type_name), "Starting an object on a scalar field"
            )
        if not isinstance(value, str) or value not in spec["enum"]:
            raise invalid_value(path, self.type_url(type_name), _show(value))


def validate_value(
    api: str, schema_ref_or_inline: dict[str, Any], value: object, path: str
) -> None:
    """Raise ApiError(400) unless `value` conforms to the schema ({"$ref": name} or inline)."""
    # Unnamed (inline) enums and objects take their proto type name from the last path segment.
    last = path.rsplit(".", 1)[-1].split("[", 1)[0]
    type_name = "".join(part[:1].upper() + part[1:] for part in last.split("_")) or "Value"
    _Validator(api).value(schema_ref_or_inline, value, path, type_name)


def validate_body(method_id: str, body: object) -> None:
    """Raise ApiError(400) unless `body` conforms to the method's request schema (None = {})."""
    name = discovery.request_schema_name(method_id)
    if name is None:
        return
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise unknown_name("", "", "Root element must be a message.")
    api = discovery.api_of(method_id)
    _Validator(api).message(discovery.schema(api, name), body, BODY_FIELDS.get(method_id, ""), name)


# Methods whose HTTP rule binds the body to one request field: Google's paths start there.
# values.update: recorded "Invalid value at 'data.values' (...ListValue)" (gspread's cassettes).
# Gmail: recorded "Invalid value at 'message.raw' (TYPE_BYTES)" for messages.send.
BODY_FIELDS = {
    "sheets.spreadsheets.values.update": "data",
    "gmail.users.messages.send": "message",
    "gmail.users.drafts.create": "draft",
    "gmail.users.drafts.send": "draft",
}


def _query_value_error(api: str, name: str, spec: Mapping[str, Any], value: str) -> ApiError | None:
    """The error for one query-string value of parameter `name`, or None when it is fine."""
    if "enum" in spec:
        if value in spec["enum"]:
            return None
        type_name = f"type.googleapis.com/{PROTO_PACKAGES.get(api, api)}.{pascal_case(name)}"
    elif spec.get("type") == "boolean":
        if value.lower() in ("true", "false"):
            return None
        type_name = "TYPE_BOOL"
    elif _scalar_ok(spec, value):
        return None
    else:
        type_name = scalar_type_name(spec)
    return invalid_value(snake_case(name), type_name, _show(value))


def _with_location(api: str, error: ApiError, name: str, reason: str | None = None) -> ApiError:
    """Drive names the offending parameter in errors[].location; Sheets does not."""
    if api == "drive":
        error.location, error.location_type = name, "parameter"
        error.reason = reason or error.reason
    return error


# Drive's shared-drive flags: Google accepts them on any Drive method and ignores them where they
# do not apply (https://developers.google.com/drive/api/guides/enable-shareddrives#including_shared_drive_content_fileslist),
# as gspread relies on (`files.get` with includeItemsFromAllDrives).
DRIVE_IGNORED_FLAGS = frozenset(
    {
        "supportsAllDrives",
        "supportsTeamDrives",
        "includeItemsFromAllDrives",
        "includeTeamDriveItems",
        "includePermissionsForView",
        "includeLabels",
    }
)


def validate_query(method_id: str, args: Mapping[str, Sequence[str] | str]) -> None:
    """Raise ApiError(400) for unknown, ill-typed, out-of-enum or missing query parameters."""
    api = discovery.api_of(method_id)
    specs = discovery.parameter_spec(method_id)
    for name, given in args.items():
        spec = specs.get(name)
        if spec is None and api == "drive" and name in DRIVE_IGNORED_FLAGS:
            continue
        if spec is None:
            error = unknown_name(
                name,
                "",
                f"Cannot bind query parameter. Field '{name}' could not be found in request "
                "message.",
            )
            raise _with_location(api, error, name)
        for value in [given] if isinstance(given, str) else given:
            problem = _query_value_error(api, name, spec, value)
            if problem is not None:
                raise _with_location(api, problem, name)
    required = [n for n, s in specs.items() if s.get("location") == "query" and s.get("required")]
    for name in [*required, *SERVICE_REQUIRED_QUERY.get(method_id, ())]:
        present = args.get(name)
        if present is None or (not isinstance(present, str) and len(present) == 0):
            if api == "drive":
                raise bad_request(
                    f"Required parameter: {name}",
                    reason="required",
                    location=name,
                    location_type="parameter",
                )
            raise bad_request(f"'{name}' is required but not specified")


def drop_unknown(method_id: str, body: object) -> object:
    """The body as Drive's handlers see it: top-level names its schema lacks are ignored."""
    name = discovery.request_schema_name(method_id)
    if discovery.api_of(method_id) != "drive" or name is None or not isinstance(body, dict):
        return body
    known = discovery.schema("drive", name).get("properties", {})
    return {k: v for k, v in body.items() if k in known}
