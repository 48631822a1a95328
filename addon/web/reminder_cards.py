"""The sidebar's Reminder settings for one deal, under /addon/reminders: on or off, how early,
the digest's weekday, and who on the deal gets messages.

A blueprint nested in the add-on's (`addon.bp`): its caller verification and error card apply
here too. Only the owner changes them; a value that is not one of the choices is refused beside
its field; people who stopped messages themselves are listed, not offered.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..domain.naming import deal_title
from ..domain.reminders import DAYS_BEFORE, WEEKDAYS, ReminderSettings
from ..services.deal_reminders import DealReminders, NotTheOwner, Receiving, ReminderChoices
from ..store import DealRecord
from . import cards
from .addon_events import event, inputs, url, user
from .deal_ref import owned_deal
from .resources import services

bp = Blueprint("reminders", __name__, url_prefix="/reminders")

NOT_YOURS = "Only the plan's owner changes its reminders."
RECEIVING = "receiving"


def _days(n: int) -> str:
    return "On the day it is due" if n == 0 else f"{n} business day{'s' if n != 1 else ''} before"


def settings_card(
    deal: DealRecord, choices: ReminderChoices, message: str | None = None
) -> cards.Json:
    settings = choices.settings
    widgets: list[cards.Json] = [cards.text(settings.describe())]
    if message:
        widgets.append(cards.warning(message))
    widgets += [
        cards.dropdown(
            "enabled",
            "Reminders and digests",
            [("On", "on"), ("Off", "off")],
            "on" if settings.enabled else "off",
        ),
        cards.dropdown(
            "days_before",
            "Remind a step's owner",
            [(_days(n), str(n)) for n in DAYS_BEFORE],
            str(settings.days_before),
        ),
        cards.dropdown(
            "digest_weekday",
            "Buyers' weekly digest on",
            [(day, str(n)) for n, day in enumerate(WEEKDAYS)],
            str(settings.digest_weekday),
        ),
    ]
    offered = [p for p in choices.people if p.receiving is not Receiving.STOPPED]
    if offered:
        items = [
            {
                "text": f"{p.name or p.email} ({p.side.label})",
                "value": p.email,
                "selected": p.receiving is Receiving.ON,
            }
            for p in offered
        ]
        widgets.append(
            {
                "selectionInput": {
                    "name": RECEIVING,
                    "label": "Who gets messages",
                    "type": "CHECK_BOX",
                    "items": items,
                }
            }
        )
    for person in choices.people:
        if person.receiving is Receiving.STOPPED:
            widgets.append(
                cards.text(f"{person.name or person.email} asked for no messages: left as is.")
            )
    ident = {"deal_id": deal.deal_id}
    widgets.append(cards.buttons(cards.action_button("Save", url("/addon/reminders/save"), ident)))
    return cards.card(
        "Reminder settings",
        [cards.section(widgets)],
        subtitle=deal_title(deal.name, deal.buyer_company),
    )


def _checked(found: dict[str, Any], name: str) -> list[str]:
    """Every value ticked in a CHECK_BOX selection input (formInputs' stringInputs)."""
    value = ((found.get("commonEventObject") or {}).get("formInputs") or {}).get(name) or {}
    return [str(v) for v in (value.get("stringInputs") or {}).get("value") or []]


def _settings(values: dict[str, str]) -> ReminderSettings:
    """The chosen settings; ValueError with a sentence for a value not among the choices."""
    enabled = values.get("enabled", "on")
    if enabled not in ("on", "off"):
        raise ValueError("Choose On or Off for reminders and digests.")
    try:
        days = int(values.get("days_before", "2"))
        weekday = int(values.get("digest_weekday", "0"))
    except ValueError:
        raise ValueError(
            "Choose how early to remind and the digest's day from the lists."
        ) from None
    try:
        return ReminderSettings(enabled == "on", days, weekday)
    except ValueError as exc:
        raise ValueError(str(exc)[:1].upper() + str(exc)[1:] + ".") from None


@bp.post("/show")
def show_settings() -> ResponseReturnValue:
    found = owned_deal(user(event()), NOT_YOURS)
    if isinstance(found, str):
        return jsonify(cards.notify(found))
    return jsonify(cards.push(settings_card(found, DealReminders(services().store).of(found))))


@bp.post("/save")
def save_settings() -> ResponseReturnValue:
    seller = user(event())
    found = owned_deal(seller, NOT_YOURS)
    if isinstance(found, str):
        return jsonify(cards.notify(found))
    reminders = DealReminders(services().store)
    try:
        settings = _settings(inputs(event()))
    except ValueError as refused:
        return jsonify(cards.update(settings_card(found, reminders.of(found), str(refused))))
    try:
        saved = reminders.save(
            found, by=seller, settings=settings, receiving=_checked(event(), RECEIVING)
        )
    except NotTheOwner:
        return jsonify(cards.notify(NOT_YOURS))
    return jsonify(cards.notify("Reminder settings saved", settings_card(found, saved)))
