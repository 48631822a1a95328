"""Bad command-line input: one clear line on stderr, exit status 2, no traceback, nothing written.

No stand-in runs here: MAP_LOCAL_GOOGLE_URL points at a closed port, so a command that got as far
as calling Google would fail differently (status 1, "cannot reach"). The data folder must not
exist afterwards: no store was opened, no file made.
"""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from addon.cli import main

ROOT = Path(__file__).resolve().parents[3]
GO_LIVE = (datetime.now(UTC).date() + timedelta(days=200)).isoformat()
CREATE = [
    "plan", "create", "--deal", "Acme rollout", "--buyer-company", "Acme",
    "--buyer", "ann@acme.example", "--go-live", GO_LIVE, "--template", "mid-market",
    "--owner", "sam@vendor.example",
]  # fmt: skip


def _with(*changes: str) -> list[str]:
    """CREATE with `--option value` pairs replaced (or added)."""
    args = list(CREATE)
    for option, value in zip(changes[::2], changes[1::2], strict=True):
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
    return args


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("MAP_DATA_DIR", str(data))
    monkeypatch.setenv("MAP_LOCAL_GOOGLE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("MAP_TEAMS_FILE", str(ROOT / "teams.yaml"))
    monkeypatch.delenv("MAP_DATABASE_URL", raising=False)
    return data


def _refused(args: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    """Run `args`; assert exit 2, one line, no traceback, nothing written; the line."""
    status = main(args)
    captured = capsys.readouterr()
    assert status == 2, captured
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "data").exists(), "something was written before the input was checked"
    return lines[0]


def test_the_good_request_gets_as_far_as_google(capsys: pytest.CaptureFixture[str]) -> None:
    """The base request is valid: each case below is refused for the one value it changes."""
    assert main(CREATE) == 1
    assert "cannot reach the local Google stand-in" in capsys.readouterr().err


BAD_DATES = [
    (_with("--go-live", "2031-02-30"), "--go-live"),
    (_with("--go-live", "next week"), "--go-live"),
    (_with("--go-live", "2020-01-06"), "2020-01-06"),
    (["deal", "hold", "d_x", "--until", "15/01/2027"], "--until"),
]
BAD_EMAILS = [
    (_with("--owner", "sam"), "--owner"),
    (_with("--buyer", "ann@acme"), "--buyer"),
    (["plan", "list", "--owner", "@vendor.example"], "--owner"),
    (["deal", "reopen", "d_x", "--by", "sam at vendor"], "--by"),
    (["deal", "close", "d_x", "--won", "--success-owner", "cas"], "--success-owner"),
]
BAD_NUMBERS = [
    (["demo", "--deals", "0"], "--deals"),
    (["demo", "--deals", "ten"], "--deals"),
    (["demo", "--weeks", "13"], "--weeks"),
    (["run", "--demo-deals", "0"], "--demo-deals"),
    (["run", "--no-demo", "--demo-deals", "3"], "--demo-deals"),
    (["local-google", "--port", "99999"], "--port"),
    (["local-google", "--latency-ms", "-5"], "--latency-ms"),
    (["local-google", "--fail-rate", "1.5"], "--fail-rate"),
    (["local-google", "--fail-rate", "nan"], "--fail-rate"),
    (["serve", "--port", "http"], "--port"),
    (["watch", "--interval", "0"], "--interval"),
    (["notify", "--interval", "-1"], "--interval"),
    (_with("--amount", "lots"), "'lots'"),
]
BAD_NAMES = [
    (_with("--template", "no-such-template"), "'no-such-template'"),
    (_with("--deal", "   "), "deal"),
    (["consolidate", "--team", "no-such-team"], "'no-such-team'"),
    (["no-such-command"], "invalid choice"),
]


@pytest.mark.parametrize(
    ("args", "named"),
    BAD_DATES + BAD_EMAILS + BAD_NUMBERS + BAD_NAMES,
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_bad_values_are_refused_in_one_line(
    args: list[str], named: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert named in _refused(args, capsys, tmp_path).lower()  # the value or field it is about


def test_an_export_into_a_missing_folder_is_refused_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    line = _refused(
        ["consolidate", "--xlsx", str(tmp_path / "nowhere" / "x.xlsx")], capsys, tmp_path
    )
    assert "--xlsx" in line and "does not exist" in line


@pytest.mark.parametrize("kind", ["folder is a file", "target is a folder", "not xlsx"])
def test_an_export_that_cannot_be_written_is_refused(
    kind: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder.xlsx").mkdir()
    target = {
        "folder is a file": tmp_path / "a-file" / "x.xlsx",
        "target is a folder": tmp_path / "a-folder.xlsx",
        "not xlsx": tmp_path / "review.csv",
    }[kind]
    assert "--xlsx" in _refused(["consolidate", "--xlsx", str(target)], capsys, tmp_path)


def test_a_data_folder_under_a_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("x")
    line = _refused(["local-google", "--data", str(tmp_path / "a-file" / "lg")], capsys, tmp_path)
    assert "--data" in line


def test_checking_a_missing_template_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert "is not a file" in _refused(
        ["templates", "check", str(tmp_path / "missing.yaml")], capsys, tmp_path
    )


def test_the_reported_case_as_a_user_runs_it(tmp_path: Path) -> None:
    """`consolidate --xlsx /nonexistent/x.xlsx` rewrote the workbook, then printed a traceback."""
    env = {
        "PATH": "/usr/bin:/bin",
        "MAP_DATA_DIR": str(tmp_path / "data"),
        "MAP_LOCAL_GOOGLE_URL": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-m", "addon.cli", "consolidate", "--xlsx", "/nonexistent/x.xlsx"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "'/nonexistent' does not exist" in done.stderr
    assert not (tmp_path / "data").exists()


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("command", ["serve", "local-google", "run"])
def test_a_port_in_use_is_refused_before_anything_starts(
    command: str, held_port: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    line = _refused([command, "--port", str(held_port)], capsys, tmp_path)
    assert f"port {held_port} on 127.0.0.1 is in use" in line


def test_a_host_that_does_not_resolve_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    line = _refused(["serve", "--host", "no-such-host.invalid", "--port", "8"], capsys, tmp_path)
    assert "cannot serve on no-such-host.invalid:8" in line


def test_a_file_error_while_working_is_one_line_with_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not bad input (the disk filled up while writing), yet no traceback either."""
    from addon import cli

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", "/data/review.xlsx")

    monkeypatch.setattr(cli, "_local_google", full)
    assert main(["local-google", "--port", "0"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "map-addon: No space left on device: /data/review.xlsx\n"
