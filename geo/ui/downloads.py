"""Downloads: the standalone HTML map, the slides (a year's map as PNG, the story as GIF), the
CSV tables and the status GeoJSON, made on demand."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo import downloads
from geo.downloads import file_name  # noqa: F401 (re-exported for the pages)
from geo.present import event_date, latest_event_date
from geo.site.data import TITLE, year_dates
from geo.site.export import standalone_html
from geo.site.slides import slide_png, source_line, story_gif
from geo.timeline import snapshot
from geo.ui.loaders import (
    boundaries_for,
    data_version,
    dataset_for,
    load_map_boundaries,
    settings,
    today,
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


@st.cache_data(show_spinner=False, max_entries=16)
def _slide(folder: str, fingerprint: str, on: date) -> bytes:
    dataset = dataset_for(folder, fingerprint)
    geojson = boundaries_for(folder, fingerprint).geojson
    source = source_line(dataset, settings().public_url)
    return slide_png(dataset, geojson, snapshot(dataset, on), TITLE, source)


@st.cache_data(show_spinner=False, max_entries=2)
def _story(folder: str, fingerprint: str, on: date) -> bytes:
    dataset = dataset_for(folder, fingerprint)
    geojson = boundaries_for(folder, fingerprint).geojson
    dates = year_dates(dataset, on)
    shots = [snapshot(dataset, dates[year]) for year in sorted(dates)]
    return story_gif(dataset, geojson, shots, TITLE, source_line(dataset, settings().public_url))


def slides_buttons(on: date) -> None:
    """The map of the year shown as a 1920 by 1080 PNG for a slide, and the whole story as an
    animated GIF, each drawn only when someone asks for it."""
    version = data_version()
    st.download_button(
        "Download for slides (PNG)",
        data=lambda: _slide(*version, on),
        file_name=f"frt-map-{on.year}.png",
        mime="image/png",
        icon=":material/slideshow:",
        help="This year's map, 1920 by 1080, with its legend, counts and sources",
        on_click="ignore",
    )
    st.download_button(
        "Story as GIF",
        data=lambda: _story(*version, today()),
        file_name="frt-map-story.gif",
        mime="image/gif",
        icon=":material/animation:",
        help="Every year from the first to today, one frame each",
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
