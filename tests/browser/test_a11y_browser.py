"""Issue 15 in Chromium: axe-core on every page, in the map frame and on the legend; the
accessibility tree (ARIA snapshots); the announced place; 200% zoom and 320 px reflow.

axe-core comes from the npm registry, installed by `make browser-deps` into tests/browser/axe
(pinned by its lock file) and read from that file; no rule is ever disabled. Serious and
critical violations of the WCAG 2.0/2.1 A and AA rules fail the test; moderate and minor ones
are printed (run with -s to see them).
"""

from __future__ import annotations

import base64
import re
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from geo.config import get_settings
from geo.present import MAP_TITLE, legend_rows, long_date, map_in_words, place_label
from geo.records import load_dataset
from geo.timeline import counts_as_of, year_end
from geo.vocabulary import STATUS_LABELS
from tests.support.browser import MAP_FRAME, wait_idle, wait_places

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")
DATASET = load_dataset(get_settings().data_dir)
US_COUNT = sum(1 for j in DATASET.jurisdictions if j.on_map)

# name -> (path and query, has the map)
PAGES = {
    "map": ("/", True),
    "map-place": ("/?place=ca-oakland&year=2020", True),
    "presentation": ("/?present=1", True),
    # Streamlit's embed switch is `embed=true` (`embed=1` leaves the page as it is).
    "embed": ("/?embed=true", True),
    "timeline": ("/timeline", False),
    "places": ("/places", False),
    "quotes": ("/quotes", False),
    "about": ("/about", False),
}


def counts(year: int) -> dict[str, int]:
    return counts_as_of(DATASET, year_end(year, date.today()))


def axe(frame: Frame | Page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations in one document (a page or a frame)."""
    assert AXE.is_file(), f"{AXE} is missing: run `make browser-deps`"
    frame.add_script_tag(path=str(AXE))
    return frame.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}));
        }""",
        WCAG_TAGS,
    )


def report(where: str, violations: list[dict]) -> list[str]:
    """Print every violation; return the serious and critical ones as lines."""
    for v in violations:
        print(f"axe {where}: {v['impact']} {v['id']} ({v['help']}) x{len(v['nodes'])}")
        for node in v["nodes"][:3]:
            print(f"    {node[:300]}")
    return [
        f"{where}: {v['impact']} {v['id']}: {v['help']}: {v['nodes'][:3]}"
        for v in violations
        if v["impact"] in FAILING
    ]


def open_page(page: Page, url: str, with_map: bool) -> Frame | None:
    page.goto(url)
    wait_idle(page)
    if not with_map:
        return None
    wait_places(page, US_COUNT)
    return page.frame_locator(MAP_FRAME).owner.element_handle().content_frame()


def test_axe_finds_no_serious_violation_on_any_page_in_the_map_or_the_legend(server, page: Page):
    problems: list[str] = []
    for name, (path, with_map) in PAGES.items():
        frame = open_page(page, server + path, with_map)
        problems += report(name, axe(page))
        if frame is not None:
            problems += report(f"{name} (map frame)", axe(frame))
    # The legend is an SVG image (a data: URL, which Chromium will not open as a page): audit
    # its markup, exactly as served, inline in a page of its own.
    page.goto(server + "/?year=2020")
    wait_idle(page)
    source = page.get_by_role("img", name=re.compile("^Legend")).get_attribute("src") or ""
    assert source.startswith("data:image/svg+xml;base64,"), source[:60]
    svg = base64.b64decode(source.split(",", 1)[1]).decode("utf-8")
    page.set_content(f'<!doctype html><html lang="en"><title>Legend</title><main>{svg}</main>')
    expect(page.locator("svg text").first).to_have_text("Legend")
    problems += report("legend image", axe(page))
    assert not problems, "\n".join(problems)


def test_the_map_frame_zooms_and_names_itself(server, page: Page):
    frame = open_page(page, server + "/?year=2020", True)
    assert frame is not None
    viewports = frame.evaluate(
        "[...document.querySelectorAll('meta[name=viewport]')].map(m => m.content)"
    )
    assert viewports, "the frame has a viewport"
    for content in viewports:
        assert "user-scalable=no" not in content.replace(" ", ""), content
        assert "maximum-scale=1" not in content.replace(" ", ""), content
    assert frame.evaluate("document.title") == MAP_TITLE
    iframe = page.locator(MAP_FRAME)
    expect(iframe).to_have_attribute("aria-label", MAP_TITLE)
    inside = page.frame_locator(MAP_FRAME)
    expect(inside.get_by_role("main")).to_have_count(1)
    expect(inside.get_by_role("heading", level=1, name=MAP_TITLE)).to_be_attached()
    snapshot = inside.locator("body").aria_snapshot()
    assert f'heading "{MAP_TITLE}" [level=1]' in snapshot, snapshot
    assert "region" in snapshot and "Tab leaves it" in snapshot, snapshot


def test_the_accessibility_tree_has_the_map_in_words_the_legend_and_headings(server, page: Page):
    open_page(page, server + "/?year=2020", True)
    expected = counts(2020)
    words = map_in_words(expected, f"on {long_date(year_end(2020, date.today()))}")
    main = page.get_by_role("main").first
    tree = main.aria_snapshot()
    # The iframe's name comes from its aria-label (the snapshot shows the element only).
    assert "iframe" in tree
    assert words in tree, tree[:3000]
    assert 'link "Every place and its status, in words: Places"' in tree, tree[:3000]
    # Every legend swatch carries its word and count in the image's name.
    legend = page.get_by_role("img", name=re.compile("^Legend"))
    name = legend.get_attribute("alt") or ""
    for status, _colour, label, _meaning in legend_rows():
        assert f"{label}: {expected.get(status, 0)}" in name, (label, name)
    # Headings go down one level at a time: h1 title, h2 headline.
    levels = [int(m) for m in re.findall(r"\[level=(\d)\]", tree)]
    assert levels[:2] == [1, 2], levels
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
    # The link leads to the full text equivalent.
    page.get_by_role("link", name="Every place and its status, in words: Places").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Places"))).to_be_visible(
        timeout=30_000
    )


def test_choosing_a_place_is_announced_by_a_live_region_that_was_already_there(server, page: Page):
    open_page(page, server + "/?year=2020", True)
    region = page.get_by_role("status").filter(has_text="No place chosen")
    expect(region).to_have_count(1)
    # Mark the element: if Streamlit replaced it, the mark would be gone and nothing would
    # be announced (a live region must exist before its text changes).
    region.evaluate("el => { el.dataset.frtMark = 'kept'; }")
    chooser = page.get_by_role("combobox", name="Choose a place")
    chooser.fill("Oakland")
    chooser.press("Enter")
    oakland = place_label(DATASET.jurisdiction("ca-oakland"))
    expect(page.get_by_role("heading", name=oakland)).to_be_visible(timeout=30_000)
    announced = page.locator('[role="status"][data-frt-mark="kept"]')
    expect(announced).to_contain_text(f"{oakland}: {STATUS_LABELS['banned']}")
    expect(announced).to_contain_text("history, sources and quotes are below")
    # The history in words, with real links to the sources.
    history = page.locator(".st-key-frt-history")
    expect(history.get_by_role("link").first).to_be_visible()
    assert history.get_by_role("link").count() >= 2


def horizontal_overflow(page: Page) -> dict[str, int]:
    return page.evaluate(
        "() => ({sw: document.scrollingElement.scrollWidth,"
        " cw: document.scrollingElement.clientWidth})"
    )


def cut_off_text(page: Page) -> list[str]:
    """Text elements (outside the map and the data grids, which scroll inside themselves)
    that run past the right edge of the window."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const found = [];
          for (const el of document.querySelectorAll(
              "h1, h2, h3, p, label, button, a, [data-testid=stCaptionContainer]")) {
            if (el.closest("iframe, [data-testid=stDataFrame], [data-testid=stSidebar]")) {
              continue;
            }
            const box = el.getBoundingClientRect();
            if (box.width > 0 && box.right > width + 1) {
              found.push(el.tagName + ": " + (el.textContent || "").slice(0, 60));
            }
          }
          return found;
        }"""
    )


@pytest.mark.parametrize(
    ("viewport", "scale"),
    [({"width": 640, "height": 360}, 2), ({"width": 320, "height": 640}, 1)],
    ids=["200pc-of-1280x720", "320px"],
)
def test_zoom_and_reflow_have_no_horizontal_scroll(server, new_page, viewport, scale, shot):
    """200% zoom on 1280x720 is a 640x360 CSS viewport at device scale 2; 320 px is WCAG
    1.4.10's width. Only the map (and the data grids) may scroll sideways, inside themselves."""
    page = new_page(viewport=viewport, device_scale_factor=scale)
    for path in ("/?year=2020&place=ca-oakland", "/places", "/about"):
        page.goto(server + path)
        wait_idle(page)
        if path.startswith("/?"):
            wait_places(page, US_COUNT)
            expect(page.get_by_role("heading", level=1).first).to_be_visible()
            expect(page.locator('[data-testid="stSlider"]').first).to_be_visible()
            heading = page.get_by_role("heading", name="Oakland, CA")
            heading.scroll_into_view_if_needed()
            expect(heading).to_be_visible()
        else:
            expect(page.get_by_role("heading", level=1).first).to_be_visible()
        overflow = horizontal_overflow(page)
        assert overflow["sw"] <= overflow["cw"], (path, overflow)
        assert cut_off_text(page) == [], path
        shot(page, f"30-reflow-{viewport['width']}-{path.strip('/?').split('&')[0] or 'map'}")
