"""The preview image a shared link shows (og:image): the map today, 1200 by 630, drawn at build
time by geo.site.slides (the same drawing as the slides) with its own layout: the title, the
date, the map and the legend with today's counts; no marks and no source line."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from geo.present import event_date
from geo.records import Dataset
from geo.site.data import TITLE
from geo.site.share import PREVIEW_SIZE
from geo.site.slides import (  # noqa: F401 (the projection, re-exported for the tests)
    PLACES,
    Contents,
    Layout,
    picture,
    png_bytes,
    project,
    projector,
)

MAP_BOX = (36, 140, 866, 600)  # left, top, right, bottom
LEGEND_LEFT, LEGEND_TOP, LEGEND_ROW = 892, 168, 58
DOT_RADIUS = 6
PREVIEW_LAYOUT = Layout(
    size=PREVIEW_SIZE,
    map_box=MAP_BOX,
    title=(48, 34, 46),
    subtitle=(50, 94, 26),
    legend=(LEGEND_LEFT, LEGEND_TOP, LEGEND_ROW, 30, 24),
    dot_radius=DOT_RADIUS,
)


def preview_png(dataset: Dataset, geojson: bytes, fills: Mapping[str, str], on: date) -> bytes:
    """The preview image as PNG bytes. `fills` holds every place's fill on `on` (context
    places as no record); the legend counts the places that are not context."""
    counted = [fills[j.id] for j in dataset.jurisdictions if not j.is_context]
    counts = {status: counted.count(status) for status in set(counted)}
    subtitle = f"Status on {event_date(on.isoformat())} · {PLACES}"
    contents = Contents(TITLE, subtitle, fills, counts)
    return png_bytes(picture(dataset, geojson, PREVIEW_LAYOUT, contents))
