"""A standalone HTML map: one file that opens offline in any browser.

It is the static site's map page (geo.site) with its files inlined: Leaflet's script and
styles, the boundaries, the data of every year and the page's script. It opens at the
chosen date, and its year slider still reaches every other year. Every text from data goes
through geo.escape (HTML text, http(s)-only links, JSON for scripts).
"""

from __future__ import annotations

from datetime import date

from geo.records import Dataset
from geo.site.build import SiteInput
from geo.site.build import standalone_html as site_standalone_html
from geo.site.data import TITLE

__all__ = ["TITLE", "standalone_html"]


def standalone_html(
    dataset: Dataset,
    geojson: bytes,
    polygon_ids: frozenset[str],
    on: date,
    *,
    data_date: str,
    sources_url: str = "",
    today: date | None = None,
) -> str:
    """The whole map as a single HTML document, opened at `on`."""
    site = SiteInput(
        dataset=dataset,
        geometry=geojson,
        polygon_ids=polygon_ids,
        today=max(today or date.today(), on),
        public_url=sources_url,
    )
    return site_standalone_html(site, on, data_date_text=data_date)
