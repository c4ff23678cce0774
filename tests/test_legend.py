"""The map legend: an SVG image with a swatch, a word and a count for every fill and every mark
drawn on top; every swatch looks exactly like the fill the map draws (both editions)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from coloraide import Color

from geo.drawing import MAP_BACKGROUND, draw_settings, legend_svg
from geo.present import legend_text
from geo.site.assets import status_css
from geo.vocabulary import LEGEND_ORDER, MARK_LABELS, MARKS, STATUS_COLOURS, STATUS_LABELS

SVG = "{http://www.w3.org/2000/svg}"
COUNTS = {"banned": 17, "using": 15, "no_record": 12, "use_despite": 3}


def as_drawn(status: str) -> str:
    """The colour the drawing script shows for a fill: its colour at the opacity it is given
    (draw_settings, what frt-map.js reads) over the map's background."""
    opacity = float(draw_settings()["opacity"])  # type: ignore[arg-type]
    mixed = Color(MAP_BACKGROUND).mix(Color(STATUS_COLOURS[status]), opacity, space="srgb")
    return mixed.to_string(hex=True).upper()


def status_swatches(root: ET.Element) -> list[str]:
    return [r.get("fill") or "" for r in root.iter(f"{SVG}rect") if r.get("height") != "8"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)


@pytest.mark.parametrize("large", [False, True], ids=["standard", "presenting"])
def test_every_status_has_its_colour_word_and_count_in_order(large):
    root = parse(legend_svg(COUNTS, large=large))
    fills = status_swatches(root)[: len(LEGEND_ORDER)]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert fills == [as_drawn(s) for s in LEGEND_ORDER]
    assert texts[0] == "Legend"
    assert texts[1:] == [f"{STATUS_LABELS[s]} ({COUNTS.get(s, 0)})" for s in LEGEND_ORDER] + [
        f"{MARK_LABELS[m]} ({COUNTS.get(m, 0)})" for m in MARKS
    ]


def test_every_swatch_is_the_fill_as_drawn_in_both_editions():
    """The app's legend image and the static page's swatch classes show each fill exactly as
    the map draws it (once, banned states at 0.6 looked like the moratorium swatch)."""
    app = status_swatches(parse(legend_svg(COUNTS)))[: len(LEGEND_ORDER)]
    assert app == [as_drawn(s) for s in LEGEND_ORDER]
    site = dict(re.findall(r"\.s-(\w+)\{background:(#[0-9A-Fa-f]{6})\}", status_css()))
    assert {s: c.upper() for s, c in site.items()} == {s: as_drawn(s) for s in LEGEND_ORDER}


def test_the_marks_rows_show_the_marks_as_drawn():
    """The stripes are the same <pattern> the drawing script builds; the triangle is filled in
    the `using` colour with a dark outline."""
    root = parse(legend_svg(COUNTS))
    pattern = root.find(f"{SVG}defs/{SVG}pattern")
    assert pattern is not None and pattern.get("patternTransform") == "rotate(45)"
    hatch = [r for r in root.iter(f"{SVG}rect") if (r.get("fill") or "").startswith("url(#")]
    assert [r.get("fill") for r in hatch] == [f"url(#{pattern.get('id')})"]
    triangle = root.find(f"{SVG}polygon")
    assert triangle is not None and triangle.get("fill") == STATUS_COLOURS["using"]
    assert triangle.get("stroke") == "#000000"


def test_the_presenting_legend_is_bigger_and_every_line_fits():
    small, large = parse(legend_svg(COUNTS)), parse(legend_svg(COUNTS, large=True))
    assert int(large.get("font-size")) > int(small.get("font-size")) >= 14
    for root in (small, large):
        width, font = int(root.get("width")), int(root.get("font-size"))
        longest = max(len(t.text) for t in root.iter(f"{SVG}text"))
        # 0.6 em is a generous average glyph width for a sans-serif face.
        assert width >= 28 + longest * font * 0.55


def test_without_counts_the_legend_keeps_to_the_words():
    texts = [t.text for t in parse(legend_svg(None, large=True)).iter(f"{SVG}text")]
    marks = [MARK_LABELS[m] for m in MARKS]
    assert texts == ["Legend", *(STATUS_LABELS[s] for s in LEGEND_ORDER), *marks]


def test_the_alt_text_says_what_the_image_shows():
    text = legend_text(COUNTS)
    assert text.startswith("Legend. ")
    for status in LEGEND_ORDER:
        assert f"{STATUS_LABELS[status]}: {COUNTS.get(status, 0)}" in text
    for mark in MARKS:
        assert f"{MARK_LABELS[mark]}: {COUNTS.get(mark, 0)}" in text


def test_labels_are_escaped(monkeypatch):
    monkeypatch.setitem(STATUS_LABELS, "banned", "<b>Banned</b> & {{ x }}")
    svg = legend_svg(COUNTS)
    assert "<b>" not in svg and "{{" not in svg
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "<b>Banned</b> & {{ x }} (17)" in texts
