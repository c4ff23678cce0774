"""`python -m geo.site build OUT/`: build the static site from the data and the boundaries."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from geo import boundaries as geo_boundaries
from geo.config import Settings, SettingsError, get_settings
from geo.downloads import status_geojson
from geo.records import DataError, Dataset, load_dataset
from geo.site.build import OutputError, SiteInput, write_site


def site_input(dataset: Dataset, settings: Settings, today: date) -> SiteInput:
    """The boundaries (built when needed; markers where none can be), and today's GeoJSON."""
    boundaries = geo_boundaries.load_boundaries(
        dataset, settings, allow_build=True, progress=lambda m: print(m, file=sys.stderr)
    )
    for notice in boundaries.notices:
        print(f"notice: {notice}", file=sys.stderr)
    polygons = boundaries.polygons.to_crs(4326)
    shapes = dict(zip(polygons.index, polygons.geometry, strict=True))
    return SiteInput(
        dataset=dataset,
        geometry=boundaries.geojson,
        polygon_ids=boundaries.polygon_ids,
        today=today,
        status_geojson=status_geojson(dataset, today, shapes),
        public_url=settings.public_url,
        site_url=settings.site_url,
        correction_url=settings.correction_url,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.site", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write the static site into a folder")
    build.add_argument("out", type=Path, help="the folder to write (created if needed)")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
        dataset = load_dataset(settings.data_dir)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except DataError as error:
        print(f"error: the data in {settings.data_dir} has problems:", file=sys.stderr)
        for problem in error.problems[:50]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    try:
        written = write_site(args.out, site_input(dataset, settings, date.today()))
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    size = sum(path.stat().st_size for path in written)
    print(f"ok: {len(written)} files, {size:,} bytes in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
