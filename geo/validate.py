"""Command-line validator: `python -m geo.validate [--format text|github] [DATA_DIR]`.

Prints every problem as `path:line:column: field: reason` and exits 1, or prints one summary
line and exits 0. Without DATA_DIR it reads `FRT_DATA_DIR`, else `data/`.

`--format github` prints each problem as a GitHub Actions workflow command instead,
`::error file=path,line=N,col=N::field: reason`, so a pull request shows it on the diff line.
Run it from the repository root, so the paths are the repository's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from geo.config import SettingsError, get_settings
from geo.csvfile import Problem
from geo.records import check_dataset

USAGE = "usage: python -m geo.validate [DATA_DIR]"
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


def _parse(args: list[str]) -> tuple[str, list[str]] | None:
    """(format, positional arguments), or None for arguments the command does not take."""
    fmt = "text"
    rest: list[str] = []
    items = iter(args)
    for arg in items:
        if arg == "--format":
            fmt = next(items, "")
        elif arg.startswith("--format="):
            fmt = arg.removeprefix("--format=")
        elif arg.startswith("-"):
            return None
        else:
            rest.append(arg)
    if fmt not in FORMATS or len(rest) > 1:
        return None
    return fmt, rest


def main(argv: list[str] | None = None) -> int:
    parsed = _parse(sys.argv[1:] if argv is None else argv)
    if parsed is None:
        print(USAGE, file=sys.stderr)
        return 2
    fmt, args = parsed
    try:
        data_dir = Path(args[0]) if args else get_settings().data_dir
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
