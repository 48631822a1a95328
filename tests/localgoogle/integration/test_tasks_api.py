"""Cloud Tasks v2 tasks at the stand-in, through google-cloud-tasks over REST, and delivery to a
tiny receiver over real HTTP.

Contracts:
- https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks (create
  with or without a name, 409 ALREADY_EXISTS for a name in use or used recently, get, list,
  delete, BASIC and FULL views)
- https://cloud.google.com/tasks/docs/creating-http-target-tasks (X-CloudTasks-* headers, OIDC
  token, 2xx ends a task, anything else is retried) and .../creating-appengine-handlers
  (X-AppEngine-* headers)
- error wordings recorded from Google: aertje/cloud-tasks-emulator conformance/golden
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from google.api_core import exceptions as core_exceptions
from google.api_core.client_options import ClientOptions
from google.auth.transport.requests import Request
from google.cloud import tasks_v2
from google.oauth2 import id_token
from http_receiver import Receiver

from addon.google.clients import LocalCredentials
from localgoogle.knobs import Knobs
from localgoogle.server import Running, serve_in_thread


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.stop()


def _client(url: str, email: str) -> tasks_v2.CloudTasksClient:
    return tasks_v2.CloudTasksClient(
        credentials=LocalCredentials(email),
        transport="rest",
        client_options=ClientOptions(api_endpoint=url),
    )


@pytest.fixture
def client(local_google: Running) -> tasks_v2.CloudTasksClient:
    return _client(local_google.url, f"svc-{uuid.uuid4().hex[:8]}@tasks.example")


@pytest.fixture
def queue() -> str:
    return f"projects/map-local/locations/here/queues/q-{uuid.uuid4().hex[:10]}"


def _http_task(url: str, name: str = "", later: bool = False, **extra: Any) -> tasks_v2.Task:
    task = tasks_v2.Task(
        name=name,
        http_request=tasks_v2.HttpRequest(
            http_method=tasks_v2.HttpMethod.POST,
            url=url,
            headers={"Content-Type": "application/json"},
            body=b'{"deal_id": "d-1"}',
            **extra,
        ),
    )
    if later:  # not due for an hour: stays in the queue while the test looks at it
        task.schedule_time = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    return task


def _delete_all(client: tasks_v2.CloudTasksClient, queue: str) -> None:
    for task in client.list_tasks(parent=queue):
        client.delete_task(name=task.name)


def test_create_answers_the_task_and_get_and_list_find_it(
    client: tasks_v2.CloudTasksClient, queue: str, receiver: Receiver
) -> None:
    name = f"{queue}/tasks/refresh-1"
    created = client.create_task(parent=queue, task=_http_task(receiver.url, name, later=True))
    assert created.name == name
    assert created.view == tasks_v2.Task.View.BASIC
    assert created.http_request.body == b""  # BASIC leaves the body out
    assert created.http_request.http_method == tasks_v2.HttpMethod.POST
    assert created.dispatch_count == 0
    full = client.get_task(request={"name": name, "response_view": tasks_v2.Task.View.FULL})
    assert full.http_request.body == b'{"deal_id": "d-1"}'
    assert full.http_request.headers["Content-Type"] == "application/json"
    assert [t.name for t in client.list_tasks(parent=queue)] == [name]
    _delete_all(client, queue)


def test_a_task_created_without_a_name_gets_a_generated_one(
    client: tasks_v2.CloudTasksClient, queue: str, receiver: Receiver
) -> None:
    first = client.create_task(parent=queue, task=_http_task(receiver.url, later=True))
    second = client.create_task(parent=queue, task=_http_task(receiver.url, later=True))
    assert first.name.startswith(f"{queue}/tasks/") and second.name.startswith(f"{queue}/tasks/")
    assert first.name != second.name
    _delete_all(client, queue)


def test_a_name_in_use_is_409_already_exists_in_googles_shape(
    local_google: Running, client: tasks_v2.CloudTasksClient, queue: str, receiver: Receiver
) -> None:
    name = f"{queue}/tasks/same-change"
    client.create_task(parent=queue, task=_http_task(receiver.url, name, later=True))
    with pytest.raises(core_exceptions.Conflict) as info:  # REST: 409 is Conflict in api-core
        client.create_task(parent=queue, task=_http_task(receiver.url, name, later=True))
    error = {"code": 409, "message": "Requested entity already exists", "status": "ALREADY_EXISTS"}
    assert info.value.response.json() == {"error": error}
    assert len(list(client.list_tasks(parent=queue))) == 1
    _delete_all(client, queue)


def test_a_deleted_task_is_gone_but_its_name_stays_taken(
    client: tasks_v2.CloudTasksClient, queue: str, receiver: Receiver
) -> None:
    name = f"{queue}/tasks/deleted-one"
    client.create_task(parent=queue, task=_http_task(receiver.url, name, later=True))
    client.delete_task(name=name)
    with pytest.raises(core_exceptions.NotFound, match="existed recently"):
        client.get_task(name=name)
    with pytest.raises(core_exceptions.NotFound, match="Requested entity was not found"):
        client.delete_task(name=name)
    with pytest.raises(core_exceptions.Conflict, match="existed too recently"):
        client.create_task(parent=queue, task=_http_task(receiver.url, name))
    assert list(client.list_tasks(parent=queue)) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("{queue}/tasks/not a valid id", 'Task ID "not a valid id" can contain only letters'),
        ("{queue}-other/tasks/x", "must be the same as the queue name in the named task"),
    ],
)
def test_bad_task_names_are_400(
    client: tasks_v2.CloudTasksClient, queue: str, receiver: Receiver, name: str, message: str
) -> None:
    with pytest.raises(core_exceptions.BadRequest, match=message):
        client.create_task(parent=queue, task=_http_task(receiver.url, name.format(queue=queue)))


def test_tasks_for_other_machines_are_refused(
    client: tasks_v2.CloudTasksClient, queue: str
) -> None:
    with pytest.raises(core_exceptions.BadRequest, match="loopback"):
        client.create_task(parent=queue, task=_http_task("https://example.com/jobs/refresh"))


def test_app_engine_tasks_need_an_app_to_go_to(
    client: tasks_v2.CloudTasksClient, queue: str
) -> None:
    task = tasks_v2.Task(app_engine_http_request=tasks_v2.AppEngineHttpRequest(relative_uri="/x"))
    with pytest.raises(core_exceptions.BadRequest) as info:
        client.create_task(parent=queue, task=task)
    assert info.value.response.json()["error"]["status"] == "FAILED_PRECONDITION"


def test_methods_it_lacks_answer_501(client: tasks_v2.CloudTasksClient, queue: str) -> None:
    with pytest.raises(core_exceptions.MethodNotImplemented):
        client.get_queue(name=queue)


def test_a_task_is_delivered_with_cloud_tasks_headers_and_an_id_token(
    local_google: Running, client: tasks_v2.CloudTasksClient, queue: str, receiver: Receiver
) -> None:
    url = f"{receiver.url}/jobs/refresh"
    oidc = tasks_v2.OidcToken(service_account_email="svc@map.example.com", audience=url)
    client.create_task(parent=queue, task=_http_task(url, f"{queue}/tasks/t-1", oidc_token=oidc))

    [got] = receiver.wait_for(1)
    headers = got["headers"]
    assert got["path"] == "/jobs/refresh" and json.loads(got["body"]) == {"deal_id": "d-1"}
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "Google-Cloud-Tasks"
    assert headers["X-CloudTasks-QueueName"] == queue.rsplit("/", 1)[-1]
    assert headers["X-CloudTasks-TaskName"] == "t-1"
    assert headers["X-CloudTasks-TaskRetryCount"] == "0"
    assert headers["X-CloudTasks-TaskExecutionCount"] == "0"
    assert abs(float(headers["X-CloudTasks-TaskETA"]) - time.time()) < 30
    claims = id_token.verify_token(
        headers["Authorization"].removeprefix("Bearer "),
        Request(),
        audience=url,
        certs_url=f"{local_google.url}/oauth2/v1/certs",
    )
    assert claims["email"] == "svc@map.example.com" and claims["email_verified"] is True


def test_failures_are_retried_and_a_2xx_ends_the_task(
    client: tasks_v2.CloudTasksClient, queue: str, receiver: Receiver
) -> None:
    receiver.answers = [503, 404]
    name = f"{queue}/tasks/flaky"
    client.create_task(parent=queue, task=_http_task(f"{receiver.url}/job", name))

    attempts = receiver.wait_for(3)
    headers = [a["headers"] for a in attempts]
    assert [a["status"] for a in attempts] == [503, 404, 200]
    assert [h["X-CloudTasks-TaskRetryCount"] for h in headers] == ["0", "1", "2"]
    # HTTP targets: a 5xx answer is not counted as an execution, a 404 is.
    assert [h["X-CloudTasks-TaskExecutionCount"] for h in headers] == ["0", "0", "1"]
    assert [h.get("X-CloudTasks-TaskPreviousResponse") for h in headers] == [None, "503", "404"]
    deadline = time.monotonic() + 5
    while list(client.list_tasks(parent=queue)) and time.monotonic() < deadline:
        time.sleep(0.05)
    with pytest.raises(core_exceptions.NotFound, match="existed recently"):
        client.get_task(name=name)
    time.sleep(0.3)
    assert len(receiver.requests) == 3  # nothing after the 200


def test_a_queue_dispatches_no_faster_than_its_rate(
    client: tasks_v2.CloudTasksClient, queue: str, receiver: Receiver
) -> None:
    for n in range(6):  # the shared stand-in dispatches 5 tasks per second and queue
        client.create_task(parent=queue, task=_http_task(receiver.url, f"{queue}/tasks/r-{n}"))

    times = [r["at"] for r in receiver.wait_for(6)]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    # Dispatches are 0.2 s apart; arrival times jitter a little around them.
    assert times[-1] - times[0] > 0.85 and min(gaps) > 0.1, gaps


def test_app_engine_tasks_go_to_the_app_with_app_engine_headers(
    tmp_path: Path, receiver: Receiver
) -> None:
    running = serve_in_thread(tmp_path, knobs=Knobs(app_engine_url=receiver.url))
    try:
        client = _client(running.url, "svc@map.example.com")
        queue = "projects/map-local/locations/here/queues/app-engine"
        task = tasks_v2.Task(
            name=f"{queue}/tasks/ae-1",
            app_engine_http_request=tasks_v2.AppEngineHttpRequest(
                relative_uri="/jobs/refresh?x=1", body=b"{}"
            ),
        )
        receiver.answers = [500]
        client.create_task(parent=queue, task=task)
        attempts = receiver.wait_for(2)
    finally:
        running.stop()
    headers = attempts[1]["headers"]
    assert attempts[1]["path"] == "/jobs/refresh?x=1"
    assert headers["User-Agent"] == "AppEngine-Google; (+http://code.google.com/appengine)"
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["X-AppEngine-QueueName"] == "app-engine"
    assert headers["X-AppEngine-TaskName"] == "ae-1"
    assert headers["X-AppEngine-TaskRetryCount"] == "1"
    assert headers["X-AppEngine-TaskExecutionCount"] == "1"  # App Engine counts the 500
    assert not any(h.startswith("X-CloudTasks-") for h in headers)


def test_queued_tasks_survive_a_restart(tmp_path: Path, receiver: Receiver) -> None:
    running = serve_in_thread(tmp_path)
    queue = "projects/map-local/locations/here/queues/durable"
    task = _http_task(receiver.url, f"{queue}/tasks/kept")
    task.schedule_time = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    _client(running.url, "svc@map.example.com").create_task(parent=queue, task=task)
    running.stop()
    assert receiver.requests == []

    running = serve_in_thread(tmp_path)
    try:
        [got] = receiver.wait_for(1)
    finally:
        running.stop()
    assert got["headers"]["X-CloudTasks-TaskName"] == "kept"


def test_errors_use_googles_json_shape(local_google: Running, queue: str) -> None:
    answer = requests.post(
        f"{local_google.url}/v2/{queue}/tasks",
        json={"task": {"name": f"{queue}/tasks/bad!"}},
        headers={"Authorization": "Bearer local:svc@map.example.com"},
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert set(answer.json()["error"]) == {"code", "message", "status"}


def test_only_json_answers_can_be_asked_for(local_google: Running, queue: str) -> None:
    answer = requests.get(
        f"{local_google.url}/v2/{queue}/tasks",
        params={"$alt": "proto"},
        headers={"Authorization": "Bearer local:svc@map.example.com"},
        timeout=10,
    )
    assert answer.status_code == 400 and answer.json()["error"]["status"] == "INVALID_ARGUMENT"
