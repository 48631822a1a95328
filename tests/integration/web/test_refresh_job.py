"""Per-plan refreshes through Cloud Tasks, end to end over real HTTP.

A watch tick enqueues each changed plan at the stand-in's Cloud Tasks (MAP_REFRESH_QUEUE =
cloud-tasks); the stand-in delivers the task to the app's `POST /jobs/refresh` with an OIDC
token; the app refreshes the plan. Contracts: DESIGN.md "Running beyond one machine" (every job
endpoint is idempotent, so the queue may deliver twice) and "Security" (job endpoints accept
only verified callers); addon/services/watch.py (Watcher.refresh).
"""

from __future__ import annotations

import io
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from id_token_helpers import mint_id_token
from werkzeug.serving import make_server

from addon import create_app
from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.google.cloud_tasks import tasks_client
from addon.services.context import Services, today
from addon.services.create_plan import PlanCreated
from addon.store import Store
from addon.web.resources import services
from localgoogle.server import Running


@dataclass
class Stack:
    """The app served over HTTP with a Cloud Tasks queue, and the CLI's services beside it."""

    config: Config
    base: str
    app: Flask
    cli: Services
    buyer: str
    owner: str
    deliveries: list[dict[str, Any]] = field(default_factory=list)  # what /jobs/refresh got

    def create_plan(self) -> PlanCreated:
        return self.cli.creator.create(
            build_plan_request(
                deal_name="Queued deal",
                buyer_company="Acme",
                buyer_emails=[self.buyer],
                go_live="2027-05-03",
                template="mid-market",
                owner=self.owner,
                today=today(),
            )
        )

    def wait_until_drained(self, timeout: float = 30) -> None:
        """Until the queue holds no task: every one was answered 2xx."""
        client = tasks_client(self.config)
        deadline = time.monotonic() + timeout
        while list(client.list_tasks(parent=self.config.tasks_queue)):
            assert time.monotonic() < deadline, "the queue did not drain"
            time.sleep(0.1)


def _recording(app: Flask, into: list[dict[str, Any]]) -> Callable[..., Iterable[bytes]]:
    """The app as WSGI, noting each request to /jobs/refresh (headers and body) first."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/jobs/refresh":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            headers = {
                k[5:].replace("_", "-").title(): v for k, v in environ.items() if k[:5] == "HTTP_"
            }
            headers["Content-Type"] = environ.get("CONTENT_TYPE", "")
            into.append({"headers": headers, "body": body})
            environ["wsgi.input"] = io.BytesIO(body)
        return app.wsgi_app(environ, start_response)

    return wsgi


@pytest.fixture
def stack(local_google: Running, tmp_path: Path) -> Iterator[Stack]:
    tag = uuid.uuid4().hex[:8]
    server = make_server("127.0.0.1", 0, None, threaded=True)  # type: ignore[arg-type]
    base = f"http://127.0.0.1:{server.server_port}"
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(tmp_path),
            "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
            "MAP_ADDON_AUDIENCE": base,
            "MAP_REFRESH_QUEUE": "cloud-tasks",
            "MAP_TASKS_QUEUE": f"projects/map-local/locations/here/queues/refresh-{tag}",
        }
    )
    app = create_app(config)
    built = Stack(
        config, base, app, Services(config), f"ann-{tag}@acme.example", f"sam-{tag}@vendor.example"
    )
    server.app = _recording(app, built.deliveries)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield built
    server.shutdown()
    thread.join()
    built.cli.close()
    with app.app_context():
        services().close()


def _events(stack: Stack, deal_id: str) -> list[str]:
    with stack.cli.store.transaction() as tx:
        return sorted(e.event_id for e in tx.events.for_deal(deal_id))


def _activity_ids(sheets: Any, who: str, spreadsheet_id: str) -> list[str]:
    got = (
        sheets(who)
        .spreadsheets()
        .values()
        .get(spreadsheetId=spreadsheet_id, range="Activity!H2:H")
        .execute()
    )
    return sorted(row[0] for row in got.get("values", []) if row)


def _token(local_google: Running, stack: Stack) -> str:
    return mint_id_token(local_google, f"{stack.base}/jobs/refresh", stack.config.service_account)


def test_a_buyer_edit_is_refreshed_through_the_queue_once(stack: Stack, sheets: Any) -> None:
    created = stack.create_plan()
    first = stack.cli.watcher.tick()  # starts the feed; catch-up reads go to the queue
    assert first.queued == [created.deal_id] and first.cursor_advanced
    stack.wait_until_drained()

    sheets(stack.buyer).spreadsheets().values().update(
        spreadsheetId=created.spreadsheet_id,
        range="Plan!G2",
        valueInputOption="USER_ENTERED",
        body={"values": [["Blocked"]]},
    ).execute()
    result = stack.cli.watcher.tick()

    assert result.queued == [created.deal_id]
    assert (result.changed_plans, result.events) == ([], [])  # nothing ran in the tick
    assert result.cursor_advanced
    stack.wait_until_drained()
    events = _events(stack, created.deal_id)
    assert events, "the queued refresh recorded the buyer's edit"
    assert _activity_ids(sheets, stack.owner, created.spreadsheet_id) == events
    assert stack.cli.watcher.tick().queued == []  # the refresh's own write is known

    assert len(stack.deliveries) == 2  # the catch-up read, then the edit: each delivered once
    assert all(d["headers"]["X-Cloudtasks-Queuename"] for d in stack.deliveries)

    # The queue delivers the same task again: nothing new is recorded, nothing is read.
    again = stack.deliveries[-1]
    answer = requests.post(
        f"{stack.base}/jobs/refresh", data=again["body"], headers=again["headers"], timeout=30
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["events"] == [] and answer.json()["requests"]["sheets"] == 0
    assert _events(stack, created.deal_id) == events
    assert _activity_ids(sheets, stack.owner, created.spreadsheet_id) == events


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"deal_id": 7}', b"[]"])
def test_a_body_that_is_no_refresh_task_is_400_and_runs_nothing(
    stack: Stack, local_google: Running, body: bytes
) -> None:
    headers = {"Authorization": f"Bearer {_token(local_google, stack)}"}
    answer = stack.app.test_client().post(
        "/jobs/refresh", data=body, headers=headers, content_type="application/json"
    )
    assert answer.status_code == 400
    assert set(answer.get_json()) == {"error"} and "\n" not in answer.get_json()["error"]


def test_a_plan_locked_elsewhere_answers_503_for_a_retry(
    stack: Stack, local_google: Running
) -> None:
    created = stack.create_plan()
    headers = {"Authorization": f"Bearer {_token(local_google, stack)}"}
    other = Store.open(stack.config.database_url)  # another process's hold on the plan
    try:
        with other.locks.hold(f"plan:{created.deal_id}") as held:
            assert held
            answer = stack.app.test_client().post(
                "/jobs/refresh", json={"deal_id": created.deal_id}, headers=headers
            )
    finally:
        other.close()
    assert answer.status_code == 503
    assert answer.get_json()["deferred"] == [created.deal_id]


def test_the_refresh_job_refuses_unverified_callers(stack: Stack) -> None:
    answer = stack.app.test_client().post("/jobs/refresh", json={"deal_id": "d-1"})
    assert answer.status_code == 401
