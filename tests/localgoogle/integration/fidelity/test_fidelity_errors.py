"""Errors as Google answers them: a refused batchUpdate names the field at fault in a
google.rpc.BadRequest detail, and no request is answered with a 5xx by a fault of the stand-in.

https://cloud.google.com/apis/design/errors#error_details
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from fidelity_helpers import batch, create, refusal

from localgoogle import batch as batch_kinds
from localgoogle import discovery, drive_api, gmail_api, sheets_api, tasks_api
from localgoogle.server import Running

OWNER = "ann@acme.test"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"


def _violations(error: dict[str, Any]) -> list[dict[str, str]]:
    (detail,) = error["details"]
    assert detail["@type"] == BAD_REQUEST
    return list(detail["fieldViolations"])


def test_a_refused_request_names_its_kind_in_the_detail(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    status, error = refusal(
        lambda: batch(
            service,
            sid,
            {"addSheet": {"properties": {"title": "Plan"}}},
            {"addSheet": {"properties": {"title": "Sheet1"}}},
        )
    )
    assert status == 400
    assert error["message"] == (
        'Invalid requests[1].addSheet: A sheet with the name "Sheet1" already exists. '
        "Please enter another name."
    )
    taken = 'A sheet with the name "Sheet1" already exists. Please enter another name.'
    assert _violations(error) == [{"field": "requests[1].addSheet", "description": taken}]


def test_a_malformed_request_names_the_field_path_in_the_detail(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    bad = {"updateSheetProperties": {"properties": {"sheetId": "zero"}, "fields": "title"}}
    status, error = refusal(lambda: batch(service, sid, bad))
    assert status == 400 and error["message"].startswith("Invalid value at ")
    (violation,) = _violations(error)
    assert violation["description"] == error["message"]
    assert violation["field"] == "requests[0].update_sheet_properties.properties.sheet_id"
    status, error = refusal(lambda: batch(service, sid, {"addSheet": {}, "deleteSheet": {}}))
    assert status == 400 and _violations(error)[0]["field"] == "requests[0]"


def _odd_bodies(kind: str) -> list[dict[str, Any]]:
    """Bodies a careless client might send for `kind`: empty, on a missing sheet, wrong ids."""
    missing = {"sheetId": 999}
    return [
        {},
        {"range": missing, "sheetId": 999, "source": missing, "destination": missing},
        {"fields": "*"},
    ]


@pytest.mark.parametrize("kind", sorted(batch_kinds.HANDLERS))
def test_no_batch_request_kind_answers_a_server_error(sheets: Any, kind: str) -> None:
    service = sheets(OWNER)
    sid = create(service)
    for body in _odd_bodies(kind):
        try:
            batch(service, sid, {kind: body})
        except Exception as exc:  # noqa: BLE001 - the status is what is checked
            status = getattr(exc, "status_code", None)
            assert status is not None and status < 500, f"{kind} {body}: {exc}"


def _routes() -> list[tuple[str, str, str]]:
    """(api, HTTP method, path template) of every method the stand-in implements."""
    out = []
    routers = (sheets_api.router(), drive_api.router(), tasks_api.router(), gmail_api.router())
    for router in routers:
        for route in router.routes:
            if route.handler is not None:
                spec = discovery.method(route.method_id)
                template = router.prefix + (spec.get("flatPath") or spec["path"])
                out.append((route.method_id, route.http_method, template))
    return sorted(out)


def _path(template: str, sid: str) -> str:
    def fill(m: re.Match[str]) -> str:
        name = m.group(1).lstrip("+")
        known = {"spreadsheetId": sid, "fileId": sid, "range": "Sheet1!A1", "userId": "me"}
        return known.get(name, "nope")

    return re.sub(r"\{([^}]+)\}", fill, template)


@pytest.mark.parametrize(("method_id", "verb", "template"), _routes())
def test_no_implemented_method_answers_a_server_error(
    local_google: Running, sheets: Any, method_id: str, verb: str, template: str
) -> None:
    sid = create(sheets(OWNER))
    headers = {"Authorization": f"Bearer local:{OWNER}", "Content-Type": "application/json"}
    for path in (_path(template, sid), _path(template, "no-such-file")):
        for body in ("{}", '{"requests": [{}], "data": [{}], "values": [[{}]]}', "[1]"):
            answer = requests.request(
                verb,
                f"{local_google.url}/{path}",
                params={"fields": "*"} if verb == "GET" else None,
                data=None if verb in ("GET", "DELETE") else body,
                headers=headers,
                timeout=30,
            )
            unimplemented = answer.status_code == 501 and "does not implement" in answer.text
            assert answer.status_code < 500 or unimplemented, (method_id, path, body, answer.text)
