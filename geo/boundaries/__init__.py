"""City, county and state boundaries: read, simplified for the screen, checked and cached.

Where they come from:

- states and counties: the Census 2016 1:500k cartographic boundary shapefiles shipped in the
  installed `plotly-geo` package (no network, ever; the files carry no .prj, so NAD83);
- cities: the Census cartographic boundary *place* files `cb_{year}_{SS}_place_500k.zip`, one
  per state, from `FRT_CENSUS_SOURCE` (a URL base or a local folder with the same file names).
  Only the files of states that hold a city in the data are read or downloaded.

Every feature is chosen by GEOID, never by name. Each is simplified in a local frame where one
unit is the same distance east-west as north-south (so tolerances are metres), snapped to a
grid of `decimals` places, made valid, kept polygonal and reprojected to EPSG:4326. The result
is one GeoJSON file (what the browser gets) plus a manifest of its sources, cached under
`FRT_CACHE_DIR`. Besides the data's own states, the file carries every other state as a coarse,
non-interactive `outline` feature, because the offline map has no tiles to show where it is.

    python -m geo.boundaries build    # prints a coverage report; exit 1 unless complete

The modules, in the order the data flows through them:

- `geometry`: the styles (tolerances in metres) and simplifying one shape for the screen;
- `sources`: plotly-geo's layers, Census place files and their checks (`verify_zip`);
- `download`: fetching a place file over HTTP through pooch;
- `coverage`: what each jurisdiction got, and the report;
- `build`: everything joined in memory (`assemble`, `BuildResult`);
- `geojson`: the served file, and reading it back;
- `cache`: the served file and its manifest under FRT_CACHE_DIR;
- `load`: what the app calls (`load_boundaries`), where every fault becomes a notice;
- `__main__`: the command line.

The names below are the package's public face; import them from `geo.boundaries`.
"""

from geo.boundaries.build import BUDGET_BYTES, BuildResult, assemble
from geo.boundaries.cache import SERVED_DIR, CacheRead, read_cache, write_cache
from geo.boundaries.coverage import Coverage, dataset_key, report_lines
from geo.boundaries.download import DOWNLOAD_TIMEOUT, DownloadBar, download
from geo.boundaries.geojson import frames_from_geojson, geojson_vertices, to_geojson
from geo.boundaries.geometry import (
    METRES_PER_DEGREE,
    STYLES,
    WGS84,
    Style,
    count_vertices,
    screen_geometry,
)
from geo.boundaries.load import Boundaries, build, load_boundaries, served_geojson
from geo.boundaries.sources import (
    PACKAGE_STEMS,
    SourceError,
    SourceUnreachable,
    download_dir,
    package_folder,
    read_geoid_layer,
    verify_zip,
)

__all__ = [
    "BUDGET_BYTES",
    "DOWNLOAD_TIMEOUT",
    "METRES_PER_DEGREE",
    "PACKAGE_STEMS",
    "SERVED_DIR",
    "STYLES",
    "WGS84",
    "Boundaries",
    "BuildResult",
    "CacheRead",
    "Coverage",
    "DownloadBar",
    "SourceError",
    "SourceUnreachable",
    "Style",
    "assemble",
    "build",
    "count_vertices",
    "dataset_key",
    "download",
    "download_dir",
    "frames_from_geojson",
    "geojson_vertices",
    "load_boundaries",
    "package_folder",
    "read_cache",
    "read_geoid_layer",
    "report_lines",
    "screen_geometry",
    "served_geojson",
    "to_geojson",
    "verify_zip",
    "write_cache",
]
