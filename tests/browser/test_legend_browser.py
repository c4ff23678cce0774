"""The legend's words fit inside its image in the fonts a browser may pick for it."""

from __future__ import annotations

import pytest

from geo.drawing import legend_svg

pytestmark = pytest.mark.browser

# The longest words with the largest counts the legend could show.
COUNTS = {"banned": 999, "moratorium": 999, "repealed": 999, "no_record": 999}


@pytest.mark.parametrize("family", ["Liberation Sans", "DejaVu Sans", "serif", ""])
@pytest.mark.parametrize("counts", [COUNTS, None], ids=["counts", "words"])
@pytest.mark.parametrize("large", [False, True], ids=["standard", "presenting"])
def test_every_line_fits_the_image(new_page, family, counts, large):
    svg = legend_svg(counts, large=large)
    if family:  # put a font ahead of the legend's own list, as a browser without them would
        svg = svg.replace('font-family="', f'font-family="{family}, ', 1)
    page = new_page()
    page.set_content(svg)
    width, right = page.evaluate(
        "() => { const s = document.querySelector('svg');"
        " const ends = [...s.querySelectorAll('text')]"
        "   .map(t => t.getComputedTextLength() + Number(t.getAttribute('x')));"
        " return [Number(s.getAttribute('width')), Math.max(...ends)]; }"
    )
    assert right <= width, (family, right, width)
