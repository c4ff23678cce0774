"""The map page: status by place through time, the place panel and its quotes.

Three layouts of the same widgets: the standard page; presentation mode (`?present=1` or the
toggle: big year and counts, bigger legend, slower Play, no sidebar); and embedded
(`?embed=true`: compact enough for an 800x500 frame with the legend in view).
"""

from __future__ import annotations

import time

import streamlit as st
from streamlit_folium import st_folium

from geo import ui
from geo.mapview import base_map, status_layer
from geo.present import headline, long_date, map_in_words, non_us_rows, place_label, quotes_in_year

dataset = ui.start_page()
boundaries = ui.load_map_boundaries()
first_year, last_year = ui.year_bounds(dataset)
present = ui.presentation_mode()
embedded = st.context.is_embedded

ui.apply_pending_year()
if present:
    year_col, slider_col, play_col, mode_col = st.columns(
        [1.3, 5, 1.2, 1.6], vertical_alignment="center"
    )
elif embedded:
    slider_col, play_col = st.columns([5, 1], vertical_alignment="bottom")
    mode_col = year_col = None
else:
    st.title("Facial recognition bans through time", anchor=False)
    slider_col, play_col, mode_col = st.columns([5, 1, 1.7], vertical_alignment="bottom")
    year_col = None

with slider_col:
    year, on = ui.year_control(dataset)
with play_col:
    ui.play_switch(first_year, last_year)
if mode_col is not None:
    with mode_col:
        ui.presentation_toggle()
if year_col is not None:
    with year_col:
        st.title(str(year), anchor=False)

# What changed this year, under the year (in presentation mode under the map, which must fit
# a 720 px projector); the compact embed leaves it out.
if not embedded and not present:
    ui.year_story(year)
counts = ui.counts_on(on)
if present:
    ui.headline_metrics(counts, on)
elif embedded:
    st.caption(headline(counts, on, ui.today()))
else:
    st.header(headline(counts, on, ui.today()), anchor=False)
for notice in boundaries.notices:
    st.info(notice)

ui.init_place(dataset)
payload = ui.map_payload(on, st.session_state.get("place"))
map_col, side_col = st.columns([3.5, 1] if present else [5, 2], gap="medium")
with map_col:
    result = st_folium(
        base_map(ui.asset_urls(boundaries.served_path), tiles=ui.tiles()),
        key="map",
        height=ui.map_height(present=present, embedded=embedded),
        use_container_width=True,
        feature_group_to_add=status_layer(payload),
        # Only a click on a place reruns the script; panning and zooming never do.
        returned_objects=["last_object_clicked", "last_active_drawing"],
    )
    ui.select_clicked_place(result)
    if present:
        ui.year_story(year)
    # The map's text alternative: its counts in words, and the table that lists every place.
    st.caption(map_in_words(counts, "today" if on == ui.today() else f"on {long_date(on)}"))
    st.page_link("pages/places.py", label="Every place and its status, in words: Places")

with side_col:
    ui.legend(counts, large=present, payload=payload)
    ui.place_select(dataset, "Choose a place", placeholder="Search or click the map")
    ui.announce_place(dataset, st.session_state.get("place"), on)

with map_col:
    st.markdown("**Outside the US**")
    for body, status, event in non_us_rows(dataset, on):
        ui.non_us_line(body, status, event)
    if not present:
        ui.export_button(on)

place = st.session_state.get("place")
with side_col:
    if place:
        ui.place_panel(dataset, place, on, top=present)
    else:
        quotes = quotes_in_year(dataset.quotes, year)
        st.markdown(f"**Quotes from {year} ({len(quotes)})**")
        # A few quotes keep each rerun light; the Quotes page has them all.
        for quote in quotes[: ui.QUOTES_ON_MAP]:
            ui.quote_block(quote, place_label(dataset.jurisdiction(quote.jurisdiction_id)))
        if len(quotes) > ui.QUOTES_ON_MAP:
            st.page_link("pages/quotes.py", label=f"All {len(quotes)} quotes from {year}")

if ui.playing():
    time.sleep(ui.play_seconds(present=present))
    ui.advance_play(year, last_year)
