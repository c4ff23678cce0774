"""Where shapes come from: Census place files (checked zips), plotly-geo's states and counties."""

from __future__ import annotations

import functools
import hashlib
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

import geopandas as gpd
import pyogrio
import pyogrio.errors
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.boundaries.geometry import NAD83, STYLES, WGS84, screen_geometry
from geo.config import Settings

Progress = Callable[[str], None]

PACKAGE = "plotly-geo"
PACKAGE_VINTAGE = 2016
PACKAGE_STEMS = {"state": "cb_2016_us_state_500k", "county": "cb_2016_us_county_500k"}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")
PLACE_FILE = "cb_{year}_{fips}_place_500k.zip"
PLACE_GEOID_DIGITS = 7
PUBLIC_FILE_MODE = 0o644  # what a file written by this package is, once complete


class SourceError(Exception):
    """One source file could not be had or read; the message says which and why."""


class SourceUnreachable(SourceError):
    """The source as a whole cannot be reached (no answer, no such folder): stop asking it."""


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


READ_ERRORS = (
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
    except READ_ERRORS as error:
        raise SourceError(f"{label} holds no readable shapefile ({error})") from error
    if "GEOID" not in fields:
        raise SourceError(f"{label} has no GEOID column")


def read_geoid_layer(path: Path, label: str, geoids: Iterable[str] | None) -> gpd.GeoDataFrame:
    """GEOID and geometry of a shapefile (or a zip holding one), in EPSG:4326."""
    try:
        frame = pyogrio.read_dataframe(path, columns=["GEOID"])
    except READ_ERRORS as error:
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


def geometry_by_geoid(frame: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    """One geometry per GEOID; a GEOID split over several rows is unioned (rare, and slow)."""
    parts: dict[str, list[BaseGeometry]] = {}
    for geoid, geometry in zip(frame["GEOID"], frame.geometry, strict=True):
        parts.setdefault(str(geoid), []).append(geometry)
    return {
        geoid: items[0] if len(items) == 1 else shapely.union_all(items)
        for geoid, items in parts.items()
    }
