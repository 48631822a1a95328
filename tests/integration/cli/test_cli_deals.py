"""`map-addon deal close|hold|reopen|end-sharing` against the stand-in, as a seller runs them."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from test_cli_plans import _create_args

from addon.cli import main
from localgoogle.server import Running


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, local_google: Running) -> None:
    monkeypatch.setenv("MAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MAP_LOCAL_GOOGLE_URL", local_google.url)
    monkeypatch.delenv("MAP_DATABASE_URL", raising=False)


def _created(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    owner = f"seller-{uuid.uuid4().hex[:8]}@vendor.example"
    assert main(_create_args(owner, "--json")) == 0
    return dict(json.loads(capsys.readouterr().out), owner=owner)


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["deal", *args, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_lose_reopen_and_win_a_deal(capsys: pytest.CaptureFixture[str]) -> None:
    plan = _created(capsys)
    lost = _json(
        capsys, "close", plan["deal_id"], "--lost", "--reason", "Timing: budget frozen",
        "--competitor", "Rival Corp",
    )  # fmt: skip
    assert {k: lost[k] for k in ("outcome", "reason", "detail", "competitor", "set_by")} == {
        "outcome": "lost",
        "reason": "Timing",
        "detail": "budget frozen",
        "competitor": "Rival Corp",
        "set_by": plan["owner"],
    }
    assert lost["shown_in_plan"] is True
    ended = _json(capsys, "end-sharing", plan["deal_id"])
    assert ended["unshared"] == ["ann@acme.example", "bob@acme.example"]
    assert _json(capsys, "reopen", plan["spreadsheet_id"])["outcome"] == "open"
    held = _json(capsys, "hold", plan["deal_id"], "--until", "2030-01-15")
    assert (held["outcome"], held["revisit_on"]) == ("on_hold", "2030-01-15")
    assert (
        main(["deal", "close", plan["deal_id"], "--won", "--success-owner", "cas@vendor.example"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("Acme rollout (") and "customer success: cas@vendor.example" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["close", "d_unknown", "--won"], "no deal 'd_unknown'"),
        (["close", "{deal}", "--won", "--reason", "Price"], "--lost only"),
        (
            ["hold", "{deal}", "--until", "next week"],
            "--until: 'next week' is not a date as YYYY-MM-DD",
        ),
        (["hold", "{deal}", "--until", "2020-01-01"], "the revisit date must be after today"),
        (["reopen", "{deal}"], "the deal is open already"),
        (["end-sharing", "{deal}"], "for a lost deal only"),
    ],
)
def test_bad_moves_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    plan = _created(capsys)
    assert main(["deal", *[a.format(deal=plan["deal_id"]) for a in args]]) == 2
    err = capsys.readouterr().err
    assert err.startswith("map-addon") and message in err and err.count("\n") == 1


def test_a_closed_deal_is_reopened_before_closing_otherwise(
    capsys: pytest.CaptureFixture[str],
) -> None:
    plan = _created(capsys)
    assert main(["deal", "close", plan["deal_id"], "--won"]) == 0
    capsys.readouterr()
    assert main(["deal", "close", plan["deal_id"], "--lost"]) == 2
    assert "already won" in capsys.readouterr().err
