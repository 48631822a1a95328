"""The hostile buyer-edit corpus: every case's edit, made through the real clients, is read by
the next watch tick without a failure, reported as data issues where due, and loses nothing.

DESIGN.md principle 4, "Buyer data is hostile input": anything in a buyer-edited sheet may be
missing, renamed, moved, mistyped, huge, or a formula; parsing never crashes a run, and problems
become visible data issues. Principle 5, "Nothing is lost".
"""

from __future__ import annotations

from collections import Counter
from fnmatch import fnmatchcase
from typing import Any

import pytest
from corpus_case import BASELINE, BASELINE_EXPECT, Case, Edit, Expect, Outcome, named
from corpus_cases_cells import CELL_CASES
from corpus_cases_plan import PLAN_CASES
from corpus_cases_tabs import TAB_CASES
from corpus_world import PlanWorld

from addon.services.watch import TickResult

CASES: list[Case] = [*PLAN_CASES, *CELL_CASES, *TAB_CASES]


def test_the_corpus_has_thirty_distinct_described_cases() -> None:
    names = [case.name for case in CASES]
    assert len(names) >= 30
    assert [name for name, count in Counter(names).items() if count > 1] == []
    assert all(case.description and "\n" not in case.description for case in CASES)


@pytest.mark.parametrize("case", [case.param() for case in CASES])
def test_buyer_edit(case: Case, plan_world: PlanWorld) -> None:
    if case.after_baseline:
        _edit_and_tick(plan_world, BASELINE, BASELINE_EXPECT)

    outcome = _edit_and_tick(plan_world, case.edit, case.expect)

    if case.check is not None:
        case.check(outcome)
    again = plan_world.tick()  # nothing new to read: no event repeats, no storm later
    assert (again.failed, again.events) == ([], [])


def _edit_and_tick(world: PlanWorld, edit: Edit, expect: Expect) -> Outcome:
    """Make the edit, tick once, and check what the tick found against `expect`."""
    before = world.latest()
    edit(world)
    result = world.tick()
    assert result.failed == [], [issue.message for _, issue in result.data_issues]
    assert result.changed_plans == ([world.deal_id] if expect.read else [])
    after = world.latest()
    _assert_issues(world, result, after, expect)
    _assert_events(world, result, expect)
    filled = _filled_days(result)
    _assert_steps_kept(before, after, expect, world, filled)
    _assert_deal_kept(before, after, expect, filled)
    _assert_people_kept(before, after, expect, world)
    return Outcome(world, result, before, after)


def _assert_issues(world: PlanWorld, result: TickResult, after: Any, expect: Expect) -> None:
    reported = sorted(
        ((issue.kind, issue.cell) for deal, issue in result.data_issues if deal == world.deal_id),
        key=str,
    )
    assert reported == sorted(expect.issues, key=str)
    if expect.read:  # the snapshot carries the plan's current issues, for the pipeline review
        kept = sorted(((i["kind"], i["cell"]) for i in after["data_issues"]), key=str)
        assert kept == reported


def _assert_events(world: PlanWorld, result: TickResult, expect: Expect) -> None:
    unmatched = [(event.kind.value, event.subject or "") for event in result.events]
    missing: list[tuple[str, str]] = []
    for kind, subject in expect.events:
        pattern = named(subject, world)
        match = next(
            (found for found in unmatched if found[0] == kind and fnmatchcase(found[1], pattern)),
            None,
        )
        if match is None:
            missing.append((kind, pattern))
        else:
            unmatched.remove(match)
    assert (missing, unmatched) == ([], []), "(expected but missing, found but not expected)"
    if result.events:  # each is shown once in the plan's Activity tab
        shown = Counter(row[0] for row in world.read("Activity!H2:H") if row)
        assert [shown[event.event_id] for event in result.events] == [1] * len(result.events)


def _filled_days(result: TickResult) -> dict[tuple[str, str | None], str]:
    """(event kind, subject) -> the day the watch saw it: the date it fills in the sheet when a
    person marks a step Done, or ticks their side's agreement, and leaves its date blank."""
    return {
        (event.kind.value, event.subject): event.occurred_at.date().isoformat()
        for event in result.events
        if event.kind.value in ("step_done", "plan_agreed")
    }


def _assert_steps_kept(
    before: Any, after: Any, expect: Expect, world: PlanWorld, filled: dict[Any, str]
) -> None:
    old = {step["id"]: _without_row(step) for step in before["steps"]}
    new = {step["id"]: _without_row(step) for step in after["steps"]}
    assert len(new) == len(after["steps"]), "two steps with one id"
    assert set(expect.steps) <= set(old), "a case names a step the plan does not have"
    for step_id, step in old.items():
        change = expect.steps.get(step_id, {})
        if change is None:
            assert step_id not in new, f"step {step_id!r} should be gone"
        else:
            # a value may be worked out from the plan as made (its dates follow the day it
            # was made): a callable takes the steps before the edit, by id
            change = {k: v(old) if callable(v) else v for k, v in change.items()}
            wanted = {**step, **change}
            seen_done = filled.get(("step_done", step_id))
            if seen_done and wanted.get("done_on") is None and "done_on" not in change:
                wanted["done_on"] = seen_done  # a Done without its date gets the day seen
            assert new.get(step_id) == wanted, f"step {step_id!r}"
    added = [step["name"] for step_id, step in new.items() if step_id not in old]
    assert sorted(added) == sorted(named(name, world) for name in expect.new_steps)


def _assert_deal_kept(before: Any, after: Any, expect: Expect, filled: dict[Any, str]) -> None:
    assert set(expect.deal) <= set(before["deal"])
    wanted = {**before["deal"], **expect.deal}
    for (kind, subject), day in filled.items():
        dated = f"{subject}_on"
        if kind == "plan_agreed" and dated in wanted and wanted[dated] is None:
            if dated not in expect.deal:
                wanted[dated] = day  # an agreement ticked without its date gets the day seen
    assert after["deal"] == wanted


def _assert_people_kept(before: Any, after: Any, expect: Expect, world: PlanWorld) -> None:
    old = {_person_key(person): person for person in before["stakeholders"]}
    new = {_person_key(person): person for person in after["stakeholders"]}
    changes = {named(key, world): change for key, change in expect.people.items()}
    assert set(changes) <= set(old)
    for key, person in old.items():
        change = changes.get(key, {})
        if change is None:
            assert key not in new, f"{key} should be gone"
        else:
            assert new.get(key) == {**person, **change}, key
    added = [key for key in new if key not in old]
    assert sorted(added) == sorted(named(key, world) for key in expect.new_people)


def _without_row(step: dict[str, Any]) -> dict[str, Any]:
    """A step without its sheet row: moving rows is not a change."""
    return {key: value for key, value in step.items() if key != "row"}


def _person_key(person: dict[str, Any]) -> str:
    return str(person.get("email") or person.get("name"))
