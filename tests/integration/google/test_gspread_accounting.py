"""gspread clients built by the adapter count each request they send, as the stand-in sees it."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from addon.google.accounting import RequestCounter
from addon.google.clients import gspread_client
from addon.google.errors import NotFound
from addon.google.retry import NO_RETRY, call_with_retry
from localgoogle.server import Running


def test_gspread_requests_are_counted_by_method_like_the_stand_in_counts_them(
    local_google: Running, backend: Any, sheets: Any
) -> None:
    sid = sheets("cat@acme.test").spreadsheets().create(body={}).execute()["spreadsheetId"]
    counter = RequestCounter()
    client = gspread_client(backend("cat@acme.test"), counter)
    requests.post(f"{local_google.url}/_local/stats/reset", timeout=10)

    worksheet = client.open_by_key(sid).sheet1
    worksheet.update([["a", "b"]], "A1")
    worksheet.get_all_values()

    seen = requests.get(f"{local_google.url}/_local/stats", timeout=10).json()["by_method"]
    assert dict(counter.snapshot().by_method) == seen
    assert counter.snapshot().as_json()["sheets"] == sum(seen.values()) >= 3


def test_call_with_retry_turns_a_missing_spreadsheet_into_not_found(backend: Any) -> None:
    client = gspread_client(backend("cat@acme.test"), RequestCounter())
    with pytest.raises(NotFound) as caught:
        call_with_retry(lambda: client.open_by_key("no-such-sheet"), policy=NO_RETRY)
    assert caught.value.status == 404
