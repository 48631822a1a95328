"""What a user sees from the CLI against the stand-in: refusals that touch nothing, progress lines.

Progress shows on a terminal only: `terminal` pretends stderr is one (cli_progress's check).
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from pathlib import Path

import pytest

from addon import cli_progress
from addon.cli import main
from localgoogle.server import Running


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, local_google: Running) -> None:
    monkeypatch.setenv("MAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MAP_LOCAL_GOOGLE_URL", local_google.url)
    monkeypatch.delenv("MAP_DATABASE_URL", raising=False)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_progress, "stderr_is_terminal", lambda: True)


def _requests(local_google: Running) -> int:
    """All requests the stand-in has answered so far."""
    with urllib.request.urlopen(f"{local_google.url}/_local/stats") as response:
        return sum(json.loads(response.read())["by_user"].values())


def _demo(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """A small demo pipeline; what it printed on stderr."""
    seed = str(uuid.uuid4().int % 100_000)
    assert main(["demo", "--deals", "2", "--seed", seed, *extra]) == 0
    return capsys.readouterr().err


def _one_line_refusal(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    status = main(args)
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == "" and "Traceback" not in captured.err
    (line,) = captured.err.strip().splitlines()
    return line


def test_an_unknown_deal_is_refused_without_a_request(
    capsys: pytest.CaptureFixture[str], local_google: Running
) -> None:
    before = _requests(local_google)
    for action in (["close", "d_unknown0000", "--won"], ["end-sharing", "1NoSuchSheet"]):
        assert "no deal" in _one_line_refusal(capsys, ["deal", *action])
    assert _requests(local_google) == before


def test_a_bad_export_path_leaves_the_review_untouched(
    capsys: pytest.CaptureFixture[str], local_google: Running, tmp_path: Path
) -> None:
    """The reported case: the review was rewritten before the export failed with a traceback."""
    _demo(capsys, "--weeks", "0")
    before = _requests(local_google)
    line = _one_line_refusal(capsys, ["consolidate", "--xlsx", str(tmp_path / "no" / "r.xlsx")])
    assert "--xlsx" in line and "does not exist" in line
    assert _requests(local_google) == before
    assert not (tmp_path / "no").exists()


@pytest.mark.usefixtures("terminal")
def test_demo_counts_its_plans_and_weeks_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _demo(capsys, "--weeks", "1")
    assert "demo 1/2 created: " in err and "demo 2/2 created: " in err
    assert "demo week 1/1: " in err
    assert err.endswith(cli_progress.CLEAR_LINE)  # the line is gone before the summary


@pytest.mark.usefixtures("terminal")
def test_json_mode_stays_quiet_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert _demo(capsys, "--weeks", "1", "--json") == ""
    assert main(["consolidate", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert json.loads(captured.out)["deals"] == 2
    assert main(["watch", "--once", "--json"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.usefixtures("terminal")
def test_consolidate_and_watch_show_their_steps_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _demo(capsys, "--weeks", "0")  # plans created, never read: the next tick reads them all
    assert main(["watch", "--once"]) == 0
    captured = capsys.readouterr()
    assert "Reading 2 changed plans… 2/2" in captured.err
    assert captured.out.startswith("2 plan(s) read")
    assert main(["consolidate"]) == 0
    captured = capsys.readouterr()
    assert "catching up with buyer edits" in captured.err
    assert "writing the workbook" in captured.err
    assert captured.out.startswith("team ")


def test_without_a_terminal_long_commands_print_only_their_result(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _demo(capsys, "--weeks", "1") == ""
    assert main(["consolidate"]) == 0
    assert capsys.readouterr().err == ""
