"""MAP add-on: mutual action plans that stay alive in Google Sheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import Config

if TYPE_CHECKING:
    from flask import Flask

MAX_BODY_BYTES = 1024 * 1024


def create_app(config: Config | None = None) -> Flask:
    """The add-on's Flask application, wired from `config` (default: the environment)."""
    from flask import Flask

    from .web import addon, health, hooks, jobs, notify, preview, resources

    app = Flask(__name__)
    app.config["MAP"] = config or Config.from_env()
    # Add-on events, push notifications and task bodies are a few kilobytes: a bigger body is
    # refused (413) before it is read.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    resources.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(hooks.bp)
    app.register_blueprint(jobs.bp)
    app.register_blueprint(addon.bp)
    app.register_blueprint(notify.bp)
    if app.config["MAP"].is_local:
        app.register_blueprint(preview.bp)
    return app
