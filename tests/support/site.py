"""Build the static edition the way a person does: `python -m geo.site build OUT`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from geo.config import PROJECT_ROOT


def build_site(out: Path, settings: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the command with `settings` over the environment (the project's own data)."""
    env = {**os.environ, **settings}
    env.pop("FRT_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "geo.site", "build", str(out)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
