"""The progress line: shown on a terminal, silent when piped or in --json mode."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from addon import cli_progress
from addon.cli_progress import CLEAR_LINE, Progress, ProgressQueue, count_mail


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_progress, "stderr_is_terminal", lambda: True)


@pytest.mark.usefixtures("terminal")
def test_on_a_terminal_the_line_counts_then_clears() -> None:
    stream = io.StringIO()
    progress = Progress(as_json=False, stream=stream)
    progress.count("Creating 12 demo plans", 3, 12)
    progress.count("Creating 12 demo plans", 4, 12)
    progress.clear()
    assert stream.getvalue() == (
        f"{CLEAR_LINE}Creating 12 demo plans… 3/12{CLEAR_LINE}Creating 12 demo plans… 4/12"
        f"{CLEAR_LINE}"
    )


@pytest.mark.usefixtures("terminal")
def test_json_mode_is_silent_even_on_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(as_json=True, stream=stream)
    progress.count("Creating 12 demo plans", 3, 12)
    progress.clear()
    assert stream.getvalue() == "" and not progress.enabled


def test_without_a_terminal_nothing_is_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_progress, "stderr_is_terminal", lambda: False)
    stream = io.StringIO()
    progress = Progress(as_json=False, stream=stream)
    progress.show("catching up with buyer edits")
    progress.clear()
    assert stream.getvalue() == ""


def test_under_pytest_stderr_is_not_a_terminal() -> None:
    """The real check: captured stderr is no terminal, so the default is quiet."""
    assert Progress(as_json=False).enabled is False


class FakeQueue:
    """Runs refreshes on a few threads, in order of results, like the in-process queue."""

    durable = False

    def __init__(self) -> None:
        self.closed = False

    def submit(self, tasks: Sequence[Any], refresh: Callable[[Any], Any]) -> list[Any]:
        results: list[Any] = [None] * len(tasks)

        def run(i: int) -> None:
            results[i] = refresh(tasks[i])

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tasks))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def close(self) -> None:
        self.closed = True


@pytest.mark.usefixtures("terminal")
def test_the_queue_counts_plan_reads_and_returns_the_same_results() -> None:
    stream = io.StringIO()
    inner = FakeQueue()
    queue = ProgressQueue(inner, Progress(as_json=False, stream=stream))
    assert queue.submit(list(range(5)), lambda n: n * 10) == [0, 10, 20, 30, 40]
    shown = [part for part in stream.getvalue().split(CLEAR_LINE) if part]
    assert shown[0] == "Reading 5 changed plans… 0/5"
    assert sorted(shown[1:]) == [f"Reading 5 changed plans… {n}/5" for n in range(1, 6)]
    assert shown[-1] == "Reading 5 changed plans… 5/5"
    queue.close()
    assert inner.closed and queue.durable is False


def test_a_silent_queue_passes_the_work_through_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_progress, "stderr_is_terminal", lambda: False)
    stream = io.StringIO()
    queue = ProgressQueue(FakeQueue(), Progress(as_json=False, stream=stream))
    refresh = lambda n: n + 1  # noqa: E731
    assert queue.submit([1, 2], refresh) == [2, 3]
    assert stream.getvalue() == ""


class FakeMailer:
    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, mail: Any) -> str:
        return f"sent:{self.sender}:{mail}"

    def draft(self, mail: Any) -> str:
        return f"draft:{self.sender}:{mail}"


@pytest.mark.usefixtures("terminal")
def test_notify_counts_what_it_sends_and_drafts_through_the_same_mailers() -> None:
    stream = io.StringIO()
    notifier = SimpleNamespace(mailer_for=FakeMailer)
    count_mail(SimpleNamespace(notifier=notifier), Progress(as_json=False, stream=stream))
    assert notifier.mailer_for("sam@vendor.example").send("m1") == "sent:sam@vendor.example:m1"
    assert notifier.mailer_for("ann@vendor.example").draft("m2") == "draft:ann@vendor.example:m2"
    assert notifier.mailer_for("sam@vendor.example").send("m3") == "sent:sam@vendor.example:m3"
    assert stream.getvalue().split(CLEAR_LINE)[1:] == [
        "Sending reminders… 1 sent, 0 drafted",
        "Sending reminders… 1 sent, 1 drafted",
        "Sending reminders… 2 sent, 1 drafted",
    ]


@pytest.mark.usefixtures("terminal")
def test_notify_in_json_mode_keeps_the_mailers_as_they_are() -> None:
    notifier = SimpleNamespace(mailer_for=FakeMailer)
    count_mail(SimpleNamespace(notifier=notifier), Progress(as_json=True, stream=io.StringIO()))
    assert notifier.mailer_for is FakeMailer
