"""A small HTTP server on 127.0.0.1 that records what it is sent, for delivery tests."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """An HTTP server on 127.0.0.1 recording every request; answers from `answers` first."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answers: list[int] = []
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.cond:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.requests.append(
                        {
                            "at": time.monotonic(),
                            "path": self.path,
                            "headers": dict(self.headers.items()),
                            "body": body,
                            "status": status,
                        }
                    )
                    receiver.cond.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def wait_for(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        """The first `count` requests, once they have arrived."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.requests) < count and time.monotonic() < deadline:
                self.cond.wait(0.1)
            assert len(self.requests) >= count, f"{len(self.requests)} of {count} arrived"
            return list(self.requests[:count])

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
