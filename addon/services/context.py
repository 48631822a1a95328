"""The command line's composition root: configuration -> store, Google, use cases."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..domain.model import Template
from ..domain.refresh_task import RefreshTask
from ..google.gateway import GoogleFactory
from ..store import Store
from .channels import Channels
from .create_plan import PlanCreator
from .deal_outcome import DealLifecycle
from .notify import Notifier
from .refresh_queue import refresh_queue
from .ticker import TickRunner
from .watch import Watcher

if TYPE_CHECKING:
    from ..google.cloud_tasks import CloudTasksQueue


class BackendUnavailable(RuntimeError):
    """The configured Google backend cannot be reached."""


def today() -> date:
    return datetime.now(UTC).date()


@dataclass
class Services:
    """What commands use, built lazily from the configuration; close() when done."""

    config: Config
    templates_dir: Path | None = None  # None: the configuration's (MAP_TEMPLATES_DIR, or shipped)
    google: GoogleFactory = field(init=False)

    def __post_init__(self) -> None:
        self.google = GoogleFactory(self.config)
        if self.templates_dir is None:
            self.templates_dir = self.config.templates_dir

    @cached_property
    def store(self) -> Store:
        return Store.open(self.config.database_url)  # creates a SQLite file's folder itself

    @cached_property
    def creator(self) -> PlanCreator:
        return PlanCreator(
            self.store, self.google, self.config.service_account, self.templates_dir, today
        )

    @cached_property
    def watcher(self) -> Watcher:
        return Watcher(
            self.store,
            self.google,
            self.config.service_account,
            queue=refresh_queue(self.config),
            seller_domains=self.config.seller_domains,
            mass_change_rows=self.config.mass_change_rows,
            templates_dir=self.templates_dir,
        )

    @cached_property
    def lifecycle(self) -> DealLifecycle:
        """Won, lost, on hold, reopened; a reopened plan is read once at once."""
        return DealLifecycle(
            self.store,
            self.google,
            self.config.service_account,
            catch_up=lambda deal_id: self.watcher.refresh(RefreshTask(deal_id)),
        )

    @cached_property
    def notifier(self) -> Notifier:
        """Reminders as the seller, through Gmail; stop links point at the app."""
        from ..domain.templates import TemplateError, find_template
        from ..google.gmail import GMAIL_SCOPES, GmailMailer

        def template(name: str) -> Template | None:
            try:
                return find_template(name, self.templates_dir)
            except TemplateError:
                return None

        def mailer_for(email: str) -> GmailMailer:
            backend = self.google.backend_for(email, GMAIL_SCOPES)
            return GmailMailer(backend, self.google.counter)

        from ..domain.teams import load_teams

        return Notifier(
            self.store,
            mailer_for,
            self.config.addon_audience,
            today=today,
            template=template,
            teams=lambda: load_teams(self.config.teams_file),
        )

    @cached_property
    def notify_queue(self) -> CloudTasksQueue | None:
        """Where a notification pass sends its parts (MAP_REFRESH_QUEUE=cloud-tasks), or None:
        the pass runs here, whole."""
        if self.config.refresh_queue != "cloud-tasks":
            return None
        from ..google.cloud_tasks import NOTIFY_PATH, CloudTasksQueue

        return CloudTasksQueue.from_config(self.config, NOTIFY_PATH, self.config.notify_tasks_queue)

    @cached_property
    def channels(self) -> Channels:
        return Channels(self.store, self.google)

    @cached_property
    def ticker(self) -> TickRunner:
        return TickRunner(self.watcher.tick)

    def require_backend(self) -> None:
        """Fail with one clear line when the local stand-in is not running."""
        if not self.config.is_local:
            return
        url = self.config.local_google_url
        try:
            with urllib.request.urlopen(f"{url}/_local/health", timeout=5):
                return
        except (urllib.error.URLError, OSError):
            raise BackendUnavailable(
                f"cannot reach the local Google stand-in at {url}; start it with "
                "`map-addon run` or `map-addon local-google`"
            ) from None

    def close(self) -> None:
        if "watcher" in self.__dict__:
            self.watcher.queue.close()
        if self.__dict__.get("notify_queue") is not None:
            self.__dict__["notify_queue"].close()
        if "store" in self.__dict__:
            self.store.close()
