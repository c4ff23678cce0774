"""The Census place files the boundary, budget, site, crowd and browser tests need, on any clone.

Where they come from, in order:
1. `FRT_CENSUS_SOURCE`, when it names a folder;
2. `../shared/census` beside the project (this repository's CI has it);
3. the project's cache (`.cache/census-2015/`), filled once from the Census Bureau's site.
When none can be had (no folder and no network), the tests that need them are skipped with a
one-line reason that says how to get the files; pytest's summary counts them.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from geo.boundaries import SourceError
from geo.boundaries.download import fetch_place_files
from geo.boundaries.registry import PLACE_FIPS, REGISTRY_YEAR, base_url
from geo.boundaries.sources import place_file_name
from geo.config import PROJECT_ROOT

YEAR = REGISTRY_YEAR  # the vintage the tests and budgets are measured on
SHARED = PROJECT_ROOT.parent / "shared" / "census"
CACHE = PROJECT_ROOT / ".cache" / f"census-{YEAR}"
DOWNLOAD_TIMEOUT = 60.0
SKIP_REASON = (
    "no Census place files: set FRT_CENSUS_SOURCE to a folder of cb_2015_SS_place_500k.zip "
    "files, put them in ../shared/census, or allow access to www2.census.gov "
    "(python -m geo.boundaries fetch DIR)"
)


def _complete(folder: Path) -> bool:
    return all((folder / place_file_name(YEAR, fips)).is_file() for fips in PLACE_FIPS)


def _fill_cache() -> Path | None:
    """Download every place file into the cache once (geo.boundaries.registry, checksums
    checked); None when the Bureau's site cannot be reached."""
    try:
        fetch_place_files(CACHE, YEAR, base_url(YEAR), DOWNLOAD_TIMEOUT)
    except (SourceError, OSError):
        return None
    return CACHE


@cache
def census_folder() -> Path | None:
    configured = os.environ.get("FRT_CENSUS_SOURCE", "")
    if configured and Path(configured).is_dir():
        return Path(configured)
    if SHARED.is_dir():
        return SHARED
    if _complete(CACHE):
        return CACHE
    return _fill_cache()


def require_census() -> Path:
    """The folder of Census place files, or skip the calling test with the reason."""
    folder = census_folder()
    if folder is None:
        pytest.skip(SKIP_REASON)
    return folder
