"""The template file format: pydantic models of a file's shape, and errors worded for people.

Only shape is checked here (fields, types, allowed values, ranges); rules that span steps live in
`templates.py`. Values are strict: a YAML "30" is not a number, 2026-12-25T10:00 is not a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import ErrorDetails, PydanticCustomError

from addon.domain.model import GO_LIVE, STEP_OWNERS, Milestone, Role, Side

MAX_STEP_DAYS = 130  # business days: about six months
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Problem(NamedTuple):
    """One error or warning before it is formatted with the file's path."""

    where: str
    what: str


def show(value: Any) -> str:
    """A short rendering of a bad value for an error message."""
    text = value.isoformat() if isinstance(value, date) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _one_of(choices: Iterable[StrEnum], word: Callable[[Any], str] = str) -> BeforeValidator:
    """A validator accepting exactly one of the choices' words (their values, unless `word`
    says otherwise), with a message listing them."""
    words = {word(member): member for member in choices}
    allowed = ", ".join(words)

    def check(value: Any) -> Any:
        if isinstance(value, str) and value in words:
            return words[value]
        raise PydanticCustomError(
            "one_of",
            "must be one of {allowed} (got {got})",
            {"allowed": allowed, "got": show(value)},
        )

    return BeforeValidator(check)


def _kebab(value: Any) -> Any:
    """Accept a kebab-case id such as 'security-review'."""
    if isinstance(value, str) and _KEBAB.fullmatch(value):
        return value
    raise PydanticCustomError(
        "kebab", "must be a kebab-case id like 'security-review' (got {got})", {"got": show(value)}
    )


def _iso_date(value: Any) -> Any:
    """Accept a YAML date or an ISO 'YYYY-MM-DD' string, never a timestamp or a number."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError(
        "iso_date", "must be a date like 2026-12-25 (got {got})", {"got": show(value)}
    )


def _text_or_empty(value: Any) -> Any:
    """Let an optional text field be left blank (YAML null)."""
    return "" if value is None else value


def _weeks(value: Any) -> Any:
    """Accept [min, max] weeks with 1 <= min <= max <= 52."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(weeks, int) and not isinstance(weeks, bool) for weeks in value)
        and 1 <= value[0] <= value[1] <= 52
    ):
        return value
    raise PydanticCustomError(
        "weeks", "must be [min, max] weeks, e.g. [8, 12] (got {got})", {"got": show(value)}
    )


Id = Annotated[str, BeforeValidator(_kebab)]
Text = Annotated[str, Field(strict=True, min_length=1)]
Note = Annotated[str, Field(strict=True), BeforeValidator(_text_or_empty)]
Days = Annotated[int, Field(strict=True, ge=0, le=MAX_STEP_DAYS)]


class StepFile(BaseModel):
    """One entry of `steps:` as written in the file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Id
    phase: Text
    name: Text
    owner: Annotated[Side, _one_of(STEP_OWNERS, lambda side: side.label)]
    days: Days
    before: Id = GO_LIVE
    lag: Days = 0
    critical: Annotated[bool, Field(strict=True)] = False
    roles: list[Annotated[Role, _one_of(Role)]] = []
    milestone: Annotated[Milestone, _one_of(Milestone)] | None = None
    description: Note = ""


class TemplateFile(BaseModel):
    """A whole template file as written."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Id
    title: Text
    version: Annotated[int, Field(strict=True, ge=1)]
    description: Text
    typical_weeks: Annotated[list[int], BeforeValidator(_weeks)] | None = None
    holidays: list[Annotated[date, BeforeValidator(_iso_date)]] = []
    region: Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")] | None = None
    slack_before: Id | None = None
    steps: Annotated[list[StepFile], Field(min_length=1)]


def _where(loc: tuple[int | str, ...]) -> str:
    """('steps', 3, 'owner') -> 'steps[3].owner'."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


_TYPE_MESSAGES = {
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "dict_type": "must be a mapping of fields",
}
_OUR_MESSAGES = {"one_of", "kebab", "iso_date", "weeks"}


def shape_problem(error: ErrorDetails) -> Problem:
    """Turn one pydantic error into a plain-language problem."""
    loc, kind, ctx = tuple(error["loc"]), error["type"], error.get("ctx", {})
    got = show(error.get("input"))
    if kind == "missing":
        what = "is required"
    elif kind == "extra_forbidden":
        model = StepFile if loc[:1] == ("steps",) and len(loc) > 2 else TemplateFile
        what = f"unknown field (allowed: {', '.join(model.model_fields)})"
    elif kind in _TYPE_MESSAGES:
        what = f"{_TYPE_MESSAGES[kind]} (got {got})"
    elif kind == "string_too_short":
        what = "must not be empty"
    elif kind == "too_short":
        what = "must list at least one step"
    elif kind == "greater_than_equal":
        what = f"must be at least {ctx.get('ge')} (got {got})"
    elif kind == "less_than_equal":
        what = f"must be at most {ctx.get('le')} (got {got})"
    elif kind in _OUR_MESSAGES:
        what = error["msg"]
    else:
        what = error["msg"][:1].lower() + error["msg"][1:]
    return Problem(_where(loc), what)
