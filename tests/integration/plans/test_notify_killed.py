"""A notification pass SIGKILLed part-way and run again sends no message twice.

Through a stand-in answering every request 150 ms late (so a pass takes seconds), with plans
made by the product three weeks ago: `map-addon notify --once --json` runs in its own process
and is killed with SIGKILL once Gmail has sent a few of its messages; a second pass then
finishes. Every seller's Sent mail is read back (users.messages.list/get): no recipient has the
same subject twice, and a third pass sends nothing. A message claimed when the kill came is
not sent again, by design (services/notify.py: missed rather than twice).
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.google.clients import gmail_service
from addon.services.context import Services
from localgoogle.knobs import Knobs
from localgoogle.server import serve_in_thread

SEND = "gmail.users.messages.send"


def _sends(url: str) -> int:
    with urllib.request.urlopen(f"{url}/_local/stats") as response:
        stats = json.loads(response.read())
    return sum(methods.get(SEND, 0) for methods in stats["by_user_method"].values())


def _pass(env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "addon.cli", "notify", "--once", "--json"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def test_a_killed_pass_run_again_sends_no_message_twice(tmp_path: Path) -> None:
    running = serve_in_thread(tmp_path / "google", knobs=Knobs(latency_ms=150))
    try:
        env = {
            **os.environ,
            "MAP_LOCAL_GOOGLE_URL": running.url,
            "MAP_DATA_DIR": str(tmp_path / "data"),
            "MAP_SERVICE_ACCOUNT": "svc@map.example.com",
        }
        env.pop("MAP_DATABASE_URL", None)
        services = Services(Config.from_env(env))
        made = datetime.now(UTC) - timedelta(weeks=3)
        services.creator.today = lambda: made.date()
        services.creator.now = lambda: made
        sellers = []
        for n in range(4):
            tag = uuid.uuid4().hex[:6]
            seller = f"maya-{tag}@vendor.example"
            sellers.append(seller)
            services.creator.create(
                build_plan_request(
                    deal_name=f"Rollout {n}",
                    buyer_company=f"Acme {n}",
                    buyer_emails=[f"ann-{tag}@acme.example", f"bo-{tag}@acme.example"],
                    go_live=(made.date() + timedelta(weeks=9)).isoformat(),
                    template="mid-market",
                    owner=seller,
                    today=made.date(),
                )
            )
        services.close()

        killed = _pass(env)
        deadline = time.monotonic() + 60
        while _sends(running.url) < 3 and time.monotonic() < deadline:
            assert killed.poll() is None, "the pass ended before it could be killed"
            time.sleep(0.05)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=10)
        assert killed.stdout is not None
        killed.stdout.close()
        before = _sends(running.url)
        assert before >= 3

        finished = _pass(env)
        out, _ = finished.communicate(timeout=120)
        assert finished.returncode == 0
        second = json.loads(out)
        assert second["sent"], "the second pass finishes what the first left"

        again = _pass(env)
        out, _ = again.communicate(timeout=120)
        assert json.loads(out)["sent"] == []  # every message is sent (or given up) once

        seen: Counter[tuple[str, str]] = Counter()
        reader = Services(Config.from_env(env))
        for seller in sellers:
            backend = reader.google.backend_for(seller)
            mailbox = gmail_service(backend).users().messages()
            listed = mailbox.list(userId="me", labelIds=["SENT"]).execute()
            for item in listed.get("messages", []):
                raw = mailbox.get(userId="me", id=item["id"], format="raw").execute()["raw"]
                message = email.message_from_bytes(
                    base64.urlsafe_b64decode(raw), policy=email.policy.default
                )
                seen[(str(message["To"]), str(message["Subject"]))] += 1
        reader.close()
        assert sum(seen.values()) == _sends(running.url)  # all sent mail is in the Sent label
        assert [key for key, count in seen.items() if count > 1] == []
    finally:
        running.stop()
