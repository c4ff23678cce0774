"""Loading for the app: the cache when it is current, else a build; faults become notices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from geo.boundaries.build import BuildResult, assemble, quiet
from geo.boundaries.cache import DAMAGED_CACHE_ERRORS, CacheRead, read_cache, write_cache
from geo.boundaries.coverage import Coverage, coverage_from_dict
from geo.boundaries.download import DownloadBar
from geo.boundaries.geojson import frames_from_geojson
from geo.boundaries.sources import Progress, place_file_name
from geo.config import Settings
from geo.records import Dataset


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

    @property
    def public_notice(self) -> str | None:
        """What a visitor reads when cities lack their outlines (the `notices`, with the
        operator's command in them, go to the server's log instead)."""
        if not any(c.outcome == "missing" for c in self.coverage):
            return None
        return PUBLIC_NOTICE


PUBLIC_NOTICE = (
    "Some city outlines could not be loaded, so those cities are drawn as points. Every "
    "place's status and colour is the same either way."
)


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
    bar: DownloadBar | None = None,
) -> Boundaries:
    """The boundaries for the map, from the cache when it is intact and current.

    Otherwise they are rebuilt (`allow_build`), or states and counties alone are prepared and
    cities fall back to points. I/O faults never raise: they become `notices`.
    """
    say = progress or quiet
    notices: list[str] = []
    cache = read_cache(dataset, settings)
    if cache.manifest is not None:
        complete = bool(cache.manifest.get("complete"))
        if complete or not allow_build:
            try:
                return _from_cache(cache, settings)
            except DAMAGED_CACHE_ERRORS as error:
                cache = CacheRead(problem=f"its GeoJSON is damaged ({error!r})", corrupt=True)
    if cache.corrupt:
        notices.append(f"The boundary cache was damaged and has been ignored: {cache.problem}.")
    if allow_build:
        say("Building boundaries (first start, or the data changed)")
    result = assemble(
        dataset, settings, fetch_places=allow_build, timeout=timeout, progress=say, bar=bar
    )
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
    bar: DownloadBar | None = None,
) -> BuildResult:
    """Build from the sources and write the cache, whatever the coverage (it is recorded)."""
    result = assemble(dataset, settings, timeout=timeout, progress=progress, bar=bar)
    return write_cache(result, settings)
