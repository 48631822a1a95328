"""The add-on app answers its health check through Flask's test client."""

from __future__ import annotations

from addon import create_app
from addon.config import Config


def test_health_reports_ok_and_the_local_backend() -> None:
    app = create_app(Config.from_env({"MAP_LOCAL_GOOGLE_URL": "http://127.0.0.1:9999"}))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "backend": "local",
        "local_google_url": "http://127.0.0.1:9999",
    }


def test_health_omits_the_stand_in_url_on_google() -> None:
    app = create_app(Config.from_env({"MAP_BACKEND": "google"}))
    assert app.test_client().get("/healthz").get_json() == {"status": "ok", "backend": "google"}
