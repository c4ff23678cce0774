"""Entry point and router: `streamlit run app.py`. The map page is the default page."""

from __future__ import annotations

import streamlit as st

from geo.present import event_date, latest_event_date
from geo.ui import load_data

st.set_page_config(
    page_title="Facial recognition bans map",
    page_icon=":material/map:",
    layout="wide",
    initial_sidebar_state="auto",
)

pages = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True, url_path="map"),
]
page = st.navigation(pages)

dataset = load_data()
with st.sidebar:
    latest = latest_event_date(dataset)
    st.caption(f"Data: {len(dataset.events)} events, latest dated {event_date(latest)}.")
    st.caption("Every status and quote links to its source. Boundaries: U.S. Census Bureau.")
    st.caption("Data CC BY 4.0 (proposed); code MIT.")

page.run()
