"""Issue 22, sharing the static edition: each page's own title, description, Open Graph and
Twitter card tags; the preview image drawn at build time; a page per place; robots.txt and
sitemap.xml; quotes without research notes; the markup html-validate asked for. Every
expected value comes from the data's snapshot or the vocabulary, never typed in here."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from geo.drawing import US_BOUNDS
from geo.escape import html_text
from geo.links import correction_url
from geo.present import legend_rows, place_label
from geo.site import SiteInput, site_pages
from geo.site.assets import read_data_js
from geo.site.preview import (
    DOT_RADIUS,
    LEGEND_LEFT,
    LEGEND_ROW,
    LEGEND_TOP,
    MAP_BOX,
    PREVIEW_SIZE,
    project,
    projector,
)
from geo.site.share import PREVIEW_NAME, TITLE_LIMIT, place_page_name, place_page_url, site_base
from geo.timeline import snapshot
from geo.vocabulary import CAVEAT_SENTENCES, NO_RECORD, STATUS_COLOURS, STATUS_LABELS
from tests.support.data import real
from tests.support.site import build_census_site

SITE_URL = "https://maps.example.org/frt"  # FRT_SITE_URL, without its final slash
BASE = SITE_URL + "/"
APP_URL = "https://frt.example.org/"
FORM = "https://github.com/example/frt-map/issues/new?template=correct-or-add-a-record.yml"
EMPTY = b'{"type":"FeatureCollection","features":[]}'
PAGES = ("index.html", "embed.html", "places.html", "quotes.html")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the project's data, built by the command, with both addresses set."""
    settings = {"FRT_PUBLIC_URL": APP_URL, "FRT_SITE_URL": SITE_URL, "FRT_CORRECTION_URL": FORM}
    return build_census_site(tmp_path_factory, "share", settings)


def tags(page: str) -> dict[str, list[str]]:
    """Every <meta name|property=... content=...> and the title, unescaped, by key."""
    found: dict[str, list[str]] = {}
    for key, value in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', page):
        found.setdefault(key, []).append(html.unescape(value))
    found["title"] = [html.unescape(t) for t in re.findall(r"<title>([^<]*)</title>", page)]
    found["canonical"] = re.findall(r'<link rel="canonical" href="([^"]+)">', page)
    return found


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def every_page(folder: Path) -> list[str]:
    return [*PAGES, *(place_page_name(j.id) for j in real().jurisdictions)]


# --- titles, descriptions, cards ---------------------------------------------------------------


def test_every_page_has_its_own_title_description_and_card(built: Path) -> None:
    titles = {}
    for name in every_page(built):
        found = tags(read(built, name))
        (title,) = found["title"]
        (description,) = found["description"]
        assert title and description, name
        assert len(title) <= TITLE_LIMIT, (name, title)
        assert found["og:title"] == [title] and found["twitter:title"] == [title], name
        assert found["og:description"] == [description] == found["twitter:description"], name
        assert found["og:type"] == ["website"], name
        assert found["og:image"] == [BASE + PREVIEW_NAME] == found["twitter:image"], name
        assert found["og:image:width"] == [str(PREVIEW_SIZE[0])], name
        assert found["og:image:height"] == [str(PREVIEW_SIZE[1])], name
        assert found["og:image:alt"][0], name
        assert found["twitter:card"] == ["summary_large_image"], name
        url = BASE + ("" if name == "index.html" else name)
        assert found["og:url"] == [url] and found["canonical"] == [url], name
        titles[name] = title
    distinct = {t for n, t in titles.items() if n != "embed.html"}
    assert len(distinct) == len(titles) - 1  # the embed is the map page in small
    assert tags(read(built, "embed.html"))["robots"] == ["noindex"]
    assert "robots" not in tags(read(built, "index.html"))


def test_the_map_page_s_description_gives_today_s_counts(built: Path) -> None:
    (description,) = tags(read(built, "index.html"))["description"]
    counts = snapshot(real(), date.today()).counts()
    for status, _colour, label, _meaning in legend_rows():
        if status != NO_RECORD and counts[status]:
            assert f"{label}: {counts[status]}" in description, (status, description)


def test_without_the_site_s_address_the_card_has_no_url_and_a_relative_image() -> None:
    files = site_pages(SiteInput(real(), EMPTY, frozenset(), date.today()))
    for name in (*PAGES, place_page_name(real().jurisdictions[0].id)):
        found = tags(files[name].decode("utf-8"))
        assert "og:url" not in found and found["canonical"] == [], name
        depth = name.count("/")
        assert found["og:image"] == ["../" * depth + PREVIEW_NAME], name
    assert "sitemap.xml" not in files
    assert files["robots.txt"].decode("utf-8") == "User-agent: *\nAllow: /\n"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/", "not a url"])
def test_a_site_address_that_is_not_http_is_ignored(url: str) -> None:
    assert site_base(url) == ""
    assert place_page_url(url, "ca-oakland") == ""


def test_a_place_s_address_to_share() -> None:
    for url in (SITE_URL, BASE):
        assert place_page_url(url, "ca-oakland") == BASE + "place/ca-oakland.html"


# --- the preview image --------------------------------------------------------------------------


def test_the_preview_is_a_1200_by_630_png_of_today_s_fills(built: Path) -> None:
    image = Image.open(io.BytesIO((built / PREVIEW_NAME).read_bytes())).convert("RGB")
    assert image.size == PREVIEW_SIZE

    def hex_of(xy: tuple[int, int]) -> str:
        return "#" + "".join(f"{c:02X}" for c in image.getpixel(xy))

    # The legend: a swatch of each fill, in legend order, in its exact colour.
    for n, (_status, colour, _label, _meaning) in enumerate(legend_rows()):
        assert hex_of((LEGEND_LEFT + 15, LEGEND_TOP + n * LEGEND_ROW + 15)) == colour, n
    # Each state drawn as a shape, at its point: the colour of its fill today (unless a
    # city's dot is drawn over that point).
    shot = snapshot(real(), date.today())
    fit = projector(MAP_BOX)
    dots = [
        project(j.lon, j.lat, fit)
        for j in real().jurisdictions
        if j.on_map and j.level != "state" and j.lat is not None and j.lon is not None
    ]
    (south, west), (north, east) = US_BOUNDS
    checked = 0
    for state in real().jurisdictions:
        if state.level != "state" or not state.on_map or state.lat is None or state.lon is None:
            continue
        if not (south < state.lat < north and west < state.lon < east):
            continue
        x, y = project(state.lon, state.lat, fit)
        if any(abs(x - dx) < DOT_RADIUS + 4 and abs(y - dy) < DOT_RADIUS + 4 for dx, dy in dots):
            continue
        assert hex_of((round(x), round(y))) == STATUS_COLOURS[shot.fill(state.id)], state.id
        checked += 1
    assert checked >= 5


# --- a page per place ----------------------------------------------------------------------------


def test_every_place_has_a_small_page_that_leads_into_the_map(built: Path) -> None:
    shot = snapshot(real(), date.today())
    (copy_name,) = [p.name for p in built.glob("copy.*.js")]
    sizes = []
    for place in real().jurisdictions:
        name = place_page_name(place.id)
        page = read(built, name)
        sizes.append(len(page.encode("utf-8")))
        status = "Context" if place.is_context else STATUS_LABELS[shot.fill(place.id)]
        (title,) = tags(page)["title"]
        assert title.startswith(f"{place_label(place)}: {status}") or len(title) == TITLE_LIMIT
        (description,) = tags(page)["description"]
        assert description.startswith(place_label(place)), description
        assert f'<a href="../index.html#place={place.id}">' in page
        assert f'href="{APP_URL}?place={place.id}"' in page
        assert '<link rel="stylesheet" href="../site.' in page
        # One script, the "Copy link" button's, from a file (the policy allows no other).
        assert re.findall(r"<script[^>]*>", page) == [f'<script src="../{copy_name}">']
        assert "script-src &#x27;self&#x27;" in page
        assert (
            f'<div class="frt-copy-slot" data-frt-copy="Link to {html_text(place_label(place))}">'
            in page
        )
    print(f"{len(sizes)} place pages: {sum(sizes):,} bytes, largest {max(sizes):,}")
    assert max(sizes) < 8_000


def test_every_place_page_and_panel_links_the_correction_form(built: Path) -> None:
    """Issue 22: with FRT_CORRECTION_URL set, each place's page and its panel on the map (the
    panels' text file) link the issue form with the place filled in."""
    (text_name,) = [p.name for p in built.glob("text.*.js")]
    text = read_data_js((built / text_name).read_bytes(), "frtText")
    for n, place in enumerate(real().jurisdictions):
        label = place_label(place)
        url = correction_url(FORM, place.id, label)
        assert url and url.startswith(FORM + "&title=Data%3A%20")
        assert text["corrections"][n] == url  # type: ignore[index]
        page = read(built, place_page_name(place.id))
        assert (
            f'<p class="frt-fix">Something wrong or missing? <a href="{html_text(url)}" '
            f'rel="noopener noreferrer">Suggest a correction to {html_text(label)}</a></p>'
        ) in page


def test_the_headers_give_the_place_pages_their_own_policy(built: Path) -> None:
    """The place pages' policy in `_headers` is the one in their <meta>: their own script
    (the "Copy link" button), no other, never framed."""
    headers = read(built, "_headers")
    (meta,) = re.findall(
        r'http-equiv="Content-Security-Policy" content="([^"]+)"',
        read(built, place_page_name(real().jurisdictions[0].id)),
    )
    policy = html.unescape(meta)
    assert policy.startswith("default-src 'none'; script-src 'self'; style-src 'self';")
    assert f"/place/*\n  Content-Security-Policy: {policy}; frame-ancestors 'none'\n" in headers


# --- crawlers ------------------------------------------------------------------------------------


def test_robots_txt_allows_all_and_names_the_sitemap(built: Path) -> None:
    assert read(built, "robots.txt") == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"


def test_the_sitemap_lists_the_pages_and_every_place_but_not_the_embed(built: Path) -> None:
    root = ET.fromstring((built / "sitemap.xml").read_bytes())  # noqa: S314 (built here)
    space = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in root.findall("s:url/s:loc", space)]
    expected = [BASE, BASE + "places.html", BASE + "quotes.html"]
    expected += [BASE + place_page_name(j.id) for j in real().jurisdictions]
    assert locs == expected
    assert {e.text for e in root.findall("s:url/s:lastmod", space)} == {date.today().isoformat()}


# --- quotes: a caveat in words, no research notes ------------------------------------------------


def test_quotes_show_their_caveat_in_words_and_no_research_notes(built: Path) -> None:
    """Issue 22: the quotes page and the map's panels say each quote's caveat in sentences,
    never "Confidence: Low"; the research notes stay in the downloads."""
    page = read(built, "quotes.html")
    shown = re.findall(r'<p class="frt-caveat">([^<]+)</p>', page)
    ordered = sorted(real().quotes, key=lambda q: (q.when, q.id))
    expected = [
        html_text(" ".join(CAVEAT_SENTENCES[c] for c in q.caveats)) for q in ordered if q.caveat
    ]
    assert len(expected) >= 30 and shown == expected
    assert "Confidence" not in page and "frt-confidence" not in page
    (text_name,) = [p.name for p in built.glob("text.*.js")]
    panels = read(built, text_name)
    text = read_data_js((built / text_name).read_bytes(), "frtText")
    assert [q["caveat"] for q in text["quotes"]] == [  # type: ignore[index]
        " ".join(CAVEAT_SENTENCES[c] for c in q.caveats) for q in ordered
    ]
    assert all("confidence" not in q for q in text["quotes"])  # type: ignore[index]
    elsewhere = {e.note for e in real().events} | {j.note for j in real().jurisdictions}
    notes = {q.note for q in real().quotes if q.note} - elsewhere
    assert notes, "the data should hold research notes on quotes"
    for note in notes:
        assert html_text(note) not in page and note not in panels, note
    (csv_name,) = [p.name for p in built.glob("quotes.*.csv")]
    rows = list(csv.DictReader(io.StringIO(read(built, csv_name), newline="")))
    assert notes <= {row["note"] for row in rows}  # still in the download
    # The download keeps the confidence and the note, and adds the caveat as written.
    assert [(r["id"], r["confidence"], r["caveat"]) for r in rows] == [
        (q.id, q.confidence, q.caveat) for q in real().quotes
    ]


# --- html-validate's findings ----------------------------------------------------------------


HTML_VALIDATE = (
    Path(__file__).resolve().parent / "tools" / "node_modules" / ".bin" / "html-validate"
)


def html_validate(files: list[Path]) -> list[str]:
    """html-validate (tests/tools, its recommended rules) on `files`: 'file:line:col rule
    message' per error or warning."""
    assert HTML_VALIDATE.exists(), "html-validate is missing: run `make browser-deps`"
    done = subprocess.run(
        [str(HTML_VALIDATE), "--formatter", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    reports = json.loads(done.stdout or "[]")
    found = [
        f"{r['filePath']}:{m['line']}:{m['column']} {m['ruleId']} {m['message']}"
        for r in reports
        for m in r["messages"]
    ]
    assert found or done.returncode == 0, done.stderr
    return found


@pytest.mark.server  # a Node process
def test_html_validate_finds_nothing_on_any_page(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= len(every_page(built)), pages
    assert html_validate(pages) == []


@pytest.mark.server
def test_html_validate_reports_a_broken_page(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        '<body><p id="a">x</p><p id="a">y</p></body></html>',
        encoding="utf-8",
    )
    assert any(" no-dup-id " in line for line in html_validate([page]))


def test_the_markup_html_validate_asked_for(built: Path) -> None:
    for name in every_page(built):
        page = read(built, name)
        assert page.startswith("<!DOCTYPE html>\n"), name
        assert 'role="region"' not in page, name  # a <section aria-label> is the landmark
        assert not re.search(r"<(ul|ol)\b[^>]*aria-label", page), name
    index = read(built, "index.html")
    assert '<section id="frt-map" class="frt-map" aria-label="Map of the United States"' in index
    assert '<section class="frt-legend-box" aria-label="Legend"><ul class="frt-legend">' in index
    assert '<ul class="frt-downloads">' in index
