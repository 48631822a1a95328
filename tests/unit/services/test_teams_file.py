"""The teams file is parsed once, and again only when it changes on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from addon.domain.teams import ALL, TeamsError
from addon.services.teams_file import TeamsFile


def test_read_once_then_again_only_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "teams.yaml"
    path.write_text("teams:\n  - name: emea\n    managers: [lena@v.example]\n")
    teams = TeamsFile(path)
    assert [t.name for t in teams.teams()] == ["emea"]
    for _ in range(5):
        teams.teams()
    assert teams.reads == 1
    path.write_text("teams:\n  - name: emea\n    managers: [lena@v.example, max@v.example]\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later write
    assert teams.teams()[0].managers == ("lena@v.example", "max@v.example")
    assert teams.reads == 2


def test_no_file_is_one_team_of_everything_and_a_broken_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "teams.yaml"
    assert [t.name for t in TeamsFile(path).teams()] == [ALL]
    path.write_text("teams: [")
    with pytest.raises(TeamsError):
        TeamsFile(path).teams()
