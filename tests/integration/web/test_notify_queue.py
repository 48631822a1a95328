"""A notification pass through Cloud Tasks, end to end over real HTTP.

With MAP_REFRESH_QUEUE=cloud-tasks, cron's `/jobs/notify` answers at once with the parts of the
day's pass, one named task each (each deal; each seller's and each team's digest on the digest
day); the stand-in delivers each to `POST /jobs/notify/task` with an OIDC token, and the app
sends that part's messages through Gmail as the seller. Contracts: DESIGN.md "Running beyond one
machine" (job endpoints are idempotent, a queue may deliver twice) and "Security" (job endpoints
accept only verified callers); Cloud Tasks names a task once
(https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks/create:
"another task with the same name can't be created for ~1 hour after the original task was
deleted or executed").
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import requests
from id_token_helpers import mint_id_token
from test_refresh_job import Stack, stack

from addon.google.clients import gmail_service
from addon.web.resources import services
from localgoogle.server import Running

__all__ = ["stack"]  # the fixture, shared with the refresh queue's tests


def _job(local_google: Running, stack: Stack, path: str, **kwargs: Any) -> requests.Response:
    token = mint_id_token(local_google, f"{stack.base}{path}", stack.config.service_account)
    return requests.post(
        f"{stack.base}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=60, **kwargs
    )


def _sent(stack: Stack) -> list[str]:
    mailbox = gmail_service(stack.cli.google.backend_for(stack.owner)).users().messages()
    found = mailbox.list(userId="me", labelIds=["SENT"]).execute()
    return sorted(m["id"] for m in found.get("messages", []))


def test_a_pass_goes_through_the_queue_one_task_per_part_each_message_once(
    stack: Stack, local_google: Running
) -> None:
    created = stack.create_plan()
    with stack.cli.store.transaction(read_only=True) as tx:
        snapshot = tx.snapshots.latest(created.deal_id)
    assert snapshot is not None
    first_due = min(date.fromisoformat(s["due"]) for s in snapshot.payload["steps"])
    day = first_due - timedelta(days=1)  # a reminder is due: "Due tomorrow"
    with stack.app.app_context():
        services().notifier.today = lambda: day

    answer = _job(local_google, stack, "/jobs/notify")
    assert answer.status_code == 200, answer.text
    part = {"scope": "deal", "subject": created.deal_id, "day": day.isoformat()}
    assert part in answer.json()["enqueued"]
    stack.wait_until_drained()
    sent = _sent(stack)
    assert sent, "the queued part sent the reminders through Gmail"

    # cron runs twice: the same names, so Cloud Tasks keeps one task each; nothing is sent again
    assert _job(local_google, stack, "/jobs/notify").status_code == 200
    stack.wait_until_drained()
    assert _sent(stack) == sent
    # the queue delivers a part again: it answers 200 and sends nothing
    again = _job(local_google, stack, "/jobs/notify/task", json=part)
    assert again.status_code == 200, again.text
    assert again.json() == {"sent": [], "drafted": [], "skipped": []}
    assert _sent(stack) == sent


def test_a_body_that_is_no_notify_task_is_400_and_sends_nothing(
    stack: Stack, local_google: Running
) -> None:
    for body in ({}, {"scope": "deal", "subject": "d_1", "day": "soon"}, [1]):
        answer = _job(local_google, stack, "/jobs/notify/task", json=body)
        assert answer.status_code == 400
        assert set(answer.json()) == {"error"} and "\n" not in answer.json()["error"]
    assert _sent(stack) == []


def test_only_a_verified_caller_runs_a_part(stack: Stack) -> None:
    answer = requests.post(
        f"{stack.base}/jobs/notify/task",
        json={"scope": "deal", "subject": "d_1", "day": "2027-03-01"},
        timeout=30,
    )
    assert answer.status_code in (401, 403)
