"""The static edition: `python -m geo.site build OUT/` writes the map as files any CDN serves."""

from __future__ import annotations

from geo.site.build import (
    SiteInput,
    embed_snippet,
    map_page,
    site_pages,
    standalone_html,
    write_site,
)
from geo.site.data import TITLE, site_data, year_dates

__all__ = [
    "TITLE",
    "SiteInput",
    "embed_snippet",
    "map_page",
    "site_data",
    "site_pages",
    "standalone_html",
    "write_site",
    "year_dates",
]
