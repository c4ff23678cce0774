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

from geo.boundaries import SourceError, download
from geo.boundaries.sources import place_file_name, place_url
from geo.config import CENSUS_URL_TEMPLATE, PROJECT_ROOT

YEAR = 2015  # the vintage the tests and budgets are measured on
SHARED = PROJECT_ROOT.parent / "shared" / "census"
CACHE = PROJECT_ROOT / ".cache" / f"census-{YEAR}"
PROBE_TIMEOUT = 10.0  # seconds: a machine with no network answers at once or not at all
DOWNLOAD_TIMEOUT = 60.0
# Every state, DC, Puerto Rico and the island areas the Bureau publishes place files for.
FIPS = [
    "01",
    "02",
    "04",
    "05",
    "06",
    "08",
    "09",
    "10",
    "11",
    "12",
    "13",
    "15",
    "16",
    "17",
    "18",
    "19",
    "20",
    "21",
    "22",
    "23",
    "24",
    "25",
    "26",
    "27",
    "28",
    "29",
    "30",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "40",
    "41",
    "42",
    "44",
    "45",
    "46",
    "47",
    "48",
    "49",
    "50",
    "51",
    "53",
    "54",
    "55",
    "56",
    "60",
    "66",
    "69",
    "72",
    "78",
]
SKIP_REASON = (
    "no Census place files: set FRT_CENSUS_SOURCE to a folder of cb_2015_SS_place_500k.zip "
    "files, put them in ../shared/census, or allow access to www2.census.gov "
    "(see .github/scripts/fetch-census.sh)"
)


def _complete(folder: Path) -> bool:
    return all((folder / place_file_name(YEAR, fips)).is_file() for fips in FIPS)


def _fill_cache() -> Path | None:
    """Download every place file into the cache once; None when the site cannot be reached."""
    source = CENSUS_URL_TEMPLATE.format(year=YEAR)
    try:
        for n, fips in enumerate(FIPS):
            name = place_file_name(YEAR, fips)
            target = CACHE / name
            if not target.is_file():
                # The first file is the probe: no network fails fast and skips everything.
                timeout = PROBE_TIMEOUT if n == 0 else DOWNLOAD_TIMEOUT
                download(place_url(source, name), target, timeout)
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
