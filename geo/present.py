"""Pure presentation helpers: dates, counts and rows as people read them.

No Streamlit here: these return plain strings and tables the pages (and tests) can use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from geo.mapview import STATUS_LABELS, place_label
from geo.records import STATUSES, Dataset, Event, Jurisdiction, Quote
from geo.timeline import NO_RECORD, history, latest_events
from geo.vocabulary import CONFIDENCE_LABELS, LEVEL_LABELS, STANCE_LABELS  # noqa: F401


def long_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def event_date(value: str) -> str:
    """'2019-05-14' -> '14 May 2019'; '2019-12' -> 'Dec 2019'."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return long_date(date(*parts))
    return f"{date(parts[0], parts[1], 1):%b %Y}"


def headline(counts: Mapping[str, int], on: date, today: date) -> str:
    """'As of 31 Dec 2020: 17 banned · 5 moratorium · ...' in the legend's words."""
    when = "Today" if on == today else f"As of {long_date(on)}"
    parts = [f"{counts.get(s, 0)} {STATUS_LABELS[s].lower()}" for s in STATUSES]
    return f"{when}: " + " · ".join(parts)


def status_on(dataset: Dataset, jurisdiction_id: str, on: date) -> str:
    latest = latest_events(
        (e for e in dataset.events if e.jurisdiction_id == jurisdiction_id), on
    ).get(jurisdiction_id)
    return latest.status if latest else NO_RECORD


def place_options(dataset: Dataset) -> list[str]:
    """Jurisdiction ids in the order a person scans a list: by label."""
    return sorted((j.id for j in dataset.jurisdictions), key=lambda i: _label_key(dataset, i))


def _label_key(dataset: Dataset, jurisdiction_id: str) -> str:
    return place_label(dataset.jurisdiction(jurisdiction_id)).casefold()


def history_rows(dataset: Dataset, jurisdiction_id: str) -> list[dict[str, str | None]]:
    return [
        {
            "Date": event_date(e.date),
            "Status": STATUS_LABELS[e.status],
            "Measure": e.measure,
            "Vote": e.vote,
            "Summary": e.summary,
            "Confidence": CONFIDENCE_LABELS.get(e.confidence, e.confidence),
            "Source": e.source_url,
            "Read via": e.read_url or None,
            "Note": e.note,
        }
        for e in history(dataset.events, jurisdiction_id)
    ]


def quotes_for(quotes: Iterable[Quote], jurisdiction_id: str | None = None) -> list[Quote]:
    chosen = [q for q in quotes if jurisdiction_id is None or q.jurisdiction_id == jurisdiction_id]
    return sorted(chosen, key=lambda q: (q.when, q.id))


def quotes_in_year(quotes: Iterable[Quote], year: int) -> list[Quote]:
    return [q for q in quotes_for(quotes) if q.when.year == year]


def related_state(dataset: Dataset, jurisdiction: Jurisdiction) -> Jurisdiction | None:
    """The statewide jurisdiction a city or county sits in, when the data has one."""
    if jurisdiction.level not in ("city", "county"):
        return None
    for other in dataset.jurisdictions:
        if other.level == "state" and other.state == jurisdiction.state and other.geoid:
            return other
    return None


def non_us_rows(dataset: Dataset, on: date) -> list[tuple[Jurisdiction, str, Event | None]]:
    """National and international bodies with their status on a date."""
    latest = latest_events(dataset.events, on)
    rows = []
    for j in dataset.jurisdictions:
        if j.is_us:
            continue
        event = latest.get(j.id)
        rows.append((j, event.status if event else NO_RECORD, event))
    return rows


def latest_event_date(dataset: Dataset) -> str:
    return max((e.date for e in dataset.events), default="")
