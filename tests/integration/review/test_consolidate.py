"""The pipeline review from the demo pipeline: right tabs, text stays text, three writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from addon.config import Config
from addon.demo.deals import demo_deals
from addon.demo.play import play_buyers
from addon.domain.model import Side
from addon.domain.plan_request import build_plan_request
from addon.domain.review_layout import grid_capacity
from addon.domain.teams import find_team, load_teams
from addon.services.consolidate import Consolidator
from addon.services.context import Services, today
from addon.store import OutcomeRecord, PersonRecord
from localgoogle.server import Running

FORMULA_TEXT = '=IMPORTXML("http://evil.example","//a")'


def _services(local_google: Running, tmp_path: Path, manager: str) -> Services:
    tag = uuid.uuid4().hex[:8]
    tmp_path.mkdir(parents=True, exist_ok=True)
    teams = tmp_path / "teams.yaml"
    teams.write_text(f"teams:\n  - name: review-{tag}\n    managers: [{manager}]\n")
    return Services(
        Config.from_env(
            {
                "MAP_LOCAL_GOOGLE_URL": local_google.url,
                "MAP_DATA_DIR": str(tmp_path / "data"),
                "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
                "MAP_TEAMS_FILE": str(teams),
            }
        )
    )


def _pipeline(services: Services, count: int, seed: int) -> None:
    names = ["enterprise-saas", "mid-market", "regulated-security", "expansion-renewal"]
    for deal in demo_deals(count, seed, today(), names):
        services.creator.create(build_plan_request(**asdict(deal), today=today()))


@pytest.fixture
def manager() -> str:
    return f"morgan-{uuid.uuid4().hex[:8]}@vendor.example"


@pytest.fixture
def services(local_google: Running, tmp_path: Path, manager: str) -> Iterator[Services]:
    built = _services(local_google, tmp_path, manager)
    yield built
    built.close()


def test_review_of_the_demo_pipeline_reads_back_right_and_keeps_buyer_text_as_text(
    services: Services, sheets: Any, manager: str
) -> None:
    seed = uuid.uuid4().int % 10_000
    _pipeline(services, 5, seed)
    play_buyers(services, 2, seed)
    with services.store.transaction() as tx:
        deal = tx.deals.newest_first()[0]
        buyer = next(p.email for p in deal.people if p.side is Side.BUYER)
    assert deal.spreadsheet_id
    rows = (
        sheets(buyer)
        .spreadsheets()
        .values()
        .get(spreadsheetId=deal.spreadsheet_id, range="Plan!A1:A400")
        .execute()["values"]
    )
    free = len(rows) + 1
    sheets(buyer).spreadsheets().values().update(
        spreadsheetId=deal.spreadsheet_id,
        range=f"Plan!C{free}:D{free}",
        valueInputOption="RAW",
        body={"values": [[FORMULA_TEXT, "Buyer"]]},
    ).execute()

    (review,), _, writes = Consolidator(services).run()

    assert review.created and review.deals == 5
    tabs = (
        sheets(manager)
        .spreadsheets()
        .get(spreadsheetId=review.workbook_id, fields="sheets(properties.title,charts.chartId)")
        .execute()["sheets"]
    )
    assert [t["properties"]["title"] for t in tabs] == [
        "This week",
        "Forecast totals",
        "Pipeline",
        "Steps",
        "Risks",
        "Risk summary",
        "Activity",
        "Forecast",
        "Velocity",
        "Data issues",
        "Onboarding",
        "Closed",
        "Win-loss",
        "Forecast accuracy",
    ]
    assert sum(len(t.get("charts", [])) for t in tabs) >= 3
    pipeline = (
        sheets(manager)
        .spreadsheets()
        .values()
        .get(spreadsheetId=review.workbook_id, range="Pipeline")
        .execute()["values"]
    )
    assert pipeline[0][0] == "Deal" and len(pipeline) == 6
    steps = (
        sheets(manager)
        .spreadsheets()
        .values()
        .get(spreadsheetId=review.workbook_id, range="Steps", valueRenderOption="FORMULA")
        .execute()["values"]
    )
    assert any(FORMULA_TEXT in row for row in steps)  # written RAW: still text, not a formula


def test_a_review_with_nothing_changed_costs_the_change_feed_only_for_5_deals_and_for_25(
    local_google: Running, tmp_path: Path, manager: str
) -> None:
    seed = uuid.uuid4().int % 10_000
    for count in (5, 25):
        services = _services(local_google, tmp_path / str(count), manager)
        try:
            _pipeline(services, count, seed + count)
            (first,), _, _ = Consolidator(services).run()  # creates and shares the workbook
            (review,), reads, writes = Consolidator(services).run()
        finally:
            services.close()
        assert (first.written, review.written, review.deals) == ("everything", "nothing", count)
        assert review.frames == {}  # the same inputs as the last review: nothing recomputed
        assert writes.total == 0, writes
        assert reads.as_json() == {"sheets": 0, "drive": 1}  # catch-up tick: nothing to read


def test_an_outcome_set_with_no_edit_to_the_plan_is_reviewed_again(
    local_google: Running, tmp_path: Path, manager: str
) -> None:
    """What the seller said of a deal's end is an input of the review of its own: a deal
    marked lost (here straight in the store, nothing written to its plan) leaves the Pipeline
    for the Closed tab on the next consolidate."""
    services = _services(local_google, tmp_path, manager)
    try:
        _pipeline(services, 2, uuid.uuid4().int % 10_000)
        Consolidator(services).run()
        with services.store.transaction() as tx:
            lost = tx.deals.newest_first()[0]
            when = datetime.now(UTC)
            tx.outcomes.record(OutcomeRecord(lost.deal_id, "lost", when.date(), manager, when))
        (review,), _, _ = Consolidator(services).run()
    finally:
        services.close()
    assert review.written != "nothing"
    assert list(review.frames["Closed"]["deal_id"]) == [lost.deal_id]
    assert lost.deal_id not in set(review.frames["Pipeline"]["deal_id"])


def test_a_deal_record_changed_with_no_edit_to_the_plan_is_reviewed_again(
    local_google: Running, tmp_path: Path, manager: str
) -> None:
    """The deal records are an input of the review of their own: a person added to a deal in
    the store (nothing written to its plan) is a new input, and the next consolidate reviews."""
    services = _services(local_google, tmp_path, manager)
    try:
        _pipeline(services, 2, uuid.uuid4().int % 10_000)
        Consolidator(services).run()
        (unchanged,), _, _ = Consolidator(services).run()
        with services.store.transaction() as tx:
            deal = tx.deals.newest_first()[0]
            tx.deals.add_person(
                deal.deal_id, PersonRecord("new.cfo@buyer.example", Side.BUYER, "New CFO")
            )
        (review,), _, _ = Consolidator(services).run()
    finally:
        services.close()
    assert (unchanged.written, unchanged.frames) == ("nothing", {})  # the last review kept
    assert review.frames  # computed again


def test_the_structure_is_written_only_when_it_changes(services: Services, manager: str) -> None:
    """Every write is one batchUpdate: new values, or rows reordered (the deal links follow
    them), the cells alone; a new row, the cells with the filter, colours and widths fitted to
    the rows; a table past its grid (a power of two), a get of the tabs and charts and then
    the structure too; a new column, the same."""
    _stored_deals(services, 3)
    consolidator = Consolidator(services)
    (review,), _, _ = consolidator.run()
    frames = review.frames
    team = find_team(load_teams(services.config.teams_file), None)[0]
    counter = services.google.counter

    def write(changed: dict[str, pd.DataFrame]) -> tuple[str, int]:
        before = counter.snapshot()
        written = consolidator._write(team, review.workbook_id, False, changed)
        return written, (counter.snapshot() - before).total

    assert write(frames) == ("nothing", 0)
    pipeline = frames["Pipeline"]
    a_day_later = pipeline.assign(
        **{"Days since buyer edit": pipeline["Days since buyer edit"] + 1}
    )
    assert write({**frames, "Pipeline": a_day_later}) == ("cells", 1)
    # the same rows in another order: the deal links follow them, in the same write
    reordered = a_day_later.iloc[::-1].reset_index(drop=True)
    assert write({**frames, "Pipeline": reordered}) == ("cells", 1)
    assert write({**frames, "Pipeline": reordered}) == ("nothing", 0)
    steps = frames["Steps"]
    longer = {**frames, "Steps": pd.concat([steps, steps.iloc[:1]], ignore_index=True)}
    assert write(longer) == ("fit and cells", 1)
    assert write(longer) == ("nothing", 0)
    grid = grid_capacity(len(steps) + 1)
    many = pd.concat([steps] * (grid // len(steps) + 1), ignore_index=True)
    assert len(many) + 1 > grid  # past the tab's grid: the structure is written again
    assert write({**frames, "Steps": many}) == ("everything", 2)
    wider = {**frames, "Steps": many.assign(Extra="x")}
    assert write(wider) == ("everything", 2)
    assert write(wider) == ("nothing", 0)


def test_a_plan_that_cannot_be_read_is_flagged_and_the_others_still_reviewed(
    services: Services, drive: Any, sheets: Any, manager: str
) -> None:
    seed = uuid.uuid4().int % 10_000
    _pipeline(services, 3, seed)
    services.watcher.tick()  # start the feed
    with services.store.transaction() as tx:
        lost = tx.deals.newest_first()[0]
    assert lost.spreadsheet_id
    drive(lost.owner_email).files().delete(fileId=lost.spreadsheet_id).execute()

    (review,), _, _ = Consolidator(services).run()

    assert review.deals == 3
    issues = review.frames["Data issues"]
    assert lost.name in set(issues["Deal"]) and "Unreadable" in set(issues["Kind"])
    pipeline = review.frames["Pipeline"].set_index("deal_id")
    assert pipeline.loc[lost.deal_id, "Data issues"] >= 1
    assert len(pipeline) == 3


def _stored_deals(services: Services, count: int) -> None:
    """`count` deals straight into the store (no sheets): enough for the review's write cost."""
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from addon.domain.model import PlanDocument
    from addon.domain.schedule import schedule
    from addon.domain.snapshot import initial_snapshot
    from addon.domain.templates import find_template
    from addon.store import DealRecord, DealStatus

    template = find_template("mid-market")
    now = datetime.now(UTC)
    with services.store.transaction() as tx:
        for n in range(count):
            go_live = today() + timedelta(days=60 + n % 90)
            plan = schedule(template, go_live, today())
            deal_id = f"d_many{n:08d}"
            tx.deals.insert(
                DealRecord(
                    deal_id=deal_id,
                    name=f"Deal {n}",
                    buyer_company=f"Buyer {n}",
                    owner_email="seller@vendor.example",
                    template=template.name,
                    template_version=template.version,
                    go_live=go_live,
                    signature_target=plan.signature_date,
                    amount=Decimal(50_000 + n),
                    created_at=now,
                    updated_at=now,
                    spreadsheet_id=f"not-a-sheet-{n}",
                    url=f"https://docs.google.com/spreadsheets/d/not-a-sheet-{n}/edit",
                    status=DealStatus.READY,
                )
            )
            document = PlanDocument(deal_id, f"Deal {n}", f"Buyer {n}", template, plan)
            tx.snapshots.insert(
                deal_id, initial_snapshot(document, "seller@vendor.example"), taken_at=now
            )


def test_writing_the_review_of_500_deals_is_one_batch_update(
    services: Services, sheets: Any, manager: str
) -> None:
    _stored_deals(services, 500)
    (review,), _, writes = Consolidator(services).run()
    assert review.deals == 500 and review.written == "everything" and review.created
    # made and shared with the team's managers; then the whole review in one batchUpdate
    # (a rewrite of an existing workbook adds one get of its tabs and charts: see
    # test_the_structure_is_written_only_when_it_changes)
    sheets_writes = {m: n for m, n in writes.by_method.items() if m.startswith("sheets.")}
    assert sheets_writes == {
        "sheets.spreadsheets.create": 1,
        "sheets.spreadsheets.batchUpdate": 1,
    }, writes
    pipeline = (
        sheets(manager)
        .spreadsheets()
        .values()
        .get(spreadsheetId=review.workbook_id, range="Pipeline!A1:A")
        .execute()["values"]
    )
    assert len(pipeline) == 501


def test_a_run_killed_after_creating_the_workbook_finds_it_instead_of_making_another(
    services: Services, drive: Any, manager: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addon.google.gateway import GoogleGateway

    class Killed(BaseException):
        """Stands for the process dying between Google's answer and the store's commit."""

    _pipeline(services, 2, 7)

    create = GoogleGateway.create_spreadsheet

    def create_then_die(self: GoogleGateway, body: dict[str, Any]) -> dict[str, Any]:
        create(self, body)
        raise Killed

    with monkeypatch.context() as patched:
        patched.setattr(GoogleGateway, "create_spreadsheet", create_then_die)
        with pytest.raises(Killed):
            Consolidator(services).run()

    (review,), _, _ = Consolidator(services).run()
    (again,), _, _ = Consolidator(services).run()

    listed = (  # as the owner: the manager never got the first one shared
        drive(services.config.service_account)
        .files()
        .list(q="name contains 'Pipeline review' and trashed = false", fields="files(id)")
        .execute()["files"]
    )
    assert [f["id"] for f in listed] == [review.workbook_id] == [again.workbook_id]
    assert not review.created and again.deals == 2
