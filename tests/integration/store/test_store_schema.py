"""The schema is created and migrated on open, once, however many processes start together."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_helpers import a_buyer, a_deal, run_together

from addon.domain.model import Side
from addon.store import MIGRATIONS, Store, migrate
from addon.store.schema import deal_people, metadata, schema_version

TABLES = {
    *("deals", "deal_people", "request_keys", "snapshots", "events", "cursors", "own_writes"),
    "plan_access",
    "deal_outcomes",
    "forecast_history",
    "notifications",
    "opt_outs",
    "notify_settings",
}


ALL_VERSIONS = [m.version for m in MIGRATIONS]  # each applied exactly once


def _applied_versions(store: Store) -> list[int]:
    with store.engine.connect() as connection:
        return list(connection.scalars(sa.select(schema_version.c.version)))


def test_schema_is_created_and_migrating_again_is_a_no_op(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        assert TABLES | {"schema_version"} <= set(sa.inspect(store.engine).get_table_names())
        assert store.schema_version() == len(MIGRATIONS) == 8
        with store.transaction() as tx:
            tx.deals.insert(a_deal())

        assert migrate(store.engine) == []
        with Store.open(database_url) as reopened:
            assert reopened.schema_version() == len(MIGRATIONS)
            with reopened.transaction() as tx:
                assert tx.deals.get("d_acme0000001") is not None
        assert _applied_versions(store) == ALL_VERSIONS
    finally:
        store.close()


def test_migrated_schema_matches_the_tables_the_store_queries(store: Store) -> None:
    inspector = sa.inspect(store.engine)
    for table in metadata.sorted_tables:
        columns = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name: c.nullable for c in table.columns}, table.name
        primary_key = inspector.get_pk_constraint(table.name)["constrained_columns"]
        assert primary_key == [c.name for c in table.primary_key.columns], table.name
        indexes = {tuple(i["column_names"]) for i in inspector.get_indexes(table.name)}
        indexes |= {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table.name)}
        assert {tuple(c.name for c in i.columns) for i in table.indexes} <= indexes, table.name
        assert {(c.name,) for c in table.columns if c.unique} <= indexes, table.name
        foreign_keys = inspector.get_foreign_keys(table.name)
        assert {(tuple(f["constrained_columns"]), f["referred_table"]) for f in foreign_keys} == {
            ((f.parent.name,), f.column.table.name) for f in table.foreign_keys
        }, table.name


def test_two_stores_migrating_the_same_database_at_once_both_succeed(database_url: str) -> None:
    stores = run_together(4, lambda _: Store.open(database_url))
    try:
        assert [s.schema_version() for s in stores] == [len(MIGRATIONS)] * 4
        assert _applied_versions(stores[0]) == ALL_VERSIONS
        with stores[1].transaction() as tx:
            tx.deals.insert(a_deal())
        with stores[2].transaction() as tx:
            assert tx.deals.get("d_acme0000001") is not None
    finally:
        for opened in stores:
            opened.close()


def test_a_sqlite_store_creates_its_directory_and_keeps_a_wal_with_foreign_keys(
    tmp_path: Path,
) -> None:
    path = tmp_path / "not" / "yet" / "map.sqlite3"
    with Store.open(f"sqlite:///{path}") as store:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://root@localhost/map"])
def test_urls_the_store_cannot_use_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        Store.open(url)


def _sides(store: Store) -> list[Side]:
    with store.transaction() as tx:
        deal = tx.deals.get("d_acme0000001")
    assert deal is not None
    return [person.side for person in deal.people]


def test_people_stored_before_version_8_read_back_on_their_side_and_are_lower_cased(
    database_url: str,
) -> None:
    """Until version 8 a person's side was stored as the sheet shows it ("Buyer")."""
    with Store.open(database_url) as store:
        with store.transaction() as tx:
            tx.deals.insert(a_deal(people=(a_buyer(),)))
        with store.engine.begin() as connection:
            connection.execute(sa.update(deal_people).values(side="Buyer"))
        assert _sides(store) == [Side.BUYER]

        with store.engine.begin() as connection:
            MIGRATIONS[7].apply(connection)
            assert list(connection.scalars(sa.select(deal_people.c.side))) == ["buyer"]
        assert _sides(store) == [Side.BUYER]
