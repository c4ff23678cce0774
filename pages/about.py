"""The about page: what the statuses mean, how the data is made and checked, its caveats,
sources, codebook, licence, how to propose a correction, and the downloads."""

from __future__ import annotations

import streamlit as st

from geo import site, tables, ui
from geo.escape import markdown_text, source_markdown
from geo.present import event_date, long_date, place_label
from geo.vocabulary import (
    EVENT_LABELS,
    LEGEND_ORDER,
    MARK_LABELS,
    MARK_MEANINGS,
    MARKS,
    STATUS_LABELS,
    STATUS_MEANINGS,
)

dataset = ui.start_page()

st.title("About this map", anchor=False)
st.markdown(
    "A record of where governments have **banned**, **paused**, **restricted**, are "
    "**considering banning**, or **use** face recognition technology: US cities, counties "
    "and states, plus a few national and international bodies, from 2019 to today. Every "
    "status and every quote links to its published source."
)
latest = tables.latest_event(dataset)
if latest is not None:
    where = place_label(dataset.jurisdiction(latest.jurisdiction_id))
    st.markdown(
        f"The latest event is dated **{markdown_text(event_date(latest.date))}**: "
        f"{markdown_text(where)}, {markdown_text(EVENT_LABELS[latest.status])} "
        f"(source: {source_markdown(latest.source_name, latest.source_url, latest.read_url)}). "
        f"The data holds {len(dataset.jurisdictions)} jurisdictions, {len(dataset.events)} "
        f"events and {len(dataset.quotes)} quotes."
    )

st.header("What the statuses mean", anchor=False)
st.markdown(
    "\n".join(
        f"- **{markdown_text(STATUS_LABELS[s])}**: {markdown_text(STATUS_MEANINGS[s])}."
        for s in LEGEND_ORDER
    )
)
st.markdown(
    "\n".join(
        f"- Drawn on top: **{markdown_text(MARK_LABELS[m])}**: {markdown_text(MARK_MEANINGS[m])}."
        for m in MARKS
    )
)
st.markdown(
    "**The colour is the law in force, not the newest event.** A place is coloured by the "
    "strongest measure in force on the date (a ban, a moratorium or rules); a ban that covers "
    "only schools, one vendor or cameras is drawn as *Restricted*, its scope named in the "
    "panel. With no measure in force, a place whose reported use has not ended reads "
    "*Still using*; else one with an open ban or moratorium proposal reads *Ban pending*; "
    "else one whose measure ended reads *Repealed / expired*. An open ban proposal over a "
    "weaker measure, and use reported while a ban stands, are drawn on top. A date known only "
    "to the month counts from the first day of that month. A year on the slider stands for "
    "31 December of that year, or today for the current year. The full rules are in the "
    "codebook below."
)
st.markdown(
    "- **A proposal ends** when it fails, is withdrawn, dies in committee or lapses "
    "(*Proposal ended* in its history), when it passes, or when its legislative session ends: "
    "a bill not enacted stands no longer than its session.\n"
    "- **Reported use ends** when the system is switched off, a pilot or contract ends "
    "(*Use ended* in its history), or a ban or moratorium follows.\n"
    "- **A ban replaced by rules is *restricted*** from that date; a ban with a narrow new "
    "exception stays a ban, and its summary says so.\n"
    "- **Laws from before 2019 are shown from 2019 on.** The map's story starts in 2019, but a "
    "law passed earlier and still in force (Oregon 2015, New Hampshire 2016) already counts in "
    "the 2019 view, the Timeline's first month and the headline; its own date is in the "
    "place's history."
)

st.header("Caveats", anchor=False)
st.markdown(
    "- **No record is not the same as not using.** Police use of face recognition is often "
    "undisclosed, and this data holds only what was publicly reported. A place with no "
    "*using* row may well use it; a place with a ban may still have used it.\n"
    "- **Coverage is what has been reported.** The list is built from news reports, official "
    "records and advocacy groups' statements; a place that is missing has simply not been "
    "recorded yet.\n"
    "- **A statewide law and a city law are separate rows.** A state's status does not change "
    "the status of its cities or counties; the place panel shows both.\n"
    "- **Boundaries are simplified** for the screen, and a few rows stand for a body inside a "
    "place (a school district, a stadium, a county programme); their notes say so."
)

st.header("How the data is gathered and checked", anchor=False)
st.markdown(
    "Each row of the three data files is one fact tied to a public source: official records "
    "(legislative sites, minutes, court records), original reporting, and advocacy groups' "
    "statements. Summaries are in our own words; quotes are the exact published words.\n\n"
    "Before anything is published, a validator (`python -m geo.validate`) checks every row "
    "against the codebook: required fields, allowed values, real calendar dates that are not "
    "in the future, http(s) links only, unique ids, and references to known places. It lists "
    "every problem with its file, line and column; the app refuses to show data with "
    "problems.\n\n"
    "Every event and quote has a **confidence** field: *high* (a primary source, or several "
    "that agree), *medium* (one good source, or a detail not verified) or *low* (a single weak "
    "source, an inference, or contradicted). Doubts are written into the summary or note, "
    "never resolved by guessing. Under a quote that is not certain, a caveat says why in a "
    "sentence (read only in a copy, the date worked out, the speaker not named...); the research "
    "notes themselves are in the downloads."
)

st.header("Published counts beside ours", anchor=False)
st.markdown(
    "Trackers and reporters have counted the places that ban or limit face recognition. Each "
    "count below is set beside ours on the same date, counting what the source counts: the "
    "measures in force (a pending bill or a report of use does not change what is in force), "
    "and leaving out the places its definition leaves out. Definitions differ: some count only "
    "outright bans, some count any law on police use, some only one state. The project's tests "
    "fail when our count drifts outside the tolerance stated in the codebook (2 for states; "
    "for local places, 2 or a fifth of the published number)."
)
st.dataframe(
    tables.tallies_table(dataset),
    hide_index=True,
    width="stretch",
    column_config={
        "Counted by the source": st.column_config.TextColumn(width="large"),
        "Note": st.column_config.TextColumn(width="large"),
        **ui.source_columns(),
    },
)

st.header("Sources", anchor=False)
quality = tables.source_quality(dataset)
st.markdown(
    f"Of {quality.total} events and quotes, **{quality.share(quality.original):.0%}** link to "
    f"the original publisher or an official record, {quality.share(quality.licensed):.0%} to a "
    f"licensed republication (a wire story on a member station's site, a syndication partner; "
    f"named *Publisher (via partner)*), and **{quality.share(quality.copy_only):.0%}** "
    f"({quality.copy_only}) only to a copy, because the original could not be read; those rows "
    "say so in their note and have low confidence. Where the original is linked but a copy "
    "was what we read, the copy follows as *read via*."
)
sources = tables.source_counts(dataset)
st.caption(f"{len(sources)} publishers, by how many events and quotes cite them.")
st.dataframe(sources, hide_index=True, width="stretch", height=300)

st.header("Downloads", anchor=False)
st.markdown(
    "The exact validated records, every column, in file order, as CSV (UTF-8); and a GeoJSON "
    "map of every jurisdiction with its status on the chosen date."
)
year, on = ui.year_control(dataset, label="Year for the GeoJSON status")
csv_col, geo_col = st.columns(2)
with csv_col:
    for name, data in ui.dataset_csvs().items():
        stem = name.removesuffix(".csv")
        st.download_button(
            f"{stem.capitalize()} (CSV)",
            data,
            file_name=ui.file_name(stem, ui.today(), "csv"),
            mime="text/csv",
            key=f"download_{stem}",
            icon=":material/download:",
            on_click="ignore",
        )
with geo_col:
    st.download_button(
        f"Status on {long_date(on)} (GeoJSON)",
        ui.status_geojson(on),
        file_name=ui.file_name("status", on, "geojson"),
        mime="application/geo+json",
        key="download_geojson",
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption(
        "One feature per jurisdiction. Geometry: the Census boundary where one is built "
        "(simplified, WGS84 longitude/latitude), otherwise the data's representative point; "
        "national and international bodies are points at their seat. Properties: id, name, "
        "level, state, geoid, status (null when there is no record), status_label, as_of, "
        "last_event_date, source_url."
    )

st.subheader("Embed the map", anchor=False)
site_url = ui.settings().site_url
st.caption(
    "The static edition's compact map (800 by 500, legend in view) for a partner's page: it is "
    "served by a CDN, not by this app."
    + ("" if site_url else " Put the static edition's address in place of the example.")
)
# Wrapped: a code block that scrolls sideways is a region a keyboard cannot reach (and it
# would scroll at 320 px).
st.code(site.embed_snippet(site_url), language="html", wrap_lines=True)

st.header("How to propose a correction", anchor=False)
st.markdown(
    "Open a pull request that edits the CSV files in `data/`: change only the rows concerned, "
    "cite an http(s) source for every new or changed fact, and run `python -m geo.validate` "
    "(the same check the project runs) and fix what it reports. If you are unsure, lower "
    "`confidence` and say what is unverified rather than leaving a fact out."
)

st.header("Licence and credits", anchor=False)
st.markdown(
    "- Data: [Creative Commons Attribution 4.0 International (CC BY 4.0)]"
    '(https://creativecommons.org/licenses/by/4.0/); credit "The Facial Recognition Ban Map '
    'contributors".\n'
    "- Code: MIT License.\n"
    "- Boundaries: U.S. Census Bureau cartographic boundary files (public domain); states and "
    "counties as distributed with `plotly-geo`.\n"
    "- Quotations remain the words of the people quoted and of the publications that printed "
    "them; they are included for reference, each with its source."
)

st.header("Codebook", anchor=False)
with st.expander("Every field, its format and allowed values, and what counts as each status"):
    st.markdown(tables.codebook_markdown())
