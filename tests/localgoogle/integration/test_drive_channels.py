"""Drive push notifications from the stand-in, received over real HTTP by a tiny receiver.

Contracts:
- https://developers.google.com/drive/api/guides/push (sync then change messages, headers,
  expiration capped at 604800 s for changes, retries with exponential backoff)
- https://developers.google.com/drive/api/reference/rest/v3/changes/watch and .../channels/stop
- /work/shared/DESIGN.md, "Security": the Drive hook checks the channel token it registered

"Nothing arrives" is checked against a barrier: a second channel created later on the same
stand-in. The stand-in scans channels oldest first and delivers one message at a time, so once
the later channel has its message, any message owed to the earlier one has been delivered.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError

from addon.google.clients import Backend, drive_service, sheets_service
from localgoogle.server import Running, serve_in_thread
from localgoogle.storage import Storage

SHEET = "application/vnd.google-apps.spreadsheet"
WEEK_MS = 604800 * 1000


class Receiver:
    """A webhook on 127.0.0.1 recording every POST; `fail(path, n)` answers 503 n times."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.failures: dict[str, int] = {}
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.cond:
                    left = receiver.failures.get(self.path, 0)
                    receiver.failures[self.path] = max(0, left - 1)
                    status = 503 if left else 200
                    receiver.posts.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                            "status": status,
                        }
                    )
                    receiver.cond.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hooks/drive") -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def fail(self, path: str, times: int) -> None:
        with self.cond:
            self.failures[path] = times

    def messages(self, channel_id: str, delivered_only: bool = True) -> list[dict[str, str]]:
        with self.cond:
            return [
                p["headers"]
                for p in self.posts
                if p["headers"].get("x-goog-channel-id") == channel_id
                and (p["status"] == 200 or not delivered_only)
            ]

    def wait_for(self, channel_id: str, count: int, timeout: float = 5.0) -> list[dict[str, str]]:
        """The channel's delivered messages once there are `count` of them (fail after timeout)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.messages(channel_id)) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{channel_id}: {self.messages(channel_id)}"
                self.cond.wait(left)
            return self.messages(channel_id)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


def email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@acme.test"


def shared_sheet(drive: Any, owner: str, reader: str | None = None) -> str:
    file_id = str(
        drive(owner).files().create(body={"name": "Plan", "mimeType": SHEET}).execute()["id"]
    )
    if reader:
        body = {"type": "user", "role": "reader", "emailAddress": reader}
        drive(owner).permissions().create(fileId=file_id, body=body).execute()
    return file_id


def edit(sheets: Any, who: str, file_id: str, value: str = "x") -> None:
    sheets(who).spreadsheets().values().update(
        spreadsheetId=file_id, range="A1", valueInputOption="RAW", body={"values": [[value]]}
    ).execute()


def watch(drive: Any, who: str, address: str, **extra: Any) -> dict[str, Any]:
    token = drive(who).changes().getStartPageToken().execute()["startPageToken"]
    body = {"id": str(uuid.uuid4()), "type": "web_hook", "address": address, **extra}
    channel: dict[str, Any] = drive(who).changes().watch(pageToken=token, body=body).execute()
    return channel


def refused(call: Any) -> tuple[int, str, str]:
    with pytest.raises(HttpError) as info:
        call.execute()
    error = json.loads(info.value.content)["error"]
    return info.value.status_code, error["errors"][0]["reason"], error["message"]


def test_watch_returns_a_channel_and_a_sync_arrives(drive: Any, receiver: Receiver) -> None:
    bob = email("bob")
    before = time.time() * 1000
    channel = watch(drive, bob, receiver.url(), token="secret-1", params={"ttl": "10"})
    assert set(channel) == {"kind", "id", "resourceId", "resourceUri", "token", "expiration"}
    assert channel["kind"] == "api#channel" and channel["token"] == "secret-1"
    assert "/drive/v3/changes?alt=json&pageToken=" in channel["resourceUri"]
    assert before + 3600_000 <= int(channel["expiration"]) <= time.time() * 1000 + 3600_000
    (sync,) = receiver.wait_for(channel["id"], 1)
    assert sync["x-goog-resource-state"] == "sync"
    assert sync["x-goog-message-number"] == "1"
    assert sync["x-goog-channel-token"] == "secret-1"
    assert sync["x-goog-resource-id"] == channel["resourceId"]
    assert sync["x-goog-resource-uri"] == channel["resourceUri"]
    expected = formatdate(int(channel["expiration"]) / 1000, usegmt=True)
    assert sync["x-goog-channel-expiration"] == expected  # "Tue, 19 Nov 2013 01:13:52 GMT"
    assert sync["content-length"] == "0"
    assert [p["body"] for p in receiver.posts if p["headers"] is sync] == [b""]


def test_an_edit_by_another_user_to_a_shared_file_sends_a_change(
    drive: Any, sheets: Any, receiver: Receiver
) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = shared_sheet(drive, ann, reader=bob)
    start = drive(bob).changes().getStartPageToken().execute()["startPageToken"]
    channel = watch(drive, bob, receiver.url())
    receiver.wait_for(channel["id"], 1)
    edit(sheets, ann, file_id)
    sync, change = receiver.wait_for(channel["id"], 2, timeout=3.0)
    assert change["x-goog-resource-state"] == "change"
    assert int(change["x-goog-message-number"]) >= 2
    assert "x-goog-channel-token" not in change  # none was registered
    # What a receiver does next: ask changes.list what changed.
    listed = drive(bob).changes().list(pageToken=start).execute()["changes"]
    assert [c["fileId"] for c in listed] == [file_id]


def test_sharing_a_file_with_the_watcher_sends_a_change(drive: Any, receiver: Receiver) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = shared_sheet(drive, ann)
    channel = watch(drive, bob, receiver.url())
    receiver.wait_for(channel["id"], 1)
    body = {"type": "user", "role": "reader", "emailAddress": bob}
    drive(ann).permissions().create(fileId=file_id, body=body).execute()
    assert receiver.wait_for(channel["id"], 2)[1]["x-goog-resource-state"] == "change"


def test_an_edit_to_a_file_the_watcher_cannot_see_sends_nothing(
    drive: Any, sheets: Any, receiver: Receiver
) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = shared_sheet(drive, ann)
    blind = watch(drive, bob, receiver.url())
    barrier = watch(drive, ann, receiver.url())
    receiver.wait_for(blind["id"], 1)
    receiver.wait_for(barrier["id"], 1)
    edit(sheets, ann, file_id)
    receiver.wait_for(barrier["id"], 2)
    assert [m["x-goog-resource-state"] for m in receiver.messages(blind["id"])] == ["sync"]


def test_after_stop_nothing_arrives_and_only_the_creator_may_stop(
    drive: Any, sheets: Any, receiver: Receiver, local_google: Running
) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = shared_sheet(drive, ann, reader=bob)
    channel = watch(drive, bob, receiver.url())
    receiver.wait_for(channel["id"], 1)
    stop = {"id": channel["id"], "resourceId": channel["resourceId"]}
    assert refused(drive(ann).channels().stop(body=stop))[0] == 404  # not ann's channel
    bad = {"id": channel["id"], "resourceId": "nope"}
    assert refused(drive(bob).channels().stop(body=bad))[0] == 404
    raw = requests.post(
        f"{local_google.url}/drive/v3/channels/stop",
        json=stop,
        headers={"Authorization": f"Bearer local:{bob}"},
        timeout=10,
    )
    assert raw.status_code == 204 and raw.content == b""
    status, reason, message = refused(drive(bob).channels().stop(body=stop))
    assert (status, reason) == (404, "notFound") and channel["id"] in message
    barrier = watch(drive, ann, receiver.url())
    receiver.wait_for(barrier["id"], 1)
    edit(sheets, ann, file_id)
    receiver.wait_for(barrier["id"], 2)
    assert len(receiver.messages(channel["id"])) == 1
    counted = requests.get(f"{local_google.url}/_local/stats", timeout=10).json()["by_method"]
    assert counted["drive.changes.watch"] >= 2 and counted["drive.channels.stop"] >= 4


def test_only_loopback_addresses_and_web_hooks_are_accepted(drive: Any) -> None:
    bob = email("bob")
    for address in ("https://example.com/hook", "http://10.0.0.7:8080/h", "http://localhost.evil/"):
        status, reason, message = refused(
            drive(bob)
            .changes()
            .watch(pageToken="1", body={"id": "c", "type": "web_hook", "address": address})
        )
        assert status == 400 and "only delivers to loopback addresses" in message, address
    for body in (
        {"id": "c", "type": "email", "address": "http://127.0.0.1:9/"},
        {"id": "c", "type": "web_hook", "address": "ftp://127.0.0.1/"},
        {"type": "web_hook", "address": "http://127.0.0.1:9/"},
    ):
        assert refused(drive(bob).changes().watch(pageToken="1", body=body))[0] == 400
    accepted = watch(drive, bob, "http://[::1]:9/h")
    assert accepted["kind"] == "api#channel"


def test_page_token_is_required(local_google: Running) -> None:
    got = requests.post(
        f"{local_google.url}/drive/v3/changes/watch",
        json={"id": "c", "type": "web_hook", "address": "http://127.0.0.1:9/"},
        headers={"Authorization": "Bearer local:bob@acme.test"},
        timeout=10,
    )
    assert got.status_code == 400
    assert got.json()["error"]["message"] == "Required parameter: pageToken"


def test_expiration_defaults_caps_and_refuses_the_past(drive: Any, receiver: Receiver) -> None:
    bob = email("bob")
    month = int(time.time() * 1000) + 30 * 86400_000
    capped = watch(drive, bob, receiver.url(), expiration=str(month))
    assert int(capped["expiration"]) <= time.time() * 1000 + WEEK_MS
    assert int(capped["expiration"]) >= time.time() * 1000 + WEEK_MS - 60_000
    past = str(int(time.time() * 1000) - 1000)
    body = {"id": "p", "type": "web_hook", "address": receiver.url(), "expiration": past}
    assert refused(drive(bob).changes().watch(pageToken="1", body=body))[0] == 400
    taken = {"id": capped["id"], "type": "web_hook", "address": receiver.url()}
    assert refused(drive(bob).changes().watch(pageToken="1", body=taken))[:2] == (
        400,
        "channelIdNotUnique",
    )


def test_an_expired_channel_delivers_nothing(drive: Any, sheets: Any, receiver: Receiver) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = shared_sheet(drive, ann, reader=bob)
    soon = int(time.time() * 1000) + 1500
    channel = watch(drive, bob, receiver.url(), expiration=str(soon))
    assert channel["expiration"] == str(soon)
    receiver.wait_for(channel["id"], 1)
    time.sleep(max(0.0, soon / 1000 - time.time()) + 0.05)
    barrier = watch(drive, ann, receiver.url())
    receiver.wait_for(barrier["id"], 1)
    edit(sheets, ann, file_id)
    receiver.wait_for(barrier["id"], 2)
    assert len(receiver.messages(channel["id"])) == 1
    stop = {"id": channel["id"], "resourceId": channel["resourceId"]}
    assert refused(drive(bob).channels().stop(body=stop))[0] == 404


def test_failed_deliveries_are_retried_and_dead_addresses_block_nothing(
    drive: Any, sheets: Any, receiver: Receiver
) -> None:
    ann = email("ann")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    dead = watch(drive, ann, f"http://127.0.0.1:{dead_port}/hook")
    receiver.fail("/flaky", 2)
    flaky = watch(drive, ann, receiver.url("/flaky"))
    file_id = shared_sheet(drive, ann)
    edit(sheets, ann, file_id)
    tries = receiver.wait_for(flaky["id"], 2, timeout=6.0)
    assert [t["x-goog-resource-state"] for t in tries] == ["sync", "change"]
    attempts = receiver.messages(flaky["id"], delivered_only=False)
    assert [a["x-goog-message-number"] for a in attempts][:3] == ["1", "1", "1"]
    assert dead["id"] not in {p["headers"].get("x-goog-channel-id") for p in receiver.posts}


def test_channels_survive_a_restart(tmp_path: Path, receiver: Receiver) -> None:
    ann, bob = email("ann"), email("bob")

    def drive_at(running: Running) -> Any:
        return lambda who: drive_service(Backend.local(running.url, who))

    first = serve_in_thread(tmp_path / "data")
    try:
        file_id = shared_sheet(drive_at(first), ann, reader=bob)
        channel = watch(drive_at(first), bob, receiver.url(), token="kept")
        receiver.wait_for(channel["id"], 1)
    finally:
        first.stop()
    second = serve_in_thread(tmp_path / "data")
    try:
        sheets_at = sheets_service(Backend.local(second.url, ann))
        edit(lambda _who: sheets_at, ann, file_id)
        sync, change = receiver.wait_for(channel["id"], 2)
        assert (change["x-goog-resource-state"], change["x-goog-message-number"]) == ("change", "2")
        assert change["x-goog-channel-token"] == "kept"
        stop = {"id": channel["id"], "resourceId": channel["resourceId"]}
        assert drive_at(second)(bob).channels().stop(body=stop).execute() == ""
    finally:
        second.stop()


def test_after_commit_work_runs_only_after_a_commit(tmp_path: Path) -> None:
    storage = Storage(tmp_path)
    heard: list[Any] = []
    storage.add_change_listener(heard.append)

    def broken() -> None:
        raise ZeroDivisionError  # logged; neither the commit nor later callbacks suffer

    try:
        with storage.transaction() as tx:
            tx.after_commit(broken)
            tx.after_commit(lambda: heard.append("committed"))
            seq = tx.add_change("f1", "2026-01-01T00:00:00.000Z", ["ann@acme.test"], False)
            assert heard == []
        assert heard == ["committed", [seq]]
        with pytest.raises(RuntimeError), storage.transaction() as tx:
            tx.after_commit(lambda: heard.append("rolled back"))
            tx.add_change("f1", "2026-01-01T00:00:00.000Z", [], False)
            raise RuntimeError("boom")
        assert heard == ["committed", [seq]]
        with storage.transaction() as tx:
            assert tx.last_change_seq() == seq
    finally:
        storage.close()
