"""Helpers for the boundaries tests: tiny Census-format place zips, a tiny data folder, and a
local HTTP server that can also misbehave (truncate its answers). Nothing binary is committed:
every file is written by the test that needs it."""

from __future__ import annotations

import csv
import functools
import http.server
import socket
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point, Polygon

from geo.config import Settings, get_settings
from geo.records import DATA_FILES as FILES

YEAR = 2099

# (id, name, level, state, geoid, lat, lon): GEOIDs of counties and states are real ones in
# plotly-geo's files; the places exist only in the zips below.
JURISDICTIONS: tuple[dict[str, str], ...] = (
    {"id": "ca-testville", "name": "Testville", "level": "city", "state": "CA",
     "geoid": "0600001", "lat": "37.50", "lon": "-121.00"},
    {"id": "ca-secondtown", "name": "Secondtown", "level": "city", "state": "CA",
     "geoid": "0600003", "lat": "36.50", "lon": "-120.00"},
    {"id": "ca-san-francisco-county", "name": "San Francisco County", "level": "county",
     "state": "CA", "geoid": "06075", "lat": "37.76", "lon": "-122.44"},
    {"id": "ca", "name": "California", "level": "state", "state": "CA", "geoid": "06",
     "lat": "37.27", "lon": "-119.99"},
    {"id": "nj-township", "name": "A Township", "level": "city", "state": "NJ",
     "geoid": "3400372360", "lat": "40.89", "lon": "-74.01"},
    {"id": "eu", "name": "European Union", "level": "supranational", "state": "",
     "geoid": "", "lat": "50.85", "lon": "4.35"},
)  # fmt: skip

US_POLYGON_IDS = frozenset({"ca-testville", "ca-secondtown", "ca-san-francisco-county", "ca"})


def roundish(lon: float, lat: float, radius: float, segments: int = 64) -> Polygon:
    """A many-sided polygon (about 4 * segments vertices) that simplification can thin out."""
    return Point(lon, lat).buffer(radius, quad_segs=segments)


# GEOID -> (name, shape). "Testville Heights" is there so that a match by name would be wrong.
CA_PLACES: dict[str, tuple[str, Polygon]] = {
    "0600001": ("Testville", roundish(-121.0, 37.5, 0.05)),
    "0600002": ("Testville Heights", roundish(-121.3, 37.8, 0.03)),
    "0600003": ("Secondtown", roundish(-120.0, 36.5, 0.02)),
}
MA_PLACES: dict[str, tuple[str, Polygon]] = {
    "2500001": ("Elsewhere", roundish(-71.5, 42.3, 0.02)),
}


def place_zip_name(fips: str, year: int = YEAR) -> str:
    return f"cb_{year}_{fips}_place_500k.zip"


def write_place_zip(
    folder: Path, fips: str, places: Mapping[str, tuple[str, Polygon]], year: int = YEAR
) -> Path:
    """A Census-style place zip: a NAD83 shapefile with STATEFP, GEOID, NAME and LSAD."""
    stem = place_zip_name(fips, year).removesuffix(".zip")
    work = folder / f".{stem}"
    work.mkdir(parents=True, exist_ok=True)
    frame = gpd.GeoDataFrame(
        {
            "STATEFP": [fips] * len(places),
            "GEOID": list(places),
            "NAME": [name for name, _ in places.values()],
            "LSAD": ["25"] * len(places),
        },
        geometry=[shape for _, shape in places.values()],
        crs="EPSG:4269",
    )
    frame.to_file(work / f"{stem}.shp", engine="pyogrio")
    target = folder / f"{stem}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(work.iterdir()):
            archive.write(part, part.name)
    return target


def write_census_folder(folder: Path) -> Path:
    """Place files for California (needed) and Massachusetts (not needed by the data)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_place_zip(folder, "06", CA_PLACES)
    write_place_zip(folder, "25", MA_PLACES)
    return folder


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})


def write_data(folder: Path, jurisdictions: Sequence[Mapping[str, str]] = JURISDICTIONS) -> Path:
    """jurisdictions.csv, events.csv and quotes.csv with the loader's exact headers."""
    folder.mkdir(parents=True, exist_ok=True)
    columns = {spec.name: spec.columns for spec in FILES}
    first = jurisdictions[0]["id"]
    event = {
        "id": f"{first}-2019-05-14", "jurisdiction_id": first, "date": "2019-05-14",
        "status": "banned", "scope": "government", "summary": "A fixture ban.",
        "source_name": "Fixture Times", "source_url": "https://example.org/ban",
        "confidence": "high",
    }  # fmt: skip
    quote = {
        "id": "q-001", "jurisdiction_id": first, "date": "2019-05-14", "speaker": "A. Person",
        "stance": "supports_ban", "text": "Fixture words.", "source_name": "Fixture Times",
        "source_url": "https://example.org/quote", "confidence": "high",
    }  # fmt: skip
    _write_csv(folder / "jurisdictions.csv", columns["jurisdictions.csv"], jurisdictions)
    _write_csv(folder / "events.csv", columns["events.csv"], [event])
    _write_csv(folder / "quotes.csv", columns["quotes.csv"], [quote])
    return folder


def settings_for(data_dir: Path, source: str, cache_dir: Path, year: int = YEAR) -> Settings:
    return get_settings(
        {
            "FRT_DATA_DIR": str(data_dir),
            "FRT_CENSUS_SOURCE": source,
            "FRT_CENSUS_YEAR": str(year),
            "FRT_CACHE_DIR": str(cache_dir),
        }
    )


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: refused at once, no traffic leaves."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/census/"


@dataclass
class Served:
    url: str
    requests: list[str] = field(default_factory=list)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; `mode` 'half' sends half of each file after announcing all of it,
    'half-unannounced' sends half with no Content-Length."""

    mode = "whole"
    requests: list[str]

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: test output stays readable."""

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.mode == "whole":
            super().do_GET()
            return
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        if self.mode == "half":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.close_connection = True


@contextmanager
def serve(folder: Path, mode: str = "whole") -> Iterator[Served]:
    """Serve `folder` as http://127.0.0.1:<port>/<folder name>/ from a thread, for one test."""
    served = Served(url="")
    handler = type("Handler", (_Handler,), {"mode": mode, "requests": served.requests})
    factory = functools.partial(handler, directory=str(folder.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), factory)
    # A short poll interval: shutdown() waits for it, once per test.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}/{folder.name}/"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
