"""The Streamlit side of `geo`: cached loaders, asset routes and widgets the pages share.

This is the only module in `geo` that imports Streamlit. Caches are keyed by primitives
(a folder, a fingerprint of its files, a year), never by DataFrames.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
import xstatic.pkg.leaflet
from PIL import Image, ImageDraw
from streamlit.runtime.pages_manager import PagesManager

from geo import boundaries as geo_boundaries
from geo import export, tables
from geo.config import Settings, SettingsError, get_settings
from geo.escape import markdown_text, source_markdown
from geo.mapview import (
    STATUS_LABELS,
    AssetUrls,
    legend_rows,
    legend_svg,
    legend_text,
    place_label,
    status_payload,
)
from geo.present import (
    LEVEL_LABELS,
    STANCE_LABELS,
    event_date,
    history_rows,
    latest_event_date,
    place_options,
    quotes_for,
    related_state,
    status_on,
)
from geo.records import DataError, Dataset, Event, Jurisdiction, Quote, load_dataset
from geo.timeline import counts_as_of, status_as_of, year_end, year_range

LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
# A component declared with a path makes Streamlit serve that folder at
# /component/<module>.<name>/; the map frame loads Leaflet from there, never from a CDN.
_LEAFLET_COMPONENT = "leaflet"
_BOUNDARIES_COMPONENT = "boundaries"
components.declare_component(_LEAFLET_COMPONENT, path=str(LEAFLET_DIR))


@st.cache_resource(show_spinner=False)
def app_icon() -> Image.Image:
    """A small round badge in the 'banned' blue, drawn here so no icon is fetched."""
    icon = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(icon)
    draw.ellipse((4, 4, 60, 60), fill="#0072B2")
    draw.line((16, 48, 48, 16), fill="#FFFFFF", width=7)
    return icon


def today() -> date:
    return date.today()


def settings() -> Settings:
    """The settings; a value the app cannot use is shown as a plain message, then the page stops."""
    try:
        return get_settings()
    except SettingsError as error:
        st.error(f"The app is misconfigured: {markdown_text(str(error))}")
        st.stop()
        raise  # st.stop() raises; this line only satisfies type checkers


def _fingerprint(folder: Path) -> str:
    """Changes when any data file changes, so cached results follow the data."""
    parts = []
    for name in ("jurisdictions.csv", "events.csv", "quotes.csv"):
        path = folder / name
        stat = path.stat() if path.exists() else None
        parts.append(f"{name}:{stat.st_mtime_ns if stat else 0}:{stat.st_size if stat else 0}")
    return "|".join(parts)


@st.cache_resource(show_spinner=False, max_entries=4)
def _dataset(folder: str, fingerprint: str) -> Dataset:
    return load_dataset(Path(folder))


def data_version() -> tuple[str, str]:
    folder = settings().data_dir
    return str(folder), _fingerprint(folder)


def _leave_legacy_multipage_mode() -> None:
    """Run pages through app.py's router, even on a fresh server's very first run.

    Streamlit treats a `pages/` folder beside app.py as its older multipage mode until
    `st.navigation` has run once; a first visit to /places would then run the page file alone
    (no router, no frame). Switching the flag off and rerunning sends that visit through app.py.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def start_page() -> Dataset:
    """What every page does first: route, keep the shared year and place, load the data."""
    _leave_legacy_multipage_mode()
    carry_over("year", "place")
    return load_data()


def load_data() -> Dataset:
    """The validated dataset; on problems, shows them (file, line, reason) and stops."""
    folder, fingerprint = data_version()
    try:
        return _dataset(folder, fingerprint)
    except DataError as error:
        st.error(
            f"The data in {folder} has {len(error.problems)} problem(s), so the map is not "
            "shown. Fix them and run `python -m geo.validate` to check."
        )
        st.code("\n".join(str(p) for p in error.problems[:200]), language=None)
        st.stop()
        raise  # st.stop() raises; this line only satisfies type checkers


@st.cache_resource(show_spinner="Preparing map boundaries (first start only)…", max_entries=2)
def _boundaries(folder: str, fingerprint: str) -> geo_boundaries.Boundaries:
    dataset = _dataset(folder, fingerprint)
    return geo_boundaries.load_boundaries(dataset, settings(), allow_build=True)


def load_map_boundaries() -> geo_boundaries.Boundaries:
    return _boundaries(*data_version())


def asset_urls(served: Path | None) -> AssetUrls:
    """URLs relative to the map frame (/component/streamlit_folium.st_folium/index.html)."""
    leaflet = f"../{__name__}.{_LEAFLET_COMPONENT}"
    geometry = None
    if served is not None:
        components.declare_component(_BOUNDARIES_COMPONENT, path=str(served.parent))
        geometry = f"../{__name__}.{_BOUNDARIES_COMPONENT}/{served.name}"
    return AssetUrls(f"{leaflet}/leaflet.js", f"{leaflet}/leaflet.css", geometry)


# --- the year, shared by every page through the URL -------------------------------------


def year_bounds(dataset: Dataset) -> tuple[int, int]:
    return year_range(dataset.events, today())


def _year_from_url(first: int, last: int) -> int:
    raw = st.query_params.get("year")
    if raw is None:
        return last
    if raw.isdigit() and first <= int(raw) <= last:
        return int(raw)
    # `raw` comes from the URL: shown as text, never as Markdown (links, images, colours).
    shown = markdown_text(repr(raw))
    st.warning(f"The link asks for year {shown}; years run from {first} to {last}.")
    return last


def year_control(dataset: Dataset, *, label: str = "Year") -> tuple[int, date]:
    """A year slider kept in the URL (`?year=`); returns the year and the date it stands for."""
    first, last = year_bounds(dataset)
    if "year" not in st.session_state:
        st.session_state["year"] = _year_from_url(first, last)
    year = st.slider(
        label,
        min_value=first,
        max_value=last,
        key="year",
        help="Status at the end of the chosen year; the current year means today.",
    )
    st.query_params["year"] = str(year)
    return year, year_end(year, today())


# --- the place panel, shared by the map and the places page ----------------------------


def quote_block(quote: Quote, place: str | None = None) -> None:
    """One quote: the exact words, then who, role, date, stance and the source link."""
    with st.container(border=True):
        st.markdown(f"> {markdown_text(quote.text)}")
        who = markdown_text(quote.speaker)
        role = f", {markdown_text(quote.role)}" if quote.role else ""
        where = f" · {markdown_text(place)}" if place else ""
        st.markdown(
            f"**{who}**{role}  \n{markdown_text(event_date(quote.date))}{where} · "
            f"*{markdown_text(STANCE_LABELS[quote.stance])}* · "
            f"Source: {source_markdown(quote.source_name, quote.source_url, quote.read_url)}"
        )
        if quote.confidence != "high" or quote.note:
            st.caption(markdown_text(f"Confidence: {quote.confidence}. {quote.note}".strip()))


def place_panel(dataset: Dataset, place_id: str, on: date) -> None:
    place = dataset.jurisdiction(place_id)
    status = status_on(dataset, place_id, on)
    st.subheader(markdown_text(place_label(place)), anchor=False)
    st.markdown(
        f"Status on {markdown_text(event_date(on.isoformat()))}: "
        f"**{markdown_text(STATUS_LABELS[status])}**"
    )
    state = related_state(dataset, place)
    if state is not None:
        st.caption(
            markdown_text(
                f"Statewide ({state.name}): {STATUS_LABELS[status_on(dataset, state.id, on)]}"
            )
        )
    if place.note:
        st.caption(markdown_text(place.note))
    rows = history_rows(dataset, place_id)
    st.markdown("**History**")
    if rows:
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config={
                "Source": st.column_config.LinkColumn("Source", display_text="source"),
                "Read via": st.column_config.LinkColumn("Read via", display_text=tables.LINK_HOST),
                "Summary": st.column_config.TextColumn("Summary", width="large"),
            },
        )
    else:
        st.caption("No events recorded.")
    quotes = quotes_for(dataset.quotes, place_id)
    st.markdown(f"**Quotes ({len(quotes)})**")
    for quote in quotes:
        quote_block(quote)


# --- map state: counts, payload, selection, Play ----------------------------------------


def tiles() -> str:
    return settings().tiles


@st.cache_data(show_spinner=False, max_entries=64)
def _counts(folder: str, fingerprint: str, on: date) -> dict[str, int]:
    dataset = _dataset(folder, fingerprint)
    return counts_as_of((j.id for j in dataset.jurisdictions), dataset.events, on)


def counts_on(on: date) -> dict[str, int]:
    return _counts(*data_version(), on)


@st.cache_data(show_spinner=False, max_entries=256)
def _payload(folder: str, fingerprint: str, on: date, selected: str | None) -> dict[str, object]:
    dataset = _dataset(folder, fingerprint)
    polygons = _boundaries(folder, fingerprint).polygon_ids
    return status_payload(dataset, status_as_of(dataset.events, on), polygons, selected)


def map_payload(on: date, selected: str | None) -> dict[str, object]:
    return _payload(*data_version(), on, selected)


def init_place(dataset: Dataset) -> None:
    """The chosen place starts from the URL (`?place=`) when it names a known place."""
    if "place" in st.session_state:
        return
    raw = st.query_params.get("place")
    known = {j.id for j in dataset.jurisdictions}
    if raw and raw not in known:
        shown = markdown_text(repr(raw))  # from the URL: text, never Markdown
        st.warning(f"The link names a place this map does not know: {shown}.")
    st.session_state["place"] = raw if raw in known else None


def select_clicked_place(result: object) -> None:
    """A click on the map chooses that place (once per click, not on every rerun)."""
    if not isinstance(result, dict):
        return
    feature = result.get("last_active_drawing") or {}
    props = feature.get("properties") if isinstance(feature, dict) else None
    place_id = props.get("id") if isinstance(props, dict) else None
    click = (place_id, str(result.get("last_object_clicked")))
    if not place_id or click == st.session_state.get("_last_click"):
        return
    st.session_state["_last_click"] = click
    if place_id != st.session_state.get("place"):
        st.session_state["place"] = place_id
        st.query_params["place"] = place_id
        st.rerun()


def sync_place_to_url() -> None:
    place = st.session_state.get("place")
    if place:
        st.query_params["place"] = place
    elif "place" in st.query_params:
        del st.query_params["place"]


def place_select(dataset: Dataset, label: str, placeholder: str) -> None:
    """The searchable place chooser (session key "place", the one the URL and the map share)."""
    st.selectbox(
        label,
        place_options(dataset),
        key="place",
        index=None,
        placeholder=placeholder,
        format_func=lambda pid: place_label(dataset.jurisdiction(pid)),
    )
    sync_place_to_url()


def level_filter(dataset: Dataset, key: str) -> list[str]:
    """Which levels (state, county, city...) a table shows: none chosen means all."""
    return st.multiselect(
        "Level",
        tables.level_options(dataset),
        key=key,
        format_func=LEVEL_LABELS.__getitem__,
        placeholder="All levels",
    )


def apply_pending_year() -> None:
    """Play sets the next year here, before the slider exists (a widget's key is frozen)."""
    if "_next_year" in st.session_state:
        st.session_state["year"] = st.session_state.pop("_next_year")


def playing() -> bool:
    return bool(st.session_state.get("_playing"))


def _start_play(first: int, last: int) -> None:
    st.session_state["_playing"] = True
    if st.session_state.get("year", last) >= last:
        st.session_state["year"] = first


def _stop_play() -> None:
    st.session_state["_playing"] = False


def play_button(first: int, last: int) -> None:
    if playing():
        st.button("Stop", icon=":material/stop:", on_click=_stop_play, width="stretch")
    else:
        st.button(
            "Play",
            icon=":material/play_arrow:",
            on_click=_start_play,
            args=(first, last),
            width="stretch",
            help=f"Step through the years {first} to {last}",
        )


def advance_play(year: int, last: int) -> None:
    if year >= last:
        _stop_play()
    else:
        st.session_state["_next_year"] = year + 1
    st.rerun()


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


def legend(counts: dict[str, int], *, large: bool = False) -> None:
    """The legend: a colour, a word and a count per status (an image, with the words as alt).

    The large one (presenting) keeps to the words: the counts are in the cards above it, and
    the words alone fit the narrow column of a 1280 px screen at full size.
    """
    st.image(legend_svg(None if large else counts, large=large), alt=legend_text(counts))


# --- presentation mode, embedding, export ---------------------------------------------

PLAY_SECONDS = 1.6
QUOTES_ON_MAP = 6
PLAY_SECONDS_PRESENTING = 3.0


def presentation_mode() -> bool:
    """On with `?present=1` or the toggle; app.py asks too, to hide the sidebar."""
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get("present") == "1"
    return bool(st.session_state["present"])


def _sync_present_to_url() -> None:
    if st.session_state.get("present"):
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def presentation_toggle() -> None:
    st.toggle(
        "Presentation mode",
        key="present",
        on_change=_sync_present_to_url,
        help="Big type for a projector, no sidebar, a slower Play. Link: add ?present=1",
    )
    _sync_present_to_url()


def play_seconds(*, present: bool) -> float:
    return PLAY_SECONDS_PRESENTING if present else PLAY_SECONDS


def on_phone() -> bool:
    """A phone browser says so in its user agent ("Mobi"); the map is then shorter."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


def map_height(*, present: bool, embedded: bool) -> int:
    if embedded:
        return 330
    if present:
        return 365
    return 400 if on_phone() else 560


def headline_metrics(counts: dict[str, int], on: date) -> None:
    """The counts in large type, one per status, for the back of the room."""
    columns = st.columns(len(legend_rows()) - 1)
    for column, (status, _colour, label, _meaning) in zip(columns, legend_rows(), strict=False):
        with column:
            st.metric(label, counts.get(status, 0), border=True)
    when = "today" if on == today() else event_date(on.isoformat())
    st.caption(f"Jurisdictions by status, as of {when}. No record is not the same as not using.")


@st.cache_data(show_spinner=False, max_entries=16)
def _export(folder: str, fingerprint: str, on: date) -> bytes:
    dataset = _dataset(folder, fingerprint)
    boundaries = _boundaries(folder, fingerprint)
    page = export.standalone_html(
        dataset,
        boundaries.geojson,
        boundaries.polygon_ids,
        on,
        data_date=event_date(latest_event_date(dataset)),
        sources_url=settings().public_url,
    )
    return page.encode("utf-8")


def export_button(on: date) -> None:
    """One self-contained HTML file of this map, made only when someone asks for it."""
    version = data_version()
    st.download_button(
        "Download this map",
        data=lambda: _export(*version, on),
        file_name=f"frt-map-{on.isoformat()}.html",
        mime="text/html",
        icon=":material/download:",
        help="A single HTML file that opens offline in any browser",
        on_click="ignore",
    )


# --- companion pages ---------------------------------------------------------------------
# Cached tables and downloads for the timeline, places, quotes and about pages, and the
# callback that turns a row chosen in the places table into the chosen place.


@st.cache_data(show_spinner=False, max_entries=4)
def _monthly(folder: str, fingerprint: str, last: date) -> pd.DataFrame:
    return tables.monthly_frame(_dataset(folder, fingerprint), last)


def monthly_table() -> pd.DataFrame:
    """Jurisdictions in each status at the end of every month, to today."""
    return _monthly(*data_version(), today())


@st.cache_data(show_spinner=False, max_entries=2)
def _csvs(folder: str, fingerprint: str) -> dict[str, bytes]:
    return tables.dataset_csvs(_dataset(folder, fingerprint))


def dataset_csvs() -> dict[str, bytes]:
    """The three validated tables as CSV bytes, by file name."""
    return _csvs(*data_version())


@st.cache_data(show_spinner=False, max_entries=16)
def _status_geojson(folder: str, fingerprint: str, on: date) -> bytes:
    polygons = _boundaries(folder, fingerprint).polygons.to_crs(4326)
    shapes = dict(zip(polygons.index, polygons.geometry, strict=True))
    return tables.status_geojson(_dataset(folder, fingerprint), on, shapes)


def status_geojson(on: date) -> bytes:
    """Every jurisdiction with its status on `on`, as GeoJSON (polygons where built)."""
    load_map_boundaries()  # built (or read) first, outside the data cache
    return _status_geojson(*data_version(), on)


def choose_row_place(key: str, ids: list[str]) -> None:
    """`on_select` callback of a table of places: its chosen row becomes the chosen place."""
    rows = st.session_state[key]["selection"]["rows"]
    place = ids[rows[0]] if rows else None
    st.session_state["place"] = place
    if place:
        st.query_params["place"] = place
    elif "place" in st.query_params:
        del st.query_params["place"]


def carry_over(*keys: str) -> None:
    """Keep shared widget values (the year, the place) when the reader switches pages.

    A widget's value belongs to the widget on the page that made it; on another page the
    widget with the same key is a new one and would start from its default. Setting the value
    again, before the widget is made, hands it to the new page's widget.
    """
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


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
