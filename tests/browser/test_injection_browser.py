"""The hostile fixture in Debian's Chromium: no script from data runs, and what a reader sees
is exactly what the data says (no double escaping, no Markdown, no HTML).

A server runs on tests/fixtures/hostile (see tests/support/hostile.py). Every page is opened
with the year set, the place panel of every place is opened from its URL, the map's tooltips
are hovered and opened, the About page's downloads are saved, and the standalone HTML export is
opened with the network blocked. In each: no dialog opens, the title stays, no element (in the
page or the map frame) carries an on* attribute or a javascript: link, no script holds a raw
hostile string, and the hostile strings are visible as literal text, with no `&lt;`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.server import build_boundaries
from geo import boundaries as geo_boundaries
from geo.config import get_settings
from geo.present import APP_PAGES, page_title, place_label, state_words
from geo.records import DATA_FILES as FILES
from geo.records import load_dataset
from geo.timeline import NO_RECORD, causes, snapshot, status_as_of
from geo.vocabulary import STATUS_LABELS
from tests.support import hostile as hs
from tests.support.browser import IDLE, MAP_FRAME, wait_places, zoom_to
from tests.support.server import serve

pytestmark = pytest.mark.browser

DATASET = load_dataset(hs.FIXTURE)
YEAR = 2021
ON = date(YEAR, 12, 31)
# Each app page's tab title (geo.present.page_title), by its URL path ("" is the map).
TITLES = {path: page_title(title) for path, _file, title, _icon in APP_PAGES}
TITLES[""] = TITLES["map"]
# Raw forms that must never appear inside a <script> (js_json turns < > $ ` into \u escapes).
RAW_IN_SCRIPT = (hs.SCRIPT, hs.IMG, hs.SVG, "${alert(1)}", "</div>", "<b>broken out")
# Characters that show a value was mangled when a table cell holds it.
HOSTILE_MARKS = re.compile(r"[<>$\[\]`&{}\\]|:red|alert")

SCAN = """(markers) => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.tagName.toLowerCase()}[${name}]`);
      if (/^(href|src|action|formaction|xlink:href|data|srcdoc)$/.test(name)
          && /^\\s*(javascript|vbscript|data:text\\/html)/i.test(a.value)) {
        bad.push(`${el.tagName.toLowerCase()}[${name}=${a.value}]`);
      }
    }
  }
  for (const el of document.querySelectorAll('img[src="x"], iframe[srcdoc], object, embed')) {
    bad.push('element ' + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll('b, svg')) {
    if (el.textContent === 'broken out' || el.getAttribute('onload')) bad.push('injected element');
  }
  for (const s of document.querySelectorAll('script')) {
    for (const m of markers) { if (s.textContent.includes(m)) bad.push('script holds ' + m); }
  }
  return bad;
}"""


# --- the server and the browser page -----------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_cache(tmp_path_factory: pytest.TempPathFactory, server_env) -> dict[str, str]:
    """Settings for the hostile data: its own boundary cache, built from ../shared/census."""
    env = {
        **server_env,
        "FRT_DATA_DIR": str(hs.FIXTURE),
        "FRT_CACHE_DIR": str(tmp_path_factory.mktemp("hostile-cache")),
    }
    build_boundaries(env)
    return env


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory, hostile_cache) -> Iterator[str]:
    yield from serve(hostile_cache, tmp_path_factory.mktemp("hostile-logs") / "streamlit.log")


@pytest.fixture
def watched(page: Page) -> Iterator[Page]:
    """The conftest page (external requests fail the test), plus: any dialog fails it."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    assert dialogs == [], f"a script from the data ran: {dialogs}"
    assert page.page_errors == []


# --- checks shared by every view ---------------------------------------------------------------


def frames(page: Page) -> list[Frame]:
    return [f for f in page.frames if not f.is_detached()]


def assert_inert(page: Page, *, title: str | None = None) -> None:
    """No dialog (checked by `watched`), the title unchanged (the page's own, from its URL),
    nothing from data became markup."""
    expect(page).to_have_title(title or TITLES[urlsplit(page.url).path.strip("/")])
    for frame in frames(page):
        problems = frame.evaluate(SCAN, list(RAW_IN_SCRIPT))
        assert problems == [], f"{frame.url[:80]}: {problems}"
        text = frame.evaluate("document.body ? document.body.innerText : ''")
        assert "&lt;" not in text and "&gt;" not in text and "&amp;amp;" not in text
        assert "Traceback" not in text
    assert page.locator('[data-testid="stException"]').count() == 0


def visible_text(page: Page) -> str:
    return page.evaluate("document.body.innerText")


def assert_shown(page: Page, strings: list[str]) -> None:
    text = visible_text(page)
    missing = [s for s in strings if s and s not in text]
    assert not missing, f"not shown literally: {missing}"


def settle(page: Page, seconds: float = 30) -> None:
    """Wait until the script has run and the page's text has stopped changing (Streamlit
    reports "not running" for a moment before a run starts, and after a rerun)."""
    deadline = time.monotonic() + seconds
    before = None
    while time.monotonic() < deadline:
        expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
        now = visible_text(page)
        if now == before:
            return
        before = now
        page.wait_for_timeout(400)
    raise AssertionError("the page kept changing")


def open_view(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator('[data-testid="stSlider"]').first).to_be_visible(timeout=60_000)
    settle(page)


def wait_map(page: Page) -> Frame:
    us = [j for j in DATASET.jurisdictions if j.on_map]
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)
    wait_places(page, len(us))
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert frame is not None
    return frame


def grid_cells(page: Page) -> list[str]:
    """Cell texts of the data grids (Glide draws on a canvas and mirrors cells for screen
    readers in a hidden table)."""
    return page.locator('[data-testid="stDataFrame"] td').all_text_contents()


def data_values() -> set[str]:
    """Every field value in the fixture, every place label the app makes from them, and the
    Places table's sentences (in force, open proposals, use) on the chosen date, whole."""
    values = {v for rows in hs.ROWS.values() for row in rows for v in row.values()}
    shot = snapshot(DATASET, ON)
    sentences = {
        words.split(": ", 1)[1]
        for j in DATASET.jurisdictions
        for words in state_words(shot.state(j.id))
    }
    return values | sentences | {place_label(j) for j in DATASET.jurisdictions}


def assert_cells_literal(page: Page) -> None:
    expect(page.locator('[data-testid="stDataFrame"] td').first).to_be_attached(timeout=30_000)
    cells = grid_cells(page)
    hostile = [c for c in cells if HOSTILE_MARKS.search(c)]
    assert hostile, "the tables should show some hostile values"
    mangled = [c for c in hostile if c not in data_values()]
    assert not mangled, f"table cells that differ from the data: {mangled[:5]}"


# --- every page --------------------------------------------------------------------------------


def quote_strings(quotes) -> list[str]:
    """What a quote shows (its research note is not shown: it stays in the downloads)."""
    return [s for q in quotes for s in (q.text, q.speaker, q.role, q.source_name)]


def test_map_page(hostile_server, watched: Page, shot) -> None:
    page = watched
    open_view(page, f"{hostile_server}/?year={YEAR}")
    frame = wait_map(page)
    latest = causes(DATASET, ON)
    abroad = [j for j in DATASET.jurisdictions if not j.is_us and not j.is_context]
    expected = [j.name for j in abroad] + [latest[j.id].source_name for j in abroad]
    expected += quote_strings(q for q in DATASET.quotes if q.when.year == YEAR)
    assert_shown(page, expected)
    assert_inert(page)
    shot(page, "40-hostile-map")

    # A real hover: zoom to Oakland and rest the mouse on its polygon.
    oakland = DATASET.jurisdiction("ca-oakland")
    x, y = zoom_to(frame, oakland.lat, oakland.lon, 12)
    box = page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip").first
    expect(tooltip).to_have_text(f"{hs.SCRIPT}, CA: Banned", timeout=10_000)
    shot(page, "41-hostile-hover")

    # Every other tooltip: opened by Leaflet itself, then read as text.
    frame.evaluate(
        "window.map.eachLayer(l => { if (l.getTooltip && l.getTooltip()) l.openTooltip(); })"
    )
    statuses = status_as_of(DATASET, ON)
    labels = {
        f"{place_label(j)}: {STATUS_LABELS[statuses.get(j.id, NO_RECORD)]}"
        for j in DATASET.jurisdictions
        if j.on_map
    }
    tips = frame.evaluate(
        "[...document.querySelectorAll('.leaflet-tooltip')]"
        ".map(t => [t.textContent, t.querySelectorAll('*').length])"
    )
    assert {text for text, _ in tips} == labels
    assert all(children == 1 for _, children in tips), "a tooltip holds markup from data"
    assert_inert(page)


@pytest.mark.parametrize("path", ["timeline", "places"])
def test_table_pages(hostile_server, watched: Page, shot, path: str) -> None:
    page = watched
    open_view(page, f"{hostile_server}/{path}?year={YEAR}")
    assert_cells_literal(page)
    assert_inert(page)
    shot(page, f"42-hostile-{path}")


def test_quotes_page(hostile_server, watched: Page, shot) -> None:
    page = watched
    open_view(page, f"{hostile_server}/quotes?year={YEAR}")
    count = len(DATASET.quotes)
    expect(page.get_by_text(f"{count} of {count} quotes")).to_be_visible()
    assert_shown(page, quote_strings(DATASET.quotes))
    expect(page.get_by_text(hs.IMG, exact=False).first).to_be_visible()
    assert_inert(page)
    shot(page, "43-hostile-quotes")


def choose(page: Page, box: str, option: str) -> None:
    """Pick an option of a select box. A rerun that lands just after the click closes the list
    again, so try a few times."""
    for _ in range(4):
        settle(page)
        page.get_by_label(box).click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.click(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        return
    raise AssertionError(f"could not choose {option!r} in {box!r}")


def test_place_panel_of_every_place(hostile_server, watched: Page, shot) -> None:
    """Every place's panel on the places page (the same geo.ui.place_panel as the map page's):
    the first opened from its link (`?place=`), the others chosen in the page, which puts each
    in the link too; a full page load per place would cost seconds each. The map page's own
    panel, from a link, is opened in test_a_crafted_link_stays_text."""
    page = watched
    first, *others = DATASET.jurisdictions
    open_view(page, f"{hostile_server}/places?year={YEAR}&place={first.id}")
    for place in [first, *others]:
        label = place_label(place)
        if place is not first:
            choose(page, "Chosen place", label)
            expect(page).to_have_url(re.compile(rf"place={place.id}(&|$)"))
            settle(page)
        headings = page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => h.textContent.trim())"
        )
        assert label in headings, (place.id, headings)
        expected = [place.note]
        expected += quote_strings(q for q in DATASET.quotes if q.jurisdiction_id == place.id)
        assert_shown(page, expected)
        assert_inert(page)
        if place.id == "wa-king-county":
            shot(page, "44-hostile-panel-king-county")


def test_a_crafted_link_stays_text(hostile_server, watched: Page) -> None:
    """`?place=` is quoted in a warning: no image is fetched, no link or colour is made."""
    raw = "![t](https://evil.example/t.png) [x](javascript:alert(1)) :red[hi]"
    page = watched
    open_view(page, f"{hostile_server}/?year={YEAR}&place={raw.replace(' ', '%20')}")
    assert_shown(page, [repr(raw)])
    assert_inert(page)
    # Then the map page's own panel, chosen in the page (no reload): King County's name is
    # a Markdown link and math, and must stay text in the heading.
    king = DATASET.jurisdiction("wa-king-county")
    choose(page, "Choose a place", place_label(king))
    expect(page.get_by_role("heading", name=place_label(king))).to_be_visible(timeout=30_000)
    settle(page)
    assert_shown(page, [king.note, place_label(king)])
    assert_inert(page)


# --- downloads -----------------------------------------------------------------------------------


def test_about_page_and_its_downloads(hostile_server, watched: Page, shot) -> None:
    """The About page shows the latest event and the sources table literally, and its
    downloads carry the hostile strings byte for byte (as CSV text, parsed)."""
    page = watched
    open_view(page, f"{hostile_server}/about?year={YEAR}")
    assert_cells_literal(page)
    latest = max(DATASET.events, key=lambda e: e.when)
    assert_shown(page, [DATASET.jurisdiction(latest.jurisdiction_id).name, latest.source_name])
    shot(page, "42-hostile-about")
    for spec in FILES:
        stem = spec.name.removesuffix(".csv")
        button = page.get_by_role("button", name=f"{stem.capitalize()} (CSV)")
        with page.expect_download() as info:
            button.click()
        data = Path(info.value.path()).read_bytes()
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert rows == [dict(row) for row in hs.ROWS[spec.name]], spec.name
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"\(GeoJSON\)")).click()
    features = json.loads(Path(info.value.path()).read_bytes())["features"]
    assert {f["properties"]["id"]: f["properties"]["name"] for f in features} == {
        j.id: j.name for j in DATASET.jurisdictions
    }
    assert_inert(page)


def test_the_standalone_export_with_the_network_blocked(hostile_cache, watched: Page, shot):
    """geo.site.export.standalone_html on the hostile data, opened with no network at all."""
    from geo.site import export

    settings = get_settings(hostile_cache)
    boundaries = geo_boundaries.load_boundaries(DATASET, settings, allow_build=False)
    assert boundaries.notices == ()
    document = export.standalone_html(
        DATASET,
        boundaries.geojson,
        boundaries.polygon_ids,
        ON,
        data_date=hs.JINJA,
        sources_url=hs.URL_BREAKOUT,
    )
    page = watched
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_content(document, wait_until="load")
    page.wait_for_function("document.querySelectorAll('.leaflet-interactive').length > 0")
    assert [r for r in requests if not r.startswith(("data:", "about:"))] == []
    latest = causes(DATASET, ON)
    assert_shown(page, [hs.JINJA, *(e.summary for e in latest.values()),
                        *(e.source_name for e in latest.values())])  # fmt: skip
    # The hostile link arrives whole: quotes and brackets stayed inside the attribute.
    assert page.get_by_role("link", name=hs.URL_BREAKOUT).get_attribute("href") == hs.URL_BREAKOUT
    page.evaluate(
        "(() => { const m = Object.keys(window).filter(k => k.startsWith('map_'))"
        ".map(k => window[k]).find(v => v instanceof L.Map);"
        " m.eachLayer(l => { if (l.getTooltip && l.getTooltip()) l.openTooltip(); }); })()"
    )
    tips = page.locator(".leaflet-tooltip").all_text_contents()
    assert f"{hs.SCRIPT}, CA: Banned" in tips
    shot(page, "45-hostile-export")
    assert_inert(page, title=f"{export.TITLE}: {YEAR}")
