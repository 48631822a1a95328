"""Cloud Tasks v2 `projects.locations.queues.tasks`: create, get, list and delete.

https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks. Tasks live
in SQLite and are delivered by `tasks_dispatch`. Any well-formed queue name accepts tasks (Google
wants the queue created first, by queue.yaml or `queues.create`; the stand-in has no queue
methods). A task named at creation keeps its name taken for an hour after it was delivered or
deleted, as Google's API-created queues do (up to 9 days for queue.yaml queues), so creating it
again answers 409 ALREADY_EXISTS. HTTP tasks may only target loopback addresses; App Engine
tasks go to `Knobs.app_engine_url`. Error wordings come from answers recorded against Google
(aertje/cloud-tasks-emulator, conformance/golden/realcloud.json) unless marked "approximate".
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from . import tasks_dispatch
from .context import Caller, local_google
from .errors import ApiError, bad_request, not_found, not_implemented
from .loopback import LOOPBACK_ONLY, is_loopback
from .routing import Router
from .tasks_dispatch import timestamp

_router = Router("cloudtasks", "")
_METHOD = "cloudtasks.projects.locations.queues.tasks"

TOMBSTONE_S = 3600.0  # a delivered or deleted task's name stays taken this long
DEFAULT_DEADLINE = "600s"  # HTTP tasks: 10 minutes unless the task says otherwise
HTTP_USER_AGENT = "Google-Cloud-Tasks"
APP_ENGINE_USER_AGENT = "AppEngine-Google; (+http://code.google.com/appengine)"
_PROJECT_ID = re.compile(r"[A-Za-z0-9:.-]+")
_QUEUE_ID = re.compile(r"[A-Za-z0-9-]{1,100}")
_TASK_ID = re.compile(r"[A-Za-z0-9_-]{1,500}")
_NOT_FOUND = "Requested entity was not found."


@_router.add("POST", f"{_METHOD}.create")
def create_task(caller: Caller, projectsId: str, locationsId: str, queuesId: str) -> dict[str, Any]:
    """https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks/create"""
    queue = _queue_name(projectsId, locationsId, queuesId)
    body = caller.body if isinstance(caller.body, dict) else {}
    task = body.get("task")
    if not isinstance(task, dict):
        raise bad_request("Request must include a task.")  # approximate
    name = task.get("name") or f"{queue}/tasks/{secrets.randbelow(10**19):019d}"
    _check_task_name(queue, name)
    now = time.time()
    due = max(now, _seconds(task.get("scheduleTime"), "task.schedule_time", now))
    stored = {
        "name": name,
        **_target(task),
        "scheduleTime": timestamp(due),
        "createTime": timestamp(now),
        "dispatchDeadline": task.get("dispatchDeadline") or DEFAULT_DEADLINE,
        "dispatchCount": 0,
        "responseCount": 0,
    }
    entry = {"task": stored, "queue": queue, "due": due, "executions": 0}
    dispatcher = tasks_dispatch.start(local_google())
    with local_google().storage.transaction() as tx:
        tx.forget_tasks(done_before=now - TOMBSTONE_S)
        existing = tx.task(name)
        if existing is not None:
            raise _already_exists(existing)
        tx.put_task(entry)
        tx.after_commit(dispatcher.wake)
    return render(stored, body.get("responseView"))


@_router.add("GET", f"{_METHOD}.get")
def get_task(
    caller: Caller, projectsId: str, locationsId: str, queuesId: str, tasksId: str
) -> dict[str, Any]:
    """https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks/get"""
    name = f"{_queue_name(projectsId, locationsId, queuesId)}/tasks/{tasksId}"
    with local_google().storage.transaction() as tx:
        entry = tx.task(name)
    if entry is None:
        raise not_found(_NOT_FOUND)
    if entry.get("doneAt") is not None:
        raise not_found(
            "The task no longer exists, though a task with this name existed recently. "
            "The task either successfully completed or was deleted."
        )
    return render(entry["task"], caller.arg("responseView"))


@_router.add("GET", f"{_METHOD}.list")
def list_tasks(caller: Caller, projectsId: str, locationsId: str, queuesId: str) -> dict[str, Any]:
    """https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks/list

    Oldest first (Google promises no order); the page token is the last row seen.
    """
    queue = _queue_name(projectsId, locationsId, queuesId)
    size = int(caller.arg("pageSize") or 1000)
    if not 0 <= size <= 1000:
        raise bad_request("page_size must be between 0 and 1000.")  # approximate
    token = caller.arg("pageToken") or "0"
    if not token.isdigit():
        raise bad_request("Invalid page token.")  # approximate
    with local_google().storage.transaction() as tx:
        rows = tx.live_tasks(queue, after=int(token), limit=(size or 1000) + 1)
    page, more = rows[: size or 1000], len(rows) > (size or 1000)
    view = caller.arg("responseView")
    out: dict[str, Any] = {"tasks": [render(entry["task"], view) for _, entry in page]}
    if more:
        out["nextPageToken"] = str(page[-1][0])
    return out if page else {}


@_router.add("DELETE", f"{_METHOD}.delete")
def delete_task(
    caller: Caller, projectsId: str, locationsId: str, queuesId: str, tasksId: str
) -> dict[str, Any]:
    """https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks/delete"""
    name = f"{_queue_name(projectsId, locationsId, queuesId)}/tasks/{tasksId}"
    with local_google().storage.transaction() as tx:
        entry = tx.task(name)
        if entry is None or entry.get("doneAt") is not None:
            raise not_found(_NOT_FOUND)
        entry["doneAt"] = time.time()
        tx.put_task(entry)
    return {}


def render(task: dict[str, Any], view: str | None) -> dict[str, Any]:
    """The Task resource in a view: BASIC (the default) leaves the request bodies out."""
    full = view == "FULL"
    out = {**task, "view": "FULL" if full else "BASIC"}
    for kind in ("httpRequest", "appEngineHttpRequest"):
        if kind in out and not full:
            out[kind] = {k: v for k, v in out[kind].items() if k != "body"}
    return out


def _queue_name(project: str, location: str, queue: str) -> str:
    if not (_PROJECT_ID.fullmatch(project) and location and _QUEUE_ID.fullmatch(queue)):
        raise bad_request(  # Google's wording for a bad queue name in queues.create
            'Queue name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/'
            'queues/<QUEUE_ID>".'
        )
    return f"projects/{project}/locations/{location}/queues/{queue}"


def _check_task_name(queue: str, name: object) -> None:
    text = str(name)
    owner, marker, task_id = text.rpartition("/tasks/")
    if not marker:
        raise bad_request(f"Invalid task name: {text!r}.")  # approximate
    if owner != queue:
        raise bad_request(
            f"The queue name from request ('{queue}') must be the same as the queue name in "
            f"the named task ('{owner}')."
        )
    if not _TASK_ID.fullmatch(task_id):
        raise bad_request(
            f'Task ID "{task_id}" can contain only letters ([A-Za-z]), numbers ([0-9]), '
            "hyphens (-), or underscores (_). Task ID must between 1 and 500 characters."
        )


def _already_exists(existing: dict[str, Any]) -> ApiError:
    if existing.get("doneAt") is None:
        return ApiError(409, "Requested entity already exists")
    return ApiError(
        409,
        "The task cannot be created because a task with this name existed too recently. For "
        "more information about task de-duplication see https://cloud.google.com/tasks/docs/"
        "reference/rest/v2/projects.locations.queues.tasks/create#body.request_body.FIELDS.task.",
    )


def _target(task: dict[str, Any]) -> dict[str, Any]:
    """The task's request, checked and completed: {"httpRequest": ...} or the App Engine one."""
    kinds = [kind for kind in ("httpRequest", "appEngineHttpRequest") if task.get(kind)]
    if len(kinds) != 1:
        raise bad_request("A task needs exactly one of httpRequest and appEngineHttpRequest.")
    request = dict(task[kinds[0]])
    request["httpMethod"] = request.get("httpMethod") or "POST"
    if request["httpMethod"] == "HTTP_METHOD_UNSPECIFIED":
        request["httpMethod"] = "POST"
    if request.get("body"):
        try:
            base64.b64decode(request["body"], validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(
                f"Invalid value at 'task.{_field(kinds[0])}.body' (TYPE_BYTES)"
            ) from None
    headers = dict(request.get("headers") or {})
    if kinds[0] == "httpRequest":
        _check_url(request.get("url"))
        if request.get("oauthToken"):
            raise not_implemented("oauthToken in HTTP tasks")
        oidc = request.get("oidcToken")
        if oidc is not None and not (isinstance(oidc, dict) and oidc.get("serviceAccountEmail")):
            raise bad_request("oidcToken needs a serviceAccountEmail.")  # approximate
        headers["User-Agent"] = HTTP_USER_AGENT
    else:
        if local_google().accounting.knobs.app_engine_url is None:
            raise ApiError(
                400,
                "The local Google stand-in has no App Engine app to deliver to "
                "(Knobs.app_engine_url).",
                status="FAILED_PRECONDITION",
            )
        request["relativeUri"] = request.get("relativeUri") or "/"
        if not str(request["relativeUri"]).startswith("/"):
            raise bad_request("relativeUri must start with '/'.")  # approximate
        headers["User-Agent"] = APP_ENGINE_USER_AGENT
        if request.get("body") and not any(h.lower() == "content-type" for h in headers):
            headers["Content-Type"] = "application/octet-stream"
    request["headers"] = headers
    return {kinds[0]: request}


def _field(kind: str) -> str:
    return "http_request" if kind == "httpRequest" else "app_engine_http_request"


def _check_url(url: object) -> None:
    parts = urlsplit(str(url or ""))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request(f"HttpRequest.url must begin with http:// or https://: {url}")
    if not is_loopback(parts.hostname):
        raise bad_request(f"Unauthorized task URL: {url} ({LOOPBACK_ONLY})")


def _seconds(value: object, field: str, default: float) -> float:
    """An RFC 3339 timestamp as seconds since the epoch (`default` when absent)."""
    if not value:
        return default
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(
            f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.Timestamp), {value}"
        ) from None
    return when.timestamp() if when.tzinfo else when.replace(tzinfo=UTC).timestamp()


def router() -> Router:
    """The Cloud Tasks router: the four task methods, 501 for every other method."""
    if not any(r.handler is None for r in _router.routes):
        _router.finish()
    return _router
