"""Status colours stay apart for colour-blind readers, at the opacity the map draws, and the
marks drawn on top stand out from every fill.

Measured with coloraide: each fill is composited over the map's background at its drawn
opacity (geo.drawing.FILL_OPACITY, one for every kind of shape), simulated at full severity
for protanopia, deuteranopia and tritanopia (coloraide's CVD filters), and every pair of
legend statuses must stay at least MIN_DELTA_E apart in CIEDE2000. 5 is a difference a reader
sees at a glance; the words in the legend, tooltips and place panel carry the status too, so
colour is never the only cue.
"""

from __future__ import annotations

import itertools

import pytest
from coloraide import Color

from geo.drawing import FILL_OPACITY, HATCH, LEGEND_TEXT_COLOUR, MAP_BACKGROUND, MARK_OUTLINE
from geo.vocabulary import LEGEND_ORDER, STATUS_COLOURS

MIN_DELTA_E = 5.0
VISION = ("normal", "protan", "deutan", "tritan")
PAGE_BACKGROUND = "#FFFFFF"


def drawn(status: str, background: str = MAP_BACKGROUND) -> Color:
    return Color(background).mix(Color(STATUS_COLOURS[status]), FILL_OPACITY, space="srgb")


def seen(colour: Color, vision: str) -> Color:
    return colour if vision == "normal" else colour.clone().filter(vision)


def closest_pair(vision: str) -> tuple[float, str, str]:
    colours = {s: seen(drawn(s), vision) for s in LEGEND_ORDER}
    return min(
        (colours[a].delta_e(colours[b], method="2000"), a, b)
        for a, b in itertools.combinations(LEGEND_ORDER, 2)
    )


@pytest.mark.parametrize("vision", VISION)
def test_every_pair_of_statuses_stays_apart(vision: str) -> None:
    distance, a, b = closest_pair(vision)
    assert distance >= MIN_DELTA_E, f"{a} and {b}: {distance:.1f} for {vision} fills"


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("status", LEGEND_ORDER)
def test_the_proposal_stripes_show_on_every_fill(status: str, vision: str) -> None:
    """`ban_proposal`: the dark stripes over a fill differ from the fill between them."""
    fill = drawn(status)
    stripe = fill.clone().mix(Color(str(HATCH["colour"])), float(HATCH["opacity"]), space="srgb")
    distance = seen(fill, vision).delta_e(seen(stripe, vision), method="2000")
    assert distance >= MIN_DELTA_E, (status, vision, round(distance, 1))


@pytest.mark.parametrize("status", LEGEND_ORDER)
def test_the_use_mark_s_outline_stands_out_from_every_fill(status: str) -> None:
    """`use_despite`: the triangle's dark outline has 3:1 against any fill (WCAG 1.4.11), so
    it shows on a `using` fill of its own colour too; its shape, not its colour, tells it."""
    assert Color(MARK_OUTLINE).contrast(drawn(status)) >= 3.0, status


@pytest.mark.parametrize("vision", VISION)
def test_legend_swatches_stay_apart_on_the_page(vision: str) -> None:
    colours = {s: seen(Color(STATUS_COLOURS[s]), vision) for s in LEGEND_ORDER}
    for a, b in itertools.combinations(LEGEND_ORDER, 2):
        assert colours[a].delta_e(colours[b], method="2000") >= MIN_DELTA_E, (a, b, vision)


def test_the_threshold_would_catch_the_old_state_opacity() -> None:
    """At the 0.45 the map used before, tritanopes lost banned against restricted."""
    old = {s: seen(Color(MAP_BACKGROUND).mix(Color(STATUS_COLOURS[s]), 0.45, space="srgb"),
                   "tritan") for s in ("banned", "restricted")}  # fmt: skip
    assert old["banned"].delta_e(old["restricted"], method="2000") < MIN_DELTA_E


def test_legend_text_meets_contrast_on_the_page() -> None:
    assert Color(LEGEND_TEXT_COLOUR).contrast(Color(PAGE_BACKGROUND)) >= 4.5
