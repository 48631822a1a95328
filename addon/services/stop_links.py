"""The signed link every message carries to stop them, and the secret that signs it.

The token names one recipient and one deal ("" for every message), signed with a secret made
once and kept in the store, so a link stops only its own recipient's messages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from ..store import Store

SECRET = "notify.secret"  # cursors key of the secret that signs stop links
STOP_PATH = "/notify/stop"


def stop_token(secret: str, email: str, deal_id: str) -> str:
    """A token naming who stops which deal's messages, signed so nobody can forge another's."""
    body = json.dumps({"e": email.lower(), "d": deal_id}, separators=(",", ":")).encode()
    data = base64.urlsafe_b64encode(body).decode().rstrip("=")
    signature = hmac.new(secret.encode(), data.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{data}.{signature}"


def read_stop_token(secret: str, token: str) -> tuple[str, str] | None:
    """(email, deal_id) of a genuine token; None for anything else."""
    data, _, signature = token.partition(".")
    expected = hmac.new(secret.encode(), data.encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        return str(body["e"]), str(body["d"])
    except (ValueError, KeyError, TypeError):
        return None


def notify_secret(store: Store) -> str:
    """The secret that signs stop links: made once, kept in the store for every process."""
    with store.transaction() as tx:
        known = tx.cursors.get(SECRET)
        if known:
            return known
        tx.cursors.set(SECRET, secrets.token_hex(32))
    with store.transaction(read_only=True) as tx:
        return tx.cursors.get(SECRET) or ""
