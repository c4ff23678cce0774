"""Settings read from the environment, in one place.

`FRT_DATA_DIR`       folder with jurisdictions.csv, events.csv and quotes.csv (default: data/)
`FRT_CENSUS_SOURCE`  where Census place files come from: a URL base or a local folder
`FRT_CENSUS_YEAR`    the vintage of those files
`FRT_CACHE_DIR`      where built boundaries are cached (default: .cache/)
`FRT_TILES`          base-map tile URL template; empty means no tiles (the offline default)
`FRT_PUBLIC_URL`     the hosted app's address, linked from exported maps (optional)
`FRT_SITE_URL`       where the static edition is published (optional): its pages' og:url and
                     preview image address, sitemap.xml, and the embed snippet on About
`FRT_CORRECTION_URL` the repository's issue form for corrections (optional), e.g.
                     https://github.com/OWNER/REPO/issues/new?template=correct-or-add-a-record.yml:
                     every place in both editions then links it, with the place filled in;
                     unset (or not an http(s) address), there is no such link
`FRT_CENSUS_TIMEOUT` seconds to wait for the Census source to connect or send (default: 20)
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# One vintage end to end: the one whose checksums the registry holds (geo/boundaries/
# census-2015.sha256), which `python -m geo.boundaries fetch`, the tests, the budgets and the
# README's offline recipe use. A newer one is a setting away (FRT_CENSUS_YEAR).
DEFAULT_CENSUS_YEAR = 2015
CENSUS_URL_TEMPLATE = "https://www2.census.gov/geo/tiger/GENZ{year}/shp/"
DEFAULT_CENSUS_TIMEOUT = 20.0


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    census_source: str
    census_year: int
    cache_dir: Path
    tiles: str
    public_url: str = ""
    site_url: str = ""
    correction_url: str = ""
    census_timeout: float = DEFAULT_CENSUS_TIMEOUT


class SettingsError(ValueError):
    """A setting has a value the app cannot use; the message names it and says what fits."""


def _census_year(raw: str | None) -> int:
    if raw is None or not raw.strip():
        return DEFAULT_CENSUS_YEAR
    if not raw.strip().isdigit():
        raise SettingsError(f"FRT_CENSUS_YEAR must be a year such as 2023, not {raw!r}")
    return int(raw)


def _census_timeout(raw: str | None) -> float:
    if raw is None or not raw.strip():
        return DEFAULT_CENSUS_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise SettingsError(
            f"FRT_CENSUS_TIMEOUT must be a number of seconds such as 20, not {raw!r}"
        )
    return seconds


def get_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings now (not at import), so tests and tools can change them."""
    env = os.environ if environ is None else environ
    year = _census_year(env.get("FRT_CENSUS_YEAR"))
    data_dir = Path(env.get("FRT_DATA_DIR") or PROJECT_ROOT / "data")
    cache_dir = Path(env.get("FRT_CACHE_DIR") or PROJECT_ROOT / ".cache")
    source = env.get("FRT_CENSUS_SOURCE") or CENSUS_URL_TEMPLATE.format(year=year)
    return Settings(
        data_dir=data_dir,
        census_source=source,
        census_year=year,
        cache_dir=cache_dir,
        tiles=env.get("FRT_TILES", ""),
        public_url=env.get("FRT_PUBLIC_URL", ""),
        site_url=env.get("FRT_SITE_URL", ""),
        correction_url=env.get("FRT_CORRECTION_URL", ""),
        census_timeout=_census_timeout(env.get("FRT_CENSUS_TIMEOUT")),
    )
