"""The static map's data (geo.site.data) without a build: what a first visit carries, what
waits for the panels' text, and that each place's status and marks, read back from its one
code character the way map.js reads them (`D.codes.codes[code.charAt(i)]`), are
geo.timeline's snapshot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from geo.records import Dataset
from geo.site.data import first_paint, panel_text, site_data, year_dates
from geo.timeline import in_date_order, snapshot
from geo.vocabulary import NO_RECORD, US_LEVELS
from tests.support.data import hostile_fixture, real

TODAY = date.today()
DATASETS: dict[str, Callable[[], Dataset]] = {"real": real, "hostile": hostile_fixture}
# What no longer travels with the first paint: each derivable from what does, or panel text.
GONE_FROM_YEARS = {"status", "marks", "event"}
GONE_FROM_PLACES = {"name", "levelLabel", "us", "mapped", "note", "correction"}


@pytest.fixture(scope="module", params=sorted(DATASETS))
def case(request: pytest.FixtureRequest) -> tuple[Dataset, dict[int, date], dict]:
    dataset = DATASETS[request.param]()
    dates = year_dates(dataset, TODAY)
    return dataset, dates, site_data(dataset, frozenset(), dates, TODAY)


def drawing(data: dict, year: int, place: int) -> dict:
    """map.js's drawingOf: the code table's entry for the place's character that year."""
    return data["codes"]["codes"][data["byYear"][str(year)]["code"][place]]


def test_each_place_s_status_and_marks_read_from_its_code_are_the_snapshot_s(case) -> None:
    dataset, dates, data = case
    for year, on in dates.items():
        shot = snapshot(dataset, on)
        assert len(data["byYear"][str(year)]["code"]) == len(dataset.jurisdictions)
        for n, place in enumerate(dataset.jurisdictions):
            state = shot.state(place.id)
            # A context place is drawn and counted as no record (its panel says "Context").
            fill = NO_RECORD if place.is_context else state.fill
            assert drawing(data, year, n)["fill"] == fill, (year, place.id)
            assert drawing(data, year, n)["marks"] == list(state.marks), (year, place.id)


# (place, year, fill, marks), as the page shows them; a context place is never drawn.
SHOWN = [
    ("ca-san-francisco", 2019, "banned", []),
    ("ca-san-francisco", 2020, "banned", ["use_despite"]),
    ("ca", 2020, "restricted", []),
    ("ca-oakland", 2022, "banned", []),
    ("wi-milwaukee", 2025, "using", ["ban_proposal"]),
    ("mn", 2025, "restricted", ["ban_proposal"]),
    ("ca-pasadena", 2024, NO_RECORD, []),  # context: "using" in the snapshot
    ("ru", 2024, NO_RECORD, []),  # context abroad
]


@pytest.fixture(scope="module")
def real_data() -> dict:
    return site_data(real(), frozenset(), year_dates(real(), TODAY), TODAY)


@pytest.mark.parametrize(("place_id", "year", "fill", "marks"), SHOWN)
def test_known_places_read_back_from_their_codes(
    real_data: dict, place_id: str, year: int, fill: str, marks: list[str]
) -> None:
    n = real_data["places"]["id"].index(place_id)
    assert drawing(real_data, year, n)["fill"] == fill
    assert drawing(real_data, year, n)["marks"] == marks
    assert real_data["places"]["context"][n] == int(real().jurisdictions[n].is_context)


def test_the_row_behind_each_colour_is_in_the_panels_text(case) -> None:
    """`since` (the "since <date>" and source of the lists and panel) is the snapshot's cause;
    a place has one exactly when it is drawn with a fill, which the lists rely on before the
    text arrives."""
    dataset, dates, data = case
    events = {e.id: n for n, e in enumerate(in_date_order(dataset.events))}
    text = panel_text(data)
    for year, on in dates.items():
        shot = snapshot(dataset, on)
        since = text["since"][str(year)]
        for n, place in enumerate(dataset.jurisdictions):
            cause = None if place.is_context else shot.state(place.id).cause
            assert since[n] == (None if cause is None else events[cause.id]), (year, place.id)
            assert (since[n] is None) == (drawing(data, year, n)["fill"] == NO_RECORD)
            if cause is not None:
                assert text["events"][since[n]]["date"]  # what "since" shows


def test_the_first_paint_carries_codes_and_columns_not_panel_text(case) -> None:
    dataset, dates, data = case
    first = first_paint(data)
    assert not {"eventDates", "events", "since", "history", "quotes", "words"} & set(first)
    for year in dates:
        shown = first["byYear"][str(year)]
        assert set(shown) == {"date", "iso", "code", "counts", "markCounts", "story"}
        assert not GONE_FROM_YEARS & set(shown)
    places = first["places"]
    assert not GONE_FROM_PLACES & set(places)
    assert set(places) == {"id", "label", "level", "lat", "lon", "polygon", "context", "statewide"}
    assert all(len(column) == len(dataset.jurisdictions) for column in places.values())
    assert set(places["polygon"]) <= {0, 1} and set(places["context"]) <= {0, 1}


def test_what_the_page_derives_is_what_was_left_out(case) -> None:
    """map.js's place(i): in the US by its level, drawn when in the US and not context, and a
    statewide place's name is its label (the panel's "Statewide (California)" line)."""
    dataset, _dates, data = case
    places = data["places"]
    assert data["usLevels"] == list(US_LEVELS)
    for n, place in enumerate(dataset.jurisdictions):
        us = places["level"][n] in data["usLevels"]
        assert us == place.is_us, place.id
        assert (us and not places["context"][n]) == place.on_map, place.id
        state = places["statewide"][n]
        if state is not None:
            assert places["label"][state] == dataset.jurisdictions[state].name, place.id


def test_the_panels_text_has_every_note_and_correction_in_place_order(case) -> None:
    dataset, dates, data = case
    text = panel_text(data)
    assert text["notes"] == [j.note for j in dataset.jurisdictions]
    assert len(text["corrections"]) == len(dataset.jurisdictions)
    assert set(text["since"]) == {str(year) for year in dates}
