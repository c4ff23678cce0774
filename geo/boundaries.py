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
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.client
import json
import math
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
import shapely.errors
from shapely import affinity
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.config import DEFAULT_CENSUS_TIMEOUT, Settings, SettingsError, get_settings
from geo.records import DataError, Dataset, Jurisdiction, load_dataset

Progress = Callable[[str], None]
Outcome = Literal["polygon", "missing", "point", "abroad"]

FORMAT_VERSION = 1
NAD83 = "EPSG:4269"
WGS84 = "EPSG:4326"
PACKAGE = "plotly-geo"
PACKAGE_VINTAGE = 2016
PACKAGE_STEMS = {"state": "cb_2016_us_state_500k", "county": "cb_2016_us_county_500k"}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")
PLACE_FILE = "cb_{year}_{fips}_place_500k.zip"
PLACE_GEOID_DIGITS = 7

DOWNLOAD_TIMEOUT = DEFAULT_CENSUS_TIMEOUT  # seconds for the connection and for each read
DOWNLOAD_DEADLINE_FACTOR = 10  # a whole file may take at most this many timeouts
MAX_DOWNLOAD_BYTES = 100_000_000  # the largest place file (Texas) is about 1.5 MB
CHUNK_BYTES = 64 * 1024
USER_AGENT = "frt-map boundaries builder (python urllib)"

BUDGET_BYTES = 450_000  # all GeoJSON the browser gets (404,882 with 76 polygons, Nov 2026)
METRES_PER_DEGREE = 111_320.0  # one degree of latitude, near enough for tolerances

PUBLIC_FILE_MODE = 0o644
MANIFEST_NAME = "manifest.json"
SERVED_DIR = "served"  # only served files live here: the app serves this whole folder


class SourceError(Exception):
    """One source file could not be had or read; the message says which and why."""


class SourceUnreachable(SourceError):
    """The source as a whole cannot be reached (no answer, no such folder): stop asking it."""


@dataclass(frozen=True)
class Style:
    """How one kind of feature is prepared for the screen.

    `tolerance_m`: Douglas-Peucker tolerance in metres (no vertex moves further than this);
    `decimals`: coordinate decimals (4 is about 11 m, 3 about 110 m, 2 about 1.1 km);
    `min_part_m`: islands and holes smaller than a square of this side are dropped.
    """

    tolerance_m: float
    decimals: int
    min_part_m: float = 0.0

    @property
    def tolerance_deg(self) -> float:
        return self.tolerance_m / METRES_PER_DEGREE

    @property
    def min_part_area(self) -> float:
        return (self.min_part_m / METRES_PER_DEGREE) ** 2

    def as_dict(self) -> dict[str, float]:
        return {
            "tolerance_m": self.tolerance_m,
            "decimals": self.decimals,
            "min_part_m": self.min_part_m,
        }


# Leaflet shows a pixel of 156543 m * cos(lat) / 2**zoom (58 m at 40°N, zoom 11), and draws
# polygons simplified by one more pixel anyway. Cities must look right at zoom 11-12: 40 m
# (< 1 px there). Counties are drawn from zoom 9, states from zoom 4-7; the outline of the
# other states is background only. Measured on the real data, see `python -m geo.boundaries`.
STYLES: dict[str, Style] = {
    "city": Style(tolerance_m=40, decimals=4),
    "county": Style(tolerance_m=60, decimals=4),
    "state": Style(tolerance_m=2500, decimals=3, min_part_m=5000),
    "outline": Style(tolerance_m=5000, decimals=2, min_part_m=10000),
}
SOURCE_OF_LEVEL = {"city": "place", "county": "county", "state": "state"}


# --- geometry for the screen -------------------------------------------------------------


def polygons_of(geometry: BaseGeometry) -> list[Polygon]:
    """The non-empty polygons inside any geometry (points and lines are dropped)."""
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, MultiPolygon | GeometryCollection):
        return [p for part in geometry.geoms for p in polygons_of(part)]
    return []


def polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    """Only the polygonal part, as one Polygon or MultiPolygon (empty if there is none)."""
    polygons = polygons_of(geometry)
    if not polygons:
        return Polygon()
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def drop_small_parts(geometry: BaseGeometry, min_area: float) -> Polygon | MultiPolygon:
    """Drop islands and holes under `min_area`; the largest part always stays."""
    polygons = polygons_of(geometry)
    if min_area <= 0 or not polygons:
        return polygonal(geometry)
    largest = max(polygons, key=lambda p: p.area)
    kept = [
        Polygon(p.exterior, [ring for ring in p.interiors if Polygon(ring).area >= min_area])
        for p in polygons
        if p is largest or p.area >= min_area
    ]
    return polygonal(MultiPolygon(kept) if len(kept) > 1 else kept[0])


def _isotropic(
    geometry: BaseGeometry,
) -> tuple[BaseGeometry, Callable[[BaseGeometry], BaseGeometry]]:
    """Squeeze longitudes by cos(latitude) so a degree means the same distance both ways."""
    minx, miny, maxx, maxy = geometry.bounds
    origin = ((minx + maxx) / 2, (miny + maxy) / 2)
    factor = math.cos(math.radians(origin[1]))

    def restore(local: BaseGeometry) -> BaseGeometry:
        return affinity.scale(local, xfact=1 / factor, yfact=1.0, origin=origin)

    return affinity.scale(geometry, xfact=factor, yfact=1.0, origin=origin), restore


def round_coordinates(geometry: BaseGeometry, decimals: int) -> BaseGeometry:
    """Coordinates as the shortest decimals (the grid is already applied; this fixes floats)."""
    return shapely.transform(geometry, lambda xy: np.round(xy, decimals))


def valid_polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    """Valid and polygonal; `make_valid` (slow on big shapes) only runs when it must."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    return polygonal(geometry)


def screen_geometry(geometry: BaseGeometry, style: Style) -> Polygon | MultiPolygon:
    """A geometry as the browser gets it: simplified, on the grid, valid and polygonal."""
    source = valid_polygonal(geometry)
    if source.is_empty:
        return source
    local, restore = _isotropic(source)
    local = drop_small_parts(local, style.min_part_area)
    local = shapely.simplify(local, style.tolerance_deg, preserve_topology=True)
    # Snap rounding keeps the result valid; slivers narrower than the grid disappear.
    snapped = valid_polygonal(shapely.set_precision(restore(local), 10.0**-style.decimals))
    # Already on the grid: rounding only shortens the floats, but check validity again.
    rounded = valid_polygonal(round_coordinates(snapped, style.decimals))
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    return shapely.orient_polygons(rounded, exterior_cw=False)


def count_vertices(geometries: Iterable[BaseGeometry]) -> int:
    """Coordinates as written in GeoJSON (a ring's closing point counts)."""
    return int(sum(shapely.get_num_coordinates(g) for g in geometries))


# --- sources -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFile:
    kind: str  # 'place' | 'county' | 'state'
    name: str
    origin: str  # the URL or path it came from
    sha256: str
    vintage: int

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "file": self.name,
            "origin": self.origin,
            "sha256": self.sha256,
            "vintage": self.vintage,
        }


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def place_file_name(year: int, fips: str) -> str:
    return PLACE_FILE.format(year=year, fips=fips)


def place_url(source: str, name: str) -> str:
    if not is_url(source):
        raise ValueError(f"not an http(s) URL: {source!r}")
    return source.rstrip("/") + "/" + name


def download_dir(settings: Settings) -> Path:
    """Downloads are kept per source, so a recorded origin is always where a file came from."""
    key = sha256_bytes(settings.census_source.encode("utf-8"))[:12]
    return settings.cache_dir / "census" / key


_READ_ERRORS = (
    OSError,
    IndexError,  # pyogrio 0.13 raises it for a file with no readable layer
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
)


def verify_zip(path: Path, label: str) -> None:
    """A complete zip (every member's CRC checks) holding a readable shapefile with GEOIDs,
    or `SourceError`."""
    if not zipfile.is_zipfile(path):
        raise SourceError(f"{label} is not a zip file (truncated or damaged)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            damaged = archive.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise SourceError(f"{label} is a damaged zip file ({error})") from error
    if damaged is not None:
        raise SourceError(f"{label} is damaged: {damaged} fails its checksum")
    suffixes = {Path(name).suffix.lower() for name in names}
    missing = [s for s in SHAPEFILE_PARTS if s not in suffixes]
    if missing:
        raise SourceError(f"{label} holds no shapefile ({', '.join(missing)} missing)")
    try:
        fields = pyogrio.read_info(path)["fields"]
    except _READ_ERRORS as error:
        raise SourceError(f"{label} holds no readable shapefile ({error})") from error
    if "GEOID" not in fields:
        raise SourceError(f"{label} has no GEOID column")


def _content_length(response: http.client.HTTPResponse) -> int | None:
    raw = response.headers.get("Content-Length")
    return int(raw) if raw is not None and raw.strip().isdigit() else None


def _truncated(url: str, received: int, expected: int | None) -> SourceError:
    of = f" of {expected:,}" if expected is not None else ""
    return SourceError(f"the download of {url} is truncated ({received:,}{of} bytes)")


def _fetch(url: str, target: Path, timeout: float) -> None:
    """Write the body of `url` to `target`; every fault becomes a `SourceError`."""
    # place_url() only makes http(s) URLs, which is what S310 asks to check.
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    deadline = time.monotonic() + timeout * DOWNLOAD_DEADLINE_FACTOR
    expected: int | None = None
    received = 0
    try:
        # urlopen's timeout bounds the connection and each read; the deadline, the whole file.
        with (
            urllib.request.urlopen(request, timeout=timeout) as response,  # noqa: S310
            target.open("wb") as out,
        ):
            expected = _content_length(response)
            while chunk := response.read(CHUNK_BYTES):
                received += len(chunk)
                if received > MAX_DOWNLOAD_BYTES:
                    raise SourceError(f"{url} is larger than {MAX_DOWNLOAD_BYTES:,} bytes")
                if time.monotonic() > deadline:
                    limit = timeout * DOWNLOAD_DEADLINE_FACTOR
                    raise SourceUnreachable(f"{url} took longer than {limit:g} s")
                out.write(chunk)
    except urllib.error.HTTPError as error:
        error.close()
        raise SourceError(f"{url} answered HTTP {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        raise SourceUnreachable(f"{url} could not be reached ({error.reason})") from error
    except TimeoutError as error:
        raise SourceUnreachable(f"{url} did not answer within {timeout:g} s") from error
    except http.client.IncompleteRead as error:
        raise _truncated(url, received + len(error.partial), expected) from error
    except (http.client.HTTPException, OSError) as error:
        raise SourceError(f"the download of {url} failed ({error!r})") from error
    # http.client may end a short body quietly, so the length is checked here too.
    if expected is not None and received != expected:
        raise _truncated(url, received, expected)


def download(url: str, dest: Path, timeout: float) -> None:
    """Download to a temporary file, check it, then rename: `dest` is never half a file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Hidden, and ending in .zip: GDAL only opens a zip by that extension.
    with tempfile.NamedTemporaryFile(
        dir=dest.parent, prefix=f".{dest.stem}.", suffix=".part.zip", delete=False
    ) as handle:
        part = Path(handle.name)
    try:
        _fetch(url, part, timeout)
        verify_zip(part, f"the download of {url}")
        part.chmod(PUBLIC_FILE_MODE)  # temporary files start private (0600)
        part.replace(dest)
    finally:
        part.unlink(missing_ok=True)


def obtain_place_file(
    settings: Settings, fips: str, timeout: float, progress: Progress
) -> tuple[Path, str]:
    """The local path of one state's place file and its origin (URL or path)."""
    name = place_file_name(settings.census_year, fips)
    source = settings.census_source
    if is_url(source):
        url = place_url(source, name)
        dest = download_dir(settings) / name
        if dest.is_file():
            try:
                verify_zip(dest, str(dest))
            except SourceError:
                dest.unlink()  # an earlier copy went bad on disk: fetch it again
            else:
                return dest, url
        progress(f"Downloading {url}")
        try:
            download(url, dest, timeout)
        except OSError as error:  # the cache folder cannot be written
            raise SourceError(f"{name} could not be saved in {dest.parent} ({error})") from error
        return dest, url
    folder = Path(source)
    if not folder.is_dir():
        raise SourceUnreachable(f"the folder {folder} does not exist")
    path = folder / name
    if not path.is_file():
        raise SourceError(f"{name} is not in {folder}")
    verify_zip(path, str(path))
    return path, str(path)


def read_geoid_layer(path: Path, label: str, geoids: Iterable[str] | None) -> gpd.GeoDataFrame:
    """GEOID and geometry of a shapefile (or a zip holding one), in EPSG:4326."""
    try:
        frame = pyogrio.read_dataframe(path, columns=["GEOID"])
    except _READ_ERRORS as error:
        raise SourceError(f"{label} could not be read ({error})") from error
    if "GEOID" not in frame.columns:
        raise SourceError(f"{label} has no GEOID column")
    if geoids is not None:
        frame = frame[frame["GEOID"].isin(set(geoids))]
    if frame.crs is None:  # Census cartographic boundaries are NAD83
        frame = frame.set_crs(NAD83)
    return frame.to_crs(WGS84)


def package_folder() -> Path:
    try:
        root = resources.files("_plotly_geo")
    except ModuleNotFoundError as error:
        raise SourceError(f"the {PACKAGE} package is not installed") from error
    return Path(str(root)) / "package_data"


@functools.cache
def package_files(kind: str) -> tuple[SourceFile, ...]:
    """The plotly-geo files of one layer, with their sha256 (hashed once per process)."""
    stem = PACKAGE_STEMS[kind]
    folder = package_folder()
    try:
        version = metadata.version(PACKAGE)
        return tuple(
            SourceFile(
                kind,
                f"{stem}{suffix}",
                f"{PACKAGE} {version}: {folder / (stem + suffix)}",
                sha256_file(folder / f"{stem}{suffix}"),
                PACKAGE_VINTAGE,
            )
            for suffix in SHAPEFILE_PARTS
        )
    except (OSError, metadata.PackageNotFoundError) as error:
        raise SourceError(f"{PACKAGE}'s {stem} files could not be read ({error})") from error


# Installed files do not change while the app runs: each layer is read and each shape
# simplified once per process (the offline fallback and every rebuild reuse them).
@functools.lru_cache(maxsize=64)
def package_geometries(kind: str, geoids: frozenset[str] | None) -> Mapping[str, BaseGeometry]:
    """States or counties from plotly-geo by GEOID, in EPSG:4326 (all of them if no geoids)."""
    shp = package_folder() / f"{PACKAGE_STEMS[kind]}.shp"
    frame = read_geoid_layer(shp, f"{PACKAGE}'s {shp.name}", geoids)
    return MappingProxyType(geometry_by_geoid(frame))


@functools.lru_cache(maxsize=256)
def package_screen(kind: str, geoid: str, level: str) -> Polygon | MultiPolygon | None:
    """The screen geometry of one state or county (`level` picks the style), None if absent."""
    geometries = package_geometries(kind, None if kind == "state" else frozenset({geoid}))
    if geoid not in geometries:
        return None
    return screen_geometry(geometries[geoid], STYLES[level])


# --- coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """What one jurisdiction got: a polygon, or why not."""

    id: str
    level: str
    geoid: str
    outcome: Outcome
    source: str = ""  # 'place' | 'county' | 'state' when there is a polygon
    vertices: int = 0
    reason: str = ""
    # Why there is no polygon: 'unreachable' | 'not-built' | 'not-found' | 'source' | 'empty'.
    cause: str = ""

    def result(self) -> str:
        if self.outcome == "polygon":
            return f"-> {self.source} polygon ({self.vertices:,} vertices)"
        if self.outcome == "abroad":
            return "-> not mapped (outside the US)"
        if self.outcome == "point":
            return f"-> point: {self.reason}"
        return f"-> none: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "level": self.level,
            "geoid": self.geoid,
            "outcome": self.outcome,
            "source": self.source,
            "vertices": self.vertices,
            "reason": self.reason,
            "cause": self.cause,
        }


def coverage_from_dict(raw: Mapping[str, object]) -> Coverage:
    outcome = str(raw["outcome"])
    if outcome not in ("polygon", "missing", "point", "abroad"):
        raise ValueError(f"unknown outcome {outcome!r}")
    return Coverage(
        id=str(raw["id"]),
        level=str(raw["level"]),
        geoid=str(raw["geoid"]),
        outcome=outcome,  # type: ignore[arg-type]
        source=str(raw["source"]),
        vertices=int(str(raw["vertices"])),
        reason=str(raw["reason"]),
        cause=str(raw["cause"]),
    )


def report_lines(coverage: Sequence[Coverage]) -> list[str]:
    """One aligned line per jurisdiction: `id  level  geoid  -> result`."""
    if not coverage:
        return []
    width_id = max(len(c.id) for c in coverage)
    width_level = max(len(c.level) for c in coverage)
    width_geoid = max(len(c.geoid) for c in coverage)
    return [
        f"{c.id:<{width_id}}  {c.level:<{width_level}}  {c.geoid:<{width_geoid}}  {c.result()}"
        for c in coverage
    ]


def _missing(j: Jurisdiction, reason: str, cause: str) -> Coverage:
    return Coverage(j.id, j.level, j.geoid, "missing", reason=reason, cause=cause)


def places_needed(dataset: Dataset) -> dict[str, list[Jurisdiction]]:
    """Cities with a place GEOID, by state FIPS (the files to read), in a stable order."""
    by_state: dict[str, list[Jurisdiction]] = {}
    for j in dataset.jurisdictions:
        if j.level == "city" and len(j.geoid) == PLACE_GEOID_DIGITS:
            by_state.setdefault(j.geoid[:2], []).append(j)
    return dict(sorted(by_state.items()))


def dataset_key(dataset: Dataset) -> str:
    """Changes whenever a US jurisdiction's id, level or GEOID does (not names or events)."""
    rows = sorted([j.id, j.level, j.geoid] for j in dataset.jurisdictions if j.is_us)
    return sha256_bytes(json.dumps(rows, separators=(",", ":")).encode("utf-8"))


# --- the build -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BuildResult:
    """Everything one build produced; `served_path` and `manifest_path` once written."""

    polygons: gpd.GeoDataFrame  # index: jurisdiction id; columns: level, source, geometry
    outline: gpd.GeoDataFrame  # the other states, background only; index: state GEOID
    coverage: tuple[Coverage, ...]
    sources: tuple[SourceFile, ...]
    geojson: bytes
    dataset_key: str
    census_source: str
    census_year: int
    unreachable: str = ""  # why the place source could not be reached, if it could not
    places_fetched: bool = True
    built_at: str = ""
    served_path: Path | None = None
    manifest_path: Path | None = None

    @property
    def complete(self) -> bool:
        return not any(c.outcome == "missing" for c in self.coverage)

    @property
    def errors(self) -> list[str]:
        return [
            f"{c.id} ({c.level}, GEOID {c.geoid}): {c.reason}"
            for c in self.coverage
            if c.outcome == "missing"
        ]

    @property
    def size(self) -> int:
        return len(self.geojson)

    @property
    def vertices(self) -> int:
        return geojson_vertices(self.geojson)

    @property
    def within_budget(self) -> bool:
        return self.size <= BUDGET_BYTES

    @property
    def all_valid(self) -> bool:
        geometries = np.asarray([*self.polygons.geometry, *self.outline.geometry])
        return bool(shapely.is_valid(geometries).all())


def _quiet(_message: str) -> None:
    """The default progress callback says nothing."""


def _frame(rows: list[tuple[str, str, str, BaseGeometry]], index_name: str) -> gpd.GeoDataFrame:
    ids = [r[0] for r in rows]
    return gpd.GeoDataFrame(
        {"level": [r[1] for r in rows], "source": [r[2] for r in rows]},
        geometry=[r[3] for r in rows],
        index=pd.Index(ids, name=index_name, dtype="object"),
        crs=WGS84,
    )


def _read_places(
    dataset: Dataset,
    settings: Settings,
    *,
    fetch: bool,
    timeout: float,
    progress: Progress,
) -> tuple[dict[str, BaseGeometry], dict[str, Coverage], list[SourceFile], str]:
    """City geometries by id, misses by id, the files read, and why the source is out of reach."""
    found: dict[str, BaseGeometry] = {}
    misses: dict[str, Coverage] = {}
    files: list[SourceFile] = []
    unreachable = ""
    needed = places_needed(dataset)
    for n, (fips, cities) in enumerate(needed.items(), start=1):
        name = place_file_name(settings.census_year, fips)
        if not fetch:
            for j in cities:
                misses[j.id] = _missing(j, "city boundaries were not built", "not-built")
            continue
        if unreachable:
            for j in cities:
                misses[j.id] = _missing(j, f"source unreachable: {unreachable}", "unreachable")
            continue
        progress(f"City boundaries: {name} ({n} of {len(needed)})")
        try:
            path, origin = obtain_place_file(settings, fips, timeout, progress)
            frame = read_geoid_layer(path, name, [j.geoid for j in cities])
            files.append(SourceFile("place", name, origin, sha256_file(path), settings.census_year))
        except SourceUnreachable as error:
            unreachable = str(error)
            for j in cities:
                misses[j.id] = _missing(j, f"source unreachable: {error}", "unreachable")
            continue
        except (SourceError, OSError) as error:  # OSError: the download cache went bad
            for j in cities:
                misses[j.id] = _missing(j, str(error), "source")
            continue
        by_geoid = geometry_by_geoid(frame)
        for j in cities:
            if j.geoid in by_geoid:
                found[j.id] = by_geoid[j.geoid]
            else:
                reason = f"GEOID {j.geoid} is not in {name}"
                misses[j.id] = _missing(j, reason, "not-found")
    return found, misses, files, unreachable


def geometry_by_geoid(frame: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    """One geometry per GEOID; a GEOID split over several rows is unioned (rare, and slow)."""
    parts: dict[str, list[BaseGeometry]] = {}
    for geoid, geometry in zip(frame["GEOID"], frame.geometry, strict=True):
        parts.setdefault(str(geoid), []).append(geometry)
    return {
        geoid: items[0] if len(items) == 1 else shapely.union_all(items)
        for geoid, items in parts.items()
    }


def _package_polygon(j: Jurisdiction) -> tuple[Coverage, BaseGeometry | None]:
    """A state's or county's screen polygon from plotly-geo, or the reason there is none."""
    try:
        screen = package_screen(j.level, j.geoid, j.level)
    except SourceError as error:
        return _missing(j, str(error), "source"), None
    if screen is None:
        reason = f"GEOID {j.geoid} is not in {PACKAGE_STEMS[j.level]} (Census {PACKAGE_VINTAGE})"
        return _missing(j, reason, "not-found"), None
    return _drawn(j, screen)


def _drawn(j: Jurisdiction, screen: BaseGeometry) -> tuple[Coverage, BaseGeometry | None]:
    if screen.is_empty:
        return _missing(j, "nothing left after simplification", "empty"), None
    source = SOURCE_OF_LEVEL[j.level]
    return Coverage(j.id, j.level, j.geoid, "polygon", source, count_vertices([screen])), screen


def _outline(data_states: set[str]) -> list[tuple[str, str, str, BaseGeometry]]:
    """Every state the data does not hold, coarse, as background."""
    try:
        geoids = sorted(package_geometries("state", None))
    except SourceError:
        return []  # no background; the data's states report the same error themselves
    rows = []
    for geoid in geoids:
        if geoid in data_states:
            continue
        screen = package_screen("state", geoid, "outline")
        if screen is not None and not screen.is_empty:
            rows.append((geoid, "outline", "state", screen))
    return rows


def _package_files(dataset: Dataset) -> list[SourceFile]:
    """The plotly-geo files this build read (the state file always: it draws the outline)."""
    kinds = ["state"] + (
        ["county"] if any(j.level == "county" for j in dataset.jurisdictions) else []
    )
    files: list[SourceFile] = []
    for kind in kinds:
        try:
            files += package_files(kind)
        except SourceError:
            continue  # the layer's own read reports this on every jurisdiction that needs it
    return files


def assemble(
    dataset: Dataset,
    settings: Settings,
    *,
    fetch_places: bool = True,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Join every US jurisdiction to its screen-ready polygon, in memory (nothing written).

    `timeout`: seconds for a connection or a read; None means `settings.census_timeout`.
    """
    say = progress or _quiet
    timeout = settings.census_timeout if timeout is None else timeout
    places, misses, place_files, unreachable = _read_places(
        dataset, settings, fetch=fetch_places, timeout=timeout, progress=say
    )
    say(f"Simplifying boundaries (states and counties: Census {PACKAGE_VINTAGE}, {PACKAGE})")
    coverage: list[Coverage] = []
    rows: list[tuple[str, str, str, BaseGeometry]] = []
    for j in dataset.jurisdictions:
        if not j.is_us:
            line, screen = Coverage(j.id, j.level, j.geoid, "abroad"), None
        elif j.level == "city" and len(j.geoid) != PLACE_GEOID_DIGITS:
            reason = "a county subdivision (10-digit GEOID); place files have no polygon for it"
            line, screen = Coverage(j.id, j.level, j.geoid, "point", reason=reason), None
        elif j.id in misses:
            line, screen = misses[j.id], None
        elif j.level == "city":
            line, screen = _drawn(j, screen_geometry(places[j.id], STYLES["city"]))
        else:
            line, screen = _package_polygon(j)
        coverage.append(line)
        if screen is not None:
            rows.append((j.id, j.level, SOURCE_OF_LEVEL[j.level], screen))
    data_states = {j.geoid for j in dataset.jurisdictions if j.level == "state"}
    polygons = _frame(rows, "id")
    outline = _frame(_outline(data_states), "geoid")
    return BuildResult(
        polygons=polygons,
        outline=outline,
        coverage=tuple(coverage),
        sources=tuple(_package_files(dataset) + place_files),
        geojson=to_geojson(polygons, outline),
        dataset_key=dataset_key(dataset),
        census_source=settings.census_source,
        census_year=settings.census_year,
        unreachable=unreachable,
        places_fetched=fetch_places,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


# --- GeoJSON -------------------------------------------------------------------------------

LEVEL_ORDER = {"outline": 0, "state": 1, "county": 2, "city": 3}


def _feature(feature_id: str, level: str, source: str, geometry: BaseGeometry) -> dict:
    # Only what joins a shape to the data: names and statuses come from the data itself.
    return {
        "type": "Feature",
        "properties": {"id": feature_id, "level": level, "source": source},
        "geometry": mapping(geometry),
    }


def to_geojson(polygons: gpd.GeoDataFrame, outline: gpd.GeoDataFrame) -> bytes:
    """The one FeatureCollection the browser gets: compact, in a stable order."""
    features = [
        _feature(f"outline-{geoid}", "outline", "state", geometry)
        for geoid, geometry in zip(outline.index, outline.geometry, strict=True)
    ]
    ordered = sorted(
        zip(polygons.index, polygons["level"], polygons["source"], polygons.geometry, strict=True),
        key=lambda row: (LEVEL_ORDER[row[1]], row[0]),
    )
    features += [_feature(*row) for row in ordered]
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, separators=(",", ":"), allow_nan=False).encode("utf-8")


def frames_from_geojson(data: bytes) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """(polygons, outline) back from `to_geojson` output; ValueError if it is not that."""
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValueError("not a GeoJSON FeatureCollection")
    rows: list[tuple[str, str, str, BaseGeometry]] = []
    outline_rows: list[tuple[str, str, str, BaseGeometry]] = []
    for feature in document["features"]:
        props = feature["properties"]
        level, feature_id = str(props["level"]), str(props["id"])
        geometry = shape(feature["geometry"])
        if level == "outline":
            outline_rows.append((feature_id.removeprefix("outline-"), level, "state", geometry))
        elif level in SOURCE_OF_LEVEL:
            rows.append((feature_id, level, str(props["source"]), geometry))
        else:
            raise ValueError(f"unknown level {level!r}")
    return _frame(rows, "id"), _frame(outline_rows, "geoid")


def geojson_vertices(data: bytes) -> int:
    """Vertices in served GeoJSON, counted from the text itself."""
    document = json.loads(data)
    return count_vertices(shape(f["geometry"]) for f in document["features"])


# --- the cache -----------------------------------------------------------------------------


def cache_folder(settings: Settings) -> Path:
    return settings.cache_dir / "boundaries"


def styles_dict() -> dict[str, dict[str, float]]:
    return {level: style.as_dict() for level, style in STYLES.items()}


def manifest_for(result: BuildResult, served_name: str) -> dict[str, object]:
    return {
        "format": FORMAT_VERSION,
        "built_at": result.built_at,
        "complete": result.complete,
        "places_fetched": result.places_fetched,
        "unreachable": result.unreachable,
        "dataset": {
            "key": result.dataset_key,
            "note": "sha256 of the sorted [id, level, geoid] of every US jurisdiction",
        },
        "census_source": result.census_source,
        "vintages": {
            "place": result.census_year,
            "state": PACKAGE_VINTAGE,
            "county": PACKAGE_VINTAGE,
        },
        "styles": styles_dict(),
        "sources": [s.as_dict() for s in result.sources],
        "output": {
            "file": f"{SERVED_DIR}/{served_name}",
            "sha256": sha256_bytes(result.geojson),
            "bytes": result.size,
            "vertices": result.vertices,
            "features": len(result.polygons) + len(result.outline),
            "crs": WGS84,
        },
        "coverage": [c.as_dict() for c in result.coverage],
    }


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as handle:
        temporary = Path(handle.name)
        handle.write(data)
    try:
        temporary.chmod(PUBLIC_FILE_MODE)  # temporary files start private (0600)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def write_cache(result: BuildResult, settings: Settings) -> BuildResult:
    """Write the GeoJSON (named by its hash, so browsers never keep a stale copy), then the
    manifest last, so a manifest always describes files that are complete."""
    folder = cache_folder(settings)
    served_name = f"boundaries-{sha256_bytes(result.geojson)[:16]}.geojson"
    served = folder / SERVED_DIR / served_name
    _write_atomic(served, result.geojson)
    manifest = folder / MANIFEST_NAME
    text = json.dumps(manifest_for(result, served_name), indent=1) + "\n"
    _write_atomic(manifest, text.encode("utf-8"))
    for old in served.parent.glob("boundaries-*.geojson"):
        if old != served:
            old.unlink(missing_ok=True)
    return replace(result, served_path=served, manifest_path=manifest)


# What parsing a damaged manifest or GeoJSON can raise (and nothing broader).
_DAMAGED_CACHE_ERRORS = (
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    shapely.errors.ShapelyError,
)


@dataclass(frozen=True)
class CacheRead:
    """A usable cache (manifest + the served bytes), or the problem with it."""

    manifest: dict | None = None
    data: bytes = b""
    path: Path | None = None
    problem: str = ""
    corrupt: bool = False


def read_cache(dataset: Dataset, settings: Settings) -> CacheRead:
    """The cache if it is intact and made for this data, these styles and this vintage."""
    folder = cache_folder(settings)
    manifest_path = folder / MANIFEST_NAME
    try:
        manifest = json.loads(manifest_path.read_bytes())
        served = folder / str(manifest["output"]["file"])
        expected_sha = str(manifest["output"]["sha256"])
        stale = _stale_reason(manifest, dataset, settings)
    except (FileNotFoundError, NotADirectoryError):
        return CacheRead(problem="no cache yet")
    except OSError as error:
        return CacheRead(problem=f"{manifest_path} cannot be read ({error})", corrupt=True)
    except _DAMAGED_CACHE_ERRORS as error:
        return CacheRead(problem=f"{manifest_path} is damaged ({error!r})", corrupt=True)
    if stale:
        return CacheRead(problem=stale)
    try:
        data = served.read_bytes()
    except OSError as error:
        return CacheRead(problem=f"{served} cannot be read ({error})", corrupt=True)
    if sha256_bytes(data) != expected_sha:
        problem = f"{served} does not match the sha256 in its manifest"
        return CacheRead(problem=problem, corrupt=True)
    return CacheRead(manifest=manifest, data=data, path=served)


def _stale_reason(manifest: dict, dataset: Dataset, settings: Settings) -> str:
    if manifest["format"] != FORMAT_VERSION:
        return "it was built by another version of the builder"
    if manifest["dataset"]["key"] != dataset_key(dataset):
        return "the data's jurisdictions changed since it was built"
    if manifest["vintages"]["place"] != settings.census_year:
        return f"it holds {manifest['vintages']['place']} place files, not {settings.census_year}"
    if manifest["styles"] != styles_dict():
        return "it was built with other tolerances"
    return ""


# --- loading for the app -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Boundaries:
    """What the map needs: polygons by jurisdiction id, the ids drawn as points, notices for
    the maintainer, and the GeoJSON served to the browser (bytes and cached file)."""

    polygons: gpd.GeoDataFrame  # index: jurisdiction id; columns: level, source, geometry
    outline: gpd.GeoDataFrame  # every other state, background only
    point_fallbacks: frozenset[str]  # US jurisdictions without a polygon
    notices: tuple[str, ...]
    served_path: Path | None  # the cached GeoJSON file, None if it could not be written
    geojson: bytes = field(repr=False)  # exactly what is served
    coverage: tuple[Coverage, ...] = ()

    @property
    def polygon_ids(self) -> frozenset[str]:
        return frozenset(self.polygons.index)


def served_geojson(boundaries: Boundaries) -> bytes:
    """The GeoJSON the browser gets (all of it: jurisdictions and the outline)."""
    return boundaries.geojson


def build_command(settings: Settings) -> str:
    return (
        f"FRT_CENSUS_SOURCE=/path/to/census FRT_CENSUS_YEAR={settings.census_year} "
        "python -m geo.boundaries build"
    )


def coverage_notices(
    coverage: Sequence[Coverage], unreachable: str, settings: Settings
) -> list[str]:
    """Plain words for the maintainer about every US jurisdiction that has no polygon."""
    missing = [c for c in coverage if c.outcome == "missing"]
    how = (
        f"To load them, run `{build_command(settings)}` with a folder holding the "
        f"{place_file_name(settings.census_year, 'SS')} files (SS = state FIPS code), then "
        f"restart the app. The source set now is {settings.census_source}."
    )
    notices = []
    if any(c.cause == "unreachable" for c in missing):
        notices.append(
            "City boundaries are not loaded: the Census source could not be reached "
            f"({unreachable}). Cities are shown as points. {how}"
        )
    if any(c.cause == "not-built" for c in missing):
        notices.append(
            "City boundaries are not loaded (not built for this data yet). Cities are shown "
            f"as points. {how}"
        )
    others = [c for c in missing if c.cause not in ("unreachable", "not-built")]
    if others:
        listed = "; ".join(f"{c.id} (GEOID {c.geoid}): {c.reason}" for c in others)
        notices.append(f"No boundary for {len(others)} place(s), shown as points: {listed}.")
    return notices


def _point_fallbacks(coverage: Iterable[Coverage]) -> frozenset[str]:
    return frozenset(c.id for c in coverage if c.outcome in ("missing", "point"))


def _from_cache(cache: CacheRead, settings: Settings) -> Boundaries:
    assert cache.manifest is not None
    manifest = cache.manifest
    polygons, outline = frames_from_geojson(cache.data)
    coverage = tuple(coverage_from_dict(raw) for raw in manifest["coverage"])
    notices = coverage_notices(coverage, str(manifest.get("unreachable", "")), settings)
    return Boundaries(
        polygons=polygons,
        outline=outline,
        point_fallbacks=_point_fallbacks(coverage),
        notices=tuple(notices),
        served_path=cache.path,
        geojson=cache.data,
        coverage=coverage,
    )


def _from_result(result: BuildResult, settings: Settings, notices: Sequence[str]) -> Boundaries:
    return Boundaries(
        polygons=result.polygons,
        outline=result.outline,
        point_fallbacks=_point_fallbacks(result.coverage),
        notices=(*notices, *coverage_notices(result.coverage, result.unreachable, settings)),
        served_path=result.served_path,
        geojson=result.geojson,
        coverage=result.coverage,
    )


def load_boundaries(
    dataset: Dataset,
    settings: Settings,
    *,
    allow_build: bool = True,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> Boundaries:
    """The boundaries for the map, from the cache when it is intact and current.

    Otherwise they are rebuilt (`allow_build`), or states and counties alone are prepared and
    cities fall back to points. I/O faults never raise: they become `notices`.
    """
    say = progress or _quiet
    notices: list[str] = []
    cache = read_cache(dataset, settings)
    if cache.manifest is not None:
        complete = bool(cache.manifest.get("complete"))
        if complete or not allow_build:
            try:
                return _from_cache(cache, settings)
            except _DAMAGED_CACHE_ERRORS as error:
                cache = CacheRead(problem=f"its GeoJSON is damaged ({error!r})", corrupt=True)
    if cache.corrupt:
        notices.append(f"The boundary cache was damaged and has been ignored: {cache.problem}.")
    if allow_build:
        say("Building boundaries (first start, or the data changed)")
    result = assemble(dataset, settings, fetch_places=allow_build, timeout=timeout, progress=say)
    try:
        result = write_cache(result, settings)
    except OSError as error:
        notices.append(f"Boundaries could not be cached in {settings.cache_dir} ({error}).")
    return _from_result(result, settings, notices)


def build(
    dataset: Dataset,
    settings: Settings,
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build from the sources and write the cache, whatever the coverage (it is recorded)."""
    result = assemble(dataset, settings, timeout=timeout, progress=progress)
    return write_cache(result, settings)


# --- command line --------------------------------------------------------------------------


def summary_lines(result: BuildResult) -> list[str]:
    us = [c for c in result.coverage if c.outcome != "abroad"]
    drawn = sum(c.outcome == "polygon" for c in us)
    points = sum(c.outcome == "point" for c in us)
    missing = sum(c.outcome == "missing" for c in us)
    abroad = len(result.coverage) - len(us)
    budget = "within" if result.within_budget else "OVER"
    lines = [
        f"coverage: {drawn} of {len(us)} US jurisdictions have a polygon, {missing} missing, "
        f"{points} drawn as points by design; {abroad} outside the US not mapped",
        f"served GeoJSON: {result.size:,} bytes ({budget} the {BUDGET_BYTES:,}-byte budget), "
        f"{result.vertices:,} vertices, {len(result.polygons)} jurisdiction features + "
        f"{len(result.outline)} outline states; geometries "
        f"{'all valid' if result.all_valid else 'NOT ALL VALID'}",
    ]
    if result.served_path is not None:
        lines.append(f"cache: {result.served_path}")
        lines.append(f"manifest: {result.manifest_path}")
    return lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.boundaries",
        description="Build the simplified boundaries the map serves, and report coverage.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser(
        "build",
        help="build from the sources and cache the result",
        description="Settings come from FRT_DATA_DIR, FRT_CENSUS_SOURCE, FRT_CENSUS_YEAR "
        "and FRT_CACHE_DIR.",
    )
    build_parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds to wait for a connection or a read "
        f"(default: FRT_CENSUS_TIMEOUT, else {DOWNLOAD_TIMEOUT:g})",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = get_settings()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        dataset = load_dataset(settings.data_dir)
    except DataError as error:
        print(error, file=sys.stderr)
        print(f"{settings.data_dir}: fix the data first (python -m geo.validate)", file=sys.stderr)
        return 1
    try:
        result = build(
            dataset,
            settings,
            timeout=args.timeout,
            progress=lambda message: print(message, file=sys.stderr),
        )
    except OSError as error:
        print(f"the cache in {settings.cache_dir} could not be written: {error}", file=sys.stderr)
        return 1
    print("\n".join(report_lines(result.coverage)))
    print()
    print("\n".join(summary_lines(result)))
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    return 0 if result.complete and result.within_budget and result.all_valid else 1


if __name__ == "__main__":
    sys.exit(main())
