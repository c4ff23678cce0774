"""One Census registry: the place files the Bureau publishes, where each vintage lives, their
sha256, and one way to fetch them (pooch's `create` and `fetch`: download to a temporary
file, check the hash, rename; retries for the command line).

Used by the app's boundary build (geo.boundaries.download), by `python -m geo.boundaries fetch
DIR` (what CI and the tests call) and by tests/support/census.py. The checksums are those of the
files as the Bureau publishes them (`census-2015.sha256`, in `sha256sum` format); a vintage
without a checksum file is fetched unchecked, then verified as a zip holding a shapefile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pooch

from geo.boundaries.sources import place_file_name
from geo.config import CENSUS_URL_TEMPLATE

# Every state, DC, Puerto Rico and the island areas the Bureau publishes place files for.
PLACE_FIPS = (
    "01", "02", "04", "05", "06", "08", "09", "10", "11", "12", "13", "15", "16", "17", "18",
    "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33",
    "34", "35", "36", "37", "38", "39", "40", "41", "42", "44", "45", "46", "47", "48", "49",
    "50", "51", "53", "54", "55", "56", "60", "66", "69", "72", "78",
)  # fmt: skip
URL_TEMPLATE = CENSUS_URL_TEMPLATE
CHECKSUMS = Path(__file__).resolve().parent / "census-{year}.sha256"
REGISTRY_YEAR = 2015  # the vintage with checksums, which the tests and budgets use
CLI_RETRIES = 3  # the command line retries a failed file; the app falls back instead

# pooch says "Downloading file ..." at INFO; the app and the command report progress themselves.
pooch.get_logger().setLevel(logging.WARNING)


def base_url(year: int) -> str:
    return URL_TEMPLATE.format(year=year)


def known_hashes(year: int) -> dict[str, str]:
    """File name -> `sha256:...` for a vintage with a checksum file (else empty)."""
    path = Path(str(CHECKSUMS).format(year=year))
    if not path.is_file():
        return {}
    pairs = (line.split() for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {name: f"sha256:{digest}" for digest, name in pairs}


def registry(year: int) -> dict[str, str | None]:
    """Every place file of a vintage and its known hash (None: not known, not checked)."""
    hashes = known_hashes(year)
    return {name: hashes.get(name) for name in (place_file_name(year, f) for f in PLACE_FIPS)}


Downloader = Callable[[str, str, object], None]


def store(folder: Path, source_url: str, year: int, *, retries: int = 0) -> pooch.Pooch:
    """A pooch over `folder` for the place files at `source_url` (a URL ending in /)."""
    return pooch.create(
        path=folder,
        base_url=source_url if source_url.endswith("/") else source_url + "/",
        registry=registry(year),
        retry_if_failed=retries,
        allow_updates=True,
    )
