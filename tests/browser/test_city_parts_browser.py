"""City polygons per state (geo.boundaries.parts), in both editions, from the real data.

At the national view no city polygon travels: cities are their markers. Zoomed in over a
state (geo.drawing.CITY_ZOOM), that state's part arrives and its cities are drawn as polygons,
and only the parts in view are fetched. A chosen city is fitted to its polygon, its part
fetched first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from bench.static import serve_folder
from geo.drawing import CITY_ZOOM, POLYGON_ZOOM
from geo.records import load_dataset
from tests.support.browser import MAP_FRAME, map_view, wait_idle, zoom_to
from tests.support.site import build_site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DATASET = load_dataset(ROOT / "data")
OAKLAND = DATASET.jurisdiction("ca-oakland")
AUSTIN = DATASET.jurisdiction("tx-austin")
SHAPE = "path.frt-shape.frt-{}"


@pytest.fixture(scope="module")
def static_url(
    tmp_path_factory: pytest.TempPathFactory, server_env: dict[str, str]
) -> Iterator[str]:
    out = tmp_path_factory.mktemp("parts") / "site"
    done = build_site(out, server_env)
    assert done.returncode == 0, done.stdout + done.stderr
    with serve_folder(out) as url:
        yield url


def parts_asked(requests: list[str]) -> list[str]:
    """The city parts requested so far, by state key (the static edition's cities-ca.<hash>.js,
    the app's cities-ca-<hash>.geojson)."""
    names = [url.rsplit("/", 1)[-1] for url in requests]
    return sorted({name[len("cities-") :][:2] for name in names if name.startswith("cities-")})


def open_map(new_page, url: str, app: bool) -> tuple[Page | Frame, list[str]]:
    """The page (or the app's map frame) with its map drawn, and the requests it makes."""
    page = new_page(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    if app:
        wait_idle(page)
        target: Page | Frame = page.locator(MAP_FRAME).element_handle().content_frame()
    else:
        target = page
    target.wait_for_selector(".leaflet-container[data-frt-rendered]", timeout=30_000)
    if not app:  # the static page keeps Leaflet's map as window.map_frt
        target.evaluate("window.map = window.map_frt")
    return target, requests


def edition_url(request: pytest.FixtureRequest, edition: str, query: str) -> str:
    if edition == "app":
        return request.getfixturevalue("server") + "/?" + query
    return request.getfixturevalue("static_url") + "/index.html#" + query


@pytest.mark.parametrize("edition", ["app", "static"])
def test_cities_arrive_per_state_when_zoomed_in(request, new_page, edition: str) -> None:
    url = edition_url(request, edition, "year=2024")
    target, requests = open_map(new_page, url, edition == "app")
    target.wait_for_timeout(500)
    assert parts_asked(requests) == [], "a city part travelled at the national view"
    assert target.locator(SHAPE.format("ca-oakland")).count() == 0
    assert target.locator("path.frt-marker.frt-ca-oakland").count() == 1

    zoom_to(target, OAKLAND.lat, OAKLAND.lon, POLYGON_ZOOM)
    target.wait_for_selector(SHAPE.format("ca-oakland"), state="attached", timeout=15_000)
    assert parts_asked(requests) == ["ca"], requests
    # Zoomed in, the polygon is big enough to click: the marker steps aside.
    marker = target.locator("path.frt-marker.frt-ca-oakland")
    assert marker.evaluate("el => el.style.display") == "none"
    # Back at the national view and over Texas: Texas's part, once; California's not again.
    zoom_to(target, AUSTIN.lat, AUSTIN.lon, CITY_ZOOM)
    target.wait_for_selector(SHAPE.format("tx-austin"), state="attached", timeout=15_000)
    assert parts_asked(requests) == ["ca", "tx"]
    assert sum("cities-ca" in url for url in requests) == 1


@pytest.mark.parametrize("edition", ["app", "static"])
def test_a_chosen_city_is_fitted_to_its_polygon(request, new_page, edition: str) -> None:
    url = edition_url(request, edition, "year=2024&place=tx-austin")
    target, requests = open_map(new_page, url, edition == "app")
    target.wait_for_selector(SHAPE.format("tx-austin"), state="attached", timeout=15_000)
    target.wait_for_selector('.leaflet-container[data-frt-focused="tx-austin"]', timeout=15_000)
    assert parts_asked(requests) == ["tx"]
    view = map_view(target, AUSTIN.lat, AUSTIN.lon)
    assert view["inView"] and view["zoom"] >= POLYGON_ZOOM, view
    # The ring goes around the polygon as well as the marker.
    assert target.locator(".frt-ring-line.frt-ring-tx-austin").count() >= 2
