"""Build the static edition the way a person does: `python -m geo.site build OUT`, through the
bench's builder (bench.static.run_site_build), so the tests and the bench build alike."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from bench.static import run_site_build
from tests.support.census import require_census


def build_site(out: Path, settings: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the command with `settings` over the environment (the project's own data)."""
    return run_site_build(
        settings, out, unset=() if "FRT_DATA_DIR" in settings else ("FRT_DATA_DIR",)
    )


def build_census_site(
    tmp_path_factory: pytest.TempPathFactory, name: str, settings: Mapping[str, str]
) -> Path:
    """The project's data built by the command with `settings`, boundaries from the Census
    files (2015) into a cache of its own; the folder, or the test fails with the output."""
    census = {
        "FRT_CENSUS_SOURCE": str(require_census()),
        "FRT_CENSUS_YEAR": "2015",
        "FRT_CACHE_DIR": str(tmp_path_factory.mktemp(f"{name}-cache")),
    }
    out = tmp_path_factory.mktemp(name) / "site"
    done = build_site(out, {**census, **settings})
    assert done.returncode == 0, done.stdout + done.stderr
    return out
