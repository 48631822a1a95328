"""The Cloud Tasks refresh queue: google-cloud-tasks (REST) against the stand-in.

Contracts: addon/services/refresh_queue.py (a durable queue runs nothing now and returns no
results), https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks/create
(named tasks de-duplicate with ALREADY_EXISTS), addon/web/auth.py (job callers present an ID
token for the endpoint's URL).
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from google.api_core import retry as core_retry
from google.auth.transport.requests import Request
from google.oauth2 import id_token
from http_receiver import Receiver

from addon.config import Config
from addon.domain.refresh_task import RefreshTask
from addon.google.cloud_tasks import CREATE_METHOD, CloudTasksQueue, task_id, tasks_client
from addon.google.errors import InvalidRequest, TransportFailure
from addon.services.refresh_queue import refresh_queue
from localgoogle.server import Running


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.stop()


def _config(local_google_url: str, audience: str, queue: str = "") -> Config:
    tag = uuid.uuid4().hex[:8]
    return Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google_url,
            "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
            "MAP_ADDON_AUDIENCE": audience,
            "MAP_REFRESH_QUEUE": "cloud-tasks",
            "MAP_TASKS_QUEUE": queue or f"projects/map-local/locations/here/queues/r-{tag}",
        }
    )


def _creates(local_google: Running, email: str) -> int:
    """tasks.create requests the stand-in served to `email`."""
    with urllib.request.urlopen(f"{local_google.url}/_local/stats") as response:
        stats = json.loads(response.read())
    return int(stats["by_user_method"].get(email, {}).get(CREATE_METHOD, 0))


def _never(task: RefreshTask) -> Any:
    raise AssertionError("a durable queue runs nothing in the tick")


def test_the_configuration_picks_the_cloud_tasks_queue(local_google: Running) -> None:
    queue = refresh_queue(_config(local_google.url, "http://127.0.0.1:9"))
    assert isinstance(queue, CloudTasksQueue) and queue.durable


def test_submit_creates_a_task_per_refresh_that_calls_the_job_with_an_id_token(
    local_google: Running, receiver: Receiver
) -> None:
    config = _config(local_google.url, receiver.url)
    tasks = [
        RefreshTask("deal-a", "7", "2026-11-26T10:00:00Z", None, "ann@acme.example"),
        RefreshTask("deal-b"),
    ]

    assert CloudTasksQueue.from_config(config).submit(tasks, _never) == []

    assert _creates(local_google, config.service_account) == 2
    posts = receiver.wait_for(2)
    assert [json.loads(p["body"]) for p in posts] == [t.as_json() for t in tasks]
    assert [p["headers"]["X-CloudTasks-TaskName"] for p in posts] == [
        task_id(t.name) for t in tasks
    ]
    for post in posts:
        assert post["path"] == "/jobs/refresh"
        assert post["headers"]["Content-Type"] == "application/json"
        claims = id_token.verify_token(
            post["headers"]["Authorization"].removeprefix("Bearer "),
            Request(),
            audience=f"{receiver.url}/jobs/refresh",
            certs_url=config.certs_url,
        )
        assert claims["email"] == config.service_account


def test_the_same_change_enqueued_twice_is_one_task(
    local_google: Running, receiver: Receiver
) -> None:
    config = _config(local_google.url, receiver.url)
    queue = CloudTasksQueue.from_config(config)
    change = RefreshTask("deal-c", "12")

    queue.submit([change, change], _never)
    queue.submit([change], _never)  # a tick re-run: the name is still taken
    queue.submit([RefreshTask("deal-barrier", "1")], _never)

    assert _creates(local_google, config.service_account) == 4
    posts = receiver.wait_for(2)  # the queue delivers in order: duplicates would come first
    time.sleep(0.3)
    bodies = [json.loads(p["body"])["deal_id"] for p in receiver.requests]
    assert bodies == ["deal-c", "deal-barrier"], posts


def test_an_api_error_is_the_projects_error(local_google: Running) -> None:
    config = _config(
        local_google.url, "http://127.0.0.1:9", "projects/p/locations/l/queues/no_underscores"
    )
    with pytest.raises(InvalidRequest) as info:
        CloudTasksQueue.from_config(config).submit([RefreshTask("deal-d")], _never)
    assert info.value.status == 400 and info.value.method == CREATE_METHOD
    assert "Queue name must be formatted" in info.value.message


def test_an_unreachable_api_is_a_transport_failure() -> None:
    config = _config("http://127.0.0.1:9", "http://127.0.0.1:9")  # nothing listens on port 9
    quick = core_retry.Retry(
        predicate=core_retry.if_exception_type(requests.exceptions.ConnectionError),
        initial=0.05,
        timeout=0.2,
    )
    queue = CloudTasksQueue(
        lambda: tasks_client(config),
        config.tasks_queue,
        "http://127.0.0.1:9/jobs/refresh",
        config.service_account,
        retry=quick,
    )
    with pytest.raises(TransportFailure) as info:
        queue.submit([RefreshTask("deal-e")], _never)
    assert info.value.method == CREATE_METHOD


@pytest.mark.parametrize(
    "name",
    ["deal-1-v7", "deal-1-vcatchup", "d.e/a:l-v1", "x" * 600],
)
def test_task_ids_are_valid_cloud_tasks_ids(name: str) -> None:
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,500}", task_id(name))
    assert task_id(name) == task_id(name)


def test_names_that_differ_only_in_unsafe_characters_get_different_ids() -> None:
    assert task_id("deal.1-v2") != task_id("deal_1-v2")
