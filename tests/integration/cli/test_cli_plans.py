"""`map-addon plan`, `templates` and `demo` against the stand-in, as a seller would run them."""

from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from addon.cli import main
from localgoogle.server import Running


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, local_google: Running) -> None:
    monkeypatch.setenv("MAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MAP_LOCAL_GOOGLE_URL", local_google.url)
    monkeypatch.delenv("MAP_DATABASE_URL", raising=False)


def _calls_by(local_google: Running, email: str) -> int:
    with urllib.request.urlopen(f"{local_google.url}/_local/stats") as response:
        return int(json.loads(response.read())["by_user"].get(email, 0))


def _create_args(owner: str, *extra: str) -> list[str]:
    return [
        "plan",
        "create",
        "--deal",
        "Acme rollout",
        "--buyer-company",
        "Acme Corp",
        "--buyer",
        "ann@acme.example",
        "--buyer",
        "bob@acme.example",
        "--go-live",
        "2031-03-03" if "--far" in extra else "2027-06-01",
        "--template",
        "mid-market",
        "--owner",
        owner,
        *[e for e in extra if e != "--far"],
    ]


def _owner() -> str:
    return f"seller-{uuid.uuid4().hex[:8]}@vendor.example"


def test_plan_create_json_prints_one_object_with_its_cost(
    capsys: pytest.CaptureFixture[str], local_google: Running
) -> None:
    owner = _owner()
    assert main(_create_args(owner, "--json", "--amount", "50000")) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {
        "deal_id",
        "spreadsheet_id",
        "url",
        "shared_with",
        "schedule_warnings",
        "requests",
    }
    assert out["requests"] == {"sheets": 1, "drive": 3}
    assert _calls_by(local_google, owner) == 4
    assert main(["plan", "list", "--owner", owner, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["deals"]
    assert [(d["deal_id"], d["status"], d["owner"]) for d in listed] == [
        (out["deal_id"], "ready", owner)
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--template", "nope"], "There is no template named 'nope'."),
        (["--buyer", "not-an-email"], "--buyer: 'not-an-email' is not an email address"),
        (["--buyer", "ANN@acme.example"], "ann@acme.example is listed twice (also buyer 1)."),
        (["--buyer", "lee@vendor.example"], "lee@vendor.example is at your own company"),
        (["--amount", "a lot"], "Amount 'a lot' is not a number."),
        (["--deal", "  "], "Give the deal's name."),
        (["--go-live", "2020-01-01"], "Go-live 2020-01-01 is not after today"),
        (["--far"], "more than 3 years away"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_creates_nothing(
    extra: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    local_google: Running,
) -> None:
    owner = _owner()
    assert main(_create_args(owner, *extra)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert _calls_by(local_google, owner) == 0
    assert main(["plan", "list", "--owner", owner, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"deals": []}


def test_a_go_live_the_template_cannot_fit_or_on_a_weekend_is_refused_with_a_proposal(
    capsys: pytest.CaptureFixture[str], local_google: Running
) -> None:
    from addon.domain.businessdays import add_business_days
    from addon.domain.plan_checks import earliest_go_live
    from addon.domain.templates import find_template
    from addon.services.context import today

    mid_market = find_template("mid-market")
    earliest = earliest_go_live(mid_market, today())
    assert earliest is not None
    saturday = add_business_days(earliest, 10, frozenset(mid_market.holidays))
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    for go_live, said in (
        (add_business_days(today(), 3), f"The earliest go-live that fits is {earliest:%a}"),
        (saturday, "is a Saturday: a go-live needs a business day. Proposed:"),
    ):
        owner = _owner()
        args = _create_args(owner)
        args[args.index("--go-live") + 1] = go_live.isoformat()
        assert main(args) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1, err
        assert _calls_by(local_google, owner) == 0
        if go_live != saturday:
            assert f"({earliest.isoformat()})." in err


def test_templates_list_json_names_every_shipped_template(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["templates", "list", "--json"]) == 0
    names = {t["name"] for t in json.loads(capsys.readouterr().out)["templates"]}
    assert {"enterprise-saas", "mid-market", "regulated-security", "expansion-renewal"} <= names


def test_templates_list_and_check_read_map_templates_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "our-templates"
    own.mkdir()
    source = Path(__file__).parents[3] / "sheets_templates" / "mid-market.yaml"
    (own / "mid-market.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("MAP_TEMPLATES_DIR", str(own))
    assert main(["templates", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [t["name"] for t in listed["templates"]] == ["mid-market"]
    assert listed["directory"] == str(own)
    assert main(["templates", "check"]) == 0
    assert capsys.readouterr().out.count("ok: ") == 1


def test_templates_check_exits_2_on_an_invalid_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: broken\ntitle: x\nversion: 1\ndescription: x\nsteps: []\n")
    assert main(["templates", "check", str(bad)]) == 2
    assert "broken.yaml" in capsys.readouterr().err
    assert main(["templates", "check"]) == 0


def test_demo_creates_plans_once_and_reports_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = str(uuid.uuid4().int % 10_000)
    assert main(["demo", "--deals", "3", "--seed", seed, "--weeks", "0", "--json"]) == 0
    captured = capsys.readouterr()
    first: dict[str, Any] = json.loads(captured.out)
    assert len(first["deals"]) == 3
    assert {d["state"] for d in first["deals"]} == {"created"}
    assert captured.err == ""  # no terminal here: no progress line
    assert main(["demo", "--deals", "3", "--seed", seed, "--weeks", "0"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "3 demo plans: 0 created, 3 already there\n"
    assert captured.err == ""


def test_plan_create_without_the_stand_in_exits_1_naming_how_to_start_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MAP_LOCAL_GOOGLE_URL", "http://127.0.0.1:9")
    assert main(_create_args(_owner())) == 1
    assert "map-addon run" in capsys.readouterr().err


def test_watch_once_json_prints_the_tick_and_its_cost(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAP_SERVICE_ACCOUNT", f"svc-{uuid.uuid4().hex[:8]}@map.example.com")
    assert main(["watch", "--once", "--json"]) == 0  # starts the feed, nothing to read
    capsys.readouterr()
    assert main(["watch", "--once", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "changed_plans": [],
        "events": [],
        "data_issues": [],
        "failed": [],
        "deferred": [],
        "queued": [],
        "requests": {"sheets": 0, "drive": 1},
    }


def test_demo_plays_each_deals_story_over_the_weeks(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from addon.store import Store

    monkeypatch.setenv("MAP_SERVICE_ACCOUNT", f"svc-{uuid.uuid4().hex[:8]}@map.example.com")
    seed = str(uuid.uuid4().int % 10_000)
    assert main(["demo", "--deals", "5", "--seed", seed, "--weeks", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [w["week"] for w in out["weeks"]] == [1, 2, 3]
    assert all(w["events"] > 0 for w in out["weeks"])
    assert sum(w["messages"] for w in out["weeks"]) > 0  # the daily passes sent mail
    with Store.open(f"sqlite:///{tmp_path / 'data' / 'map.sqlite3'}") as store:
        with store.transaction() as tx:
            events = [e for d in tx.deals.newest_first() for e in tx.events.for_deal(d.deal_id)]
    kinds = {e.kind for e in events}
    assert {"step_done", "due_date_moved", "plan_agreed", "step_status_changed"} <= kinds
    # both sides typed into the plans, each credited to its side; the outcomes are the seller's
    sides = {e.actor_side.value for e in events if e.kind != "outcome_set"}
    assert {"buyer", "seller"} <= sides
    assert {e.actor_side.value for e in events if e.kind == "outcome_set"} == {"seller"}
    # the stories of the first five deals end in a win, a loss and a pause
    decided = {o["outcome"].split(" ")[0] for o in out["outcomes"]}
    assert decided == {"Won", "Lost", "On"}
    days = {e.occurred_at.date() for e in events if e.kind != "outcome_set"}
    assert len(days) >= 5  # stamped across the weeks played, not all at once


def test_consolidate_json_and_xlsx_for_a_team(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    teams = tmp_path / "teams.yaml"
    teams.write_text(f"teams:\n  - name: t-{tag}\n    managers: [boss-{tag}@vendor.example]\n")
    monkeypatch.setenv("MAP_TEAMS_FILE", str(teams))
    monkeypatch.setenv("MAP_SERVICE_ACCOUNT", f"svc-{tag}@map.example.com")
    assert main(["demo", "--deals", "3", "--seed", str(int(tag, 16) % 9999), "--weeks", "1"]) == 0
    capsys.readouterr()
    xlsx = tmp_path / "review.xlsx"
    assert main(["consolidate", "--team", f"t-{tag}", "--json", "--xlsx", str(xlsx)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {
        *("team", "deals", "workbook_id", "url", "risks", "data_issues", "written", "requests"),
    }
    assert out["written"] == "everything"  # a new workbook
    assert out["deals"] == 3 and out["team"] == f"t-{tag}"
    assert xlsx.exists() and xlsx.stat().st_size > 0
    assert main(["consolidate", "--team", "nope"]) == 2
    assert "unknown team 'nope'" in capsys.readouterr().err
