"""The map legend: an SVG image with a swatch, a word and a count for every status colour."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest

from geo.mapview import LEGEND_ORDER, STATUS_COLOURS, STATUS_LABELS, legend_svg, legend_text

SVG = "{http://www.w3.org/2000/svg}"
COUNTS = {"banned": 17, "using": 15, "no_record": 12}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)


@pytest.mark.parametrize("large", [False, True], ids=["standard", "presenting"])
def test_every_status_has_its_colour_word_and_count_in_order(large):
    root = parse(legend_svg(COUNTS, large=large))
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert fills == [STATUS_COLOURS[s] for s in LEGEND_ORDER]
    assert texts[0] == "Legend"
    assert texts[1:] == [f"{STATUS_LABELS[s]} ({COUNTS.get(s, 0)})" for s in LEGEND_ORDER]


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
    assert texts == ["Legend", *(STATUS_LABELS[s] for s in LEGEND_ORDER)]


def test_the_alt_text_says_what_the_image_shows():
    text = legend_text(COUNTS)
    assert text.startswith("Legend. ")
    for status in LEGEND_ORDER:
        assert f"{STATUS_LABELS[status]}: {COUNTS.get(status, 0)}" in text


def test_labels_are_escaped(monkeypatch):
    monkeypatch.setitem(STATUS_LABELS, "banned", "<b>Banned</b> & {{ x }}")
    svg = legend_svg(COUNTS)
    assert "<b>" not in svg and "{{" not in svg
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "<b>Banned</b> & {{ x }} (17)" in texts


def test_streamlit_can_show_it_as_an_svg_image():
    # st.image treats a string that starts with "<svg " as SVG markup (a data: URL).
    from streamlit.elements.lib.image_utils import image_to_url
    from streamlit.elements.lib.layout_utils import LayoutConfig

    url = image_to_url(legend_svg(COUNTS), LayoutConfig(), False, "RGB", "auto", "legend")
    assert url.startswith("data:image/svg+xml;base64,")
    assert b"Banned (17)" in base64.b64decode(url.split(",", 1)[1])
