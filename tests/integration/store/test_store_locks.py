"""Plan locks exclude other holders, in this process and others, and die with their holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from addon.store import Store
from addon.store.locks import lock_key

HOLDER = """
import sys, time
from addon.store import Store
store = Store.open(sys.argv[1])
with store.locks.hold(sys.argv[2]) as held:
    print("held" if held else "refused", flush=True)
    time.sleep(600)
"""


def _holder(url: str, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, name],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


def test_a_held_lock_refuses_a_second_holder_until_released(store: Store) -> None:
    with store.locks.hold("plan:d1") as first:
        with store.locks.hold("plan:d1") as second, store.locks.hold("plan:d2") as other:
            assert (first, second, other) == (True, False, True)
    with store.locks.hold("plan:d1") as again:
        assert again


def test_threads_racing_for_one_lock_let_exactly_one_in(store: Store) -> None:
    barrier = threading.Barrier(6)
    inside = threading.Barrier(6)
    outcomes: list[bool] = []

    def race() -> None:
        barrier.wait()
        with store.locks.hold("plan:race") as held:
            outcomes.append(held)
            inside.wait()  # nobody releases before everyone has tried

    threads = [threading.Thread(target=race) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False] * 5 + [True]


def test_a_lock_held_by_another_process_is_freed_when_that_process_is_killed(
    store: Store, database_url: str
) -> None:
    holder = _holder(database_url, "plan:killed")
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with store.locks.hold("plan:killed") as held:
            assert not held
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=30)
    deadline = 50
    for _ in range(deadline):  # the server notices the dropped connection within moments
        with store.locks.hold("plan:killed") as held:
            if held:
                break
        threading.Event().wait(0.1)
    assert held


def test_lock_keys_are_stable_signed_64_bit_numbers() -> None:
    key = lock_key("plan:d_acme0000001")
    assert key == lock_key("plan:d_acme0000001") != lock_key("plan:d_acme0000002")
    assert -(2**63) <= key < 2**63
