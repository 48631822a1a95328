"""Run the stand-in over real HTTP: in the foreground (CLI) or on a background thread."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, make_server

from . import drive_push, tasks_dispatch
from .app import create_app
from .knobs import Knobs


@dataclass
class Running:
    """A stand-in serving on a background thread."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()
        storage = self.server.app.extensions["localgoogle"].storage  # type: ignore[attr-defined]
        drive_push.stop_delivery(storage)  # before the store closes under the workers
        tasks_dispatch.stop(storage)
        storage.close()


def serve_in_thread(
    data_dir: Path, port: int = 0, knobs: Knobs | None = None, host: str = "127.0.0.1"
) -> Running:
    """Start the stand-in on `host:port` (0 = a free port) and return once it accepts requests."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app(data_dir, knobs)
    drive_push.start_delivery(app.extensions["localgoogle"].storage)  # resumes old channels
    tasks_dispatch.start(app.extensions["localgoogle"])  # resumes queued tasks
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="local-google", daemon=True)
    thread.start()
    return Running(server, thread)
