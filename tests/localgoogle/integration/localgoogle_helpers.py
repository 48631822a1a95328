"""Small helpers shared by the stand-in's batchUpdate contract tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from googleapiclient.errors import HttpError


def create(service: Any, rows: int = 1000, cols: int = 26) -> str:
    """A new one-sheet spreadsheet of the given grid size; its id."""
    body = {"sheets": [{"properties": {"gridProperties": {"rowCount": rows, "columnCount": cols}}}]}
    return str(service.spreadsheets().create(body=body).execute()["spreadsheetId"])


def batch(service: Any, sid: str, *requests: dict[str, Any]) -> dict[str, Any]:
    """Run one spreadsheets.batchUpdate with these requests; its response."""
    body = {"requests": list(requests)}
    result: dict[str, Any] = (
        service.spreadsheets().batchUpdate(spreadsheetId=sid, body=body).execute()
    )
    return result


def refused(call: Callable[[], Any]) -> tuple[int, str]:
    """The HTTP status and Google's error message of a call that must fail."""
    with pytest.raises(HttpError) as info:
        call()
    return info.value.status_code, json.loads(info.value.content)["error"]["message"]
