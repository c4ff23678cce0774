"""The boundaries in a compact form for the static pages: integers on each shape's grid, each
point stored as the step from the one before.

geo.boundaries already puts every coordinate on a decimal grid (4 decimals for cities, 3 for
states, 2 for the background states). Written as GeoJSON, each point costs about 20
characters (`[-122.3321,37.7988],`); as steps on the grid, about 7 (`-46,15,`). The page's
script adds the steps back up and divides by the grid (map.js, `decodeShapes`), which gives
exactly the same numbers: an integer divided by a power of ten is the nearest double to the
decimal, in Python and in JavaScript alike.

    {"encoding": "frt-steps-1",
     "features": [{"id": "ca-oakland", "level": "city", "decimals": 4,
                   "polygons": [[[x0, y0, dx1, dy1, ...], [hole ...]], ...]}]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

ENCODING = "frt-steps-1"
MAX_DECIMALS = 7  # about a centimetre: beyond any grid geo.boundaries uses

Ring = Sequence[Sequence[float]]


def decimals_of(value: float) -> int:
    """The decimals a coordinate needs (0.5 -> 1, 37.7988 -> 4, 12.0 -> 0)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


def polygons_of(geometry: dict[str, Any] | None) -> list[list[Ring]]:
    """The polygons (each a list of rings) of a Polygon or MultiPolygon; none for anything else."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def grid_of(polygons: Iterable[Iterable[Ring]]) -> int:
    """The finest grid any coordinate of the shape is on (at most MAX_DECIMALS)."""
    found = [decimals_of(v) for polygon in polygons for ring in polygon for pt in ring for v in pt]
    return min(max(found, default=0), MAX_DECIMALS)


def ring_steps(ring: Ring, decimals: int) -> list[int]:
    """A ring as integers on the grid: the first point, then each step from the one before."""
    scale = 10**decimals
    out: list[int] = []
    last_x = last_y = 0
    for point in ring:
        x, y = round(point[0] * scale), round(point[1] * scale)
        out += [x - last_x, y - last_y]
        last_x, last_y = x, y
    return out


def ring_points(steps: Sequence[int], decimals: int) -> list[list[float]]:
    """The inverse of ring_steps (what map.js does), for tests and tools."""
    scale = 10**decimals
    points, x, y = [], 0, 0
    for n in range(0, len(steps), 2):
        x, y = x + steps[n], y + steps[n + 1]
        points.append([x / scale, y / scale])
    return points


def compact_feature(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature.get("properties") or {}
    polygons = polygons_of(feature.get("geometry"))
    decimals = grid_of(polygons)
    return {
        "id": props.get("id"),
        "level": props.get("level"),
        "decimals": decimals,
        "polygons": [[ring_steps(ring, decimals) for ring in polygon] for polygon in polygons],
    }


def compact_features(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """GeoJSON features as the compact form the static map reads."""
    return {"encoding": ENCODING, "features": [compact_feature(f) for f in features]}


def compact_shapes(geojson: bytes) -> dict[str, Any]:
    """geo.boundaries' GeoJSON (bytes) as the compact form the static map reads."""
    collection = json.loads(geojson.decode("utf-8"))
    return compact_features(collection.get("features") or [])


def expand_shapes(compact: dict[str, Any]) -> list[dict[str, Any]]:
    """The compact form back as GeoJSON features (MultiPolygons), as map.js builds them."""
    return [
        {
            "type": "Feature",
            "properties": {"id": f["id"], "level": f["level"]},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [ring_points(ring, f["decimals"]) for ring in polygon]
                    for polygon in f["polygons"]
                ],
            },
        }
        for f in compact["features"]
    ]
