"""Geometry for the screen: the styles, and simplifying a shape in metres onto a coordinate grid."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

NAD83 = "EPSG:4269"
WGS84 = "EPSG:4326"
METRES_PER_DEGREE = 111_320.0  # one degree of latitude, near enough for tolerances


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
