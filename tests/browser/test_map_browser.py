"""The map page in Debian's Chromium: drawing, the year slider, clicks, links and Play.

Expected values come from the data through geo.timeline (never copied by hand), so a wrong
fold or a wrong colour fails here.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from geo.config import get_settings
from geo.present import place_label, year_story
from geo.records import load_dataset
from geo.timeline import NO_RECORD, status_as_of, year_end
from geo.vocabulary import STATUS_COLOURS
from tests.support.browser import (
    MAP_FRAME,
    MARKER_ORDER,
    SLIDER,
    click_place_point,
    element_at,
    map_view,
    point_of,
    slider_value,
    wait_idle,
    wait_places,
    zoom_to,
)

pytestmark = pytest.mark.browser

DATASET = load_dataset(get_settings().data_dir)
US_IDS = [j.id for j in DATASET.jurisdictions if j.on_map]
TODAY = date.today()


def wait_one_map(page: Page) -> None:
    """Streamlit has finished the script run and only one map frame is left."""
    wait_idle(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)


def map_frame(page: Page):
    return page.frame_locator(MAP_FRAME)


def frame_of(page: Page):
    """The map frame's document (Streamlit may replace the iframe on a rerun: ask again)."""
    return page.locator(MAP_FRAME).element_handle().content_frame()


def wait_map(page: Page, rendered_at_least: int = 1) -> None:
    wait_one_map(page)
    container = wait_places(page, len(US_IDS))
    expect(container).to_have_attribute("data-frt-rendered", re.compile(r"\d+"), timeout=30_000)
    rendered = int(container.get_attribute("data-frt-rendered") or 0)
    assert rendered >= rendered_at_least


# How far Streamlit's main area is scrolled.
MAIN_SCROLL = "document.querySelector('[data-testid=\"stMain\"]').scrollTop"


def set_year(page: Page, year: int) -> None:
    """Drive the slider as a keyboard user does: focus it and press arrow keys."""
    handle = page.locator(SLIDER).first
    handle.focus()
    while slider_value(page) != year:
        key = "ArrowRight" if slider_value(page) < year else "ArrowLeft"
        handle.press(key)
    wait_one_map(page)


def fills(page: Page) -> dict[str, str]:
    """The fill colour of each place's marker or shape on the map, by jurisdiction id."""
    frame = map_frame(page)
    colours: dict[str, str] = {}
    for jid in US_IDS:
        shapes = frame.locator(f"path.frt-{jid}")
        if shapes.count():
            colours[jid] = (shapes.first.get_attribute("fill") or "").upper()
    return colours


def expected_fills(year: int) -> dict[str, str]:
    statuses = status_as_of(DATASET, year_end(year, TODAY))
    return {jid: STATUS_COLOURS[statuses.get(jid, NO_RECORD)].upper() for jid in US_IDS}


def test_map_draws_every_jurisdiction(server, page: Page, shot):
    page.goto(server + "/?year=2022")
    wait_map(page)
    drawn = fills(page)
    shot(page, "01-map-2022")
    assert sorted(drawn) == sorted(US_IDS), set(US_IDS) - set(drawn)
    assert drawn == expected_fills(2022)
    assert not page.page_errors


def test_slider_2019_to_2022_recolours_the_places_that_changed(server, page: Page, shot):
    page.goto(server + "/?year=2019")
    wait_map(page)
    before = fills(page)
    assert before == expected_fills(2019)
    shot(page, "02-slider-2019")
    # The year's story is a live region that stays while its text changes (a screen reader
    # reads the new year out): mark it, move the slider, find the mark with the new words.
    story = page.get_by_role("status").filter(has_text="2019:")
    expect(story).to_contain_text(year_story(DATASET, 2019, TODAY))
    story.evaluate("el => { el.dataset.frtMark = 'kept'; }")
    set_year(page, 2022)
    expect(page.locator('[role="status"][data-frt-mark="kept"]')).to_contain_text(
        year_story(DATASET, 2022, TODAY)
    )
    expect(page).to_have_url(re.compile(r"year=2022"))
    changed = {j for j in US_IDS if expected_fills(2019)[j] != expected_fills(2022)[j]}
    assert changed, "the data should change between 2019 and 2022"
    frame = map_frame(page)
    for jid in sorted(changed):
        expect(frame.locator(f"path.frt-{jid}").first).to_have_attribute(
            "fill", re.compile(expected_fills(2022)[jid], re.IGNORECASE)
        )
    after = fills(page)
    assert after == expected_fills(2022)
    shot(page, "03-slider-2022")
    # The frame (and Leaflet) survived the year change: geometry was not sent again.
    assert int(frame.locator(".leaflet-container").get_attribute("data-frt-rendered")) >= 2


def test_clicking_oakland_shows_kaplans_quote_with_its_source(server, page: Page, shot):
    page.goto(server + "/?year=2020")
    wait_map(page)
    oakland = DATASET.jurisdiction("ca-oakland")
    frame_el = page.locator(MAP_FRAME).element_handle()
    frame = frame_el.content_frame()
    point = zoom_to(frame, oakland.lat, oakland.lon, 12)
    assert "frt-ca-oakland" in element_at(frame, point)
    box = frame_el.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    expect(page.get_by_role("heading", name="Oakland, CA")).to_be_visible(timeout=15_000)
    quote = page.get_by_text("People have ended up shot and killed", exact=False)
    expect(quote.first).to_be_visible()
    expect(page.get_by_text("Rebecca Kaplan").first).to_be_visible()
    source = page.get_by_role("link", name="CNN Business").first
    expect(source).to_have_attribute("href", re.compile(r"^https?://"))
    expect(page).to_have_url(re.compile(r"place=ca-oakland"))
    shot(page, "04-oakland-clicked")


def test_one_click_on_a_small_marker_chooses_it_when_the_map_runs_past_the_window(
    server, page: Page
):
    """Leaflet focuses the map on mousedown; that focus once scrolled the page under the
    pointer and the click missed the marker. The page must not move; the keys still work."""
    page.goto(server + "/?year=2020")
    wait_map(page)
    frame_el = page.locator(MAP_FRAME).element_handle()
    frame = frame_el.content_frame()
    box = frame_el.bounding_box()
    assert box["y"] + box["height"] > page.viewport_size["height"], "the map must overhang"
    # A city in the window whose marker stands alone at its own point (markers overlap at
    # national zoom).
    points = {j: point_of(frame, DATASET.jurisdiction(j).lat, DATASET.jurisdiction(j).lon)
              for j in US_IDS if DATASET.jurisdiction(j).lat is not None}  # fmt: skip
    for jid in sorted(j for j in points if DATASET.jurisdiction(j).level == "city"):
        place, point = DATASET.jurisdiction(jid), points[jid]
        alone = all(
            abs(point[0] - x) + abs(point[1] - y) > 30 for j, (x, y) in points.items() if j != jid
        )
        seen = box["y"] + point[1] < page.viewport_size["height"] - 20
        if alone and seen and f"frt-marker frt-{jid} " in element_at(frame, point) + " ":
            break
    else:
        pytest.fail("no city marker stands alone at its own point")
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    expect(page.get_by_role("heading", name=place_label(place))).to_be_visible(timeout=15_000)
    expect(page).to_have_url(re.compile(rf"place={jid}"))
    wait_one_map(page)
    # The chosen place was brought into view; back to the open sea off the coast, where a
    # click focuses the map (without scrolling) and the keys zoom it.
    expect(map_frame(page).locator(".leaflet-container")).to_have_attribute("data-frt-focused", jid)
    frame = frame_of(page)
    box = page.locator(MAP_FRAME).bounding_box()
    sea = zoom_to(frame, 31.0, -72.0, 5)
    assert "leaflet-interactive" not in element_at(frame, sea)
    scrolled = page.evaluate(MAIN_SCROLL)
    zoom = frame.evaluate("window.map.getZoom()")
    page.mouse.click(box["x"] + sea[0], box["y"] + sea[1])
    page.keyboard.press("Equal")  # Leaflet's zoom-in key
    frame.wait_for_function(f"window.map.getZoom() > {zoom}", timeout=5_000)
    assert page.evaluate(MAIN_SCROLL) == scrolled


def test_a_link_restores_year_and_place(server, page: Page, shot):
    page.goto(server + "/?year=2019&place=ca-oakland")
    wait_map(page)
    assert slider_value(page) == 2019
    expect(page.get_by_role("heading", name="Oakland, CA")).to_be_visible()
    expect(page.get_by_text("As of 31 Dec 2019", exact=False).first).to_be_visible()
    assert fills(page) == expected_fills(2019)
    # The link's place is brought into view, ringed.
    expect(map_frame(page).locator(".leaflet-container")).to_have_attribute(
        "data-frt-focused", "ca-oakland"
    )
    oakland = DATASET.jurisdiction("ca-oakland")
    view = map_view(frame_of(page), oakland.lat, oakland.lon)
    assert view["zoom"] > view["usZoom"] and view["inView"], view
    expect(map_frame(page).locator("path.frt-ring-line.frt-ring-ca-oakland")).not_to_have_count(0)
    shot(page, "05-link-restored")


def test_a_click_on_san_francisco_s_point_chooses_it_and_brings_it_into_view(
    server, page: Page, shot
):
    """In 2019 the banned Bay Area cities draw above the grey "no record" markers around them
    (El Cerrito), and a click exactly on San Francisco's point chooses San Francisco; the map
    then zooms to it and rings it."""
    page.goto(server + "/?year=2019")
    wait_map(page)
    frame = frame_of(page)
    status = status_as_of(DATASET, year_end(2019, TODAY))
    order = frame.evaluate(MARKER_ORDER)
    last_grey = max(n for n, i in enumerate(order) if status.get(i, NO_RECORD) == NO_RECORD)
    first_measure = min(n for n, i in enumerate(order) if i in status and status[i] != "using")
    assert first_measure > last_grey, order
    sf = DATASET.jurisdiction("ca-san-francisco")
    before = map_view(frame, sf.lat, sf.lon)
    click_place_point(page, frame, sf.lat, sf.lon)
    expect(page.get_by_role("heading", name=place_label(sf))).to_be_visible(timeout=15_000)
    expect(page).to_have_url(re.compile(r"place=ca-san-francisco"))
    wait_one_map(page)
    inside = map_frame(page)
    expect(inside.locator(".leaflet-container")).to_have_attribute(
        "data-frt-focused", "ca-san-francisco"
    )
    after = map_view(frame_of(page), sf.lat, sf.lon)
    assert after["zoom"] > before["zoom"] and after["inView"], (before, after)
    expect(inside.locator("path.frt-ca-san-francisco.frt-chosen")).not_to_have_count(0)
    expect(inside.locator("path.frt-ring-line.frt-ring-ca-san-francisco")).not_to_have_count(0)
    shot(page, "07-san-francisco-clicked")
    # From the list: Oakland is brought into view too.
    chooser = page.get_by_role("combobox", name="Choose a place")
    chooser.fill("Oakland")
    chooser.press("Enter")
    expect(page.get_by_role("heading", name="Oakland, CA")).to_be_visible(timeout=15_000)
    wait_one_map(page)
    expect(inside.locator(".leaflet-container")).to_have_attribute("data-frt-focused", "ca-oakland")
    oakland = DATASET.jurisdiction("ca-oakland")
    view = map_view(frame_of(page), oakland.lat, oakland.lon)
    assert view["zoom"] > view["usZoom"] and view["inView"], view
    expect(inside.locator("path.frt-ring-ca-san-francisco")).to_have_count(0)


def test_play_reaches_the_last_year(server, page: Page, shot):
    """Play is one switch: it stays the only Play control while the years run (no second
    button, no faded copy, no toolbar Stop), nothing fades, each year tells its story, and it
    switches itself off at the current year."""
    first = min(e.when.year for e in DATASET.events)
    page.goto(server + f"/?year={first}")
    wait_map(page)
    switch = page.get_by_role("switch", name="Play")
    page.locator("label").filter(has=switch).click()
    expect(switch).to_be_checked(timeout=15_000)
    expect(page.locator(SLIDER).first).not_to_have_value(str(first), timeout=30_000)
    # While the years run: one Play control, the toolbar's Stop hidden, no stale element dim.
    page.wait_for_function("document.querySelector('[data-stale=\"true\"]') !== null")
    opacities = page.evaluate(
        "[...document.querySelectorAll('[data-stale=\"true\"]')]"
        ".map(el => getComputedStyle(el).opacity)"
    )
    assert opacities and set(opacities) == {"1"}, opacities
    expect(page.get_by_role("switch", name="Play")).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile(r"^(Play|Stop)$"))).to_have_count(0)
    # Play steps a year at a time and stops by itself at the current year.
    expect(page.locator(SLIDER).first).to_have_value(str(TODAY.year), timeout=120_000)
    wait_one_map(page)
    expect(switch).not_to_be_checked(timeout=15_000)
    expect(page).to_have_url(re.compile(rf"year={TODAY.year}"))
    wait_map(page)
    assert fills(page) == expected_fills(TODAY.year)
    story = year_story(DATASET, TODAY.year, TODAY)
    expect(page.get_by_role("status").filter(has_text=f"{TODAY.year}:")).to_contain_text(story)
    shot(page, "06-play-finished")
