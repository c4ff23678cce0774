"""The preview image a shared link shows (og:image): the map today, 1200 by 630, drawn at build
time with Pillow from the built boundaries and the snapshot's fills. No network, no browser.

It is the map as the pages open it: the contiguous states (geo.drawing.US_BOUNDS, Web
Mercator) filled by their status with white borders, every other place a dot in its colour,
and the legend with today's counts beside it.
"""

from __future__ import annotations

import io
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from PIL import Image, ImageColor, ImageDraw, ImageFont

from geo.drawing import US_BOUNDS
from geo.present import event_date, legend_rows
from geo.records import Dataset
from geo.site.data import TITLE
from geo.site.share import PREVIEW_SIZE
from geo.vocabulary import NO_RECORD, STATUS_COLOURS

SCALE = 2  # drawn at twice the size, then reduced: smooth edges without antialiasing
BACKGROUND = "#FFFFFF"
TEXT = "#111111"
SOFT_TEXT = "#333333"
BORDER = "#FFFFFF"
DOT_OUTLINE = "#333333"
MAP_BOX = (36, 140, 866, 600)  # left, top, right, bottom at 1x
LEGEND_LEFT, LEGEND_TOP, LEGEND_ROW = 892, 168, 58
DOT_RADIUS = 6
Point = tuple[float, float]


def mercator(lon: float, lat: float) -> Point:
    """Web Mercator in radians (the map's projection), y growing north."""
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def projector(box: Sequence[float]) -> tuple[float, float, float]:
    """Scale and offsets that fit US_BOUNDS into `box` (pixels), keeping the aspect."""
    (south, west), (north, east) = US_BOUNDS
    x0, y0 = mercator(west, south)
    x1, y1 = mercator(east, north)
    left, top, right, bottom = box
    scale = min((right - left) / (x1 - x0), (bottom - top) / (y1 - y0))
    dx = left + ((right - left) - (x1 - x0) * scale) / 2 - x0 * scale
    dy = top + ((bottom - top) - (y1 - y0) * scale) / 2 + y1 * scale
    return scale, dx, dy


def project(lon: float, lat: float, fit: tuple[float, float, float]) -> Point:
    scale, dx, dy = fit
    x, y = mercator(lon, max(-85.0, min(85.0, lat)))
    return x * scale + dx, dy - y * scale


def outer_rings(geometry: Mapping[str, object]) -> Iterable[Sequence[Sequence[float]]]:
    """The outer ring of every polygon of a GeoJSON Polygon or MultiPolygon."""
    coordinates = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        yield coordinates[0]  # type: ignore[index]
    elif geometry["type"] == "MultiPolygon":
        for polygon in coordinates:  # type: ignore[attr-defined]
            yield polygon[0]


def state_shapes(geojson: bytes) -> list[tuple[str, Mapping[str, object]]]:
    """(id, geometry) of the states and the outlines of states with no place, in drawing
    order (outlines first, as geo/static/frt-map.js draws them)."""
    features = json.loads(geojson).get("features", [])
    order = {"outline": 0, "state": 1}
    chosen = [f for f in features if f["properties"]["level"] in order]
    chosen.sort(key=lambda f: order[f["properties"]["level"]])
    return [(f["properties"]["id"], f["geometry"]) for f in chosen]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size * SCALE)


def _draw_map(
    draw: ImageDraw.ImageDraw, dataset: Dataset, geojson: bytes, fills: Mapping[str, str]
) -> None:
    box = [v * SCALE for v in MAP_BOX]
    fit = projector(box)
    drawn = set()
    for place_id, geometry in state_shapes(geojson):
        colour = STATUS_COLOURS[fills.get(place_id, NO_RECORD)]
        for ring in outer_rings(geometry):
            points = [project(lon, lat, fit) for lon, lat in ring]
            if len(points) >= 3:
                draw.polygon(points, fill=colour, outline=BORDER, width=SCALE)
        drawn.add(place_id)
    radius = DOT_RADIUS * SCALE
    for place in dataset.jurisdictions:
        if not place.on_map or place.lat is None or place.lon is None or place.id in drawn:
            continue
        x, y = project(place.lon, place.lat, fit)
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            fill=STATUS_COLOURS[fills.get(place.id, NO_RECORD)],
            outline=DOT_OUTLINE,
            width=round(1.5 * SCALE),
        )


def _draw_words(draw: ImageDraw.ImageDraw, counts: Mapping[str, int], subtitle: str) -> None:
    draw.text((48 * SCALE, 34 * SCALE), TITLE, fill=TEXT, font=_font(46))
    draw.text((50 * SCALE, 94 * SCALE), subtitle, fill=SOFT_TEXT, font=_font(26))
    swatch = 30 * SCALE
    for n, (status, colour, label, _meaning) in enumerate(legend_rows()):
        top = (LEGEND_TOP + n * LEGEND_ROW) * SCALE
        left = LEGEND_LEFT * SCALE
        draw.rectangle(
            (left, top, left + swatch, top + swatch), fill=colour, outline=DOT_OUTLINE, width=SCALE
        )
        draw.text(
            (left + swatch + 14 * SCALE, top + swatch // 2),
            f"{label}: {counts.get(status, 0)}",
            fill=TEXT,
            font=_font(24),
            anchor="lm",
        )


def palette() -> Image.Image:
    """The image's colours: every status colour, the text and line colours, and blends of each
    pair (the smoothed edges). A PNG of these is a quarter of the size of a full-colour one,
    and every fill keeps its exact colour."""
    plain = sorted({*STATUS_COLOURS.values(), BACKGROUND, TEXT, SOFT_TEXT, BORDER, DOT_OUTLINE})
    colours = [ImageColor.getrgb(c) for c in plain]
    blends = [
        tuple(round(x * (1 - t) + y * t) for x, y in zip(a, b, strict=True))
        for a, b in itertools.combinations(colours, 2)
        for t in (0.2, 0.4, 0.6, 0.8)
    ]
    flat = [v for colour in [*colours, *blends] for v in colour][: 256 * 3]
    image = Image.new("P", (1, 1))
    image.putpalette(flat + [0] * (256 * 3 - len(flat)))
    return image


def preview_png(dataset: Dataset, geojson: bytes, fills: Mapping[str, str], on: date) -> bytes:
    """The preview image as PNG bytes. `fills` holds every place's fill on `on` (context
    places as no record); the legend counts the places that are not context."""
    width, height = PREVIEW_SIZE
    image = Image.new("RGB", (width * SCALE, height * SCALE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw_map(draw, dataset, geojson, fills)
    counted = [fills[j.id] for j in dataset.jurisdictions if not j.is_context]
    counts = {status: counted.count(status) for status in set(counted)}
    places = "U.S. states, counties and cities"
    _draw_words(draw, counts, f"Status on {event_date(on.isoformat())} · {places}")
    small = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.quantize(palette=palette(), dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True
    )
    return out.getvalue()
