"""Controls: the year slider (kept in the URL), Play, presentation mode, the place chooser."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from geo import tables
from geo.escape import markdown_text
from geo.present import LEVEL_LABELS, place_label, place_options
from geo.records import Dataset
from geo.timeline import dataset_years, year_end
from geo.ui.loaders import today
from geo.ui.state import on_phone, sync_place_to_url
from geo.ui.style import MAP_FRAME_MARGIN, MAP_HEIGHTS, PLAY_LABEL

PLAY_SECONDS = 1.6
PLAY_KEY = "playing"
PLAY_SECONDS_PRESENTING = 3.0
# A toggle's box: Streamlit shows a 40 px placeholder until a widget's code has arrived, then
# draws a toggle at 32 px, which moved everything after it (layout shift).
TOGGLE_PX = 40


def year_bounds(dataset: Dataset) -> tuple[int, int]:
    return dataset_years(dataset, today())


def _year_from_url(first: int, last: int) -> int:
    raw = st.query_params.get("year")
    if raw is None:
        return last
    if raw.isdigit() and first <= int(raw) <= last:
        return int(raw)
    # `raw` comes from the URL: shown as text, never as Markdown (links, images, colours).
    shown = markdown_text(repr(raw))
    st.warning(f"The link asks for year {shown}; years run from {first} to {last}.")
    return last


def _label_above(label: str, help: str | None = None) -> None:
    """A widget's visible label as text of its own, the widget's own label collapsed (it still
    names the control for screen readers and Playwright's get_by_label). Streamlit fetches a
    slider's or a select box's code after the first paint and holds a 40 px placeholder until
    then; drawn with its label the widget is 68 px, so everything under it moved down (layout
    shift). Text is in Streamlit's first bundle and the collapsed widget is 40 px."""
    st.markdown(markdown_text(label), help=help)


YEAR_HELP = "Status at the end of the chosen year; the current year means today."


def year_control(
    dataset: Dataset, *, label: str = "Year", beside: Callable[[], None] | None = None
) -> tuple[int, date]:
    """A year slider kept in the URL (`?year=`); returns the year and the date it stands for.
    `beside` draws a control on the label's line (a phone's Play: no row of its own, so a
    shared place's panel stays on the first screen)."""
    first, last = year_bounds(dataset)
    if "year" not in st.session_state:
        st.session_state["year"] = _year_from_url(first, last)
    if beside is None:
        _label_above(label, help=YEAR_HELP)
    else:
        with st.container(horizontal=True, vertical_alignment="top", gap="large"):
            _label_above(label, help=YEAR_HELP)
            beside()
    year = st.slider(
        label, min_value=first, max_value=last, key="year", label_visibility="collapsed"
    )
    st.query_params["year"] = str(year)
    return year, year_end(year, today())


def place_select(dataset: Dataset, label: str, placeholder: str) -> None:
    """The searchable place chooser (session key "place", the one the URL and the map share)."""
    _label_above(label)
    st.selectbox(
        label,
        place_options(dataset),
        key="place",
        index=None,
        placeholder=placeholder,
        format_func=lambda pid: place_label(dataset.jurisdiction(pid)),
        label_visibility="collapsed",
    )
    sync_place_to_url()


def level_filter(dataset: Dataset, key: str) -> list[str]:
    """Which levels (state, county, city...) a table shows: none chosen means all."""
    return st.multiselect(
        "Level",
        tables.level_options(dataset),
        key=key,
        format_func=LEVEL_LABELS.__getitem__,
        placeholder="All levels",
    )


def apply_pending_year() -> None:
    """Play sets the next year (and its stop) here, before the slider and the switch exist: a
    widget's value is frozen once it is drawn."""
    if "_next_year" in st.session_state:
        st.session_state["year"] = st.session_state.pop("_next_year")
    if st.session_state.pop("_stop_play", False):
        st.session_state[PLAY_KEY] = False


def playing() -> bool:
    return bool(st.session_state.get(PLAY_KEY))


def _play_switched(first: int, last: int) -> None:
    """Switched on at the last year, Play starts over from the first."""
    if playing() and st.session_state.get("year", last) >= last:
        st.session_state["year"] = first


def play_switch(first: int, last: int) -> None:
    """Play: one switch, the same label and key on every run, so Streamlit keeps one element
    (a button that turned into "Stop" left a faded "Play" beside it while the years ran)."""
    # Its 40 px are held from the first paint (TOGGLE_PX).
    with st.container(key="frt-play", height=TOGGLE_PX, border=False):
        st.toggle(
            PLAY_LABEL,
            key=PLAY_KEY,
            on_change=_play_switched,
            args=(first, last),
            help=f"Step through the years {first} to {last}, one every few seconds; switch off "
            "to stop",
        )


def advance_play(year: int, last: int) -> None:
    if year >= last:
        st.session_state["_stop_play"] = True
    else:
        st.session_state["_next_year"] = year + 1
    st.rerun()


def presentation_mode() -> bool:
    """On with `?present=1` or the toggle; app.py asks too, to hide the sidebar."""
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get("present") == "1"
    return bool(st.session_state["present"])


def _sync_present_to_url() -> None:
    if st.session_state.get("present"):
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def presentation_toggle() -> None:
    with st.container(key="frt-present", height=TOGGLE_PX, border=False):
        st.toggle(
            "Presentation mode",
            key="present",
            on_change=_sync_present_to_url,
            help="Big type for a projector, no sidebar, a slower Play. Link: add ?present=1",
        )
    _sync_present_to_url()


def play_seconds(*, present: bool) -> float:
    return PLAY_SECONDS_PRESENTING if present else PLAY_SECONDS


def map_space(height: int, *, present: bool) -> dict[str, object]:
    """st.container's arguments for the map frame's box: a fixed height that the frame fills
    (with its margin) except in presentation mode, where the map follows the window."""
    if present:
        return {}
    return {"height": height + MAP_FRAME_MARGIN, "border": False}


def map_height(*, present: bool, embedded: bool) -> int:
    """The map frame's height; presentation mode's comes from the window (geo/ui/style.py)."""
    if embedded:
        return MAP_HEIGHTS["embedded"]
    if on_phone() and not present:
        return MAP_HEIGHTS["phone"]
    return MAP_HEIGHTS["page"]
