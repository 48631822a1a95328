"""Plans the add-on has lost access to: one row per plan while the loss lasts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from addon.store.dialect import insert_unless_present
from addon.store.records import AccessRecord
from addon.store.schema import plan_access


class PlanAccess:
    """Which plans cannot be read or written now, since when and why."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def lose(self, deal_id: str, *, since: datetime, reason: str, detail: str) -> bool:
        """Record that the plan cannot be read (or written); whether this loss is new.

        A loss already recorded keeps its start; its reason and detail become the latest seen.
        """
        inserted = self._connection.execute(
            insert_unless_present(self._connection, plan_access)
            .values(
                deal_id=deal_id, lost_since=since, reason=reason, detail=detail, checked_at=since
            )
            .returning(plan_access.c.deal_id)
        ).first()
        if inserted is None:
            self._connection.execute(
                sa.update(plan_access)
                .where(plan_access.c.deal_id == deal_id)
                .values(reason=reason, detail=detail, checked_at=since)
            )
        return inserted is not None

    def regain(self, deal_id: str) -> AccessRecord | None:
        """Forget the plan's loss of access; the loss it had, if any."""
        found = self.get(deal_id)
        if found is not None:
            self._connection.execute(sa.delete(plan_access).where(plan_access.c.deal_id == deal_id))
        return found

    def get(self, deal_id: str) -> AccessRecord | None:
        """The plan's current loss of access, if it has one."""
        row = (
            self._connection.execute(sa.select(plan_access).where(plan_access.c.deal_id == deal_id))
            .mappings()
            .first()
        )
        return None if row is None else _record(row)

    def all_lost(self) -> dict[str, AccessRecord]:
        """Every plan's current loss of access, by deal id."""
        rows = self._connection.execute(sa.select(plan_access)).mappings()
        return {row["deal_id"]: _record(row) for row in rows}


def _record(row: RowMapping) -> AccessRecord:
    return AccessRecord(
        deal_id=row["deal_id"],
        lost_since=row["lost_since"],
        reason=row["reason"],
        detail=row["detail"],
        checked_at=row["checked_at"],
    )
