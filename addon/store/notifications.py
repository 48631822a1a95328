"""Messages the notifier claimed, sent or drafted (once per key), and people who opted out."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from addon.store.clock import Clock
from addon.store.dialect import insert_unless_present
from addon.store.schema import notifications, opt_outs

ALL_DEALS = ""  # an opt-out from every deal's messages


class Notifications:
    """Claim a message before sending it: only the first claim of a key wins."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def claim(self, key: str, *, deal_id: str, kind: str, recipient: str) -> bool:
        """Whether this caller may send the message (False: claimed before, by anyone)."""
        inserted = self._connection.execute(
            insert_unless_present(self._connection, notifications)
            .values(
                key=key,
                deal_id=deal_id,
                kind=kind,
                recipient=recipient.lower(),
                status="claimed",
                claimed_at=self._clock(),
            )
            .returning(notifications.c.key)
        ).first()
        return inserted is not None

    def done(self, key: str, *, status: str, message_id: str | None) -> None:
        """The message went out ("sent") or waits in the sender's drafts ("drafted")."""
        self._connection.execute(
            sa.update(notifications)
            .where(notifications.c.key == key)
            .values(status=status, message_id=message_id, done_at=self._clock())
        )

    def release(self, key: str) -> None:
        """Forget a claim whose send certainly failed, so a later pass tries again."""
        self._connection.execute(sa.delete(notifications).where(notifications.c.key == key))

    def status(self, key: str) -> str | None:
        return self._connection.scalar(
            sa.select(notifications.c.status).where(notifications.c.key == key)
        )


class OptOuts:
    """Who asked for no more messages, for one deal or for all."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def add(self, email: str, deal_id: str = ALL_DEALS) -> None:
        self._connection.execute(
            insert_unless_present(self._connection, opt_outs).values(
                email=email.lower(), deal_id=deal_id, created_at=self._clock()
            )
        )

    def remove(self, email: str, deal_id: str = ALL_DEALS) -> None:
        self._connection.execute(
            sa.delete(opt_outs).where(
                opt_outs.c.email == email.lower(), opt_outs.c.deal_id == deal_id
            )
        )

    def for_deal(self, deal_id: str) -> set[str]:
        """The emails that get no message about this deal."""
        rows = self._connection.execute(
            sa.select(opt_outs.c.email).where(opt_outs.c.deal_id.in_([deal_id, ALL_DEALS]))
        )
        return {row.email for row in rows}

    def of(self, emails: Iterable[str]) -> set[str]:
        wanted = [e.lower() for e in emails]
        rows = self._connection.execute(
            sa.select(opt_outs.c.email).where(
                opt_outs.c.email.in_(wanted), opt_outs.c.deal_id == ALL_DEALS
            )
        )
        return {row.email for row in rows}
