"""Business-day arithmetic: weekends and holidays skipped, signed counts, long spans."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from addon.domain.businessdays import (
    add_business_days,
    business_days_between,
    is_business_day,
    next_business_day,
    previous_business_day,
    roll_back,
    roll_forward,
)

# 2026-12-25 and 2027-01-01 are Fridays; 2026-11-26 is a Thursday (Thanksgiving).
CHRISTMAS = date(2026, 12, 25)
NEW_YEAR = date(2027, 1, 1)
THANKSGIVING = date(2026, 11, 26)
HOLIDAYS = frozenset({CHRISTMAS, NEW_YEAR, THANKSGIVING})


def _brute_is_business_day(d: date, holidays: frozenset[date]) -> bool:
    return d.weekday() < 5 and d not in holidays


def _brute_add(d: date, n: int, holidays: frozenset[date]) -> date:
    step = 1 if n > 0 else -1
    remaining = abs(n)
    while remaining:
        d += timedelta(days=step)
        if _brute_is_business_day(d, holidays):
            remaining -= 1
    return d


def _brute_between(start: date, end: date, holidays: frozenset[date]) -> int:
    sign = 1 if end >= start else -1
    low, high = min(start, end), max(start, end)
    days = (high - low).days
    count = sum(
        _brute_is_business_day(low + timedelta(days=i), holidays) for i in range(1, days + 1)
    )
    return sign * count


def test_weekdays_are_business_days_and_weekends_are_not() -> None:
    assert is_business_day(date(2026, 12, 14))  # Monday
    assert is_business_day(date(2026, 12, 18))  # Friday
    assert not is_business_day(date(2026, 12, 19))  # Saturday
    assert not is_business_day(date(2026, 12, 20))  # Sunday


def test_holidays_are_not_business_days() -> None:
    assert is_business_day(CHRISTMAS)
    assert not is_business_day(CHRISTMAS, HOLIDAYS)


def test_previous_business_day_is_strictly_before_and_skips_the_weekend() -> None:
    assert previous_business_day(date(2026, 12, 15)) == date(2026, 12, 14)  # Tue -> Mon
    assert previous_business_day(date(2026, 12, 14)) == date(2026, 12, 11)  # Mon -> Fri
    assert previous_business_day(date(2026, 12, 20)) == date(2026, 12, 18)  # Sun -> Fri
    assert previous_business_day(date(2026, 12, 19)) == date(2026, 12, 18)  # Sat -> Fri


def test_previous_business_day_skips_holidays() -> None:
    assert previous_business_day(date(2026, 12, 28), HOLIDAYS) == date(2026, 12, 24)
    assert previous_business_day(date(2027, 1, 4), HOLIDAYS) == date(2026, 12, 31)


def test_next_business_day_is_strictly_after_and_skips_weekends_and_holidays() -> None:
    assert next_business_day(date(2026, 12, 14)) == date(2026, 12, 15)
    assert next_business_day(date(2026, 12, 18)) == date(2026, 12, 21)  # Fri -> Mon
    assert next_business_day(date(2026, 12, 19)) == date(2026, 12, 21)  # Sat -> Mon
    assert next_business_day(date(2026, 12, 24), HOLIDAYS) == date(2026, 12, 28)
    assert next_business_day(date(2026, 11, 25), HOLIDAYS) == date(2026, 11, 27)


def test_roll_back_keeps_a_business_day_and_moves_others_to_the_one_before() -> None:
    assert roll_back(date(2026, 12, 16)) == date(2026, 12, 16)
    assert roll_back(date(2026, 12, 19)) == date(2026, 12, 18)  # Saturday -> Friday
    assert roll_back(date(2026, 12, 20)) == date(2026, 12, 18)  # Sunday -> Friday
    assert roll_back(CHRISTMAS, HOLIDAYS) == date(2026, 12, 24)
    assert roll_back(date(2026, 12, 27), HOLIDAYS) == date(2026, 12, 24)  # Sun after Christmas


def test_roll_forward_keeps_a_business_day_and_moves_others_to_the_one_after() -> None:
    assert roll_forward(date(2026, 12, 16)) == date(2026, 12, 16)
    assert roll_forward(date(2026, 12, 19)) == date(2026, 12, 21)  # Saturday -> Monday
    assert roll_forward(CHRISTMAS, HOLIDAYS) == date(2026, 12, 28)  # Friday holiday -> Monday


def test_add_zero_business_days_returns_the_day_unchanged() -> None:
    assert add_business_days(date(2026, 12, 19), 0) == date(2026, 12, 19)  # even a Saturday
    assert add_business_days(CHRISTMAS, 0, HOLIDAYS) == CHRISTMAS


def test_add_business_days_forward_and_back_across_weekends() -> None:
    assert add_business_days(date(2026, 12, 14), 4) == date(2026, 12, 18)
    assert add_business_days(date(2026, 12, 14), 5) == date(2026, 12, 21)
    assert add_business_days(date(2026, 12, 18), 1) == date(2026, 12, 21)
    assert add_business_days(date(2026, 12, 14), -1) == date(2026, 12, 11)
    assert add_business_days(date(2026, 12, 18), -10) == date(2026, 12, 4)
    assert add_business_days(date(2026, 12, 19), 1) == date(2026, 12, 21)  # from a Saturday
    assert add_business_days(date(2026, 12, 20), -1) == date(2026, 12, 18)  # from a Sunday


def test_weekends_and_holidays_are_skipped() -> None:
    # Thu 2026-12-24 + 1 -> Mon 12-28 (Christmas Friday and the weekend skipped);
    # Mon 2027-01-04 - 5 -> Thu 12-24 (New Year's Day and Christmas are not counted).
    assert add_business_days(date(2026, 12, 24), 1, HOLIDAYS) == date(2026, 12, 28)
    assert add_business_days(date(2027, 1, 4), -5, HOLIDAYS) == date(2026, 12, 24)
    assert add_business_days(date(2026, 12, 21), 9, HOLIDAYS) == date(2027, 1, 5)


def test_holidays_on_a_weekend_change_nothing() -> None:
    saturday_holiday = frozenset({date(2026, 7, 4)})
    assert add_business_days(date(2026, 7, 3), 1, saturday_holiday) == date(2026, 7, 6)
    assert business_days_between(date(2026, 7, 1), date(2026, 7, 10), saturday_holiday) == 7


def test_business_days_between_is_signed() -> None:
    monday, next_monday = date(2026, 11, 2), date(2026, 11, 9)
    assert business_days_between(monday, next_monday) == 5
    assert business_days_between(next_monday, monday) == -5
    assert business_days_between(monday, monday) == 0


def test_business_days_between_counts_the_end_but_not_the_start() -> None:
    friday = date(2026, 12, 18)
    assert business_days_between(friday, date(2026, 12, 19)) == 0  # Fri -> Sat
    assert business_days_between(friday, date(2026, 12, 21)) == 1  # Fri -> Mon
    assert business_days_between(date(2026, 12, 19), date(2026, 12, 21)) == 1  # Sat -> Mon


def test_business_days_between_skips_holidays() -> None:
    assert business_days_between(date(2026, 12, 24), date(2027, 1, 4), HOLIDAYS) == 5
    assert business_days_between(date(2027, 1, 4), date(2026, 12, 24), HOLIDAYS) == -5
    assert business_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 7


def test_a_plain_set_of_holidays_is_tolerated() -> None:
    holidays = {CHRISTMAS}
    assert add_business_days(date(2026, 12, 24), 1, holidays) == date(2026, 12, 28)  # type: ignore[arg-type]


def test_spans_of_ten_years_match_a_day_by_day_count() -> None:
    start = date(2025, 3, 5)
    holidays = frozenset(date(year, 12, 25) for year in range(2025, 2037)) | frozenset(
        date(year, 1, 1) for year in range(2025, 2037)
    )
    end = _brute_add(start, 2600, holidays)
    assert add_business_days(start, 2600, holidays) == end
    assert add_business_days(end, -2600, holidays) == start
    assert business_days_between(start, end, holidays) == 2600


@pytest.mark.parametrize("seed", range(4))
def test_fast_arithmetic_agrees_with_a_day_by_day_reference(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        origin = date(2024, 1, 1) + timedelta(days=rng.randrange(4 * 365))
        holidays = frozenset(
            origin + timedelta(days=rng.randrange(-400, 400)) for _ in range(rng.randrange(40))
        )
        n = rng.randrange(-300, 301)
        assert add_business_days(origin, n, holidays) == _brute_add(origin, n, holidays)
        other = origin + timedelta(days=rng.randrange(-500, 500))
        expected = _brute_between(origin, other, holidays)
        assert business_days_between(origin, other, holidays) == expected
        assert is_business_day(origin, holidays) == _brute_is_business_day(origin, holidays)


@pytest.mark.parametrize("seed", range(3))
def test_adding_then_counting_gives_back_the_same_number(seed: int) -> None:
    rng = random.Random(100 + seed)
    holidays = frozenset(date(2026, 1, 1) + timedelta(days=rng.randrange(730)) for _ in range(30))
    for _ in range(100):
        origin = roll_back(date(2026, 1, 1) + timedelta(days=rng.randrange(730)), holidays)
        n = rng.randrange(-200, 201)
        moved = add_business_days(origin, n, holidays)
        assert is_business_day(moved, holidays)
        assert business_days_between(origin, moved, holidays) == n
