"""Deals with their people, and the request keys that make plan creation idempotent."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from addon.domain.model import Side
from addon.store.clock import Clock
from addon.store.dialect import insert_unless_present
from addon.store.errors import DealNotFound, PersonNotFound, RequestKeyConflict, StoreError
from addon.store.records import DealRecord, DealStatus, PersonRecord
from addon.store.schema import deal_people, deals, request_keys


def new_deal_id() -> str:
    """A fresh deal id: "d_" and 12 URL-safe random characters."""
    return "d_" + secrets.token_urlsafe(9)


def request_fingerprint(parameters: Mapping[str, Any]) -> str:
    """A stable hash of a request's parameters (key order does not matter; dates as ISO text)."""
    canonical = json.dumps(parameters, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Deals:
    """The deals table and each deal's people."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def insert(self, deal: DealRecord) -> None:
        """Register a deal together with its people."""
        self._connection.execute(sa.insert(deals).values(**_deal_row(deal)))
        if deal.people:
            rows = [_person_row(deal.deal_id, person) for person in deal.people]
            self._connection.execute(sa.insert(deal_people), rows)

    def get(self, deal_id: str, *, for_update: bool = False) -> DealRecord | None:
        """The deal with this id; `for_update` locks its row until the transaction ends."""
        found = self._select(deals.c.deal_id == deal_id, for_update=for_update)
        return found[0] if found else None

    def get_by_spreadsheet_id(self, spreadsheet_id: str) -> DealRecord | None:
        """The deal whose plan is this spreadsheet."""
        found = self._select(deals.c.spreadsheet_id == spreadsheet_id)
        return found[0] if found else None

    def get_by_request_key(self, key: str) -> DealRecord | None:
        """The deal that the request carrying this key created."""
        owner = sa.select(request_keys.c.deal_id).where(request_keys.c.key == key)
        found = self._select(deals.c.deal_id == owner.scalar_subquery())
        return found[0] if found else None

    def newest_first(
        self, *, owner_email: str | None = None, team: str | None = None
    ) -> list[DealRecord]:
        """Deals, most recently created first, optionally only one owner's or one team's."""
        conditions: list[sa.ColumnElement[bool]] = []
        if owner_email is not None:
            conditions.append(deals.c.owner_email == owner_email.lower())
        if team is not None:
            conditions.append(deals.c.team == team)
        return self._select(sa.and_(sa.true(), *conditions))

    def set_spreadsheet(self, deal_id: str, *, spreadsheet_id: str, url: str) -> None:
        """Record the plan spreadsheet created for the deal."""
        self._update(deal_id, spreadsheet_id=spreadsheet_id, url=url)

    def set_status(self, deal_id: str, status: DealStatus, *, missing: Sequence[str] = ()) -> None:
        """Record how far creation got and what is still to do."""
        self._update(deal_id, status=DealStatus(status).value, missing=list(missing))

    def add_person(self, deal_id: str, person: PersonRecord) -> None:
        """Put a person on the deal (again is harmless: the existing entry stays)."""
        if self.get(deal_id) is None:
            raise DealNotFound(deal_id)
        self._connection.execute(
            insert_unless_present(self._connection, deal_people).values(
                **_person_row(deal_id, person)
            )
        )
        self._update(deal_id)

    def mark_unshared(self, deal_id: str, email: str) -> None:
        """Record that the plan is no longer shared with this person (the seller ended it)."""
        person = deal_people.c
        self._connection.execute(
            sa.update(deal_people)
            .where(person.deal_id == deal_id, person.email == email.lower())
            .values(shared=False, permission_id=None)
        )
        self._update(deal_id)

    def mark_shared(self, deal_id: str, email: str, *, permission_id: str | None) -> None:
        """Record that the plan is shared with this person, under this Drive permission."""
        person = deal_people.c
        result = self._connection.execute(
            sa.update(deal_people)
            .where(person.deal_id == deal_id, person.email == email.lower())
            .values(shared=True, permission_id=permission_id)
        )
        if result.rowcount == 0:
            if self.get(deal_id) is None:
                raise DealNotFound(deal_id)
            raise PersonNotFound(deal_id, email)
        self._update(deal_id)

    def _update(self, deal_id: str, **values: Any) -> None:
        """Change these columns of a deal and stamp `updated_at`."""
        result = self._connection.execute(
            sa.update(deals)
            .where(deals.c.deal_id == deal_id)
            .values(**values, updated_at=self._clock())
        )
        if result.rowcount == 0:
            raise DealNotFound(deal_id)

    def _select(
        self, condition: sa.ColumnElement[bool], *, for_update: bool = False
    ) -> list[DealRecord]:
        """The deals meeting `condition`, newest first, with their people (one query each)."""
        query = (
            sa.select(deals)
            .where(condition)
            .order_by(deals.c.created_at.desc(), deals.c.deal_id.desc())
        )
        if for_update:
            query = query.with_for_update(of=deals)
        rows = self._connection.execute(query).mappings().all()
        if not rows:
            return []
        chosen = sa.select(deals.c.deal_id).where(condition)
        people_query = (
            sa.select(deal_people)
            .where(deal_people.c.deal_id.in_(chosen))
            .order_by(deal_people.c.deal_id, deal_people.c.email)
        )
        people: dict[str, list[PersonRecord]] = {}
        for person in self._connection.execute(people_query).mappings():
            people.setdefault(person["deal_id"], []).append(_person_from_row(person))
        return [_deal_from_row(row, people.get(row["deal_id"], ())) for row in rows]


class RequestKeys:
    """Request keys: a retried create returns the deal the first attempt made."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def claim(self, key: str, *, deal_id: str, fingerprint: str) -> str:
        """Tie the key to this deal unless it is tied already; the deal it is tied to.

        A caller that gets another deal id back lost a race with an identical request and should
        roll back its own deal. Raises RequestKeyConflict if the key came with other parameters.
        """
        self._connection.execute(
            insert_unless_present(self._connection, request_keys).values(
                key=key, deal_id=deal_id, fingerprint=fingerprint, created_at=self._clock()
            )
        )
        owner = self.lookup(key, fingerprint=fingerprint)
        if owner is None:  # cannot happen: the insert above or an earlier one left the row
            raise StoreError(f"request key {key!r} vanished while being claimed")
        return owner

    def lookup(self, key: str, *, fingerprint: str) -> str | None:
        """The deal an earlier request with this key created, or None for a new key.

        Raises RequestKeyConflict if that request had other parameters.
        """
        row = self._connection.execute(
            sa.select(request_keys.c.deal_id, request_keys.c.fingerprint).where(
                request_keys.c.key == key
            )
        ).one_or_none()
        if row is None:
            return None
        if row.fingerprint != fingerprint:
            raise RequestKeyConflict(key, row.deal_id)
        return str(row.deal_id)


def _deal_row(deal: DealRecord) -> dict[str, Any]:
    return {
        "deal_id": deal.deal_id,
        "name": deal.name,
        "buyer_company": deal.buyer_company,
        "owner_email": deal.owner_email.lower(),
        "amount": deal.amount,
        "template": deal.template,
        "template_version": deal.template_version,
        "go_live": deal.go_live,
        "signature_target": deal.signature_target,
        "spreadsheet_id": deal.spreadsheet_id,
        "url": deal.url,
        "status": DealStatus(deal.status).value,
        "missing": list(deal.missing),
        "created_at": deal.created_at,
        "updated_at": deal.updated_at,
        "team": deal.team,
    }


def _person_row(deal_id: str, person: PersonRecord) -> dict[str, Any]:
    return {
        "deal_id": deal_id,
        "email": person.email.lower(),
        "side": Side(person.side).value,
        "role": person.role,
        "name": person.name,
        "shared": person.shared,
        "permission_id": person.permission_id,
    }


def _deal_from_row(row: RowMapping, people: Iterable[PersonRecord]) -> DealRecord:
    return DealRecord(
        deal_id=row["deal_id"],
        name=row["name"],
        buyer_company=row["buyer_company"],
        owner_email=row["owner_email"],
        template=row["template"],
        template_version=row["template_version"],
        go_live=row["go_live"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        signature_target=row["signature_target"],
        amount=row["amount"],
        team=row["team"],
        spreadsheet_id=row["spreadsheet_id"],
        url=row["url"],
        status=DealStatus(row["status"]),
        missing=tuple(row["missing"]),
        people=tuple(people),
    )


def _person_from_row(row: RowMapping) -> PersonRecord:
    return PersonRecord(
        email=row["email"],
        side=Side(row["side"]),
        name=row["name"],
        role=row["role"],
        shared=bool(row["shared"]),
        permission_id=row["permission_id"],
    )
