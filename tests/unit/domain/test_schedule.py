"""Backward scheduling from go-live: anchors, lags, holidays, plan order, warnings, reports."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pytest

from addon.domain import model
from addon.domain.businessdays import (
    business_days_between,
    is_business_day,
    next_business_day,
    roll_back,
)
from addon.domain.model import GO_LIVE, Milestone, Side, StepSpec
from addon.domain.schedule import critical_path, schedule, total_business_days

# Calendar used below: 2026-12-14 is a Monday, 2026-12-19 a Saturday, 2026-12-25 and
# 2027-01-01 are Fridays, 2026-11-20 is a Friday.
CHRISTMAS = date(2026, 12, 25)
NEW_YEAR = date(2027, 1, 1)
TODAY = date(2026, 6, 1)  # long before any go-live below: no warnings unless a test wants them


def step(
    step_id: str,
    duration: int = 1,
    before: str = GO_LIVE,
    lag: int = 0,
    *,
    critical: bool = False,
    milestone: Milestone | None = None,
    name: str | None = None,
) -> StepSpec:
    """A step with defaults that do not matter to scheduling."""
    return StepSpec(
        id=step_id,
        phase="Phase",
        name=name or step_id.replace("_", " ").capitalize(),
        owner_side=Side.BUYER,
        duration_days=duration,
        before=before,
        lag_days=lag,
        critical=critical,
        milestone=milestone,
    )


def go_live_step(*, critical: bool = False) -> StepSpec:
    """The go-live milestone."""
    return step("go_live", 0, critical=critical, milestone=Milestone.GO_LIVE, name="Go-live")


def template(*steps: StepSpec, holidays: tuple[date, ...] = ()) -> model.Template:
    """A template around the given steps."""
    return model.Template(
        name="test",
        title="Test",
        version=1,
        description="",
        steps=steps,
        holidays=holidays,
    )


def dates(plan: model.Schedule) -> dict[str, tuple[date, date]]:
    """(start, due) by step id."""
    return {s.spec.id: (s.start, s.due) for s in plan.steps}


# --- dates -------------------------------------------------------------------------------------


def test_go_live_milestone_is_due_on_the_go_live_date() -> None:
    plan = schedule(template(go_live_step()), date(2026, 12, 15), TODAY)
    assert dates(plan) == {"go_live": (date(2026, 12, 15), date(2026, 12, 15))}
    assert plan.go_live == date(2026, 12, 15)


def test_step_before_go_live_is_due_the_business_day_before() -> None:
    tpl = template(step("kickoff"), go_live_step())
    assert dates(schedule(tpl, date(2026, 12, 15), TODAY))["kickoff"] == (
        date(2026, 12, 14),
        date(2026, 12, 14),
    )
    # Go-live on a Monday: the step is due the Friday before.
    assert dates(schedule(tpl, date(2026, 12, 14), TODAY))["kickoff"] == (
        date(2026, 12, 11),
        date(2026, 12, 11),
    )


def test_a_step_starts_its_duration_minus_one_business_days_before_it_is_due() -> None:
    tpl = template(step("pilot", 5), step("rollout_prep", 10), go_live_step())
    got = dates(schedule(tpl, date(2026, 12, 14), TODAY))
    assert got["pilot"] == (date(2026, 12, 7), date(2026, 12, 11))
    assert got["rollout_prep"] == (date(2026, 11, 30), date(2026, 12, 11))


def test_a_chain_of_steps_ends_each_before_the_next_starts() -> None:
    tpl = template(step("evaluate", 3, before="decide"), step("decide", 2), go_live_step())
    got = dates(schedule(tpl, date(2026, 12, 14), TODAY))
    assert got["decide"] == (date(2026, 12, 10), date(2026, 12, 11))
    assert got["evaluate"] == (date(2026, 12, 7), date(2026, 12, 9))


def test_weekends_and_holidays_are_skipped() -> None:
    # Go-live Mon 2027-01-04; New Year's Day (Fri) and Christmas (Fri) are holidays.
    tpl = template(
        step("training", 5, before="cutover"),
        step("cutover", 1),
        go_live_step(),
        holidays=(CHRISTMAS, NEW_YEAR),
    )
    got = dates(schedule(tpl, date(2027, 1, 4), TODAY))
    assert got["cutover"] == (date(2026, 12, 31), date(2026, 12, 31))
    # Training: due Wed 12-30, five business days back skipping Christmas -> Wed 12-23.
    assert got["training"] == (date(2026, 12, 23), date(2026, 12, 30))


def test_holidays_come_from_the_template_and_the_argument_together() -> None:
    tpl = template(step("training", 5, before="cutover"), step("cutover", 1), go_live_step())
    from_argument = schedule(tpl, date(2027, 1, 4), TODAY, holidays=[CHRISTMAS, NEW_YEAR])
    mixed = schedule(
        template(*tpl.steps, holidays=(CHRISTMAS,)), date(2027, 1, 4), TODAY, holidays={NEW_YEAR}
    )
    expected = {
        "training": (date(2026, 12, 23), date(2026, 12, 30)),
        "cutover": (date(2026, 12, 31), date(2026, 12, 31)),
        "go_live": (date(2027, 1, 4), date(2027, 1, 4)),
    }
    assert dates(from_argument) == expected
    assert dates(mixed) == expected


def test_go_live_on_a_saturday_rolls_back_to_friday() -> None:
    tpl = template(step("cutover"), go_live_step())
    plan = schedule(tpl, date(2026, 12, 19), TODAY)
    got = dates(plan)
    assert got["go_live"] == (date(2026, 12, 18), date(2026, 12, 18))
    assert got["cutover"] == (date(2026, 12, 17), date(2026, 12, 17))
    assert plan.go_live == date(2026, 12, 19)  # the requested date is kept


def test_go_live_on_a_holiday_rolls_back_to_the_business_day_before() -> None:
    tpl = template(step("cutover"), go_live_step(), holidays=(CHRISTMAS,))
    got = dates(schedule(tpl, CHRISTMAS, TODAY))
    assert got["go_live"] == (date(2026, 12, 24), date(2026, 12, 24))
    assert got["cutover"] == (date(2026, 12, 23), date(2026, 12, 23))


def test_parallel_steps_share_their_anchor() -> None:
    tpl = template(
        step("legal_review", 10, before="signature"),
        step("security_review", 5, before="signature"),
        step("signature", 0, milestone=Milestone.SIGNATURE),
        go_live_step(),
    )
    plan = schedule(tpl, date(2026, 12, 14), TODAY)
    got = dates(plan)
    assert got["signature"] == (date(2026, 12, 11), date(2026, 12, 11))
    assert got["legal_review"] == (date(2026, 11, 27), date(2026, 12, 10))
    assert got["security_review"] == (date(2026, 12, 4), date(2026, 12, 10))
    assert plan.signature_date == date(2026, 12, 11)


def test_lag_adds_slack_before_the_anchor() -> None:
    tpl = template(step("a", 1, lag=2), step("b", 1, lag=5), step("c", 3, lag=1), go_live_step())
    got = dates(schedule(tpl, date(2026, 12, 14), TODAY))
    assert got["a"] == (date(2026, 12, 9), date(2026, 12, 9))  # Fri 12-11 less 2 -> Wed
    assert got["b"] == (date(2026, 12, 4), date(2026, 12, 4))  # Fri 12-11 less 5 -> Fri 12-04
    assert got["c"] == (date(2026, 12, 8), date(2026, 12, 10))


def test_a_template_without_a_go_live_milestone_anchors_on_the_go_live_date() -> None:
    got = dates(schedule(template(step("cutover", 2)), date(2026, 12, 19), TODAY))
    assert got == {"cutover": (date(2026, 12, 16), date(2026, 12, 17))}


def test_a_step_anchored_to_the_go_live_milestone_by_id_is_due_the_day_before() -> None:
    tpl = template(step("cutover", 1, before="go_live"), go_live_step())
    got = dates(schedule(tpl, date(2026, 12, 15), TODAY))
    assert got["cutover"] == (date(2026, 12, 14), date(2026, 12, 14))


def test_steps_come_in_plan_order() -> None:
    tpl = template(
        go_live_step(),
        step("short_b", 1, before="signature"),
        step("long", 4, before="signature"),
        step("short_a", 1, before="signature"),
        step("signature", 0, milestone=Milestone.SIGNATURE),
        step("early", 2, before="long"),
    )
    plan = schedule(tpl, date(2026, 12, 14), TODAY)
    assert [s.spec.id for s in plan.steps] == [
        "early",
        "long",  # same due as short_b/short_a, earlier start
        "short_b",  # same due and start: template order
        "short_a",
        "signature",
        "go_live",
    ]


def test_a_long_chain_does_not_hit_the_recursion_limit() -> None:
    chain = [step(f"s{i}", 1, before=f"s{i + 1}") for i in range(2999)] + [step("s2999", 1)]
    plan = schedule(template(*reversed(chain)), date(2040, 1, 2), TODAY)
    assert plan.steps[0].spec.id == "s0"
    assert total_business_days(plan) == 3000


# --- warnings ----------------------------------------------------------------------------------


def review_template() -> model.Template:
    """Security review (5 days, 6 days' slack) before legal review (10 days) before go-live."""
    return template(
        step("security_review", 5, before="legal_review", lag=6),
        step("legal_review", 10),
        go_live_step(),
    )


def test_too_close_go_live_warns_with_days_instead_of_squeezing() -> None:
    # Go-live Fri 2026-12-04: legal review runs Fri 11-20 .. Thu 12-03; security review is due
    # Wed 11-11 (Thu 11-19 less 6 days' slack) and starts Thu 11-05. Today is Fri 11-27.
    plan = schedule(review_template(), date(2026, 12, 4), date(2026, 11, 27))
    got = dates(plan)
    assert got["security_review"] == (date(2026, 11, 5), date(2026, 11, 11))
    assert got["legal_review"] == (date(2026, 11, 20), date(2026, 12, 3))
    assert [(w.step_id, w.kind, w.days, w.message) for w in plan.warnings] == [
        (
            "security_review",
            "due_in_past",
            12,
            "Security review would have been due 2026-11-11, 12 business days ago:"
            " the go-live date leaves no time for it",
        ),
        (
            "legal_review",
            "starts_in_past",
            5,
            "Legal review should have started 2026-11-20; only 5 of its 10 business days remain",
        ),
    ]


def test_a_step_due_today_is_short_but_not_late() -> None:
    plan = schedule(review_template(), date(2026, 12, 4), date(2026, 12, 3))
    legal = [w for w in plan.warnings if w.step_id == "legal_review"]
    assert [(w.kind, w.days) for w in legal] == [("starts_in_past", 9)]
    assert legal[0].message.endswith("only 1 of its 10 business days remains")


def test_a_step_starting_today_has_no_warning() -> None:
    plan = schedule(review_template(), date(2026, 12, 4), date(2026, 11, 5))
    assert plan.warnings == ()


def test_warnings_count_business_days_across_a_weekend_and_holidays() -> None:
    tpl = template(step("cutover", 3), go_live_step(), holidays=(CHRISTMAS,))
    # Go-live Mon 2026-12-28: cutover due Thu 12-24 (Christmas Friday is a holiday).
    plan = schedule(tpl, date(2026, 12, 28), date(2026, 12, 26))  # today: Saturday
    assert [(w.kind, w.days) for w in plan.warnings] == [("due_in_past", 1)]
    assert "due 2026-12-24, 1 business day ago" in plan.warnings[0].message
    # On a Saturday in the middle of a step, the remaining days start on Monday.
    plan = schedule(
        template(step("cutover", 10), go_live_step()), date(2026, 12, 21), date(2026, 12, 12)
    )
    assert [(w.kind, w.days) for w in plan.warnings] == [("starts_in_past", 5)]


def test_a_past_go_live_only_warns() -> None:
    plan = schedule(review_template(), date(2026, 12, 4), date(2026, 12, 8))
    assert [(w.step_id, w.kind, w.days) for w in plan.warnings] == [
        ("security_review", "due_in_past", 19),
        ("legal_review", "due_in_past", 3),
        ("go_live", "due_in_past", 2),
    ]


def test_plenty_of_time_means_no_warnings() -> None:
    assert schedule(review_template(), date(2026, 12, 4), date(2026, 10, 1)).warnings == ()


# --- broken templates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ((step("a", before="b"), step("b", before="a")), "cycle of steps: a -> b -> a"),
        ((step("a", before="a"),), "cycle of steps: a -> a"),
        ((step("a", before="nope"),), "before 'nope', which is not a step"),
        ((step("a"), step("a")), "two steps with id 'a'"),
        ((step("a", -1),), "negative duration or lag"),
        ((step("a", 1, lag=-2),), "negative duration or lag"),
    ],
)
def test_a_broken_template_raises_a_clear_error(steps: tuple[StepSpec, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        schedule(template(*steps), date(2026, 12, 14), TODAY)


def test_critical_path_refuses_a_cycle() -> None:
    tpl = template(step("a", before="b", critical=True), step("b", before="a", critical=True))
    with pytest.raises(ValueError, match="cycle"):
        critical_path(tpl)


# --- reports -----------------------------------------------------------------------------------


def test_critical_path_is_the_longest_chain_of_critical_steps_to_go_live() -> None:
    tpl = template(
        step("discovery", 5, before="security_review", critical=True),
        step("security_review", 10, before="signature", critical=True),
        step("legal_review", 12, before="signature", critical=True),
        step("pricing", 30, before="signature"),  # longer, but not critical
        step("signature", 0, milestone=Milestone.SIGNATURE, critical=True),
        step("training", 3, critical=True),
        go_live_step(critical=True),
    )
    assert [s.id for s in critical_path(tpl)] == [
        "discovery",
        "security_review",
        "signature",
        "go_live",
    ]


def test_critical_path_breaks_at_a_non_critical_step() -> None:
    tpl = template(
        step("discovery", 20, before="pilot", critical=True),
        step("pilot", 5),  # not critical: discovery's chain does not reach go-live
        step("training", 3, critical=True),
        go_live_step(),  # a non-critical go-live milestone still ends a chain
    )
    assert [s.id for s in critical_path(tpl)] == ["training"]
    assert critical_path(template(step("a"), go_live_step())) == []


def test_total_business_days_runs_from_the_first_start_to_go_live() -> None:
    tpl = template(step("training", 5, before="cutover"), step("cutover", 1))
    plan = schedule(tpl, date(2027, 1, 4), TODAY, holidays=[CHRISTMAS, NEW_YEAR])
    assert total_business_days(plan, [CHRISTMAS, NEW_YEAR]) == 6  # Wed 12-23 .. Thu 12-31, Mon

    tpl = template(step("evaluate", 3, before="decide"), step("decide", 2), go_live_step())
    assert total_business_days(schedule(tpl, date(2026, 12, 14), TODAY)) == 5
    assert total_business_days(schedule(tpl, date(2026, 12, 19), TODAY)) == 5  # Saturday
    assert total_business_days(schedule(template(go_live_step()), date(2026, 12, 14), TODAY)) == 0
    assert total_business_days(schedule(template(), date(2026, 12, 14), TODAY)) == 0


# --- properties over random templates ----------------------------------------------------------


def random_template(rng: random.Random, *, all_critical: bool = False) -> model.Template:
    """A random acyclic template: each step anchors on go-live or an earlier-made step."""
    steps: list[StepSpec] = []
    if rng.random() < 0.8:
        steps.append(go_live_step(critical=all_critical or rng.random() < 0.5))
    for i in range(rng.randrange(1, 15)):
        anchors = [GO_LIVE] + [s.id for s in steps]
        duration = rng.choice([0, 1, 1, 2, 3, 5, 10, 15])
        steps.append(
            step(
                f"s{i}",
                duration,
                before=rng.choice(anchors),
                lag=rng.choice([0, 0, 0, 1, 2, 5]),
                critical=all_critical or rng.random() < 0.5,
                milestone=Milestone.SIGNATURE if duration == 0 and rng.random() < 0.5 else None,
            )
        )
    rng.shuffle(steps)
    start = date(2026, 1, 1)
    holidays = tuple(start + timedelta(days=rng.randrange(730)) for _ in range(rng.randrange(20)))
    return template(*steps, holidays=holidays)


@pytest.mark.parametrize("seed", range(5))
def test_random_templates_keep_every_rule(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        tpl = random_template(rng)
        extra = {date(2026, 3, 1) + timedelta(days=rng.randrange(500)) for _ in range(5)}
        days_off = frozenset(tpl.holidays) | extra
        go_live = date(2026, 6, 1) + timedelta(days=rng.randrange(365))
        today = go_live - timedelta(days=rng.randrange(0, 200))
        plan = schedule(tpl, go_live, today, extra)
        by_id = {s.spec.id: s for s in plan.steps}
        assert sorted(by_id) == sorted(s.id for s in tpl.steps)
        go_live_day = roll_back(go_live, days_off)
        for s in plan.steps:
            assert is_business_day(s.due, days_off) and is_business_day(s.start, days_off)
            assert s.start <= s.due
            if s.spec.milestone is Milestone.GO_LIVE:
                assert s.start == s.due == go_live_day
                continue
            anchor = go_live_day if s.spec.before == GO_LIVE else by_id[s.spec.before].start
            assert s.due < anchor
            assert business_days_between(s.due, anchor, days_off) == s.spec.lag_days + 1
            span = business_days_between(s.start, s.due, days_off) + 1
            assert span == max(s.spec.duration_days, 1)
        keys = [(s.due, s.start) for s in plan.steps]
        assert keys == sorted(keys)
        warned = [w.step_id for w in plan.warnings]
        assert warned == [s.spec.id for s in plan.steps if s.start < today]
        assert all(w.days >= 1 for w in plan.warnings)


@pytest.mark.parametrize("seed", range(3))
def test_an_all_critical_template_spans_exactly_its_critical_path(seed: int) -> None:
    rng = random.Random(1000 + seed)
    for _ in range(50):
        tpl = random_template(rng, all_critical=True)
        plan = schedule(tpl, date(2027, 3, 1) + timedelta(days=rng.randrange(200)), TODAY)
        path = critical_path(tpl)
        span = sum(
            0 if s.milestone is Milestone.GO_LIVE else max(s.duration_days, 1) + s.lag_days
            for s in path
        )
        assert span == total_business_days(plan, tpl.holidays)
        assert path[-1].milestone is Milestone.GO_LIVE or path[-1].before in (GO_LIVE, "go_live")


# --- spare time (rule 8) -------------------------------------------------------------------------


def with_slack(tpl: model.Template, slack_before: str | None) -> model.Template:
    return dataclasses.replace(tpl, slack_before=slack_before)


def test_a_buyer_ready_now_starts_the_work_before_signature_today() -> None:
    tpl = with_slack(
        template(
            step("discovery", 5, before="review"),
            step("review", 10, before="signature"),
            step("security", 3, before="signature"),
            step("signature", 0, before="rollout", milestone=Milestone.SIGNATURE),
            step("rollout", 5),
            go_live_step(),
        ),
        "signature",
    )
    today = date(2026, 11, 7)  # a Saturday: the work starts on Monday 9 November
    late = dates(schedule(tpl, date(2027, 3, 1), today, ready_now=False))
    now = dates(schedule(tpl, date(2027, 3, 1), today))
    assert now["discovery"] == (date(2026, 11, 9), date(2026, 11, 13))
    assert now["review"] == (date(2026, 11, 16), date(2026, 11, 27))
    # the parallel track moves with the block, so it still ends with the review
    assert now["security"][1] == now["review"][1]
    # signature and what follows keep their dates back from go-live: the spare time sits before
    # signature
    for kept in ("signature", "rollout", "go_live"):
        assert now[kept] == late[kept]
    assert late["discovery"][0] > date(2027, 1, 1)


def test_no_spare_time_or_no_slack_point_dates_every_step_as_late_as_possible() -> None:
    steps = (step("discovery", 5, before="signature"), step("signature", 0), go_live_step())
    tight = with_slack(template(*steps), "signature")
    today = date(2026, 12, 7)  # a Monday; go-live 6 business days later leaves no spare time
    assert dates(schedule(tight, date(2026, 12, 15), today)) == dates(
        schedule(tight, date(2026, 12, 15), today, ready_now=False)
    )
    assert schedule(tight, date(2026, 12, 15), today).warnings == ()
    loose = template(*steps)  # no slack_before: as late as possible whatever the go-live
    assert dates(schedule(loose, date(2027, 6, 1), today))["discovery"][0] > date(2027, 5, 1)


def test_slack_before_go_live_starts_every_step_now() -> None:
    tpl = with_slack(template(step("a", 2, before="b"), step("b", 3), go_live_step()), GO_LIVE)
    now = dates(schedule(tpl, date(2027, 6, 1), date(2026, 12, 7)))
    assert now["a"] == (date(2026, 12, 7), date(2026, 12, 8))
    assert now["b"] == (date(2026, 12, 9), date(2026, 12, 11))
    assert now["go_live"] == (date(2027, 6, 1), date(2027, 6, 1))


@pytest.mark.parametrize("seed", range(3))
def test_random_templates_move_the_work_before_their_slack_point_as_one_block(seed: int) -> None:
    rng = random.Random(2000 + seed)
    for _ in range(60):
        tpl = random_template(rng)
        anchors = [GO_LIVE] + [s.id for s in tpl.steps if s.milestone is not Milestone.GO_LIVE]
        tpl = with_slack(tpl, rng.choice(anchors))
        days_off = frozenset(tpl.holidays)
        go_live = date(2026, 6, 1) + timedelta(days=rng.randrange(365))
        today = go_live - timedelta(days=rng.randrange(0, 300))
        late = {s.spec.id: s for s in schedule(tpl, go_live, today, ready_now=False).steps}
        now = {s.spec.id: s for s in schedule(tpl, go_live, today).steps}
        moves = {
            key: business_days_between(now[key].start, late[key].start, days_off) for key in now
        }
        moved = [key for key, by in moves.items() if by]
        assert all(by >= 0 for by in moves.values())
        assert len(set(moves[key] for key in moved)) <= 1  # one block, one distance
        first = today if is_business_day(today, days_off) else next_business_day(today, days_off)
        if moved:
            assert min(now[key].start for key in moved) == first
            assert tpl.slack_before not in moved
        for key in now:  # durations kept; nothing moved before the first working day
            span = business_days_between(now[key].start, now[key].due, days_off)
            assert span == business_days_between(late[key].start, late[key].due, days_off)
            if moves[key]:
                assert now[key].start >= first
        for s in now.values():  # every step still ends before its anchor starts
            if s.spec.milestone is Milestone.GO_LIVE:
                continue
            anchor = (
                roll_back(go_live, days_off)
                if s.spec.before == GO_LIVE
                else now[s.spec.before].start
            )
            assert s.due < anchor
