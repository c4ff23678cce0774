"""The data the static pages embed: every year's statuses, computed here by geo.timeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from geo.drawing import US_BOUNDS, draw_settings, mark_counts, place_drawing
from geo.escape import link_host, safe_href
from geo.mapview import legend_marks, legend_rows, place_label
from geo.present import event_date, long_date, related_state
from geo.records import Dataset, Event, Quote
from geo.timeline import counts_as_of, in_date_order, latest_events, year_end, year_range
from geo.vocabulary import (
    CONFIDENCE_LABELS,
    LEVEL_LABELS,
    NO_RECORD,
    STANCE_LABELS,
    STATUS_LABELS,
)

TITLE = "Facial recognition: bans and use"
PLAY_MS = 1200
PLAY_MS_PRESENTING = 2500


def year_dates(dataset: Dataset, today: date) -> dict[int, date]:
    """Every year of the story (geo.timeline.year_range) and the date it stands for."""
    first, last = year_range(dataset.events, today)
    return {year: year_end(year, today) for year in range(first, last + 1)}


def source(name: str, url: str, read_url: str = "") -> dict[str, str | None]:
    """A source as the page shows it: the original link first, then the copy that was read."""
    read = safe_href(read_url) if read_url else None
    return {
        "name": name,
        "url": safe_href(url),
        "readUrl": read,
        "readHost": link_host(read_url) if read_url else None,
    }


def _event(event: Event, index: Mapping[str, int]) -> dict[str, object]:
    return {
        "place": index[event.jurisdiction_id],
        "date": event_date(event.date),
        "status": event.status,
        "measure": event.measure,
        "vote": event.vote,
        "summary": event.summary,
        "confidence": CONFIDENCE_LABELS.get(event.confidence, event.confidence),
        "note": event.note,
        "source": source(event.source_name, event.source_url, event.read_url),
    }


def _quote(quote: Quote, index: Mapping[str, int]) -> dict[str, object]:
    return {
        "place": index[quote.jurisdiction_id],
        "text": quote.text,
        "speaker": quote.speaker,
        "role": quote.role,
        "date": event_date(quote.date),
        "year": quote.when.year,
        "stance": STANCE_LABELS[quote.stance],
        "confidence": CONFIDENCE_LABELS.get(quote.confidence, quote.confidence),
        "note": quote.note,
        "source": source(quote.source_name, quote.source_url, quote.read_url),
    }


def _places(dataset: Dataset, polygon_ids: frozenset[str]) -> list[dict[str, object]]:
    index = {j.id: n for n, j in enumerate(dataset.jurisdictions)}
    rows = []
    for j in dataset.jurisdictions:
        state = related_state(dataset, j)
        rows.append(
            {
                "id": j.id,
                "label": place_label(j),
                "name": j.name,
                "level": j.level,
                "levelLabel": LEVEL_LABELS[j.level],
                "us": j.is_us,
                "lat": j.lat,
                "lon": j.lon,
                "polygon": j.id in polygon_ids,
                "note": j.note,
                "statewide": None if state is None else index[state.id],
            }
        )
    return rows


MarksOn = Callable[[date], Mapping[str, Sequence[str]]]


def _year(
    dataset: Dataset, on: date, today: date, events: Mapping[int, int], marks: MarksOn | None
) -> dict[str, object]:
    """One year: each place's status, fill, colour and marks, the event that set it, the
    counts."""
    latest = latest_events(dataset.events, on)
    statuses = [latest[j.id].status if j.id in latest else NO_RECORD for j in dataset.jurisdictions]
    # The drawing contract (geo.drawing.place_drawing); the fill is the status until the fold
    # tells measures, proposals and use apart, and gives the marks.
    marked = marks(on) if marks else {}
    drawn = [
        place_drawing(s, marked.get(j.id, ()))
        for s, j in zip(statuses, dataset.jurisdictions, strict=True)
    ]
    place_marks = [d["marks"] for d in drawn]
    return {
        "date": "today" if on == today else long_date(on),
        "iso": on.isoformat(),
        "status": statuses,
        "fill": [d["fill"] for d in drawn],
        "colour": [d["colour"] for d in drawn],
        "marks": place_marks,
        "markCounts": mark_counts(place_marks),  # type: ignore[arg-type]
        "event": [
            events[id(latest[j.id])] if j.id in latest else None for j in dataset.jurisdictions
        ],
        "counts": counts_as_of((j.id for j in dataset.jurisdictions), dataset.events, on),
    }


def site_data(
    dataset: Dataset,
    polygon_ids: frozenset[str],
    dates: Mapping[int, date],
    today: date,
    *,
    app_url: str = "",
    marks: MarksOn | None = None,
) -> dict[str, object]:
    """Everything the map page needs, with the statuses (and marks) of every year precomputed."""
    index = {j.id: n for n, j in enumerate(dataset.jurisdictions)}
    ordered = in_date_order(dataset.events)
    event_index = {id(e): n for n, e in enumerate(ordered)}
    history: list[list[int]] = [[] for _ in dataset.jurisdictions]
    for n, e in enumerate(ordered):
        history[index[e.jurisdiction_id]].append(n)
    quotes = sorted(dataset.quotes, key=lambda q: (q.when, q.id))
    return {
        "title": TITLE,
        "years": sorted(dates),
        "statuses": [
            {"key": s, "label": label, "colour": colour, "meaning": meaning}
            for s, colour, label, meaning in legend_rows()
        ],
        "labels": STATUS_LABELS,
        "highConfidence": CONFIDENCE_LABELS["high"],
        "marks": [
            {"key": m, "label": label, "meaning": meaning} for m, label, meaning in legend_marks()
        ],
        "settings": draw_settings(),
        "places": _places(dataset, polygon_ids),
        "byYear": {
            str(y): _year(dataset, on, today, event_index, marks) for y, on in dates.items()
        },
        "events": [_event(e, index) for e in ordered],
        "history": history,
        "quotes": [_quote(q, index) for q in quotes],
        "appUrl": safe_href(app_url) if app_url else None,
        "bounds": [list(corner) for corner in US_BOUNDS],
        "playMs": PLAY_MS,
        "playMsPresenting": PLAY_MS_PRESENTING,
    }


# What the page needs before anyone clicks, and what only a panel or the lists need. The map
# page loads the second part (`frtText`) when a panel first opens or the lists below the map
# come into view, so a first visit carries only the colours, counts and names of every year.
TEXT_KEYS = ("events", "history", "quotes")


def first_paint(data: Mapping[str, object]) -> dict[str, object]:
    """site_data without the panels' text: places without notes, events as their dates only."""
    places = [
        {k: v for k, v in place.items() if k != "note"}
        for place in data["places"]  # type: ignore[attr-defined]
    ]
    events = data["events"]
    first = {k: v for k, v in data.items() if k not in TEXT_KEYS}
    return {
        **first,
        "places": places,
        "eventDates": [e["date"] for e in events],  # type: ignore[attr-defined]
    }


def panel_text(data: Mapping[str, object]) -> dict[str, object]:
    """The rest of site_data: every event in full, each place's history, quotes and notes."""
    notes = [place["note"] for place in data["places"]]  # type: ignore[attr-defined]
    return {**{k: data[k] for k in TEXT_KEYS}, "notes": notes}
