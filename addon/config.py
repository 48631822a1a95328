"""Configuration from the environment (see README: Configuration)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LOCAL_GOOGLE_URL = "http://127.0.0.1:8765"
DEFAULT_SERVICE_ACCOUNT = "map-addon@map-addon.iam.gserviceaccount.com"
DEFAULT_ADDON_CALLER = "service-addons@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"


# Sheets allows the service account (one user) 60 read requests a minute unless Google raised
# the project's quota; a refresh costs one read. The stand-in enforces no quota unless asked.
GOOGLE_SHEETS_READS_PER_MINUTE = 60.0
_QUEUE_PATH = re.compile(r"^projects/[^/]+/locations/[^/]+/queues/[^/]+$")


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


def _reads_per_minute(env: Mapping[str, str], backend: str) -> float:
    default = GOOGLE_SHEETS_READS_PER_MINUTE if backend == "google" else 0.0
    text = env.get("MAP_SHEETS_READS_PER_MINUTE", "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        raise ConfigError(f"MAP_SHEETS_READS_PER_MINUTE must be a number >= 0, not {text!r}")
    return value


_DOMAIN = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)


def _domains(text: str) -> tuple[str, ...]:
    """MAP_SELLER_DOMAINS: comma-separated mail domains ("vendor.com, vendor.io")."""
    domains = []
    for part in text.split(","):
        domain = part.strip().lower().lstrip("@")
        if not domain:
            continue
        if not _DOMAIN.match(domain):
            raise ConfigError(
                f"MAP_SELLER_DOMAINS must be mail domains separated by commas, not {part.strip()!r}"
            )
        domains.append(domain)
    return tuple(dict.fromkeys(domains))


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise ConfigError(f"{name} must be a whole number >= 0, not {text!r}")
    return int(text)


@dataclass(frozen=True)
class Config:
    backend: str  # "local" (the stand-in) or "google"
    local_google_url: str
    data_dir: Path
    database_url: str
    service_account: str
    credentials_file: str | None
    addon_audience: str
    addon_caller: str
    job_callers: tuple[str, ...] = ()
    teams_file: Path = Path("teams.yaml")
    addon_user_audience: str = ""  # audience of the user ID token in add-on events
    refresh_queue: str = "threads"  # "threads" (in process) or "cloud-tasks"
    tasks_queue: str = ""  # projects/P/locations/L/queues/Q, for cloud-tasks
    notify_tasks_queue: str = ""  # the queue of a notification pass's parts; "": tasks_queue
    sheets_reads_per_minute: float = 0.0  # refreshes the thread pool starts per minute; 0: no cap
    seller_domains: tuple[str, ...] = ()  # the seller organisation's mail domains
    mass_change_rows: int = 50  # rows added + removed on a tab in one read shown as one event
    templates_dir: Path | None = None  # MAP_TEMPLATES_DIR; None: the shipped templates

    @property
    def is_local(self) -> bool:
        return self.backend == "local"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        backend = env.get("MAP_BACKEND", "local").strip().lower() or "local"
        if backend not in ("local", "google"):
            raise ConfigError(f"MAP_BACKEND must be 'local' or 'google', not {backend!r}")
        data_dir = Path(env.get("MAP_DATA_DIR", ".map-data")).expanduser()
        url = env.get("MAP_LOCAL_GOOGLE_URL", DEFAULT_LOCAL_GOOGLE_URL).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"MAP_LOCAL_GOOGLE_URL must be an http(s) URL, not {url!r}")
        queue = env.get("MAP_REFRESH_QUEUE", "threads").strip().lower() or "threads"
        if queue not in ("threads", "cloud-tasks"):
            raise ConfigError(
                f"MAP_REFRESH_QUEUE must be 'threads' or 'cloud-tasks', not {queue!r}"
            )
        tasks_queue = env.get("MAP_TASKS_QUEUE", "").strip()
        if queue == "cloud-tasks" and not _QUEUE_PATH.match(tasks_queue):
            raise ConfigError(
                "MAP_TASKS_QUEUE must be projects/PROJECT/locations/LOCATION/queues/QUEUE "
                f"when MAP_REFRESH_QUEUE is cloud-tasks, not {tasks_queue!r}"
            )
        notify_queue = env.get("MAP_NOTIFY_TASKS_QUEUE", "").strip() or tasks_queue
        if queue == "cloud-tasks" and not _QUEUE_PATH.match(notify_queue):
            raise ConfigError(
                "MAP_NOTIFY_TASKS_QUEUE must be projects/PROJECT/locations/LOCATION/queues/QUEUE "
                f"(or unset: MAP_TASKS_QUEUE), not {notify_queue!r}"
            )
        return cls(
            backend=backend,
            local_google_url=url,
            data_dir=data_dir,
            database_url=env.get("MAP_DATABASE_URL") or f"sqlite:///{data_dir / 'map.sqlite3'}",
            service_account=env.get("MAP_SERVICE_ACCOUNT", DEFAULT_SERVICE_ACCOUNT),
            credentials_file=env.get("GOOGLE_APPLICATION_CREDENTIALS"),
            addon_audience=env.get("MAP_ADDON_AUDIENCE", "http://127.0.0.1:8080").rstrip("/"),
            addon_caller=env.get("MAP_ADDON_CALLER", DEFAULT_ADDON_CALLER),
            teams_file=Path(env.get("MAP_TEAMS_FILE", "teams.yaml")).expanduser(),
            addon_user_audience=env.get(
                "MAP_ADDON_USER_AUDIENCE", env.get("MAP_ADDON_AUDIENCE", "http://127.0.0.1:8080")
            ).rstrip("/"),
            job_callers=tuple(
                e.strip().lower()
                for e in env.get(
                    "MAP_JOB_CALLERS", env.get("MAP_SERVICE_ACCOUNT", DEFAULT_SERVICE_ACCOUNT)
                ).split(",")
                if e.strip()
            ),
            refresh_queue=queue,
            tasks_queue=tasks_queue,
            notify_tasks_queue=notify_queue,
            sheets_reads_per_minute=_reads_per_minute(env, backend),
            seller_domains=_domains(env.get("MAP_SELLER_DOMAINS", "")),
            mass_change_rows=_whole_number(env, "MAP_MASS_CHANGE_ROWS", 50),
            templates_dir=(
                Path(env["MAP_TEMPLATES_DIR"].strip()).expanduser()
                if env.get("MAP_TEMPLATES_DIR", "").strip()
                else None
            ),
        )

    @property
    def certs_url(self) -> str:
        """Where Google's ID-token certificates are published (the stand-in's, locally)."""
        if self.is_local:
            return f"{self.local_google_url}/oauth2/v1/certs"
        return "https://www.googleapis.com/oauth2/v1/certs"

    def with_local_google(self, url: str) -> Config:
        """The same configuration pointed at a stand-in started on `url`."""
        from dataclasses import replace

        return replace(self, local_google_url=url.rstrip("/"))
