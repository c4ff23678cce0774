"""A standalone HTML map: one file that opens offline in any browser.

Leaflet's script and styles are inlined from the installed package, the boundaries are
embedded, and the same status layer as the app colours them. Every text from data goes
through geo.escape (HTML text, http(s)-only links, JSON for scripts).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import folium
import xstatic.pkg.leaflet
from branca.element import Element, Figure

from geo.escape import html_text, js_json, safe_href, source_html
from geo.mapview import (
    STATUS_LABELS,
    AssetUrls,
    base_map,
    legend_rows,
    place_label,
    status_layer,
    status_payload,
)
from geo.present import event_date, long_date
from geo.records import Dataset
from geo.timeline import counts_as_of, latest_events

LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
TITLE = "Facial recognition: bans and use"

_PAGE_CSS = """
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; }
.frt-head { padding: 12px 16px 4px; }
.frt-head h1 { font-size: 22px; margin: 0 0 4px; }
.frt-head p { margin: 2px 0; font-size: 14px; }
.frt-legend { display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 6px 16px; font-size: 14px; }
.frt-swatch { display: inline-block; width: 14px; height: 14px; margin-right: 6px;
  vertical-align: -2px; border: 1px solid #333; }
.folium-map { height: 70vh !important; }
.frt-sources { padding: 8px 16px 24px; font-size: 13px; }
.frt-sources li { margin: 3px 0; }
"""


def _figure(fmap: folium.Map) -> Figure:
    """The page a map is drawn in (branca types `get_root()` as any element)."""
    root = fmap.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"the map's root is a {type(root).__name__}, not a page")
    return root


def _inline_leaflet(fmap: folium.Map) -> None:
    """Put Leaflet's own files into the page, so it needs no network at all."""
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    script = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    fmap.default_js = []
    fmap.default_css = []
    header = _figure(fmap).header
    header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css", index=0)
    header.add_child(Element(f"<script>{script}</script>"), name="leaflet_js", index=1)
    header.add_child(Element(f"<style>{_PAGE_CSS}</style>"), name="frt_css")


def _legend_html(counts: dict[str, int]) -> str:
    items = "".join(
        f'<span><span class="frt-swatch" style="background:{colour}"></span>'
        f"{html_text(label)} ({counts.get(status, 0)})</span>"
        for status, colour, label, _meaning in legend_rows()
    )
    return f'<div class="frt-legend" aria-label="Legend">{items}</div>'


def _sources_html(dataset: Dataset, on: date) -> str:
    """The event behind each place's status on the date, with its source link."""
    latest = latest_events(dataset.events, on)
    rows = []
    for j in sorted(dataset.jurisdictions, key=lambda item: place_label(item).casefold()):
        event = latest.get(j.id)
        if event is None:
            continue
        link = source_html(event.source_name, event.source_url, event.read_url)
        rows.append(
            f"<li><strong>{html_text(place_label(j))}</strong>: "
            f"{html_text(STATUS_LABELS[event.status])} since {html_text(event_date(event.date))}. "
            f"{html_text(event.summary)} Source: {link}</li>"
        )
    return f'<section class="frt-sources"><h2>Sources</h2><ul>{"".join(rows)}</ul></section>'


def standalone_html(
    dataset: Dataset,
    geojson: bytes,
    polygon_ids: frozenset[str],
    on: date,
    *,
    data_date: str,
    sources_url: str = "",
) -> str:
    """The whole map for one date as a single HTML document."""
    counts = counts_as_of((j.id for j in dataset.jurisdictions), dataset.events, on)
    # The boundaries travel inside the file; the status layer reads them as in the app.
    geometry = js_json(json.loads(geojson.decode("utf-8")))
    fmap = base_map(AssetUrls(leaflet_js="", leaflet_css="", geometry=None), inline=geometry)
    _inline_leaflet(fmap)
    statuses = {jid: e.status for jid, e in latest_events(dataset.events, on).items()}
    status_layer(status_payload(dataset, statuses, polygon_ids, None)).add_to(fmap)

    link = safe_href(sources_url)
    more = (
        f' Sources and method: <a href="{html_text(link)}">{html_text(link)}</a>.' if link else ""
    )
    head = (
        f'<div class="frt-head"><h1>{html_text(TITLE)}: {on.year}</h1>'
        f"<p>Status as of {html_text(long_date(on))}. Data up to {html_text(data_date)}."
        f"{more}</p><p>No record is not the same as not using. Boundaries: U.S. Census Bureau."
        "</p></div>"
    )
    root = _figure(fmap)
    root.html.add_child(Element(head), name="frt_head", index=0)
    root.html.add_child(Element(_legend_html(counts)), name="frt_legend", index=1)
    fmap.render()  # places the map's element now, so the sources list follows it
    root.html.add_child(Element(_sources_html(dataset, on)), name="frt_sources")
    root.title = f"{TITLE}: {on.year}"
    return root.render()
