"""Issue 22: slides to take away (a 1920x1080 PNG of every year, the story as a GIF), the
print stylesheet and the places table newest year first. Expected values come from the
snapshot, the vocabulary and the layout, never typed in here."""

from __future__ import annotations

import functools
import html
import io
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageSequence

from geo.drawing import US_BOUNDS
from geo.present import legend_rows
from geo.site.data import TITLE, year_dates
from geo.site.slides import (
    FRAME_MS,
    LAST_FRAME_MS,
    SLIDE_SIZE,
    STORY_NAME,
    STORY_SIZE,
    legend_lines,
    project,
    projector,
    slide_layout,
    slide_name,
    source_line,
    year_contents,
)
from geo.timeline import snapshot
from geo.vocabulary import MARK_LABELS, STATUS_COLOURS, STATUS_LABELS
from tests.support.data import real
from tests.support.site import build_census_site

TODAY = date.today()


@functools.cache
def dates() -> dict[int, date]:
    """Every year of the slider and the date it stands for (loaded on first use)."""
    return year_dates(real(), TODAY)


SITE_URL = "https://maps.example.org/frt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_census_site(tmp_path_factory, "slides", {"FRT_SITE_URL": SITE_URL})


def hex_at(image: Image.Image, xy: tuple[float, float]) -> str:
    pixel = image.getpixel((round(xy[0]), round(xy[1])))
    return "#" + "".join(f"{c:02X}" for c in pixel)


def legend_swatches_ok(image: Image.Image) -> None:
    """Each fill's swatch, in legend order, in its exact colour, where the layout puts it."""
    left, top, row, swatch, _size = slide_layout(image.size).legend
    for n, (_status, colour, _label, _meaning) in enumerate(legend_rows()):
        assert hex_at(image, (left + swatch / 2, top + n * row + swatch / 2)) == colour, n


def test_every_year_has_a_slide_of_1920_by_1080(built: Path) -> None:
    sizes = {}
    for year in dates():
        body = (built / slide_name(year)).read_bytes()
        sizes[year] = len(body)
        image = Image.open(io.BytesIO(body)).convert("RGB")
        assert image.size == SLIDE_SIZE
        legend_swatches_ok(image)
    print("slides:", sizes)
    assert max(sizes.values()) < 250_000


def test_a_slide_s_states_are_their_fills_that_year(built: Path) -> None:
    year = min(dates()) + 1
    image = Image.open(built / slide_name(year)).convert("RGB")
    shot = snapshot(real(), dates()[year])
    layout = slide_layout(SLIDE_SIZE)
    fit = projector(layout.map_box)
    dots = [
        project(j.lon, j.lat, fit)
        for j in real().jurisdictions
        if j.on_map and j.level != "state" and j.lat is not None and j.lon is not None
    ]
    (south, west), (north, east) = US_BOUNDS
    near = layout.dot_radius * 3 + 6  # a dot, or a triangle above one
    checked = 0
    for state in real().jurisdictions:
        if state.level != "state" or not state.on_map or state.lat is None or state.lon is None:
            continue
        if (
            not (south < state.lat < north and west < state.lon < east)
            or shot.state(state.id).marks
        ):
            continue
        x, y = project(state.lon, state.lat, fit)
        if any(abs(x - dx) < near and abs(y - dy) < near for dx, dy in dots):
            continue
        assert hex_at(image, (x, y)) == STATUS_COLOURS[shot.fill(state.id)], state.id
        checked += 1
    assert checked >= 5


def test_a_slide_s_legend_counts_every_fill_and_every_mark() -> None:
    shot = snapshot(real(), dates()[max(dates())])
    lines = legend_lines(year_contents(real(), shot, TITLE, ""))
    counts, marks = shot.counts(), shot.mark_counts()
    expected = [(s, f"{label}: {counts[s]}") for s, _c, label, _m in legend_rows()]
    expected += [(m, f"{MARK_LABELS[m]}: {marks[m]}") for m in MARK_LABELS]
    assert lines == expected


def test_the_source_line_names_the_events_and_where_their_sources_are() -> None:
    line = source_line(real(), SITE_URL + "/")
    assert f"{len(real().events)} dated events" in line and SITE_URL in line
    assert "Boundaries: U.S. Census Bureau." in line
    assert "the Sources list of this map" in source_line(real(), "")


def test_the_story_is_a_gif_of_every_year_end_then_today(built: Path) -> None:
    body = (built / STORY_NAME).read_bytes()
    print(f"story.gif: {len(body):,} bytes")
    gif = Image.open(io.BytesIO(body))
    assert gif.size == STORY_SIZE
    durations, last = [], None
    for frame in ImageSequence.Iterator(gif):
        durations.append(frame.info["duration"])
        last = frame.convert("RGB")
    assert durations == [FRAME_MS] * (len(dates()) - 1) + [LAST_FRAME_MS]
    assert last is not None
    legend_swatches_ok(last)
    assert len(body) < 1_000_000


def test_the_map_page_offers_the_year_s_slide_and_the_story(built: Path) -> None:
    index = (built / "index.html").read_text(encoding="utf-8")
    last = max(dates())
    assert f'href="{slide_name(last)}" download="frt-map-{last}.png"' in index
    assert f'href="{STORY_NAME}" download="frt-map-story.gif"' in index
    assert "frt-slide" not in (built / "embed.html").read_text(encoding="utf-8")


def test_printing_hides_the_controls_and_keeps_the_map_and_legend(built: Path) -> None:
    css = next(built.glob("site.*.css")).read_text(encoding="utf-8")
    rule = css.split("@media print", 1)[1]
    hidden = rule.split("display: none", 1)[0]
    for selector in (".frt-controls", ".frt-side", ".frt-more", ".frt-take", "button"):
        assert selector in hidden, selector
    assert ".frt-legend" not in hidden and ".frt-map" not in hidden


def test_the_places_table_puts_the_newest_year_first(built: Path) -> None:
    places = (built / "places.html").read_text(encoding="utf-8")
    years = [int(y) for y in re.findall(r'<th scope="col">(\d{4})</th>', places)]
    assert years == sorted(dates(), reverse=True)
    shot = snapshot(real(), TODAY)
    for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", places)[:10]:
        place = real().jurisdiction(re.search(r"#place=([^\"]+)\"", row).group(1))
        today = re.findall(r"</span>([^<]+)</td>", row)[0]
        expected = "Context" if place.is_context else STATUS_LABELS[shot.fill(place.id)]
        assert html.unescape(today) == expected, place.id
