"""The places page: the map as a table. Every jurisdiction, its status on the chosen date,
and, for the chosen row, its full history and quotes."""

from __future__ import annotations

from functools import partial

import streamlit as st

from geo import tables, ui
from geo.present import headline, long_date
from geo.vocabulary import LEGEND_ORDER, STATUS_LABELS

dataset = ui.start_page()

st.title("Places: every jurisdiction and its status", anchor=False)
year, on = ui.year_control(dataset)
st.header(headline(ui.counts_on(on), on, ui.today()), anchor=False)
ui.init_place(dataset)

search_col, level_col, status_col, state_col = st.columns([3, 2, 3, 2])
with search_col:
    query = st.text_input("Search by name", key="places_search", placeholder="e.g. Springfield")
with level_col:
    levels = ui.level_filter(dataset, key="places_level")
with status_col:
    statuses = st.multiselect(
        f"Status on {long_date(on)}",
        LEGEND_ORDER,
        key="places_status",
        format_func=STATUS_LABELS.__getitem__,
        placeholder="All statuses",
    )
with state_col:
    states = st.multiselect(
        "State", tables.state_options(dataset), key="places_state", placeholder="All states"
    )

table = tables.places_table(dataset, on)
shown = tables.filter_places(table, query=query, levels=levels, statuses=statuses, states=states)
ids = list(shown.index)

st.caption(
    f"{len(shown)} of {len(table)} places. Choose a row (the box at its left) to see its "
    "history and quotes below the table; click a column header to sort."
)
key = ui.table_key("places_table", ids)
st.dataframe(
    tables.shown_places(shown),
    key=key,
    on_select=partial(ui.choose_row_place, key, ids),
    selection_mode="single-row",
    selection_default=tables.row_selection(ids, st.session_state.get("place")),
    hide_index=True,
    placeholder="",
    width="stretch",
    height=min(38 + 35 * max(len(ids), 1), 460),
    column_config={
        "Place": st.column_config.TextColumn("Place", width="medium"),
        "Last change": st.column_config.TextColumn("Last change", help="Date of the latest event"),
        **ui.source_columns(),
    },
)

ui.place_select(dataset, "Chosen place", placeholder="Choose a row above, or search here")
place = st.session_state.get("place")
ui.announce_place(dataset, place, on)
if place:
    ui.place_panel(dataset, place, on)
