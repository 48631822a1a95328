"""Configuration is read from the environment with the documented defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from addon.config import Config, ConfigError


def test_defaults_point_at_the_local_stand_in() -> None:
    config = Config.from_env({})
    assert config.backend == "local"
    assert config.local_google_url == "http://127.0.0.1:8765"
    assert config.data_dir == Path(".map-data")
    assert config.database_url == "sqlite:///.map-data/map.sqlite3"


def test_database_url_overrides_the_sqlite_default() -> None:
    url = "postgresql+psycopg://localhost/map"
    assert Config.from_env({"MAP_DATABASE_URL": url}).database_url == url


def test_unknown_backend_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="MAP_BACKEND"):
        Config.from_env({"MAP_BACKEND": "azure"})


def test_local_google_url_must_be_http() -> None:
    with pytest.raises(ConfigError, match="MAP_LOCAL_GOOGLE_URL"):
        Config.from_env({"MAP_LOCAL_GOOGLE_URL": "localhost:8765"})
