"""Messages the notifier claimed, sent or drafted (once per key), and people who opted out."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from addon.store.clock import Clock
from addon.store.dialect import insert_or_replace, insert_unless_present
from addon.store.schema import notifications, notify_settings, opt_outs

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

    def add(self, email: str, deal_id: str = ALL_DEALS, *, set_by: str | None = None) -> None:
        """`set_by`: the seller who turned the person off (None: the person asked)."""
        self._connection.execute(
            insert_unless_present(self._connection, opt_outs).values(
                email=email.lower(),
                deal_id=deal_id,
                created_at=self._clock(),
                set_by=set_by.lower() if set_by else None,
            )
        )

    def turned_off(self, deal_id: str) -> dict[str, str | None]:
        """Who gets nothing about this deal -> who turned them off (None: they asked, for this
        deal or for every deal)."""
        rows = self._connection.execute(
            sa.select(opt_outs.c.email, opt_outs.c.set_by).where(
                opt_outs.c.deal_id.in_([deal_id, ALL_DEALS])
            )
        )
        found: dict[str, str | None] = {}
        for row in rows:
            if row.email not in found or row.set_by is None:  # their own word wins
                found[row.email] = row.set_by
        return found

    def turn_back_on(self, email: str, deal_id: str) -> bool:
        """Undo a seller's turning-off for this deal; a person's own stop stays (False)."""
        done = self._connection.execute(
            sa.delete(opt_outs).where(
                opt_outs.c.email == email.lower(),
                opt_outs.c.deal_id == deal_id,
                opt_outs.c.set_by.is_not(None),
            )
        )
        return bool(done.rowcount)

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


class NotifySettings:
    """Each deal's reminder settings as its owner set them (absent: the defaults)."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def get(self, deal_id: str) -> tuple[bool, int, int] | None:
        """(enabled, days_before, digest_weekday), or None when never set."""
        row = self._connection.execute(
            sa.select(
                notify_settings.c.enabled,
                notify_settings.c.days_before,
                notify_settings.c.digest_weekday,
            ).where(notify_settings.c.deal_id == deal_id)
        ).first()
        return None if row is None else (bool(row[0]), int(row[1]), int(row[2]))

    def all(self) -> dict[str, tuple[bool, int, int]]:
        rows = self._connection.execute(sa.select(notify_settings))
        return {
            r.deal_id: (bool(r.enabled), int(r.days_before), int(r.digest_weekday)) for r in rows
        }

    def set(
        self, deal_id: str, *, enabled: bool, days_before: int, digest_weekday: int, by: str
    ) -> None:
        values = {
            "enabled": enabled,
            "days_before": days_before,
            "digest_weekday": digest_weekday,
            "updated_by": by.lower(),
            "updated_at": self._clock(),
        }
        statement = insert_or_replace(self._connection, notify_settings, list(values))
        self._connection.execute(statement.values(deal_id=deal_id, **values))
