"""Progress of long commands: one updating line on stderr, on a terminal only.

A command shows it ("Reading 40 changed plans… 12/40") when stderr is a terminal and it does not
print JSON; piped, redirected or in `--json` mode it writes nothing, so scripts read clean output.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TextIO

CLEAR_LINE = "\r\033[K"


def stderr_is_terminal() -> bool:
    """Whether the user watches stderr (a test replaces this to pretend it is a terminal)."""
    return sys.stderr.isatty()


class Progress:
    """One status line that rewrites itself; silent unless enabled."""

    def __init__(self, *, as_json: bool, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not as_json and stderr_is_terminal()
        self._lock = threading.Lock()
        self._shown = False

    def show(self, message: str) -> None:
        if not self.enabled:
            return
        with self._lock:
            self.stream.write(CLEAR_LINE + message)
            self.stream.flush()
            self._shown = True

    def count(self, label: str, done: int, total: int) -> None:
        """`label… done/total`, e.g. "Creating 12 demo plans… 3/12"."""
        self.show(f"{label}… {done}/{total}")

    def clear(self) -> None:
        """Remove the status line before the command prints its result."""
        with self._lock:
            if self._shown:
                self.stream.write(CLEAR_LINE)
                self.stream.flush()
                self._shown = False


class ProgressQueue:
    """A watcher's refresh queue that counts the plans it reads on a Progress line.

    It wraps the configured queue (threads or Cloud Tasks) and changes nothing else: the same
    tasks, the same results in the same order. Durable queues send the work elsewhere, so there
    is nothing to count there.
    """

    def __init__(self, inner: Any, progress: Progress) -> None:
        self.inner = inner
        self.progress = progress
        self.durable: bool = inner.durable

    def submit(self, tasks: Sequence[Any], refresh: Callable[[Any], Any]) -> list[Any]:
        total = len(tasks)
        if not total or not self.progress.enabled:
            return list(self.inner.submit(tasks, refresh))
        label = f"Reading {total} changed plan{'s' if total != 1 else ''}"
        done = 0
        lock = threading.Lock()
        self.progress.count(label, 0, total)

        def counted(task: Any) -> Any:
            nonlocal done
            try:
                return refresh(task)
            finally:
                with lock:
                    done += 1
                    self.progress.count(label, done, total)

        return list(self.inner.submit(tasks, counted))

    def close(self) -> None:
        self.inner.close()


def count_plan_reads(services: Any, progress: Progress) -> None:
    """Show the watcher's plan reads on `progress` (the watcher is built on first use)."""
    if progress.enabled and not isinstance(services.watcher.queue, ProgressQueue):
        services.watcher.queue = ProgressQueue(services.watcher.queue, progress)


class _CountedMailer:
    """A mailer that reports each message it sends or drafts on a Progress line."""

    def __init__(self, inner: Any, tally: dict[str, int], progress: Progress) -> None:
        self.inner, self.tally, self.progress = inner, tally, progress

    def _done(self, kind: str) -> None:
        self.tally[kind] += 1
        self.progress.show(
            f"Sending reminders… {self.tally['sent']} sent, {self.tally['drafted']} drafted"
        )

    def send(self, mail: Any) -> str:
        sent: str = self.inner.send(mail)
        self._done("sent")
        return sent

    def draft(self, mail: Any) -> str:
        drafted: str = self.inner.draft(mail)
        self._done("drafted")
        return drafted


def count_mail(services: Any, progress: Progress) -> None:
    """Show the notifier's sends and drafts on `progress` (its total is known only at the end)."""
    if not progress.enabled:
        return
    notifier = services.notifier
    mailer_for = notifier.mailer_for
    tally = {"sent": 0, "drafted": 0}
    notifier.mailer_for = lambda email: _CountedMailer(mailer_for(email), tally, progress)
