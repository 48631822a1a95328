"""On Google, the add-on acts as the seller with the OAuth token the sidebar event carries."""

from __future__ import annotations

from addon.config import Config
from addon.google.gateway import UserTokenFactory


def test_the_seller_acts_with_the_events_oauth_token_on_google() -> None:
    config = Config.from_env({"MAP_BACKEND": "google"})
    factory = UserTokenFactory(config, user="sam@vendor.example", token="ya29.token")
    backend = factory.backend_for("Sam@Vendor.example")
    assert backend.base_url is None  # Google's own endpoints
    assert backend.credentials.token == "ya29.token"


def test_locally_the_seller_acts_by_name_on_the_stand_in() -> None:
    config = Config.from_env({"MAP_LOCAL_GOOGLE_URL": "http://127.0.0.1:9"})
    factory = UserTokenFactory(config, user="sam@vendor.example", token="ya29.token")
    backend = factory.backend_for("sam@vendor.example")
    assert backend.base_url == "http://127.0.0.1:9"
    assert backend.credentials.token == "local:sam@vendor.example"
