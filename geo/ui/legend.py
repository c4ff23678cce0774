"""The legend, the headline metrics and the year's story: what the map shows, in words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import streamlit as st

from geo.drawing import legend_svg, mark_counts
from geo.escape import markdown_text
from geo.present import event_date, legend_text
from geo.ui.loaders import story_of, today
from geo.ui.style import RESERVED_LEGEND_PX

STORY_ICON = ":material/history:"  # the year's story; the page's notices have no icon

# Presentation mode's legend: a strip of this many entries per row above the map.
STRIP_COLUMNS = 5


def legend_key(*, large: bool, compact: bool) -> str:
    return "frt-legend-strip" if large else ("frt-legend-compact" if compact else "frt-legend")


def legend(
    counts: dict[str, int],
    *,
    large: bool = False,
    compact: bool = False,
    marks: Mapping[str, int] | None = None,
) -> None:
    """The legend: a colour, a word and a count per status, and a shape, a word and a count
    per mark drawn on top (`marks`, from the snapshot); an image, with the words as alt.

    The large one (presenting) is a strip above the map in type read from the back of a room
    (26 px at 1920 px; scaled to the width on a smaller screen): the counts and colours
    together, so no separate count cards are needed. The compact one (a phone) is two
    columns without the title, to keep the map, the legend and a place's panel on one screen.
    """
    counts = {**counts, **mark_counts(()), **(marks or {})}
    columns = STRIP_COLUMNS if large else (2 if compact else 1)
    svg = legend_svg(counts, large=large, columns=columns)
    key = legend_key(large=large, compact=compact)
    # Its space is held from the first paint: Streamlit fetches the image element's code after
    # that and shows a 40 px placeholder until then (everything under it moved: layout shift).
    # A container of fixed height is drawn at once; a stylesheet arrives too late. The strip
    # scales with the window, so it is held by presentation mode's stylesheet instead.
    if large:
        box = st.container(key=key, border=False)
    else:
        box = st.container(key=key, height=RESERVED_LEGEND_PX[key], border=False)
    with box:
        st.image(svg, alt=legend_text(counts))


def as_of_line(on: date) -> None:
    """Under presentation mode's legend strip: what the counts count, and when."""
    when = "today" if on == today() else event_date(on.isoformat())
    st.caption(f"Jurisdictions by status, as of {when}. No record is not the same as not using.")


def year_story(year: int) -> None:
    """What changed on the map this year, in words, under the year: a live region (Streamlit
    draws st.info as role="status", polite, and keeps the same element from run to run), so a
    screen reader reads each year out as the slider or Play moves on."""
    st.info(markdown_text(story_of(year)), icon=STORY_ICON)
