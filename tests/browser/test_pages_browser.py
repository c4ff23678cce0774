"""The timeline, places, quotes and about pages in Debian's Chromium: each opens from its URL
with the year in it, shows its key element, and keeps the year when the reader moves on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from geo.config import get_settings
from geo.present import APP_PAGES, page_title, place_label
from geo.records import load_dataset
from geo.tables import places_table
from tests.support.browser import slider_value, wait_idle

pytestmark = pytest.mark.browser

DATASET = load_dataset(get_settings().data_dir)


# Each page's own tab title (geo.present.page_title), by its URL path.
TITLES = {path: page_title(title) for path, _file, title, _icon in APP_PAGES}


def open_page(page: Page, server: str, path: str) -> None:
    page.goto(f"{server}/{path}?year=2020")
    wait_idle(page)
    expect(page).to_have_title(TITLES[path])
    expect(page.locator('[data-testid="stSlider"]').first).to_be_visible()
    assert slider_value(page) == 2020


def test_timeline_page(server, page: Page, shot):
    open_page(page, server, "timeline")
    expect(page.get_by_role("heading", name=re.compile("^Timeline"))).to_be_visible()
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    expect(page.get_by_text("As of 31 Dec 2020", exact=False).first).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_attached()
    shot(page, "10-timeline-2020")
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    shot(page, "11-timeline-events")
    assert not page.page_errors


def test_places_page_and_choosing_a_row(server, page: Page, shot):
    open_page(page, server, "places")
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible()
    expect(page.get_by_label("Search by name")).to_be_visible()
    shot(page, "12-places-2020")
    # Choose the first row by its selection box, at the left of the row.
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    wait_idle(page)
    first = DATASET.jurisdiction(str(places_table(DATASET, DATASET.events[0].when).index[0]))
    expect(page.get_by_role("heading", name=place_label(first))).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(rf"place={first.id}"))
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Quotes \(\d+\)$"))).to_be_visible(timeout=30_000)
    wait_idle(page)
    page.get_by_role("heading", name=place_label(first)).scroll_into_view_if_needed()
    shot(page, "13-places-row-chosen")
    assert not page.page_errors


def test_quotes_page_search(server, page: Page, shot):
    open_page(page, server, "quotes")
    total = len(DATASET.quotes)
    expect(page.get_by_text(f"{total} of {total} quotes")).to_be_visible()
    shot(page, "14-quotes-2020")
    search = page.get_by_label("Search words, speakers and roles")
    search.fill("Kaplan")
    search.press("Enter")
    wait_idle(page)
    expected = [
        q for q in DATASET.quotes if "kaplan" in f"{q.text} {q.speaker} {q.role}".casefold()
    ]
    expect(page.get_by_text(f"{len(expected)} of {total} quotes")).to_be_visible()
    expect(page.get_by_text("Rebecca Kaplan").first).to_be_visible()
    shot(page, "15-quotes-kaplan")
    assert not page.page_errors


def test_about_page(server, page: Page, shot):
    open_page(page, server, "about")
    expect(page.get_by_role("heading", name="About this map")).to_be_visible()
    expect(page.get_by_role("heading", name="What the statuses mean")).to_be_visible()
    shot(page, "16-about")
    button = page.get_by_role("button", name=re.compile(r"Status on 31 Dec 2020 \(GeoJSON\)"))
    button.scroll_into_view_if_needed()
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "frt-status-2020-12-31.geojson"
    shot(page, "17-about-downloads")
    assert not page.page_errors


def test_the_year_stays_when_moving_between_pages(server, page: Page, shot):
    open_page(page, server, "timeline")
    for name in ("Places", "Quotes", "About", "Timeline"):
        page.get_by_test_id("stTopNav").get_by_role("link", name=name, exact=True).click()
        wait_idle(page)
        expect(page.locator('[data-testid="stSlider"]').first).to_be_visible()
        assert slider_value(page) == 2020, name
    shot(page, "18-back-to-timeline")


def test_a_deep_link_on_a_fresh_server_goes_through_the_router(fresh_server, page: Page, shot):
    """Streamlit runs a `pages/` file alone on a fresh server's first run unless the page
    hands the run to app.py (geo.ui.start_page); the frame must be there from the start."""
    page.goto(f"{fresh_server}/places?year=2020")
    wait_idle(page)
    nav = page.get_by_test_id("stTopNav")
    expect(nav.get_by_role("link", name="Places", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Data CC BY 4.0", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Places"))).to_be_visible()
    assert slider_value(page) == 2020
    shot(page, "19-places-cold-start")
