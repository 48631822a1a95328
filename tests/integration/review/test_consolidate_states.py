"""Consolidate on every state a pipeline can be in writes every team's review.

One team whose seller owns no plan yet, one whose seller owns a fresh plan never edited, an
edited one, an emptied one, one whose buyer removed the add-on's access and one in the trash.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.services.consolidate import Consolidator
from addon.services.context import Services, today
from localgoogle.server import Running


def test_every_team_gets_its_review_whatever_state_its_plans_are_in(
    local_google: Running, tmp_path: Path, sheets: Any, drive: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    seller, newcomer = f"sam-{tag}@vendor.example", f"nia-{tag}@vendor.example"
    managers = {"west": f"morgan-{tag}@vendor.example", "new": f"lee-{tag}@vendor.example"}
    teams = tmp_path / "teams.yaml"
    teams.write_text(
        "teams:\n"
        f"  - name: west-{tag}\n    managers: [{managers['west']}]\n    sellers: [{seller}]\n"
        f"  - name: new-{tag}\n    managers: [{managers['new']}]\n    sellers: [{newcomer}]\n"
    )
    service_account = f"svc-{tag}@map.example.com"
    services = Services(
        Config.from_env(
            {
                "MAP_LOCAL_GOOGLE_URL": local_google.url,
                "MAP_DATA_DIR": str(tmp_path / "data"),
                "MAP_SERVICE_ACCOUNT": service_account,
                "MAP_TEAMS_FILE": str(teams),
            }
        )
    )
    try:
        plans = {}
        for state in ("fresh", "edited", "emptied", "unreadable", "trashed"):
            buyer = f"{state}-{tag}@buyer.example"
            request = build_plan_request(
                deal_name=f"{state} deal",
                buyer_company=f"{state.capitalize()} Inc",
                buyer_emails=[buyer],
                go_live="2027-06-01",
                template="mid-market",
                owner=seller,
                amount="50000",
                today=today(),
            )
            plans[state] = (services.creator.create(request), buyer)
        services.watcher.tick()  # start the feed

        def values(state: str, range_: str, rows: list[list[Any]]) -> None:
            created, buyer = plans[state]
            sheets(buyer).spreadsheets().values().update(
                spreadsheetId=created.spreadsheet_id,
                range=range_,
                valueInputOption="RAW",
                body={"values": rows},
            ).execute()

        values("edited", "Plan!G2", [["Done"]])
        emptied, emptied_buyer = plans["emptied"]
        sheets(emptied_buyer).spreadsheets().values().clear(
            spreadsheetId=emptied.spreadsheet_id, range="Plan!A2:I200", body={}
        ).execute()
        unreadable, unreadable_buyer = plans["unreadable"]
        listed = (
            drive(unreadable_buyer)
            .permissions()
            .list(fileId=unreadable.spreadsheet_id, fields="permissions(id,emailAddress)")
            .execute()["permissions"]
        )
        (access,) = [p for p in listed if p.get("emailAddress") == service_account]
        drive(unreadable_buyer).permissions().delete(
            fileId=unreadable.spreadsheet_id, permissionId=access["id"]
        ).execute()
        drive(seller).files().update(
            fileId=plans["trashed"][0].spreadsheet_id, body={"trashed": True}
        ).execute()

        reviews, _, _ = Consolidator(services).run()
    finally:
        services.close()

    by_team = {review.team: review for review in reviews}
    assert by_team[f"new-{tag}"].deals == 0 and by_team[f"west-{tag}"].deals == 5
    empty = (
        sheets(managers["new"])
        .spreadsheets()
        .values()
        .get(spreadsheetId=by_team[f"new-{tag}"].workbook_id, range="Pipeline")
        .execute()["values"]
    )
    assert empty[0][0] == "Deal" and len(empty) == 1  # the header, no rows

    pipeline = (
        sheets(managers["west"])
        .spreadsheets()
        .values()
        .get(spreadsheetId=by_team[f"west-{tag}"].workbook_id, range="Pipeline")
        .execute()["values"]
    )
    header, rows = pipeline[0], pipeline[1:]
    by_deal = {row[0]: dict(zip(header, row, strict=False)) for row in rows}
    assert set(by_deal) == {f"{s} deal" for s in plans}
    since = today().isoformat()
    assert by_deal["unreadable deal"]["Unreadable since"] == since
    assert by_deal["trashed deal"]["Unreadable since"] == since
    assert by_deal["fresh deal"].get("Unreadable since", "") == ""
    assert by_deal["edited deal"]["% done"] not in ("0%", "")  # shown as a percentage
    assert by_deal["emptied deal"]["% done"] == "0%"
