"""A small page per place (`place/<id>.html`): the link a reader shares for one place. It
unfolds into a card saying the place and its status today, and leads into the map at
`index.html#place=<id>` for the history, quotes and sources."""

from __future__ import annotations

from datetime import date

from geo.escape import safe_href
from geo.links import correction_url
from geo.present import event_date, place_label, state_words
from geo.records import Dataset, Jurisdiction
from geo.site.assets import PageFiles
from geo.site.pages import Page, PageContext, app_href, common, document
from geo.site.share import (
    Share,
    image_alt,
    place_description,
    place_page_name,
    place_status,
    place_title,
)
from geo.timeline import Snapshot, snapshot
from geo.vocabulary import LEVEL_LABELS, NO_RECORD


def today_fills(dataset: Dataset, shot: Snapshot) -> dict[str, str]:
    """Every place's fill on the snapshot's date; a context place is drawn as no record."""
    return {j.id: NO_RECORD if j.is_context else shot.fill(j.id) for j in dataset.jurisdictions}


def place_values(place: Jurisdiction, shot: Snapshot, context: PageContext) -> dict[str, object]:
    """One place's page: its name, level, status today in words, and the ways on."""
    state = shot.state(place.id)
    app = app_href(context)
    return {
        **common(context, ""),
        "today": event_date(shot.on.isoformat()),
        "place": {
            "id": place.id,
            "label": place_label(place),
            "level": LEVEL_LABELS[place.level],
            "fill": NO_RECORD if place.is_context else state.fill,
            "status": place_status(place, state),
            "words": state_words(state),
            "app": safe_href(f"{app}?place={place.id}") if app else None,
            "correction": correction_url(context.correction_url, place.id, place_label(place)),
        },
    }


def place_pages(
    dataset: Dataset, today: date, context: PageContext, files: PageFiles, site_url: str
) -> dict[str, str]:
    """Every place's page by its name in the site."""
    shot = snapshot(dataset, today)
    pages = {}
    for place in dataset.jurisdictions:
        state = shot.state(place.id)
        name = place_page_name(place.id)
        share = Share(
            place_title(place, state),
            place_description(place, state, today),
            page=name,
            site_url=site_url,
            image_alt=image_alt(today),
        )
        values = place_values(place, shot, context)
        pages[name] = document(Page("place.html", share, files, "frt-text", values, root="../"))
    return pages
