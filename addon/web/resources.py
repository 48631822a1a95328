"""The app's shared resources (store, Google, use cases), one set per application."""

from __future__ import annotations

import threading
from functools import cache

from flask import Flask, current_app

from ..domain.model import Template
from ..domain.templates import TemplateError, find_template
from ..services.context import Services, today
from ..services.plan_card import PlanCards
from ..services.teams_file import TeamsFile

_building = threading.Lock()


def init_app(app: Flask) -> None:
    """Build the app's Services from its configuration; closed when the process ends."""
    app.extensions["map.services"] = Services(app.config["MAP"])


def services() -> Services:
    """The current app's Services."""
    return current_app.extensions["map.services"]


def plan_cards() -> PlanCards:
    """The app's plan card use case, built once: its memo lives as long as the app."""
    found = current_app.extensions.get("map.plan_cards")
    if found is None:
        with _building:
            found = current_app.extensions.get("map.plan_cards")
            if found is None:
                found = current_app.extensions["map.plan_cards"] = _plan_cards(services())
    return found


def _plan_cards(shared: Services) -> PlanCards:
    """Templates are read once per name, the teams file when it changed on disk."""

    @cache
    def template(name: str) -> Template | None:
        try:
            return find_template(name, shared.templates_dir)
        except TemplateError:
            return None

    return PlanCards(
        shared.store,
        service_account=shared.config.service_account,
        template=template,
        teams=TeamsFile(shared.config.teams_file).teams,
        today=today,
    )
