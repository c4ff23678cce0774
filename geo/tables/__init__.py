"""Tables, filters and downloads for the companion pages (timeline, places, quotes, about).

Pure functions: no Streamlit. The pages arrange widgets and call these; the tests call them
directly. Dates in tables are ISO text (`2019-05-14`, or `2019-12` when the day is unknown), so
sorting a column sorts by time and a month-only date is never given a day it does not have.

`browse`: adoption by month, events, places, quotes and the chosen row; `downloads`: CSV and
status GeoJSON; `about`: the codebook, source counts and quality, tallies. Import every name
from `geo.tables`.
"""

from geo.tables.about import (
    CODEBOOK,
    TALLY_COLUMNS,
    SourceQuality,
    codebook_markdown,
    demote_headings,
    latest_event,
    source_counts,
    source_kind,
    source_quality,
    tallies_table,
)
from geo.tables.browse import (
    EVENT_COLUMNS,
    LINK_HOST,
    OTHER_SERIES,
    PLACE_COLUMNS,
    chart_scale,
    chart_statuses,
    contains,
    events_table,
    filter_events,
    filter_places,
    filter_quotes,
    first_month,
    level_options,
    monthly_frame,
    places_table,
    quote_place_options,
    quote_year_options,
    row_selection,
    shown_places,
    speaker_options,
    stance_options,
    state_options,
)

__all__ = [
    "CODEBOOK",
    "EVENT_COLUMNS",
    "LINK_HOST",
    "OTHER_SERIES",
    "PLACE_COLUMNS",
    "TALLY_COLUMNS",
    "SourceQuality",
    "chart_scale",
    "chart_statuses",
    "codebook_markdown",
    "contains",
    "demote_headings",
    "events_table",
    "filter_events",
    "filter_places",
    "filter_quotes",
    "first_month",
    "latest_event",
    "level_options",
    "monthly_frame",
    "places_table",
    "quote_place_options",
    "quote_year_options",
    "row_selection",
    "shown_places",
    "source_counts",
    "source_kind",
    "source_quality",
    "speaker_options",
    "stance_options",
    "state_options",
    "tallies_table",
]
