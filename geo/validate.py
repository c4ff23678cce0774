"""Command-line validator: `python -m geo.validate [--format text|github] [DATA_DIR]`.

Prints every problem as `path:line:column: field: reason` and exits 1, or prints one summary
line and exits 0. Without DATA_DIR it reads `FRT_DATA_DIR`, else `data/`.

`--format github` prints each problem as a GitHub Actions workflow command instead,
`::error file=path,line=N,col=N::field: reason`, so a pull request shows it on the diff line.
Run it from the repository root, so the paths are the repository's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.config import SettingsError, get_settings
from geo.csvfile import Problem
from geo.records import check_dataset

FORMATS = ("text", "github")


def _label_root(data_dir: Path) -> Path | None:
    """Show paths as typed relative to the working folder, as an editor would open them."""
    cwd = Path.cwd()
    return cwd if data_dir.is_absolute() and data_dir.is_relative_to(cwd) else None


def _escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped, so data cannot start a command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: also `:` and `,`, which end a property."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """One problem as a GitHub Actions error annotation at its file, line and column."""
    where = (
        f"file={_escape_property(problem.path)},line={problem.line},col={problem.column},"
        "title=geo.validate"
    )
    return f"::error {where}::{_escape_data(f'{problem.field}: {problem.reason}')}"


def parser() -> argparse.ArgumentParser:
    """The command line: an optional data folder and the output format."""
    cli = argparse.ArgumentParser(
        prog="python -m geo.validate",
        description="Check the data files; print every problem as path:line:column: field: reason.",
    )
    cli.add_argument(
        "data_dir",
        nargs="?",
        metavar="DATA_DIR",
        help="the folder of CSV files (default: FRT_DATA_DIR, else data/)",
    )
    cli.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default) or github (workflow error annotations)",
    )
    return cli


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:  # argparse has printed the usage (or the help)
        return int(stop.code or 0)
    fmt = args.format
    try:
        data_dir = Path(args.data_dir) if args.data_dir else get_settings().data_dir
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not data_dir.is_dir():
        print(f"{data_dir}: not a folder", file=sys.stderr)
        return 1
    dataset, problems = check_dataset(data_dir, label_root=_label_root(data_dir))
    for problem in problems:
        print(github_annotation(problem) if fmt == "github" else problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(dataset.summary_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
