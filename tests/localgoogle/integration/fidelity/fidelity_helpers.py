"""Helpers shared by the fidelity suite: one-call spreadsheets, batches and refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from googleapiclient.errors import HttpError


def create(service: Any, title: str = "Fidelity") -> str:
    """A new one-sheet spreadsheet (1000 x 26, as Google makes it); its id."""
    body = {"properties": {"title": title}}
    return str(service.spreadsheets().create(body=body).execute()["spreadsheetId"])


def batch(service: Any, sid: str, *requests: dict[str, Any]) -> dict[str, Any]:
    """Run one spreadsheets.batchUpdate with these requests; its response."""
    result: dict[str, Any] = (
        service.spreadsheets()
        .batchUpdate(spreadsheetId=sid, body={"requests": list(requests)})
        .execute()
    )
    return result


def refusal(call: Callable[[], Any]) -> tuple[int, dict[str, Any]]:
    """The HTTP status and Google's `error` object of a call that must fail."""
    with pytest.raises(HttpError) as info:
        call()
    return info.value.status_code, json.loads(info.value.content)["error"]
