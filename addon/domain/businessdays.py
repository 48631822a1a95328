"""Business-day arithmetic: Monday to Friday, minus a set of holidays.

Every function runs in constant time in the length of the span (weeks are counted arithmetically,
holidays by binary search over a cached sorted tuple), so spans of years cost the same as days.
Holidays that fall on a weekend change nothing: the day is not a business day either way.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import lru_cache

NO_HOLIDAYS: frozenset[date] = frozenset()

_FRIDAY = 4


def is_business_day(d: date, holidays: frozenset[date] = NO_HOLIDAYS) -> bool:
    """True on Monday to Friday unless the day is a holiday."""
    return d.weekday() <= _FRIDAY and d not in holidays


def previous_business_day(d: date, holidays: frozenset[date] = NO_HOLIDAYS) -> date:
    """The last business day strictly before d."""
    return add_business_days(d, -1, holidays)


def next_business_day(d: date, holidays: frozenset[date] = NO_HOLIDAYS) -> date:
    """The first business day strictly after d."""
    return add_business_days(d, 1, holidays)


def roll_back(d: date, holidays: frozenset[date] = NO_HOLIDAYS) -> date:
    """d itself if it is a business day, else the last business day before it."""
    return d if is_business_day(d, holidays) else previous_business_day(d, holidays)


def roll_forward(d: date, holidays: frozenset[date] = NO_HOLIDAYS) -> date:
    """d itself if it is a business day, else the first business day after it."""
    return d if is_business_day(d, holidays) else next_business_day(d, holidays)


def add_business_days(d: date, n: int, holidays: frozenset[date] = NO_HOLIDAYS) -> date:
    """The n-th business day after d (before d when n < 0); n == 0 returns d unchanged.

    For n > 0 the result is the business day e > d with exactly n business days in (d, e];
    for n < 0 it is the business day e < d with exactly -n business days in [e, d).
    """
    if n == 0:
        return d
    days_off = _weekday_holidays(holidays)
    if n > 0:
        result = _add_weekdays(d, n)
        skipped = bisect_right(days_off, result) - bisect_right(days_off, d)
        while skipped:
            previous, result = result, _add_weekdays(result, skipped)
            skipped = bisect_right(days_off, result) - bisect_right(days_off, previous)
        return result
    result = _subtract_weekdays(d, -n)
    skipped = bisect_left(days_off, d) - bisect_left(days_off, result)
    while skipped:
        previous, result = result, _subtract_weekdays(result, skipped)
        skipped = bisect_left(days_off, previous) - bisect_left(days_off, result)
    return result


def business_days_between(start: date, end: date, holidays: frozenset[date] = NO_HOLIDAYS) -> int:
    """Signed count: business days in (start, end] if end >= start, minus those in (end, start]."""
    if end < start:
        return -business_days_between(end, start, holidays)
    days_off = _weekday_holidays(holidays)
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    return weekdays - (bisect_right(days_off, end) - bisect_right(days_off, start))


def _weekdays_through(d: date) -> int:
    """Weekdays from 0001-01-01 (a Monday) through d inclusive."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _add_weekdays(d: date, n: int) -> date:
    """The weekday e > d with exactly n > 0 weekdays in (d, e], holidays ignored."""
    weekday = d.weekday()
    if weekday > _FRIDAY:  # from a weekend, count as from the Friday before it
        d -= timedelta(days=weekday - _FRIDAY)
        weekday = _FRIDAY
    weeks, rest = divmod(n, 5)
    jump = weeks * 7 + rest + (2 if weekday + rest > _FRIDAY else 0)
    return d + timedelta(days=jump)


def _subtract_weekdays(d: date, n: int) -> date:
    """The weekday e < d with exactly n > 0 weekdays in [e, d), holidays ignored."""
    weekday = d.weekday()
    if weekday > _FRIDAY:  # from a weekend, count as from the Monday after it
        d += timedelta(days=7 - weekday)
        weekday = 0
    weeks, rest = divmod(n, 5)
    jump = weeks * 7 + rest + (2 if weekday - rest < 0 else 0)
    return d - timedelta(days=jump)


def _weekday_holidays(holidays: frozenset[date]) -> tuple[date, ...]:
    """The holidays that fall on weekdays, sorted (cached per holiday set)."""
    if not holidays:
        return ()
    if not isinstance(holidays, frozenset):  # tolerate a set or list from a careless caller
        holidays = frozenset(holidays)
    return _sorted_weekday_holidays(holidays)


@lru_cache(maxsize=64)
def _sorted_weekday_holidays(holidays: frozenset[date]) -> tuple[date, ...]:
    """Sort the weekday holidays of one holiday set."""
    return tuple(sorted(day for day in holidays if day.weekday() <= _FRIDAY))
