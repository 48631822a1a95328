"""A deal's reminder settings, as its owner sees and changes them in the sidebar.

On or off, how many business days before a due date a step's owner is reminded, the weekday
the buyers' digest goes out, and who on the deal gets messages. The seller may turn a person
off and on again; a person who stopped messages themselves (the stop link) stays stopped: the
seller's choice never overrides theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ..domain.model import Side
from ..domain.reminders import ReminderSettings
from ..store import DealRecord, Store


class Receiving(StrEnum):
    ON = "on"
    OFF = "off"  # turned off by the seller
    STOPPED = "stopped"  # the person asked for no more messages


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    side: Side
    receiving: Receiving


@dataclass(frozen=True)
class ReminderChoices:
    settings: ReminderSettings
    people: tuple[Recipient, ...]


class NotTheOwner(PermissionError):
    """Only the deal's owner changes its reminders."""


@dataclass
class DealReminders:
    store: Store

    def of(self, deal: DealRecord) -> ReminderChoices:
        with self.store.transaction(read_only=True) as tx:
            stored = tx.notify_settings.get(deal.deal_id)
            off = tx.opt_outs.turned_off(deal.deal_id)
        settings = ReminderSettings(*stored) if stored else ReminderSettings()
        people = []
        for person in deal.people:
            if person.side is Side.SERVICE:
                continue
            state = Receiving.ON
            if person.email in off:
                state = Receiving.STOPPED if off[person.email] is None else Receiving.OFF
            people.append(Recipient(person.email, person.name, person.side, state))
        return ReminderChoices(settings, tuple(people))

    def save(
        self,
        deal: DealRecord,
        *,
        by: str,
        settings: ReminderSettings,
        receiving: Iterable[str],
    ) -> ReminderChoices:
        """Store the settings and who receives; people who stopped themselves are left as
        they are whatever `receiving` says."""
        if deal.owner_email.lower() != by.strip().lower():
            raise NotTheOwner(f"only the deal's owner ({deal.owner_email}) changes its reminders")
        wanted = {email.strip().lower() for email in receiving}
        current = self.of(deal)
        with self.store.transaction() as tx:
            tx.notify_settings.set(
                deal.deal_id,
                enabled=settings.enabled,
                days_before=settings.days_before,
                digest_weekday=settings.digest_weekday,
                by=by,
            )
            for person in current.people:
                if person.receiving is Receiving.ON and person.email not in wanted:
                    tx.opt_outs.add(person.email, deal.deal_id, set_by=by)
                elif person.receiving is Receiving.OFF and person.email in wanted:
                    tx.opt_outs.turn_back_on(person.email, deal.deal_id)
        return self.of(deal)
