"""The command line: `python -m geo.boundaries build` builds, caches and reports coverage;
`python -m geo.boundaries fetch DIR` downloads every Census place file of a vintage into DIR
(what CI and the tests use; geo.boundaries.registry)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from geo.boundaries.build import BUDGET_BYTES, BuildResult
from geo.boundaries.coverage import report_lines
from geo.boundaries.download import DOWNLOAD_TIMEOUT, fetch_place_files
from geo.boundaries.load import build
from geo.boundaries.registry import REGISTRY_YEAR, base_url, known_hashes
from geo.boundaries.sources import SourceError
from geo.config import SettingsError, get_settings
from geo.records import DataError, load_dataset


def summary_lines(result: BuildResult, budget: int = BUDGET_BYTES) -> list[str]:
    us = [c for c in result.coverage if c.outcome != "abroad"]
    drawn = sum(c.outcome == "polygon" for c in us)
    points = sum(c.outcome == "point" for c in us)
    missing = sum(c.outcome == "missing" for c in us)
    abroad = len(result.coverage) - len(us)
    within = "within" if result.size <= budget else "OVER"
    lines = [
        f"coverage: {drawn} of {len(us)} US jurisdictions have a polygon, {missing} missing, "
        f"{points} drawn as points by design; {abroad} outside the US not mapped",
        f"served GeoJSON: {result.size:,} bytes ({within} the {budget:,}-byte budget), "
        f"{result.vertices:,} vertices, {len(result.polygons)} jurisdiction features + "
        f"{len(result.outline)} outline states; geometries "
        f"{'all valid' if result.all_valid else 'NOT ALL VALID'}",
    ]
    if result.served_path is not None:
        lines.append(f"cache: {result.served_path}")
        lines.append(f"manifest: {result.manifest_path}")
    return lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.boundaries",
        description="Build the simplified boundaries the map serves, and report coverage.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser(
        "build",
        help="build from the sources and cache the result",
        description="Settings come from FRT_DATA_DIR, FRT_CENSUS_SOURCE, FRT_CENSUS_YEAR "
        "and FRT_CACHE_DIR.",
    )
    build_parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds to wait for a connection or a read "
        f"(default: FRT_CENSUS_TIMEOUT, else {DOWNLOAD_TIMEOUT:g})",
    )
    # The budget guards the real data's map; a synthetic dataset of thousands of places
    # (`python -m bench --scale`) is built to be measured, so it passes a larger one.
    build_parser.add_argument(
        "--budget",
        type=int,
        default=BUDGET_BYTES,
        help=f"the most bytes the served GeoJSON may have (default: {BUDGET_BYTES:,})",
    )
    fetch_parser = commands.add_parser(
        "fetch",
        help="download every Census place file of a vintage into a folder",
        description="Files already in DIR with the right checksum are kept.",
    )
    fetch_parser.add_argument("folder", metavar="DIR", type=Path)
    fetch_parser.add_argument("--year", type=int, default=REGISTRY_YEAR)
    fetch_parser.add_argument(
        "--source", default=None, help="a URL ending in / (default: the Census Bureau's)"
    )
    fetch_parser.add_argument("--timeout", type=float, default=DOWNLOAD_TIMEOUT)
    return parser


def fetch_command(args: argparse.Namespace) -> int:
    try:
        paths = fetch_place_files(
            args.folder,
            args.year,
            args.source or base_url(args.year),
            args.timeout,
            progress=lambda name: print(name, file=sys.stderr),
        )
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    checked = f"checked against census-{args.year}.sha256"
    if not known_hashes(args.year):
        checked = "no checksums for this vintage: verified as zips only"
    print(f"census: {len(paths)} place files in {args.folder} ({checked})")
    return 0


class TerminalBar:
    """pooch's progress bar protocol on a terminal: one line per download, rewritten in place."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0  # set by pooch: the announced length, 0 if none
        self.done = 0

    def update(self, n: int) -> None:
        self.done = min(self.done + n, self.total) if self.total else self.done + n
        if self.total:
            shown = f"{self.done / self.total:4.0%} of {self.total / 1e6:.1f} MB"
        else:
            shown = f"{self.done / 1e6:.1f} MB"
        self.stream.write(f"\r  {shown}")
        self.stream.flush()

    def reset(self) -> None:
        self.done = 0

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "fetch":
        return fetch_command(args)
    try:
        settings = get_settings()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        dataset = load_dataset(settings.data_dir)
    except DataError as error:
        print(error, file=sys.stderr)
        print(f"{settings.data_dir}: fix the data first (python -m geo.validate)", file=sys.stderr)
        return 1
    try:
        result = build(
            dataset,
            settings,
            timeout=args.timeout,
            progress=lambda message: print(message, file=sys.stderr),
            bar=TerminalBar(sys.stderr) if sys.stderr.isatty() else None,
        )
    except OSError as error:
        print(f"the cache in {settings.cache_dir} could not be written: {error}", file=sys.stderr)
        return 1
    print("\n".join(report_lines(result.coverage)))
    print()
    print("\n".join(summary_lines(result, args.budget)))
    for message in result.errors:
        print(f"error: {message}", file=sys.stderr)
    within_budget = result.size <= args.budget
    return 0 if result.complete and within_budget and result.all_valid else 1


if __name__ == "__main__":
    sys.exit(main())
