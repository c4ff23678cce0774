"""What a shared link unfolds into: each page's title, description and preview image (Open
Graph and Twitter card tags, in templates/base.html), and the files crawlers read
(robots.txt, and sitemap.xml when the site's address is known: FRT_SITE_URL).

Every sentence here is built from the data's snapshot (geo.timeline) and the vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from geo.escape import safe_href
from geo.present import event_date, legend_rows, place_label, state_words
from geo.records import Jurisdiction
from geo.site.data import TITLE
from geo.site.render import render
from geo.timeline import PlaceState
from geo.vocabulary import CONTEXT_LABEL, LEVEL_LABELS, NO_RECORD, STATUS_LABELS

PLACE_FOLDER = "place"
PREVIEW_NAME = "preview.png"
PREVIEW_SIZE = (1200, 630)
# Long enough for a card's two or three lines; search engines cut descriptions near here.
DESCRIPTION_LIMIT = 300
# Titles longer than this are cut in search results and tabs (html-validate's long-title).
TITLE_LIMIT = 70
TITLE_TOPIC = "Facial recognition"


def site_base(site_url: str) -> str:
    """The static edition's address as a base for its pages ("https://x.org/frt/"), or ""
    when it is not set or not an http(s) address."""
    href = safe_href(site_url) if site_url else None
    if not href:
        return ""
    return href if href.endswith("/") else href + "/"


def place_page_name(place_id: str) -> str:
    """Where a place's own page is in the site: `place/ca-oakland.html` (ids are slugs)."""
    return f"{PLACE_FOLDER}/{place_id}.html"


def place_page_url(site_url: str, place_id: str) -> str:
    """The full address of a place's page, to share; "" when the site's address is unknown."""
    base = site_base(site_url)
    return base + place_page_name(place_id) if base else ""


@dataclass(frozen=True)
class Share:
    """A page's sharing tags. `page` is its path in the site ("place/ca-oakland.html");
    `site_url` the base from site_base ("" when unknown: no og:url, a relative image)."""

    title: str
    description: str
    page: str = "index.html"
    site_url: str = ""
    image_alt: str = ""
    image: bool = True
    index: bool = True
    site_name: str = TITLE
    image_width: int = PREVIEW_SIZE[0]
    image_height: int = PREVIEW_SIZE[1]

    @property
    def url(self) -> str:
        if not self.site_url:
            return ""
        return self.site_url + ("" if self.page == "index.html" else self.page)

    @property
    def image_url(self) -> str:
        if not self.image:
            return ""
        if self.site_url:
            return self.site_url + PREVIEW_NAME
        return "../" * self.page.count("/") + PREVIEW_NAME


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` cut at a word before `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def counts_words(counts: Mapping[str, int]) -> str:
    """'Banned: 24; Moratorium: 3; Still using: 20' for every fill a place has today."""
    return "; ".join(
        f"{label}: {counts[status]}"
        for status, _colour, label, _meaning in legend_rows()
        if status != NO_RECORD and counts.get(status, 0)
    )


def image_alt(on: date) -> str:
    return (
        "Map of the United States, each state, county and city coloured by its status on "
        f"{event_date(on.isoformat())}: bans, moratoria and reported use of facial recognition."
    )


def map_description(years: Sequence[int], counts: Mapping[str, int], on: date) -> str:
    """The map page's description: what it shows, over which years, and today's counts."""
    return shorten(
        "Where governments ban, pause or use facial recognition: U.S. states, counties and "
        f"cities year by year from {years[0]} to {years[-1]}, every status with its source. "
        f"On {event_date(on.isoformat())}: {counts_words(counts)}."
    )


def places_description(years: Sequence[int], places: int) -> str:
    return (
        f"Every place ({places}) and its facial recognition status in each year from "
        f"{years[0]} to {years[-1]}: the text version of the map."
    )


def quotes_description(quotes: int) -> str:
    return (
        f"{quotes} published quotes about banning government use of facial recognition, each "
        "with who said it, when, and its source."
    )


def place_status(place: Jurisdiction, state: PlaceState) -> str:
    """A place's status in words: its fill, or "Context" for a place kept for context."""
    return CONTEXT_LABEL if place.is_context else STATUS_LABELS[state.fill]


def place_title(place: Jurisdiction, state: PlaceState) -> str:
    """'Oakland, CA: Banned · Facial recognition', within TITLE_LIMIT characters."""
    status = "Context" if place.is_context else STATUS_LABELS[state.fill]
    return shorten(f"{place_label(place)}: {status} · {TITLE_TOPIC}", TITLE_LIMIT)


def place_description(place: Jurisdiction, state: PlaceState, on: date) -> str:
    """'Oakland, CA (City): Banned on 6 Dec 2025. In force: ... Open proposals: ... Use: ...'"""
    head = (
        f"{place_label(place)} ({LEVEL_LABELS[place.level]}): {place_status(place, state)} "
        f"on {event_date(on.isoformat())}."
    )
    return shorten(" ".join([head, *state_words(state)]))


def robots_txt(site_url: str) -> bytes:
    """Every crawler may read every page; the sitemap's address when the site's is known."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_xml(site_url: str, pages: Sequence[str], on: date) -> bytes:
    """The pages worth finding (the embed aside), by their full address."""
    urls = [site_url + ("" if page == "index.html" else page) for page in pages]
    return render("sitemap.xml", urls=urls, lastmod=on.isoformat()).encode("utf-8")
