"""The site's files: named by content hash, linked from a page or inlined into one."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.leaflet

from geo.boundaries.parts import INDEX_KEY, CityPart, first_document, split_cities
from geo.drawing import COPY_SCRIPT, DRAW_SCRIPT, LEAFLET_SCRIPT, swatch_colour
from geo.escape import js_data, js_json
from geo.site.shapes import compact_features, compact_shapes
from geo.vocabulary import LEGEND_ORDER

LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
STATIC_DIR = Path(__file__).resolve().parent / "static"
HASH_LENGTH = 12


@dataclass(frozen=True)
class Asset:
    """One file beside the pages: `leaflet.3f2a9c01b7d4.js`."""

    stem: str
    extension: str
    body: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest()[:HASH_LENGTH]

    @property
    def name(self) -> str:
        return f"{self.stem}.{self.digest}.{self.extension}"

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def parsed(self) -> str:
        """The text as the HTML parser hands an inline element to CSP (geo.site.assets
        .parsed_text): what the single-file export inlines and hashes."""
        return parsed_text(self.text)


def leaflet_js() -> Asset:
    return Asset("leaflet", "js", (LEAFLET_DIR / "leaflet.js").read_bytes())


def leaflet_css() -> Asset:
    return Asset("leaflet", "css", (LEAFLET_DIR / "leaflet.css").read_bytes())


def status_css() -> str:
    """A class per status colour, so no markup needs a style attribute (the CSP forbids them).
    Each is the fill as the map draws it (geo.drawing.swatch_colour)."""
    return "".join(f".s-{s}{{background:{swatch_colour(s)}}}\n" for s in LEGEND_ORDER)


def site_css() -> Asset:
    body = (STATIC_DIR / "site.css").read_text(encoding="utf-8") + status_css()
    return Asset("site", "css", body.encode("utf-8"))


def draw_js() -> Asset:
    """The one drawing script (geo/static/frt-map.js), the same file the app's frame loads."""
    return Asset("draw", "js", DRAW_SCRIPT.read_bytes())


def dom_js() -> Asset:
    """The static pages' text nodes (history and quote items), used by map.js."""
    return Asset("dom", "js", (STATIC_DIR / "dom.js").read_bytes())


def copy_js() -> Asset:
    """The "Copy link" button: the map's place panel and each place's page (geo/static/
    frt-copy.js, the same file the app's copy-link frame loads)."""
    return Asset("copy", "js", COPY_SCRIPT.read_bytes())


def map_js() -> Asset:
    return Asset("map", "js", (STATIC_DIR / "map.js").read_bytes())


def data_js(data: object) -> Asset:
    """The page's data as a script (a script, not JSON to fetch: file:// pages cannot fetch)."""
    return Asset("data", "js", f"window.frtData = {js_data(data)};\n".encode())


def text_js(text: object) -> Asset:
    """The panels' text (geo.site.data.panel_text) as a script the map page loads when needed."""
    return Asset("text", "js", f"window.frtText = {js_data(text)};\n".encode())


def geometry_js(geojson: bytes) -> Asset:
    """The boundaries (geo.boundaries' GeoJSON) as one script, in geo.site.shapes' compact
    form: every shape (the single-file export)."""
    value = compact_shapes(geojson)
    return Asset("boundaries", "js", f"window.frtGeometry = {js_data(value)};\n".encode())


def city_part_js(part: CityPart) -> Asset:
    """One state's city polygons (geo.boundaries.parts), a script the map page loads when the
    map is zoomed in over them (geo/static/frt-leaflet.js, loadScript)."""
    value = js_data(compact_features(part.features))
    body = (
        "window.frtCityParts = window.frtCityParts || {};\n"
        f"window.frtCityParts[{js_json(part.key)}] = {value};\n"
    )
    return Asset(f"cities-{part.key}", "js", body.encode())


def geometry_parts_js(geojson: bytes, state_of: Mapping[str, str]) -> tuple[Asset, list[Asset]]:
    """The boundaries in parts: the first script (outlines, states, counties, and the list of
    city parts: key, bounds, file) and one script per state's cities."""
    first, parts = split_cities(json.loads(geojson), state_of)
    scripts = {part.key: city_part_js(part) for part in parts}
    listed = first_document(first, parts, lambda part: scripts[part.key].name)
    value = {**compact_features(first), INDEX_KEY: listed[INDEX_KEY]}
    head = Asset("boundaries", "js", f"window.frtGeometry = {js_data(value)};\n".encode())
    return head, list(scripts.values())


def leaflet_around_js() -> Asset:
    """Around Leaflet (geo/static/frt-leaflet.js): the shapes, keyboard and click fixes."""
    return Asset("frt-leaflet", "js", LEAFLET_SCRIPT.read_bytes())


def read_data_js(body: bytes, variable: str = "frtData") -> object:
    """The value a data script assigns (for tests and tools)."""
    text = body.decode("utf-8").strip()
    prefix = f"window.{variable} = "
    if not (text.startswith(prefix) and text.endswith(";")):
        raise ValueError(f"not a {variable} script")
    return json.loads(text[len(prefix) : -1])


def read_city_part_js(body: bytes) -> tuple[str, object]:
    """The key and compact shapes a city part script (city_part_js) sets (for tests and tools)."""
    text = body.decode("utf-8").strip()
    found = re.fullmatch(
        r"window\.frtCityParts = window\.frtCityParts \|\| \{\};\n"
        r'window\.frtCityParts\[("[a-z]+")\] = (.*);',
        text,
        re.DOTALL,
    )
    if found is None:
        raise ValueError("not a city part script")
    return json.loads(found.group(1)), json.loads(found.group(2))


def parsed_text(text: str) -> str:
    """The text of an inline element as the browser's HTML parser hands it to CSP: line breaks
    normalised to LF (Leaflet's CSS ships with CRLF, whose hash would never match)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_source(text: str) -> str:
    """A CSP hash source for an inline script or style element."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class PageFiles:
    """The scripts and styles one page uses, and whether they are inlined (the export)."""

    scripts: Sequence[Asset]
    styles: Sequence[Asset]
    inline: bool = False
    # Files beside the page that its script loads later (never inlined, never in the markup).
    later: Sequence[Asset] = ()

    def csp(self) -> str:
        """Exactly what the page uses: its own scripts and styles, nothing else."""
        if self.inline:
            scripts = " ".join(sha256_source(parsed_text(a.text)) for a in self.scripts) or "'none'"
            styles = " ".join(sha256_source(parsed_text(a.text)) for a in self.styles) or "'none'"
        else:
            scripts = "'self'" if self.scripts else "'none'"
            styles = "'self'" if self.styles else "'none'"
        # A published page may read its own origin: Lighthouse fetches /robots.txt from inside
        # the page (GoogleChrome/lighthouse#4386), and `default-src 'none'` alone refuses it.
        # The export is one file opened from anywhere and reads nothing.
        connect = "" if self.inline else " connect-src 'self';"
        return (
            f"default-src 'none'; script-src {scripts}; style-src {styles};{connect} "
            "base-uri 'none'; form-action 'none'"
        )
