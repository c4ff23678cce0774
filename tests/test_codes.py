"""The map's per-year codes (issue 24): one character per place stands for its fill and marks,
the places' constant part is a file written once per data version, and a rerun's payload no
longer carries names or points."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from geo.drawing import (
    CODE_ALPHABET,
    CODE_FILLS,
    code_drawing,
    code_settings,
    code_table,
    place_code,
    place_drawing,
    tooltip_label,
)
from geo.escape import js_json
from geo.mapview import (
    place_columns,
    place_file_bytes,
    status_codes,
    status_payload,
    write_place_file,
)
from geo.records import Dataset, load_dataset
from geo.timeline import dataset_years, snapshot, warm_years, year_end
from geo.vocabulary import MARK_LABELS, MARKS, NO_RECORD, STATUS_COLOURS, STATUS_LABELS
from tests.support.payload import expand

ROOT = Path(__file__).resolve().parent.parent
ALL_MARKS = [(), ("ban_proposal",), ("use_despite",), ("ban_proposal", "use_despite")]
COMBINATIONS = [(fill, marks) for fill in CODE_FILLS for marks in ALL_MARKS]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(ROOT / "data")


def test_the_table_holds_every_fill_and_marks_once():
    assert set(MARKS) == {"ban_proposal", "use_despite"}  # ALL_MARKS lists their subsets
    assert sorted(code_table()) == sorted(COMBINATIONS)
    assert len(set(code_table())) == len(code_table()) <= len(CODE_ALPHABET)


@pytest.mark.parametrize(("fill", "marks"), COMBINATIONS)
def test_every_combination_round_trips(fill: str, marks: tuple[str, ...]):
    code = place_code(fill, marks)
    assert len(code) == 1 and code in CODE_ALPHABET
    assert code_drawing(code) == (fill, marks)
    # Marks in any order give the same code; the table's entry is the drawing contract.
    assert place_code(fill, tuple(reversed(marks))) == code
    entry = code_settings()["codes"][code]  # type: ignore[index]
    assert entry == {**place_drawing(fill, marks), "marks": list(marks)}
    assert entry["colour"] == STATUS_COLOURS[fill]


def test_no_fill_is_no_record_and_codes_are_distinct():
    assert place_code(None) == place_code(NO_RECORD)
    codes = [place_code(fill, marks) for fill, marks in COMBINATIONS]
    assert len(set(codes)) == len(codes)


def test_the_words_are_the_vocabulary_s():
    words = code_settings()["words"]
    assert words == {**{f: STATUS_LABELS[f] for f in CODE_FILLS}, **MARK_LABELS}


@pytest.mark.parametrize(("fill", "marks"), COMBINATIONS)
def test_the_expansion_says_what_tooltip_label_says(fill: str, marks: tuple[str, ...]):
    columns = {"id": ["x"], "level": ["city"], "lat": [1.0], "lon": [2.0], "polygon": [0],
               "label": ["Oakland, CA"]}  # fmt: skip
    (place,) = expand(columns, place_code(fill, marks))
    assert place["label"] == tooltip_label("Oakland, CA", fill, marks)
    assert (place["fill"], place["colour"], place["marks"]) == (
        fill,
        STATUS_COLOURS[fill],
        list(marks),
    )


def test_a_rerun_sends_a_byte_a_place_and_no_names_or_points(dataset: Dataset):
    on_map = [j for j in dataset.jurisdictions if j.on_map]
    for year in (2019, 2023):
        shot = snapshot(dataset, year_end(year, date.today()))
        payload = status_payload(dataset, shot, on_map[0].id)
        codes = payload["codes"]
        assert isinstance(codes, str) and len(codes) == len(on_map)
        empty = len(js_json({**payload, "codes": ""}))
        assert (len(js_json(payload)) - empty) / len(on_map) <= 1.0
        sent = js_json(payload)
        for j in on_map[1:]:
            assert f'"{j.id}"' not in sent
        assert str(on_map[0].lat) not in sent
        for j, code in zip(on_map, codes, strict=True):
            state = shot.state(j.id)
            assert code_drawing(code) == (state.fill, tuple(m for m in MARKS if m in state.marks))


def test_the_places_file_is_in_the_codes_order(dataset: Dataset, tmp_path: Path):
    polygons = frozenset({"ca"})
    columns = place_columns(dataset, polygons)
    shot = snapshot(dataset, year_end(2023, date.today()))
    assert len(columns["id"]) == len(status_codes(dataset, shot))
    assert columns["id"] == [j.id for j in dataset.jurisdictions if j.on_map]
    assert all(len(values) == len(columns["id"]) for values in columns.values())
    assert columns["polygon"][columns["id"].index("ca")] == 1
    data = place_file_bytes(columns)
    path = write_place_file(tmp_path, data)
    assert json.loads(path.read_text(encoding="utf-8")) == columns
    assert write_place_file(tmp_path, data) == path  # written once per content
    # Another data version (here: other polygons) is another file: browsers never keep a
    # stale copy.
    other = write_place_file(tmp_path, place_file_bytes(place_columns(dataset, frozenset())))
    assert other != path and other.name.startswith("places-")
    assert not list(tmp_path.glob(".part.*"))  # no temporary file left behind


def test_warm_years_folds_every_year_the_map_can_show(dataset: Dataset):
    """The app folds every year in the background (geo.ui.loaders), so a year change finds
    its snapshot, and the year's story its year before, in the cache."""
    today = date.today()
    snapshot.cache_clear()
    warm_years(dataset, today)
    first, last = dataset_years(dataset, today)
    misses = snapshot.cache_info().misses
    for year in range(first - 1, last + 1):
        snapshot(dataset, year_end(year, today))
    assert snapshot.cache_info().misses == misses
