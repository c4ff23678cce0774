"""The downloads, for the app and the static edition alike: the validated tables as CSV,
every place's status on a date as GeoJSON, and the names the files are saved under."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from geo.csvsafe import csv_bytes
from geo.present import in_force_words, proposals_words, use_words
from geo.records import DATA_FILES, SESSIONS_FILE, Dataset, FileSpec, Jurisdiction, Record
from geo.timeline import snapshot
from geo.vocabulary import STATUS_LABELS

FILE_PREFIX = "frt"


def file_name(kind: str, on: date, extension: str) -> str:
    """`frt-events-2026-11-22.csv`: what, and the date the file stands for."""
    return f"{FILE_PREFIX}-{kind}-{on.isoformat()}.{extension}"


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def records_csv(records: Iterable[Record], spec: FileSpec) -> bytes:
    """The validated records as CSV: every column of the file, rows in file order, every
    field quoted and any formula neutralised (`geo.csvsafe`)."""
    rows = ([_cell(r.model_dump()[name]) for name in spec.columns] for r in records)
    return csv_bytes(spec.columns, rows)


def dataset_csvs(dataset: Dataset) -> dict[str, bytes]:
    """File name (`jurisdictions.csv`...) -> CSV bytes, for each of the three tables, and
    `sessions.csv` when the data lists sessions (without it the download would not validate)."""
    tables = (dataset.jurisdictions, dataset.events, dataset.quotes)
    files = {
        spec.name: records_csv(records, spec)
        for spec, records in zip(DATA_FILES, tables, strict=True)
    }
    if dataset.sessions:
        files[SESSIONS_FILE.name] = records_csv(dataset.sessions, SESSIONS_FILE)
    return files


def _geometry(j: Jurisdiction, polygons: Mapping[str, BaseGeometry]) -> BaseGeometry | None:
    shape = polygons.get(j.id)
    if shape is not None and not shape.is_empty:
        return shape
    if j.lat is not None and j.lon is not None:
        return Point(j.lon, j.lat)
    return None


def status_features(
    dataset: Dataset,
    on: date,
    polygons: Mapping[str, BaseGeometry],
    *,
    include_non_us: bool = True,
) -> list[dict[str, Any]]:
    """One GeoJSON feature per jurisdiction, with its state on `on` from the one snapshot.

    Properties come only from the data: `status` is what the map draws (null for no record),
    with the measure in force (`in_force`, `since`, `scope`), open proposals, use and the
    marks drawn on top; `role` says whether the place is context (never drawn or counted).
    Geometry: the polygon when there is one, else the data's
    representative point; non-US bodies are points at their seat, or left out with
    `include_non_us=False`. A body with no point has a null geometry (RFC 7946, 3.2): it is
    listed, never dropped.
    """
    shot = snapshot(dataset, on)
    features = []
    for j in dataset.jurisdictions:
        if not (j.is_us or include_non_us):
            continue
        shape = _geometry(j, polygons)
        state = shot.state(j.id)
        event = state.cause
        in_force = state.in_force
        properties = {
            "id": j.id,
            "name": j.name,
            "level": j.level,
            "state": j.state or None,
            "geoid": j.geoid or None,
            "role": j.role,
            "status": None if event is None else state.fill,
            "status_label": STATUS_LABELS[state.fill],
            "marks": list(state.marks),
            "in_force": in_force_words(state).removeprefix("In force: "),
            "since": in_force[0].date if in_force else None,
            "scope": " ".join(m.scope for m in in_force) or None,
            "open_proposals": proposals_words(state).removeprefix("Open proposals: "),
            "use": use_words(state).removeprefix("Use: "),
            "as_of": on.isoformat(),
            "last_event_date": event.date if event else None,
            "source_url": event.source_url if event else None,
        }
        geometry = None if shape is None else mapping(shape)
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return features


def status_geojson(
    dataset: Dataset,
    on: date,
    polygons: Mapping[str, BaseGeometry],
    *,
    include_non_us: bool = True,
) -> bytes:
    """A GeoJSON FeatureCollection (WGS84 longitude/latitude) of `status_features`."""
    collection = {
        "type": "FeatureCollection",
        "features": status_features(dataset, on, polygons, include_non_us=include_non_us),
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
