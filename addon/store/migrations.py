"""Schema migrations: an ordered list, applied on start, one transaction each.

A released migration never changes. Version 1 therefore spells out its tables itself instead of
using schema.py, which always describes the newest version; a test checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from addon.store.clock import utc_now
from addon.store.columns import JsonDocument, Money, UTCDateTime
from addon.store.dialect import lock_for_migration
from addon.store.schema import NAMING_CONVENTION, schema_version


@dataclass(frozen=True)
class Migration:
    """One step of the schema's history."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _create_version_1(connection: Connection) -> None:
    """Deals and their people, request keys, snapshots, events, cursors, own writes."""
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    _deal_tables(metadata)
    _watch_tables(metadata)
    metadata.create_all(connection)


def _deal_id(*, primary_key: bool = False) -> sa.Column[str]:
    """A row's deal: deleted with it."""
    deal_ref = sa.ForeignKey("deals.deal_id", ondelete="CASCADE")
    return sa.Column("deal_id", sa.Text, deal_ref, primary_key=primary_key, nullable=False)


def _deal_tables(metadata: sa.MetaData) -> None:
    """Version 1's deals, their people and the create requests' keys."""
    sa.Table(
        "deals",
        metadata,
        sa.Column("deal_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("buyer_company", sa.Text, nullable=False),
        sa.Column("owner_email", sa.Text, nullable=False),
        sa.Column("amount", Money),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("template_version", sa.Integer, nullable=False),
        sa.Column("go_live", sa.Date, nullable=False),
        sa.Column("signature_target", sa.Date),
        sa.Column("spreadsheet_id", sa.Text, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("missing", JsonDocument, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("team", sa.Text),
        sa.Index(None, "owner_email", "created_at"),
    )
    sa.Table(
        "deal_people",
        metadata,
        _deal_id(primary_key=True),
        sa.Column("email", sa.Text, primary_key=True),
        sa.Column("side", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("shared", sa.Boolean, nullable=False),
        sa.Column("permission_id", sa.Text),
    )
    sa.Table(
        "request_keys",
        metadata,
        sa.Column("key", sa.Text, primary_key=True),
        _deal_id(),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )


def _watch_tables(metadata: sa.MetaData) -> None:
    """Version 1's snapshots, events, cursors and the product's own writes."""
    sa.Table(
        "snapshots",
        metadata,
        _deal_id(primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("taken_at", UTCDateTime, nullable=False),
        sa.Column("file_version", sa.Text),
        sa.Column("payload", JsonDocument, nullable=False),
    )
    sa.Table(
        "events",
        metadata,
        sa.Column("event_id", sa.Text, primary_key=True),
        _deal_id(),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("actor_email", sa.Text),
        sa.Column("actor_side", sa.Text, nullable=False),
        sa.Column("subject", sa.Text),
        sa.Column("before", JsonDocument),
        sa.Column("after", JsonDocument),
        sa.Column("payload", JsonDocument, nullable=False),
        sa.Index(None, "deal_id", "occurred_at"),
    )
    sa.Table(
        "cursors",
        metadata,
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    sa.Table(
        "own_writes",
        metadata,
        sa.Column("spreadsheet_id", sa.Text, primary_key=True),
        sa.Column("file_version", sa.Text, primary_key=True),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
    )


def _add_event_shown_at(connection: Connection) -> None:
    """Events remember when the plan's Activity tab showed them (NULL: not yet)."""
    connection.execute(sa.text("ALTER TABLE events ADD COLUMN shown_at TIMESTAMP"))
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text("ALTER TABLE events ALTER COLUMN shown_at TYPE TIMESTAMP WITH TIME ZONE")
        )


def _add_plan_access(connection: Connection) -> None:
    """Plans the add-on lost access to: since when, why, and when that was last seen."""
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("deals", metadata, sa.Column("deal_id", sa.Text, primary_key=True))
    sa.Table(
        "plan_access",
        metadata,
        sa.Column(
            "deal_id",
            sa.Text,
            sa.ForeignKey("deals.deal_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("lost_since", UTCDateTime, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("checked_at", UTCDateTime, nullable=False),
    )
    metadata.tables["plan_access"].create(connection)


def _add_deal_outcomes(connection: Connection) -> None:
    """Deals the seller marked won, lost or on hold: one row while the deal is not open."""
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("deals", metadata, sa.Column("deal_id", sa.Text, primary_key=True))
    sa.Table(
        "deal_outcomes",
        metadata,
        sa.Column(
            "deal_id",
            sa.Text,
            sa.ForeignKey("deals.deal_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("outcome_on", sa.Date, nullable=False),
        sa.Column("set_by", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("competitor", sa.Text),
        sa.Column("revisit_on", sa.Date),
        sa.Column("success_owner", sa.Text),
        sa.Column("set_at", UTCDateTime, nullable=False),
    )
    metadata.tables["deal_outcomes"].create(connection)


def _add_forecast_history(connection: Connection) -> None:
    """The close each review projected for each live deal, one row per deal and day."""
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("deals", metadata, sa.Column("deal_id", sa.Text, primary_key=True))
    sa.Table(
        "forecast_history",
        metadata,
        sa.Column(
            "deal_id",
            sa.Text,
            sa.ForeignKey("deals.deal_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("reviewed_on", sa.Date, primary_key=True),
        sa.Column("committed", sa.Date),
        sa.Column("projected", sa.Date),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
    )
    metadata.tables["forecast_history"].create(connection)


def _add_notifications(connection: Connection) -> None:
    """Messages claimed and sent by the notifier, and people who opted out."""
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("deals", metadata, sa.Column("deal_id", sa.Text, primary_key=True))
    sa.Table(
        "notifications",
        metadata,
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column(
            "deal_id", sa.Text, sa.ForeignKey("deals.deal_id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("message_id", sa.Text),
        sa.Column("claimed_at", UTCDateTime, nullable=False),
        sa.Column("done_at", UTCDateTime),
    )
    sa.Table(
        "opt_outs",
        metadata,
        sa.Column("email", sa.Text, primary_key=True),
        sa.Column("deal_id", sa.Text, primary_key=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    metadata.tables["notifications"].create(connection)
    metadata.tables["opt_outs"].create(connection)


def _add_notify_settings(connection: Connection) -> None:
    """Per-deal reminder settings, and who turned a person's messages off (NULL: themselves)."""
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("deals", metadata, sa.Column("deal_id", sa.Text, primary_key=True))
    sa.Table(
        "notify_settings",
        metadata,
        sa.Column(
            "deal_id", sa.Text, sa.ForeignKey("deals.deal_id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("days_before", sa.Integer, nullable=False),
        sa.Column("digest_weekday", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    metadata.tables["notify_settings"].create(connection)
    connection.execute(sa.text("ALTER TABLE opt_outs ADD COLUMN set_by TEXT"))


def _lower_case_person_sides(connection: Connection) -> None:
    """A person's side kept in the words events use ("buyer", not "Buyer"): one spelling."""
    connection.execute(sa.text("UPDATE deal_people SET side = lower(side)"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        description="deals, people, request keys, snapshots, events, cursors, own writes",
        apply=_create_version_1,
    ),
    Migration(
        version=2,
        description="events.shown_at: when the Activity tab showed the event",
        apply=_add_event_shown_at,
    ),
    Migration(
        version=3,
        description="plan_access: plans the add-on cannot read or write, since when and why",
        apply=_add_plan_access,
    ),
    Migration(
        version=4,
        description="deal_outcomes: deals marked won, lost or on hold, by whom and why",
        apply=_add_deal_outcomes,
    ),
    Migration(
        version=5,
        description="forecast_history: the close each review projected, per deal and day",
        apply=_add_forecast_history,
    ),
    Migration(
        version=6,
        description="notifications and opt_outs: messages sent once, people who said stop",
        apply=_add_notifications,
    ),
    Migration(
        version=7,
        description="notify_settings per deal, and opt_outs.set_by: who turned a person off",
        apply=_add_notify_settings,
    ),
    Migration(
        version=8,
        description="deal_people.side in lower case, as events.actor_side is",
        apply=_lower_case_person_sides,
    ),
)


def current_version(connection: Connection) -> int:
    """The highest migration applied to this database; 0 for an empty one."""
    if not sa.inspect(connection).has_table(schema_version.name):
        return 0
    return int(connection.scalar(sa.select(sa.func.max(schema_version.c.version))) or 0)


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the migrations this database lacks, in order; the versions applied now.

    Each migration runs in its own transaction under the schema lock, and re-reads the version
    once it holds the lock: processes starting together apply each migration exactly once, and an
    up-to-date database costs one short transaction. A database newer than this code (another
    instance already deployed a later version) is left as it is.
    """
    if [m.version for m in migrations] != list(range(1, len(migrations) + 1)):
        raise ValueError("migrations must be numbered 1, 2, 3, ... in order")
    applied: list[int] = []
    while True:
        with engine.begin() as connection:
            lock_for_migration(connection)
            schema_version.create(connection, checkfirst=True)
            version = current_version(connection)
            if version >= len(migrations):
                return applied
            migration = migrations[version]
            migration.apply(connection)
            connection.execute(
                sa.insert(schema_version).values(
                    version=migration.version,
                    description=migration.description,
                    applied_at=utc_now(),
                )
            )
        applied.append(migration.version)
