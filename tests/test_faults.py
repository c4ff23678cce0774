"""Faults leave the app serving pages with a clear message and no stack trace (AppTest).

- invalid data at start-up, or edited into an invalid state while the app runs: every page
  names the file, line and reason;
- the Census source unreachable, silent or stalling: the build gives up after
  `FRT_CENSUS_TIMEOUT` seconds and cities fall back to markers, with a notice;
- a damaged boundary cache, a truncated Census download: a notice, and the map still draws;
- optional columns left out of a file: the pages run and the downloads keep every column.

The builder's own fault handling is tested closer in tests/test_boundaries.py (unreachable
URL, missing folder, HTTP error, truncated download with and without Content-Length, each kind
of damaged cache, an unwritable cache); these tests add the settings and the app around it.
The same faults in Chromium: tests/browser/test_faults_browser.py.
"""

from __future__ import annotations

import csv
import io
import shutil
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import boundaries as b
from geo.boundaries.load import PUBLIC_NOTICE
from geo.config import DEFAULT_CENSUS_TIMEOUT, PROJECT_ROOT, get_settings
from geo.escape import markdown_text
from geo.records import DATA_FILES as FILES
from geo.records import load_dataset
from geo.ui.legend import STORY_ICON
from geo.ui.loaders import LOGGED_NOTICES as logged_once
from tests.support.boundaries import YEAR, serve, settings_for, write_census_folder, write_data
from tests.support.faults import black_hole, stalling_server
from tests.support.payload import map_payload
from tests.support.run import history_items, open_app, run_page

VALID = PROJECT_ROOT / "tests" / "fixtures" / "valid"
BROKEN = PROJECT_ROOT / "tests" / "fixtures" / "broken"
PAGES = ("pages/timeline.py", "pages/places.py", "pages/quotes.py", "pages/about.py")
CITIES = {"ca-testville", "ca-secondtown", "nj-township"}  # in tests/support/boundaries.py


@pytest.fixture
def fresh_caches():
    """The app caches boundaries per data folder for the whole process: start and end empty,
    so a fault is met, not an earlier test's good result."""
    st.cache_resource.clear()
    st.cache_data.clear()
    logged_once.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    logged_once.clear()


def texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "code", "subheader", "title")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def assert_no_traceback(at: AppTest) -> None:
    shown = texts(at)
    assert "Traceback" not in shown and 'File "' not in shown, shown[-2000:]


def copy_valid(folder: Path) -> Path:
    shutil.copytree(VALID, folder)
    return folder


# --- invalid data --------------------------------------------------------------------------------


def expected_lines(folder: Path) -> list[str]:
    text = (folder / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line]


@pytest.mark.parametrize(
    "broken",
    ["url-javascript", "invalid-utf8", "missing-file", "unterminated-quote", "collect-all"],
)
def test_invalid_data_at_start_up_is_listed_on_every_page(app_env, broken: str) -> None:
    folder = BROKEN / broken
    app_env.setenv("FRT_DATA_DIR", str(folder))
    # Messages name files as the validator does from the data folder's parent.
    listed = [f"{folder}/{line}" for line in expected_lines(folder)]
    at = open_app({"year": "2020"})
    for page in (None, *PAGES):
        if page:
            run_page(at, page)
        assert at.error, page
        assert f"has {len(listed)} problem(s)" in at.error[0].value
        assert "python -m geo.validate" in at.error[0].value
        assert at.code[0].value.splitlines() == listed, page
        assert not at.get("component_instance"), "no map is drawn from invalid data"
        assert not at.dataframe
        assert_no_traceback(at)


def test_data_edited_into_an_invalid_state_while_running(app_env, tmp_path: Path) -> None:
    folder = copy_valid(tmp_path / "data")
    app_env.setenv("FRT_DATA_DIR", str(folder))
    at = open_app()
    assert not at.error
    events = folder / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("2019-05-06", "2019-02-30")
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_page(at)
    assert at.error
    column = lines[3].index("2019-02-30") + 1
    assert at.code[0].value == f"{events}:4:{column}: date: 2019-02-30 is not a real calendar date"
    assert_no_traceback(at)
    events.write_text("\n".join(lines).replace("2019-02-30", "2019-05-06") + "\n", "utf-8")
    run_page(at)
    assert not at.error  # fixed data is drawn again, without a restart


def test_a_missing_data_folder_says_so(app_env, tmp_path: Path) -> None:
    app_env.setenv("FRT_DATA_DIR", str(tmp_path / "nowhere"))
    at = open_app()
    assert at.error
    assert all(line.endswith("file: file is missing") for line in at.code[0].value.splitlines())
    assert len(at.code[0].value.splitlines()) == len([f for f in FILES if f.required_file])


# --- the Census source: a setting for the timeout ---------------------------------------------


def test_census_timeout_setting() -> None:
    assert get_settings({}).census_timeout == DEFAULT_CENSUS_TIMEOUT == b.DOWNLOAD_TIMEOUT
    assert get_settings({"FRT_CENSUS_TIMEOUT": "1.5"}).census_timeout == 1.5
    assert get_settings({"FRT_CENSUS_TIMEOUT": " "}).census_timeout == DEFAULT_CENSUS_TIMEOUT


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "nan", "inf"])
def test_a_bad_census_timeout_is_refused_by_name(raw: str) -> None:
    with pytest.raises(ValueError, match="FRT_CENSUS_TIMEOUT"):
        get_settings({"FRT_CENSUS_TIMEOUT": raw})


@pytest.fixture
def synthetic(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny dataset (three cities, a county, a state, the EU) and its Census place files."""
    return write_data(tmp_path / "data"), write_census_folder(tmp_path / "www" / "census")


@pytest.mark.server
@pytest.mark.parametrize("server", [black_hole, stalling_server], ids=["silent", "stalling"])
def test_the_builder_gives_up_after_the_timeout_setting(tmp_path, synthetic, server) -> None:
    data, _ = synthetic
    dataset = load_dataset(data)
    with server() as url:
        settings = settings_for(data, url, tmp_path / "cache")
        settings = type(settings)(**{**settings.__dict__, "census_timeout": 1.0})
        started = time.monotonic()
        boundaries = b.load_boundaries(dataset, settings)  # no timeout argument: the setting
        elapsed = time.monotonic() - started
    assert elapsed < 8, f"took {elapsed:.1f} s with FRT_CENSUS_TIMEOUT=1"
    assert boundaries.point_fallbacks >= CITIES
    assert {"ca", "ca-san-francisco-county"} <= boundaries.polygon_ids
    assert "could not be reached" in " ".join(boundaries.notices)


# --- the app around boundary faults ------------------------------------------------------------


def assert_map_still_draws(at: AppTest, *, cities_as_polygons: bool) -> None:
    places = {p["id"]: p for p in map_payload(at)["places"]}
    assert set(places) == {"ca-testville", "ca-secondtown", "nj-township",
                           "ca-san-francisco-county", "ca"}  # fmt: skip
    assert places["ca"]["polygon"] and places["ca-san-francisco-county"]["polygon"]
    assert places["ca-testville"]["polygon"] is cities_as_polygons
    assert not places["nj-township"]["polygon"]  # a county subdivision: a marker by design


def app_on(app_env, data: Path, source: str, cache: Path, timeout: str = "1") -> None:
    app_env.setenv("FRT_DATA_DIR", str(data))
    app_env.setenv("FRT_CENSUS_SOURCE", source)
    app_env.setenv("FRT_CENSUS_YEAR", str(YEAR))
    app_env.setenv("FRT_CACHE_DIR", str(cache))
    app_env.setenv("FRT_CENSUS_TIMEOUT", timeout)


@pytest.mark.server
@pytest.mark.parametrize("server", [black_hole, stalling_server], ids=["silent", "stalling"])
def test_an_unanswering_census_source_times_out_and_cities_are_markers(
    app_env, fresh_caches, tmp_path, synthetic, server, caplog
) -> None:
    data, _ = synthetic
    with server() as url:
        app_on(app_env, data, url, tmp_path / "cache")
        started = time.monotonic()
        at = open_app()
        elapsed = time.monotonic() - started
        run_page(at, "pages/about.py")  # the GeoJSON download needs the boundaries too
    assert elapsed < 15, f"the first page took {elapsed:.1f} s with FRT_CENSUS_TIMEOUT=1"
    run_page(at, "pages/map.py")
    # The visitor reads a plain sentence; the operator's command is in the server's log.
    assert [i.value for i in at.info if i.icon != STORY_ICON] == [PUBLIC_NOTICE]
    assert "could not be reached" in caplog.text
    assert "python -m geo.boundaries build" in caplog.text
    assert_map_still_draws(at, cities_as_polygons=False)
    assert_no_traceback(at)


@pytest.mark.server
def test_a_truncated_census_download_is_a_notice(
    app_env, fresh_caches, tmp_path, synthetic, caplog
):
    data, census = synthetic
    with serve(census, mode="half") as served:
        app_on(app_env, data, served.url, tmp_path / "cache")
        at = open_app()
    assert [i.value for i in at.info if i.icon != STORY_ICON] == [PUBLIC_NOTICE]
    assert "truncated" in caplog.text and f"cb_{YEAR}_06_place_500k.zip" in caplog.text
    assert_map_still_draws(at, cities_as_polygons=False)
    assert_no_traceback(at)


@pytest.mark.parametrize("reachable", [True, False], ids=["source-reachable", "no-source"])
def test_a_damaged_boundary_cache_is_a_notice(
    app_env, fresh_caches, tmp_path, synthetic, reachable: bool, caplog
) -> None:
    data, census = synthetic
    cache = tmp_path / "cache"
    built = b.build(load_dataset(data), settings_for(data, str(census), cache))
    assert built.complete and built.served_path is not None
    built.served_path.write_bytes(b'{"type": "FeatureCollection", "features": [')
    source = str(census) if reachable else str(tmp_path / "no-census-here")
    app_on(app_env, data, source, cache)
    at = open_app()
    assert "The boundary cache was damaged and has been ignored" in caplog.text
    # Rebuilt from a reachable source, the visitor sees no notice; without one, cities are
    # points and one plain sentence says so (the year's story is the other info box).
    notices = [i.value for i in at.info if i.icon != STORY_ICON]
    assert notices == ([] if reachable else [PUBLIC_NOTICE])
    assert_map_still_draws(at, cities_as_polygons=reachable)
    assert_no_traceback(at)
    if reachable:  # rebuilt and cached again: a fresh start has no notice (the year's story)
        st.cache_resource.clear()
        assert [i.icon for i in open_app().info] == [STORY_ICON]


# --- optional columns left out -------------------------------------------------------------------


def drop_columns(folder: Path, name: str, columns: set[str]) -> None:
    path = folder / name
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    kept = [c for c in rows[0] if c not in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, kept, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


OPTIONAL = {spec.name: spec.optional for spec in FILES}


@pytest.mark.parametrize(
    "dropped",
    [
        {"quotes.csv": {"note"}},
        {"events.csv": {"vote"}},
        OPTIONAL,
    ],
    ids=["quotes-without-note", "events-without-vote", "every-optional-column"],
)
def test_missing_optional_columns(app_env, served_files, tmp_path, dropped) -> None:
    folder = copy_valid(tmp_path / "data")
    for name, columns in dropped.items():
        drop_columns(folder, name, set(columns))
    dataset = load_dataset(folder)  # valid
    app_env.setenv("FRT_DATA_DIR", str(folder))
    at = open_app({"year": "2020", "place": "ca-oakland"})
    assert "Oakland, CA" in [s.value for s in at.subheader]
    assert len(history_items(at)) == sum(e.jurisdiction_id == "ca-oakland"
                                             for e in dataset.events)  # fmt: skip
    for page in PAGES:
        run_page(at, page)
        assert not at.error
        assert_no_traceback(at)
    for spec in FILES:
        stem = spec.name.removesuffix(".csv")
        (data,) = [v for k, v in served_files.items() if k.startswith(f"frt-{stem}-")]
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert list(rows[0]) == list(spec.columns)  # the download has every column
        for column in dropped.get(spec.name, ()):
            if column == "role":
                continue  # a Literal with a default: what it reads back is in test_validate
            expected = "high" if column == "confidence" else ""  # the codebook's defaults
            assert {row[column] for row in rows} == {expected}


# --- a setting the app cannot use --------------------------------------------------------

BAD_SETTINGS = [("FRT_CENSUS_YEAR", "twenty"), ("FRT_CENSUS_TIMEOUT", "-1")]


@pytest.mark.parametrize(("name", "raw"), BAD_SETTINGS)
def test_a_bad_setting_is_a_message_on_the_page_not_a_traceback(app_env, name, raw):
    app_env.setenv(name, raw)
    at = open_app()
    errors = " ".join(e.value for e in at.error)
    # Shown as Markdown text: the underscores are escaped, so they show as underscores.
    assert "misconfigured" in errors and markdown_text(name) in errors, errors
    assert_no_traceback(at)


@pytest.mark.parametrize("module", ["geo.validate", "geo.boundaries"])
@pytest.mark.parametrize(("name", "raw"), BAD_SETTINGS)
def test_a_bad_setting_is_one_line_from_the_commands(module, name, raw):
    import os
    import subprocess
    import sys

    args = [sys.executable, "-m", module] + (["build"] if module == "geo.boundaries" else [])
    env = {**os.environ, name: raw}
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {name} must"), done.stderr
    assert "Traceback" not in done.stderr
