"""The tables as the current schema version has them; migrations.py creates and evolves them."""

from __future__ import annotations

import sqlalchemy as sa

from addon.store.columns import JsonDocument, Money, UTCDateTime

# Named constraints, so that later migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _deal_ref() -> sa.ForeignKey:
    return sa.ForeignKey("deals.deal_id", ondelete="CASCADE")


# One row per applied migration; the schema's version is the highest. Never changes shape.
schema_version = sa.Table(
    "schema_version",
    sa.MetaData(naming_convention=NAMING_CONVENTION),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)

deals = sa.Table(
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

deal_people = sa.Table(
    "deal_people",
    metadata,
    sa.Column("deal_id", sa.Text, _deal_ref(), primary_key=True),
    sa.Column("email", sa.Text, primary_key=True),
    sa.Column("side", sa.Text, nullable=False),
    sa.Column("role", sa.Text),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("shared", sa.Boolean, nullable=False),
    sa.Column("permission_id", sa.Text),
)

request_keys = sa.Table(
    "request_keys",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("deal_id", sa.Text, _deal_ref(), nullable=False),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

# The latest snapshot of a deal is a backward scan of the (deal_id, seq) primary key index.
snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("deal_id", sa.Text, _deal_ref(), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("taken_at", UTCDateTime, nullable=False),
    sa.Column("file_version", sa.Text),
    sa.Column("payload", JsonDocument, nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("deal_id", sa.Text, _deal_ref(), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("occurred_at", UTCDateTime, nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.Column("actor_email", sa.Text),
    sa.Column("actor_side", sa.Text, nullable=False),
    sa.Column("subject", sa.Text),
    sa.Column("before", JsonDocument),
    sa.Column("after", JsonDocument),
    sa.Column("payload", JsonDocument, nullable=False),
    sa.Column("shown_at", UTCDateTime),  # migration 2
    sa.Index(None, "deal_id", "occurred_at"),
)

cursors = sa.Table(
    "cursors",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

own_writes = sa.Table(
    "own_writes",
    metadata,
    sa.Column("spreadsheet_id", sa.Text, primary_key=True),
    sa.Column("file_version", sa.Text, primary_key=True),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
)

# A plan the add-on cannot read or write now (migration 3): one row while it lasts.
plan_access = sa.Table(
    "plan_access",
    metadata,
    sa.Column("deal_id", sa.Text, _deal_ref(), primary_key=True),
    sa.Column("lost_since", UTCDateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("checked_at", UTCDateTime, nullable=False),
)

# The deal's outcome as the seller set it (migration 4): one row while the deal is not open.
deal_outcomes = sa.Table(
    "deal_outcomes",
    metadata,
    sa.Column("deal_id", sa.Text, _deal_ref(), primary_key=True),
    sa.Column("outcome", sa.Text, nullable=False),  # domain/outcome.py: won, lost, on_hold
    sa.Column("outcome_on", sa.Date, nullable=False),
    sa.Column("set_by", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("competitor", sa.Text),
    sa.Column("revisit_on", sa.Date),
    sa.Column("success_owner", sa.Text),
    sa.Column("set_at", UTCDateTime, nullable=False),
)

# The close each review projected for each live deal (migration 5): one row per deal and day,
# kept, never recomputed, so forecast accuracy is measured on what was said at the time.
forecast_history = sa.Table(
    "forecast_history",
    metadata,
    sa.Column("deal_id", sa.Text, _deal_ref(), primary_key=True),
    sa.Column("reviewed_on", sa.Date, primary_key=True),
    sa.Column("committed", sa.Date),
    sa.Column("projected", sa.Date),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
)

# Messages the notifier sent or is sending (migration 6): claimed before the send, so a pass
# killed and run again, or two passes at once, send each key once.
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("deal_id", sa.Text, _deal_ref(), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("recipient", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # claimed, sent, drafted
    sa.Column("message_id", sa.Text),
    sa.Column("claimed_at", UTCDateTime, nullable=False),
    sa.Column("done_at", UTCDateTime),
)

# People who asked for no more messages: for one deal, or for every deal (deal_id "").
opt_outs = sa.Table(
    "opt_outs",
    metadata,
    sa.Column("email", sa.Text, primary_key=True),
    sa.Column("deal_id", sa.Text, primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("set_by", sa.Text),  # the seller who turned them off; NULL: the person themselves
)

# A deal's reminder settings as its owner chose them in the sidebar (absent: the defaults).
notify_settings = sa.Table(
    "notify_settings",
    metadata,
    sa.Column("deal_id", sa.Text, _deal_ref(), primary_key=True),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("days_before", sa.Integer, nullable=False),
    sa.Column("digest_weekday", sa.Integer, nullable=False),  # 0 = Monday
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
