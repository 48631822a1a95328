"""The backend's state, on SQLite or PostgreSQL through SQLAlchemy Core.

store = Store.open(config.database_url)
with store.transaction() as tx:
    tx.deals.insert(deal)
    tx.request_keys.claim(key, deal_id=deal.deal_id, fingerprint=fingerprint)
"""

from addon.store.clock import Clock, utc_now
from addon.store.deals import new_deal_id, request_fingerprint
from addon.store.engine import Store, Transaction, create_store_engine
from addon.store.errors import DealNotFound, PersonNotFound, RequestKeyConflict, StoreError
from addon.store.locks import PlanLocks
from addon.store.migrations import MIGRATIONS, Migration, migrate
from addon.store.records import (
    AccessRecord,
    DealRecord,
    DealStatus,
    EventRecord,
    ForecastRecord,
    JsonObject,
    OutcomeRecord,
    PersonRecord,
    SnapshotRecord,
)

__all__ = [
    "MIGRATIONS",
    "AccessRecord",
    "Clock",
    "DealNotFound",
    "DealRecord",
    "DealStatus",
    "EventRecord",
    "ForecastRecord",
    "JsonObject",
    "Migration",
    "OutcomeRecord",
    "PersonNotFound",
    "PersonRecord",
    "PlanLocks",
    "RequestKeyConflict",
    "SnapshotRecord",
    "Store",
    "StoreError",
    "Transaction",
    "create_store_engine",
    "migrate",
    "new_deal_id",
    "request_fingerprint",
    "utc_now",
]
