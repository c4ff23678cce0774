"""Build the folium map: a constant base map, and a small status layer per date.

Why two parts: streamlit-folium keeps its iframe (and Leaflet) alive as long as the base
map's script is unchanged, and swaps only `feature_group_to_add` when it changes. So the
boundaries travel once, as a file the browser fetches and caches, and a year change sends
only a few kilobytes of statuses and labels. Data text reaches the page as escaped JSON and
is put into the DOM with `textContent`, never parsed as HTML.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.drawing import (  # noqa: F401 (re-exported: how the map is drawn)
    FILL_OPACITY,
    MAP_BACKGROUND,
    MARK_OUTLINE,
    POLYGON_ZOOM,
    US_BOUNDS,
    draw_settings,
    hatch_pattern,
    mark_counts,
    mark_swatch,
    place_drawing,
    swatch_colour,
    tooltip_label,
)
from geo.escape import html_text, js_json
from geo.records import Dataset, Jurisdiction
from geo.timeline import Snapshot
from geo.vocabulary import (  # noqa: F401 (re-exported: the map's words)
    LEGEND_ORDER,
    MARK_LABELS,
    MARK_MEANINGS,
    MARKS,
    NO_RECORD,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_MEANINGS,
    STATUSES,
)

US_CENTER = (39.0, -96.5)
US_ZOOM = 4
LEGEND_HATCH_ID = "frt-legend-hatch"
LEGEND_TEXT_COLOUR = "#262730"  # Streamlit's light-theme text colour
# The map frame's accessible name: its document title, its (visually hidden) heading and the
# iframe's aria-label. The same map in words is under the map (map_in_words) and on Places.
MAP_TITLE = "Map of facial recognition bans and use, by place"
MAP_KEYS = "Map: arrow keys move it, plus and minus zoom; Tab leaves it"
# What a browser may do with the frame's viewport: zoom as far as the reader wants. folium
# writes `maximum-scale=1.0, user-scalable=no` (WCAG 1.4.4); the map setup script replaces it.
FRAME_VIEWPORT = "width=device-width, initial-scale=1"


@dataclass(frozen=True)
class AssetUrls:
    """Where the browser finds Leaflet and the boundaries (relative to the map's frame)."""

    leaflet_js: str
    leaflet_css: str
    geometry: str | None
    # geo/static/frt-map.js and frt-frame.js, served beside Leaflet (geo.ui).
    draw_js: str = ""
    frame_js: str = ""


def place_label(jurisdiction: Jurisdiction) -> str:
    """The name a person would say: 'Oakland, CA', 'King County, WA', 'European Union'."""
    if jurisdiction.level in ("city", "county") and jurisdiction.state:
        return f"{jurisdiction.name}, {jurisdiction.state}"
    return jurisdiction.name


def status_payload(
    dataset: Dataset,
    shot: Snapshot,
    polygon_ids: frozenset[str],
    selected_id: str | None,
) -> dict[str, object]:
    """What the status layer needs for one date, all from the one snapshot: per US place
    (context places aside), the drawing contract (geo.drawing.place_drawing: fill, colour,
    marks), its tooltip words and its point."""
    places = []
    for j in dataset.jurisdictions:
        if not j.on_map:
            continue
        state = shot.state(j.id)
        drawing = place_drawing(state.fill, state.marks)
        places.append(
            {
                "id": j.id,
                "level": j.level,
                **drawing,
                "label": tooltip_label(place_label(j), state.fill, state.marks),
                "lat": j.lat,
                "lon": j.lon,
                "polygon": j.id in polygon_ids,
            }
        )
    return {"places": places, "selected": selected_id, "settings": draw_settings()}


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
_STATUS_LAYER = (
    "frtFrame.statusLayer({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }}, "
    "{{ this.values.payload }});"
)


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
    # Only Leaflet itself, from the installed package: folium's defaults name CDNs.
    fmap.default_js = [("leaflet", assets.leaflet_js)]
    scripts = (("frt_map", assets.draw_js), ("frt_frame", assets.frame_js))
    fmap.default_js += [(name, url) for name, url in scripts if url]
    fmap.default_css = [("leaflet_css", assets.leaflet_css)]
    if tiles:
        folium.TileLayer(tiles=tiles, attr=attribution or "Map tiles", name="tiles").add_to(fmap)
    settings = {
        "bounds": [list(corner) for corner in US_BOUNDS],
        "title": MAP_TITLE,
        "usage": MAP_KEYS,
        "viewport": FRAME_VIEWPORT,
    }
    _Script(_MAP_SETUP, settings=js_json(settings)).add_to(fmap)
    loader = _Script(_GEOMETRY_LOADER, url=js_json(assets.geometry), inline=inline)
    loader.add_to(fmap)
    return fmap


def status_layer(payload: Mapping[str, object]) -> folium.FeatureGroup:
    """The part that changes with the date and the selection."""
    group = folium.FeatureGroup(name="status", control=False)
    _Script(_STATUS_LAYER, payload=js_json(payload)).add_to(group)
    return group


def legend_rows(counts: Mapping[str, int] | None = None) -> Sequence[tuple[str, str, str, str]]:
    """(status, colour, label, meaning) in legend order, for the legend Streamlit draws."""
    return [
        (s, STATUS_COLOURS[s], STATUS_LABELS[s], STATUS_MEANINGS[s])
        for s in LEGEND_ORDER
        if counts is None or s in counts
    ]


def legend_marks(counts: Mapping[str, int] | None = None) -> list[tuple[str, str, str]]:
    """(mark, label, meaning) for every mark drawn on top of the fills, in vocabulary order."""
    return [(m, MARK_LABELS[m], MARK_MEANINGS[m]) for m in MARKS]


def legend_text(counts: Mapping[str, int]) -> str:
    """The legend in words, for screen readers: 'Banned: 17; Moratorium: 5; ...'; the marks'
    counts are in `counts` under their keys (geo.drawing.mark_counts)."""
    rows = [(status, label) for status, _c, label, _m in legend_rows()]
    rows += [(mark, label) for mark, label, _m in legend_marks()]
    return "Legend. " + "; ".join(f"{label}: {counts.get(key, 0)}" for key, label in rows)


def map_in_words(counts: Mapping[str, int], when: str) -> str:
    """The map's short text alternative: what it shows, the counts in the legend's words.

    `when` is "today" or a date as people write it ("31 Dec 2020").
    """
    parts = [f"{label} {counts.get(status, 0)}" for status, _c, label, _m in legend_rows()]
    parts += [f"{label} {counts[mark]}" for mark, label, _m in legend_marks() if mark in counts]
    return f"The map in words, {when}: " + ", ".join(parts) + "."


def place_announcement(label: str | None, status_label: str | None, when: str) -> str:
    """What the live region under the place chooser says (a screen reader reads it out)."""
    if label is None or status_label is None:
        return "No place chosen: choose one above, or click the map, to open its panel."
    return f"{label}: {status_label}, {when}. Its history, sources and quotes are below."


def legend_svg(counts: Mapping[str, int] | None, *, large: bool = False) -> str:
    """The legend as a small SVG image: a swatch, a word and a count for every colour
    (with `counts` None, the words alone).

    An image costs the browser nothing to draw. The Vega-Lite legend it replaces made a
    first visit load and compile about 1 MB of JavaScript before the map frame could start
    (measured with `python -m bench`).
    """
    font, row, swatch = (19, 32, 20) if large else (15, 25, 16)
    rows = [
        (status, label if counts is None else f"{label} ({counts.get(status, 0)})")
        for status, _colour, label, _m in legend_rows()
    ]
    rows += [
        (mark, label if counts is None else f"{label} ({counts.get(mark, 0)})")
        for mark, label, _m in legend_marks()
    ]
    # Wide enough for the longest line at 0.55 em a glyph: DejaVu Sans, the widest fallback
    # measured (tests/browser/test_legend_browser.py), needs 0.52 em; Helvetica 0.45 em.
    width = swatch + 12 + round(max(len(text) for _c, text in rows) * font * 0.55) + 4
    title_height = row + 4
    height = title_height + row * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="&quot;Source Sans Pro&quot;, '
        f'&quot;Source Sans 3&quot;, Helvetica, Arial, sans-serif" font-size="{font}" '
        f'fill="{LEGEND_TEXT_COLOUR}">',
        f"<defs>{hatch_pattern(LEGEND_HATCH_ID)}</defs>",
        f'<text x="0" y="{font + 2}" font-weight="600">Legend</text>',
    ]
    for n, (key, text) in enumerate(rows):
        top = title_height + n * row
        y = top + (row - swatch) // 2
        if key in MARKS:
            parts.append(mark_swatch(key, 1, y, swatch, LEGEND_HATCH_ID))
        else:
            # The swatch is the fill as the map draws it (geo.drawing.swatch_colour).
            parts.append(
                f'<rect x="1" y="{y}" width="{swatch}" height="{swatch}" '
                f'fill="{html_text(swatch_colour(key))}" stroke="#333333" stroke-width="0.75"/>'
            )
        parts.append(
            f'<text x="{swatch + 12}" y="{top + row // 2}" dominant-baseline="central">'
            f"{html_text(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
