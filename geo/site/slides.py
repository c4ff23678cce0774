"""The map as a picture, drawn with Pillow from the built boundaries and one snapshot: no
network, no browser. One drawing, parametrised by its size and its contents, makes the
sharing preview (geo.site.preview, 1200 by 630), a slide of any year (1920 by 1080, with the
marks' counts and the source line) and the story as an animated GIF (one frame per year-end).

It is the map as the pages open it: the contiguous states (geo.drawing.US_BOUNDS, Web
Mercator) filled by their status with white borders, every other place a dot in its colour,
the marks drawn on top (stripes for a ban proposed, a triangle for use despite a ban), and the
legend with the counts beside it.
"""

from __future__ import annotations

import io
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont

from geo.drawing import HATCH, MARK_OUTLINE, US_BOUNDS
from geo.escape import safe_href
from geo.present import event_date, legend_marks, legend_rows
from geo.records import Dataset
from geo.timeline import Snapshot, snapshot
from geo.vocabulary import NO_RECORD, STATUS_COLOURS

SCALE = 2  # drawn at twice the size, then reduced: smooth edges without antialiasing
BACKGROUND = "#FFFFFF"
TEXT = "#111111"
SOFT_TEXT = "#333333"
BORDER = "#FFFFFF"
DOT_OUTLINE = "#333333"
SLIDE_SIZE = (1920, 1080)
STORY_SIZE = (960, 540)
FRAME_MS = 1500  # each year of the story
LAST_FRAME_MS = 4000  # today, held longer
PLACES = "U.S. states, counties and cities"
Point = tuple[float, float]
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in pixels of the finished image (drawn at SCALE times this)."""

    size: tuple[int, int]
    map_box: Box  # left, top, right, bottom
    title: tuple[int, int, int]  # left, top, font size
    subtitle: tuple[int, int, int]
    legend: tuple[int, int, int, int, int]  # left, top, row height, swatch, font size
    dot_radius: float
    source: tuple[int, int, int] | None = None  # left, baseline, font size (None: no line)


@dataclass(frozen=True)
class Contents:
    """What one picture shows: every place's fill, the marks drawn on places, the counts."""

    title: str
    subtitle: str
    fills: Mapping[str, str]
    counts: Mapping[str, int]
    marks: Mapping[str, tuple[str, ...]] | None = None  # None: no marks drawn nor counted
    mark_counts: Mapping[str, int] | None = None
    source: str = ""


def slide_layout(size: tuple[int, int] = SLIDE_SIZE) -> Layout:
    """A 16:9 slide's layout at any size (1920 by 1080 is the reference)."""
    k = min(size[0] / 1920, size[1] / 1080)

    def s(*values: float) -> tuple[int, ...]:
        return tuple(round(v * k) for v in values)

    return Layout(
        size=size,
        map_box=s(40, 210, 1330, 960),  # type: ignore[arg-type]
        title=s(72, 44, 64),  # type: ignore[arg-type]
        subtitle=s(74, 134, 40),  # type: ignore[arg-type]
        legend=s(1370, 250, 72, 42, 34),  # type: ignore[arg-type]
        dot_radius=8 * k,
        source=s(74, 1030, 26),  # type: ignore[arg-type]
    )


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


def font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(1, round(size * SCALE)))


def triangle(x: float, y: float, size: float) -> list[Point]:
    """The `use_despite` triangle centred on (x, y), as geo.drawing.triangle_points."""
    s = size / 16
    return [(x + (px - 8) * s, y + (py - 8) * s) for px, py in ((8, 1.5), (14.5, 14), (1.5, 14))]


def _hatch(image: Image.Image, mask: Image.Image) -> None:
    """Diagonal stripes (geo.drawing.HATCH) over the white parts of `mask`."""
    stripes = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(stripes)
    step = float(HATCH["size"]) * SCALE * 1.5
    width = round(float(HATCH["stripe"]) * SCALE * 1.2)
    alpha = round(255 * float(HATCH["opacity"]))
    w, h = image.size
    for n in range(int((w + h) / step) + 1):
        x = n * step
        draw.line([(x, 0), (x - h, h)], fill=alpha, width=width)
    image.paste(str(HATCH["colour"]), mask=ImageChops.multiply(stripes, mask))


def _draw_map(
    image: Image.Image, dataset: Dataset, geojson: bytes, layout: Layout, c: Contents
) -> None:
    draw = ImageDraw.Draw(image)
    marks = c.marks or {}
    hatched = Image.new("L", image.size, 0)
    hatch_draw = ImageDraw.Draw(hatched)
    fit = projector([v * SCALE for v in layout.map_box])
    drawn = set()
    for place_id, geometry in state_shapes(geojson):
        colour = STATUS_COLOURS[c.fills.get(place_id, NO_RECORD)]
        for ring in outer_rings(geometry):
            points = [project(lon, lat, fit) for lon, lat in ring]
            if len(points) >= 3:
                draw.polygon(points, fill=colour, outline=BORDER, width=SCALE)
                if "ban_proposal" in marks.get(place_id, ()):
                    hatch_draw.polygon(points, fill=255)
        drawn.add(place_id)
    radius = layout.dot_radius * SCALE
    triangles = []
    for place in dataset.jurisdictions:
        if not place.on_map or place.lat is None or place.lon is None:
            continue
        x, y = project(place.lon, place.lat, fit)
        if "use_despite" in marks.get(place.id, ()):
            triangles.append((x, y))
        if place.id in drawn:
            continue
        dot = (x - radius, y - radius, x + radius, y + radius)
        draw.ellipse(
            dot,
            fill=STATUS_COLOURS[c.fills.get(place.id, NO_RECORD)],
            outline=DOT_OUTLINE,
            width=round(1.5 * SCALE),
        )
        if "ban_proposal" in marks.get(place.id, ()):
            hatch_draw.ellipse(dot, fill=255)
    _hatch(image, hatched)
    for x, y in triangles:
        points = triangle(x, y - radius, radius * 2.6)
        draw.polygon(points, fill=STATUS_COLOURS["using"], outline=MARK_OUTLINE, width=SCALE)


def legend_lines(c: Contents) -> list[tuple[str, str]]:
    """(key, 'Label: count') of every fill, then of every mark when the picture has marks."""
    lines = [(s, f"{label}: {c.counts.get(s, 0)}") for s, _c, label, _m in legend_rows()]
    if c.mark_counts is not None:
        lines += [(m, f"{label}: {c.mark_counts.get(m, 0)}") for m, label, _m in legend_marks()]
    return lines


def _swatch(image: Image.Image, key: str, box: Box) -> None:
    draw = ImageDraw.Draw(image)
    if key in STATUS_COLOURS:
        draw.rectangle(box, fill=STATUS_COLOURS[key], outline=DOT_OUTLINE, width=SCALE)
    elif key == "ban_proposal":
        draw.rectangle(box, fill="#DDDDDD", outline=DOT_OUTLINE, width=SCALE)
        mask = Image.new("L", image.size, 0)
        ImageDraw.Draw(mask).rectangle(box, fill=255)
        _hatch(image, mask)
    else:
        left, top, right, bottom = box
        points = triangle((left + right) / 2, (top + bottom) / 2, right - left)
        draw.polygon(points, fill=STATUS_COLOURS["using"], outline=MARK_OUTLINE, width=SCALE)


def _fitted(
    draw: ImageDraw.ImageDraw, text: str, size: float, width: float
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The font at `size`, or smaller until `text` fits in `width` (pixels at SCALE)."""
    while size > 8 and draw.textlength(text, font=font(size)) > width:
        size -= 1
    return font(size)


def _draw_words(image: Image.Image, layout: Layout, c: Contents) -> None:
    draw = ImageDraw.Draw(image)
    width = layout.size[0] * SCALE
    x, y, size = layout.title
    draw.text((x * SCALE, y * SCALE), c.title, fill=TEXT, font=font(size))
    x, y, size = layout.subtitle
    draw.text((x * SCALE, y * SCALE), c.subtitle, fill=SOFT_TEXT, font=font(size))
    left, top, row, swatch, size = (v * SCALE for v in layout.legend)
    for n, (key, line) in enumerate(legend_lines(c)):
        y = top + n * row
        _swatch(image, key, (left, y, left + swatch, y + swatch))
        room = width - left - swatch - 24 * SCALE
        label_font = _fitted(draw, line, size / SCALE, room)
        draw.text(
            (left + swatch + 14 * SCALE, y + swatch // 2),
            line,
            fill=TEXT,
            font=label_font,
            anchor="lm",
        )
    if layout.source and c.source:
        x, y, size = layout.source
        line_font = _fitted(draw, c.source, size, width - 2 * x * SCALE)
        draw.text((x * SCALE, y * SCALE), c.source, fill=SOFT_TEXT, font=line_font, anchor="ls")


def palette() -> Image.Image:
    """The image's colours: every status colour, the text and line colours, and blends of each
    pair (the smoothed edges). A PNG of these is a quarter of the size of a full-colour one,
    and every fill keeps its exact colour."""
    plain = sorted(
        {*STATUS_COLOURS.values(), BACKGROUND, TEXT, SOFT_TEXT, BORDER, DOT_OUTLINE, MARK_OUTLINE}
    )
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


def picture(dataset: Dataset, geojson: bytes, layout: Layout, contents: Contents) -> Image.Image:
    """The drawing at its finished size, in the palette's colours."""
    width, height = layout.size
    image = Image.new("RGB", (width * SCALE, height * SCALE), BACKGROUND)
    _draw_map(image, dataset, geojson, layout, contents)
    _draw_words(image, layout, contents)
    small = image.resize((width, height), Image.Resampling.LANCZOS)
    return small.quantize(palette=palette(), dither=Image.Dither.NONE)


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def source_line(dataset: Dataset, where: str) -> str:
    """Where the data comes from, for a picture taken away from the map: `where` (the site's
    or the app's address) when it is an http(s) link."""
    sources = (safe_href(where) if where else None) or "the Sources list of this map"
    return (
        f"Data: {len(dataset.events)} dated events, each with its source: {sources}. "
        "Boundaries: U.S. Census Bureau."
    )


def year_contents(dataset: Dataset, shot: Snapshot, title: str, source: str) -> Contents:
    """A year's picture from its snapshot: fills (context places as no record), marks, counts."""
    places = [j.id for j in dataset.jurisdictions if not j.is_context]
    return Contents(
        title=title,
        subtitle=f"Status on {event_date(shot.on.isoformat())} · {PLACES}",
        fills={j.id: NO_RECORD if j.is_context else shot.fill(j.id) for j in dataset.jurisdictions},
        counts=shot.counts(),
        marks={p: shot.state(p).marks for p in places},
        mark_counts=shot.mark_counts(),
        source=source,
    )


def slide_png(
    dataset: Dataset,
    geojson: bytes,
    shot: Snapshot,
    title: str,
    source: str,
    size: tuple[int, int] = SLIDE_SIZE,
) -> bytes:
    """One year's map for a slide, as PNG bytes (1920 by 1080 unless asked otherwise)."""
    contents = year_contents(dataset, shot, title, source)
    return png_bytes(picture(dataset, geojson, slide_layout(size), contents))


def story_gif(
    dataset: Dataset,
    geojson: bytes,
    shots: Sequence[Snapshot],
    title: str,
    source: str,
    size: tuple[int, int] = STORY_SIZE,
) -> bytes:
    """The story as an animated GIF: one frame per snapshot (each year-end, then today),
    FRAME_MS each and the last held LAST_FRAME_MS, looping."""
    layout = slide_layout(size)
    frames = [
        picture(dataset, geojson, layout, year_contents(dataset, s, title, source)) for s in shots
    ]
    out = io.BytesIO()
    frames[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[FRAME_MS] * (len(frames) - 1) + [LAST_FRAME_MS],
        loop=0,
        optimize=True,
    )
    return out.getvalue()


SLIDE_PREFIX, SLIDE_SUFFIX = "slides/map-", ".png"


def slide_name(year: int) -> str:
    return f"{SLIDE_PREFIX}{year}{SLIDE_SUFFIX}"


STORY_NAME = "slides/story.gif"


def slide_files(
    dataset: Dataset, geojson: bytes, dates: Mapping[int, date], title: str, source: str
) -> dict[str, bytes]:
    """A slide of every year (`dates`: each year and the date it stands for) and the story."""
    shots = [snapshot(dataset, dates[year]) for year in sorted(dates)]
    out = {
        slide_name(shot.on.year): slide_png(dataset, geojson, shot, title, source) for shot in shots
    }
    out[STORY_NAME] = story_gif(dataset, geojson, shots, title, source)
    return out


def take_away(year: int) -> dict[str, str]:
    """The map page's links to the slide of the year shown (the page's script follows the
    year: prefix + year + suffix) and to the story, with the names they are saved under."""
    return {
        "png": slide_name(year),
        "png_file": f"frt-map-{year}.png",
        "prefix": SLIDE_PREFIX,
        "suffix": SLIDE_SUFFIX,
        "gif": STORY_NAME,
        "gif_file": "frt-map-story.gif",
    }
