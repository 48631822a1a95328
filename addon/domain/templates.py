"""MAP templates: load, validate and check the YAML files in `sheets_templates/`.

A file is validated in two passes: pydantic models check its shape (fields, types, allowed values),
then plain code checks what spans steps (ids, `before` chains, milestones). Every problem becomes
one line, "<path>: <field path>: <what is wrong>", so a person can fix the file from the message.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from addon.domain.holiday_calendar import UnknownRegion, region_holidays
from addon.domain.model import GO_LIVE, Milestone, StepSpec, Template
from addon.domain.template_schema import (
    MAX_STEP_DAYS,
    Problem,
    StepFile,
    TemplateFile,
    shape_problem,
)

__all__ = [
    "MAX_STEP_DAYS",
    "CheckResult",
    "TemplateError",
    "check",
    "check_all",
    "find_template",
    "load_template",
    "load_templates",
    "templates_dir",
]

MAX_STEPS = 30
MIN_STEPS = 5


class TemplateError(ValueError):
    """A template that cannot be used; str() is one line, "<path>: <field path>: <problem>"."""


@dataclass(frozen=True)
class CheckResult:
    """Everything wrong with one template file; `template` is set only when there are no errors."""

    path: Path
    template: Template | None
    errors: list[str]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- what spans steps -----------------------------------------------------------------------------


def _chain_outcome(start: str, next_of: dict[str, str]) -> tuple[str, list[str]]:
    """Follow `before` links from a step: ('go-live' | 'dangling', ids) or ('loop', the loop)."""
    visited = [start]
    current = start
    while True:
        target = next_of[current]
        if target == GO_LIVE:
            return "go-live", visited
        if target not in next_of:
            return "dangling", visited
        if target in visited:
            return "loop", visited[visited.index(target) :] + [target]
        visited.append(target)
        current = target


def _check_ids_and_chains(steps: list[StepFile]) -> list[Problem]:
    """Unique ids, `before` naming a real step, and every chain reaching go-live."""
    problems: list[Problem] = []
    index: dict[str, int] = {}
    for i, step in enumerate(steps):
        if step.id in index:
            problems.append(
                Problem(f"steps[{i}].id", f"{step.id!r} is already used by steps[{index[step.id]}]")
            )
        else:
            index[step.id] = i
        if step.id == GO_LIVE and step.milestone is not Milestone.GO_LIVE:
            problems.append(
                Problem(f"steps[{i}].id", "'go-live' is reserved for the go-live milestone")
            )
    for i, step in enumerate(steps):
        if step.before != GO_LIVE and step.before not in index:
            close = difflib.get_close_matches(step.before, list(index), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "use another step's id or 'go-live'"
            problems.append(
                Problem(f"steps[{i}].before", f"no step has id {step.before!r} ({hint})")
            )
    next_of: dict[str, str] = {}
    for step in steps:
        next_of.setdefault(step.id, step.before)
    reported_loops: set[frozenset[str]] = set()
    for step_id, i in index.items():
        outcome, loop = _chain_outcome(step_id, next_of)
        if outcome != "loop":
            continue
        members = frozenset(loop)
        shown = " -> ".join(loop)
        if step_id in members and members not in reported_loops:
            reported_loops.add(members)
            problems.append(Problem(f"steps[{i}].before", f"the before chain loops: {shown}"))
        elif step_id not in members:
            problems.append(
                Problem(f"steps[{i}].before", f"no path to go-live: the chain runs into {shown}")
            )
    return problems


def _check_milestones(steps: list[StepFile]) -> list[Problem]:
    """One go-live milestone anchored at go-live, at most one signature, days 0 only for them."""
    problems: list[Problem] = []
    first: dict[Milestone, int] = {}
    for i, step in enumerate(steps):
        if step.milestone is None:
            if step.days == 0:
                problems.append(
                    Problem(f"steps[{i}].days", "must be at least 1 (only milestones take 0 days)")
                )
            continue
        if step.milestone in first:
            problems.append(
                Problem(
                    f"steps[{i}].milestone",
                    f"only one step may be the {step.milestone.value} milestone "
                    f"(steps[{first[step.milestone]}] already is)",
                )
            )
        first.setdefault(step.milestone, i)
        if step.days != 0:
            problems.append(
                Problem(
                    f"steps[{i}].days", f"a milestone marks a date: must be 0 (got {step.days})"
                )
            )
        if step.milestone is Milestone.GO_LIVE and step.before != GO_LIVE:
            problems.append(
                Problem(
                    f"steps[{i}].before",
                    f"the go-live milestone must come before 'go-live' (got {step.before!r})",
                )
            )
        if step.milestone is Milestone.GO_LIVE and step.lag != 0:
            problems.append(
                Problem(f"steps[{i}].lag", f"the go-live milestone takes no lag (got {step.lag})")
            )
    if Milestone.GO_LIVE not in first:
        problems.append(
            Problem("steps", "needs exactly one step with 'milestone: go-live' (found none)")
        )
    return problems


def _longest_chain(steps: list[StepFile]) -> tuple[int, str]:
    """Business days along the longest `before` chain as a schedule lays it, and where it starts.

    Each step occupies its days (at least one: a signature milestone takes its day) plus its
    lag; the go-live milestone ends the chain and takes none.
    """
    by_id = {step.id: step for step in steps}
    memo: dict[str, int] = {}

    def length(step_id: str) -> int:
        if step_id == GO_LIVE:
            return 0
        if step_id not in memo:
            step = by_id[step_id]
            own = 0 if step.milestone is Milestone.GO_LIVE else max(step.days, 1) + step.lag
            memo[step_id] = own + length(step.before)
        return memo[step_id]

    return max((length(step.id), step.id) for step in reversed(steps))


def _warnings(template: TemplateFile) -> list[Problem]:
    """Things that load but deserve a second look."""
    steps = template.steps
    problems: list[Problem] = []
    if len(steps) > MAX_STEPS:
        problems.append(
            Problem(
                "steps",
                f"{len(steps)} steps: plans over 30 steps are rarely followed; 11-15 work best",
            )
        )
    elif len(steps) < MIN_STEPS:
        problems.append(
            Problem(
                "steps",
                f"{len(steps)} steps: plans under 5 steps rarely cover a buying process; "
                "11-15 work best",
            )
        )
    by_id = {step.id: step for step in steps}
    for i, step in enumerate(steps):
        after = by_id.get(step.before)
        if step.critical and step.before != GO_LIVE and after is not None and not after.critical:
            problems.append(
                Problem(
                    f"steps[{i}].critical", f"critical, but comes before {after.id!r}, which is not"
                )
            )
        repeated = sorted({role.value for role in step.roles if step.roles.count(role) > 1})
        if repeated:
            problems.append(
                Problem(f"steps[{i}].roles", f"listed more than once: {', '.join(repeated)}")
            )
    weeks = template.typical_weeks
    if weeks:
        days, start = _longest_chain(steps)
        if days / 5 > weeks[0]:
            problems.append(
                Problem(
                    "typical_weeks",
                    f"the longest before chain (from {start!r}) takes {days} business days "
                    f"({days / 5:g} weeks): a go-live at the shortest typical length, "
                    f"{weeks[0]} weeks, cannot fit it",
                )
            )
    return problems


def _to_template(template: TemplateFile) -> Template:
    """The frozen domain model of a valid file."""
    steps = tuple(
        StepSpec(
            id=step.id,
            phase=step.phase,
            name=step.name,
            owner_side=step.owner,
            duration_days=step.days,
            before=step.before,
            lag_days=step.lag,
            critical=step.critical,
            roles=tuple(dict.fromkeys(step.roles)),
            milestone=step.milestone,
            description=step.description,
        )
        for step in template.steps
    )
    weeks = template.typical_weeks
    return Template(
        name=template.name,
        title=template.title,
        version=template.version,
        description=template.description,
        steps=steps,
        holidays=tuple(sorted(set(template.holidays) | region_holidays(template.region))),
        typical_weeks=(weeks[0], weeks[1]) if weeks else None,
        region=template.region,
    )


# --- reading files -----------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key != "<<":
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"key {key!r} given twice (first on line {seen[key]})",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _read(path: Path) -> tuple[Any, Problem | None]:
    """The file's parsed YAML, or the problem that stops it being read."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, Problem("(file)", "not found")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return None, Problem("(file)", f"cannot be read ({reason})")
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        start = exc.context_mark if exc.problem_mark else None
        detail = f" ({exc.context} from line {start.line + 1})" if exc.context and start else ""
        return None, Problem(where, f"invalid YAML: {exc.problem}{detail}")
    except yaml.YAMLError as exc:
        return None, Problem("(file)", f"invalid YAML: {' '.join(str(exc).split())}")
    if data is None:
        return None, Problem("(top level)", "the file is empty")
    return data, None


def _display(path: Path) -> str:
    """The path as a person would type it: relative to the working directory when inside it."""
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def check(path: Path) -> CheckResult:
    """All errors and warnings of one template file; never raises for a bad or missing file."""
    path = Path(path)
    shown = _display(path)

    def line(problem: Problem) -> str:
        return " ".join(f"{shown}: {problem.where}: {problem.what}".split())

    data, unreadable = _read(path)
    if unreadable:
        return CheckResult(path, None, [line(unreadable)], [])
    try:
        parsed = TemplateFile.model_validate(data)
    except ValidationError as exc:
        return CheckResult(path, None, [line(shape_problem(e)) for e in exc.errors()], [])
    errors: list[Problem] = []
    if parsed.name != path.stem:
        errors.append(
            Problem("name", f"must equal the file name {path.stem!r} (got {parsed.name!r})")
        )
    errors += _check_ids_and_chains(parsed.steps) + _check_milestones(parsed.steps)
    if parsed.region:
        try:
            region_holidays(parsed.region)
        except UnknownRegion:
            errors.append(
                Problem("region", f"{parsed.region!r} is not a region the holiday calendar knows")
            )
    if errors:
        return CheckResult(path, None, [line(p) for p in errors], [])
    return CheckResult(path, _to_template(parsed), [], [line(p) for p in _warnings(parsed)])


def templates_dir() -> Path:
    """Where templates live: $MAP_TEMPLATES_DIR, else `sheets_templates/` at the repository root."""
    configured = os.environ.get("MAP_TEMPLATES_DIR")
    return Path(configured) if configured else Path(__file__).parents[2] / "sheets_templates"


def _template_files(directory: Path) -> list[Path]:
    """The directory's *.yaml files sorted by name; TemplateError if it is not a directory."""
    if not directory.is_dir():
        raise TemplateError(f"{_display(directory)}: (directory): not found")
    return sorted(directory.glob("*.yaml"), key=lambda path: path.stem)


# Loaded templates by file, valid while the file's modification time and size are unchanged:
# the sidebar and the review read templates on every request, and parsing YAML is slow.
_LOADED: dict[Path, tuple[tuple[int, int], Template]] = {}


def load_template(path: Path) -> Template:
    """The template in one file; TemplateError with the first problem if it is not valid."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (stat.st_mtime_ns, stat.st_size) if stat else None
    cached = _LOADED.get(path.resolve()) if key else None
    if cached is not None and cached[0] == key:
        return cached[1]
    result = check(path)
    if result.template is None:
        raise TemplateError(result.errors[0])
    if key is not None:
        _LOADED[path.resolve()] = (key, result.template)
    return result.template


def load_templates(directory: Path | None = None) -> list[Template]:
    """Every template in the directory, sorted by name; raises on the first invalid file."""
    return [load_template(path) for path in _template_files(directory or templates_dir())]


def find_template(name: str, directory: Path | None = None) -> Template:
    """The template called `name`; TemplateError listing the available ones if there is none."""
    directory = directory or templates_dir()
    available = {path.stem: path for path in _template_files(directory)}
    if name not in available:
        names = ", ".join(available) or "none"
        raise TemplateError(f"unknown template {name!r} (available: {names})")
    return load_template(available[name])


def check_all(directory: Path | None = None) -> list[CheckResult]:
    """Check every template in the directory; a missing directory is one result with an error."""
    directory = directory or templates_dir()
    try:
        paths = _template_files(directory)
    except TemplateError as exc:
        return [CheckResult(directory, None, [str(exc)], [])]
    return [check(path) for path in paths]
