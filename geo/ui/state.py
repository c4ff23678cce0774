"""State that lives in the URL and the session: the router's first run, the chosen place."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from geo.escape import markdown_text
from geo.records import Dataset
from geo.ui.loaders import load_data
from geo.ui.style import app_style


def leave_legacy_multipage_mode() -> None:
    """Run pages through app.py's router, even on a fresh server's very first run.

    Streamlit treats a `pages/` folder beside app.py as its older multipage mode until
    `st.navigation` has run once; a first visit to /places would then run the page file alone
    (no router, no frame). Streamlit 1.67 has no setting for this: the class attribute
    `PagesManager.uses_pages_directory` is the switch (private API; upstream discussion:
    https://github.com/streamlit/streamlit/pull/10276 and
    https://github.com/streamlit/streamlit/issues/9624). Switching it off and rerunning sends
    that visit through app.py. tests/test_layout.py fails loudly if an upgrade removes it.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def start_page() -> Dataset:
    """What every page does first: route, keep the shared year and place, load the data."""
    leave_legacy_multipage_mode()
    app_style()
    carry_over("year", "place")
    return load_data()


def carry_over(*keys: str) -> None:
    """Keep shared widget values (the year, the place) when the reader switches pages.

    A widget's value belongs to the widget on the page that made it; on another page the
    widget with the same key is a new one and would start from its default. Setting the value
    again, before the widget is made, hands it to the new page's widget.
    """
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def init_place(dataset: Dataset) -> None:
    """The chosen place starts from the URL (`?place=`) when it names a known place."""
    if "place" in st.session_state:
        return
    raw = st.query_params.get("place")
    known = {j.id for j in dataset.jurisdictions}
    if raw and raw not in known:
        shown = markdown_text(repr(raw))  # from the URL: text, never Markdown
        st.warning(f"The link names a place this map does not know: {shown}.")
    st.session_state["place"] = raw if raw in known else None


def select_clicked_place(result: object) -> None:
    """A click on the map chooses that place (once per click, not on every rerun)."""
    if not isinstance(result, dict):
        return
    feature = result.get("last_active_drawing") or {}
    props = feature.get("properties") if isinstance(feature, dict) else None
    place_id = props.get("id") if isinstance(props, dict) else None
    click = (place_id, str(result.get("last_object_clicked")))
    if not place_id or click == st.session_state.get("_last_click"):
        return
    st.session_state["_last_click"] = click
    if place_id != st.session_state.get("place"):
        st.session_state["place"] = place_id
        st.query_params["place"] = place_id
        st.rerun()


def sync_place_to_url() -> None:
    place = st.session_state.get("place")
    if place:
        st.query_params["place"] = place
    elif "place" in st.query_params:
        del st.query_params["place"]


def choose_row_place(key: str, ids: list[str]) -> None:
    """`on_select` callback of a table of places: its chosen row becomes the chosen place."""
    rows = st.session_state[key]["selection"]["rows"]
    place = ids[rows[0]] if rows else None
    st.session_state["place"] = place
    if place:
        st.query_params["place"] = place
    elif "place" in st.query_params:
        del st.query_params["place"]


def table_key(name: str, ids: Sequence[str]) -> str:
    """A widget key that changes with the rows shown, so a stale row selection never lingers
    on a different place after the filters change."""
    digest = hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()[:12]
    return f"{name}-{digest}"


def on_phone() -> bool:
    """A phone browser says so in its user agent ("Mobi"); the map is then shorter."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


# How long a session's first run waits after the page configuration (app.py): a few frames, so
# the browser has applied the wide layout before the first content arrives.
LAYOUT_SETTLE_SECONDS = 0.1


def let_layout_settle() -> None:
    """On a session's first run only, pause after st.set_page_config: Streamlit draws the page
    centred until the configuration arrives, and the switch to wide moved the whole page when
    the content came with it (Lighthouse CLS 0.23 on a loaded machine); alone, it moves an
    empty block (0.06). Later runs are already wide and never wait; nor does a phone, whose
    centred layout is as wide as its screen."""
    if st.session_state.get("_frt_layout_sent") or on_phone():
        return
    st.session_state["_frt_layout_sent"] = True
    time.sleep(LAYOUT_SETTLE_SECONDS)
