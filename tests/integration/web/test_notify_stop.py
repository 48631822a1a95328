"""The stop link in every reminder: GET asks, POST (or a mail client's one-click) stops; a token
that is not genuine changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from addon import create_app
from addon.config import Config
from addon.services.notify import STOP_PATH, notify_secret, stop_token
from addon.store import DealRecord, DealStatus
from addon.web.resources import services


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    config = Config.from_env(
        {
            "MAP_DATA_DIR": str(tmp_path),
            "MAP_SERVICE_ACCOUNT": f"svc-{uuid.uuid4().hex[:6]}@x.example",
        }
    )
    built = create_app(config)
    now = datetime.now(UTC)
    with built.app_context():
        with services().store.transaction() as tx:
            tx.deals.insert(
                DealRecord(
                    deal_id="d_1",
                    name="Acme <b>rollout</b>",
                    buyer_company="Acme",
                    owner_email="sam@vendor.example",
                    template="mid-market",
                    template_version=1,
                    go_live=date(2027, 6, 1),
                    created_at=now,
                    updated_at=now,
                    status=DealStatus.READY,
                )
            )
    yield built
    with built.app_context():
        services().close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _url(app: Flask, email: str = "ann@acme.example", deal_id: str = "d_1") -> str:
    with app.app_context():
        token = stop_token(notify_secret(services().store), email, deal_id)
    return f"{STOP_PATH}?token={quote(token)}"


def _stopped(app: Flask) -> set[str]:
    with app.app_context(), services().store.transaction() as tx:
        return tx.opt_outs.for_deal("d_1")


def test_get_asks_and_stops_nothing_post_stops(app: Flask, client: FlaskClient) -> None:
    url = _url(app)
    asked = client.get(url)
    assert asked.status_code == 200 and b"<form method=post" in asked.data
    assert b"Acme &lt;b&gt;rollout&lt;/b&gt;" in asked.data and b"<b>rollout" not in asked.data
    assert _stopped(app) == set()  # a mail scanner following the link stops nothing
    done = client.post(url)
    assert done.status_code == 200 and b"no more reminders about" in done.data
    assert _stopped(app) == {"ann@acme.example"}


def test_one_click_post_from_a_mail_client(app: Flask, client: FlaskClient) -> None:
    """RFC 8058: a POST with List-Unsubscribe=One-Click to the List-Unsubscribe URL."""
    response = client.post(_url(app), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and _stopped(app) == {"ann@acme.example"}


@pytest.mark.parametrize(
    "token", ["", "garbage", "e30.0000", "eyJlIjoiYkB4LmV4YW1wbGUiLCJkIjoiZF8xIn0.x"]
)
def test_a_token_that_is_not_genuine_changes_nothing(
    app: Flask, client: FlaskClient, token: str
) -> None:
    response = client.post(f"{STOP_PATH}?token={quote(token)}")
    assert response.status_code == 400 and b"not valid" in response.data
    assert _stopped(app) == set()
