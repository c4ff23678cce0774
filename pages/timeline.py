"""The timeline page: places in each status month by month, and every event with its source."""

from __future__ import annotations

import streamlit as st

from geo import tables, ui
from geo.charts import timeline_chart
from geo.present import headline
from geo.records import STATUSES
from geo.vocabulary import STATUS_LABELS

dataset = ui.start_page()

st.title("Timeline: bans, moratoria and use, month by month", anchor=False)
year, on = ui.year_control(dataset)
st.header(headline(ui.counts_on(on), on, ui.today()), anchor=False)

st.altair_chart(timeline_chart(ui.monthly_table(), on), width="stretch")
st.caption(
    "Each band is the number of jurisdictions in that status at the end of each month "
    "(national and international bodies included; places with no record are not counted). "
    "The dashed line marks the chosen date."
)

st.header("Events", anchor=False)
status_col, level_col, year_col = st.columns([3, 3, 1], vertical_alignment="bottom")
with status_col:
    statuses = st.multiselect(
        "Status",
        STATUSES,
        key="events_status",
        format_func=STATUS_LABELS.__getitem__,
        placeholder="All statuses",
    )
with level_col:
    levels = ui.level_filter(dataset, key="events_level")
with year_col:
    only_year = st.checkbox(f"Only {year}", key="events_only_year")

events = tables.filter_events(
    dataset, statuses=statuses, levels=levels, year=year if only_year else None
)
st.caption(
    f"{len(events)} of {len(dataset.events)} events, oldest first. Dates are the vote, "
    "signing, ruling or report (YYYY-MM when the day is not known). Click a column to sort."
)
st.dataframe(
    tables.events_table(dataset, events),
    key="events_table",
    hide_index=True,
    width="stretch",
    column_config={
        "Date": st.column_config.TextColumn("Date", width="small"),
        "Summary": st.column_config.TextColumn("Summary", width="large"),
        **ui.source_columns(),
    },
)
