"""Teams: who sells, who reviews, and the thresholds their review uses (`teams.yaml`).

    teams:
      - name: north-america
        managers: [morgan.lee@vendor.example]
        sellers: [maya.patel@vendor.example, jonas.berg@vendor.example]
        thresholds: {buyer_silence_days: 10, procurement_amount: 50000}

Without a teams file there is one team, "all", with every deal and no managers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .plan_request import InvalidPlanRequest, normalise_email
from .review_input import Thresholds

ALL = "all"


class TeamsError(ValueError):
    """The teams file cannot be used; one line naming the file and the field."""


@dataclass(frozen=True)
class Team:
    """A team's review: its sellers' deals, shared with its managers."""

    name: str
    managers: tuple[str, ...] = ()
    sellers: tuple[str, ...] = ()  # empty: every deal
    thresholds: Thresholds = field(default_factory=Thresholds)

    def covers(self, owner: str) -> bool:
        return not self.sellers or owner.lower() in self.sellers


class _ThresholdsModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    buyer_silence_days: int | None = Field(default=None, ge=1)
    procurement_amount: float | None = Field(default=None, ge=0)
    validation_lead_days: int | None = Field(default=None, ge=0)
    max_steps: int | None = Field(default=None, ge=1)
    slip_count: int | None = Field(default=None, ge=1)
    slip_days: int | None = Field(default=None, ge=1)
    question_unanswered_days: int | None = Field(default=None, ge=1)


class _TeamModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    managers: list[str] = []
    sellers: list[str] = []
    thresholds: _ThresholdsModel = _ThresholdsModel()

    @field_validator("managers", "sellers")
    @classmethod
    def _emails(cls, emails: list[str]) -> list[str]:
        try:
            return [normalise_email(e) for e in emails]
        except InvalidPlanRequest as exc:
            raise ValueError(str(exc)) from None


class _TeamsModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    teams: list[_TeamModel] = Field(min_length=1)


def load_teams(path: Path) -> list[Team]:
    """The teams in `path`; one implicit team of everything when the file does not exist."""
    if not path.exists():
        return [Team(ALL)]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        parsed = _TeamsModel.model_validate(raw)
    except yaml.YAMLError as exc:
        raise TeamsError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TeamsError(f"{path}: {where}: {first['msg']}") from None
    names = [t.name for t in parsed.teams]
    if len(set(names)) != len(names):
        raise TeamsError(f"{path}: teams: team names must be unique")
    teams = []
    for model in parsed.teams:
        overrides = {k: v for k, v in model.thresholds.model_dump().items() if v is not None}
        teams.append(
            Team(
                name=model.name,
                managers=tuple(model.managers),
                sellers=tuple(model.sellers),
                thresholds=dataclasses.replace(Thresholds(), **overrides),
            )
        )
    return teams


def find_team(teams: list[Team], name: str | None) -> list[Team]:
    """The team called `name` (all teams when None); TeamsError naming the known ones."""
    if name is None:
        return teams
    for team in teams:
        if team.name == name:
            return [team]
    known = ", ".join(t.name for t in teams)
    raise TeamsError(f"unknown team {name!r} (known: {known})")


def may_read(user: str, owner: str, teams: list[Team]) -> bool:
    """Whether `user` may open `owner`'s plan card (read only unless it is their own).

    The owner, a manager of a team that covers the owner, and a seller of a team that lists both
    of them may; nobody else. A team that lists no sellers covers every deal for its managers.
    """
    user, owner = user.lower(), owner.lower()
    if user == owner:
        return True
    for team in teams:
        if not team.covers(owner):
            continue
        if user in (m.lower() for m in team.managers):
            return True
        if team.sellers and user in team.sellers:
            return True
    return False
