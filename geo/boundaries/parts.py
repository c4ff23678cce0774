"""The served boundaries in parts: what the first view draws, and city polygons per state.

At the national view a city is a marker a few pixels wide, and its polygon (about 1.1 KB of
GeoJSON) lies under it unseen; with thousands of cities those polygons were most of a first
visit's bytes (issue 24: 1.4 MB of the app's first render at 5,000 places). So both editions
get the outlines, states and counties up front, and each state's cities as a file of their
own, which geo/static/frt-shapes.js fetches when the map is zoomed in over them. The first
part lists the others: each state's key, the bounds of its cities and the file's name.

Pure functions over the served GeoJSON document; writing the files is each edition's job
(the app names them by content hash in its cache, the static site beside its pages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from geo.records import Jurisdiction

CITY = "city"
INDEX_KEY = "frtCities"  # the first part's list of city parts (a GeoJSON foreign member)

Bounds = tuple[tuple[float, float], tuple[float, float]]  # (south, west), (north, east)


@dataclass(frozen=True)
class CityPart:
    """One state's city polygons: `key` is the state's postal code, lower case."""

    key: str
    bounds: Bounds
    features: tuple[dict[str, Any], ...]


def _points(geometry: Mapping[str, Any]) -> Iterable[tuple[float, float]]:
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry.get("type") == "Polygon" else coordinates
    for polygon in polygons:
        for ring in polygon:
            for point in ring:
                yield float(point[0]), float(point[1])


def bounds_of(features: Iterable[Mapping[str, Any]]) -> Bounds:
    """The box around every point of `features` (Leaflet's order: latitude first)."""
    xs: list[float] = []
    ys: list[float] = []
    for feature in features:
        for x, y in _points(feature.get("geometry") or {}):
            xs.append(x)
            ys.append(y)
    if not xs:
        raise ValueError("no points to bound")
    return (min(ys), min(xs)), (max(ys), max(xs))


def split_cities(
    document: Mapping[str, Any], state_of: Mapping[str, str]
) -> tuple[list[dict[str, Any]], list[CityPart]]:
    """The features drawn up front (every one that is not a city), and the cities grouped by
    their state (`state_of`: city id -> postal code), parts in key order, features in the
    document's order. A city missing from `state_of` is a ValueError: it would be lost."""
    first: list[dict[str, Any]] = []
    grouped: dict[str, list[dict[str, Any]]] = {}
    for feature in document.get("features") or []:
        properties = feature.get("properties") or {}
        if properties.get("level") != CITY:
            first.append(feature)
            continue
        city_id = str(properties.get("id"))
        if not state_of.get(city_id):
            raise ValueError(f"city {city_id!r} has no state to file it under")
        grouped.setdefault(state_of[city_id].lower(), []).append(feature)
    parts = [
        CityPart(key, bounds_of(features), tuple(features))
        for key, features in sorted(grouped.items())
    ]
    return first, parts


def part_document(part: CityPart) -> dict[str, Any]:
    """One state's cities as a GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": list(part.features)}


def index_entry(part: CityPart, file_name: str) -> dict[str, Any]:
    """What the first part says of one city part: its key, its cities' bounds, its file."""
    (south, west), (north, east) = part.bounds
    return {"key": part.key, "bounds": [[south, west], [north, east]], "file": file_name}


def city_states(jurisdictions: Iterable[Jurisdiction]) -> dict[str, str]:
    """Each city's state (its postal code), the key its polygon is filed under."""
    return {j.id: j.state for j in jurisdictions if j.level == CITY}


def first_document(
    features: list[dict[str, Any]], parts: Iterable[CityPart], name_of: Callable[[CityPart], str]
) -> dict[str, Any]:
    """The first part: a FeatureCollection of the up-front features, listing the city parts
    (`name_of(part)`: the file each is served as)."""
    return {
        "type": "FeatureCollection",
        "features": features,
        INDEX_KEY: [index_entry(part, name_of(part)) for part in parts],
    }
