"""The marks drawn on top of the fills (geo.vocabulary.MARKS), in both editions, by the one
drawing script (geo/static/frt-map.js): the stripes of an open ban proposal and the triangle of
use reported despite a ban.

The fold does not give marks yet, so a fixture hands the same marks to the app's map frame
(geo.mapview's base map and status layer, rendered as folium renders them for
streamlit-folium, with the frame's files beside it) and to the static edition
(geo.site.SiteInput.marks); both must draw them with the same classes.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bench.static import serve_folder
from geo.config import get_settings
from geo.drawing import STATIC_DIR
from geo.mapview import AssetUrls, base_map, status_layer, status_payload
from geo.records import load_dataset
from geo.site import write_site
from geo.site.__main__ import site_input
from geo.site.assets import LEAFLET_DIR
from geo.timeline import status_as_of
from geo.vocabulary import MARK_LABELS, MARKS, STATUS_COLOURS

pytestmark = pytest.mark.browser

TODAY = date.today()
# A state (polygon), a city drawn as a polygon and a marker, and a city with both marks.
MARKED: dict[str, list[str]] = {
    "ca": ["ban_proposal"],
    "ca-san-francisco": ["use_despite"],
    "ca-oakland": ["ban_proposal", "use_despite"],
}
MARKS_JS = """() => [...new Set([...document.querySelectorAll('.frt-mark')]
  .flatMap(e => [...e.classList].filter(c => /^frt-mark-.+-/.test(c))))].sort()"""


def expected_classes() -> list[str]:
    return sorted({f"frt-mark-{m}-{pid}" for pid, marks in MARKED.items() for m in marks})


@pytest.fixture(scope="module")
def inputs(server_env: dict[str, str]):
    settings = get_settings(server_env)
    dataset = load_dataset(settings.data_dir)
    site = site_input(dataset, settings, TODAY)
    assert {"ca", "ca-oakland", "ca-san-francisco"} <= site.polygon_ids
    return dataset, dataclasses.replace(site, marks=lambda _on: MARKED)


@pytest.fixture(scope="module")
def static_url(inputs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _dataset, site = inputs
    out = tmp_path_factory.mktemp("marked") / "site"
    write_site(out, site)
    with serve_folder(out) as url:
        yield url


@pytest.fixture(scope="module")
def frame_url(inputs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app's map frame as folium renders it, its files beside it (as geo.ui serves them)."""
    dataset, site = inputs
    out = tmp_path_factory.mktemp("frame")
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy(LEAFLET_DIR / name, out / name)
    for name in ("frt-map.js", "frt-frame.js"):
        shutil.copy(STATIC_DIR / name, out / name)
    (out / "boundaries.geojson").write_bytes(site.geometry)
    assets = AssetUrls(
        "leaflet.js", "leaflet.css", "boundaries.geojson", "frt-map.js", "frt-frame.js"
    )
    fmap = base_map(assets)
    statuses = status_as_of(dataset.events, TODAY)
    payload = status_payload(dataset, statuses, site.polygon_ids, None, marks=MARKED)
    status_layer(payload).add_to(fmap)
    (out / "index.html").write_text(fmap.get_root().render(), encoding="utf-8")
    with serve_folder(out) as url:
        yield url


@pytest.fixture
def opened(new_page) -> Iterator[Callable[[str], Page]]:
    pages: list[Page] = []

    def open_page(url: str) -> Page:
        page = new_page()
        page.goto(url)
        expect(page.locator(".leaflet-container")).to_have_attribute(
            "data-frt-rendered", re.compile(r"\d+"), timeout=30_000
        )
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        assert page.page_errors == []


def check_marks(page: Page) -> None:
    assert page.evaluate(MARKS_JS) == expected_classes()
    # The stripes: a pattern, over the state's and the cities' shapes and over the markers.
    expect(page.locator("pattern#frt-hatch")).to_have_count(1)
    stripes = page.locator("path.frt-mark-ban_proposal-ca")
    expect(stripes).to_have_count(1)
    expect(stripes).to_have_attribute("fill", "url(#frt-hatch)")
    assert page.locator("path.frt-mark-ban_proposal-ca-oakland").count() == 2  # shape, marker
    # The fill still shows under the stripes: the state keeps its own colour.
    fill = page.locator("path.frt-shape.frt-ca").first.get_attribute("fill")
    assert fill in {c for c in STATUS_COLOURS.values()}
    # The triangle: visible at national zoom and zoomed in, above the markers, in `using`.
    for pid in ("ca-san-francisco", "ca-oakland"):
        triangle = page.locator(f".frt-mark-use_despite-{pid} polygon")
        expect(triangle).to_be_visible()
        expect(triangle).to_have_attribute("fill", STATUS_COLOURS["using"])
    page.evaluate("(window.map_frt || window.map).setView([37.8, -122.27], 12, {animate: false})")
    expect(page.locator(".frt-mark-use_despite-ca-oakland polygon")).to_be_visible()
    # The marks' words are in the tooltip too (never the shape alone).
    oakland = page.locator("path.frt-shape.frt-ca-oakland").first
    oakland.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text(MARK_LABELS["use_despite"])


def test_the_app_s_map_frame_draws_the_marks(frame_url: str, opened) -> None:
    page = opened(frame_url + "/index.html")
    page.evaluate("window.map = Object.values(window).find(v => v instanceof L.Map)")
    check_marks(page)


def test_the_static_edition_draws_the_marks_and_counts_them(static_url: str, opened) -> None:
    page = opened(static_url + "/index.html")
    check_marks(page)
    for mark in MARKS:
        count = sum(mark in marks for marks in MARKED.values())
        expect(page.locator(".frt-legend")).to_contain_text(f"{MARK_LABELS[mark]} ({count})")
        expect(page.locator(f".frt-legend .frt-mark-swatch-{mark}")).to_have_count(1)


def test_both_editions_draw_the_same_marks(frame_url: str, static_url: str, opened) -> None:
    app, static = opened(frame_url + "/index.html"), opened(static_url + "/index.html")
    assert app.evaluate(MARKS_JS) == static.evaluate(MARKS_JS) == expected_classes()


def test_the_frame_files_are_the_ones_the_app_serves() -> None:
    """geo.ui serves geo/static (the folder copied above) beside Leaflet."""
    assert (STATIC_DIR / "frt-map.js").is_file() and (STATIC_DIR / "frt-frame.js").is_file()
    assert Path(LEAFLET_DIR / "leaflet.js").is_file()
