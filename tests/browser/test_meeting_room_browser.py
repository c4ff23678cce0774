"""Issue 6 in Chromium: presentation mode, fully offline pages, the standalone export, the map
embedded in an 800x500 frame, and a phone. Expected counts come from geo.timeline."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from geo.config import get_settings
from geo.records import STATUSES, load_dataset
from geo.timeline import counts_as_of, year_end
from geo.vocabulary import STATUS_LABELS
from tests.support.browser import IDLE, MAP_FRAME, wait_idle, wait_places, zoom_to

pytestmark = pytest.mark.browser

DATASET = load_dataset(get_settings().data_dir)
US_IDS = [j.id for j in DATASET.jurisdictions if j.on_map]
PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def counts(year: int) -> dict[str, int]:
    on = year_end(year, date.today())
    return counts_as_of(DATASET, on)


def wait_map(page: Page) -> None:
    wait_idle(page)
    wait_places(page, len(US_IDS))


def frame_area(page: Page) -> float:
    """The map frame's area on the first screen (what a room sees without scrolling)."""
    box = page.locator(MAP_FRAME).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    seen = min(box["y"] + box["height"], size["height"]) - max(box["y"], 0)
    return box["width"] * max(seen, 0)


def map_in_frame(page: Page) -> tuple[float, float]:
    """(the Leaflet map's height, its frame's height), in CSS pixels."""
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert frame is not None
    return frame.evaluate(
        "[document.querySelector('.leaflet-container').offsetHeight, window.innerHeight]"
    )


def legend_font_px(page: Page, drawn_px: int = 26) -> float:
    """The legend image's type size on screen: its SVG font size times its scale."""
    legend = page.get_by_role("img", name=re.compile("^Legend"))
    expect(legend).to_be_visible()
    width, natural = legend.evaluate("img => [img.clientWidth, img.naturalWidth]")
    return drawn_px * width / natural


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_presentation_mode_fills_the_room_s_screen(server, new_page, shot, width, height):
    size = {"width": width, "height": height}
    normal = new_page(viewport=size)
    normal.goto(server + "/?year=2020&place=ca-oakland")
    wait_map(normal)
    normal_area = frame_area(normal)
    page = new_page(viewport=size)
    page.goto(server + "/?present=1&year=2020&place=ca-oakland")
    wait_map(page)
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)
    expect(page.get_by_test_id("stTopNav")).to_have_count(0)
    year = page.get_by_role("heading", name="2020", exact=True)
    expect(year).to_be_visible()
    assert year.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 40
    # The map is larger than in normal mode and wholly on screen.
    box = page.locator(MAP_FRAME).bounding_box()
    assert box is not None and box["y"] + box["height"] <= height, box
    assert frame_area(page) > normal_area, (frame_area(page), normal_area)
    # The map itself fills its frame (streamlit-folium sizes it for the ordinary page): not
    # blank under it on a big screen, not cut off on a 720 px projector.
    drawn, frame_height = map_in_frame(page)
    assert frame_height - 20 <= drawn <= frame_height, (drawn, frame_height)
    # The legend, with every count and colour, read from the back: 24 px and up at 1920.
    expected = counts(2020)
    legend = page.get_by_role("img", name=re.compile("^Legend"))
    alt = legend.get_attribute("alt") or ""
    for status in STATUSES:
        assert f"{STATUS_LABELS[status]}: {expected[status]}" in alt, alt
    assert legend.bounding_box()["y"] < box["y"]  # above the map, on screen
    if width == 1920:
        assert legend_font_px(page) >= 24
    # The chosen place's panel is on screen beside the map, in 24 px type at 1920.
    heading = page.get_by_role("heading", name="Oakland, CA")
    expect(heading).to_be_visible()
    top = heading.bounding_box()
    assert top is not None and top["y"] + top["height"] <= height, top
    status = page.get_by_text("Status on 31 Dec 2020").first
    assert status.bounding_box()["y"] + 10 <= height
    if width == 1920:
        px = status.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert px >= 24, px
    shot(page, f"20-presentation-{width}x{height}")
    page.get_by_text("Presentation mode").click()
    expect(page.get_by_test_id("stTopNav")).to_be_visible(timeout=30_000)
    expect(page).not_to_have_url(re.compile("present=1"))
    # Back in the ordinary page, the map has its own height again.
    page.wait_for_function(
        f"""() => {{ const f = document.querySelector('{MAP_FRAME}');
        const map = f && f.contentDocument.querySelector('.leaflet-container');
        return map && map.offsetHeight === f.contentWindow.innerHeight; }}""",
        timeout=15_000,
    )


@pytest.mark.parametrize("path", ["", "timeline", "places", "quotes", "about"])
def test_every_page_renders_with_the_network_blocked(server, page: Page, path, shot):
    page.goto(f"{server}/{path}?year=2021")
    expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
    expect(page.locator("h1").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    if not path:
        wait_map(page)
    page.wait_for_timeout(1000)  # late fonts, icons and images
    assert page.external_requests == []
    shot(page, f"21-offline-{path or 'map'}")


def test_exported_map_opens_offline_with_every_jurisdiction(server, new_page, tmp_path: Path, shot):
    page = new_page()
    page.goto(server + "/?year=2021")
    wait_map(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download this map").click()
    download = info.value
    assert download.suggested_filename == "frt-map-2021-12-31.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert "<script src=" not in html and 'rel="stylesheet" href=' not in html

    offline = new_page(offline=True)
    console: list[str] = []
    offline.on("console", lambda message: console.append(message.text))
    offline.goto(saved.as_uri())
    container = offline.locator(".leaflet-container")
    expect(container).to_have_attribute("data-frt-places", str(len(US_IDS)), timeout=30_000)
    drawn = offline.evaluate(
        "ids => ids.filter(id => document.querySelector('path.frt-' + id)).length", US_IDS
    )
    assert drawn == len(US_IDS)
    expect(offline.get_by_text("Facial recognition: bans and use: 2021")).to_be_visible()
    expected = counts(2021)
    expect(offline.get_by_text(f"Banned ({expected['banned']})")).to_be_visible()
    assert offline.page_errors == []
    assert not [m for m in console if "Content Security Policy" in m], console
    shot(offline, "22-export-offline")


def test_embedded_at_800x500_keeps_the_legend_in_view(server, new_page, shot):
    page = new_page(viewport={"width": 840, "height": 560})
    page.set_content(
        f'<iframe id="host" src="{server}/?embed=true&year=2020" width="800" height="500"'
        ' style="border:0"></iframe>'
    )
    app = page.frame_locator("#host")
    expect(app.locator(IDLE)).to_be_attached(timeout=60_000)
    expect(app.locator(MAP_FRAME)).to_be_visible(timeout=30_000)
    legend = app.get_by_role("img", name=re.compile("^Legend"))
    expect(legend).to_be_visible()
    frame = page.frame_locator("#host").locator("body")
    inner = frame.evaluate(
        "() => ({w: document.documentElement.clientWidth,"
        " sw: document.documentElement.scrollWidth})"
    )
    assert inner["sw"] <= inner["w"], inner  # no horizontal scrollbar
    box = legend.bounding_box()
    host = page.locator("#host").bounding_box()
    assert box is not None and host is not None
    assert box["y"] + box["height"] <= host["y"] + host["height"], (box, host)
    expect(app.get_by_test_id("stSidebar")).to_have_count(0)
    page.wait_for_timeout(1500)
    shot(page, "23-embed-800x500")


def test_a_phone_can_use_the_map(server, new_page, shot):
    page = new_page(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_UA,
        device_scale_factor=2,
    )
    # A shared place link: the map first, its legend right under it, the place's panel on the
    # first screen.
    page.goto(server + "/?year=2020&place=ca-oakland")
    wait_map(page)
    map_box = page.locator(MAP_FRAME).bounding_box()
    legend_box = page.get_by_role("img", name=re.compile("^Legend")).bounding_box()
    shared = page.get_by_role("heading", name="Oakland, CA").bounding_box()
    assert map_box and legend_box and shared
    assert map_box["y"] < legend_box["y"] < shared["y"], (map_box, legend_box, shared)
    assert legend_box["y"] - (map_box["y"] + map_box["height"]) < 60, "legend right under"
    assert shared["y"] + shared["height"] <= 844, shared
    shot(page, "24-phone-shared-place")
    page.goto(server + "/?year=2020")
    wait_map(page)
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"horizontal scrolling: {width}"
    expect(page.locator('[data-testid="stSlider"]').first).to_be_visible()
    shot(page, "24-phone-top")
    oakland = DATASET.jurisdiction("ca-oakland")
    frame_el = page.locator(MAP_FRAME).element_handle()
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.content_frame()
    point = zoom_to(frame, oakland.lat, oakland.lon, 12)
    box = frame_el.bounding_box()
    page.touchscreen.tap(box["x"] + point[0], box["y"] + point[1])
    heading = page.get_by_role("heading", name="Oakland, CA")
    expect(heading).to_be_attached(timeout=30_000)
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    map_box = page.locator(MAP_FRAME).bounding_box()
    panel_box = heading.bounding_box()
    assert panel_box["y"] > map_box["y"] + map_box["height"] - 1, "the panel sits below the map"
    legend = page.get_by_role("img", name=re.compile("^Legend"))
    legend.scroll_into_view_if_needed()
    expect(legend).to_be_visible()
    shot(page, "25-phone-place-chosen")
