"""Forged and hostile requests are refused before they change anything.

Every guarded endpoint (each `/addon/...` card endpoint, the Drive hook, each `/jobs/...`
endpoint by each method it answers) is called with each hostile variant of its credentials. A
refusal is a 401 or 403 (400 for a hook call that is no notification at all) with its reason in
the body, and leaves the store's rows, the stand-in's request counts and the watch-tick count as
they were. Genuine calls, with the same requests and the right credentials, are accepted: the
refusals are not unconditional, and the state comparison does see what an accepted call changes.

One app is built for the module, with a plan, its events, the change-feed cursor and a Drive
channel that replaced an older one; every case compares the state after it with the state
before it.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from id_token_helpers import (
    b64,
    hmac_signed,
    mint_id_token,
    parts,
    signed_by_foreign_key,
    stand_in_signer,
    unsigned,
)
from werkzeug.test import TestResponse

from addon import create_app
from addon.config import Config
from addon.domain.plan_checks import go_live_problem
from addon.domain.plan_request import build_plan_request
from addon.domain.templates import find_template
from addon.google.clients import Backend, sheets_service
from addon.services.context import Services, today
from addon.web.resources import services
from localgoogle.idtoken import ISSUER, IdTokenIssuer
from localgoogle.server import Running

AUDIENCE = "http://127.0.0.1:9"  # loopback: the stand-in pushes there and nobody listens
CALLER = "service-addons@system.example.com"  # MAP_ADDON_CALLER
JOB_CALLER = "scheduler@map.example.com"  # MAP_JOB_CALLERS
MANAGER = "morgan.manager@vendor.example"
STRANGER = "mallory@evil.example"

ADDON_PATHS = (
    "/addon/home",
    "/addon/file-scope",
    "/addon/plan/show",
    "/addon/plan/refresh",
    "/addon/plan/agree",
    "/addon/plan/new",
    "/addon/plan/form",
    "/addon/plan/create",
    "/addon/contact/new",
    "/addon/contact/add",
    "/addon/resource/new",
    "/addon/resource/share",
    "/addon/reminders/show",
    "/addon/reminders/save",
    "/addon/deal/won",  # the outcome moves: won, then refused, reopened, never unshared here
    "/addon/deal/lost",
    "/addon/deal/hold",
    "/addon/deal/reopen",
    "/addon/deal/end-sharing",
)
JOB_ROUTES = (  # App Engine cron calls with GET; Cloud Tasks and Cloud Scheduler with POST
    ("/jobs/watch", "GET"),
    ("/jobs/watch", "POST"),
    ("/jobs/refresh", "POST"),
    ("/jobs/channels/renew", "GET"),
    ("/jobs/channels/renew", "POST"),
    ("/jobs/consolidate", "GET"),
    ("/jobs/consolidate", "POST"),
    ("/jobs/notify", "GET"),
    ("/jobs/notify", "POST"),
    ("/jobs/notify/task", "POST"),
)
JOB_PATHS = tuple(dict.fromkeys(path for path, _ in JOB_ROUTES))


@dataclass
class World:
    """The module's app and what is in it."""

    app: Flask
    client: FlaskClient
    services: Services
    local_google: Running
    signer: IdTokenIssuer  # the stand-in's key: good signatures on any claims
    tables: sa.MetaData
    seller: str
    deal_id: str
    spreadsheet_id: str
    old_channel: dict[str, Any]  # replaced by the live one, and stopped at the stand-in

    def genuine(self, path: str, email: str, lifetime: int = 3600) -> str:
        """A token as Google would sign it for a call to `path` by `email`."""
        return mint_id_token(self.local_google, AUDIENCE + path, email, lifetime)

    def claims(self, audience: Any, email: Any, **changes: Any) -> dict[str, Any]:
        """A genuine token's claims with `changes` (a None value drops the claim)."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "azp": "100000000000000000001",
            "sub": "100000000000000000001",
            "email": email,
            "email_verified": True,
            "iat": now,
            "exp": now + 3600,
            **changes,
        }
        return {name: value for name, value in claims.items() if value is not None}

    def signed(self, path: str, email: Any, **changes: Any) -> str:
        """A token with a good signature for `path` and `email`, with `changes` to its claims."""
        return self.signer.sign(self.claims(AUDIENCE + path, email, **changes))

    def channel(self) -> dict[str, Any]:
        live = self.services.channels.current()
        assert live is not None
        return live

    def state(self) -> dict[str, Any]:
        """Every row of the store, the stand-in's request counts, and ticks run by the hook."""
        assert self.services.ticker.wait_idle(30)
        with self.services.store.engine.connect() as connection:
            rows = {
                name: sorted(repr(tuple(row)) for row in connection.execute(sa.select(table)))
                for name, table in self.tables.tables.items()
            }
        stats = requests.get(f"{self.local_google.url}/_local/stats", timeout=10).json()
        return {
            "rows": rows,
            "requests": stats["total"],
            "requests_by_user": stats["by_user"],
            "ticks": self.services.ticker.ticks,
        }


def _teams_file(directory: Path) -> Path:
    path = directory / "teams.yaml"
    path.write_text(f"teams:\n  - name: west\n    managers: [{MANAGER}]\n")
    return path


@pytest.fixture(scope="module")
def world(local_google: Running, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    directory = tmp_path_factory.mktemp("forged")
    tag = uuid.uuid4().hex[:8]
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(directory),
            "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
            "MAP_JOB_CALLERS": JOB_CALLER,
            "MAP_ADDON_AUDIENCE": AUDIENCE,
            "MAP_ADDON_CALLER": CALLER,
            "MAP_TEAMS_FILE": str(_teams_file(directory)),
        }
    )
    app = create_app(config)
    with app.app_context():
        shared = services()
    seller, buyer = f"sam-{tag}@vendor.example", f"ann-{tag}@acme.example"
    created = shared.creator.create(
        build_plan_request(
            deal_name="Initech rollout",
            buyer_company="Initech",
            buyer_emails=[buyer],
            go_live=(today() + timedelta(days=200)).isoformat(),
            template="mid-market",
            owner=seller,
            today=today(),
        )
    )
    shared.watcher.tick()  # starts the change feed
    sheets_service(Backend.local(local_google.url, buyer)).spreadsheets().values().update(
        spreadsheetId=created.spreadsheet_id,
        range="Plan!G2",
        valueInputOption="USER_ENTERED",
        body={"values": [["Blocked"]]},
    ).execute()
    assert shared.watcher.tick().events  # the buyer's edit is now an event in the store

    client = app.test_client()
    old = _renew_channel(client, shared, local_google)
    with shared.store.transaction() as tx:  # an hour left: the next renewal replaces it
        soon = int((datetime.now(UTC) + timedelta(hours=1)).timestamp() * 1000)
        tx.cursors.set("drive.channel", json.dumps({**old, "expiration_ms": soon}))
    live = _renew_channel(client, shared, local_google)
    assert live["id"] != old["id"]
    tables = sa.MetaData()
    tables.reflect(shared.store.engine)
    built = World(
        app,
        client,
        shared,
        local_google,
        stand_in_signer(local_google),
        tables,
        seller,
        created.deal_id,
        created.spreadsheet_id,
        old,
    )
    assert _notify(built, live["id"], live["token"], 1).status_code == 200  # last message: 1
    yield built
    shared.ticker.wait_idle(30)
    shared.close()


def _renew_channel(client: FlaskClient, shared: Services, local_google: Running) -> dict[str, Any]:
    token = mint_id_token(local_google, AUDIENCE + "/jobs/channels/renew", JOB_CALLER)
    response = client.post("/jobs/channels/renew", headers=_bearer(token))
    assert response.status_code == 200 and response.get_json()["renewed"] is True
    current = shared.channels.current()
    assert current is not None
    return current


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _other(paths: tuple[str, ...], path: str) -> str:
    """Another endpoint of the same group, whose genuine token is replayed to `path`."""
    return paths[(paths.index(path) + 1) % len(paths)]


def _assert_refused(response: TestResponse, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    reason = response.get_data(as_text=True)
    assert str(status) in reason and len(reason) > 40  # an error page that gives a reason


# ---------------------------------------------------------------- hostile bearer tokens

# (world, called path, the rightful caller) -> the request's extra headers.
Forgery = Callable[[World, str, str], dict[str, str]]


def _rewritten_audience(w: World, path: str, who: str, paths: tuple[str, ...]) -> dict[str, str]:
    """A genuine token for another endpoint whose audience is edited to this one."""
    header, claims, signature = parts(w.genuine(_other(paths, path), who))
    return _bearer(f"{b64(header)}.{b64({**claims, 'aud': AUDIENCE + path})}.{signature}")


def _alg_none_on_genuine(w: World, path: str, who: str) -> dict[str, str]:
    header, claims, signature = parts(w.genuine(path, who))
    return _bearer(f"{b64({**header, 'alg': 'none'})}.{b64(claims)}.{signature}")


def _hs256_with_certificate(w: World, path: str, who: str) -> dict[str, str]:
    ((key_id, certificate),) = w.signer.certs().items()
    return _bearer(hmac_signed(w.claims(AUDIENCE + path, who), certificate.encode(), key_id))


def _spoofed_host(w: World, path: str, who: str) -> dict[str, str]:
    """The attacker's own host in the token and in the request: the audience is not the Host."""
    token = w.signer.sign(w.claims("http://evil.example" + path, who))
    forwarded = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
    return {**_bearer(token), "Host": "evil.example", **forwarded}


def token_forgeries(paths: tuple[str, ...]) -> dict[str, Forgery]:
    """Credentials that are no valid ID token for the called endpoint, whoever they name."""
    kid = lambda w: next(iter(w.signer.certs()))  # noqa: E731
    return {
        "no-authorization": lambda w, p, who: {},
        "bearer-garbage": lambda w, p, who: {"Authorization": "Bearer garbage"},
        "bearer-empty": lambda w, p, who: {"Authorization": "Bearer "},
        "bearer-scheme-alone": lambda w, p, who: {"Authorization": "Bearer"},
        "token-without-bearer-scheme": lambda w, p, who: {"Authorization": w.genuine(p, who)},
        "basic-credentials": lambda w, p, who: {
            "Authorization": "Basic " + base64.b64encode(f"{who}:hunter2".encode()).decode()
        },
        "not-a-jwt": lambda w, p, who: _bearer("not-a-jwt"),
        "four-part-jwt": lambda w, p, who: _bearer(w.genuine(p, who) + ".e30"),
        "undecodable-jwt": lambda w, p, who: _bearer("e30.bm90anNvbg.c2ln"),
        "alg-none": lambda w, p, who: _bearer(unsigned(w.claims(AUDIENCE + p, who))),
        "alg-none-on-a-genuine-token": _alg_none_on_genuine,
        "hs256-keyed-with-the-certificate": _hs256_with_certificate,
        "other-key-same-kid": lambda w, p, who: _bearer(
            signed_by_foreign_key(w.claims(AUDIENCE + p, who), kid(w))
        ),
        "other-key-unknown-kid": lambda w, p, who: _bearer(
            signed_by_foreign_key(w.claims(AUDIENCE + p, who), "f" * 40)
        ),
        "other-key-no-kid": lambda w, p, who: _bearer(
            signed_by_foreign_key(w.claims(AUDIENCE + p, who), None)
        ),
        "audience-rewritten-after-signing": lambda w, p, who: _rewritten_audience(w, p, who, paths),
        "expired": lambda w, p, who: _bearer(w.genuine(p, who, lifetime=-60)),
        "issued-in-the-future": lambda w, p, who: _bearer(
            w.signed(p, who, iat=int(time.time()) + 600, exp=int(time.time()) + 4200)
        ),
        "not-valid-before-the-future": lambda w, p, who: _bearer(
            w.signed(p, who, nbf=int(time.time()) + 600)
        ),
        "without-expiry": lambda w, p, who: _bearer(w.signed(p, who, exp=None)),
        "time-claims-not-numbers": lambda w, p, who: _bearer(w.signed(p, who, iat="now")),
        "audience-of-another-host": lambda w, p, who: _bearer(
            w.signer.sign(w.claims("https://evil.example" + p, who))
        ),
        "audience-under-a-lookalike-base": lambda w, p, who: _bearer(
            w.signer.sign(w.claims(AUDIENCE + "0" + p, who))
        ),
        "audience-of-the-base-url": lambda w, p, who: _bearer(
            w.signer.sign(w.claims(AUDIENCE, who))
        ),
        "audience-with-a-query-string": lambda w, p, who: _bearer(
            w.signer.sign(w.claims(AUDIENCE + p + "?x=1", who))
        ),
        "audience-with-a-trailing-slash": lambda w, p, who: _bearer(
            w.signer.sign(w.claims(AUDIENCE + p + "/", who))
        ),
        "audience-list-naming-this-endpoint": lambda w, p, who: _bearer(
            w.signer.sign(w.claims([AUDIENCE + p, "https://evil.example"], who))
        ),
        "replayed-from-another-endpoint": lambda w, p, who: _bearer(
            w.genuine(_other(paths, p), who)
        ),
        "audience-of-a-spoofed-host": _spoofed_host,
        "wrong-issuer": lambda w, p, who: _bearer(w.signed(p, who, iss="https://evil.example")),
        "issuer-lookalike": lambda w, p, who: _bearer(
            w.signed(p, who, iss="https://accounts.google.com.evil.example")
        ),
        "no-issuer": lambda w, p, who: _bearer(w.signed(p, who, iss=None)),
        "issuer-not-a-string": lambda w, p, who: _bearer(w.signed(p, who, iss=[ISSUER])),
    }


def caller_forgeries(other_group_caller: str) -> dict[str, Forgery]:
    """Valid ID tokens for the called endpoint that do not prove the rightful caller."""
    return {
        "stranger": lambda w, p, who: _bearer(w.genuine(p, STRANGER)),
        "caller-of-the-other-group": lambda w, p, who: _bearer(w.genuine(p, other_group_caller)),
        "a-seller": lambda w, p, who: _bearer(w.genuine(p, w.seller)),
        "caller-email-with-a-suffix": lambda w, p, who: _bearer(w.genuine(p, who + ".evil")),
        "caller-email-unverified": lambda w, p, who: _bearer(
            w.signed(p, who, email_verified=False)
        ),
        "caller-email-verified-false-as-text": lambda w, p, who: _bearer(
            w.signed(p, who, email_verified="false")
        ),
        "caller-email-verification-missing": lambda w, p, who: _bearer(
            w.signed(p, who, email_verified=None)
        ),
        "no-email": lambda w, p, who: _bearer(w.signer.sign(w.claims(AUDIENCE + p, None))),
        "email-as-a-list": lambda w, p, who: _bearer(w.signed(p, [who])),
    }


ADDON_FORGERIES = {**token_forgeries(ADDON_PATHS), **caller_forgeries(JOB_CALLER)}
JOB_TOKEN_FORGERIES = token_forgeries(JOB_PATHS)
JOB_CALLER_FORGERIES = caller_forgeries(CALLER)
JOB_SPOOFED_HEADERS: dict[str, dict[str, str]] = {
    "appengine-cron-header": {"X-Appengine-Cron": "true"},
    "cloud-tasks-headers": {"X-CloudTasks-QueueName": "map-refresh", "X-CloudTasks-TaskName": "1"},
    "app-engine-task-header": {"X-AppEngine-QueueName": "plan-refresh"},
    "both-headers-and-a-garbage-token": {
        "X-Appengine-Cron": "true",
        "X-CloudTasks-QueueName": "map-refresh",
        "Authorization": "Bearer garbage",
    },
}


def test_the_matrix_covers_every_guarded_endpoint(world: World) -> None:
    guarded = {
        (rule.rule, method)
        for rule in world.app.url_map.iter_rules()
        if rule.rule.startswith(("/addon/", "/hooks/", "/jobs/"))
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    covered = (
        {(path, "POST") for path in ADDON_PATHS} | set(JOB_ROUTES) | {("/hooks/drive", "POST")}
    )
    assert guarded == covered


# ---------------------------------------------------------------- add-on card endpoints


def _event(world: World, user_token: str | None = None) -> dict[str, Any]:
    """An event that would act on every endpoint: the seller's deal, a complete plan form and a
    complete contact form, inside the deal's sheet."""
    day = today() + timedelta(days=200)
    while go_live_problem(day, find_template("mid-market"), today()):  # a business day
        day += timedelta(days=1)
    go_live = datetime.combine(day, datetime.min.time(), UTC)
    text = lambda value: {"stringInputs": {"value": [value]}}  # noqa: E731
    return {
        "commonEventObject": {
            "hostApp": "SHEETS",
            "parameters": {"deal_id": world.deal_id},
            "formInputs": {
                "deal": text("Forged deal"),
                "buyer_company": text("Evil Corp"),
                "buyer_email_0": text("eve@evil.example"),
                "buyer_role_0": text("Champion"),
                "go_live": {"dateInput": {"msSinceEpoch": str(int(go_live.timestamp() * 1000))}},
                "template": text("mid-market"),
                "amount": text("1000"),
                "email": text(f"eve-{uuid.uuid4().hex[:6]}@evil.example"),
                "name": text("Eve"),
                "role": text("Legal"),
            },
        },
        "authorizationEventObject": {
            "userIdToken": user_token or mint_id_token(world.local_google, AUDIENCE, world.seller),
            "userOAuthToken": "unused-locally",
        },
        "sheets": {"id": world.spreadsheet_id, "addonHasFileScopePermission": True},
    }


@pytest.mark.parametrize("forgery", ADDON_FORGERIES)
@pytest.mark.parametrize("path", ADDON_PATHS)
def test_an_addon_call_without_googles_token_for_it_is_refused_with_401(
    world: World, path: str, forgery: str
) -> None:
    headers = ADDON_FORGERIES[forgery](world, path, CALLER)
    event = _event(world)
    before = world.state()
    response = world.client.post(path, json=event, headers=headers)
    _assert_refused(response, 401)
    assert world.state() == before


USER_TOKEN_FORGERIES: dict[str, Callable[[World], str]] = {
    "missing": lambda w: "",
    "garbage": lambda w: "garbage",
    "alg-none": lambda w: unsigned(w.claims(AUDIENCE, w.seller)),
    "other-key": lambda w: signed_by_foreign_key(w.claims(AUDIENCE, w.seller), "f" * 40),
    "expired": lambda w: mint_id_token(w.local_google, AUDIENCE, w.seller, lifetime=-60),
    "audience-of-another-add-on": lambda w: mint_id_token(
        w.local_google, "https://evil.example", w.seller
    ),
    "wrong-issuer": lambda w: w.signer.sign(
        w.claims(AUDIENCE, w.seller, iss="https://evil.example")
    ),
    "email-unverified": lambda w: w.signer.sign(w.claims(AUDIENCE, w.seller, email_verified=False)),
    "email-verified-false-as-text": lambda w: w.signer.sign(
        w.claims(AUDIENCE, w.seller, email_verified="false")
    ),
    "no-email": lambda w: w.signer.sign(w.claims(AUDIENCE, None)),
}


@pytest.mark.parametrize("forgery", USER_TOKEN_FORGERIES)
@pytest.mark.parametrize("path", ADDON_PATHS)
def test_an_addon_call_from_google_for_a_forged_user_is_refused_with_401(
    world: World, path: str, forgery: str
) -> None:
    """Google's call is genuine, but the event's `userIdToken` (who the seller is) is not."""
    event = _event(world, USER_TOKEN_FORGERIES[forgery](world))
    if forgery == "missing":
        del event["authorizationEventObject"]["userIdToken"]
    headers = _bearer(world.genuine(path, CALLER))
    before = world.state()
    response = world.client.post(path, json=event, headers=headers)
    _assert_refused(response, 401)
    assert "user ID token" in response.get_data(as_text=True)
    assert world.state() == before


ACTING_PATHS = {
    "/addon/plan/refresh",
    "/addon/plan/agree",
    "/addon/plan/create",
    "/addon/contact/add",
    "/addon/deal/won",
    "/addon/deal/reopen",
}


@pytest.mark.parametrize("path", ADDON_PATHS)
def test_the_same_addon_call_with_googles_token_is_answered(world: World, path: str) -> None:
    event = _event(world)
    headers = _bearer(world.genuine(path, CALLER))
    before = world.state()
    response = world.client.post(path, json=event, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "renderActions" in response.get_json()
    assert "Something went wrong" not in response.get_data(as_text=True)
    if path in ACTING_PATHS:  # what a forged call would have done, had it been let in
        assert world.state() != before


def test_app_engine_job_headers_do_not_open_the_addon_endpoints(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAE_ENV", "standard")
    spoofed = {"X-Appengine-Cron": "true", "X-CloudTasks-QueueName": "map-refresh"}
    for path in ADDON_PATHS:
        before = world.state()
        _assert_refused(world.client.post(path, json=_event(world), headers=spoofed), 401)
        assert world.state() == before


NOT_AN_EVENT: dict[str, dict[str, Any]] = {
    "malformed-json": {"data": '{"commonEventObject": ', "content_type": "application/json"},
    "json-array": {"data": "[]", "content_type": "application/json"},
    "json-string": {"data": '"home"', "content_type": "application/json"},
    "form-encoded": {"data": {"commonEventObject": "x"}},
    "no-body": {},
}


@pytest.mark.parametrize("body", NOT_AN_EVENT)
@pytest.mark.parametrize("path", ADDON_PATHS)
def test_a_body_that_is_no_event_is_a_400(world: World, path: str, body: str) -> None:
    headers = _bearer(world.genuine(path, CALLER))
    before = world.state()
    response = world.client.post(path, headers=headers, **NOT_AN_EVENT[body])
    _assert_refused(response, 400)
    assert world.state() == before


def _error_card_or_4xx(response: TestResponse) -> None:
    """A clean answer to a hostile body: an error card, or a 4xx with its reason; never a 500."""
    if response.status_code == 200:
        assert "renderActions" in response.get_json()
    else:
        assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:500]
        assert len(response.get_data(as_text=True)) > 40


MISSHAPEN: dict[str, Callable[[World], dict[str, Any]]] = {
    "nested-a-hundred-thousand-deep": lambda w: {
        "data": "[" * 100_000 + "]" * 100_000,
        "content_type": "application/json",
    },
    "sixteen-megabytes": lambda w: {
        "json": {
            "authorizationEventObject": _event(w)["authorizationEventObject"],
            "padding": "x" * (16 << 20),
        }
    },
    "wrong-shapes-everywhere": lambda w: {
        "json": {
            "commonEventObject": ["x"],
            "authorizationEventObject": "x",
            "sheets": 5,
        }
    },
    "user-token-not-a-string": lambda w: {
        "json": {"authorizationEventObject": {"userIdToken": {"alg": "none"}}}
    },
    "form-inputs-of-wrong-shapes": lambda w: {
        "json": {
            **_event(w),
            "commonEventObject": {
                "parameters": ["deal_id"],
                "formInputs": {"deal": "x", "go_live": {"dateInput": {"msSinceEpoch": "soon"}}},
            },
        }
    },
}


@pytest.mark.parametrize("body", MISSHAPEN)
@pytest.mark.parametrize("path", ["/addon/home", "/addon/plan/create", "/addon/contact/add"])
def test_a_misshapen_or_enormous_event_gets_a_clean_answer(
    world: World, path: str, body: str
) -> None:
    headers = _bearer(world.genuine(path, CALLER))
    request = MISSHAPEN[body](world)
    before = world.state()
    _error_card_or_4xx(world.client.post(path, headers=headers, **request))
    assert world.state() == before


@pytest.mark.parametrize(
    ("path", "caller"), [("/addon/home", CALLER), ("/jobs/refresh", JOB_CALLER)]
)
def test_a_body_over_a_megabyte_is_refused_413_before_it_is_read(
    world: World, path: str, caller: str
) -> None:
    headers = _bearer(world.genuine(path, caller))
    before = world.state()
    response = world.client.post(path, headers=headers, json={"padding": "x" * (2 << 20)})
    assert response.status_code == 413
    assert world.state() == before


# ---------------------------------------------------------------- job endpoints


def _call_job(world: World, path: str, method: str, headers: dict[str, str]) -> TestResponse:
    """A job call; a POST carries a refresh task for the plan (the other jobs ignore it), or
    for one part of a notification pass, the plan's part of today's."""
    task: dict[str, str] | None = {"deal_id": world.deal_id} if method == "POST" else None
    if path == "/jobs/notify/task":
        task = {"scope": "deal", "subject": world.deal_id, "day": date.today().isoformat()}
    return world.client.open(path, method=method, headers=headers, json=task)


@pytest.mark.parametrize("forgery", JOB_TOKEN_FORGERIES)
@pytest.mark.parametrize(("path", "method"), JOB_ROUTES)
def test_a_job_call_without_a_valid_token_for_it_is_refused_with_401(
    world: World, path: str, method: str, forgery: str
) -> None:
    headers = JOB_TOKEN_FORGERIES[forgery](world, path, JOB_CALLER)
    before = world.state()
    _assert_refused(_call_job(world, path, method, headers), 401)
    assert world.state() == before


@pytest.mark.parametrize("forgery", JOB_CALLER_FORGERIES)
@pytest.mark.parametrize(("path", "method"), JOB_ROUTES)
def test_a_job_call_from_a_caller_not_in_map_job_callers_is_refused_with_403(
    world: World, path: str, method: str, forgery: str
) -> None:
    headers = JOB_CALLER_FORGERIES[forgery](world, path, JOB_CALLER)
    before = world.state()
    _assert_refused(_call_job(world, path, method, headers), 403)
    assert world.state() == before


@pytest.mark.parametrize("gae_env", [None, "localdev", "flex"])
@pytest.mark.parametrize("spoof", JOB_SPOOFED_HEADERS)
@pytest.mark.parametrize(("path", "method"), JOB_ROUTES)
def test_cron_and_cloud_tasks_headers_are_not_trusted_off_app_engine_standard(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    method: str,
    spoof: str,
    gae_env: str | None,
) -> None:
    if gae_env is None:
        monkeypatch.delenv("GAE_ENV", raising=False)
    else:
        monkeypatch.setenv("GAE_ENV", gae_env)
    before = world.state()
    _assert_refused(_call_job(world, path, method, JOB_SPOOFED_HEADERS[spoof]), 401)
    assert world.state() == before


@pytest.mark.parametrize(("path", "method"), JOB_ROUTES)
def test_cloud_tasks_headers_prove_nothing_even_on_app_engine(
    world: World, monkeypatch: pytest.MonkeyPatch, path: str, method: str
) -> None:
    """App Engine passes X-CloudTasks-* through from anyone: an HTTP task needs its ID token."""
    monkeypatch.setenv("GAE_ENV", "standard")
    before = world.state()
    spoofed = JOB_SPOOFED_HEADERS["cloud-tasks-headers"]
    _assert_refused(_call_job(world, path, method, spoofed), 401)
    assert world.state() == before


@pytest.mark.parametrize("path", [path for path, method in JOB_ROUTES if method == "GET"])
def test_head_requests_to_job_endpoints_are_guarded_too(world: World, path: str) -> None:
    """Flask answers HEAD with the GET view: it must not run it for a stranger."""
    for headers in ({}, {"X-Appengine-Cron": "true"}, _bearer(world.genuine(path, STRANGER))):
        before = world.state()
        assert _call_job(world, path, "HEAD", headers).status_code in (401, 403)
        assert world.state() == before


@pytest.mark.parametrize(("path", "method"), JOB_ROUTES)
def test_the_same_job_call_with_a_job_callers_token_runs(
    world: World, path: str, method: str
) -> None:
    response = _call_job(world, path, method, _bearer(world.genuine(path, JOB_CALLER)))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()


@pytest.mark.parametrize(
    "header", [{"X-Appengine-Cron": "true"}, {"X-AppEngine-QueueName": "plan-refresh"}]
)
def test_cron_and_app_engine_task_headers_are_trusted_on_app_engine_standard(
    world: World, monkeypatch: pytest.MonkeyPatch, header: dict[str, str]
) -> None:
    """App Engine strips these headers from outside requests, so there they prove the caller."""
    monkeypatch.setenv("GAE_ENV", "standard")
    before = world.state()
    response = _call_job(world, "/jobs/watch", "GET", header)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert world.state()["requests"] > before["requests"]  # the tick asked Drive for changes


# ---------------------------------------------------------------- the Drive hook


def _notify(
    world: World, channel_id: str | None, token: str | None, number: str | int | None
) -> TestResponse:
    headers = {"X-Goog-Resource-State": "change", "X-Goog-Resource-ID": "r"}
    for name, value in (
        ("X-Goog-Channel-ID", channel_id),
        ("X-Goog-Channel-Token", token),
        ("X-Goog-Message-Number", number),
    ):
        if value is not None:
            headers[name] = str(value)
    return world.client.post("/hooks/drive", headers=headers)


# (world, live channel) -> (channel id, token, message number), None: header left out.
Notification = Callable[[World, dict[str, Any]], tuple[Any, Any, Any]]

HOOK_FORGERIES: dict[str, tuple[Notification, int]] = {
    "no-channel-headers": (lambda w, c: (None, None, None), 400),
    "no-channel-id": (lambda w, c: (None, c["token"], c["last_message"] + 1), 403),
    "no-token": (lambda w, c: (c["id"], None, c["last_message"] + 1), 403),
    "empty-token": (lambda w, c: (c["id"], "", c["last_message"] + 1), 403),
    "unknown-channel-id": (lambda w, c: (str(uuid.uuid4()), c["token"], 10**6), 403),
    "wrong-token": (lambda w, c: (c["id"], "guess", c["last_message"] + 1), 403),
    "token-with-a-suffix": (lambda w, c: (c["id"], c["token"] + "x", 10**6), 403),
    "id-and-token-swapped": (lambda w, c: (c["token"], c["id"], 10**6), 403),
    "resource-id-as-token": (lambda w, c: (c["id"], c["resource_id"], 10**6), 403),
    "token-of-the-replaced-channel": (
        lambda w, c: (c["id"], w.old_channel["token"], 10**6),
        403,
    ),
    "replaced-channel-replayed": (
        lambda w, c: (w.old_channel["id"], w.old_channel["token"], 10**6),
        403,
    ),
    "replayed-message-number": (lambda w, c: (c["id"], c["token"], c["last_message"]), 403),
    "earlier-message-number": (lambda w, c: (c["id"], c["token"], c["last_message"] - 1), 403),
    "message-number-not-a-number": (lambda w, c: (c["id"], c["token"], "next"), 400),
    "message-number-of-5000-digits": (lambda w, c: (c["id"], c["token"], "9" * 5000), 400),
    "non-ascii-token": (lambda w, c: (c["id"], "tök" + c["token"], 10**6), 403),
    "non-ascii-channel-id": (lambda w, c: ("chännel", c["token"], 10**6), 403),
}


@pytest.mark.parametrize("forgery", HOOK_FORGERIES)
def test_a_forged_drive_notification_is_refused_without_a_tick(world: World, forgery: str) -> None:
    notification, status = HOOK_FORGERIES[forgery]
    before = world.state()
    response = _notify(world, *notification(world, world.channel()))
    _assert_refused(response, status)
    assert world.state() == before  # no tick, no request, the last message number kept


def test_a_notification_of_an_expired_channel_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = world.channel()
    expired = datetime.fromtimestamp(channel["expiration_ms"] / 1000 + 1, UTC)
    monkeypatch.setattr(world.services.channels, "now", lambda: expired)
    before = world.state()
    response = _notify(world, channel["id"], channel["token"], channel["last_message"] + 1)
    _assert_refused(response, 403)
    assert world.state() == before


def test_a_genuine_notification_starts_one_tick(world: World) -> None:
    channel = world.channel()
    before = world.state()
    response = _notify(world, channel["id"], channel["token"], channel["last_message"] + 1)
    assert response.status_code == 200
    after = world.state()
    assert after["ticks"] == before["ticks"] + 1
    assert after["requests"] > before["requests"]
    assert world.channel()["last_message"] == channel["last_message"] + 1
