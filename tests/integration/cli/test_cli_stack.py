"""`map-addon run` and `map-addon local-google` serve over HTTP and stop cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_background_job() -> None:
    """Start the child as a non-interactive shell starts a background job: SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(args: list[str], env: dict[str, str], ready: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "addon.cli", *args],
        env=env,
        preexec_fn=_as_background_job,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if ready in line:
            return proc, "".join(seen)
        if len(seen) > 60:
            break
    proc.kill()
    proc.communicate(timeout=15)
    pytest.fail(f"never printed {ready!r}: {seen} {proc.stderr.read() if proc.stderr else ''}")


def _get_json(url: str, token: str | None = None) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _stop(proc: subprocess.Popen[str], signum: int = signal.SIGINT) -> int:
    proc.send_signal(signum)
    try:
        proc.communicate(timeout=30)  # drains and closes the pipes
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate(timeout=15)
        pytest.fail(f"did not stop on signal {signum}")
    return proc.returncode


def test_run_starts_stand_in_and_app_and_prints_their_urls(tmp_path: Path) -> None:
    google_port, app_port = _free_port(), _free_port()
    env = dict(
        os.environ,
        MAP_DATA_DIR=str(tmp_path),
        MAP_LOCAL_GOOGLE_URL=f"http://127.0.0.1:{google_port}",
    )
    proc, printed = _start(["run", "--port", str(app_port), "--no-demo"], env, "Ctrl-C")
    try:
        assert f"http://127.0.0.1:{google_port}" in printed
        assert f"http://127.0.0.1:{app_port}" in printed
        status, health = _get_json(f"http://127.0.0.1:{app_port}/healthz")
        assert (status, health["status"], health["backend"]) == (200, "ok", "local")
        assert health["local_google_url"] == f"http://127.0.0.1:{google_port}"
        status, stats = _get_json(f"http://127.0.0.1:{google_port}/_local/stats")
        assert status == 200
        # Starting the live watch: the change feed's position, then the push channel.
        assert stats["by_method"] == {
            "drive.changes.getStartPageToken": 1,
            "drive.changes.watch": 1,
        }
    finally:
        assert _stop(proc) == 0


def test_serve_answers_health_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, MAP_DATA_DIR=str(tmp_path))
    proc, _ = _start(["serve", "--port", str(port)], env, "serving on")
    try:
        status, health = _get_json(f"http://127.0.0.1:{port}/healthz")
        assert (status, health["status"]) == (200, "ok")
    finally:
        assert _stop(proc, signal.SIGTERM) == 0


def test_local_google_applies_its_knobs_and_keeps_data_in_the_given_dir(tmp_path: Path) -> None:
    port = _free_port()
    args = ["local-google", "--port", str(port), "--data", str(tmp_path / "lg")]
    proc, _ = _start([*args, "--fail-rate", "1", "--seed", "1"], dict(os.environ), "serving on")
    try:
        status, body = _get_json(f"http://127.0.0.1:{port}/v4/spreadsheets/x", "local:a@b.test")
        assert status in (429, 500, 503)
        assert body["error"]["code"] == status  # type: ignore[index]
        assert (tmp_path / "lg" / "localgoogle.sqlite3").exists()
    finally:
        assert _stop(proc, signal.SIGTERM) == 0


def test_bad_knob_is_a_usage_error_with_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "addon.cli", "local-google", "--fail-rate", "2"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--fail-rate" in result.stderr


def test_run_seeds_a_demo_pipeline_once_and_keeps_it_across_restarts(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        MAP_DATA_DIR=str(tmp_path),
        MAP_LOCAL_GOOGLE_URL=f"http://127.0.0.1:{_free_port()}",
    )
    # a small demo: the full 12 are played by the demo story and walkthrough tests
    args = ["run", "--port", str(_free_port()), "--demo-deals", "3"]
    proc, printed = _start(args, env, "Ctrl-C")
    assert _stop(proc) == 0
    assert "creating 3 plans" in printed
    assert "live watch:" in printed and "/hooks/drive" in printed
    assert "/preview/" in printed
    listed = subprocess.run(
        [sys.executable, "-m", "addon.cli", "plan", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    deals = json.loads(listed.stdout)["deals"]
    assert len(deals) == 3 and {d["status"] for d in deals} == {"ready"}

    proc, printed = _start(["run", "--port", str(_free_port())], env, "Ctrl-C")
    assert _stop(proc) == 0
    assert "already there" in printed
