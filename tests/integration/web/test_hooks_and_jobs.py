"""The Drive hook and the job endpoints refuse forged calls and act on genuine ones."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from id_token_helpers import mint_id_token

from addon import create_app
from addon.config import Config
from addon.web.resources import services
from localgoogle.server import Running

AUDIENCE = "http://127.0.0.1:9"  # loopback: the stand-in only pushes there (nobody listens)


@pytest.fixture
def app(local_google: Running, tmp_path: Path) -> Iterator[Flask]:
    tag = uuid.uuid4().hex[:8]
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(tmp_path),
            "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
            "MAP_JOB_CALLERS": f"scheduler-{tag}@map.example.com",
            "MAP_ADDON_AUDIENCE": AUDIENCE,
        }
    )
    built = create_app(config)
    yield built
    with built.app_context():
        services().close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _caller(app: Flask) -> str:
    return app.config["MAP"].job_callers[0]


@pytest.mark.parametrize(
    ("audience_path", "who", "lifetime", "status"),
    [
        (None, None, 3600, 401),  # no token
        ("/jobs/other", "caller", 3600, 401),  # signed for another endpoint
        ("/jobs/watch", "stranger@evil.example", 3600, 403),  # not a job caller
        ("/jobs/watch", "caller", -60, 401),  # expired
    ],
)
def test_job_endpoint_refuses_callers_it_cannot_verify(
    app: Flask,
    client: FlaskClient,
    local_google: Running,
    audience_path: str | None,
    who: str | None,
    lifetime: int,
    status: int,
) -> None:
    headers = {}
    if audience_path is not None and who is not None:
        email = _caller(app) if who == "caller" else who
        token = mint_id_token(local_google, AUDIENCE + audience_path, email, lifetime)
        headers["Authorization"] = f"Bearer {token}"
    response = client.post("/jobs/watch", headers=headers)
    assert response.status_code == status
    with app.app_context():
        with services().store.transaction() as tx:
            assert tx.cursors.get("drive.changes") is None  # nothing ran


def test_job_endpoint_runs_a_tick_for_a_verified_caller(
    app: Flask, client: FlaskClient, local_google: Running
) -> None:
    token = mint_id_token(local_google, AUDIENCE + "/jobs/watch", _caller(app))
    response = client.post("/jobs/watch", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert set(response.get_json()) >= {"changed_plans", "events", "data_issues", "requests"}
    with app.app_context():
        with services().store.transaction() as tx:
            assert tx.cursors.get("drive.changes") is not None


def _register_channel(app: Flask, client: FlaskClient, local_google: Running) -> dict[str, Any]:
    token = mint_id_token(local_google, AUDIENCE + "/jobs/channels/renew", _caller(app))
    response = client.post("/jobs/channels/renew", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["renewed"] is True
    with app.app_context():
        channel = services().channels.current()
    assert channel is not None
    return channel


def _notify(client: FlaskClient, channel: dict[str, Any], number: int, **changes: str) -> int:
    headers = {
        "X-Goog-Channel-ID": channel["id"],
        "X-Goog-Channel-Token": channel["token"],
        "X-Goog-Resource-State": "change",
        "X-Goog-Message-Number": str(number),
    }
    headers.update(changes)
    return client.post("/hooks/drive", headers=headers).status_code


def test_hook_refuses_unknown_channels_wrong_tokens_and_replays(
    app: Flask, client: FlaskClient, local_google: Running
) -> None:
    channel = _register_channel(app, client, local_google)
    with app.app_context():
        runner = services().ticker
    assert _notify(client, channel, 100, **{"X-Goog-Channel-Token": "guess"}) == 403
    assert _notify(client, channel, 100, **{"X-Goog-Channel-ID": "other"}) == 403
    assert _notify(client, channel, 100, **{"X-Goog-Message-Number": "x"}) == 400
    assert runner.ticks == 0
    assert _notify(client, channel, 100) == 200
    assert runner.wait_idle(30) and runner.ticks == 1
    assert _notify(client, channel, 100) == 403  # the same message again: a replay
    assert _notify(client, channel, 99) == 403
    assert runner.ticks == 1


def test_hook_acknowledges_sync_without_a_tick(
    app: Flask, client: FlaskClient, local_google: Running
) -> None:
    channel = _register_channel(app, client, local_google)
    status = _notify(client, channel, 500, **{"X-Goog-Resource-State": "sync"})
    with app.app_context():
        runner = services().ticker
    time.sleep(0.2)
    assert status == 200 and runner.ticks == 0


def test_cron_style_get_runs_the_job_for_a_verified_caller_only(
    app: Flask, client: FlaskClient, local_google: Running
) -> None:
    assert client.get("/jobs/watch").status_code == 401
    token = mint_id_token(local_google, AUDIENCE + "/jobs/watch", _caller(app))
    response = client.get("/jobs/watch", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and "events" in response.get_json()
