"""Configuration from the environment (see README: Configuration)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LOCAL_GOOGLE_URL = "http://127.0.0.1:8765"
DEFAULT_SERVICE_ACCOUNT = "map-addon@map-addon.iam.gserviceaccount.com"
DEFAULT_ADDON_CALLER = "service-addons@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


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
