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

from geo.escape import html_text, js_json
from geo.records import Dataset, Jurisdiction
from geo.timeline import Snapshot
from geo.vocabulary import (  # noqa: F401 (re-exported: the map's words)
    LEGEND_ORDER,
    NO_RECORD,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_MEANINGS,
    STATUSES,
)

US_CENTER = (39.0, -96.5)
US_ZOOM = 4
# The contiguous US, fitted to whatever size the frame has (projector, laptop, phone).
US_BOUNDS = ((24.4, -124.8), (49.4, -66.9))
# How opaque each kind of fill is drawn over the map's background (Leaflet's #ddd when there
# are no tiles). tests/test_colours.py checks that the status colours stay apart at these
# opacities under simulated colour blindness; states were 0.45, where banned and restricted
# were only 3.6 CIEDE2000 apart for tritanopes.
FILL_OPACITY: dict[str, float] = {"state": 0.6, "area": 0.8, "marker": 0.95, "outline": 0.35}
MAP_BACKGROUND = "#DDDDDD"
LEGEND_TEXT_COLOUR = "#262730"  # Streamlit's light-theme text colour
# From this zoom on, city and county polygons are big enough to click; below it, markers.
POLYGON_ZOOM = 9
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
    """What the status layer needs for one date: per US place (context places aside), its
    fill, colour, marks, label and point, all from the one snapshot."""
    places = []
    for j in dataset.jurisdictions:
        if not j.on_map:
            continue
        state = shot.state(j.id)
        status = state.fill
        places.append(
            {
                "id": j.id,
                "level": j.level,
                "fill": status,
                "marks": list(state.marks),
                "colour": STATUS_COLOURS[status],
                "label": f"{place_label(j)}: {STATUS_LABELS[status]}",
                "lat": j.lat,
                "lon": j.lon,
                "polygon": j.id in polygon_ids,
            }
        )
    return {
        "places": places,
        "selected": selected_id,
        "noRecord": STATUS_COLOURS[NO_RECORD],
        "polygonZoom": POLYGON_ZOOM,
        "opacity": FILL_OPACITY,
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


# Fit the lower 48 at once: folium's fit_bounds animates from the constructor's zoom, and
# Leaflet ignores any setView made while that animation runs.
# Leaflet's keyboard handler focuses the map on mousedown. In a frame that focus scrolls the
# page until the whole frame is in view, between mousedown and mouseup, so a click on a
# small marker of a map that runs past the bottom of the window was lost. Focus without
# scrolling; the arrow keys and +/- still work once the map has focus.
# The frame is a document of its own, read by screen readers and zoomed by browsers: let it
# zoom (folium's viewport meta forbids it), give it a main landmark, a heading and a title,
# and name the iframe that holds it (same origin, so the frame can reach its element). The map
# container is a labelled region that says how to use it from the keyboard.
_MAP_SETUP = """
(function (map) {
  var doc = document;
  var title = {{ this.values.title }};
  doc.querySelectorAll('meta[name="viewport"]').forEach(function (meta) {
    meta.setAttribute("content", {{ this.values.viewport }});
  });
  doc.title = title;
  var container = map.getContainer();
  var main = doc.getElementById("root") || container.parentNode;
  main.setAttribute("role", "main");
  if (!doc.getElementById("frt-map-heading")) {
    var heading = doc.createElement("h1");
    heading.id = "frt-map-heading";
    heading.textContent = title;
    heading.style.cssText = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;" +
      "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0";
    main.insertBefore(heading, main.firstChild);
  }
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", {{ this.values.usage }});
  if (window.frameElement) {
    window.frameElement.setAttribute("aria-label", title);
  }
  map.fitBounds({{ this.values.bounds }}, {animate: false});
  var keyboard = map.keyboard;
  if (keyboard) {
    keyboard.disable();
    keyboard._onMouseDown = function () {
      if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
    };
    keyboard.enable();
  }
})({{ this._parent.get_name() }});
"""

# Fetch the boundaries once per frame; later status layers reuse the same promise.
_GEOMETRY_LOADER = """
window.frtInline = {{ this.values.inline }};
window.frtGeometry = window.frtGeometry || (
  window.frtInline !== null ? Promise.resolve(window.frtInline) :
  {{ this.values.url }} === null
    ? Promise.resolve({type: "FeatureCollection", features: []})
    : fetch({{ this.values.url }}).then(function (r) {
        if (!r.ok) { throw new Error("boundaries: HTTP " + r.status); }
        return r.json();
      }).catch(function (err) {
        console.error(err);
        return {type: "FeatureCollection", features: []};
      })
);
"""

# The status layer: colours polygons and markers from a small payload. Labels are set
# with textContent, so no text from data is ever parsed as HTML.
_STATUS_LAYER = """
(function (group, map, payload) {
  var byId = {};
  payload.places.forEach(function (p) { byId[p.id] = p; });
  function label(text) {
    var el = document.createElement("span");
    el.textContent = text;
    return el;
  }
  function outlineStyle(selected) {
    return selected ? {color: "#000000", weight: 4} : {color: "#333333", weight: 1};
  }
  window.frtGeometry.then(function (geo) {
    var order = ["outline", "state", "county", "city"];
    order.forEach(function (level) {
      var features = geo.features.filter(function (f) {
        return f.properties.level === level;
      });
      L.geoJSON({type: "FeatureCollection", features: features}, {
        interactive: level !== "outline",
        style: function (f) {
          var p = byId[f.properties.id];
          if (!p) {
            return {color: "#FFFFFF", weight: 1, fillColor: payload.noRecord,
                    fillOpacity: payload.opacity.outline};
          }
          var s = outlineStyle(p.id === payload.selected);
          s.className = "frt-shape frt-" + p.id;
          s.fillColor = p.colour;
          s.fillOpacity = level === "state" ? payload.opacity.state : payload.opacity.area;
          if (level === "state" && p.id !== payload.selected) {
            s.color = "#FFFFFF";
          }
          return s;
        },
        onEachFeature: function (f, layer) {
          var p = byId[f.properties.id];
          // The features are shared by every status layer: read them, never change them.
          if (p) {
            layer.bindTooltip(label(p.label), {sticky: true});
          }
        }
      }).addTo(group);
    });
    var markers = [];
    payload.places.forEach(function (p) {
      if (p.level === "state") { return; }
      var s = outlineStyle(p.id === payload.selected);
      var marker = L.circleMarker([p.lat, p.lon], {
        className: "frt-marker frt-" + p.id,
        radius: p.id === payload.selected ? 9 : 7, color: s.color,
        weight: s.weight === 1 ? 1.5 : s.weight, fillColor: p.colour,
        fillOpacity: payload.opacity.marker
      });
      marker.feature = {type: "Feature", properties: {id: p.id},
                        geometry: {type: "Point", coordinates: [p.lon, p.lat]}};
      marker.bindTooltip(label(p.label));
      marker.frtHasPolygon = p.polygon;
      marker.addTo(group);
      markers.push(marker);
    });
    function showMarkers() {
      var zoomedIn = map.getZoom() >= payload.polygonZoom;
      markers.forEach(function (m) {
        var visible = !(zoomedIn && m.frtHasPolygon);
        if (m._path) { m._path.style.display = visible ? "" : "none"; }
      });
    }
    window.frtShowMarkers = showMarkers;
    if (!window.frtZoomHooked) {
      window.frtZoomHooked = true;
      map.on("zoomend", function () { window.frtShowMarkers(); });
    }
    showMarkers();
    var root = map.getContainer();
    // Leaflet listens for focus on every shape with a tooltip, which puts each of them in
    // Chromium's Tab order: a hundred stops before Tab leaves the map. Keyboard readers
    // choose places with "Choose a place" (and read them all on Places); Tab passes the map.
    root.querySelectorAll(".frt-shape, .frt-marker").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
    });
    window.frtRendered = (window.frtRendered || 0) + 1;
    root.setAttribute("data-frt-places", String(payload.places.length));
    root.setAttribute("data-frt-rendered", String(window.frtRendered));
  });
})({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }},
   {{ this.values.payload }});
"""


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
    fmap.default_css = [("leaflet_css", assets.leaflet_css)]
    if tiles:
        folium.TileLayer(tiles=tiles, attr=attribution or "Map tiles", name="tiles").add_to(fmap)
    _Script(
        _MAP_SETUP,
        bounds=js_json([list(corner) for corner in US_BOUNDS]),
        title=js_json(MAP_TITLE),
        usage=js_json(MAP_KEYS),
        viewport=js_json(FRAME_VIEWPORT),
    ).add_to(fmap)
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


def legend_text(counts: Mapping[str, int]) -> str:
    """The legend in words, for screen readers: 'Banned: 17; Moratorium: 5; ...'."""
    return "Legend. " + "; ".join(
        f"{label}: {counts.get(status, 0)}" for status, _c, label, _m in legend_rows()
    )


def map_in_words(counts: Mapping[str, int], when: str) -> str:
    """The map's short text alternative: what it shows, the counts in the legend's words.

    `when` is "today" or a date as people write it ("31 Dec 2020").
    """
    parts = [f"{label} {counts.get(status, 0)}" for status, _c, label, _m in legend_rows()]
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
        (colour, label if counts is None else f"{label} ({counts.get(status, 0)})")
        for status, colour, label, _m in legend_rows()
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
        f'<text x="0" y="{font + 2}" font-weight="600">Legend</text>',
    ]
    for n, (colour, text) in enumerate(rows):
        top = title_height + n * row
        parts.append(
            f'<rect x="1" y="{top + (row - swatch) // 2}" width="{swatch}" height="{swatch}" '
            f'fill="{html_text(colour)}" stroke="#333333" stroke-width="0.75"/>'
        )
        parts.append(
            f'<text x="{swatch + 12}" y="{top + row // 2}" dominant-baseline="central">'
            f"{html_text(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
