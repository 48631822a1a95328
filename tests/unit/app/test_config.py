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


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"MAP_REFRESH_QUEUE": "rabbit"}, "MAP_REFRESH_QUEUE"),
        ({"MAP_REFRESH_QUEUE": "cloud-tasks"}, "MAP_TASKS_QUEUE"),
        ({"MAP_REFRESH_QUEUE": "cloud-tasks", "MAP_TASKS_QUEUE": "queues/q"}, "MAP_TASKS_QUEUE"),
        (
            {
                "MAP_REFRESH_QUEUE": "cloud-tasks",
                "MAP_TASKS_QUEUE": "projects/p/locations/l/queues/plan-refresh",
                "MAP_NOTIFY_TASKS_QUEUE": "notify",
            },
            "MAP_NOTIFY_TASKS_QUEUE",
        ),
        ({"MAP_SHEETS_READS_PER_MINUTE": "lots"}, "MAP_SHEETS_READS_PER_MINUTE"),
        ({"MAP_SHEETS_READS_PER_MINUTE": "-1"}, "MAP_SHEETS_READS_PER_MINUTE"),
    ],
)
def test_bad_queue_settings_are_config_errors_naming_the_variable(
    env: dict[str, str], variable: str
) -> None:
    with pytest.raises(ConfigError, match=variable):
        Config.from_env(env)


def test_cloud_tasks_takes_a_full_queue_path() -> None:
    config = Config.from_env(
        {
            "MAP_REFRESH_QUEUE": "cloud-tasks",
            "MAP_TASKS_QUEUE": "projects/p/locations/europe-west1/queues/plan-refresh",
        }
    )
    assert (config.refresh_queue, config.tasks_queue) == (
        "cloud-tasks",
        "projects/p/locations/europe-west1/queues/plan-refresh",
    )
    assert config.notify_tasks_queue == config.tasks_queue  # one queue unless told otherwise
    apart = Config.from_env(
        {
            "MAP_REFRESH_QUEUE": "cloud-tasks",
            "MAP_TASKS_QUEUE": "projects/p/locations/europe-west1/queues/plan-refresh",
            "MAP_NOTIFY_TASKS_QUEUE": "projects/p/locations/europe-west1/queues/notify",
        }
    )
    assert apart.notify_tasks_queue == "projects/p/locations/europe-west1/queues/notify"


def test_templates_come_from_map_templates_dir_or_the_shipped_folder(tmp_path: Path) -> None:
    assert Config.from_env({}).templates_dir is None  # the shipped templates
    assert Config.from_env({"MAP_TEMPLATES_DIR": f" {tmp_path} "}).templates_dir == tmp_path
