"""Nothing lost on the way from the files to the reader.

Rows are counted three ways, by id: raw records in each CSV file (the `csv` module alone),
validated records (geo.records), and what the app shows (AppTest): the map (the status
payload's places, drawn as a marker or, for states, a polygon; plus the list of bodies outside
the US), the places table, the timeline's events table, the quotes page, and the About page's
downloads. On the real data and on two fixtures; a failure names the missing ids.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.config import PROJECT_ROOT
from geo.escape import markdown_text
from geo.present import QUOTE_OPEN, quote_words
from geo.records import DATA_FILES as FILES
from geo.records import load_dataset
from tests.support import hostile as hs
from tests.support.payload import map_payload
from tests.support.run import run_page

DATASETS = {
    "real-data": PROJECT_ROOT / "data",
    "valid-fixture": PROJECT_ROOT / "tests" / "fixtures" / "valid",
    "hostile-fixture": hs.FIXTURE,
}


def raw_ids(folder: Path) -> dict[str, list[str]]:
    """File name -> the id column of every record, read by the csv module alone."""
    ids = {}
    for spec in FILES:
        with (folder / spec.name).open(encoding="utf-8-sig", newline="") as handle:
            ids[spec.name] = [row["id"] for row in csv.DictReader(handle)]
    return ids


def validated_ids(folder: Path) -> dict[str, list[str]]:
    dataset = load_dataset(folder)
    tables = (dataset.jurisdictions, dataset.events, dataset.quotes)
    return {spec.name: [r.id for r in rows] for spec, rows in zip(FILES, tables, strict=True)}


def assert_same(what: str, expected: list[str], got: list[str]) -> None:
    """Same ids, each once; the message names what is missing or extra."""
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    twice = sorted({i for i in got if got.count(i) > 1})
    assert not (missing or extra or twice), (
        f"{what}: {len(got)} shown, {len(expected)} expected; missing {missing}, "
        f"not in the data {extra}, shown twice {twice}"
    )


# --- what the app shows ----------------------------------------------------------------------


def map_ids(at: AppTest, folder: Path) -> list[str]:
    """Places the map draws (a marker, or a state's polygon) and bodies listed beside it."""
    places = map_payload(at)["places"]
    # The map script draws every non-state place as a marker, and a state only as a polygon.
    drawn = [p["id"] for p in places if p["level"] != "state" or p["polygon"]]
    lines = [m.value for m in at.markdown]
    dataset = load_dataset(folder)
    listed = [
        j.id
        for j in dataset.jurisdictions
        if not j.is_us
        for line in lines
        if line.startswith(f"{markdown_text(j.name)}: **")
    ]
    return drawn + listed


def quote_texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(QUOTE_OPEN)]


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_row_reaches_the_reader(app_env, served_files, name: str) -> None:
    folder = DATASETS[name]
    app_env.setenv("FRT_DATA_DIR", str(folder))
    raw = raw_ids(folder)
    valid = validated_ids(folder)
    for spec in FILES:
        assert_same(f"{name} {spec.name}: validated vs raw", raw[spec.name], valid[spec.name])
    places, events, quotes = (raw[spec.name] for spec in FILES)

    at = run_page(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60))
    # Context places (a stadium's vendor test, headline-level foreign references) are never
    # drawn as governments: they are in the Places table and the downloads instead.
    context = {j.id for j in load_dataset(folder).jurisdictions if j.is_context}
    drawn_places = [p for p in places if p not in context]
    assert_same(f"{name}: the map", drawn_places, map_ids(at, folder))
    # The map page's quotes are the chosen year's; the quotes page has them all.

    run_page(at, "pages/places.py")
    assert_same(f"{name}: the places table", places, list(at.dataframe[0].value.index))

    run_page(at, "pages/timeline.py")
    assert_same(f"{name}: the events table", events, list(at.dataframe[0].value.index))

    run_page(at, "pages/quotes.py")
    counted = next(s.value for s in at.header if s.value.endswith(" quotes"))
    assert counted == f"{len(quotes)} of {len(quotes)} quotes"
    dataset = load_dataset(folder)
    by_text = {markdown_text(quote_words(q.text)): q.id for q in dataset.quotes}
    assert_same(f"{name}: the quotes page", quotes, [by_text[t] for t in quote_texts(at)])

    run_page(at, "pages/about.py")
    for spec in FILES:
        stem = spec.name.removesuffix(".csv")
        (data,) = [v for k, v in served_files.items() if re.match(rf"frt-{stem}-.*\.csv$", k)]
        rows = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
        assert_same(f"{name}: the {stem} CSV download", raw[spec.name], [r["id"] for r in rows])
    (geojson,) = [v for k, v in served_files.items() if k.endswith(".geojson")]
    features = json.loads(geojson.decode("utf-8"))["features"]
    assert_same(f"{name}: the GeoJSON download", places, [f["properties"]["id"] for f in features])


def test_the_count_check_names_what_is_missing() -> None:
    with pytest.raises(AssertionError, match=r"missing \['b'\].*shown twice \['a'\]"):
        assert_same("sample", ["a", "b"], ["a", "a"])
