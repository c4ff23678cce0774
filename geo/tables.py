"""Tables, filters and downloads for the companion pages (timeline, places, quotes, about).

Pure functions: no Streamlit. The pages arrange widgets and call these; the tests call them
directly. Dates in tables are ISO text (`2019-05-14`, or `2019-12` when the day is unknown), so
sorting a column sorts by time and a month-only date is never given a day it does not have.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from geo.config import PROJECT_ROOT
from geo.mapview import LEGEND_ORDER, STATUS_COLOURS, STATUS_LABELS, place_label
from geo.present import LEVEL_LABELS, STANCE_LABELS
from geo.records import DATA_FILES, Dataset, Event, FileSpec, Jurisdiction, Quote, Record, mirror_of
from geo.tallies import comparisons
from geo.timeline import (
    NO_RECORD,
    STORY_START_YEAR,
    in_date_order,
    latest_events,
    monthly_counts,
)

CODEBOOK = PROJECT_ROOT / "data" / "README.md"
FILE_PREFIX = "frt"
# The part of a URL worth showing as a link's text: its host, without "www.".
LINK_HOST = r"^https?://(?:www\.)?([^/?#]+)"

EVENT_COLUMNS = (
    "Date", "Place", "Level", "Status", "Measure", "Vote", "Summary", "Confidence",
    "Source", "Link", "Read via", "Note",
)  # fmt: skip
PLACE_COLUMNS = (
    "Place", "Status", "Level", "State", "Last change", "Source", "Link", "Read via",
)  # fmt: skip


# --- small helpers -------------------------------------------------------------------------

T = TypeVar("T")


def _label(dataset: Dataset, jurisdiction_id: str) -> str:
    return place_label(dataset.jurisdiction(jurisdiction_id))


def _chosen(value: T, allowed: Collection[T] | None) -> bool:
    """An empty or missing choice means "all"."""
    return not allowed or value in allowed


def contains(needle: str, *haystacks: str) -> bool:
    """Case-insensitive substring search over several texts; an empty needle matches."""
    folded = needle.strip().casefold()
    return not folded or any(folded in text.casefold() for text in haystacks)


def file_name(kind: str, on: date, extension: str) -> str:
    """`frt-events-2026-11-22.csv`: what, and the date the file stands for."""
    return f"{FILE_PREFIX}-{kind}-{on.isoformat()}.{extension}"


# --- timeline: counts by month -------------------------------------------------------------


def chart_statuses() -> list[str]:
    """The statuses drawn in the chart, in legend order ("no record" is left out)."""
    return [s for s in LEGEND_ORDER if s != NO_RECORD]


def first_month(events: Sequence[Event], today: date) -> date:
    """The Timeline's first month: the first event's, but not before the story starts
    (earlier laws still in force are counted in it)."""
    first = max(min((e.when for e in events), default=today), date(STORY_START_YEAR, 1, 1))
    return date(first.year, first.month, 1) if first <= today else date(today.year, today.month, 1)


def monthly_frame(dataset: Dataset, today: date) -> pd.DataFrame:
    """One row per month and status: month (first day), status, label, count, order.

    The count is the number of jurisdictions in that status at the end of the month (today,
    for the current month), from the first event's month to today.
    """
    ids = [j.id for j in dataset.jurisdictions]
    statuses = chart_statuses()
    rows = [
        {
            "month": pd.Timestamp(start),
            "status": status,
            "label": STATUS_LABELS[status],
            "count": counts[status],
            "order": n,
        }
        for start, counts in monthly_counts(
            ids, dataset.events, first_month(dataset.events, today), today
        )
        for n, status in enumerate(statuses)
    ]
    columns = ["month", "status", "label", "count", "order"]
    return pd.DataFrame(rows, columns=columns)


def chart_scale() -> tuple[list[str], list[str]]:
    """Status words and their colours, in legend order, for a chart's colour scale."""
    statuses = chart_statuses()
    return [STATUS_LABELS[s] for s in statuses], [STATUS_COLOURS[s] for s in statuses]


# --- events --------------------------------------------------------------------------------


def filter_events(
    dataset: Dataset,
    *,
    statuses: Collection[str] | None = None,
    levels: Collection[str] | None = None,
    year: int | None = None,
) -> list[Event]:
    """Events in date order (ties in file order), keeping the chosen statuses and levels."""
    level_of = {j.id: j.level for j in dataset.jurisdictions}
    return [
        e
        for e in in_date_order(dataset.events)
        if _chosen(e.status, statuses)
        and _chosen(level_of[e.jurisdiction_id], levels)
        and (year is None or e.when.year == year)
    ]


def events_table(dataset: Dataset, events: Iterable[Event]) -> pd.DataFrame:
    """The events as people read them, one row each, indexed by event id."""
    rows = []
    for e in events:
        place = dataset.jurisdiction(e.jurisdiction_id)
        rows.append(
            {
                "id": e.id,
                "Date": e.date,
                "Place": place_label(place),
                "Level": LEVEL_LABELS[place.level],
                "Status": STATUS_LABELS[e.status],
                "Measure": e.measure,
                "Vote": e.vote,
                "Summary": e.summary,
                "Confidence": e.confidence,
                "Source": e.source_name,
                "Link": e.source_url,
                "Read via": e.read_url or None,
                "Note": e.note,
            }
        )
    return pd.DataFrame(rows, columns=["id", *EVENT_COLUMNS]).set_index("id")


# --- places: the text equivalent of the map ------------------------------------------------


def places_table(dataset: Dataset, on: date) -> pd.DataFrame:
    """Every jurisdiction with its status on `on` and the event that set it; index: id.

    Rows are in the order a person scans a list: by place label.
    """
    latest = latest_events(dataset.events, on)
    rows = []
    for j in dataset.jurisdictions:
        event = latest.get(j.id)
        status = event.status if event else NO_RECORD
        rows.append(
            {
                "id": j.id,
                "Place": place_label(j),
                "Status": STATUS_LABELS[status],
                "Level": LEVEL_LABELS[j.level],
                "State": j.state,
                "Last change": event.date if event else "",
                "Source": event.source_name if event else "",
                "Link": event.source_url if event else None,
                "Read via": (event.read_url or None) if event else None,
                "status": status,
                "level": j.level,
            }
        )
    frame = pd.DataFrame(rows, columns=["id", *PLACE_COLUMNS, "status", "level"])
    frame = frame.set_index("id")
    return frame.sort_values("Place", key=lambda s: s.str.casefold(), kind="stable")


def filter_places(
    table: pd.DataFrame,
    *,
    query: str = "",
    levels: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
    states: Collection[str] | None = None,
) -> pd.DataFrame:
    """Rows of `places_table` whose name contains `query` and that match every choice.

    Levels and statuses are codes (`city`, `banned`, `no_record`); states are USPS codes.
    """
    keep = [
        contains(query, row.Place)
        and _chosen(row.level, levels)
        and _chosen(row.status, statuses)
        and _chosen(row.State, states)
        for row in table.itertuples()
    ]
    return table[pd.Series(keep, index=table.index, dtype=bool)]


def shown_places(table: pd.DataFrame) -> pd.DataFrame:
    """Only the columns a reader sees (the codes used for filtering stay behind)."""
    return table.loc[:, list(PLACE_COLUMNS)]


def state_options(dataset: Dataset) -> list[str]:
    return sorted({j.state for j in dataset.jurisdictions if j.state})


def level_options(dataset: Dataset) -> list[str]:
    present = {j.level for j in dataset.jurisdictions}
    return [level for level in LEVEL_LABELS if level in present]


# --- quotes --------------------------------------------------------------------------------


def filter_quotes(
    dataset: Dataset,
    *,
    stances: Collection[str] | None = None,
    places: Collection[str] | None = None,
    years: Collection[int] | None = None,
    speakers: Collection[str] | None = None,
    search: str = "",
) -> list[Quote]:
    """Quotes by date (then id) that match every choice and contain `search`.

    The search is a case-insensitive substring of the words, the speaker or the role.
    """
    return [
        q
        for q in sorted(dataset.quotes, key=lambda q: (q.when, q.id))
        if _chosen(q.stance, stances)
        and _chosen(q.jurisdiction_id, places)
        and _chosen(q.when.year, years)
        and _chosen(q.speaker, speakers)
        and contains(search, q.text, q.speaker, q.role)
    ]


def speaker_options(dataset: Dataset) -> list[str]:
    return sorted({q.speaker for q in dataset.quotes}, key=str.casefold)


def quote_year_options(dataset: Dataset) -> list[int]:
    return sorted({q.when.year for q in dataset.quotes})


def quote_place_options(dataset: Dataset) -> list[str]:
    """Ids of the places that have quotes, by label."""
    ids = {q.jurisdiction_id for q in dataset.quotes}
    return sorted(ids, key=lambda i: _label(dataset, i).casefold())


def stance_options() -> list[str]:
    return list(STANCE_LABELS)


# --- downloads -----------------------------------------------------------------------------


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def records_csv(records: Iterable[Record], spec: FileSpec) -> bytes:
    """The validated records as CSV: every column of the file, rows in file order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.columns)
    for record in records:
        values = record.model_dump()
        writer.writerow([_cell(values[name]) for name in spec.columns])
    return buffer.getvalue().encode("utf-8")


def dataset_csvs(dataset: Dataset) -> dict[str, bytes]:
    """File name (`jurisdictions.csv`...) -> CSV bytes, for each of the three tables."""
    tables = (dataset.jurisdictions, dataset.events, dataset.quotes)
    return {
        spec.name: records_csv(records, spec)
        for spec, records in zip(DATA_FILES, tables, strict=True)
    }


def _geometry(j: Jurisdiction, polygons: Mapping[str, BaseGeometry]) -> BaseGeometry | None:
    shape = polygons.get(j.id)
    if shape is not None and not shape.is_empty:
        return shape
    if j.lat is not None and j.lon is not None:
        return Point(j.lon, j.lat)
    return None


def status_features(
    dataset: Dataset,
    on: date,
    polygons: Mapping[str, BaseGeometry],
    *,
    include_non_us: bool = True,
) -> list[dict[str, Any]]:
    """One GeoJSON feature per jurisdiction, with its status on `on`.

    Properties come only from the data. A place with no event yet has `status` null and
    `status_label` "No record". Geometry: the polygon when there is one, else the data's
    representative point; non-US bodies are points at their seat, or left out with
    `include_non_us=False`. A body with no point has a null geometry (RFC 7946, 3.2): it is
    listed, never dropped.
    """
    latest = latest_events(dataset.events, on)
    features = []
    for j in dataset.jurisdictions:
        if not (j.is_us or include_non_us):
            continue
        shape = _geometry(j, polygons)
        event = latest.get(j.id)
        properties = {
            "id": j.id,
            "name": j.name,
            "level": j.level,
            "state": j.state or None,
            "geoid": j.geoid or None,
            "status": event.status if event else None,
            "status_label": STATUS_LABELS[event.status if event else NO_RECORD],
            "as_of": on.isoformat(),
            "last_event_date": event.date if event else None,
            "source_url": event.source_url if event else None,
        }
        geometry = None if shape is None else mapping(shape)
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return features


def status_geojson(
    dataset: Dataset,
    on: date,
    polygons: Mapping[str, BaseGeometry],
    *,
    include_non_us: bool = True,
) -> bytes:
    """A GeoJSON FeatureCollection (WGS84 longitude/latitude) of `status_features`."""
    collection = {
        "type": "FeatureCollection",
        "features": status_features(dataset, on, polygons, include_non_us=include_non_us),
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- about ---------------------------------------------------------------------------------


_HEADING = re.compile(r"^(#{1,5}) ")
_FENCE = re.compile(r"^(```|~~~)")


def demote_headings(markdown: str, levels: int = 1) -> str:
    """Move every Markdown heading down `levels` (# -> ##), outside fenced code blocks."""
    lines = []
    fenced = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _HEADING.match(line):
            line = "#" * levels + line
        lines.append(line)
    return "\n".join(lines)


def codebook_markdown(path: Path = CODEBOOK) -> str:
    """The project's codebook (trusted project text), with headings one level down so it
    sits under a page's own headings. Says so when the file is missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return f"The codebook ({path.name}) is missing from this copy of the project."
    return demote_headings(text)


def latest_event(dataset: Dataset) -> Event | None:
    """The most recent event (the later row in the file, on a tie)."""
    ordered = in_date_order(dataset.events)
    return ordered[-1] if ordered else None


def source_counts(dataset: Dataset) -> pd.DataFrame:
    """Publishers cited by events and quotes, with how many rows cite each, most cited first."""
    tally: dict[str, list[int]] = {}
    for e in dataset.events:
        tally.setdefault(e.source_name, [0, 0])[0] += 1
    for q in dataset.quotes:
        tally.setdefault(q.source_name, [0, 0])[1] += 1
    rows = [{"Source": name, "Events": ev, "Quotes": qu} for name, (ev, qu) in tally.items()]
    frame = pd.DataFrame(rows, columns=["Source", "Events", "Quotes"])
    frame["total"] = frame["Events"] + frame["Quotes"]
    frame = frame.sort_values(["total", "Source"], ascending=[False, True], kind="stable")
    return frame.drop(columns="total").reset_index(drop=True)


@dataclass(frozen=True)
class SourceQuality:
    """How the events and quotes are sourced (the codebook's "Sources and copies")."""

    original: int  # the original publisher or an official record
    licensed: int  # a licensed republication, named "Publisher (via partner)"
    copy_only: int  # a copy on data/mirrors.csv; the note says the original was not found

    @property
    def total(self) -> int:
        return self.original + self.licensed + self.copy_only

    def share(self, part: int) -> float:
        return part / self.total if self.total else 0.0


def source_kind(record: Event | Quote, mirror_domains: Collection[str]) -> str:
    if mirror_of(record.source_url, mirror_domains):
        return "copy_only"
    if "(via " in record.source_name:
        return "licensed"
    return "original"


def source_quality(dataset: Dataset) -> SourceQuality:
    domains = [m.domain for m in dataset.mirrors]
    records: tuple[Event | Quote, ...] = (*dataset.events, *dataset.quotes)
    kinds = Counter(source_kind(r, domains) for r in records)
    return SourceQuality(kinds["original"], kinds["licensed"], kinds["copy_only"])


TALLY_COLUMNS = (
    "As of", "Counted by the source", "Published", "Ours", "Places we count that the source "
    "leaves out", "Source", "Link", "Read via", "Note",
)  # fmt: skip


def tallies_table(dataset: Dataset) -> pd.DataFrame:
    """Each published count beside ours on the same date (geo.tallies has the rules)."""
    rows = []
    for c in comparisons(dataset):
        t = c.tally
        left_out = [place_label(dataset.jurisdiction(j)) for j in t.excluded if _known(dataset, j)]
        rows.append(
            {
                "As of": t.date,
                "Counted by the source": t.counted,
                "Published": f"at least {t.count}" if t.bound == "at_least" else str(t.count),
                "Ours": str(c.our_count),
                TALLY_COLUMNS[4]: ", ".join(left_out),
                "Source": t.source_name,
                "Link": t.source_url,
                "Read via": t.read_url or None,
                "Note": t.note,
            }
        )
    return pd.DataFrame(rows, columns=list(TALLY_COLUMNS))


def _known(dataset: Dataset, jurisdiction_id: str) -> bool:
    return any(j.id == jurisdiction_id for j in dataset.jurisdictions)


# --- choosing a row ------------------------------------------------------------------------


def table_key(name: str, ids: Sequence[str]) -> str:
    """A widget key that changes with the rows shown, so a stale row selection never lingers
    on a different place after the filters change."""
    digest = hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()[:12]
    return f"{name}-{digest}"


def row_selection(ids: Sequence[str], chosen: str | None) -> dict[str, dict[str, list[int]]]:
    """A dataframe selection that highlights the chosen place's row, when it is shown."""
    rows = [list(ids).index(chosen)] if chosen is not None and chosen in ids else []
    return {"selection": {"rows": rows, "columns": []}}
