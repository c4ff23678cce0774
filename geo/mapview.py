"""Build the folium map: a constant base map, and a small status layer per date.

Why two parts: streamlit-folium keeps its iframe (and Leaflet) alive as long as the base
map's script is unchanged, and swaps only `feature_group_to_add` when it changes. So the
boundaries travel once, as a file the browser fetches and caches, and a year change sends
only one character per place (geo.drawing.place_code). What never changes with the year
(each place's id, level, point, polygon flag and name) is a file written once per data
version (`place_columns`, `write_place_file`) that the frame fetches once, like the
boundaries. Data text reaches the page as escaped JSON (or that file, parsed as JSON) and is
put into the DOM with `textContent`, never parsed as HTML.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.boundaries.parts import first_document, part_document, split_cities
from geo.drawing import US_BOUNDS, code_settings, draw_settings, place_code
from geo.escape import js_json
from geo.present import APP_DESCRIPTION, MAP_KEYS, MAP_TITLE, place_label
from geo.records import Dataset
from geo.timeline import Snapshot

US_CENTER = (39.0, -96.5)
US_ZOOM = 4
# What a browser may do with the frame's viewport: zoom as far as the reader wants. folium
# writes `maximum-scale=1.0, user-scalable=no` (WCAG 1.4.4); the map setup script replaces it.
FRAME_VIEWPORT = "width=device-width, initial-scale=1"


@dataclass(frozen=True)
class AssetUrls:
    """Where the browser finds Leaflet and the boundaries (relative to the map's frame)."""

    leaflet_js: str
    leaflet_css: str
    geometry: str | None
    # geo/static/frt-map.js, frt-frame.js and frt-leaflet.js, served beside Leaflet (geo.ui).
    draw_js: str = ""
    frame_js: str = ""
    # The places' constant part (write_place_file), fetched once by the frame.
    places: str | None = None
    around_js: str = ""


def place_columns(dataset: Dataset, polygon_ids: frozenset[str]) -> dict[str, list[object]]:
    """What the map knows of every US place (context places aside) whatever the year, column
    by column in the map's fixed order: the order the per-year codes follow."""
    places = [j for j in dataset.jurisdictions if j.on_map]
    return {
        "id": [j.id for j in places],
        "level": [j.level for j in places],
        "lat": [j.lat for j in places],
        "lon": [j.lon for j in places],
        "polygon": [int(j.id in polygon_ids) for j in places],
        "label": [place_label(j) for j in places],
    }


def json_bytes(value: object) -> bytes:
    """A file the frame fetches as JSON (parsed by the browser, never run as a script)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def place_file_bytes(columns: Mapping[str, object]) -> bytes:
    """The places file as the frame fetches it."""
    return json_bytes(columns)


def hashed_name(stem: str, data: bytes, suffix: str) -> str:
    """`stem-<16 hex digits of the content's SHA-256><suffix>`: a new content is a new URL,
    so a browser never keeps a stale copy."""
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"


def boundary_files(geojson: bytes, state_of: Mapping[str, str]) -> tuple[str, dict[str, bytes]]:
    """The served boundaries in parts (geo.boundaries.parts): the first part's file name, and
    every file by name: one per state's cities, then that first part, which lists them (last,
    so that a writer going in order has written every part once the first is there)."""
    first, parts = split_cities(json.loads(geojson), state_of)
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    for part in parts:
        body = json_bytes(part_document(part))
        names[part.key] = hashed_name(f"cities-{part.key}", body, ".geojson")
        files[names[part.key]] = body
    head = json_bytes(first_document(first, parts, lambda part: names[part.key]))
    head_name = hashed_name("boundaries", head, ".geojson")
    return head_name, {**files, head_name: head}


def write_hashed_file(folder: Path, name: str, data: bytes) -> Path:
    """Write a file named by its content (hashed_name) whole (renamed into place), once."""
    path = folder / name
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".part.", delete=False) as handle:
        handle.write(data)
    temporary = Path(handle.name)
    temporary.chmod(0o644)  # temporary files start private; the server only reads it
    temporary.replace(path)
    return path


def write_place_file(folder: Path, data: bytes) -> Path:
    """Write the places file, named by its content's hash, once."""
    return write_hashed_file(folder, hashed_name("places", data, ".json"), data)


def status_codes(dataset: Dataset, shot: Snapshot) -> str:
    """One character per US place (place_columns' order): its fill and marks on the date."""
    return "".join(
        place_code(state.fill, state.marks)
        for state in (shot.state(j.id) for j in dataset.jurisdictions if j.on_map)
    )


def status_payload(dataset: Dataset, shot: Snapshot, selected_id: str | None) -> dict[str, object]:
    """What the status layer needs for one date, all from the one snapshot: the codes, the
    chosen place and the drawing settings. About one byte a place (issue 24: it was about
    200, names and points included, on every rerun)."""
    return {
        "codes": status_codes(dataset, shot),
        "selected": selected_id,
        "settings": draw_settings(),
    }


@functools.lru_cache(maxsize=16)
def _script_template(template: str) -> Template:
    """Compiled once per process: compiling took about 8% of a rerun (python -m bench).
    A compiled Jinja template is safe to render from several threads."""
    compiled: Template = Template("{% macro script(this, kwargs) %}" + template + "{% endmacro %}")
    return compiled


class _Script(MacroElement):
    """A script block rendered by folium (and by streamlit-folium) in its parent's scope."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__()
        self._name = "FrtScript"
        self._template = _script_template(template)
        self.values = values


# The frame's scripts are geo/static/frt-map.js (all drawing) and frt-frame.js (the frame's
# setup and the boundaries); these templates only call them with settings and data, each
# value encoded by js_json.
_MAP_SETUP = "frtFrame.setup({{ this._parent.get_name() }}, {{ this.values.settings }});"
_GEOMETRY_LOADER = "frtFrame.loadGeometry({{ this.values.url }}, {{ this.values.inline }});"
_PLACES_LOADER = "frtFrame.loadPlaces({{ this.values.url }}, {{ this.values.codes }});"
_STATUS_LAYER = (
    "frtFrame.statusLayer({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }}, "
    "{{ this.values.payload }});"
)


def frame_script_url(assets: AssetUrls) -> str:
    """frt-frame.js with the boundaries' and places' addresses after "#": streamlit-folium
    loads the frame's scripts one after another, so this one comes first and starts fetching
    both while Leaflet and the drawing scripts load (the fragment never reaches the server, so
    the script is cached once)."""
    if not assets.frame_js:
        return ""
    early = {"boundaries": assets.geometry, "places": assets.places}
    fragment = urlencode({what: url for what, url in early.items() if url})
    return f"{assets.frame_js}#{fragment}" if fragment else assets.frame_js


def base_map(
    assets: AssetUrls, tiles: str = "", attribution: str = "", inline: str = "null"
) -> folium.Map:
    """The constant part: Leaflet from local files, optional tiles, the geometry loader.

    `inline` is boundaries GeoJSON already encoded with geo.escape.js_json (for a
    standalone file); otherwise the frame fetches `assets.geometry`.
    """
    fmap = folium.Map(
        location=US_CENTER,
        zoom_start=US_ZOOM,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
    )
    # Only Leaflet itself, from the installed package (folium's defaults name CDNs), and ours.
    # streamlit-folium loads them one after another: the frame's script first, its address
    # naming the files it starts fetching at once (frame_script_url).
    scripts = (
        ("frt_frame", frame_script_url(assets)),
        ("leaflet", assets.leaflet_js),
        ("frt_leaflet", assets.around_js),
        ("frt_map", assets.draw_js),
    )
    fmap.default_js = [(name, url) for name, url in scripts if url]
    fmap.default_css = [("leaflet_css", assets.leaflet_css)]
    if tiles:
        folium.TileLayer(tiles=tiles, attr=attribution or "Map tiles", name="tiles").add_to(fmap)
    settings = {
        "bounds": [list(corner) for corner in US_BOUNDS],
        "title": MAP_TITLE,
        "description": APP_DESCRIPTION,
        "usage": MAP_KEYS,
        "viewport": FRAME_VIEWPORT,
    }
    _Script(_MAP_SETUP, settings=js_json(settings)).add_to(fmap)
    loader = _Script(_GEOMETRY_LOADER, url=js_json(assets.geometry), inline=inline)
    loader.add_to(fmap)
    places = _Script(_PLACES_LOADER, url=js_json(assets.places), codes=js_json(code_settings()))
    places.add_to(fmap)
    return fmap


def status_layer(payload: Mapping[str, object]) -> folium.FeatureGroup:
    """The part that changes with the date and the selection."""
    group = folium.FeatureGroup(name="status", control=False)
    _Script(_STATUS_LAYER, payload=js_json(payload)).add_to(group)
    return group
