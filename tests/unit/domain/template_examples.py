"""A small valid template and file helpers, shared by the template tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from addon.domain.templates import check


def sample(name: str = "sample", **changes: Any) -> dict[str, Any]:
    """A small valid template: evaluation and legal in parallel before signature, then launch."""
    data: dict[str, Any] = {
        "name": name,
        "title": "Sample",
        "version": 1,
        "description": "A plan used by the tests.",
        "typical_weeks": [6, 8],
        "steps": [
            step("discovery", days=5, before="evaluation", critical=True),
            step("evaluation", days=10, before="signature", critical=True),
            step("legal-review", days=15, before="signature", roles=["Legal"]),
            step("signature", days=0, before="onboarding", critical=True, milestone="signature"),
            step("onboarding", days=10, critical=True),
            step("go-live", days=0, critical=True, milestone="go-live"),
        ],
    }
    data.update(changes)
    return data


def step(step_id: str, **fields: Any) -> dict[str, Any]:
    """One step entry as a person would write it."""
    return {"id": step_id, "phase": "Decide", "name": step_id.title(), "owner": "Both"} | fields


def write(directory: Path, data: dict[str, Any], name: str = "sample") -> Path:
    """Write a template file and return its path."""
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def errors_of(directory: Path, data: dict[str, Any]) -> list[str]:
    """The errors `check` reports for the data written as sample.yaml."""
    return check(write(directory, data)).errors
