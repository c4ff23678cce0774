"""Issue 15 in Chromium, with the keyboard alone: from page load a reader changes the year,
starts and stops Play, chooses a place and reaches its panel, history and a source link,
switches presentation mode on and off and moves between pages. Every stop shows where the
focus is, and Tab leaves the map frame (no keyboard trap)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from geo.config import get_settings
from geo.records import load_dataset
from tests.support.browser import MAP_FRAME, slider_value, wait_idle, wait_places

pytestmark = pytest.mark.browser

DATASET = load_dataset(get_settings().data_dir)
US_COUNT = sum(1 for j in DATASET.jurisdictions if j.on_map)
TAB_LIMIT = 80

# What has the focus, and does it show? The focused element, or (for a visually hidden input
# inside a control) the nearest visible ancestor, has an outline or a box-shadow.
FOCUS = """() => {
  let el = document.activeElement;
  const what = el ? (el.tagName + " " + (el.getAttribute("aria-label") || el.getAttribute("role")
      || "") + " " + (el.textContent || "").trim().slice(0, 40)) : "";
  for (let i = 0; el && el !== document.body && i < 6; i++, el = el.parentElement) {
    const box = el.getBoundingClientRect();
    if (box.width < 4 || box.height < 4) { continue; }
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
    if (outline || (s.boxShadow && s.boxShadow !== "none")) { return {what, visible: true}; }
  }
  return {what, visible: false};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUS)


def tab_to(page: Page, matches: str, *, back: bool = False, seen: list[str] | None = None) -> None:
    """Press Tab (or Shift+Tab) until `matches(document.activeElement)` is true; check on the
    way that each stop outside the map frame shows its focus."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        state = focused(page)
        if seen is not None:
            seen.append(state["what"])
        # BODY: nothing has the focus (after a control was redrawn); the next Tab starts over.
        if not state["what"].startswith(("IFRAME", "BODY")):
            assert state["visible"], f"focus is not visible on {state['what']!r}"
        if page.evaluate(f"(el => {matches})(document.activeElement)"):
            return
    raise AssertionError(f"{TAB_LIMIT} presses did not reach {matches}")


# The switches (Streamlit's toggles: a checkbox with role "switch"), by their names.
PLAY_SWITCH = "el.getAttribute('role') === 'switch' && el.getAttribute('aria-label') === 'Play'"
PRESENT_SWITCH = "el.type === 'checkbox' && el.getAttribute('aria-label') === 'Presentation mode'"


def test_the_whole_path_with_the_keyboard_alone(server, page: Page, shot):
    page.goto(server + "/?year=2020")
    wait_idle(page)
    wait_places(page, US_COUNT)

    # The year: the slider's arrow keys.
    tab_to(page, "el.type === 'range'")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"year=2019"), timeout=30_000)
    wait_idle(page)
    assert slider_value(page) == 2019

    # Play on, then off: one switch that keeps its name (the focus stays on it).
    play = page.get_by_role("switch", name="Play")
    tab_to(page, PLAY_SWITCH)
    page.keyboard.press("Space")
    expect(play).to_be_checked(timeout=30_000)
    expect(page).to_have_url(re.compile(r"year=2020"), timeout=30_000)  # Play moves on
    if page.evaluate("document.activeElement.getAttribute('aria-label')") != "Play":
        tab_to(page, PLAY_SWITCH, back=True)
    page.keyboard.press("Space")
    expect(play).not_to_be_checked(timeout=30_000)
    wait_idle(page)
    stopped = slider_value(page)
    page.wait_for_timeout(2_500)  # longer than a Play step: the year stays
    assert slider_value(page) == stopped >= 2020

    # The map frame: Tab goes in, through its few controls, and out again.
    seen: list[str] = []
    tab_to(page, "el.tagName === 'IFRAME'", seen=seen)
    inside = page.frame_locator(MAP_FRAME)
    expect(inside.locator(".leaflet-container")).to_be_focused()
    tab_to(page, "el.tagName !== 'IFRAME'", seen=seen)
    in_frame = sum(1 for what in seen if what.startswith("IFRAME"))
    assert in_frame <= 6, f"{in_frame} Tab stops inside the map frame"

    # Choose a place, then reach its panel, its history in words and a source link.
    tab_to(page, "el.getAttribute('aria-label') === 'Choose a place'")
    page.keyboard.type("Oakland")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Oakland, CA")).to_be_visible(timeout=30_000)
    wait_idle(page)
    expect(page.get_by_role("status").filter(has_text="Oakland, CA")).to_be_visible()
    tab_to(
        page,
        "el.tagName === 'A' && el.href.startsWith('http') && !!el.closest('.st-key-frt-history')",
    )
    link = page.evaluate("document.activeElement.href")
    assert link.startswith(("https://", "http://")), link
    shot(page, "31-keyboard-source-link")

    # Presentation mode on, then off, from the switch.
    page.keyboard.press("Escape")
    tab_to(page, PRESENT_SWITCH, back=True)
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"present=1"), timeout=30_000)
    expect(page.get_by_test_id("stTopNav")).to_have_count(0)
    wait_idle(page)
    # Presentation mode redraws the controls in new columns: the switch is a new element.
    if not page.evaluate(f"(el => {PRESENT_SWITCH})(document.activeElement)"):
        tab_to(page, PRESENT_SWITCH)
    page.keyboard.press("Space")
    expect(page.get_by_test_id("stTopNav")).to_be_visible(timeout=30_000)
    expect(page).not_to_have_url(re.compile(r"present=1"))
    wait_idle(page)

    # Another page, from the top bar's links.
    page.keyboard.press("Shift+Tab")
    tab_to(page, "el.tagName === 'A' && el.textContent.endsWith('Places')", back=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/places"), timeout=30_000)
    expect(page.get_by_role("heading", level=1, name=re.compile("^Places"))).to_be_visible()
