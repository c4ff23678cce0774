"""The Streamlit side of `geo`: the only package in `geo` that imports Streamlit.

Pages and app.py import from here (`from geo import ui`), never from the modules inside:

- `loaders`: settings, the dataset, the boundaries and what is computed from them, cached by
  primitives (a folder, a fingerprint of its files, a date), never by DataFrames;
- `state`: the router's first run, the chosen place in the URL and the session;
- `controls`: the year slider, the Play switch, presentation mode, the place chooser and
  level filter;
- `panel`: the place panel and quotes with their sources;
- `legend`: the legend, the headline metrics and the year's story;
- `downloads`: the standalone HTML map, the CSV tables and the status GeoJSON.

The asset routes are declared in this file because Streamlit names a component after the
module that declares it: Leaflet is served at /component/geo.ui.leaflet/.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components
import xstatic.pkg.leaflet

from geo.drawing import STATIC_DIR
from geo.mapview import AssetUrls
from geo.ui.controls import (
    PLAY_SECONDS,
    PLAY_SECONDS_PRESENTING,
    advance_play,
    apply_pending_year,
    level_filter,
    map_height,
    map_space,
    place_select,
    play_seconds,
    play_switch,
    playing,
    presentation_mode,
    presentation_toggle,
    year_bounds,
    year_control,
)
from geo.ui.downloads import (
    dataset_csvs,
    export_button,
    file_name,
    slides_buttons,
    status_geojson,
)
from geo.ui.legend import as_of_line, legend, year_story
from geo.ui.loaders import (
    app_icon,
    boundary_notice,
    counts_on,
    data_version,
    load_data,
    load_map_boundaries,
    map_files,
    map_payload,
    mark_counts_on,
    monthly_table,
    settings,
    tiles,
    today,
)
from geo.ui.panel import (
    QUOTES_ON_MAP,
    announce_place,
    non_us_line,
    place_panel,
    quote_block,
    source_columns,
)
from geo.ui.state import (
    carry_over,
    choose_row_place,
    init_place,
    leave_legacy_multipage_mode,
    let_layout_settle,
    on_phone,
    select_clicked_place,
    start_page,
    sync_place_to_url,
    table_key,
)
from geo.ui.style import present_style

LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
# A component declared with a path makes Streamlit serve that folder at
# /component/<module>.<name>/; the map frame loads Leaflet from there, never from a CDN.
_LEAFLET_COMPONENT = "leaflet"
_BOUNDARIES_COMPONENT = "boundaries"
_PLACES_COMPONENT = "places"
# The one drawing script (geo/static/frt-map.js) and the frame's own (frt-frame.js), the same
# files the static edition links and the export inlines.
_SCRIPTS_COMPONENT = "scripts"
components.declare_component(_LEAFLET_COMPONENT, path=str(LEAFLET_DIR))
components.declare_component(_SCRIPTS_COMPONENT, path=str(STATIC_DIR))


def asset_urls(served: Path | None, places: Path | None = None) -> AssetUrls:
    """URLs relative to the map frame (/component/streamlit_folium.st_folium/index.html)."""
    leaflet = f"../{__name__}.{_LEAFLET_COMPONENT}"
    geometry = None
    if served is not None:
        components.declare_component(_BOUNDARIES_COMPONENT, path=str(served.parent))
        geometry = f"../{__name__}.{_BOUNDARIES_COMPONENT}/{served.name}"
    places_url = None
    if places is not None:
        components.declare_component(_PLACES_COMPONENT, path=str(places.parent))
        places_url = f"../{__name__}.{_PLACES_COMPONENT}/{places.name}"
    scripts = f"../{__name__}.{_SCRIPTS_COMPONENT}"
    return AssetUrls(
        f"{leaflet}/leaflet.js",
        f"{leaflet}/leaflet.css",
        geometry,
        draw_js=f"{scripts}/frt-map.js",
        frame_js=f"{scripts}/frt-frame.js",
        around_js=f"{scripts}/frt-leaflet.js",
        places=places_url,
    )


__all__ = [
    "PLAY_SECONDS",
    "PLAY_SECONDS_PRESENTING",
    "QUOTES_ON_MAP",
    "advance_play",
    "announce_place",
    "app_icon",
    "apply_pending_year",
    "as_of_line",
    "asset_urls",
    "boundary_notice",
    "carry_over",
    "choose_row_place",
    "counts_on",
    "data_version",
    "dataset_csvs",
    "export_button",
    "file_name",
    "init_place",
    "leave_legacy_multipage_mode",
    "legend",
    "let_layout_settle",
    "level_filter",
    "load_data",
    "load_map_boundaries",
    "map_files",
    "map_height",
    "map_payload",
    "map_space",
    "mark_counts_on",
    "monthly_table",
    "non_us_line",
    "on_phone",
    "place_panel",
    "place_select",
    "play_seconds",
    "play_switch",
    "playing",
    "present_style",
    "presentation_mode",
    "presentation_toggle",
    "quote_block",
    "select_clicked_place",
    "settings",
    "slides_buttons",
    "source_columns",
    "start_page",
    "status_geojson",
    "sync_place_to_url",
    "table_key",
    "tiles",
    "today",
    "year_bounds",
    "year_control",
    "year_story",
]
