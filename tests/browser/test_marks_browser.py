"""Law and practice on the map, in both editions, from the real data: the fill is the measure
in force, with marks on top (the stripes of an open ban proposal over a weaker measure, the
triangle of use reported despite a ban), drawn by the one script (geo/static/frt-map.js);
markers that tell the story above "no record", and the chosen place on top, ringed, in view.

The app's map frame is rendered as folium renders it for streamlit-folium (geo.mapview's base
map and status layer, the frame's files beside it), one file per year; the static edition is
built by geo.site. Expected values come from the one snapshot (geo.timeline), never by hand.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from bench.static import serve_folder
from geo.boundaries.parts import city_states
from geo.config import get_settings
from geo.drawing import MARKER_RANKS, STATIC_DIR, place_drawing, tooltip_label
from geo.mapview import (
    AssetUrls,
    base_map,
    boundary_files,
    place_columns,
    place_file_bytes,
    status_layer,
    status_payload,
    write_hashed_file,
    write_place_file,
)
from geo.present import place_label
from geo.records import load_dataset
from geo.site import write_site
from geo.site.__main__ import site_input
from geo.site.assets import LEAFLET_DIR
from geo.site.data import year_dates
from geo.timeline import snapshot
from geo.vocabulary import MARK_LABELS, MARKS, NO_RECORD, STATUS_COLOURS
from tests.support.browser import MAP_FRAME, MARKER_ORDER, map_view, wait_idle

pytestmark = pytest.mark.browser

TODAY = date.today()
CHOSEN, CHOSEN_YEAR = "ca-san-francisco", 2019
# Each drawn place: its fill colour and its marks, read from the page (shapes and markers).
DRAWN_JS = """() => {
  const out = {};
  const idOf = el => [...el.classList].find(c => c.startsWith('frt-')
      && !['frt-shape', 'frt-marker', 'frt-outline'].includes(c) && !c.startsWith('frt-mark'))
      .slice(4);
  const map = document.querySelector('.leaflet-container');
  map.querySelectorAll('.frt-shape, .frt-marker').forEach(el => {
    const id = idOf(el);
    out[id] = out[id] || {fill: new Set(), marks: new Set()};
    out[id].fill.add((el.getAttribute('fill') || '').toUpperCase());
  });
  map.querySelectorAll('.frt-mark').forEach(el => {
    const cls = [...el.classList].find(c => /^frt-mark-[a-z_]+-./.test(c));
    const [mark, id] = cls.slice(9).split(/-(.+)/);
    out[id] = out[id] || {fill: new Set(), marks: new Set()};
    out[id].marks.add(mark);
  });
  return Object.fromEntries(Object.entries(out).map(([id, v]) =>
    [id, {fill: [...v.fill].sort(), marks: [...v.marks].sort()}]));
}"""


@pytest.fixture(scope="module")
def inputs(server_env: dict[str, str]):
    settings = get_settings(server_env)
    dataset = load_dataset(settings.data_dir)
    site = site_input(dataset, settings, TODAY)
    return dataset, site, year_dates(dataset, TODAY)


def expected(dataset, on: date) -> dict[str, dict[str, list[str]]]:
    """Each place on the map, as the snapshot says it is drawn on `on`."""
    shot = snapshot(dataset, on)
    out = {}
    for j in dataset.jurisdictions:
        if j.on_map:
            state = shot.state(j.id)
            drawing = place_drawing(state.fill, state.marks)
            out[j.id] = {"fill": [str(drawing["colour"]).upper()], "marks": sorted(state.marks)}
    return out


@pytest.fixture(scope="module")
def static_url(inputs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _dataset, site, _dates = inputs
    out = tmp_path_factory.mktemp("marked") / "site"
    write_site(out, site)
    with serve_folder(out) as url:
        yield url


@pytest.fixture(scope="module")
def frame_url(inputs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app's map frame for every year (year-YYYY.html), its files beside it."""
    dataset, site, dates = inputs
    out = tmp_path_factory.mktemp("frame")
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy(LEAFLET_DIR / name, out / name)
    for name in ("frt-map.js", "frt-frame.js", "frt-leaflet.js"):
        shutil.copy(STATIC_DIR / name, out / name)
    # The boundaries in parts, as the app writes them (geo.ui.map_files).
    first, files = boundary_files(site.geometry, city_states(dataset.jurisdictions))
    for name, body in files.items():
        write_hashed_file(out, name, body)
    places = write_place_file(out, place_file_bytes(place_columns(dataset, site.polygon_ids)))
    assets = AssetUrls(
        "leaflet.js",
        "leaflet.css",
        first,
        "frt-map.js",
        "frt-frame.js",
        places.name,
        around_js="frt-leaflet.js",
    )
    for year, on in dates.items():
        fmap = base_map(assets)
        payload = status_payload(dataset, snapshot(dataset, on), None)
        status_layer(payload).add_to(fmap)
        (out / f"year-{year}.html").write_text(fmap.get_root().render(), encoding="utf-8")
    # The frame as a link with a place opens it (`?place=`): the place chosen from the start.
    fmap = base_map(assets)
    payload = status_payload(dataset, snapshot(dataset, dates[CHOSEN_YEAR]), CHOSEN)
    status_layer(payload).add_to(fmap)
    (out / "chosen.html").write_text(fmap.get_root().render(), encoding="utf-8")
    with serve_folder(out) as url:
        yield url


@pytest.fixture
def opened(new_page) -> Iterator[Callable[[str], Page]]:
    pages: list[Page] = []

    def open_page(url: str, **options: object) -> Page:
        page = new_page(**options)
        page.goto(url)
        expect(page.locator(".leaflet-container")).to_have_attribute(
            "data-frt-rendered", re.compile(r"\d+"), timeout=30_000
        )
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        assert page.page_errors == []


def static_year(page: Page, year: int) -> None:
    page.evaluate(f"location.hash = 'year={year}'")
    expect(page.locator(".leaflet-container")).to_have_attribute("data-frt-year", str(year))


def test_san_francisco_2024_is_banned_with_use_reported_despite_the_ban(
    inputs, frame_url: str, static_url: str, opened
) -> None:
    dataset, _site, dates = inputs
    sf = expected(dataset, dates[2024])["ca-san-francisco"]
    assert sf == {"fill": [STATUS_COLOURS["banned"].upper()], "marks": ["use_despite"]}
    static = opened(static_url + "/index.html#year=2024")
    static_year(static, 2024)
    for page in (opened(frame_url + "/year-2024.html"), static):
        assert page.evaluate(DRAWN_JS)["ca-san-francisco"] == sf
        triangle = page.locator(".frt-mark-use_despite-ca-san-francisco polygon")
        expect(triangle).to_be_visible()
        expect(triangle).to_have_attribute("fill", STATUS_COLOURS["using"])
    # The mark's words are in the tooltip and the panel too (never the shape alone).
    static.locator("#frt-place").select_option("ca-san-francisco")
    expect(static.locator("#frt-panel")).to_contain_text(MARK_LABELS["use_despite"])


def test_a_law_in_force_with_an_open_ban_bill_draws_restricted_with_stripes(
    inputs, frame_url: str, static_url: str, opened
) -> None:
    """Illinois today: rules in force (drones, one vendor), a ban bill open in its session.
    (Massachusetts' open 2025-26 bills propose rules, not a ban: no stripes there.)"""
    dataset, _site, dates = inputs
    last = max(dates)
    now = expected(dataset, dates[last])
    restricted = [STATUS_COLOURS["restricted"].upper()]
    assert now["il"] == {"fill": restricted, "marks": ["ban_proposal"]}
    assert now["ma"]["fill"] == restricted
    for page in (opened(frame_url + f"/year-{last}.html"), opened(static_url + "/index.html")):
        expect(page.locator("pattern#frt-hatch")).to_have_count(1)
        stripes = page.locator("path.frt-mark-ban_proposal-il")
        expect(stripes).to_have_count(1)
        expect(stripes).to_have_attribute("fill", "url(#frt-hatch)")
        assert page.evaluate(DRAWN_JS)["il"] == now["il"]


def test_new_york_state_is_never_drawn_banned(inputs) -> None:
    """Its schools-only decision is a narrow measure: restricted, never banned."""
    dataset, _site, dates = inputs
    banned = STATUS_COLOURS["banned"].upper()
    assert all(expected(dataset, on)["ny-schools"]["fill"] != [banned] for on in dates.values())


def test_both_editions_draw_what_the_snapshot_says_every_year(
    inputs, frame_url: str, static_url: str, opened
) -> None:
    dataset, _site, dates = inputs
    static = opened(static_url + "/index.html")
    for year, on in dates.items():
        static_year(static, year)
        app = opened(frame_url + f"/year-{year}.html")
        want = expected(dataset, on)
        assert app.evaluate(DRAWN_JS) == want, year
        assert static.evaluate(DRAWN_JS) == want, year
        app.close()


# Each place's tooltip words, read from the layers the drawing made (shapes and markers).
TOOLTIPS_JS = """() => {
  const map = window.map_frt || window[Object.keys(window).find(k => /^map_/.test(k)
      && window[k] instanceof L.Map)];
  const out = {};
  map.eachLayer(l => {
    if (!l.frtTip || !l.feature) { return; }
    const id = l.feature.properties.id;
    out[id] = [...new Set([...(out[id] || []), l.frtTip.textContent])];
  });
  return out;
}"""


def test_both_editions_tooltips_say_what_tooltip_label_says_every_year(
    inputs, frame_url: str, static_url: str, opened
) -> None:
    """frtDraw.expand (both editions) words every place's tooltip as geo.drawing.tooltip_label
    does, for every place in every year."""
    dataset, _site, dates = inputs
    static = opened(static_url + "/index.html")
    for year, on in dates.items():
        shot = snapshot(dataset, on)
        want = {
            j.id: [tooltip_label(place_label(j), shot.state(j.id).fill, shot.state(j.id).marks)]
            for j in dataset.jurisdictions
            if j.on_map
        }
        static_year(static, year)
        app = opened(frame_url + f"/year-{year}.html")
        assert app.evaluate(TOOLTIPS_JS) == want, year
        assert static.evaluate(TOOLTIPS_JS) == want, year
        app.close()


def test_the_static_legend_counts_every_mark(inputs, static_url: str, opened) -> None:
    dataset, _site, dates = inputs
    page = opened(static_url + "/index.html")
    counts = snapshot(dataset, dates[max(dates)]).mark_counts()
    for mark in MARKS:
        legend = page.locator(".frt-legend")
        expect(legend).to_contain_text(f"{MARK_LABELS[mark]} ({counts[mark]})")
        expect(page.locator(f".frt-legend .frt-mark-swatch-{mark}")).to_have_count(1)


def test_the_app_draws_san_francisco_2024_with_the_use_mark(server: str, page: Page) -> None:
    page.goto(server + "/?year=2024&place=ca-san-francisco")
    wait_idle(page)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".frt-mark-use_despite-ca-san-francisco polygon")).to_be_visible(
        timeout=30_000
    )
    shapes = frame.locator("path.frt-shape.frt-ca-san-francisco, path.frt-ca-san-francisco")
    expect(shapes.first).to_have_attribute("fill", STATUS_COLOURS["banned"])
    expect(page.get_by_text(MARK_LABELS["use_despite"]).first).to_be_visible()


def marker_ranks(dataset, on: date) -> dict[str, int]:
    """Each place's marker rank on `on` (geo.drawing.MARKER_RANKS of its snapshot fill)."""
    shot = snapshot(dataset, on)
    return {
        j.id: MARKER_RANKS[NO_RECORD if j.is_context else shot.fill(j.id)]
        for j in dataset.jurisdictions
        if j.on_map
    }


def test_markers_that_tell_the_story_draw_above_no_record_every_year(
    inputs, frame_url: str, static_url: str, opened
) -> None:
    """A measure's marker comes after (draws above) use and pending ones, and those after no
    record's, in the SVG of both editions, every year."""
    dataset, _site, dates = inputs
    static = opened(static_url + "/index.html")
    for year, on in dates.items():
        static_year(static, year)
        app = opened(frame_url + f"/year-{year}.html")
        rank = marker_ranks(dataset, on)
        for page in (app, static):
            ranks = [rank[place] for place in page.evaluate(MARKER_ORDER)]
            assert ranks == sorted(ranks), year
            assert {0, max(MARKER_RANKS.values())} <= set(ranks), year
        app.close()


RINGS = """id => [...document.querySelectorAll('path.frt-ring-' + id)].map(p => ({
  line: p.classList.contains('frt-ring-line'), stroke: p.getAttribute('stroke'),
  width: p.getAttribute('stroke-width'), fill: p.getAttribute('fill'),
  shown: p.style.display !== 'none'}))"""


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_a_place_opened_from_a_link_is_on_top_ringed_and_in_view(
    inputs, frame_url: str, static_url: str, opened, motion: str
) -> None:
    """The app's frame with `?place=` and the static page with `#place=`: the place is brought
    into view (zoomed in, its point inside the map), drawn last, with a ring of its own: a black
    line over a white halo, around its polygon there and around its marker further out."""
    dataset, _site, _dates = inputs
    place = dataset.jurisdiction(CHOSEN)
    pages = (
        opened(frame_url + "/chosen.html", reduced_motion=motion),
        opened(
            static_url + f"/index.html#year={CHOSEN_YEAR}&place={CHOSEN}", reduced_motion=motion
        ),
    )
    for page in pages:
        container = page.locator(".leaflet-container")
        expect(container).to_have_attribute("data-frt-focused", CHOSEN)
        view = map_view(page, place.lat, place.lon)
        assert view["zoom"] > view["usZoom"] and view["inView"], view
        assert page.evaluate(MARKER_ORDER)[-1] == CHOSEN
        expect(page.locator(f"path.frt-{CHOSEN}.frt-chosen")).not_to_have_count(0)
        rings = page.evaluate(RINGS, CHOSEN)
        lines = [r for r in rings if r["line"]]
        halos = [r for r in rings if not r["line"]]
        assert lines and len(lines) == len(halos), rings
        assert {(r["stroke"], r["fill"]) for r in lines} == {("#000000", "none")}
        assert {r["stroke"] for r in halos} == {"#FFFFFF"}
        assert min(float(r["width"]) for r in halos) > max(float(r["width"]) for r in lines)
        assert any(r["shown"] for r in lines), rings
        # Zoomed out, the ring goes around the marker instead of the polygon.
        page.evaluate(
            f"() => {{ const m = window.map_frt || window[Object.keys(window).find(k => "
            f"/^map_/.test(k) && window[k] instanceof L.Map)]; m.setView([{place.lat}, "
            f"{place.lon}], 6, {{animate: false}}); }}"
        )
        shown = [r for r in page.evaluate(RINGS, CHOSEN) if r["shown"]]
        assert shown and len(shown) < len(rings), shown
