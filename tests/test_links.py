"""The links a place's panel offers in both editions (geo/links.py): the correction form with
the place filled in (FRT_CORRECTION_URL) and the app at a place and year; and the Markdown door
for the second (geo.escape.markdown_app_link)."""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from geo.config import get_settings
from geo.escape import markdown_app_link, markdown_text
from geo.links import app_place_url, correction_url
from geo.present import place_label
from geo.records import MAX_URL, check_url
from tests.support import hostile as hs
from tests.support.data import hostile_fixture

FORM = "https://github.com/example/frt-map/issues/new?template=correct-or-add-a-record.yml"
BARE = "https://github.com/example/frt-map/issues/new"


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            FORM,
            FORM + "&title=Data%3A%20Boston%2C%20MA&place=Boston%2C%20MA%20%28ma-boston%29",
        ),
        (
            BARE,
            BARE + "?title=Data%3A%20Boston%2C%20MA&place=Boston%2C%20MA%20%28ma-boston%29",
        ),
        (  # the setting's own place and title give way; its other parameters stay as written
            BARE + "?place=x&labels=data+fix&title=y",
            BARE + "?labels=data+fix&title=Data%3A%20Boston%2C%20MA"
            "&place=Boston%2C%20MA%20%28ma-boston%29",
        ),
        (  # a fragment stays after the query
            BARE + "?template=t.yml#top",
            BARE + "?template=t.yml&title=Data%3A%20Boston%2C%20MA"
            "&place=Boston%2C%20MA%20%28ma-boston%29#top",
        ),
        ("", None),  # unset: no link at all
        ("javascript:alert(1)", None),
        ("github.com/example/frt-map/issues/new", None),  # not an http(s) address
        ("https://github.com/example/frt map/issues/new", None),
    ],
    ids=[
        "with-query",
        "without-query",
        "replaces-place",
        "fragment",
        "unset",
        "javascript",
        "no-scheme",
        "space",
    ],
)
def test_the_correction_link_fills_in_the_place(setting: str, expected: str | None) -> None:
    assert correction_url(setting, "ma-boston", "Boston, MA") == expected


@pytest.mark.parametrize(
    "label",
    [*hs.VISIBLE, hs.URL_BREAKOUT, "A & B = C + D", "100% #1 ?x", hs.LONG_NAME[:60]],
    ids=lambda s: s[:24],
)
def test_any_place_name_is_encoded_and_comes_back_exactly(label: str) -> None:
    url = correction_url(FORM, "ca-oakland", label)
    assert url is not None and check_url(url) == url
    query = urlsplit(url).query
    assert url.isascii() and not any(ch in query for ch in " <>\"'`{}|\\^#")
    fields = dict(parse_qsl(query, keep_blank_values=True))
    assert fields == {
        "template": "correct-or-add-a-record.yml",
        "title": f"Data: {label}",
        "place": f"{label} (ca-oakland)",
    }


def test_a_label_too_long_for_a_link_drops_the_title_first() -> None:
    long = hs._long(f"{hs.CJK} {hs.EMOJI} ", 120)  # 9 or 12 bytes per character, encoded
    url = correction_url(FORM, "ny-new-york", long)
    assert url is not None and len(url) <= MAX_URL
    assert parse_qs(urlsplit(url).query) == {
        "template": ["correct-or-add-a-record.yml"],
        "place": [f"{long} (ny-new-york)"],
    }
    assert correction_url(FORM, "x", "\U0001f6ab" * 200) is None  # no room even for the place


def test_every_hostile_place_gets_a_working_link() -> None:
    for place in hostile_fixture().jurisdictions:
        label = place_label(place)
        url = correction_url(FORM, place.id, label)
        assert url is not None, place.id
        assert parse_qs(urlsplit(url).query)["place"] == [f"{label} ({place.id})"]


def test_the_setting_is_read_from_the_environment() -> None:
    assert get_settings({}).correction_url == ""
    assert get_settings({"FRT_CORRECTION_URL": FORM}).correction_url == FORM


# --- the app at a place and year ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("public_url", "expected"),
    [
        ("", "?year=2024&place=ma-boston"),
        ("https://frt.example.org/", "https://frt.example.org/?year=2024&place=ma-boston"),
        ("https://frt.example.org", "https://frt.example.org?year=2024&place=ma-boston"),
        ("https://x.org/app/?embed=true#top", "https://x.org/app/?year=2024&place=ma-boston"),
        ("javascript:alert(1)", "?year=2024&place=ma-boston"),
    ],
)
def test_the_app_link_to_a_place_and_year(public_url: str, expected: str) -> None:
    assert app_place_url(public_url, "ma-boston", 2024) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("?year=2024&place=ma-boston", "[Boston, MA in 2024](?year=2024&place=ma-boston)"),
        (
            "https://frt.example.org/?year=2024&place=ma-boston",
            "[Boston, MA in 2024](https://frt.example.org/?year=2024&place=ma-boston)",
        ),
        ("javascript:alert(1)", "Boston, MA in 2024"),
        ("?x=<b>", "Boston, MA in 2024"),
        ("?x=1)[y](javascript:alert(1)", "Boston, MA in 2024"),
        ("//evil.example/?x=1", "Boston, MA in 2024"),
    ],
)
def test_markdown_app_link_links_only_the_app(url: str, expected: str) -> None:
    assert markdown_app_link("Boston, MA in 2024", url) == expected.replace(
        "Boston, MA in 2024", markdown_text("Boston, MA in 2024")
    )


def test_markdown_app_link_escapes_a_hostile_label() -> None:
    text = markdown_app_link(f"{hs.MD_LINK} {hs.SCRIPT}", "?year=2021&place=ca-oakland")
    assert text == f"[{markdown_text(f'{hs.MD_LINK} {hs.SCRIPT}')}](?year=2021&place=ca-oakland)"
