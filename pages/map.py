"""The map page: status by place through time, the place panel and its quotes.

Three layouts of the same widgets: the standard page; presentation mode (`?present=1` or the
toggle: big year, the legend with its counts as a strip in type for the back of a room, the map
as tall as the window, the place panel in 24 px type, slower Play, no sidebar); and embedded
(`?embed=true`: compact enough for an 800x500 frame with the legend in view).
"""

from __future__ import annotations

import time

import streamlit as st
from streamlit_folium import st_folium

from geo import ui
from geo.mapview import base_map, status_layer
from geo.present import (
    dataset_quotes_in_year,
    headline,
    long_date,
    map_in_words,
    non_us_rows,
    place_label,
)

dataset = ui.start_page()
boundaries = ui.load_map_boundaries()
first_year, last_year = ui.year_bounds(dataset)
present = ui.presentation_mode()
embedded = st.context.is_embedded
# A phone: the map first, its legend right under it, a shared place's panel on the first screen.
phone = ui.on_phone() and not present and not embedded

ui.apply_pending_year()
if present:
    year_col, slider_col, play_col, mode_col = st.columns(
        [1.3, 5, 1.2, 1.6], vertical_alignment="center"
    )
elif phone:  # one line on a phone: the slider under it says "through time"
    st.subheader("Facial recognition bans", anchor=False)
    slider_col = st.container()
    play_col = mode_col = year_col = None
elif embedded:
    slider_col, play_col = st.columns([5, 1], vertical_alignment="bottom")
    mode_col = year_col = None
else:
    st.title("Facial recognition bans through time", anchor=False)
    slider_col, play_col, mode_col = st.columns([5, 1, 1.7], vertical_alignment="bottom")
    year_col = None

with slider_col:
    # On a phone, Play sits on the year's label line: the columns would stack it on a row of
    # its own.
    beside = (lambda: ui.play_switch(first_year, last_year)) if play_col is None else None
    year, on = ui.year_control(dataset, beside=beside)
if play_col is not None:
    with play_col:
        ui.play_switch(first_year, last_year)
if mode_col is not None:
    with mode_col:
        ui.presentation_toggle()
if year_col is not None:
    with year_col:
        st.title(str(year), anchor=False)

# What changed this year, under the year (in presentation mode under the map, which must fit
# a 720 px projector; on a phone under the panel, the map first); the embed leaves it out.
if not embedded and not present and not phone:
    ui.year_story(year)
counts = ui.counts_on(on)
marks = ui.mark_counts_on(on)
ui.init_place(dataset)
payload = ui.map_payload(on, st.session_state.get("place"))
if present:
    ui.present_style()
    ui.legend(counts, large=True, marks=marks)
    ui.as_of_line(on)
elif embedded:
    st.caption(headline(counts, on, ui.today()))
elif not phone:  # on a phone the legend under the map carries the counts
    st.header(headline(counts, on, ui.today()), anchor=False)
ui.boundary_notice(boundaries)

map_col, side_col = st.columns([3, 1.15] if present else [5, 2], gap="medium")
side = side_col.container(key="frt-side")
# On a phone the columns stack: the words and the bodies outside the US go below the panel.
words = st.container() if phone else map_col
height = ui.map_height(present=present, embedded=embedded)
# The map's space is held from the first paint by a container of fixed height: the frame sets
# its own height only once its script runs, which shifted everything below it. Presentation
# mode's map follows the window (its stylesheet sets the frame's height).
with map_col, st.container(key=f"frt-map-{height}", **ui.map_space(height, present=present)):
    result = st_folium(
        base_map(ui.asset_urls(*ui.map_files()), tiles=ui.tiles()),
        key="map",
        height=height,
        use_container_width=True,
        feature_group_to_add=status_layer(payload),
        # Only a click on a place reruns the script; panning and zooming never do.
        returned_objects=["last_object_clicked", "last_active_drawing"],
    )
    ui.select_clicked_place(result)
    if present:  # under the map: above it, it would push the map off a 720 px projector
        ui.year_story(year)

place = st.session_state.get("place")
with side:
    if not present:
        ui.legend(counts, marks=marks, compact=phone)
    if phone and place:  # a shared place's panel on the phone's first screen
        ui.place_panel(dataset, place, on)
    ui.place_select(dataset, "Choose a place", placeholder="Search or click the map")
    ui.announce_place(dataset, place, on)
    if place and not phone:
        ui.place_panel(dataset, place, on, top=present)
    elif not place:
        quotes = dataset_quotes_in_year(dataset, year)
        st.markdown(f"**Quotes from {year} ({len(quotes)})**")
        # A few quotes keep each rerun light; the Quotes page has them all.
        for quote in quotes[: ui.QUOTES_ON_MAP]:
            ui.quote_block(quote, place_label(dataset.jurisdiction(quote.jurisdiction_id)))
        if len(quotes) > ui.QUOTES_ON_MAP:
            st.page_link("pages/quotes.py", label=f"All {len(quotes)} quotes from {year}")

with words:
    if phone:
        ui.year_story(year)
    # The map's text alternative: its counts in words, and the table that lists every place.
    st.caption(map_in_words(counts, "today" if on == ui.today() else f"on {long_date(on)}"))
    st.page_link("pages/places.py", label="Every place and its status, in words: Places")
    st.markdown("**Outside the US**")
    for body, status, event in non_us_rows(dataset, on):
        ui.non_us_line(body, status, event)
    if not present:
        ui.export_button(on)
    if not present and not embedded:
        ui.slides_buttons(on)

if ui.playing():
    time.sleep(ui.play_seconds(present=present))
    ui.advance_play(year, last_year)
