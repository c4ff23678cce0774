"""Downloads: the standalone HTML map, the CSV tables and the status GeoJSON, made on demand."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo import downloads
from geo.downloads import file_name  # noqa: F401 (re-exported for the pages)
from geo.present import event_date, latest_event_date
from geo.site.export import standalone_html
from geo.ui.loaders import (
    boundaries_for,
    data_version,
    dataset_for,
    load_map_boundaries,
    settings,
)


@st.cache_data(show_spinner=False, max_entries=16)
def _export(folder: str, fingerprint: str, on: date) -> bytes:
    dataset = dataset_for(folder, fingerprint)
    boundaries = boundaries_for(folder, fingerprint)
    page = standalone_html(
        dataset,
        boundaries.geojson,
        boundaries.polygon_ids,
        on,
        data_date=event_date(latest_event_date(dataset)),
        sources_url=settings().public_url,
    )
    return page.encode("utf-8")


def export_button(on: date) -> None:
    """One self-contained HTML file of this map, made only when someone asks for it."""
    version = data_version()
    st.download_button(
        "Download this map",
        data=lambda: _export(*version, on),
        file_name=f"frt-map-{on.isoformat()}.html",
        mime="text/html",
        icon=":material/download:",
        help="A single HTML file that opens offline in any browser",
        on_click="ignore",
    )


@st.cache_data(show_spinner=False, max_entries=2)
def _csvs(folder: str, fingerprint: str) -> dict[str, bytes]:
    return downloads.dataset_csvs(dataset_for(folder, fingerprint))


def dataset_csvs() -> dict[str, bytes]:
    """The three validated tables as CSV bytes, by file name."""
    return _csvs(*data_version())


@st.cache_data(show_spinner=False, max_entries=16)
def _status_geojson(folder: str, fingerprint: str, on: date) -> bytes:
    polygons = boundaries_for(folder, fingerprint).polygons.to_crs(4326)
    shapes = dict(zip(polygons.index, polygons.geometry, strict=True))
    return downloads.status_geojson(dataset_for(folder, fingerprint), on, shapes)


def status_geojson(on: date) -> bytes:
    """Every jurisdiction with its status on `on`, as GeoJSON (polygons where built)."""
    load_map_boundaries()  # built (or read) first, outside the data cache
    return _status_geojson(*data_version(), on)
