"""A pytest plugin for `make test-oldest`: the notices the oldest admitted releases print about
themselves when imported (not about how this project uses them) are not errors there.

The suite turns every warning into an error (pyproject.toml); these three come from the
libraries' own import, whatever the code under test does.
"""

from __future__ import annotations

import pytest

NOTICES = (
    # pandas 2.2.0, on import without pyarrow (pandas 3 made it optional again)
    r"ignore:(?s).*Pyarrow will become a required dependency:DeprecationWarning",
    # holidays 0.60, on import: its versioning policy from 1.0 on
    r"ignore:(?s).*This is a future version incompatibility warning from Holidays",
    # google-api-core 2.30, on import: Python 3.11's end of support
    r"ignore:(?s).*You are using a Python version .* which Google will stop supporting",
)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Before tests/conftest.py imports the Google clients."""
    for notice in NOTICES:
        early_config.addinivalue_line("filterwarnings", notice)
