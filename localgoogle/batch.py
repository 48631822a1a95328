"""`spreadsheets.batchUpdate`: route each Request to its handler and word errors as Google does.

https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
The caller (`sheets_api.batch_update`) runs this inside a transaction and saves afterwards, so the
first error rolls the whole batch back: "if any request is not valid, then the entire request
will fail and nothing will be applied". Each handler returns its Response entry (`{}` when
Google's reply for that kind is empty).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import (
    batch_cells,
    batch_data,
    batch_dimensions,
    batch_moves,
    batch_objects,
    batch_rules,
    batch_sheets,
)
from .batch_common import Handler
from .errors import ApiError, bad_request, not_implemented
from .protection import PROTECTED_MESSAGE
from .schema import snake_case

if TYPE_CHECKING:
    from .sheets_common import Opened

HANDLERS: dict[str, Handler] = {
    **batch_sheets.HANDLERS,
    **batch_cells.HANDLERS,
    **batch_data.HANDLERS,
    **batch_dimensions.HANDLERS,
    **batch_rules.HANDLERS,
    **batch_objects.HANDLERS,
    **batch_moves.HANDLERS,
}

# Oneofs inside request messages: kind -> [(oneof name, its members)]. Google's JSON parser
# refuses a second member: "Invalid value at '<path>' (oneof), oneof field '<name>' is already
# set. Cannot set '<member>'".
ONEOFS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "updateCells": [("area", ("start", "range"))],
    "findReplace": [("scope", ("range", "sheetId", "allSheets"))],
    "updateDimensionProperties": [("dimension_range", ("range", "dataSourceSheetRange"))],
    "autoResizeDimensions": [("dimension_range", ("dimensions", "dataSourceSheetDimensions"))],
    "updateConditionalFormatRule": [("instruction", ("rule", "newIndex"))],
}

# Errors that Google reports without the `Invalid requests[i].kind:` prefix.
_UNPREFIXED = ("Invalid value at ", "Invalid JSON payload", PROTECTED_MESSAGE)


def _oneof_error(path: str, name: str, member: str) -> ApiError:
    return bad_request(
        f"Invalid value at '{path}' (oneof), oneof field '{name}' is already set. "
        f"Cannot set '{snake_case(member)}'"
    ).violates(path)


def _kind_of(index: int, request: Any) -> str:
    """The one Request field that is set; 400 for none or two."""
    kinds = [k for k, v in (request or {}).items() if v is not None]
    if len(kinds) > 1:
        raise _oneof_error(f"requests[{index}]", "kind", kinds[1])
    if not kinds:
        # Approximate wording: Google refuses a Request with no kind set.
        raise bad_request(f"Invalid requests[{index}]: No kind set in the request.").violates(
            f"requests[{index}]", "No kind set in the request."
        )
    return kinds[0]


def _check_oneofs(index: int, kind: str, body: dict[str, Any]) -> None:
    for name, members in ONEOFS.get(kind, []):
        present = [m for m in members if body.get(m) is not None]
        if len(present) > 1:
            raise _oneof_error(f"requests[{index}].{snake_case(kind)}", name, present[1])


def _without_nulls(value: Any) -> Any:
    """proto3 JSON reads `null` as "absent" for every field (gspread sends such nulls)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def apply_requests(o: Opened, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply the requests in order to `o.doc`; the replies, one per request."""
    if not requests:
        raise bad_request("Must specify at least one request.")
    replies: list[dict[str, Any]] = []
    for index, request in enumerate(requests):
        kind = _kind_of(index, request)
        handler = HANDLERS.get(kind)
        if handler is None:
            raise not_implemented(f"batchUpdate request {kind}")
        body = _without_nulls(request[kind] or {})
        _check_oneofs(index, kind, body)
        try:
            replies.append(handler(o, body))
        except ApiError as error:
            if error.code == 400 and not error.message.startswith(_UNPREFIXED):
                error.violates(f"requests[{index}].{kind}", error.message)
                error.message = f"Invalid requests[{index}].{kind}: {error.message}"
            raise
    return replies
