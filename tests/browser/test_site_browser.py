"""The static edition in Chromium, from file:// and from a plain static server on 127.0.0.1:
every year's colours equal geo.timeline, every place opens its panel with its sources, Play
reaches today, the hash restores a view, a phone's 390 px, the embed at 800x500, no request
leaves the site's folder, the content security policy blocks nothing the page uses, the
panels' text loads only when wanted, and axe-core finds no serious or critical violation.

One build and one static server serve the whole module."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bench.static import serve_folder
from geo.config import PROJECT_ROOT, get_settings
from geo.downloads import dataset_csvs
from geo.escape import safe_href
from geo.links import correction_url
from geo.present import place_label, year_story
from geo.records import load_dataset
from geo.site import SiteInput, write_site
from geo.site.share import place_title
from geo.timeline import snapshot, status_as_of, year_end, year_range
from geo.vocabulary import CAVEAT_SENTENCES, NO_RECORD, STATUS_COLOURS, STATUS_LABELS
from tests.support import hostile as hs
from tests.support.browser import MARKER_ORDER, click_place_point, map_view
from tests.support.site import build_site

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

DATASET = load_dataset(get_settings({}).data_dir)
FORM = "https://github.com/example/frt-map/issues/new?template=correct-or-add-a-record.yml"
TODAY = date.today()
FIRST, LAST = year_range(DATASET.events, TODAY)
US = [j for j in DATASET.jurisdictions if j.on_map]
# Collects every policy violation before any script of the page runs.
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
FILLS = """ids => Object.fromEntries(ids.map(id => [id,
  [...document.querySelectorAll('path.frt-' + id)].map(p => p.getAttribute('fill'))]))"""
# The colour a reader sees of a shape: its fill at its fill-opacity over the map's background.
SEEN = """selector => {
  const path = document.querySelector(selector);
  const rgb = c => { const d = document.createElement('div'); d.style.color = c;
    document.body.appendChild(d); const v = getComputedStyle(d).color.match(/[0-9.]+/g)
    .slice(0, 3).map(Number); d.remove(); return v; };
  const top = rgb(path.getAttribute('fill')), opacity = Number(path.getAttribute('fill-opacity'));
  const back = rgb(getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor);
  return top.map((t, n) => Math.round(t * opacity + back[n] * (1 - opacity)));
}"""
SWATCH = """selector => getComputedStyle(document.querySelector(selector)).backgroundColor
  .match(/[0-9.]+/g).slice(0, 3).map(Number)"""
# A place's fill the way map.js reads it: its code character in the year shown, in the code table.
STATUS_OF = """id => { const n = frtData.places.id.indexOf(id);
  const code = frtData.byYear[document.getElementById('frt-year').value].code.charAt(n);
  return frtData.codes.codes[code].fill; }"""
PANEL = """() => {
  const panel = document.getElementById('frt-panel');
  return {heading: panel.querySelector('h2') ? panel.querySelector('h2').textContent : null,
          links: [...panel.querySelectorAll('a')]
            .map(a => [a.textContent, a.getAttribute('href')])};
}"""


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory, server_env: dict[str, str]) -> Path:
    """`python -m geo.site build` with the boundaries the app's browser tests build, and the
    correction form's address (every panel and place page then links it)."""
    out = tmp_path_factory.mktemp("static") / "site"
    done = build_site(out, {**server_env, "FRT_CORRECTION_URL": FORM})
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def static_url(site_dir: Path) -> Iterator[str]:
    with serve_folder(site_dir) as url:
        yield url


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, site_dir: Path) -> str:
    if request.param == "file":
        return site_dir.as_uri()
    return request.getfixturevalue("static_url")


@pytest.fixture
def open_site(new_page) -> Iterator[Callable[..., Page]]:
    """open_site(url, **context) -> the page, loaded, its map drawn; afterwards: no page error,
    no CSP violation, no request outside the site's folder."""
    opened: list[tuple[Page, str, list[str]]] = []

    def make(url: str, places: int = len(US), **options: object) -> Page:
        page = new_page(**options)
        page.add_init_script(CSP_WATCH)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.frt_requests = requests
        page.goto(url)
        wait_drawn(page, places)
        folder = url.rsplit("/", 1)[0] + "/"
        opened.append((page, folder, requests))
        return page

    yield make
    for page, folder, requests in opened:
        assert page.page_errors == []
        assert page.evaluate("window.__csp") == []
        outside = [r for r in requests if not r.startswith((folder, "data:"))]
        assert outside == [], outside[:5]


def wait_drawn(page: Page, places: int) -> None:
    expect(page.locator(".leaflet-container")).to_have_attribute(
        "data-frt-places", str(places), timeout=30_000
    )


def panel_ready(page: Page, place_id: str) -> None:
    """The panel shows `place_id` in full: history, quotes and sources (the text has loaded)."""
    expect(page.locator("#frt-panel")).to_have_attribute("data-frt-panel", place_id)


def expected_colours(year: int) -> dict[str, str]:
    statuses = status_as_of(DATASET, year_end(year, TODAY))
    return {j.id: STATUS_COLOURS[statuses.get(j.id, NO_RECORD)] for j in US}


def set_year(page: Page, year: int) -> None:
    page.locator("#frt-year").fill(str(year))
    expect(page.locator(".leaflet-container")).to_have_attribute("data-frt-year", str(year))


def test_every_year_s_colours_equal_geo_timeline(base: str, open_site) -> None:
    page = open_site(base + "/index.html")
    ids = [j.id for j in US]
    for year in range(FIRST, LAST + 1):
        set_year(page, year)
        fills = page.evaluate(FILLS, ids)
        expected = expected_colours(year)
        wrong = {i: f for i, f in fills.items() if not f or set(f) != {expected[i]}}
        assert not wrong, (year, wrong)
        expect(page.locator("#frt-heading")).to_have_text(
            f"Facial recognition: bans and use: {year}"
        )
        # What changed that year, in the app's words, in a polite live region.
        expect(page.locator("#frt-story")).to_have_text(year_story(DATASET, year, TODAY))
    expect(page.locator("#frt-story")).to_have_attribute("aria-live", "polite")
    # Every fill is drawn exactly as its legend swatch shows it: the colour a reader sees
    # (fill at its opacity over the map's background) equals the swatch's.
    # (A city's polygon arrives when the map is zoomed in over its state: here its marker.)
    for place_id, kind in (("ca", "frt-shape"), ("ca-oakland", "frt-marker")):
        seen = page.evaluate(SEEN, f"path.frt-{place_id}.{kind}")
        status = page.evaluate(STATUS_OF, place_id)
        swatch = page.evaluate(SWATCH, f".frt-legend .s-{status}")
        assert seen == swatch, (place_id, status, seen, swatch)


def test_every_place_opens_its_panel_with_its_sources(base: str, open_site) -> None:
    page = open_site(base + "/index.html")
    for place in DATASET.jurisdictions:
        if place.on_map:
            page.locator(f"path.frt-{place.id}").first.dispatch_event("click")
        else:
            page.locator("#frt-place").select_option(place.id)
        panel_ready(page, place.id)
        panel = page.evaluate(PANEL)
        assert panel["heading"] == place_label(place), place.id
        events = [e for e in DATASET.events if e.jurisdiction_id == place.id]
        for e in events:
            assert [e.source_name, safe_href(e.source_url)] in panel["links"], (place.id, e.id)
            if e.read_url:
                assert safe_href(e.read_url) in [href for _t, href in panel["links"]]
        assert re.search(rf"place={re.escape(place.id)}(&|$)", page.url), page.url
    # A real click, not a dispatched event: zoom to Oakland and click its polygon.
    oakland = DATASET.jurisdiction("ca-oakland")
    page.evaluate(f"map_frt.setView([{oakland.lat}, {oakland.lon}], 12, {{animate: false}})")
    page.locator("path.frt-ca-oakland.frt-shape").click()
    expect(page.locator("#frt-panel h2")).to_have_text("Oakland, CA")


def test_a_click_on_san_francisco_s_point_chooses_it_and_brings_it_into_view(
    static_url: str, open_site
) -> None:
    """In 2019 San Francisco, Oakland, Berkeley and Alameda are banned, drawn above the grey
    "no record" markers around them (El Cerrito); a click exactly on San Francisco's point
    chooses it. Chosen (by a click or from the list), a place is zoomed to, on top, ringed."""
    page = open_site(static_url + "/index.html#year=2019")
    sf, oakland = DATASET.jurisdiction("ca-san-francisco"), DATASET.jurisdiction("ca-oakland")
    status = status_as_of(DATASET, year_end(2019, TODAY))
    order = page.evaluate(MARKER_ORDER)
    last_grey = max(n for n, i in enumerate(order) if status.get(i, NO_RECORD) == NO_RECORD)
    assert order.index("ca-san-francisco") > last_grey
    before = map_view(page, sf.lat, sf.lon)
    click_place_point(page, page, sf.lat, sf.lon)
    expect(page.locator("#frt-panel h2")).to_have_text(place_label(sf))
    assert re.search(r"place=ca-san-francisco(&|$)", page.url), page.url
    container = page.locator(".leaflet-container")
    expect(container).to_have_attribute("data-frt-focused", "ca-san-francisco")
    after = map_view(page, sf.lat, sf.lon)
    assert after["zoom"] > before["zoom"] and after["inView"], (before, after)
    expect(page.locator("path.frt-ring-line.frt-ring-ca-san-francisco")).not_to_have_count(0)
    expect(page.locator("path.frt-ca-san-francisco.frt-chosen")).not_to_have_count(0)
    # From the list: back out to the whole map, then Oakland.
    page.evaluate("map_frt.fitBounds(frtData.bounds, {animate: false})")
    page.locator("#frt-place").select_option("ca-oakland")
    expect(container).to_have_attribute("data-frt-focused", "ca-oakland")
    view = map_view(page, oakland.lat, oakland.lon)
    assert view["zoom"] > view["usZoom"] and view["inView"], view
    expect(page.locator("path.frt-ring-ca-san-francisco")).to_have_count(0)
    expect(page.locator("path.frt-ring-line.frt-ring-ca-oakland")).not_to_have_count(0)


def test_play_reaches_today(base: str, open_site) -> None:
    page = open_site(base + f"/index.html#year={FIRST}")
    expect(page.locator("#frt-year-out")).to_have_text(str(FIRST))
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    seconds = (LAST - FIRST + 2) * 1.2 + 5
    expect(page.locator("#frt-year-out")).to_have_text(str(LAST), timeout=seconds * 1000)
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    fills = page.evaluate(FILLS, [j.id for j in US])
    assert {i: set(f) for i, f in fills.items()} == {
        i: {c} for i, c in expected_colours(LAST).items()
    }


def test_the_hash_restores_a_view_and_follows_it(base: str, open_site) -> None:
    page = open_site(base + "/index.html#year=2020&place=ca-oakland")
    expect(page.locator("#frt-year")).to_have_value("2020")
    expect(page.locator("#frt-panel h2")).to_have_text("Oakland, CA")
    expect(page.locator("#frt-place")).to_have_value("ca-oakland")
    status = status_as_of(DATASET, date(2020, 12, 31)).get("ca-oakland", NO_RECORD)
    expect(page.locator("#frt-panel")).to_contain_text(
        f"Status on 31 Dec 2020: {STATUS_LABELS[status]}"
    )
    outline = page.locator("path.frt-ca-oakland").first
    expect(outline).to_have_attribute("stroke", "#000000")
    # The link's place is brought into view.
    expect(page.locator(".leaflet-container")).to_have_attribute("data-frt-focused", "ca-oakland")
    oakland = DATASET.jurisdiction("ca-oakland")
    view = map_view(page, oakland.lat, oakland.lon)
    assert view["zoom"] > view["usZoom"] and view["inView"], view
    set_year(page, 2022)
    assert page.url.endswith("#year=2022&place=ca-oakland"), page.url
    page.evaluate("location.hash = 'year=2019'")
    expect(page.locator("#frt-year")).to_have_value("2019")
    expect(page.locator("#frt-panel h2")).to_have_count(0)
    page.evaluate("location.hash = 'year=1999&place=nowhere'")
    expect(page.locator("#frt-notice")).to_contain_text("years run from")
    expect(page.locator("#frt-notice")).to_contain_text('"nowhere"')


@pytest.mark.parametrize("name", ["constructor", "__proto__", "toString", "hasOwnProperty"])
def test_a_prototype_name_in_the_hash_is_an_unknown_place(
    static_url: str, open_site, name: str
) -> None:
    """Lookups by id are prototype-free (Maps): a place named like an Object property is just
    a place the map does not know, on load and on every move of the slider after it."""
    page = open_site(static_url + f"/index.html#year=2020&place={name}")
    expect(page.locator("#frt-notice")).to_contain_text("does not know")
    expect(page.locator("#frt-notice")).to_contain_text(json.dumps(name))
    expect(page.locator("#frt-panel h2")).to_have_count(0)
    set_year(page, 2021)
    expect(page.locator("#frt-year-out")).to_have_text("2021")
    page.locator("#frt-place").select_option("ca-oakland")
    expect(page.locator("#frt-panel h2")).to_have_text("Oakland, CA")
    page.evaluate(f"location.hash = 'year=2019&place={name}'")
    expect(page.locator("#frt-year")).to_have_value("2019")
    expect(page.locator("#frt-notice")).to_contain_text("does not know")
    # open_site checks at the end: no page error, no CSP violation.


def test_a_phone_390_px_wide(base: str, open_site) -> None:
    page = open_site(base + "/index.html#year=2021", viewport={"width": 390, "height": 844})
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    for selector in ("#frt-map", "#frt-year", "#frt-play", ".frt-legend"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    # Nothing below the fold was wanted yet: only the files the markup names were loaded.
    assert not [r for r in page.frt_requests if "/text." in r], page.frt_requests
    page.locator("#frt-place").select_option("ca-oakland")
    expect(page.locator("#frt-panel h2")).to_have_text("Oakland, CA")
    panel_ready(page, "ca-oakland")
    assert [r for r in page.frt_requests if "/text." in r], "the panel loaded no text"
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


def test_the_panels_text_waits_for_the_reader(static_url: str, open_site) -> None:
    """A first visit loads what the map needs; the lists below it show each place's status,
    and since when, their summaries and sources once the reader scrolls to them (the dates
    are in the panels' text)."""
    page = open_site(static_url + "/index.html#year=2020")
    page.wait_for_timeout(500)  # time enough for a request that should not be made
    assert not [r for r in page.frt_requests if "/text." in r], page.frt_requests
    first = page.locator("#frt-sources li").first
    expect(first).to_have_text(re.compile(r"^[^:]+: [A-Z][A-Za-z /]+$"))  # status, no date
    before = page.locator("#frt-sources li").count()
    page.mouse.wheel(0, 800)
    expect(first).to_contain_text(" since ")
    expect(first).to_contain_text("Source:")
    assert page.locator("#frt-sources li").count() == before  # the same places, now in full
    assert len([r for r in page.frt_requests if "/text." in r]) == 1, page.frt_requests
    abroad = [j for j in DATASET.jurisdictions if not j.is_us and not j.is_context]
    expect(page.locator("#frt-abroad li")).to_have_count(len(abroad))


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_the_places_table_on_a_phone_shows_today_beside_sticky_names(base: str, new_page) -> None:
    """Issue 22: at 390 px, today's column (the newest year comes first) is in view without
    scrolling, and the place names stay in view when the table is scrolled to its right end."""
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "/places.html")
    today = page.locator(f'.frt-table thead th:text-is("{LAST}")')
    box = today.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    page.locator(".frt-scroll").evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    scroll = page.locator(".frt-scroll").bounding_box()
    name = page.locator(".frt-table tbody th").first.bounding_box()
    assert scroll is not None and name is not None
    assert scroll["x"] <= name["x"] + 1 and name["x"] + name["width"] <= 390, (scroll, name)
    assert page.locator(".frt-scroll").evaluate("el => el.scrollLeft") > 0


def test_printing_the_map_page_keeps_the_map_and_legend_only(base: str, open_site) -> None:
    page = open_site(base + "/index.html#year=2021")
    page.emulate_media(media="print")
    for selector in ("#frt-year", "#frt-play", "#frt-present", ".frt-side", "#frt-sources",
                     "#downloads", "#frt-slide", ".frt-nav"):  # fmt: skip
        expect(page.locator(selector)).to_be_hidden()
    for selector in ("#frt-map", ".frt-legend", "#frt-heading"):
        expect(page.locator(selector)).to_be_visible()
    expect(page.locator("#frt-heading")).to_contain_text("2021")
    counts = snapshot(DATASET, year_end(2021, TODAY)).counts()
    expect(page.locator('.frt-count[data-status="banned"]')).to_have_text(str(counts["banned"]))


def test_the_slide_link_follows_the_year(base: str, open_site, site_dir: Path) -> None:
    page = open_site(base + "/index.html")
    link = page.locator("#frt-slide")
    expect(link).to_have_attribute("href", f"slides/map-{LAST}.png")
    set_year(page, FIRST + 1)
    expect(link).to_have_attribute("href", f"slides/map-{FIRST + 1}.png")
    expect(link).to_have_attribute("download", f"frt-map-{FIRST + 1}.png")
    expect(link).to_contain_text(str(FIRST + 1))
    for year in range(FIRST, LAST + 1):
        assert (site_dir / "slides" / f"map-{year}.png").is_file(), year
    expect(page.locator("#frt-story-gif")).to_have_attribute("download", "frt-map-story.gif")


def test_the_embed_at_800_by_500_keeps_its_legend_in_view(base: str, open_site) -> None:
    page = open_site(base + "/embed.html#year=2020", viewport={"width": 800, "height": 500})
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.documentElement.scrollHeight, document.documentElement.clientHeight]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths
    legend = page.locator(".frt-legend").bounding_box()
    assert legend is not None and legend["y"] + legend["height"] <= 500, legend
    # The legend covers no part of California (it used to sit over its southern coast).
    for n in range(page.locator("path.frt-ca").count()):
        shape = page.locator("path.frt-ca").nth(n).bounding_box()
        assert shape is not None and not overlap(legend, shape), (legend, shape)
    counts = status_as_of(DATASET, date(2020, 12, 31))
    banned = sum(1 for j in DATASET.jurisdictions if counts.get(j.id) == "banned")
    expect(page.locator(".frt-legend")).to_contain_text(f"Banned ({banned})")
    page.locator("path.frt-ca-oakland").first.dispatch_event("click")
    expect(page.locator("#frt-panel h2")).to_have_text("Oakland, CA")
    expect(page.locator("#frt-full")).to_have_attribute(
        "href", "index.html#year=2020&place=ca-oakland"
    )


def test_the_embed_inside_a_partner_s_iframe(static_url: str, new_page) -> None:
    page = new_page(viewport={"width": 840, "height": 560})
    page.set_content(
        f'<iframe id="host" src="{static_url}/embed.html" width="800" height="500"'
        ' style="border:0"></iframe>'
    )
    frame = page.frame_locator("#host")
    expect(frame.locator(".leaflet-container")).to_have_attribute(
        "data-frt-places", str(len(US)), timeout=30_000
    )
    legend = frame.locator(".frt-legend").bounding_box()
    host = page.locator("#host").bounding_box()
    assert legend is not None and host is not None
    assert legend["y"] + legend["height"] <= host["y"] + host["height"], (legend, host)


def test_the_text_pages_open_without_scripts(base: str, new_page) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(base + "/places.html")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(len(DATASET.jurisdictions))
    page.goto(base + "/quotes.html")
    expect(page.locator("blockquote")).to_have_count(len(DATASET.quotes))
    page.goto(base + "/place/ca-oakland.html")
    expect(page.locator("h1")).to_have_text(place_label(DATASET.jurisdiction("ca-oakland")))


def test_a_hostile_site_without_boundaries(tmp_path: Path, open_site) -> None:
    """The hostile fixture, with no boundaries (every US place a marker): nothing runs, every
    panel shows the data's words literally."""
    hostile = load_dataset(hs.FIXTURE)
    empty = b'{"type":"FeatureCollection","features":[]}'
    write_site(tmp_path, SiteInput(hostile, empty, frozenset(), TODAY, empty, hs.URL_BREAKOUT))
    us = [j for j in hostile.jurisdictions if j.is_us]
    page = open_site((tmp_path / "index.html").as_uri() + "#year=2021", places=len(us))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert page.locator("path.frt-marker").count() == len(us)
    for place in hostile.jurisdictions:
        page.locator("#frt-place").select_option(place.id)
        panel_ready(page, place.id)
        text = page.locator("#frt-panel").inner_text()
        for value in [
            place.note,
            *(q.text for q in hostile.quotes if q.jurisdiction_id == place.id),
        ]:
            assert value.strip() in text, (place.id, value)
        assert page.locator("#frt-panel h2").text_content() == place_label(place)
    body = page.evaluate("document.body.innerText")
    assert "&lt;" not in body and "&amp;amp;" not in body
    assert (
        page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
            ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)).length"
        )
        == 0
    )
    assert dialogs == []
    assert page.title() == "Facial recognition: bans and use: 2021"


@pytest.mark.parametrize("fault", ["missing", "empty"])
def test_a_panel_text_file_that_fails_to_load_says_so(
    tmp_path: Path, open_site, fault: str
) -> None:
    """Issue 23: a text file that is missing or cut to nothing (a rebuild on a full disk) shows
    a message in the panel, not "Loading..." for ever; the map still works."""
    empty = b'{"type":"FeatureCollection","features":[]}'
    write_site(tmp_path, SiteInput(DATASET, empty, frozenset(), TODAY))
    (text,) = tmp_path.glob("text.*.js")
    if fault == "missing":
        text.unlink()
    else:
        text.write_bytes(b"")
    us = [j for j in DATASET.jurisdictions if j.on_map]
    place = us[0].id
    page = open_site((tmp_path / "index.html").as_uri() + f"#year=2020&place={place}", len(us))
    panel = page.locator("#frt-panel")
    expect(panel).to_contain_text("could not be loaded", timeout=10_000)
    expect(panel).not_to_contain_text("Loading")
    page.locator("#frt-place").select_option(us[1].id)
    expect(panel).to_contain_text("could not be loaded")
    expect(panel).not_to_contain_text("Loading")


# --- issue 22: sharing, targets, quotes ----------------------------------------------------------

BOXES = """els => els.map(e => { const r = e.getBoundingClientRect();
  return [r.x, r.y, r.width, r.height]; })"""
STRENGTH = """selector => { const style = getComputedStyle(document.querySelector(selector));
  return {color: style.color, opacity: Number(style.opacity), weight: Number(style.fontWeight),
          size: parseFloat(style.fontSize)}; }"""


def apart(a: list[float], b: list[float]) -> bool:
    """Two boxes that do not overlap."""
    return a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]


@pytest.mark.parametrize("path", ["index.html", "places.html"])
def test_download_and_page_links_are_targets_a_finger_can_hit(
    static_url: str, new_page, path: str
) -> None:
    """WCAG 2.5.8: every link in the downloads and the page links is 24 by 24 px or more, and
    no two touch."""
    page = new_page()
    page.goto(f"{static_url}/{path}")
    downloads = page.locator("#downloads a").evaluate_all(BOXES)
    assert len(downloads) == len(dataset_csvs(DATASET)) + 1  # the CSVs and today's GeoJSON
    for selector in ("#downloads a", ".frt-nav a"):
        boxes = page.locator(selector).evaluate_all(BOXES)
        assert boxes, selector
        assert all(w >= 24 and h >= 24 for _x, _y, w, h in boxes), (selector, boxes)
        for n, box in enumerate(boxes):
            assert all(apart(box, other) for other in boxes[n + 1 :]), (selector, boxes)


def test_quotes_read_at_full_strength_and_the_speaker_line_is_no_stronger(
    base: str, open_site
) -> None:
    """In a place's panel and on the quotes page: the words in the body's colour at full
    opacity; the line saying who said them neither bolder nor bigger."""
    quoted = sorted(DATASET.quotes, key=lambda q: (q.when, q.id))[0]
    page = open_site(base + f"/index.html#place={quoted.jurisdiction_id}")
    panel_ready(page, quoted.jurisdiction_id)
    for scope in ("#frt-panel", ".frt-text"):
        if scope == ".frt-text":
            page.goto(base + "/quotes.html")
        words = page.evaluate(STRENGTH, f"{scope} .frt-quote")
        said = page.evaluate(STRENGTH, f"{scope} .frt-said")
        text = page.evaluate("getComputedStyle(document.body).color")
        assert words["color"] == text and words["opacity"] == 1, (scope, words)
        assert said["weight"] <= words["weight"] and said["size"] <= words["size"], (scope, said)
        expect(page.locator(f"{scope} .frt-said strong")).to_have_count(0)


def test_a_place_s_link_to_share_opens_its_page_which_leads_back(base: str, open_site) -> None:
    place = next(j for j in DATASET.jurisdictions if j.on_map)
    page = open_site(base + f"/index.html#place={place.id}")
    link = page.locator("#frt-panel a.frt-share")
    expect(link).to_have_attribute("href", f"place/{place.id}.html")
    link.click()
    expect(page.locator("h1")).to_have_text(place_label(place))
    state = snapshot(DATASET, TODAY).state(place.id)
    assert page.title() == place_title(place, state)
    expect(page.locator(".frt-status strong")).to_have_text(STATUS_LABELS[state.fill])
    page.get_by_role("link", name=re.compile("on the map")).click()
    wait_drawn(page, len(US))
    expect(page.locator("#frt-panel h2")).to_have_text(place_label(place))


def test_the_embed_offers_no_link_to_share(base: str, open_site) -> None:
    place = next(j for j in DATASET.jurisdictions if j.on_map)
    page = open_site(base + f"/embed.html#place={place.id}", viewport={"width": 800, "height": 500})
    panel_ready(page, place.id)
    expect(page.locator("#frt-panel a.frt-share")).to_have_count(0)


# --- issue 22: copy link, a correction, caveats ----------------------------------------------

CLIPBOARD = ["clipboard-read", "clipboard-write"]
COPIED = "Link copied"


def test_copy_link_puts_this_view_s_address_on_the_clipboard(static_url: str, open_site) -> None:
    """The panel's Copy link: a real button, by mouse and by keyboard, copies the address of
    the view shown at that moment and says so in a polite live region."""
    page = open_site(static_url + "/index.html#year=2020&place=ca-oakland", permissions=CLIPBOARD)
    panel_ready(page, "ca-oakland")
    button = page.get_by_role("button", name="Copy link")
    status = page.locator("#frt-panel .frt-copy-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("")
    button.click()
    expect(status).to_have_text(COPIED)
    clipboard = "navigator.clipboard.readText()"
    assert page.evaluate(clipboard) == static_url + "/index.html#year=2020&place=ca-oakland"
    expect(page.locator("#frt-panel .frt-copy-field")).to_be_hidden()
    set_year(page, 2022)
    page.get_by_role("button", name="Copy link").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#frt-panel .frt-copy-status")).to_have_text(COPIED)
    assert page.evaluate(clipboard) == static_url + "/index.html#year=2022&place=ca-oakland"


def test_copy_link_on_a_place_s_page_copies_the_page_s_address(static_url: str, new_page) -> None:
    page = new_page(permissions=CLIPBOARD)
    page.goto(static_url + "/place/ca-oakland.html#x")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text(COPIED)
    assert page.evaluate("navigator.clipboard.readText()") == static_url + "/place/ca-oakland.html"
    assert page.page_errors == []


# Without the clipboard API (a page on plain http), or with it refused (permission denied).
NO_CLIPBOARD = {
    "missing": "Object.defineProperty(navigator, 'clipboard', {value: undefined});",
    "refused": "navigator.clipboard.writeText = () => Promise.reject("
    "new DOMException('Write permission denied.', 'NotAllowedError'));",
}


@pytest.mark.parametrize("how", list(NO_CLIPBOARD))
def test_without_the_clipboard_the_link_is_shown_selected(
    static_url: str, open_site, how: str
) -> None:
    page = open_site(static_url + "/index.html#year=2021&place=ma-boston")
    page.add_init_script(NO_CLIPBOARD[how])
    page.reload()
    wait_drawn(page, len(US))
    panel_ready(page, "ma-boston")
    page.get_by_role("button", name="Copy link").click()
    field = page.get_by_role("textbox", name="Link to Boston, MA in 2021")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    url = static_url + "/index.html#year=2021&place=ma-boston"
    expect(field).to_have_value(url)
    assert field.evaluate("f => [f.readOnly, f.selectionStart, f.selectionEnd]") == [
        True, 0, len(url),
    ]  # fmt: skip
    expect(page.locator("#frt-panel .frt-copy-status")).to_have_text(
        re.compile(r"^(Link copied|Link selected: press Ctrl\+C .* to copy it)$")
    )


def test_the_panel_links_the_correction_form_and_says_each_caveat(base: str, open_site) -> None:
    place = DATASET.jurisdiction("ca-san-francisco")
    page = open_site(base + f"/index.html#place={place.id}")
    panel_ready(page, place.id)
    fix = page.get_by_role("link", name=f"Suggest a correction to {place_label(place)}")
    expect(fix).to_have_attribute("href", correction_url(FORM, place.id, place_label(place)) or "")
    caveats = [q for q in DATASET.quotes if q.jurisdiction_id == place.id and q.caveat]
    assert caveats
    shown = page.locator("#frt-panel .frt-caveat").all_text_contents()
    assert sorted(shown) == sorted(
        " ".join(CAVEAT_SENTENCES[c] for c in q.caveats) for q in caveats
    )
    expect(page.locator("#frt-panel .frt-quotes")).not_to_contain_text("Confidence")
    page.goto(base + f"/place/{place.id}.html")
    expect(page.get_by_role("link", name=re.compile("Suggest a correction"))).to_have_attribute(
        "href", correction_url(FORM, place.id, place_label(place)) or ""
    )


def test_the_embed_offers_no_copy_button(base: str, open_site) -> None:
    page = open_site(base + "/embed.html#place=ca-oakland", viewport={"width": 800, "height": 500})
    panel_ready(page, "ca-oakland")
    expect(page.locator("#frt-panel .frt-copy")).to_have_count(0)


# --- axe-core -------------------------------------------------------------------------------


def axe_report(page: Page) -> list[dict]:
    """axe-core (the local copy `make browser-deps` installs) on the page, WCAG 2.1 A and AA."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing: {AXE} (run `make browser-deps`)")
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate(
        """async options => (await axe.run(document, options)).violations.map(v => ({
             id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))""",
        options,
    )


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("index.html#year=2020&place=ca-oakland", "map"),
        ("index.html#year=2021&present=1", "map"),
        ("places.html", "text"),
        ("quotes.html", "text"),
        ("embed.html#year=2020&place=ca-oakland", "map"),
        ("place/ca-oakland.html", "text"),
    ],
)
def test_axe_finds_no_serious_or_critical_violation(
    static_url: str, new_page, path: str, ready: str
) -> None:
    # The page's content security policy would block axe's script: only this context skips it
    # (every other test here checks that the policy blocks nothing the page itself uses).
    page = new_page(bypass_csp=True)
    page.goto(f"{static_url}/{path}")
    if ready == "map":
        wait_drawn(page, len(US))
        if "place=" in path:
            panel_ready(page, "ca-oakland")
        if path.startswith("index.html") and "present=1" not in path:
            page.mouse.wheel(0, 600)
            expect(page.locator("#frt-sources li").first).to_contain_text("Source:")
    violations = axe_report(page)
    for v in violations:
        print(f"axe {path}: {v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]))
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, json.dumps(serious, indent=1)
