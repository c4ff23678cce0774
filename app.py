"""Entry point and router: `streamlit run app.py`. The map page is the default page."""

from __future__ import annotations

import streamlit as st

from geo.warmup import warm_up

# First, once per process and under one lock: the app's imports (sessions that arrive together
# on a cold server must not import shapely at the same moment), then gc.freeze().
warm_up()

from geo.present import APP_PAGES, APP_TITLE, event_date, latest_event_date, page_title  # noqa: E402
from geo.ui import app_icon, let_layout_settle, load_data, presentation_mode  # noqa: E402

st.set_page_config(
    page_title=APP_TITLE,
    # A locally drawn icon: Material icon favicons are fetched from Google's servers.
    page_icon=app_icon(),
    layout="wide",
    # No sidebar: the pages are in the top bar, so nothing slides in beside the page after it
    # has painted (a sidebar shifted the whole page: Lighthouse CLS 0.22 of 0.47).
    initial_sidebar_state="collapsed",
)
# Streamlit draws a new tab's page in its centred layout until this configuration arrives, and
# the switch to wide moves the page's block (a layout shift). Alone, before any content, it
# moves an empty block; arriving with the content, the whole page (CLS 0.06 against 0.23).
let_layout_settle()

pages = [
    st.Page(file, title=title, icon=icon, url_path=path, default=path == "map")
    for path, file, title, icon in APP_PAGES
]
# A presenter, or a page that embeds the map, gets the page alone: no navigation at all.
bare = presentation_mode() or st.context.is_embedded
page = st.navigation(pages, position="hidden" if bare else "top")
# Each page its own browser tab title (a bookmark, a shared link's name, the history list).
st.set_page_config(page_title=page_title(page.title))

dataset = load_data()
page.run()
if not bare:  # the page's foot: where the data comes from, and the licences
    latest = latest_event_date(dataset)
    st.caption(
        f"Data: {len(dataset.events)} events, latest dated {event_date(latest)}. Every status "
        "and quote links to its source. Boundaries: U.S. Census Bureau. Data CC BY 4.0; code MIT."
    )
