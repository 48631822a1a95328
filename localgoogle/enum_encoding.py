"""Enums as numbers: the `$alt=json;enum-encoding=int` system parameter.

https://cloud.google.com/apis/docs/system-parameters: the google-cloud-* REST transports send
`$alt=json;enum-encoding=int` and enum numbers in the query and the body; the stand-in names
them before validating, as Google's front end reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import discovery
from .errors import ApiError

_ALT_VALUES = ("json", "json;enum-encoding=int")


def numeric_enums(args: dict[str, list[str]]) -> bool:
    """Take `$alt` out of the query; whether it asks for enums as numbers."""
    values = args.pop("$alt", [])
    for value in values:
        if value not in _ALT_VALUES:
            raise ApiError(400, f"Invalid value for $alt: {value}")  # approximate wording
    return "json;enum-encoding=int" in values


def enum_names(spec: Mapping[str, Any], value: object, api: str) -> object:
    """`value` with enum numbers replaced by their names, as `$alt=json;enum-encoding=int` sends
    them (the google-cloud-* REST transports do). A discovery document lists an enum's names in
    the order of their proto numbers, 0 first; anything unexpected is left for validation."""
    if "$ref" in spec:
        spec = discovery.schema(api, str(spec["$ref"]))
    if "enum" in spec:
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and 0 <= value < len(spec["enum"])
        ):
            return spec["enum"][value]
        return value
    if isinstance(value, list) and isinstance(spec.get("items"), dict):
        return [enum_names(spec["items"], item, api) for item in value]
    if not isinstance(value, dict):
        return value
    if "properties" in spec:
        fields: Mapping[str, Any] = spec["properties"]
        return {k: enum_names(fields[k], v, api) if k in fields else v for k, v in value.items()}
    values = spec.get("additionalProperties")
    if isinstance(values, dict):
        return {k: enum_names(values, v, api) for k, v in value.items()}
    return value


def query_enum_names(method_id: str, args: dict[str, list[str]]) -> dict[str, list[str]]:
    """Query parameters of a `$alt=json;enum-encoding=int` request, enum numbers named."""
    specs = discovery.parameter_spec(method_id)

    def named(name: str, value: str) -> str:
        spec = specs.get(name, {})
        if "enum" not in spec or not value.isdigit():
            return value
        return str(enum_names(spec, int(value), ""))

    return {name: [named(name, v) for v in values] for name, values in args.items()}


def body_enum_names(method_id: str, body: object) -> object:
    """The body of a `$alt=json;enum-encoding=int` request, enum numbers named."""
    schema_name = discovery.request_schema_name(method_id)
    if schema_name is None:
        return body
    return enum_names({"$ref": schema_name}, body, discovery.api_of(method_id))
