"""The quotes page: every published quote, with filters and full-text search."""

from __future__ import annotations

import streamlit as st

from geo import tables, ui
from geo.present import STANCE_LABELS, place_label

dataset = ui.start_page()

st.title("Quotes: who said what about banning face recognition", anchor=False)
year_col, only_col = st.columns([6, 1], vertical_alignment="bottom")
with year_col:
    year, on = ui.year_control(dataset)
with only_col:
    only_year = st.checkbox(f"Only {year}", key="quotes_only_year")

search_col, stance_col, place_col, speaker_col = st.columns([3, 2, 3, 3])
with search_col:
    search = st.text_input(
        "Search words, speakers and roles", key="quotes_search", placeholder="e.g. Kaplan"
    )
with stance_col:
    stances = st.multiselect(
        "Stance",
        tables.stance_options(),
        key="quotes_stance",
        format_func=STANCE_LABELS.__getitem__,
        placeholder="All stances",
    )
with place_col:
    places = st.multiselect(
        "Place",
        tables.quote_place_options(dataset),
        key="quotes_place",
        format_func=lambda pid: place_label(dataset.jurisdiction(pid)),
        placeholder="All places",
    )
with speaker_col:
    speakers = st.multiselect(
        "Speaker", tables.speaker_options(dataset), key="quotes_speaker", placeholder="All speakers"
    )

quotes = tables.filter_quotes(
    dataset,
    stances=stances,
    places=places,
    years=[year] if only_year else None,
    speakers=speakers,
    search=search,
)
st.header(f"{len(quotes)} of {len(dataset.quotes)} quotes", anchor=False)
if not quotes:
    st.info("No quote matches these filters.")
for quote in quotes:
    ui.quote_block(quote, place_label(dataset.jurisdiction(quote.jurisdiction_id)))
