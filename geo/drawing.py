"""How the map is drawn, for every edition: the settings the one drawing script reads.

The drawing itself is geo/static/frt-map.js, loaded by the app's map frame, by the static
edition and inlined in the single-file export. Python passes it these settings and, per place
and year, the drawing contract (`place_drawing`): a fill (a status key), its colour, the
tooltip's words and the marks drawn on top (geo.vocabulary.MARKS).

No folium here: geo.mapview (the app), geo.site (the static edition) and the legends all read
this module.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from geo.escape import html_text
from geo.present import legend_marks, legend_rows
from geo.vocabulary import (
    MARK_LABELS,
    MARKS,
    MEASURE_STATUSES,
    NO_RECORD,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUSES,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
DRAW_SCRIPT = STATIC_DIR / "frt-map.js"  # all drawing: layers, styles, markers, marks
COPY_SCRIPT = STATIC_DIR / "frt-copy.js"  # the "Copy link" control, both editions
FRAME_SCRIPT = STATIC_DIR / "frt-frame.js"  # the app's folium frame: setup, boundaries
# Around Leaflet: the shapes (compact form, city parts per state), keyboard and click fixes.
LEAFLET_SCRIPT = STATIC_DIR / "frt-leaflet.js"

# The contiguous US, fitted to whatever size the frame has (projector, laptop, phone).
US_BOUNDS = ((24.4, -124.8), (49.4, -66.9))
# From this zoom on, city and county polygons are big enough to click; below it, markers.
POLYGON_ZOOM = 9
# From this zoom on, the city polygons of the states in view are fetched (geo.boundaries.parts):
# a few states fill the map, and the biggest cities are a few dozen pixels across. Below it a
# city is its marker, and no city polygon travels (issue 24).
CITY_ZOOM = 7
# Every fill (state, county, city, marker, and the states with no place) is drawn opaque, so
# a fill on the map is exactly its legend swatch (tests/test_legend.py, test_colours.py).
# At 0.6 over the map's grey, banned states read lighter than their swatch, close to the
# moratorium swatch.
FILL_OPACITY = 1.0
MAP_BACKGROUND = "#DDDDDD"  # Leaflet's background when there are no tiles
MARK_OUTLINE = "#000000"
# `ban_proposal`: diagonal dark stripes over the fill, which still shows between them.
LEGEND_HATCH_ID = "frt-legend-hatch"
LEGEND_TEXT_COLOUR = "#262730"  # Streamlit's light-theme text colour
HATCH: dict[str, float | str] = {"size": 8, "stripe": 3, "colour": "#000000", "opacity": 0.6}
# `use_despite`: a triangle in the `using` colour with a dark outline, at the place's point.
USE_MARK_SIZE = 16
# Markers that tell the story draw on top: a measure (banned, moratorium, rules, repealed)
# above reported use or a pending ban, both above "no record" (drawn smaller). A click where
# markers overlap chooses the highest rank there, then the point nearest the pointer.
MARKER_RANKS: dict[str, int] = {
    **{status: 1 for status in STATUSES},
    **{status: 2 for status in MEASURE_STATUSES},
    NO_RECORD: 0,
}
MARKER_RADIUS = 7
NO_RECORD_RADIUS = 5
CHOSEN_RADIUS = 9
# A chosen place is brought into view: its polygon fitted (up to FOCUS_MAX_ZOOM), or its
# point at POINT_ZOOM (a city's zoom) when it has no polygon.
FOCUS_MAX_ZOOM = 12
POINT_ZOOM = 11


def drawn_colour(
    colour: str, opacity: float = FILL_OPACITY, background: str = MAP_BACKGROUND
) -> str:
    """The colour a reader sees: `colour` at `opacity` over `background` (sRGB, #RRGGBB)."""
    top, bottom = _rgb(colour), _rgb(background)
    mixed = (round(t * opacity + b * (1 - opacity)) for t, b in zip(top, bottom, strict=True))
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def swatch_colour(status: str) -> str:
    """The legend swatch of a fill: what the map draws for it, over the map's background."""
    return drawn_colour(STATUS_COLOURS[status])


def tooltip_label(place: str, fill: str, marks: Sequence[str] = ()) -> str:
    """'Oakland, CA: Banned', then each mark's words: '...: Banned; Use despite a ban'."""
    return "; ".join([f"{place}: {STATUS_LABELS[fill]}", *(MARK_LABELS[m] for m in marks)])


def place_drawing(fill: str | None, marks: Sequence[str] = ()) -> dict[str, object]:
    """The drawing contract's part that changes with the year: fill key, colour and marks."""
    key = fill or NO_RECORD
    return {"fill": key, "colour": STATUS_COLOURS[key], "marks": [m for m in MARKS if m in marks]}


# --- the per-year drawing as one character per place ------------------------------------------
# A place's drawing in a year is a fill and a set of marks: few combinations (fills x subsets
# of MARKS), so the app sends one character per place per rerun instead of the whole contract
# (issue 24: a megabyte per year change at 5,000 places). The characters are letters and
# digits only, so the code string needs no escaping in JSON or a script.
CODE_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits
CODE_FILLS: tuple[str, ...] = (*STATUSES, NO_RECORD)


def code_table() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every (fill, marks) a place can draw, in a fixed order: a place's code is the
    CODE_ALPHABET character at its combination's index. Marks are in MARKS order."""
    subsets = [
        combo for size in range(len(MARKS) + 1) for combo in itertools.combinations(MARKS, size)
    ]
    table = tuple((fill, marks) for fill in CODE_FILLS for marks in subsets)
    if len(table) > len(CODE_ALPHABET):  # a new status or mark outgrew one character
        raise ValueError(f"{len(table)} drawings, {len(CODE_ALPHABET)} codes")
    return table


_CODES = {drawing: CODE_ALPHABET[n] for n, drawing in enumerate(code_table())}


def place_code(fill: str | None, marks: Sequence[str] = ()) -> str:
    """The one character standing for a place's drawing (as place_drawing normalises it)."""
    drawing = place_drawing(fill, marks)
    return _CODES[(str(drawing["fill"]), tuple(drawing["marks"]))]  # type: ignore[arg-type]


def code_drawing(code: str) -> tuple[str, tuple[str, ...]]:
    """The (fill, marks) a code stands for: place_code's inverse."""
    return code_table()[CODE_ALPHABET.index(code)]


def code_settings() -> dict[str, object]:
    """What frt-map.js needs to expand codes into the drawing contract, from Python once:
    per code its fill, colour and marks, and the words of every fill and mark for the
    tooltip (geo.drawing.tooltip_label's rule, restated in frtDraw.expand)."""
    return {
        "codes": {
            CODE_ALPHABET[n]: {"fill": fill, "colour": STATUS_COLOURS[fill], "marks": list(marks)}
            for n, (fill, marks) in enumerate(code_table())
        },
        "words": {key: STATUS_LABELS[key] for key in CODE_FILLS}
        | {mark: MARK_LABELS[mark] for mark in MARKS},
    }


def mark_counts(marks: Iterable[Sequence[str]]) -> dict[str, int]:
    """How many places carry each mark (every mark, zero included), for the legends."""
    counts = dict.fromkeys(MARKS, 0)
    for place_marks in marks:
        for mark in place_marks:
            counts[mark] += 1
    return counts


def draw_settings() -> dict[str, object]:
    """What geo/static/frt-map.js reads besides the places: one dictionary for both editions."""
    return {
        "noRecord": STATUS_COLOURS[NO_RECORD],
        "opacity": FILL_OPACITY,
        "polygonZoom": POLYGON_ZOOM,
        "cityZoom": CITY_ZOOM,
        "hatch": HATCH,
        "useColour": STATUS_COLOURS["using"],
        "markOutline": MARK_OUTLINE,
        "useSize": USE_MARK_SIZE,
        "ranks": MARKER_RANKS,
        "radius": MARKER_RADIUS,
        "noRecordRadius": NO_RECORD_RADIUS,
        "chosenRadius": CHOSEN_RADIUS,
        "focusMaxZoom": FOCUS_MAX_ZOOM,
        "pointZoom": POINT_ZOOM,
    }


# --- the same marks as SVG, for the legends (the app's image and the static page) ------------


SvgShape = tuple[str, dict[str, str]]


def svg_markup(shapes: Iterable[SvgShape]) -> str:
    """Empty SVG elements as text: `<rect x="0" .../>`. Only drawing constants (numbers,
    colours, ids) go in; the static pages draw the same shapes through their templates."""
    return "".join(
        f"<{tag} " + " ".join(f'{name}="{value}"' for name, value in attrs.items()) + "/>"
        for tag, attrs in shapes
    )


def hatch_pattern_shapes(pattern_id: str) -> tuple[dict[str, str], SvgShape]:
    """The attributes of an SVG <pattern> of diagonal stripes (the one frt-map.js draws from
    HATCH) and the stripe inside it."""
    size, stripe = str(HATCH["size"]), str(HATCH["stripe"])
    pattern = {
        "id": pattern_id,
        "patternUnits": "userSpaceOnUse",
        "width": size,
        "height": size,
        "patternTransform": "rotate(45)",
    }
    rect = {
        "width": stripe,
        "height": size,
        "fill": str(HATCH["colour"]),
        "fill-opacity": str(HATCH["opacity"]),
    }
    return pattern, ("rect", rect)


def hatch_pattern(pattern_id: str) -> str:
    """The SVG <pattern> of diagonal stripes, as text (for the legend image)."""
    pattern, stripe = hatch_pattern_shapes(pattern_id)
    opening = " ".join(f'{name}="{value}"' for name, value in pattern.items())
    return f"<pattern {opening}>{svg_markup([stripe])}</pattern>"


def triangle_points(x: float, y: float, size: float) -> str:
    """The `use_despite` triangle in a size-by-size box at (x, y), as frt-map.js draws it."""
    s = size / 16
    points = ((8, 1.5), (14.5, 14), (1.5, 14))
    return " ".join(f"{x + px * s:g},{y + py * s:g}" for px, py in points)


def mark_shapes(mark: str, x: float, y: float, size: float, pattern_id: str) -> list[SvgShape]:
    """The SVG elements showing a mark as the map draws it, in a size-by-size box at (x, y)."""
    box = {"x": f"{x}", "y": f"{y}", "width": f"{size}", "height": f"{size}"}
    if mark == "ban_proposal":
        return [
            ("rect", {**box, "fill": MAP_BACKGROUND, "stroke": "#333333", "stroke-width": "0.75"}),
            ("rect", {**box, "fill": f"url(#{pattern_id})", "class": "frt-hatch"}),
        ]
    return [
        (
            "polygon",
            {
                "points": triangle_points(x, y, size),
                "fill": STATUS_COLOURS["using"],
                "stroke": MARK_OUTLINE,
                "stroke-width": "1.5",
                "stroke-linejoin": "round",
            },
        )
    ]


def mark_swatch(mark: str, x: float, y: float, size: float, pattern_id: str) -> str:
    """SVG elements showing a mark as the map draws it, in a size-by-size box at (x, y)."""
    return svg_markup(mark_shapes(mark, x, y, size, pattern_id))


def legend_size(large: bool = False, columns: int = 1) -> tuple[int, int, int]:
    """(font, row height, total height) of the legend image: its height depends on the
    number of entries only, never on the counts, so the page can reserve it (geo/ui/style.py)."""
    font, row = (26, 38) if large else (15, 25)
    entries = len(legend_rows()) + len(legend_marks())
    title_height = 0 if columns > 1 else row + 4
    return font, row, title_height + row * -(-entries // columns)


def legend_svg(counts: Mapping[str, int] | None, *, large: bool = False, columns: int = 1) -> str:
    """The legend as a small SVG image: a swatch, a word and a count for every colour
    (with `counts` None, the words alone). With `columns` > 1, a strip without the title, for
    presentation mode: rows of `columns` entries at a size read from the back of a room.

    An image costs the browser nothing to draw. The Vega-Lite legend it replaces made a
    first visit load and compile about 1 MB of JavaScript before the map frame could start
    (measured with `python -m bench`).
    """
    font, row, height = legend_size(large, columns)
    swatch = 26 if large else 16
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
    cell = swatch + 12 + round(max(len(text) for _c, text in rows) * font * 0.55) + 4
    gap = font if columns > 1 else 0
    width = columns * cell + (columns - 1) * gap
    title_height = 0 if columns > 1 else row + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="&quot;Source Sans Pro&quot;, '
        f'&quot;Source Sans 3&quot;, Helvetica, Arial, sans-serif" font-size="{font}" '
        f'fill="{LEGEND_TEXT_COLOUR}">',
        f"<defs>{hatch_pattern(LEGEND_HATCH_ID)}</defs>",
    ]
    if title_height:
        parts.append(f'<text x="0" y="{font + 2}" font-weight="600">Legend</text>')
    for n, (key, text) in enumerate(rows):
        top = title_height + (n // columns) * row
        left = (n % columns) * (cell + gap)
        y = top + (row - swatch) // 2
        if key in MARKS:
            parts.append(mark_swatch(key, left + 1, y, swatch, LEGEND_HATCH_ID))
        else:
            # The swatch is the fill as the map draws it (geo.drawing.swatch_colour).
            parts.append(
                f'<rect x="{left + 1}" y="{y}" width="{swatch}" height="{swatch}" '
                f'fill="{html_text(swatch_colour(key))}" stroke="#333333" stroke-width="0.75"/>'
            )
        parts.append(
            f'<text x="{left + swatch + 12}" y="{top + row // 2}" dominant-baseline="central">'
            f"{html_text(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
