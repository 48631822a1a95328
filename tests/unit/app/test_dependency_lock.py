"""The pinned dependencies agree with pyproject.toml's ranges and with each other.

`make lock` writes requirements-dev.lock (runtime, dev and deploy extras, hashed) and, from it,
requirements.txt for App Engine (runtime and deploy only). These tests fail when pyproject.toml
changes without a re-lock, or when either file is edited by hand so that the two drift apart.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[3]
LOCK = ROOT / "requirements-dev.lock"
APP_ENGINE = ROOT / "requirements.txt"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# The environments the lock is for: the Python the project is tested on here, and App Engine's.
ENVIRONMENTS = [
    {"python_version": version, "python_full_version": f"{version}.0", "sys_platform": "linux"}
    for version in ("3.11", "3.12")
]


@dataclass(frozen=True)
class Pin:
    """One `name==version [; marker]` entry of a compiled requirements file."""

    name: str
    version: Version
    marker: str
    hashes: int


def _pins(path: Path) -> dict[str, Pin]:
    """The entries of a file written by `uv pip compile --generate-hashes`."""
    pins: dict[str, Pin] = {}
    entries = re.split(r"\n(?=\S)", path.read_text(encoding="utf-8"))
    for entry in entries:
        if not entry.strip() or entry.startswith("#"):
            continue
        requirement = Requirement(entry.splitlines()[0].rstrip(" \\"))
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{path.name}: {requirement} is not pinned"
        name = canonicalize_name(requirement.name)
        assert name not in pins, f"{path.name} pins {name} twice"
        pins[name] = Pin(
            name, Version(specifier.version), str(requirement.marker or ""), entry.count("--hash=")
        )
    return pins


def _applies(requirement: Requirement) -> bool:
    marker = requirement.marker
    return marker is None or any(marker.evaluate(env) for env in ENVIRONMENTS)


def _wanted(*extras: str) -> list[Requirement]:
    """pyproject.toml's runtime dependencies plus the given extras."""
    lines = list(PYPROJECT["dependencies"])
    for extra in extras:
        lines += PYPROJECT["optional-dependencies"][extra]
    return [requirement for line in lines if _applies(requirement := Requirement(line))]


LOCKED = _pins(LOCK)
DEPLOYED = _pins(APP_ENGINE)


@pytest.mark.parametrize(
    ("pins", "extras"),
    [(LOCKED, ("dev", "deploy")), (DEPLOYED, ("deploy",))],
    ids=["requirements-dev.lock", "requirements.txt"],
)
def test_every_declared_dependency_is_pinned_within_its_range(
    pins: dict[str, Pin], extras: tuple[str, ...]
) -> None:
    for requirement in _wanted(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not pinned: run `make lock`"
        assert requirement.specifier.contains(pins[name].version, prereleases=True), (
            f"{name}=={pins[name].version} is outside pyproject's {requirement.specifier}: "
            "run `make lock`"
        )


def test_extras_bring_their_packages() -> None:
    """psycopg[binary] needs psycopg-binary in both files (an extra is not a pin of its own)."""
    (psycopg,) = [r for r in _wanted("deploy") if r.name == "psycopg"]
    assert psycopg.extras == {"binary"}
    assert "psycopg-binary" in DEPLOYED and "psycopg-binary" in LOCKED


def test_app_engine_installs_exactly_the_locked_versions() -> None:
    for name, pin in DEPLOYED.items():
        assert name in LOCKED, f"requirements.txt has {name}, the lock does not"
        assert pin.version == LOCKED[name].version, name
        assert pin.marker == LOCKED[name].marker, name


def test_app_engine_gets_no_development_tools() -> None:
    runtime = {canonicalize_name(r.name) for r in _wanted("deploy")}
    for requirement in _wanted("dev"):
        name = canonicalize_name(requirement.name)
        if name not in runtime:
            assert name not in DEPLOYED, f"requirements.txt installs the dev tool {name}"
    assert "gunicorn" in DEPLOYED  # app.yaml's entrypoint


def test_app_engine_installs_a_strict_subset_of_the_lock() -> None:
    assert set(DEPLOYED) < set(LOCKED)


@pytest.mark.parametrize(
    "pins", [LOCKED, DEPLOYED], ids=["requirements-dev.lock", "requirements.txt"]
)
def test_every_pin_carries_hashes(pins: dict[str, Pin]) -> None:
    """pip's --require-hashes mode (the Makefile's install) refuses a file with any unhashed pin."""
    for pin in pins.values():
        assert pin.hashes >= 1, f"{pin.name} has no hash"


@pytest.mark.parametrize(
    "pins", [LOCKED, DEPLOYED], ids=["requirements-dev.lock", "requirements.txt"]
)
def test_one_version_per_package_for_python_3_11_and_3_12(pins: dict[str, Pin]) -> None:
    """The versions tested here (3.11) are the ones App Engine's python312 installs."""
    for pin in pins.values():
        if pin.marker:
            marker = Marker(pin.marker)
            assert marker.evaluate(ENVIRONMENTS[0]) == marker.evaluate(ENVIRONMENTS[1]), pin


def test_the_makefile_installs_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp_rule = makefile.split("$(STAMP): ", 1)[1].split("\n\n", 1)[0]
    assert "requirements-dev.lock" in stamp_rule.splitlines()[0]  # rebuilt when the lock changes
    assert "--require-hashes -r requirements-dev.lock" in stamp_rule
    assert "--no-deps -e ." in stamp_rule
