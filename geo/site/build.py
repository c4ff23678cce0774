"""One builder for the static site and the app's single-file "Download this map"."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.boundaries.parts import city_states
from geo.downloads import FILE_PREFIX, dataset_csvs
from geo.escape import safe_href
from geo.present import event_date, latest_event_date
from geo.records import Dataset
from geo.site import assets
from geo.site.assets import Asset, PageFiles
from geo.site.data import TITLE, first_paint, panel_text, site_data, year_dates
from geo.site.headers import headers_file
from geo.site.pages import (
    Download,
    Page,
    PageContext,
    document,
    map_values,
    places_values,
    quotes_values,
)
from geo.site.places import place_pages, today_fills
from geo.site.preview import preview_png
from geo.site.render import render
from geo.site.share import (
    PREVIEW_NAME,
    Share,
    image_alt,
    map_description,
    place_page_name,
    places_description,
    quotes_description,
    robots_txt,
    site_base,
    sitemap_xml,
)
from geo.site.slides import slide_files, source_line, take_away
from geo.timeline import snapshot

EMBED_WIDTH = 800
EMBED_HEIGHT = 500
EXAMPLE_SITE = "https://your-site.example"


@dataclass(frozen=True)
class SiteInput:
    """What a build needs: the data, the boundaries (GeoJSON from geo.boundaries, and the ids
    drawn as polygons), the status GeoJSON to offer for download, and the dates; the live
    app's address (FRT_PUBLIC_URL), the site's own (FRT_SITE_URL) and the correction form's
    (FRT_CORRECTION_URL), all optional."""

    dataset: Dataset
    geometry: bytes
    polygon_ids: frozenset[str]
    today: date
    status_geojson: bytes = b""
    public_url: str = ""
    site_url: str = ""
    correction_url: str = ""


def data_date(dataset: Dataset) -> str:
    latest = latest_event_date(dataset)
    return event_date(latest) if latest else "no events yet"


def map_files(
    data: Mapping[str, object],
    geometry: bytes,
    *,
    inline: bool,
    state_of: Mapping[str, str] | None = None,
) -> PageFiles:
    """Leaflet, the boundaries, the first paint's data and the page's script; Leaflet's and our
    styles. The panels' text is a file the script loads when first needed (its name is in the
    data), or, in the single-file export, one more inline script. The boundaries come in
    parts (geo.boundaries.parts: each state's cities a script loaded when the map is zoomed in
    over them, `state_of` saying each city's state), or whole in the export. The "Copy link"
    button's script only where the panel has one: the site, not the export (a file has no
    address)."""
    text = assets.text_js(panel_text(data))
    first = first_paint(data)
    if not inline:
        first = {**first, "textFile": text.name, "placePages": True}
    cities: list[Asset] = []
    if inline or state_of is None:
        shapes = assets.geometry_js(geometry)
    else:
        shapes, cities = assets.geometry_parts_js(geometry, state_of)
    scripts = (assets.leaflet_js(), shapes, assets.data_js(first))
    return PageFiles(
        scripts=(
            *scripts,
            *((text,) if inline else ()),
            assets.leaflet_around_js(),
            assets.draw_js(),
            assets.dom_js(),
            *(() if inline else (assets.copy_js(),)),
            assets.map_js(),
        ),
        styles=(assets.leaflet_css(), assets.site_css()),
        inline=inline,
        later=() if inline else (text, *cities),
    )


def map_page(
    site: SiteInput,
    dates: Mapping[int, date],
    year: int,
    context: PageContext,
    *,
    inline: bool = False,
    embed: bool = False,
) -> tuple[str, PageFiles]:
    """The map page (or the embed) opened at `year`, and the files it uses."""
    data = site_data(
        site.dataset,
        site.polygon_ids,
        dates,
        site.today,
        app_url=site.public_url,
        correction_form=site.correction_url,
    )
    files = map_files(
        data, site.geometry, inline=inline, state_of=city_states(site.dataset.jurisdictions)
    )
    shown = data["byYear"][str(year)]  # type: ignore[index]
    counts = {**shown["counts"], **shown["markCounts"]}
    years = sorted(dates)
    values = map_values(site.dataset, years, year, dates[year], counts, context)
    values["take"] = None if inline or embed else take_away(year)
    values["story"] = "" if embed else str(shown["story"])
    base = site_base(site.site_url)
    description = map_description(years, shown["counts"], dates[year])
    share = Share(
        f"{TITLE}: {year}",
        description,
        page="embed.html" if embed else "index.html",
        site_url=base,
        image_alt=image_alt(dates[year]),
        image=not inline or bool(base),
        index=not embed,
    )
    template, body_class = ("embed.html", "frt-embed") if embed else ("index.html", "frt-page")
    return document(Page(template, share, files, body_class, values)), files


def standalone_html(site: SiteInput, on: date, *, data_date_text: str) -> str:
    """The site's map page with its files inlined, opened at `on`: one file, fully offline."""
    dates = {**year_dates(site.dataset, site.today), on.year: on}
    context = PageContext(data_date=data_date_text, public_url=site.public_url, nav=False)
    page, _files = map_page(site, dates, on.year, context, inline=True)
    return page


def _downloads(site: SiteInput) -> tuple[list[Asset], list[Download]]:
    files, offered = [], []
    for name, body in dataset_csvs(site.dataset).items():
        stem = name.removesuffix(".csv")
        asset = Asset(stem, "csv", body)
        files.append(asset)
        saved = f"{FILE_PREFIX}-{stem}-{site.today.isoformat()}.csv"
        offered.append(Download(asset.name, saved, f"{stem.capitalize()} (CSV)"))
    if site.status_geojson:
        asset = Asset("status", "geojson", site.status_geojson)
        files.append(asset)
        saved = f"{FILE_PREFIX}-status-{site.today.isoformat()}.geojson"
        offered.append(Download(asset.name, saved, "Status today (GeoJSON)"))
    return files, offered


def text_pages(site: SiteInput, context: PageContext, files: PageFiles) -> dict[str, str]:
    """The places page and the quotes page: text only, no script."""
    dates = year_dates(site.dataset, site.today)
    years = sorted(dates)
    base = site_base(site.site_url)
    alt = image_alt(site.today)
    places = Share(
        f"{TITLE}: every place by year",
        places_description(years, len(site.dataset.jurisdictions)),
        page="places.html",
        site_url=base,
        image_alt=alt,
    )
    quotes = Share(
        f"{TITLE}: quotes",
        quotes_description(len(site.dataset.quotes)),
        page="quotes.html",
        site_url=base,
        image_alt=alt,
    )
    return {
        "places.html": document(
            Page(
                "places.html",
                places,
                files,
                "frt-text",
                places_values(site.dataset, dates, context),
            )
        ),
        "quotes.html": document(
            Page("quotes.html", quotes, files, "frt-text", quotes_values(site.dataset, context))
        ),
    }


def crawler_files(site: SiteInput, pages: list[str]) -> dict[str, bytes]:
    """robots.txt always; sitemap.xml when the site's address is known (FRT_SITE_URL)."""
    base = site_base(site.site_url)
    out = {"robots.txt": robots_txt(base)}
    if base:
        out["sitemap.xml"] = sitemap_xml(base, pages, site.today)
    return out


def site_pages(site: SiteInput) -> dict[str, bytes]:
    """Every file of the static site by name: the pages, a page per place, hashed files, the
    downloads, the preview image and the crawlers' files."""
    dates = year_dates(site.dataset, site.today)
    last = max(dates)
    download_files, offered = _downloads(site)
    context = PageContext(
        data_date(site.dataset), site.public_url, offered, correction_url=site.correction_url
    )
    index, files = map_page(site, dates, last, context)
    embed, embed_files = map_page(site, dates, last, context, embed=True)
    text_files = PageFiles(scripts=(), styles=(assets.site_css(),))
    # A place's page is text too, with one small script: its "Copy link" button.
    place_files = PageFiles(scripts=(assets.copy_js(),), styles=(assets.site_css(),))
    policies = {
        "index.html": files.csp(),
        "embed.html": embed_files.csp(),
        "places.html": text_files.csp(),
        "quotes.html": text_files.csp(),
        "place/*": place_files.csp(),
    }
    pages = {"index.html": index, "embed.html": embed, **text_pages(site, context, text_files)}
    pages |= place_pages(site.dataset, site.today, context, place_files, site_base(site.site_url))
    out = {name: page.encode("utf-8") for name, page in pages.items()}
    for asset in (*files.scripts, *files.styles, *files.later, *download_files):
        out[asset.name] = asset.body
    shot = snapshot(site.dataset, site.today)
    out[PREVIEW_NAME] = preview_png(
        site.dataset, site.geometry, today_fills(site.dataset, shot), site.today
    )
    source = source_line(site.dataset, site_base(site.site_url) or site.public_url)
    out |= slide_files(site.dataset, site.geometry, dates, TITLE, source)
    listed = ["index.html", "places.html", "quotes.html"]
    listed += [place_page_name(j.id) for j in site.dataset.jurisdictions]
    out |= crawler_files(site, listed)
    out[".nojekyll"] = b""  # GitHub Pages: serve the files as they are
    out["_headers"] = headers_file(policies)  # Netlify, Cloudflare Pages (geo.site.headers)
    return out


# A folder the build may replace holds a site built here before (these two files), or nothing.
SITE_MARKERS = ("index.html", ".nojekyll")


class OutputError(Exception):
    """The site could not be written where asked; the message says why, in one line."""


def replaceable(out: Path) -> bool:
    """True when `out` is absent, an empty folder, or a site this command built."""
    if not out.exists():
        return True
    if not out.is_dir() or out.is_symlink():
        return False
    return not any(out.iterdir()) or all((out / name).is_file() for name in SITE_MARKERS)


def _write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)  # place/<id>.html
        path.write_bytes(body)


def _swap_in(new: Path, out: Path) -> None:
    """Put the complete folder `new` at `out`; the old one goes only once the new one is in."""
    if not out.exists():
        new.replace(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    out.replace(old / "site")
    try:
        new.replace(out)
    except OSError:
        (old / "site").replace(out)  # put the old site back, then report
        raise
    shutil.rmtree(old)


def write_site(out: Path, site: SiteInput) -> list[Path]:
    """Write the site into a temporary folder beside `out`, then swap it in whole: a failed
    build leaves the previous site as it was. Returns the files written; `OutputError`
    when the folder cannot be written (read-only, full, not a folder, not a site)."""
    if not replaceable(out):
        raise OutputError(f"{out} is not empty and holds no site built here; choose another")
    files = site_pages(site)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    except OSError as error:
        raise OutputError(f"cannot write into {out.parent}: {error.strerror or error}") from None
    try:
        _write_files(work, files)
        work.chmod(0o755)  # mkdtemp makes it private; a site is meant to be served
        _swap_in(work, out)
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise OutputError(f"cannot write the site to {out}: {error.strerror or error}") from None
    return [out / name for name in files]


def embed_snippet(site_url: str = "") -> str:
    """The iframe a partner pastes into a page: the embed, 800 by 500.

    `site_url` is where the static edition is published; without a usable one, a placeholder
    address shows where it goes.
    """
    base = safe_href(site_url.rstrip("/") + "/embed.html") if site_url else None
    src = base or f"{EXAMPLE_SITE}/embed.html"
    return render("snippet.html", src=src, width=EMBED_WIDTH, height=EMBED_HEIGHT, title=TITLE)
