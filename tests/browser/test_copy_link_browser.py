"""Issue 22: the app's "Copy link" beside the place panel puts the link to that place and year on
the clipboard and says so; it is the static edition's control (geo/static/frt-copy.js) in a
frame of its own, so a fix to one is a fix to both."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from geo.links import app_place_url
from tests.support.browser import wait_idle

pytestmark = pytest.mark.browser

FRAME = 'iframe[title="Link to Boston, MA in 2024"]'


def test_copy_link_copies_the_view_and_says_so(server: str, new_page) -> None:
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(server + "/?year=2024&place=ma-boston")
    wait_idle(page)
    frame = page.frame_locator(FRAME)
    frame.get_by_role("button", name="Copy link").click()
    expect(frame.get_by_role("status")).to_have_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == server + "/" + app_place_url("", "ma-boston", 2024)


def test_a_refused_clipboard_shows_the_link_to_copy_by_hand(server: str, new_page) -> None:
    page = new_page()
    page.context.add_init_script(
        "if (navigator.clipboard) { navigator.clipboard.writeText ="
        " () => Promise.reject(new Error('refused')); }"
    )
    page.goto(server + "/?year=2024&place=ma-boston")
    wait_idle(page)
    frame = page.frame_locator(FRAME)
    frame.get_by_role("button", name="Copy link").press("Enter")
    field = frame.get_by_role("textbox", name="Link to Boston, MA in 2024")
    expect(field).to_have_value(server + "/?year=2024&place=ma-boston")
    expect(field).to_be_focused()
