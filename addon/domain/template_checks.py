"""What spans a template's steps (pure): unique ids, `before` chains that reach go-live, one
go-live milestone, and the warnings a file that loads may still deserve.

The shape of each field is checked first, by the pydantic models of `template_schema`; these
checks run on a file that has the right shape, and `templates.check` puts their problems in
its result.
"""

from __future__ import annotations

import difflib

from addon.domain.model import GO_LIVE, Milestone
from addon.domain.template_schema import Problem, StepFile, TemplateFile

MAX_STEPS = 30
MIN_STEPS = 5


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


def check_ids_and_chains(steps: list[StepFile]) -> list[Problem]:
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


def check_milestones(steps: list[StepFile]) -> list[Problem]:
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


def check_slack_before(template: TemplateFile) -> list[Problem]:
    """`slack_before` names one of the file's steps, or go-live."""
    name = template.slack_before
    ids = [step.id for step in template.steps]
    if name is None or name == GO_LIVE or name in ids:
        return []
    close = difflib.get_close_matches(name, ids, n=1)
    hint = f"did you mean {close[0]!r}?" if close else "use a step's id or 'go-live'"
    return [Problem("slack_before", f"no step has id {name!r} ({hint})")]


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


def template_warnings(template: TemplateFile) -> list[Problem]:
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
