"""The scale curve (`python -m bench --scale N`): its synthetic data, its no-browser run, and the
lookups that made a rerun quadratic in the number of places.

Nothing here is timed: the synthetic data must pass the validator and follow the real data's
mix of kinds, and the tool must run end to end on a small size. Figures: BENCHMARKS.md,
"Scale curve". Needs the Census place files (tests/support/census.py), like the budgets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bench import synthetic
from bench.scale import parse_sizes
from geo.escape import _JS_UNSAFE, js_json
from geo.records import Dataset, Jurisdiction, check_dataset, load_dataset, parse_date
from geo.records.models import row_date
from tests.support.census import require_census

ROOT = Path(__file__).resolve().parent.parent
PLACES = 30


@pytest.fixture(scope="module")
def real() -> Dataset:
    return load_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, real: Dataset) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "data"
    return synthetic.build(out, require_census(), PLACES, real, today=date(2026, 11, 30))


def test_the_synthetic_data_passes_the_validator(folder: Path) -> None:
    dataset, problems = check_dataset(folder)
    assert problems == []
    assert len(dataset.jurisdictions) == PLACES
    low, high = synthetic.EVENTS_PER_PLACE
    assert low * PLACES <= len(dataset.events) <= high * PLACES
    done = subprocess.run(
        [sys.executable, "-m", "geo.validate", str(folder)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_synthetic_places_are_real_cities_and_the_events_real_kinds(
    folder: Path, real: Dataset
) -> None:
    dataset = load_dataset(folder)
    assert {j.level for j in dataset.jurisdictions} == {"city"}
    assert all(len(j.geoid) == 7 and j.lat and j.lon for j in dataset.jurisdictions)
    assert set(synthetic.kinds_of(dataset.events)) <= set(synthetic.kinds_of(real.events))
    assert all(date(2019, 1, 1) <= e.when <= date(2026, 11, 30) for e in dataset.events)
    statuses = Counter(e.status for e in dataset.events)
    assert statuses["using"] and statuses["pending"] and statuses["banned"]


def test_the_same_seed_makes_the_same_data(tmp_path: Path, folder: Path, real: Dataset) -> None:
    again = synthetic.build(tmp_path, require_census(), PLACES, real, today=date(2026, 11, 30))
    for name in ("jurisdictions.csv", "events.csv", "quotes.csv"):
        assert (again / name).read_bytes() == (folder / name).read_bytes()


def test_place_ids_follow_the_codebook_and_stay_unique() -> None:
    place = synthetic.Place("0100124", "Cañon City", "CO", 38.4, -105.2)
    twin = synthetic.Place("0800125", "Cañon City", "CO", 38.5, -105.3)
    assert synthetic.place_ids([place, twin]) == ["co-canon-city", "co-canon-city-0800125"]


def test_sizes_are_positive_whole_numbers() -> None:
    assert parse_sizes("1000,5000") == [1000, 5000]
    with pytest.raises(ValueError):
        parse_sizes("0")
    with pytest.raises(ValueError):
        parse_sizes("")


def test_the_tool_runs_without_a_browser(tmp_path: Path) -> None:
    census = {"FRT_CENSUS_SOURCE": str(require_census())}  # wherever the tests found them
    out = tmp_path / "scale.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", str(PLACES), "--no-browser",
         "--reruns", "2", "--sessions", "2", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=280,
        env={**os.environ, **census},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text())
    subjects = report["scale"]["subjects"]
    assert report["scale"]["order"] == ["today", str(PLACES)]
    assert all(s["validation"]["command_exit"] == 0 for s in subjects.values())
    assert subjects[str(PLACES)]["validation"]["places"] == PLACES
    assert all("error" not in s["app"] for s in subjects.values())
    # The first part of the boundaries holds no city polygon: smaller than the whole.
    shapes = subjects[str(PLACES)]["geojson"]
    assert 0 < shapes["first_part_bytes"] < shapes["bytes"] and shapes["city_parts"] >= 1
    assert f"| Measure | today's data | {PLACES} places |" in done.stdout
    printed = subprocess.run(
        [sys.executable, "-m", "bench", "--print", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert printed.returncode == 0 and "app rerun median / empty page's" in printed.stdout


# The lookups the curve found quadratic or slow, made fast without changing what they return.


def test_a_jurisdiction_is_found_by_id_and_the_first_row_wins() -> None:
    first = Jurisdiction(id="xx-a", name="A", level="country")
    second = Jurisdiction(id="xx-a", name="A again", level="country")
    other = Jurisdiction(id="xx-b", name="B", level="country")
    dataset = Dataset((first, second, other), (), ())
    assert dataset.jurisdiction("xx-a") is first
    assert dataset.jurisdiction("xx-b") is other
    with pytest.raises(KeyError):
        dataset.jurisdiction("xx-c")


def test_row_dates_parse_as_before() -> None:
    for text in ("2019-07-16", "2020-02", "2026-11-30"):
        assert row_date(text) == parse_date(text, today=date.max)


def test_js_json_escapes_as_the_character_walk_did() -> None:
    value = {"text": "</script><!-- `${x}` & 'y' \u2028\u2029 é", "n": [1, 2.5, None, True]}
    walked = "".join(
        _JS_UNSAFE.get(ch, ch)
        for ch in json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    )
    assert js_json(value) == walked
