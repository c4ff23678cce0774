"""The companion pages' tables and filters: adoption by month, events, places, quotes, and
which row of a table is chosen."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import TypeVar

import pandas as pd

from geo.present import (
    LEVEL_LABELS,
    SCOPE_LABELS,
    STANCE_LABELS,
    event_date,
    in_force_words,
    place_label,
    proposals_words,
    use_words,
)
from geo.records import Dataset, Event, Quote
from geo.timeline import (
    STORY_START_YEAR,
    in_date_order,
    monthly_counts,
    snapshot,
)
from geo.vocabulary import EVENT_LABELS, STATUS_COLOURS, STATUS_LABELS

# The part of a URL worth showing as a link's text: its host, without "www.".
LINK_HOST = r"^https?://(?:www\.)?([^/?#]+)"

EVENT_COLUMNS = (
    "Date", "Place", "Level", "Status", "Measure", "Vote", "Summary", "Confidence",
    "Source", "Link", "Read via", "Note",
)  # fmt: skip
PLACE_COLUMNS = (
    "Place", "Status", "In force", "Since", "Scope", "Open proposals", "Use", "Level", "State",
    "Source", "Link", "Read via",
)  # fmt: skip
# The Timeline: measures in force are stacked areas; open ban proposals and reported use are
# separate lines (a place can be in a measure and in either series at once).
MEASURE_SERIES = ("banned", "moratorium", "restricted", "repealed")
OTHER_SERIES: dict[str, str] = {
    "pending": "Ban or moratorium proposed (open)",
    "using": "Use reported, not ended",
}


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


# --- timeline: counts by month -------------------------------------------------------------


def chart_statuses() -> list[str]:
    """The measures stacked in the chart, strongest first (banned at the bottom)."""
    return list(MEASURE_SERIES)


def first_month(events: Sequence[Event], today: date) -> date:
    """The Timeline's first month: the first event's, but not before the story starts
    (earlier laws still in force are counted in it)."""
    first = max(min((e.when for e in events), default=today), date(STORY_START_YEAR, 1, 1))
    return date(first.year, first.month, 1) if first <= today else date(today.year, today.month, 1)


def series_label(series: str) -> str:
    return OTHER_SERIES.get(series) or STATUS_LABELS[series]


def monthly_frame(dataset: Dataset, today: date) -> pd.DataFrame:
    """One row per month and series: month (first day), status, label, count, order, kind.

    `kind` "measure": places whose measure in force (or, for "repealed", whose last measure
    that ended) draws that way at the end of the month; `kind` "series": places with an open
    ban or moratorium proposal ("pending") or with use reported and not ended ("using"),
    whatever their measure. Context places never count. From the first event's month (not
    before the story starts) to today.
    """
    rows = []
    for start, shot in monthly_counts(dataset, first_month(dataset.events, today), today):
        counted = shot.counted()
        measures = [s.measure_status for s in counted]
        counts = {m: measures.count(m) for m in MEASURE_SERIES}
        counts["pending"] = sum(1 for s in counted if s.ban_proposals)
        counts["using"] = sum(1 for s in counted if s.use.open)
        for n, series in enumerate((*MEASURE_SERIES, *OTHER_SERIES)):
            rows.append(
                {
                    "month": pd.Timestamp(start),
                    "status": series,
                    "label": series_label(series),
                    "count": counts[series],
                    "order": n,
                    "kind": "measure" if series in MEASURE_SERIES else "series",
                }
            )
    columns = ["month", "status", "label", "count", "order", "kind"]
    return pd.DataFrame(rows, columns=columns)


def chart_scale() -> tuple[list[str], list[str]]:
    """Series words and their colours, measures first, for a chart's colour scale."""
    series = (*MEASURE_SERIES, *OTHER_SERIES)
    return [series_label(s) for s in series], [STATUS_COLOURS[s] for s in series]


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
                "Status": EVENT_LABELS[e.status],
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
    """Every jurisdiction on `on`: what it is drawn as, the measure in force (since, scope),
    open proposals and use, in words, and the row that set its colour; index: id.

    Rows are in the order a person scans a list: by place label. Context places are listed
    with "Context" as their status: they are never drawn or counted.
    """
    shot = snapshot(dataset, on)
    rows = []
    for j in dataset.jurisdictions:
        state = shot.state(j.id)
        status = state.fill
        cause = state.cause
        measures = state.in_force
        rows.append(
            {
                "id": j.id,
                "Place": place_label(j),
                "Status": "Context" if j.is_context else STATUS_LABELS[status],
                "In force": in_force_words(state).removeprefix("In force: "),
                "Since": event_date(measures[0].date) if measures else "",
                "Scope": "; ".join(SCOPE_LABELS[m.scope] for m in measures if m.scope),
                "Open proposals": proposals_words(state).removeprefix("Open proposals: "),
                "Use": use_words(state).removeprefix("Use: "),
                "Level": LEVEL_LABELS[j.level],
                "State": j.state,
                "Source": cause.source_name if cause else "",
                "Link": cause.source_url if cause else None,
                "Read via": (cause.read_url or None) if cause else None,
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


# --- choosing a row ------------------------------------------------------------------------


def row_selection(ids: Sequence[str], chosen: str | None) -> dict[str, dict[str, list[int]]]:
    """A dataframe selection that highlights the chosen place's row, when it is shown."""
    rows = [list(ids).index(chosen)] if chosen is not None and chosen in ids else []
    return {"selection": {"rows": rows, "columns": []}}
