"""Faults in Debian's Chromium: the app keeps serving pages, says what is wrong, and shows no
stack trace. (Each fault in more detail, with AppTest: tests/test_faults.py.)"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from geo.boundaries.load import PUBLIC_NOTICE
from geo.records import load_dataset
from tests.support.browser import IDLE, MAP_FRAME
from tests.support.faults import black_hole
from tests.support.server import serve

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BROKEN = FIXTURES / "broken" / "collect-all"
VALID = FIXTURES / "valid"


def assert_no_traceback(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    text = page.evaluate("document.body.innerText")
    assert "Traceback" not in text and 'File "' not in text


@pytest.fixture
def invalid_data_server(tmp_path: Path, server_env: dict[str, str]) -> Iterator[str]:
    yield from serve({**server_env, "FRT_DATA_DIR": str(BROKEN)}, tmp_path / "streamlit.log")


@pytest.mark.parametrize("path", ["", "places?year=2020"])
def test_invalid_data_names_file_line_and_reason(invalid_data_server, page: Page, path, shot):
    page.goto(f"{invalid_data_server}/{path}")
    alert = page.locator('[data-testid="stAlert"]').first
    expect(alert).to_contain_text(
        re.compile(r"has \d+ problem\(s\), so the map is not shown"), timeout=60_000
    )
    expected = [line for line in (BROKEN / "expected.txt").read_text("utf-8").splitlines() if line]
    code = page.locator('[data-testid="stCode"]').first
    for line in expected:
        expect(code).to_contain_text(f"{BROKEN}/{line}")
    expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
    expect(page.locator(MAP_FRAME)).to_have_count(0)
    assert_no_traceback(page)
    shot(page, f"50-invalid-data-{path.split('?')[0] or 'map'}")


@pytest.fixture
def silent_census_server(tmp_path: Path, server_env: dict[str, str]) -> Iterator[str]:
    """The valid fixture, a fresh cache, and a Census source that never answers."""
    with black_hole() as url:
        env = {
            **server_env,
            "FRT_DATA_DIR": str(VALID),
            "FRT_CACHE_DIR": str(tmp_path / "cache"),
            "FRT_CENSUS_SOURCE": url,
            "FRT_CENSUS_TIMEOUT": "1",
        }
        yield from serve(env, tmp_path / "streamlit.log")


def test_an_unanswering_census_source_still_draws_the_map(
    silent_census_server, page, shot, tmp_path
):
    us = [j for j in load_dataset(VALID).jurisdictions if j.on_map]
    started = time.monotonic()
    page.goto(f"{silent_census_server}/?year=2020")
    # The visitor reads one plain sentence; the command for the operator is in the log.
    notice = page.get_by_text(PUBLIC_NOTICE, exact=True).first
    expect(notice).to_be_visible(timeout=30_000)
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(container).to_have_attribute("data-frt-places", str(len(us)), timeout=30_000)
    assert time.monotonic() - started < 30
    frame = page.frame_locator(MAP_FRAME)
    for j in us:  # every place is drawn: cities as markers, the county and state as shapes
        expect(frame.locator(f"path.frt-{j.id}").first).to_be_attached()
    assert_no_traceback(page)
    log = (tmp_path / "streamlit.log").read_text(encoding="utf-8")
    assert "could not be reached" in log and "python -m geo.boundaries build" in log
    shot(page, "51-census-unreachable")
