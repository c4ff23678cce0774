"""The build: every US jurisdiction joined to its screen polygon, in memory (nothing written)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.boundaries.coverage import Coverage, dataset_key, missing, places_needed
from geo.boundaries.download import DownloadBar, obtain_place_file
from geo.boundaries.geojson import frame_of, geojson_vertices, to_geojson
from geo.boundaries.geometry import SOURCE_OF_LEVEL, STYLES, count_vertices, screen_geometry
from geo.boundaries.sources import (
    PACKAGE,
    PACKAGE_STEMS,
    PACKAGE_VINTAGE,
    PLACE_GEOID_DIGITS,
    Progress,
    SourceError,
    SourceFile,
    SourceUnreachable,
    geometry_by_geoid,
    package_files,
    package_geometries,
    package_screen,
    place_file_name,
    read_geoid_layer,
    sha256_file,
)
from geo.config import Settings
from geo.records import Dataset, Jurisdiction

BUDGET_BYTES = 450_000  # all GeoJSON the browser gets (404,882 with 76 polygons, Nov 2026)


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


def quiet(_message: str) -> None:
    """The default progress callback says nothing."""


def _read_places(
    dataset: Dataset,
    settings: Settings,
    *,
    fetch: bool,
    timeout: float,
    progress: Progress,
    bar: DownloadBar | None,
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
                misses[j.id] = missing(j, "city boundaries were not built", "not-built")
            continue
        if unreachable:
            for j in cities:
                misses[j.id] = missing(j, f"source unreachable: {unreachable}", "unreachable")
            continue
        progress(f"City boundaries: {name} ({n} of {len(needed)})")
        try:
            path, origin = obtain_place_file(settings, fips, timeout, progress, bar)
            frame = read_geoid_layer(path, name, [j.geoid for j in cities])
            files.append(SourceFile("place", name, origin, sha256_file(path), settings.census_year))
        except SourceUnreachable as error:
            unreachable = str(error)
            for j in cities:
                misses[j.id] = missing(j, f"source unreachable: {error}", "unreachable")
            continue
        except (SourceError, OSError) as error:  # OSError: the download cache went bad
            for j in cities:
                misses[j.id] = missing(j, str(error), "source")
            continue
        by_geoid = geometry_by_geoid(frame)
        for j in cities:
            if j.geoid in by_geoid:
                found[j.id] = by_geoid[j.geoid]
            else:
                reason = f"GEOID {j.geoid} is not in {name}"
                misses[j.id] = missing(j, reason, "not-found")
    return found, misses, files, unreachable


def _package_polygon(j: Jurisdiction) -> tuple[Coverage, BaseGeometry | None]:
    """A state's or county's screen polygon from plotly-geo, or the reason there is none."""
    try:
        screen = package_screen(j.level, j.geoid, j.level)
    except SourceError as error:
        return missing(j, str(error), "source"), None
    if screen is None:
        reason = f"GEOID {j.geoid} is not in {PACKAGE_STEMS[j.level]} (Census {PACKAGE_VINTAGE})"
        return missing(j, reason, "not-found"), None
    return _drawn(j, screen)


def _drawn(j: Jurisdiction, screen: BaseGeometry) -> tuple[Coverage, BaseGeometry | None]:
    if screen.is_empty:
        return missing(j, "nothing left after simplification", "empty"), None
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
    bar: DownloadBar | None = None,
) -> BuildResult:
    """Join every US jurisdiction to its screen-ready polygon, in memory (nothing written).

    `timeout`: seconds for a connection or a read; None means `settings.census_timeout`.
    `progress` hears each step in words; `bar` (pooch's progress bar protocol) each download.
    """
    say = progress or quiet
    timeout = settings.census_timeout if timeout is None else timeout
    places, misses, place_files, unreachable = _read_places(
        dataset, settings, fetch=fetch_places, timeout=timeout, progress=say, bar=bar
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
    polygons = frame_of(rows, "id")
    outline = frame_of(_outline(data_states), "geoid")
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
