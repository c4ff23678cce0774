"""Build the static edition the way a person does: `python -m geo.site build OUT`, through the
bench's builder (bench.static.run_site_build), so the tests and the bench build alike."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from bench.static import run_site_build


def build_site(out: Path, settings: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the command with `settings` over the environment (the project's own data)."""
    return run_site_build(
        settings, out, unset=() if "FRT_DATA_DIR" in settings else ("FRT_DATA_DIR",)
    )
