"""The static pages: what each template (geo/site/templates) is given. No HTML is built here:
the templates hold the markup and escape every value (geo.site.render)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from geo.drawing import hatch_pattern_shapes, mark_shapes
from geo.escape import safe_href
from geo.present import event_date, legend_marks, legend_rows, place_label, quote_caveat
from geo.records import Dataset
from geo.site.assets import PageFiles
from geo.site.data import TITLE, source
from geo.site.render import render
from geo.site.share import Share
from geo.timeline import snapshot
from geo.vocabulary import LEVEL_LABELS, NO_RECORD, STANCE_LABELS, STATUS_LABELS

NAV = (("index.html", "Map"), ("places.html", "Places by year"), ("quotes.html", "Quotes"))
LEGEND_HATCH_ID = "frt-legend-hatch"
MAP_HELP = (
    "Click a place for its history, quotes and sources, or choose it from the list of places. "
    "With the keyboard: Tab to the map, then the arrow keys move it and + and - zoom."
)


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
    correction_url: str = ""  # FRT_CORRECTION_URL: the issue form, or "" for no such link


@dataclass(frozen=True)
class Page:
    """One page to render: its template, its sharing tags, its files and its values.
    `root` leads from the page's folder to the site's ("" or "../")."""

    template: str
    share: Share
    files: PageFiles
    body_class: str
    values: Mapping[str, object]
    root: str = ""


def document(page: Page) -> str:
    """The whole page, from its template."""
    return render(
        page.template,
        share=page.share,
        files=page.files,
        body_class=page.body_class,
        root=page.root,
        **page.values,
    )


def app_href(context: PageContext) -> str | None:
    """The live app's address (FRT_PUBLIC_URL) when it is an http(s) link, else None."""
    return safe_href(context.public_url) if context.public_url else None


def nav_items(context: PageContext, current: str) -> list[dict[str, object]]:
    """Links between the pages (none in the single-file export)."""
    if not context.nav:
        return []
    return [{"href": href, "text": text, "current": href == current} for href, text in NAV]


def common(context: PageContext, current: str) -> dict[str, object]:
    """What the header and the foot of every page read."""
    return {
        "title": TITLE,
        "data_date": context.data_date,
        "app": app_href(context),
        "nav": nav_items(context, current),
        "downloads": list(context.downloads),
    }


def legend(counts: Mapping[str, int]) -> dict[str, list[dict[str, object]]]:
    """A swatch, a word and a count for every fill, then every mark drawn on top of them, each
    with its shapes as the map draws it (geo.drawing.mark_shapes)."""
    fills: list[dict[str, object]] = [
        {"key": s, "label": label, "meaning": meaning, "count": counts.get(s, 0)}
        for s, _colour, label, meaning in legend_rows()
    ]
    pattern, stripe = hatch_pattern_shapes(LEGEND_HATCH_ID)
    marks: list[dict[str, object]] = [
        {
            "key": mark,
            "label": label,
            "meaning": meaning,
            "count": counts.get(mark, 0),
            "pattern": pattern if mark == "ban_proposal" else None,
            "stripe": stripe,
            "shapes": mark_shapes(mark, 0, 0, 16, LEGEND_HATCH_ID),
        }
        for mark, label, meaning in legend_marks()
    ]
    return {"fills": fills, "marks": marks}


def place_options(dataset: Dataset) -> list[dict[str, str]]:
    """Every place by its label, in the order a person scans a list."""
    places = sorted(dataset.jurisdictions, key=lambda j: place_label(j).casefold())
    return [{"id": j.id, "label": place_label(j)} for j in places]


def map_values(
    dataset: Dataset,
    years: Sequence[int],
    year: int,
    on: date,
    counts: Mapping[str, int],
    context: PageContext,
) -> dict[str, object]:
    """The map page's (and the embed's) values."""
    return {
        **common(context, "index.html"),
        "years": list(years),
        "year": year,
        "as_of": event_date(on.isoformat()),
        "legend": legend(counts),
        "places": place_options(dataset),
        "map_help": MAP_HELP,
    }


def places_values(
    dataset: Dataset, dates: Mapping[int, date], context: PageContext
) -> dict[str, object]:
    """Every place and its status in each year (a context place reads "Context", as in the
    app's table, and is never drawn). The newest year comes first: today's column is in view
    beside the names on a phone, with no script to scroll the table."""
    years = sorted(dates, reverse=True)
    by_year = {y: snapshot(dataset, dates[y]) for y in years}
    rows = []
    for j in sorted(dataset.jurisdictions, key=lambda j: place_label(j).casefold()):
        cells = []
        for y in years:
            status = NO_RECORD if j.is_context else by_year[y].fill(j.id)
            label = "Context" if j.is_context else STATUS_LABELS[status]
            cells.append({"status": status, "label": label})
        rows.append(
            {"id": j.id, "label": place_label(j), "level": LEVEL_LABELS[j.level], "cells": cells}
        )
    return {
        **common(context, "places.html"),
        "years": years,
        "today": event_date(dates[years[0]].isoformat()),
        "rows": rows,
    }


def quotes_values(dataset: Dataset, context: PageContext) -> dict[str, object]:
    """Every quote: the exact words, who said them, where, when, the stance, the source and its
    caveat in plain sentences (the research notes stay in the data and the downloads)."""
    quotes = [
        {
            "text": q.text,
            "speaker": q.speaker,
            "role": q.role,
            "place_id": q.jurisdiction_id,
            "place": place_label(dataset.jurisdiction(q.jurisdiction_id)),
            "date": event_date(q.date),
            "stance": STANCE_LABELS[q.stance],
            "source": source(q.source_name, q.source_url, q.read_url),
            "caveat": quote_caveat(q),
        }
        for q in sorted(dataset.quotes, key=lambda q: (q.when, q.id))
    ]
    return {**common(context, "quotes.html"), "quotes": quotes}
