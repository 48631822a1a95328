"""`map-addon notify` without --json prints one line per message, whatever its kind."""

from __future__ import annotations

import argparse
from types import SimpleNamespace
from typing import Any

import pytest

from addon.cli_notify import run_notify
from addon.services.notify import NotifyResult


def test_every_kind_of_message_prints_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    result = NotifyResult(
        sent=[
            {"to": "ann@acme.example", "deal_id": "d1", "kind": "reminder", "steps": ["Trial"]},
            {"to": "ann@acme.example", "deal_id": "d1", "kind": "digest"},
            {"to": "bo@acme.example", "deal_id": "d1", "kind": "overdue", "steps": ["A", "B"]},
            {"to": "lena@v.example", "deal_id": "d1", "kind": "team_digest", "team": "emea"},
        ],
        skipped=[{"to": "bo@acme.example", "deal_id": "d2", "kind": "reminder", "reason": "x"}],
    )
    services: Any = SimpleNamespace(notifier=SimpleNamespace(run_once=lambda: result))
    args = argparse.Namespace(json=False, once=True, interval=1.0)
    assert run_notify(args, services) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "4 sent, 0 drafted, 1 skipped",
        "  reminder ann@acme.example  d1  Trial",
        "  digest   ann@acme.example  d1",
        "  overdue  bo@acme.example  d1  A, B",
        "  team_digest lena@v.example  d1  emea",
        "  skipped  bo@acme.example  d2: x",
    ]
