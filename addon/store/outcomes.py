"""Deals the seller marked won, lost or on hold (one row per deal while it is not open), and the
closes the reviews projected for them (kept, to measure forecast accuracy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from addon.store.clock import Clock
from addon.store.records import ForecastRecord, OutcomeRecord
from addon.store.schema import deal_outcomes, forecast_history


class DealOutcomes:
    """The current outcome of each deal that has one (history is in the events)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def record(self, record: OutcomeRecord) -> None:
        """Record the deal's outcome, replacing the one it had."""
        self.clear(record.deal_id)
        self._connection.execute(sa.insert(deal_outcomes).values(**asdict(record)))

    def clear(self, deal_id: str) -> OutcomeRecord | None:
        """The deal is open again; the outcome it had, if any."""
        found = self.get(deal_id)
        if found is not None:
            self._connection.execute(
                sa.delete(deal_outcomes).where(deal_outcomes.c.deal_id == deal_id)
            )
        return found

    def get(self, deal_id: str) -> OutcomeRecord | None:
        row = (
            self._connection.execute(
                sa.select(deal_outcomes).where(deal_outcomes.c.deal_id == deal_id)
            )
            .mappings()
            .first()
        )
        return None if row is None else _record(row)

    def all(self) -> dict[str, OutcomeRecord]:
        """Every deal's outcome, by deal id (open deals have none)."""
        rows = self._connection.execute(sa.select(deal_outcomes)).mappings()
        return {row["deal_id"]: _record(row) for row in rows}

    def archived(self) -> set[str]:
        """The deals whose plans the watch leaves alone (lost)."""
        query = sa.select(deal_outcomes.c.deal_id).where(deal_outcomes.c.outcome == "lost")
        return set(self._connection.scalars(query))


def _record(row: RowMapping) -> OutcomeRecord:
    return OutcomeRecord(**{key: row[key] for key in OutcomeRecord.__dataclass_fields__})


class ForecastHistory:
    """The projections reviews made, per deal and day (the latest of a day replaces earlier)."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def record(self, records: Iterable[ForecastRecord]) -> int:
        """Keep these projections; how many were written."""
        rows = [
            {**asdict(record), "recorded_at": self._clock()}
            for record in {(r.deal_id, r.reviewed_on): r for r in records}.values()
        ]
        for row in rows:
            self._connection.execute(
                sa.delete(forecast_history).where(
                    forecast_history.c.deal_id == row["deal_id"],
                    forecast_history.c.reviewed_on == row["reviewed_on"],
                )
            )
        if rows:
            self._connection.execute(sa.insert(forecast_history), rows)
        return len(rows)

    def for_deals(self, deal_ids: Iterable[str]) -> dict[str, list[ForecastRecord]]:
        """Each deal's projections, oldest review first."""
        wanted = list(deal_ids)
        if not wanted:
            return {}
        query = (
            sa.select(forecast_history)
            .where(forecast_history.c.deal_id.in_(wanted))
            .order_by(forecast_history.c.deal_id, forecast_history.c.reviewed_on)
        )
        found: dict[str, list[ForecastRecord]] = {}
        for row in self._connection.execute(query).mappings():
            found.setdefault(row["deal_id"], []).append(
                ForecastRecord(
                    row["deal_id"], row["reviewed_on"], row["committed"], row["projected"]
                )
            )
        return found
