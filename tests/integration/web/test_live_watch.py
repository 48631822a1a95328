"""End to end over HTTP: a buyer's edit makes the stand-in push to the app, which records it."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from addon import create_app
from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.services.context import Services, today
from localgoogle.server import Running


def test_a_buyer_edit_reaches_the_activity_tab_through_push_notifications(
    local_google: Running, tmp_path: Path, sheets: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    server = make_server("127.0.0.1", 0, None, threaded=True)  # type: ignore[arg-type]
    base = f"http://127.0.0.1:{server.server_port}"
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(tmp_path),
            "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
            "MAP_ADDON_AUDIENCE": base,
        }
    )
    server.app = create_app(config)  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cli = Services(config)
    try:
        buyer = f"ann-{tag}@acme.example"
        created = cli.creator.create(
            build_plan_request(
                deal_name="Live deal",
                buyer_company="Acme",
                buyer_emails=[buyer],
                go_live="2027-05-03",
                template="mid-market",
                owner=f"sam-{tag}@vendor.example",
                today=today(),
            )
        )
        cli.watcher.tick()  # start the change feed
        cli.channels.ensure(f"{base}/hooks/drive")

        sheets(buyer).spreadsheets().values().update(
            spreadsheetId=created.spreadsheet_id,
            range="Plan!G2",
            valueInputOption="USER_ENTERED",
            body={"values": [["Blocked"]]},
        ).execute()

        deadline = time.monotonic() + 20
        activity: list[list[Any]] = []
        while time.monotonic() < deadline and not activity:
            time.sleep(0.2)
            got = (
                sheets(buyer)
                .spreadsheets()
                .values()
                .get(spreadsheetId=created.spreadsheet_id, range="Activity!A2:H")
                .execute()
            )
            activity = got.get("values", [])
        assert len(activity) == 1
        assert activity[0][1:3] == [buyer, "Buyer"]
        assert "Blocked" in activity[0][3] or activity[0][6] == "Blocked"
    finally:
        cli.close()
        server.shutdown()
