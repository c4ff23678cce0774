"""The data the static pages embed: every year's statuses, computed here by geo.timeline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import cast

from geo.drawing import US_BOUNDS, code_settings, draw_settings, place_code
from geo.escape import link_host, safe_href
from geo.links import correction_url
from geo.present import (
    event_date,
    legend_marks,
    legend_rows,
    long_date,
    place_label,
    quote_caveat,
    related_state,
    state_words,
    year_story,
)
from geo.records import Dataset, Event, Quote
from geo.timeline import in_date_order, snapshot, year_end, year_range
from geo.vocabulary import (
    CONFIDENCE_LABELS,
    CONTEXT_LABEL,
    EVENT_LABELS,
    NO_RECORD,
    PROPOSAL_KIND_LABELS,
    SCOPE_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
    US_LEVELS,
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
        "scope": SCOPE_LABELS.get(event.scope, "")
        or PROPOSAL_KIND_LABELS.get(event.proposal_kind, ""),
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
        # Its caveat in plain sentences ("" when none); the research note behind it is not
        # shown (it stays in the CSV downloads).
        "caveat": quote_caveat(quote),
        "source": source(quote.source_name, quote.source_url, quote.read_url),
    }


def _places(
    dataset: Dataset, polygon_ids: frozenset[str], form_url: str = ""
) -> dict[str, list[object]]:
    """Every place (the dataset's order, which the year's codes follow) column by column, as
    the app's geo.mapview.place_columns: one list per field, flags as 0 or 1. What follows from
    another field is left out: whether it is in the US (its level, `usLevels`), whether it is
    drawn (in the US and not context), and its name (a statewide place's name is its label)."""
    index = {j.id: n for n, j in enumerate(dataset.jurisdictions)}
    states = [related_state(dataset, j) for j in dataset.jurisdictions]
    places = dataset.jurisdictions
    return {
        "id": [j.id for j in places],
        "label": [place_label(j) for j in places],
        "level": [j.level for j in places],
        "lat": [j.lat for j in places],
        "lon": [j.lon for j in places],
        "polygon": [int(j.id in polygon_ids) for j in places],
        "context": [int(j.is_context) for j in places],
        "statewide": [None if state is None else index[state.id] for state in states],
        "note": [j.note for j in places],
        # The correction form with this place filled in (FRT_CORRECTION_URL), or None.
        "correction": [correction_url(form_url, j.id, place_label(j)) for j in places],
    }


def _year(dataset: Dataset, on: date, today: date) -> dict[str, object]:
    """One year from the one snapshot: each place's drawing as the app's one character
    (geo.drawing.place_code: its fill and marks, which frtDraw.expand and the panel read back
    through `codes`), the counts (context places are drawn as no record and never counted) and
    what changed on the map that year, in the app's words (geo.present.year_story)."""
    shot = snapshot(dataset, on)
    states = [shot.state(j.id) for j in dataset.jurisdictions]
    return {
        "date": "today" if on == today else long_date(on),
        "iso": on.isoformat(),
        "code": "".join(place_code(NO_RECORD if s.context else s.fill, s.marks) for s in states),
        "counts": shot.counts(),
        "markCounts": shot.mark_counts(),
        "story": year_story(dataset, on.year, today),
    }


def _since(
    dataset: Dataset, dates: Mapping[int, date], events: Mapping[str, int]
) -> dict[str, list[int | None]]:
    """Per year, per place, the index of the event that set its colour (None: none, or a
    context place): the "since <date>" and source of the lists below the map and the panel."""
    by_year = {}
    for year, on in dates.items():
        shot = snapshot(dataset, on)
        states = [shot.state(j.id) for j in dataset.jurisdictions]
        by_year[str(year)] = [
            None if s.context or s.cause is None else events[s.cause.id] for s in states
        ]
    return by_year


def _words(dataset: Dataset, dates: Mapping[int, date]) -> dict[str, object]:
    """Each place's panel sentences (in force, open proposals, use) in every year, as indices
    into one list of distinct sentences: most places say the same thing year after year."""
    phrases: dict[str, int] = {}
    by_year = {}
    for year, on in dates.items():
        shot = snapshot(dataset, on)
        by_year[str(year)] = [
            [phrases.setdefault(text, len(phrases)) for text in state_words(shot.state(j.id))]
            for j in dataset.jurisdictions
        ]
    return {"phrases": list(phrases), "byYear": by_year}


def site_data(
    dataset: Dataset,
    polygon_ids: frozenset[str],
    dates: Mapping[int, date],
    today: date,
    *,
    app_url: str = "",
    correction_form: str = "",
) -> dict[str, object]:
    """Everything the map page needs, with the statuses (and marks) of every year precomputed."""
    index = {j.id: n for n, j in enumerate(dataset.jurisdictions)}
    ordered = in_date_order(dataset.events)
    event_index = {e.id: n for n, e in enumerate(ordered)}
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
        "eventLabels": EVENT_LABELS,
        "contextLabel": CONTEXT_LABEL,
        "marks": [
            {"key": m, "label": label, "meaning": meaning} for m, label, meaning in legend_marks()
        ],
        "settings": draw_settings(),
        "codes": code_settings(),
        "noRecord": NO_RECORD,
        "usLevels": list(US_LEVELS),
        "places": _places(dataset, polygon_ids, correction_form),
        "byYear": {str(y): _year(dataset, on, today) for y, on in dates.items()},
        "since": _since(dataset, dates, event_index),
        "events": [_event(e, index) for e in ordered],
        "history": history,
        "quotes": [_quote(q, index) for q in quotes],
        "words": _words(dataset, dates),
        "appUrl": safe_href(app_url) if app_url else None,
        "bounds": [list(corner) for corner in US_BOUNDS],
        "playMs": PLAY_MS,
        "playMsPresenting": PLAY_MS_PRESENTING,
    }


# What the page needs before anyone clicks, and what only a panel or the lists need. The map
# page loads the second part (`frtText`) when a panel first opens or the lists below the map
# come into view, so a first visit carries only the names, places and codes of every year.
TEXT_KEYS = ("events", "history", "quotes", "words", "since")
PANEL_PLACE_KEYS = ("note", "correction")


def _columns(data: Mapping[str, object]) -> Mapping[str, list[object]]:
    return cast("Mapping[str, list[object]]", data["places"])


def first_paint(data: Mapping[str, object]) -> dict[str, object]:
    """site_data without the panels' text: places without notes or correction links, no
    events, and no year's causes."""
    places = {k: v for k, v in _columns(data).items() if k not in PANEL_PLACE_KEYS}
    return {**{k: v for k, v in data.items() if k not in TEXT_KEYS}, "places": places}


def panel_text(data: Mapping[str, object]) -> dict[str, object]:
    """The rest of site_data: every event in full, each place's history, quotes, notes and
    correction link, and every year's causes (`since`)."""
    places = _columns(data)
    return {
        **{k: data[k] for k in TEXT_KEYS},
        "notes": places["note"],
        "corrections": places["correction"],
    }
