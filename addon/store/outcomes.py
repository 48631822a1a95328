"""Deals the seller marked won, lost or on hold: one row per deal while it is not open."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from addon.store.records import OutcomeRecord
from addon.store.schema import deal_outcomes


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
