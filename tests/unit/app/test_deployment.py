"""The add-on deployment descriptor and queue.yaml match the app (requirements.txt: own test)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from werkzeug.exceptions import MethodNotAllowed, NotFound

from addon import create_app
from addon.config import GOOGLE_SHEETS_READS_PER_MINUTE, Config
from addon.google.cloud_tasks import NOTIFY_PATH, REFRESH_PATH

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "make_deployment.py"
BASE = "https://map-addon.example.com"


def _load_script() -> ModuleType:
    """scripts/make_deployment.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_deployment", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_deployment = _load_script()


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the script as a user would."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def _run_functions(node: Any) -> Iterator[str]:
    """Every trigger's runFunction anywhere in the descriptor."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "runFunction":
                yield value
            else:
                yield from _run_functions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _run_functions(item)


def test_every_trigger_is_a_post_route_of_the_app() -> None:
    descriptor = make_deployment.build_descriptor(BASE)
    urls = list(_run_functions(descriptor))
    assert descriptor["addOns"]["common"]["homepageTrigger"]["runFunction"] == f"{BASE}/addon/home"
    assert descriptor["addOns"]["sheets"]["onFileScopeGrantedTrigger"]["runFunction"] in urls
    adapter = create_app(Config.from_env({})).url_map.bind("map-addon.example.com")
    for url in urls:
        assert url.startswith(f"{BASE}/")
        path = url.removeprefix(BASE)
        try:
            endpoint, _ = adapter.match(path, method="POST")
        except (NotFound, MethodNotAllowed) as exc:
            pytest.fail(f"{url}: no POST route {path} ({type(exc).__name__})")
        assert endpoint.startswith("addon."), endpoint


def test_descriptor_shape_for_an_http_add_on() -> None:
    add_ons = make_deployment.build_descriptor(BASE, "Plans", "https://example.com/logo.png")[
        "addOns"
    ]
    assert add_ons["common"]["name"] == "Plans"
    assert add_ons["common"]["logoUrl"] == "https://example.com/logo.png"
    assert add_ons["common"]["useLocaleFromApp"] is True
    assert add_ons["httpOptions"] == {"authorizationHeader": "SYSTEM_ID_TOKEN"}
    assert set(add_ons) == {"common", "sheets", "httpOptions"}  # a Sheets-only add-on


def test_scopes_use_drive_file_and_no_restricted_drive_scope() -> None:
    scopes = make_deployment.build_descriptor(BASE)["oauthScopes"]
    assert "https://www.googleapis.com/auth/drive.file" in scopes
    assert "https://www.googleapis.com/auth/drive" not in scopes
    assert "https://www.googleapis.com/auth/drive.readonly" not in scopes
    assert "https://www.googleapis.com/auth/script.locale" in scopes  # for useLocaleFromApp
    assert len(scopes) == len(set(scopes))


def test_cli_prints_valid_json_and_strips_a_trailing_slash() -> None:
    result = _run("--base-url", f"{BASE}/", "--name", "Mutual action plans")
    assert result.returncode == 0, result.stderr
    descriptor = json.loads(result.stdout)
    assert descriptor["addOns"]["sheets"]["homepageTrigger"]["runFunction"] == f"{BASE}/addon/home"


def test_cli_writes_the_file_with_out(tmp_path: Path) -> None:
    out = tmp_path / "deployment.json"
    result = _run("--base-url", BASE, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == make_deployment.build_descriptor(BASE)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://map-addon.example.com",
        "map-addon.example.com",
        "ftp://map-addon.example.com",
        "https://map-addon.example.com/?x=1",
        "https://user:pw@map-addon.example.com",
    ],
)
def test_cli_refuses_a_base_url_that_is_not_plain_https(base_url: str) -> None:
    result = _run("--base-url", base_url)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--base-url" in result.stderr


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8080", "http://localhost:8080"])
def test_http_is_allowed_only_on_the_local_machine(base_url: str) -> None:
    assert make_deployment.validate_base_url(base_url + "/") == base_url


def test_cli_refuses_an_http_logo() -> None:
    result = _run("--base-url", BASE, "--logo-url", "http://example.com/logo.png")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


_PER_MINUTE = {"s": 60.0, "m": 1.0, "h": 1 / 60, "d": 1 / 1440}


def _per_minute(rate: str) -> float:
    """A queue.yaml rate ("1/s", "20/m", ...) in tasks per minute."""
    number, _, unit = rate.partition("/")
    return float(number) * _PER_MINUTE[unit]


def test_refresh_queue_stays_within_the_sheets_read_quota() -> None:
    queues = yaml.safe_load((ROOT / "queue.yaml").read_text(encoding="utf-8"))["queue"]
    refresh = {queue["name"]: queue for queue in queues}["plan-refresh"]
    # Each refresh reads its plan once: in any minute the queue starts at most rate + bucket.
    assert _per_minute(refresh["rate"]) <= GOOGLE_SHEETS_READS_PER_MINUTE
    assert refresh["bucket_size"] <= 2
    retry = refresh["retry_parameters"]
    assert 0 < retry["min_backoff_seconds"] <= retry["max_backoff_seconds"]


def test_refresh_tasks_call_a_post_route_of_the_app() -> None:
    adapter = create_app(Config.from_env({})).url_map.bind("map-addon.example.com")
    endpoint, _ = adapter.match(REFRESH_PATH, method="POST")
    assert endpoint == "jobs.refresh"
    endpoint, _ = adapter.match(NOTIFY_PATH, method="POST")
    assert endpoint == "jobs.notify_task"


def test_notify_queue_stays_within_gmails_per_user_sending_rate() -> None:
    """https://developers.google.com/gmail/api/reference/quota: 15,000 quota units per user per
    minute, messages.send 100: 150 sends a minute. Parts of one seller's deals may come one
    after another, so the queue starts no more parts a minute than that."""
    queues = yaml.safe_load((ROOT / "queue.yaml").read_text(encoding="utf-8"))["queue"]
    notify = {queue["name"]: queue for queue in queues}["notify"]
    assert _per_minute(notify["rate"]) <= 15_000 / 100
    retry = notify["retry_parameters"]
    assert 0 < retry["min_backoff_seconds"] <= retry["max_backoff_seconds"]


def test_the_upload_leaves_out_the_stand_in_and_the_tests() -> None:
    """docs/DEPLOY.md: the deployed service is addon/ with its templates and deployment files."""
    ignored = {
        line.strip()
        for line in (ROOT / ".gcloudignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"localgoogle/", "tests/", "scripts/", ".venv/", ".map-data/"} <= ignored
    assert not {"addon/", "sheets_templates/", "teams.yaml", "app.yaml"} & ignored


def test_the_local_stack_without_the_stand_in_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As deployed (no entry point for the stand-in), `map-addon local-google` exits 2, clearly."""
    from addon import cli

    monkeypatch.setattr(cli, "entry_points", lambda **_: ())
    assert cli.main(["local-google", "--port", "0"]) == 2
    assert "the local Google stand-in is not installed" in capsys.readouterr().err
