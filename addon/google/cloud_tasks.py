"""Queues on Cloud Tasks: each RefreshTask becomes a task that calls `/jobs/refresh`, and each
part of a notification pass (a NotifyTask) one that calls `/jobs/notify/task`.

A task is an HTTP request with an OIDC token (the service account's, audience the endpoint's
URL), not an App Engine request: the job endpoint accepts it wherever the app runs, because it
verifies the token exactly as it verifies any job caller's (MAP_JOB_CALLERS, whose default is
the service account). App Engine tasks would prove themselves only on App Engine, by their
`X-AppEngine-QueueName` header. The enqueuing identity needs `iam.serviceAccounts.actAs` on
the account.

Each task is named after its RefreshTask, so the same change enqueued twice (a tick re-run after
a failure, two processes) is one task: Cloud Tasks answers ALREADY_EXISTS, which counts as done.
Names stay taken for an hour after a task ran (up to 9 days for queue.yaml queues)
(https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks/create).
Any other failure raises a GoogleApiError, so the tick fails and keeps its cursor.

Against the local stand-in the client uses the REST transport at MAP_LOCAL_GOOGLE_URL with
`Bearer local:<service account>`; in production the same REST transport with Application Default
Credentials. REST everywhere keeps one code path (and no gRPC threads under gunicorn).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import google.auth.exceptions
import requests
from google.api_core import exceptions as core_exceptions
from google.api_core import retry as core_retry
from google.api_core.client_options import ClientOptions
from google.cloud import tasks_v2

from ..config import Config
from .clients import LocalCredentials
from .errors import TransportFailure, Unauthenticated, from_api_call_error

CREATE_METHOD = "cloudtasks.projects.locations.queues.tasks.create"
REFRESH_PATH = "/jobs/refresh"
NOTIFY_PATH = "/jobs/notify/task"


class QueuedTask(Protocol):
    """What a task carries: a stable name (the same work enqueued twice is one task) and a body."""

    @property
    def name(self) -> str: ...

    def as_json(self) -> dict[str, Any]: ...


_NOT_IN_TASK_ID = re.compile(r"[^A-Za-z0-9_-]")

# Creating a named task again is harmless, so transient failures are retried here briefly;
# anything longer fails the tick, and the next tick enqueues again.
DEFAULT_RETRY = core_retry.Retry(
    predicate=core_retry.if_exception_type(
        core_exceptions.InternalServerError,
        core_exceptions.ServiceUnavailable,
        core_exceptions.GatewayTimeout,
        requests.exceptions.ConnectionError,
    ),
    initial=0.5,
    maximum=4.0,
    multiplier=2.0,
    timeout=20.0,
)


def task_id(name: str) -> str:
    """A Cloud Tasks task id for a RefreshTask name: a hash prefix, then the name made safe.

    Task ids allow only letters, digits, `-` and `_` (at most 500); the hash keeps two names that
    differ only in other characters apart, and spreads ids evenly as Google recommends.
    """
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return f"{digest}-{_NOT_IN_TASK_ID.sub('_', name)}"[:500]


def tasks_client(config: Config) -> tasks_v2.CloudTasksClient:
    """A Cloud Tasks client over REST: the stand-in's, or Google's with default credentials."""
    if config.is_local:
        return tasks_v2.CloudTasksClient(
            credentials=LocalCredentials(config.service_account),
            transport="rest",
            client_options=ClientOptions(api_endpoint=config.local_google_url),
        )
    return tasks_v2.CloudTasksClient(transport="rest")


class CloudTasksQueue:
    """Enqueues refreshes as Cloud Tasks tasks; they run later, at the queue's rate."""

    durable = True

    def __init__(
        self,
        client: Callable[[], tasks_v2.CloudTasksClient],
        queue_path: str,
        target_url: str,
        service_account: str,
        retry: core_retry.Retry = DEFAULT_RETRY,
    ) -> None:
        self._make_client = client
        self._client: tasks_v2.CloudTasksClient | None = None
        self._lock = threading.Lock()
        self.queue_path = queue_path
        self.target_url = target_url
        self.service_account = service_account
        self.retry = retry

    @classmethod
    def from_config(
        cls, config: Config, path: str = REFRESH_PATH, queue: str | None = None
    ) -> CloudTasksQueue:
        """The queue `queue` (MAP_TASKS_QUEUE unless given) calling
        `{MAP_ADDON_AUDIENCE}{path}` (/jobs/refresh unless given)."""
        return cls(
            lambda: tasks_client(config),
            queue or config.tasks_queue,
            config.addon_audience.rstrip("/") + path,
            config.service_account,
        )

    @property
    def client(self) -> tasks_v2.CloudTasksClient:
        """The client, built on first use (finding default credentials may ask the network)."""
        with self._lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def submit(self, tasks: Sequence[Any], refresh: Callable[[Any], Any]) -> list[Any]:
        """Create one task per refresh; nothing runs now, so there are no results."""
        for task in tasks:
            self.enqueue(task)
        return []

    def close(self) -> None:
        """Close the client's HTTP session, if one was made."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.transport.close()

    def enqueue(self, task: QueuedTask) -> None:
        """Create the task for `task`; an existing task of the same name counts as created."""
        try:
            self.client.create_task(
                parent=self.queue_path, task=self.task_for(task), retry=self.retry
            )
        except core_exceptions.GoogleAPICallError as exc:
            if not _already_exists(exc):
                raise from_api_call_error(exc, method=CREATE_METHOD) from exc
        except core_exceptions.RetryError as exc:  # retried until the deadline: the last failure
            if isinstance(exc.cause, core_exceptions.GoogleAPICallError):
                raise from_api_call_error(exc.cause, method=CREATE_METHOD) from exc
            raise TransportFailure(str(exc.cause or exc), method=CREATE_METHOD) from exc
        except requests.exceptions.RequestException as exc:
            raise TransportFailure(str(exc), method=CREATE_METHOD) from exc
        except google.auth.exceptions.GoogleAuthError as exc:
            raise Unauthenticated(401, str(exc), method=CREATE_METHOD) from exc

    def task_for(self, task: QueuedTask) -> tasks_v2.Task:
        """https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks#Task"""
        return tasks_v2.Task(
            name=f"{self.queue_path}/tasks/{task_id(task.name)}",
            http_request=tasks_v2.HttpRequest(
                http_method=tasks_v2.HttpMethod.POST,
                url=self.target_url,
                headers={"Content-Type": "application/json"},
                body=json.dumps(task.as_json()).encode(),
                oidc_token=tasks_v2.OidcToken(
                    service_account_email=self.service_account, audience=self.target_url
                ),
            ),
        )


def _already_exists(exc: core_exceptions.GoogleAPICallError) -> bool:
    """ALREADY_EXISTS: over gRPC an AlreadyExists; over REST a 409 Conflict whose body says so
    (api-core picks the class from the HTTP status alone, and ABORTED is a 409 too)."""
    if isinstance(exc, core_exceptions.AlreadyExists):
        return True
    if exc.code != 409 or exc.response is None:
        return False
    try:
        return bool(exc.response.json()["error"]["status"] == "ALREADY_EXISTS")
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
