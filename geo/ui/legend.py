"""The legend, the headline metrics and the year's story: what the map shows, in words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import streamlit as st

from geo.drawing import legend_svg, mark_counts
from geo.escape import markdown_text
from geo.present import event_date, legend_rows, legend_text
from geo.ui.loaders import story_of, today

STORY_ICON = ":material/history:"  # the year's story; the page's notices have no icon


def legend(
    counts: dict[str, int], *, large: bool = False, payload: Mapping[str, object] | None = None
) -> None:
    """The legend: a colour, a word and a count per status, and a shape, a word and a count
    per mark drawn on top (counted in the map's `payload`); an image, with the words as alt.

    The large one (presenting) keeps to the words: the counts are in the cards above it, and
    the words alone fit the narrow column of a 1280 px screen at full size.
    """
    places = payload["places"] if payload else []
    counts = {**counts, **mark_counts(p["marks"] for p in places)}  # type: ignore[attr-defined]
    st.image(legend_svg(None if large else counts, large=large), alt=legend_text(counts))


def headline_metrics(counts: dict[str, int], on: date) -> None:
    """The counts in large type, one per status, for the back of the room."""
    columns = st.columns(len(legend_rows()) - 1)
    for column, (status, _colour, label, _meaning) in zip(columns, legend_rows(), strict=False):
        with column:
            st.metric(label, counts.get(status, 0), border=True)
    when = "today" if on == today() else event_date(on.isoformat())
    st.caption(f"Jurisdictions by status, as of {when}. No record is not the same as not using.")


def year_story(year: int) -> None:
    """What changed on the map this year, in words, under the year: a live region (Streamlit
    draws st.info as role="status", polite, and keeps the same element from run to run), so a
    screen reader reads each year out as the slider or Play moves on."""
    st.info(markdown_text(story_of(year)), icon=STORY_ICON)
