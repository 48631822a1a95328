"""The app's shared resources (store, Google, use cases), one set per application."""

from __future__ import annotations

from flask import Flask, current_app

from ..services.context import Services


def init_app(app: Flask) -> None:
    """Build the app's Services from its configuration; closed when the process ends."""
    app.extensions["map.services"] = Services(app.config["MAP"])


def services() -> Services:
    """The current app's Services."""
    return current_app.extensions["map.services"]
