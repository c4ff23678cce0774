"""The place panel: a place's status, history and quotes, each quote with its source."""

from __future__ import annotations

from datetime import date

import streamlit as st
import streamlit.components.v1 as components

from geo import tables
from geo.drawing import STATIC_DIR
from geo.escape import markdown_app_link, markdown_link, markdown_text, source_markdown
from geo.links import app_place_url, correction_url
from geo.present import (
    STANCE_LABELS,
    event_date,
    history_rows,
    place_announcement,
    place_label,
    quote_caveat,
    quote_words,
    quotes_for,
    related_state,
    state_words,
    status_on,
)
from geo.records import Dataset, Event, Jurisdiction, Quote
from geo.site.share import place_page_url
from geo.timeline import history, snapshot
from geo.ui.loaders import settings
from geo.vocabulary import CONTEXT_LABEL, MARK_LABELS, STATUS_LABELS

QUOTES_ON_MAP = 6
# "Copy link" in the app: the static edition's control (geo/static/frt-copy.js) in a frame of
# its own (geo/static/copy-link/), since only a frame's script may write to the clipboard. A
# component is the element type the map already loads: no new Streamlit code to fetch.
_COPY_LINK = components.declare_component("copy_link", path=str(STATIC_DIR / "copy-link"))
COPY_LINK_PX = 44  # the frame's box, held from the first paint (the frame sets its height late)


def copy_link(url: str, name: str) -> None:
    """A "Copy link" button that puts `url` (resolved against the app's page) on the clipboard
    and says "Link copied"; `name` labels the address field it falls back to."""
    with st.container(key="frt-copy-link", height=COPY_LINK_PX, border=False):
        _COPY_LINK(url=url, title=name, key="frt-copy-link-frame", default=None)


def quote_block(quote: Quote, place: str | None = None) -> None:
    """One quote: the exact words at full strength, then who, role, date, stance and the
    source link in a line no stronger than the words; then its caveat in plain sentences, when
    it has one. The research note behind it stays in the data and the downloads."""
    with st.container(border=True):
        st.markdown(markdown_text(quote_words(quote.text)))
        who = markdown_text(quote.speaker)
        role = f", {markdown_text(quote.role)}" if quote.role else ""
        where = f" · {markdown_text(place)}" if place else ""
        st.markdown(
            f"{who}{role}  \n{markdown_text(event_date(quote.date))}{where} · "
            f"{markdown_text(STANCE_LABELS[quote.stance])} · "
            f"Source: {source_markdown(quote.source_name, quote.source_url, quote.read_url)}"
        )
        caveat = quote_caveat(quote)
        if caveat:
            st.caption(markdown_text(caveat))


def announce_place(dataset: Dataset, place_id: str | None, on: date) -> None:
    """A live region that is always on the page, under the place chooser: when a place is
    chosen, its text changes and screen readers read it out. Streamlit draws st.success as
    role="status" (polite) and keeps the same element from run to run, so only its text changes.
    (A toast is an alertdialog with no name and is not read out; st.info is the page's notices.)
    """
    when = f"on {event_date(on.isoformat())}"
    if place_id is None:
        st.success(markdown_text(place_announcement(None, None, when)))
        return
    label = place_label(dataset.jurisdiction(place_id))
    status = STATUS_LABELS[status_on(dataset, place_id, on)]
    st.success(markdown_text(place_announcement(label, status, when)))


def history_lines(dataset: Dataset, place_id: str) -> list[str]:
    """One Markdown list item per event of the place's history, in date order: the date,
    what happened, the measure and vote, the summary, the source and the confidence."""
    lines = []
    events = history(dataset.events, place_id)
    for event, row in zip(events, history_rows(dataset, place_id), strict=True):
        head = " · ".join(str(row[k]) for k in ("Status", "Scope", "Measure") if row[k])
        vote = f" (vote: {row['Vote']})" if row["Vote"] else ""
        source = source_markdown(event.source_name, event.source_url, event.read_url)
        note = f"  \n  {markdown_text('Note: ' + str(row['Note']))}" if row["Note"] else ""
        lines.append(
            f"- **{markdown_text(str(row['Date']))}**: {markdown_text(head + vote)}  \n"
            f"  {markdown_text(str(row['Summary']))}  \n"
            f"  Source: {source} · {markdown_text('Confidence: ' + str(row['Confidence']))}{note}"
        )
    return lines


def place_panel(dataset: Dataset, place_id: str, on: date, *, top: bool = False) -> None:
    """The panel; `top` when no h2 comes before it on the page (presentation mode)."""
    place = dataset.jurisdiction(place_id)
    shot = snapshot(dataset, on).state(place_id)
    heading = st.header if top else st.subheader
    heading(markdown_text(place_label(place)), anchor=False)
    shown = CONTEXT_LABEL if place.is_context else STATUS_LABELS[shot.fill]
    marks = "".join(f" + {MARK_LABELS[m]}" for m in shot.marks)
    st.markdown(
        f"Status on {markdown_text(event_date(on.isoformat()))}: **{markdown_text(shown + marks)}**"
    )
    st.markdown("  \n".join(markdown_text(sentence) for sentence in state_words(shot)))
    label = place_label(place)
    share = place_page_url(settings().site_url, place_id)
    if share:  # the static edition's page of this place: a link that unfolds into a card
        st.markdown(markdown_link(f"Link to share {label}", share))
    # The app at this place and year, to copy from the link's own menu (right-click, or
    # Shift+F10 from the keyboard): Markdown, already on the page, rather than st.code, whose
    # copy button would pull in the 1.5 MB syntax highlighter chunk (issue 24).
    view = app_place_url(settings().public_url, place_id, on.year)
    st.markdown(f"Link to this view: {markdown_app_link(f'{label} in {on.year}', view)}")
    copy_link(view, f"Link to {label} in {on.year}")
    state = related_state(dataset, place)
    if state is not None:
        st.caption(
            markdown_text(
                f"Statewide ({state.name}): {STATUS_LABELS[status_on(dataset, state.id, on)]}"
            )
        )
    if place.note:
        st.caption(markdown_text(place.note))
    st.markdown("**History**")
    lines = history_lines(dataset, place_id)
    if lines:
        # A list, not a table: the measure's name and the summary wrap, never cut short, and
        # screen readers and the keyboard get real links to each source.
        with st.container(key="frt-history"):
            st.markdown("\n".join(lines))
    else:
        st.caption("No events recorded.")
    quotes = quotes_for(dataset.quotes, place_id)
    st.markdown(f"**Quotes ({len(quotes)})**")
    for quote in quotes:
        quote_block(quote)
    correction_line(label, place_id)


def correction_line(label: str, place_id: str) -> None:
    """The correction form with this place filled in (FRT_CORRECTION_URL); nothing when unset."""
    url = correction_url(settings().correction_url, place_id, label)
    if url:
        link = markdown_link(f"Suggest a correction to {label}", url)
        st.markdown(f"Something wrong or missing? {link}")


def non_us_line(body: Jurisdiction, status: str, event: Event | None) -> None:
    since = f" since {event_date(event.date)}" if event else ""
    source = (
        f" · {source_markdown(event.source_name, event.source_url, event.read_url)}"
        if event
        else ""
    )
    st.markdown(
        f"{markdown_text(body.name)}: **{markdown_text(STATUS_LABELS[status])}**"
        f"{markdown_text(since)}{source}"
    )


def source_columns() -> dict[str, object]:
    """Column settings for a table's source link and the copy that was read."""
    return {
        "Link": st.column_config.LinkColumn("Link", display_text=tables.LINK_HOST),
        "Read via": st.column_config.LinkColumn(
            "Read via",
            display_text=tables.LINK_HOST,
            help="The copy that was read, when the "
            "original publisher's page could not be read directly",
        ),
    }
