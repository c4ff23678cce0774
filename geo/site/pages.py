"""The HTML of the static pages; every text from data goes through geo.escape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from geo.drawing import hatch_pattern, mark_swatch
from geo.escape import html_text, safe_href, source_html
from geo.present import event_date, legend_marks, legend_rows, place_label
from geo.records import Dataset
from geo.site.assets import PageFiles
from geo.site.data import TITLE
from geo.timeline import snapshot
from geo.vocabulary import LEVEL_LABELS, NO_RECORD, STANCE_LABELS, STATUS_LABELS

NAV = (("index.html", "Map"), ("places.html", "Places by year"), ("quotes.html", "Quotes"))


@dataclass(frozen=True)
class Download:
    """A file offered for download: where it is, what to call it when saved, what it is."""

    href: str
    file_name: str
    label: str


@dataclass(frozen=True)
class PageContext:
    """What every page shows besides the map: the dates, the links, the downloads."""

    data_date: str
    public_url: str = ""
    downloads: Sequence[Download] = ()
    nav: bool = True


def document(title: str, body: str, files: PageFiles, *, body_class: str = "") -> str:
    """A whole page: charset, viewport, the content security policy, styles, then scripts."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html_text(files.csp())}">\n'
        f'<meta name="referrer" content="no-referrer">\n<title>{html_text(title)}</title>\n'
        f"{files.style_tags()}\n</head>\n"
        f'<body class="{html_text(body_class)}">\n{body}\n{files.script_tags()}\n</body>\n</html>\n'
    )


def _link(href: str, text: str, *, extra: str = "") -> str:
    return f'<a href="{html_text(href)}"{extra}>{html_text(text)}</a>'


def nav_html(context: PageContext, current: str) -> str:
    """Links between the pages, and to the live app when FRT_PUBLIC_URL is set."""
    if not context.nav:
        return ""
    items = [
        f'<li><a href="{href}" aria-current="page">{html_text(text)}</a></li>'
        if href == current
        else f"<li>{_link(href, text)}</li>"
        for href, text in NAV
    ]
    app = safe_href(context.public_url) if context.public_url else None
    if app:
        items.append(f"<li>{_link(app, 'Live app', extra=' id=frt-app-nav')}</li>")
    return f'<nav class="frt-nav" aria-label="Pages"><ul>{"".join(items)}</ul></nav>'


def app_line(context: PageContext) -> str:
    app = safe_href(context.public_url) if context.public_url else None
    if not app:
        return ""
    return f" Live app, sources and method: {_link(app, app)}."


LEGEND_HATCH_ID = "frt-legend-hatch"


def mark_swatch_html(mark: str) -> str:
    """A mark as the map draws it (geo.drawing.mark_swatch), as a small inline SVG."""
    defs = f"<defs>{hatch_pattern(LEGEND_HATCH_ID)}</defs>" if mark == "ban_proposal" else ""
    return (
        f'<svg class="frt-swatch frt-mark-swatch frt-mark-swatch-{html_text(mark)}" '
        'viewBox="0 0 16 16" aria-hidden="true" focusable="false">'
        f"{defs}{mark_swatch(mark, 0, 0, 16, LEGEND_HATCH_ID)}</svg>"
    )


def legend_html(counts: Mapping[str, int]) -> str:
    """A swatch, a word and a count for every fill, then a shape, a word and a count for every
    mark drawn on top (`counts` holds both, by key); the script updates the counts."""
    items = "".join(
        f'<li title="{html_text(meaning)}"><span class="frt-swatch s-{status}"></span>'
        f'{html_text(label)} (<span class="frt-count" data-status="{status}">'
        f"{counts.get(status, 0)}</span>)</li>"
        for status, _colour, label, meaning in legend_rows()
    )
    items += "".join(
        f'<li title="{html_text(meaning)}">{mark_swatch_html(mark)}'
        f'{html_text(label)} (<span class="frt-count" data-mark="{html_text(mark)}">'
        f"{counts.get(mark, 0)}</span>)</li>"
        for mark, label, meaning in legend_marks()
    )
    return f'<ul class="frt-legend" aria-label="Legend">{items}</ul>'


def downloads_html(context: PageContext) -> str:
    if not context.downloads:
        return ""
    items = "".join(
        f'<li><a href="{html_text(d.href)}" download="{html_text(d.file_name)}">'
        f"{html_text(d.label)}</a></li>"
        for d in context.downloads
    )
    return (
        '<section class="frt-more" id="downloads"><h2>Downloads</h2>'
        "<p>The exact validated records as CSV (UTF-8), and every jurisdiction with its status "
        f"today as GeoJSON.</p><ul>{items}</ul></section>"
    )


def _year_controls(years: Sequence[int], year: int, *, present: bool) -> str:
    toggle = (
        '<button id="frt-present" type="button" aria-pressed="false">Presentation view</button>'
        if present
        else ""
    )
    return (
        '<div class="frt-controls"><label for="frt-year">Year</label>'
        f'<input type="range" id="frt-year" min="{years[0]}" max="{years[-1]}" step="1" '
        f'value="{year}"><output id="frt-year-out" for="frt-year">{year}</output>'
        f'<button id="frt-play" type="button">Play</button>{toggle}</div>'
    )


def _place_select(dataset: Dataset, *, label: str = "Choose a place") -> str:
    """Every place by name: the keyboard's way to each panel (the map's shapes are for the
    mouse and touch; the map itself takes the arrow keys and + and - when focused)."""
    places = sorted(dataset.jurisdictions, key=lambda j: place_label(j).casefold())
    options = "".join(
        f'<option value="{html_text(j.id)}">{html_text(place_label(j))}</option>' for j in places
    )
    return (
        f'<label for="frt-place" class="frt-label">{html_text(label)}</label>'
        f'<select id="frt-place"><option value="">All places</option>{options}</select>'
    )


MAP_HELP = (
    "Click a place for its history, quotes and sources, or choose it from the list of places. "
    "With the keyboard: Tab to the map, then the arrow keys move it and + and - zoom."
)


def _map_region() -> str:
    return (
        '<div id="frt-map" class="frt-map" role="region" aria-label="Map of the United States" '
        'aria-describedby="frt-map-help"></div>'
    )


def index_body(
    dataset: Dataset,
    years: Sequence[int],
    year: int,
    on: date,
    counts: Mapping[str, int],
    context: PageContext,
    story: str = "",
) -> str:
    """The map page: header, year controls, the year's story (a polite live region: read out
    as the slider or Play moves on), map and legend, place panel, lists, downloads."""
    return (
        '<header class="frt-head">'
        f'<h1 id="frt-heading">{html_text(TITLE)}: {year}</h1>'
        f'<p>Status as of <span id="frt-asof">{html_text(event_date(on.isoformat()))}</span>. '
        f"Data up to {html_text(context.data_date)}.{app_line(context)}</p>"
        "<p>No record is not the same as not using. Boundaries: U.S. Census Bureau.</p>"
        f"{nav_html(context, 'index.html')}</header>"
        f"<main>{_year_controls(years, year, present=True)}"
        f'<p id="frt-story" class="frt-story" aria-live="polite">{html_text(story)}</p>'
        '<p id="frt-notice" class="frt-notice" role="status" hidden></p>'
        '<div class="frt-main"><div class="frt-mapcol">'
        f"{_map_region()}{legend_html(counts)}"
        f'<p class="frt-hint" id="frt-map-help">{html_text(MAP_HELP)} Text version: '
        '<a href="places.html">every place and its status in each year</a>.</p></div>'
        f'<aside class="frt-side" aria-label="The chosen place">{_place_select(dataset)}'
        '<section id="frt-panel" class="frt-panel" aria-live="polite">'
        "<p>Click a place on the map, or choose one above, for its history, quotes and "
        "sources.</p></section>"
        '<p><a id="frt-app" class="frt-app" hidden>Open this view in the live app</a></p>'
        "</aside></div>"
        '<section class="frt-more"><h2>National and international bodies</h2>'
        '<ul id="frt-abroad" class="frt-list"></ul></section>'
        '<section class="frt-more"><h2 id="frt-sources-title">Sources</h2>'
        '<ul id="frt-sources" class="frt-list"></ul></section>'
        f"{downloads_html(context)}</main>"
    )


def embed_body(dataset: Dataset, years: Sequence[int], year: int, counts: Mapping[str, int]) -> str:
    """The compact map for an iframe: a bar with the year and the places, the map with its
    legend inside, the help for keyboard and screen reader users below it."""
    return (
        '<main class="frt-embed-main"><div class="frt-bar">'
        f'<h1 id="frt-heading" class="frt-embed-title">{html_text(TITLE)}: {year}</h1>'
        f"{_year_controls(years, year, present=False)}"
        f'<div class="frt-embed-place">{_place_select(dataset, label="Place")}</div>'
        '<a id="frt-full" href="index.html" target="_blank" rel="noopener">Full map</a></div>'
        '<p id="frt-notice" class="frt-notice" role="status" hidden></p>'
        f'<div class="frt-mapwrap">{_map_region()}'
        f"{legend_html(counts)}"
        '<section id="frt-panel" class="frt-panel frt-overlay" aria-live="polite" hidden>'
        "</section></div>"
        f'<p id="frt-map-help" class="frt-visually-hidden">{html_text(MAP_HELP)}</p></main>'
    )


def places_body(
    dataset: Dataset, dates: Mapping[int, date], context: PageContext, today: date
) -> str:
    """The text equivalent of the map: every place and its status in each year."""
    years = sorted(dates)
    by_year = {y: snapshot(dataset, dates[y]) for y in years}
    head = "".join(f'<th scope="col">{y}</th>' for y in years)
    rows = []
    for j in sorted(dataset.jurisdictions, key=lambda j: place_label(j).casefold()):
        cells = []
        for y in years:
            # A context place is never drawn: it reads "Context", as in the app's table.
            status = NO_RECORD if j.is_context else by_year[y].fill(j.id)
            label = "Context" if j.is_context else STATUS_LABELS[status]
            cells.append(f'<td><span class="frt-swatch s-{status}"></span>{html_text(label)}</td>')
        name = _link(f"index.html#place={j.id}", place_label(j))
        rows.append(
            f'<tr><th scope="row">{name}</th><td>{html_text(LEVEL_LABELS[j.level])}</td>'
            f"{''.join(cells)}</tr>"
        )
    last = dates[years[-1]]
    return (
        '<header class="frt-head"><h1>Every place and its status in each year</h1>'
        f"<p>A year stands for 31 December, or today ({html_text(event_date(last.isoformat()))})"
        f" for {years[-1]}. Data up to {html_text(context.data_date)}.{app_line(context)}</p>"
        f"{nav_html(context, 'places.html')}</header>"
        '<main><div class="frt-scroll"><table class="frt-table"><caption>Status by year '
        f'({len(dataset.jurisdictions)} places)</caption><thead><tr><th scope="col">Place</th>'
        f'<th scope="col">Level</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f"</div>{downloads_html(context)}</main>"
    )


def quotes_body(dataset: Dataset, context: PageContext) -> str:
    """Every quote: the exact words, who said them, where, when, the stance and the source."""
    items = []
    for q in sorted(dataset.quotes, key=lambda q: (q.when, q.id)):
        place = place_label(dataset.jurisdiction(q.jurisdiction_id))
        role = f", {html_text(q.role)}" if q.role else ""
        note = f'<p class="frt-note">{html_text(q.note)}</p>' if q.note else ""
        items.append(
            f'<li><blockquote class="frt-quote">{html_text(q.text)}</blockquote>'
            f"<p><strong>{html_text(q.speaker)}</strong>{role} · "
            f"{_link(f'index.html#place={q.jurisdiction_id}', place)} · "
            f"{html_text(event_date(q.date))} · <em>{html_text(STANCE_LABELS[q.stance])}</em>"
            f" · Source: {source_html(q.source_name, q.source_url, q.read_url)}</p>{note}</li>"
        )
    return (
        f'<header class="frt-head"><h1>Quotes ({len(dataset.quotes)})</h1>'
        f"<p>The exact published words, each with its source. Data up to "
        f"{html_text(context.data_date)}.{app_line(context)}</p>"
        f"{nav_html(context, 'quotes.html')}</header>"
        f'<main><ol class="frt-quotes">{"".join(items)}</ol></main>'
    )
