"""The Drive push channel the product registers for its change feed, and checking its calls.

A channel lasts at most a week for the changes resource
(https://developers.google.com/drive/api/guides/push#optional-properties); the renew job
replaces it a day before it ends. Its secret token, id and the last message number seen are
kept in the store, so any instance can check a notification: the channel id and token must
match, and message numbers must grow (a replayed notification is refused).
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..google.gateway import GoogleFactory
from ..store import Store
from .watch import CURSOR

CHANNEL = "drive.channel"
LIFETIME = timedelta(days=7) - timedelta(minutes=5)
RENEW_BEFORE = timedelta(days=1)


@dataclass
class Channels:
    """Registers, renews and checks the product's Drive push channel."""

    store: Store
    google: GoogleFactory
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def current(self) -> dict[str, Any] | None:
        with self.store.transaction() as tx:
            raw = tx.cursors.get(CHANNEL)
        return json.loads(raw) if raw else None

    def ensure(self, address: str) -> dict[str, Any]:
        """The live channel posting to `address`; registers a new one when none has a day left."""
        channel = self.current()
        now_ms = int(self.now().timestamp() * 1000)
        renew_ms = int(RENEW_BEFORE.total_seconds() * 1000)
        if (
            channel
            and channel["address"] == address
            and int(channel["expiration_ms"]) - now_ms > renew_ms
        ):
            return {**channel, "renewed": False}
        gateway = self.google.as_service()
        with self.store.transaction() as tx:
            page_token = tx.cursors.get(CURSOR)
        if page_token is None:
            page_token = gateway.start_page_token()
        expiration_ms = now_ms + int(LIFETIME.total_seconds() * 1000)
        token = secrets.token_urlsafe(24)
        answer = gateway.watch_changes(page_token, str(uuid.uuid4()), address, token, expiration_ms)
        fresh = {
            "id": answer["id"],
            "resource_id": answer["resourceId"],
            "token": token,
            "address": address,
            "expiration_ms": int(answer.get("expiration", expiration_ms)),
            "last_message": 0,
        }
        with self.store.transaction() as tx:
            tx.cursors.set(CHANNEL, json.dumps(fresh))
        if channel:
            try:
                gateway.stop_channel(channel["id"], channel["resource_id"])
            except Exception:  # the old channel expires on its own anyway
                pass
        return {**fresh, "renewed": True}

    def accept(self, channel_id: str, token: str, message_number: int) -> bool:
        """True for a notification of the live channel with a new message number (recorded)."""
        with self.store.transaction() as tx:
            raw = tx.cursors.get(CHANNEL)
            if not raw:
                return False
            channel = json.loads(raw)
            if not (
                secrets.compare_digest(channel["id"], channel_id)
                and secrets.compare_digest(channel["token"], token)
            ):
                return False
            if message_number <= int(channel.get("last_message", 0)):
                return False  # a replay, or a message we already took
            channel["last_message"] = message_number
            tx.cursors.set(CHANNEL, json.dumps(channel))
            return True
