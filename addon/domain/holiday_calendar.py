"""Public holidays of a plan's region, from the `holidays` library (pure, no I/O).

A template names its region (`region: US`, or a subdivision such as `DE-BY`); its plans skip that
region's public holidays as well as the dates the template lists. The library computes the
holidays from its rules; we take a fixed window of years around today so that schedules made
now and reviews read later agree on the same days.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

YEARS_BACK = 2
YEARS_AHEAD = 4


class UnknownRegion(ValueError):
    """A region the holidays library does not know."""


def region_holidays(region: str | None, today: date | None = None) -> frozenset[date]:
    """The public holidays of `region` ("US", "GB", "DE-BY") over the years around today."""
    if not region:
        return frozenset()
    year = (today or date.today()).year
    return _holidays(region, year - YEARS_BACK, year + YEARS_AHEAD)


@lru_cache(maxsize=32)
def _holidays(region: str, first: int, last: int) -> frozenset[date]:
    country, _, subdivision = region.partition("-")
    try:
        calendar = holidays.country_holidays(
            country, subdiv=subdivision or None, years=range(first, last + 1)
        )
    except NotImplementedError as error:
        raise UnknownRegion(f"unknown holiday region {region!r}") from error
    return frozenset(calendar.keys())
