"""The served GeoJSON: one compact FeatureCollection in a stable order, and reading it back."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.boundaries.geometry import SOURCE_OF_LEVEL, WGS84, count_vertices

LEVEL_ORDER = {"outline": 0, "state": 1, "county": 2, "city": 3}


def frame_of(rows: list[tuple[str, str, str, BaseGeometry]], index_name: str) -> gpd.GeoDataFrame:
    ids = [r[0] for r in rows]
    return gpd.GeoDataFrame(
        {"level": [r[1] for r in rows], "source": [r[2] for r in rows]},
        geometry=[r[3] for r in rows],
        index=pd.Index(ids, name=index_name, dtype="object"),
        crs=WGS84,
    )


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
    return frame_of(rows, "id"), frame_of(outline_rows, "geoid")


def geojson_vertices(data: bytes) -> int:
    """Vertices in served GeoJSON, counted from the text itself."""
    document = json.loads(data)
    return count_vertices(shape(f["geometry"]) for f in document["features"])
