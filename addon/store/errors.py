"""What the store raises beyond SQLAlchemy's own errors."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of the store's errors."""


class RequestKeyConflict(StoreError):
    """A request key came back with other parameters than the request that first used it."""

    def __init__(self, key: str, deal_id: str) -> None:
        super().__init__(
            f"request key {key!r} was already used for deal {deal_id} with other parameters"
        )
        self.key = key
        self.deal_id = deal_id


class DealNotFound(StoreError, LookupError):
    """No deal has this id."""

    def __init__(self, deal_id: str) -> None:
        super().__init__(f"no deal {deal_id!r}")
        self.deal_id = deal_id


class PersonNotFound(StoreError, LookupError):
    """The deal has no person with this email."""

    def __init__(self, deal_id: str, email: str) -> None:
        super().__init__(f"deal {deal_id!r} has no person {email!r}")
        self.deal_id = deal_id
        self.email = email
