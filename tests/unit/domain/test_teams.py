"""Teams are read from YAML with one-line errors; no file means one team of everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from addon.domain.teams import ALL, TeamsError, find_team, load_teams

REPO = Path(__file__).resolve().parents[3]


def test_the_shipped_teams_file_loads_with_threshold_overrides() -> None:
    (team,) = load_teams(REPO / "teams.yaml")
    assert team.name == "northwind" and team.managers == ("morgan.lee@northwind-software.example",)
    assert team.thresholds.buyer_silence_days == 10
    assert team.thresholds.max_steps == 30  # default kept
    assert team.covers("Maya.Patel@northwind-software.example")
    assert not team.covers("someone@else.example")


def test_no_file_is_one_team_of_every_deal(tmp_path: Path) -> None:
    (team,) = load_teams(tmp_path / "absent.yaml")
    assert team.name == ALL and team.covers("anyone@anywhere.example")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("teams: []", "teams"),
        ("teams:\n  - name: a\n    managers: [not-an-email]", "teams.0.managers"),
        ("teams:\n  - name: a\n    colour: red", "teams.0.colour"),
        ("teams:\n  - name: a\n    thresholds: {buyer_silence_days: 0}", "buyer_silence_days"),
        ("teams:\n  - name: a\n  - name: a", "unique"),
        ("teams: [", "not valid YAML"),
    ],
)
def test_bad_teams_files_are_one_line_errors_naming_the_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "teams.yaml"
    path.write_text(text)
    with pytest.raises(TeamsError) as error:
        load_teams(path)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_unknown_team_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(TeamsError, match="known: northwind"):
        find_team(load_teams(REPO / "teams.yaml"), "south")


def test_who_may_read_a_plan_card() -> None:
    from addon.domain.teams import Team, may_read

    teams = [
        Team(
            "west",
            managers=("morgan@vendor.example",),
            sellers=("sam@vendor.example", "lee@vendor.example"),
        ),
        Team("all", managers=("vp@vendor.example",)),
    ]
    assert may_read("Sam@vendor.example", "sam@vendor.example", teams)  # the owner
    assert may_read("lee@vendor.example", "sam@vendor.example", teams)  # a teammate
    assert may_read("morgan@vendor.example", "sam@vendor.example", teams)  # the team's manager
    assert may_read("vp@vendor.example", "nia@vendor.example", teams)  # a team of every deal
    assert not may_read("nia@vendor.example", "sam@vendor.example", teams)  # another team
    assert not may_read("morgan@vendor.example", "nia@vendor.example", teams)
    assert not may_read("ann@acme.example", "sam@vendor.example", teams)  # a buyer
