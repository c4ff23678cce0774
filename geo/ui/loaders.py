"""Cached loaders: settings, the dataset, the boundaries (with a first-start progress bar) and
what is computed from them, each cached by primitives (a folder, a fingerprint, a date)."""

from __future__ import annotations

import gc
import logging
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
from PIL import Image, ImageDraw

from geo import boundaries, tables
from geo.boundaries.parts import city_states
from geo.config import Settings, SettingsError, get_settings
from geo.escape import markdown_text
from geo.mapview import (
    boundary_files,
    place_columns,
    place_file_bytes,
    status_payload,
    write_hashed_file,
    write_place_file,
)
from geo.present import year_story
from geo.records import DataError, Dataset, load_dataset
from geo.timeline import dataset_years, snapshot, warm_years, year_end

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

BUILDING = "Preparing map boundaries (first start only)…"


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


def tiles() -> str:
    return settings().tiles


def _fingerprint(folder: Path) -> str:
    """Changes when any data file changes, so cached results follow the data."""
    parts = []
    for name in ("jurisdictions.csv", "events.csv", "quotes.csv"):
        path = folder / name
        stat = path.stat() if path.exists() else None
        parts.append(f"{name}:{stat.st_mtime_ns if stat else 0}:{stat.st_size if stat else 0}")
    return "|".join(parts)


@st.cache_resource(show_spinner=False, max_entries=4)
def dataset_for(folder: str, fingerprint: str) -> Dataset:
    return load_dataset(Path(folder))


def data_version() -> tuple[str, str]:
    folder = settings().data_dir
    return str(folder), _fingerprint(folder)


_WARMED: set[tuple[str, str]] = set()  # data versions whose years are being folded
_WARMING = threading.Lock()


def _every_year(version: tuple[str, str], dataset: Dataset) -> None:
    """Fold every year, then fill the per-year caches the map page reads (the counts, the
    codes with no place chosen, the year's story): at 5,000 places these took most of a
    rerun to a year not yet shown. Cached functions draw nothing, so this thread needs no
    script run."""
    day = today()
    warm_years(dataset, day)
    first, last = dataset_years(dataset, day)
    for year in range(last, first - 1, -1):
        on = year_end(year, day)
        _counts(*version, on)
        _mark_counts(*version, on)
        _payload(*version, on, None)
        _story(*version, year, day)
    # Streamlit collects garbage in full after every script run (geo/warmup.py): at 5,000
    # places that walked the records, snapshots and caches made here, about 0.28 s of every
    # rerun. They live as long as their cache entries; freezing them takes them out of those
    # walks (reference counting still frees them when a cache lets them go).
    gc.freeze()


def _warm_years(version: tuple[str, str], dataset: Dataset) -> None:
    """Once per data version and process, compute every year in a background thread, so a
    year change finds its snapshot and its map's values cached."""
    with _WARMING:
        if version in _WARMED:
            return
        _WARMED.add(version)
    name = "frt-warm-years"
    threading.Thread(target=_every_year, args=(version, dataset), name=name, daemon=True).start()


def load_data() -> Dataset:
    """The validated dataset; on problems, shows them (file, line, reason) and stops."""
    folder, fingerprint = data_version()
    try:
        dataset = dataset_for(folder, fingerprint)
        _warm_years((folder, fingerprint), dataset)
        return dataset
    except DataError as error:
        st.error(
            f"The data in {folder} has {len(error.problems)} problem(s), so the map is not "
            "shown. Fix them and run `python -m geo.validate` to check."
        )
        st.code("\n".join(str(p) for p in error.problems[:200]), language=None)
        st.stop()
        raise  # st.stop() raises; this line only satisfies type checkers


@st.cache_resource(show_spinner=BUILDING, max_entries=2)
def boundaries_for(
    folder: str, fingerprint: str, _ready: boundaries.Boundaries | None = None
) -> boundaries.Boundaries:
    """The boundaries of one data version; `_ready` (not part of the key) hands in a result
    built outside the cache, where the first-start build can draw its progress bar."""
    if _ready is not None:
        return _ready
    return boundaries.load_boundaries(dataset_for(folder, fingerprint), settings())


class BuildBar:
    """The first-start build on the page: each step in words over a bar for each download
    (pooch's progress bar protocol: `total`, `update`, `reset`, `close`)."""

    def __init__(self, slot: DeltaGenerator) -> None:
        self.slot = slot
        self.step = BUILDING
        self.total = 0
        self.done = 0
        self.shown = -1

    def say(self, message: str) -> None:
        self.step = message
        self._draw(force=True)

    def update(self, n: int) -> None:
        self.done += n
        self._draw()

    def reset(self) -> None:
        self.done = 0

    def close(self) -> None:
        self.done = self.total

    def _draw(self, *, force: bool = False) -> None:
        fraction = min(self.done / self.total, 1.0) if self.total else 0.0
        percent = int(fraction * 100)
        if force or percent != self.shown:  # one message per percent, not per chunk
            self.shown = percent
            self.slot.progress(fraction, text=markdown_text(self.step))


_BUILT: set[tuple[str, str]] = set()  # data versions whose boundaries this process has loaded
_BUILDING = threading.Lock()


# Each operator notice is logged once per process, not once per visitor.
LOGGED_NOTICES: set[str] = set()
LOG = logging.getLogger("frt.boundaries")


def boundary_notice(ready: boundaries.Boundaries) -> None:
    """The operator's notices (with the command that fixes them) to the server's log; the
    visitor a plain sentence, when cities are drawn as points."""
    for notice in ready.notices:
        if notice not in LOGGED_NOTICES:
            LOGGED_NOTICES.add(notice)
            LOG.warning("%s", notice)
    if ready.public_notice:
        st.info(ready.public_notice)


def load_map_boundaries() -> boundaries.Boundaries:
    """The map's boundaries. The first time in this process, they are loaded (or built) here,
    outside the cache, so the build can show its progress; a cached function cannot, because
    Streamlit replays what it drew. Later sessions wait on the lock, then find the cache.

    The bar's slot is on the page on every run, built or not: elements below it keep their
    place from run to run, so Streamlit keeps them (a live region replaced by a new element
    is not read out)."""
    version = data_version()
    slot = st.empty()
    if version not in _BUILT:
        with st.spinner(BUILDING), _BUILDING:
            if version not in _BUILT:
                bar = BuildBar(slot)
                ready = boundaries.load_boundaries(
                    dataset_for(*version), settings(), progress=bar.say, bar=bar
                )
                bar.slot.empty()
                boundaries_for(*version, _ready=ready)
                _BUILT.add(version)
    return boundaries_for(*version)


@st.cache_data(show_spinner=False, max_entries=64)
def _counts(folder: str, fingerprint: str, on: date) -> dict[str, int]:
    dataset = dataset_for(folder, fingerprint)
    return snapshot(dataset, on).counts()


def counts_on(on: date) -> dict[str, int]:
    return _counts(*data_version(), on)


@st.cache_data(show_spinner=False, max_entries=64)
def _mark_counts(folder: str, fingerprint: str, on: date) -> dict[str, int]:
    dataset = dataset_for(folder, fingerprint)
    return snapshot(dataset, on).mark_counts(j.id for j in dataset.jurisdictions if j.on_map)


def mark_counts_on(on: date) -> dict[str, int]:
    """How many places on the map carry each mark on `on`, for the legend."""
    return _mark_counts(*data_version(), on)


# The files the map frame fetches besides its scripts: the places' constant part and the
# boundaries in parts, beside the boundaries' cache (never in the repository).
PLACES_DIR = "places"


@st.cache_resource(show_spinner=False, max_entries=4)
def _place_file(folder: str, fingerprint: str) -> bytes:
    dataset = dataset_for(folder, fingerprint)
    polygons = boundaries_for(folder, fingerprint).polygon_ids
    return place_file_bytes(place_columns(dataset, polygons))


@st.cache_resource(show_spinner=False, max_entries=4)
def _boundary_files(folder: str, fingerprint: str) -> tuple[str, dict[str, bytes]]:
    dataset = dataset_for(folder, fingerprint)
    served = boundaries_for(folder, fingerprint).geojson
    return boundary_files(served, city_states(dataset.jurisdictions))


def map_files() -> tuple[Path, Path]:
    """The boundaries' first part (which lists each state's city part beside it) and the
    places file for this data version (geo.mapview), content-named: written once per version,
    again only if someone cleared the cache folder."""
    folder = settings().cache_dir / PLACES_DIR
    first, files = _boundary_files(*data_version())
    # One look per run, not one per state: the first part is written last (boundary_files).
    if not (folder / first).exists():
        for name, body in files.items():
            write_hashed_file(folder, name, body)
    return folder / first, write_place_file(folder, _place_file(*data_version()))


@st.cache_data(show_spinner=False, max_entries=256)
def _payload(folder: str, fingerprint: str, on: date, selected: str | None) -> dict[str, object]:
    dataset = dataset_for(folder, fingerprint)
    return status_payload(dataset, snapshot(dataset, on), selected)


def map_payload(on: date, selected: str | None) -> dict[str, object]:
    return _payload(*data_version(), on, selected)


@st.cache_data(show_spinner=False, max_entries=64)
def _story(folder: str, fingerprint: str, year: int, on: date) -> str:
    return year_story(dataset_for(folder, fingerprint), year, on)


def story_of(year: int) -> str:
    """What changed on the map in `year` (geo.present.year_story), the static edition's words."""
    return _story(*data_version(), year, today())


@st.cache_data(show_spinner=False, max_entries=4)
def _monthly(folder: str, fingerprint: str, last: date) -> pd.DataFrame:
    return tables.monthly_frame(dataset_for(folder, fingerprint), last)


def monthly_table() -> pd.DataFrame:
    """Jurisdictions in each status at the end of every month, to today."""
    return _monthly(*data_version(), today())
