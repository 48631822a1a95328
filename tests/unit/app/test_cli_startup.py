"""`map-addon --help` starts without the heavy libraries: the commands import them when they run.

The time itself is measured by scripts/bench/bench_cli_startup.py (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "googleapiclient", "gspread", "sqlalchemy", "flask", "google.cloud.tasks_v2")


def test_building_the_parser_imports_nothing_heavy() -> None:
    code = (
        "import json, sys\n"
        "from addon import cli\n"
        "parser = cli._parser()\n"
        "for line in (['plan', 'create', '--help'], ['deal', 'close', '--help'], ['--help']):\n"
        "    try:\n"
        "        parser.parse_args(line)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_a_command_still_finds_what_it_needs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "addon.cli", "templates", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {t["name"] for t in json.loads(done.stdout)["templates"]}
    assert "mid-market" in names
