"""The map page: status by place through time, the place panel and its quotes."""

from __future__ import annotations

import time

import streamlit as st
from streamlit_folium import st_folium

from geo import ui
from geo.mapview import base_map, place_label, status_layer
from geo.present import headline, non_us_rows, place_options, quotes_in_year

PLAY_SECONDS = 1.6

dataset = ui.start_page()
boundaries = ui.load_map_boundaries()
first_year, last_year = ui.year_bounds(dataset)

ui.apply_pending_year()
st.title("Facial recognition: bans and use, through time", anchor=False)

slider_col, play_col = st.columns([6, 1], vertical_alignment="bottom")
with slider_col:
    year, on = ui.year_control(dataset)
with play_col:
    ui.play_button(first_year, last_year)

counts = ui.counts_on(on)
st.subheader(headline(counts, on, ui.today()), anchor=False)
for notice in boundaries.notices:
    st.info(notice)

ui.init_place(dataset)
map_col, side_col = st.columns([5, 2], gap="medium")
with map_col:
    result = st_folium(
        base_map(ui.asset_urls(boundaries.served_path), tiles=ui.tiles()),
        key="map",
        height=560,
        use_container_width=True,
        feature_group_to_add=status_layer(ui.map_payload(on, st.session_state.get("place"))),
        # Only a click on a place reruns the script; panning and zooming never do.
        returned_objects=["last_object_clicked", "last_active_drawing"],
    )
    ui.select_clicked_place(result)
    st.markdown("**Outside the US**")
    for body, status, event in non_us_rows(dataset, on):
        ui.non_us_line(body, status, event)

with side_col:
    ui.legend(counts)
    options = place_options(dataset)
    st.selectbox(
        "Choose a place",
        options,
        key="place",
        index=None,
        placeholder="Search or click the map",
        format_func=lambda pid: place_label(dataset.jurisdiction(pid)),
    )
    ui.sync_place_to_url()

place = st.session_state.get("place")
if place:
    with side_col:
        ui.place_panel(dataset, place, on)
else:
    with side_col:
        quotes = quotes_in_year(dataset.quotes, year)
        st.markdown(f"**Quotes from {year} ({len(quotes)})**")
        for quote in quotes:
            ui.quote_block(quote, place_label(dataset.jurisdiction(quote.jurisdiction_id)))

if ui.playing():
    time.sleep(PLAY_SECONDS)
    ui.advance_play(year, last_year)
