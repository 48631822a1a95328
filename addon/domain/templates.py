"""MAP templates: load, validate and check the YAML files in `sheets_templates/`.

A file is validated in two passes: pydantic models check its shape (fields, types, allowed values),
then plain code checks what spans steps (ids, `before` chains, milestones; `template_checks`).
Every problem becomes one line, "<path>: <field path>: <what is wrong>", so a person can fix the
file from the message.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from addon.domain.holiday_calendar import UnknownRegion, region_holidays
from addon.domain.model import StepSpec, Template
from addon.domain.template_checks import (
    check_ids_and_chains,
    check_milestones,
    check_slack_before,
    template_warnings,
)
from addon.domain.template_schema import MAX_STEP_DAYS, Problem, TemplateFile, shape_problem

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
        slack_before=template.slack_before,
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
    errors += check_ids_and_chains(parsed.steps) + check_milestones(parsed.steps)
    errors += check_slack_before(parsed)
    if parsed.region:
        try:
            region_holidays(parsed.region)
        except UnknownRegion:
            errors.append(
                Problem("region", f"{parsed.region!r} is not a region the holiday calendar knows")
            )
    if errors:
        return CheckResult(path, None, [line(p) for p in errors], [])
    return CheckResult(path, _to_template(parsed), [], [line(p) for p in template_warnings(parsed)])


def templates_dir() -> Path:
    """The shipped templates: `sheets_templates/` beside the `addon` package, in a checkout as in
    an install (package data). Another folder is the configuration's (`Config.templates_dir`,
    MAP_TEMPLATES_DIR), passed to the functions below by the composition root."""
    return Path(__file__).parents[2] / "sheets_templates"


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
