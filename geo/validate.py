"""Command-line validator: `python -m geo.validate [DATA_DIR]`.

Prints every problem as `path:line:column: field: reason` and exits 1, or prints one summary
line and exits 0. Without DATA_DIR it reads `FRT_DATA_DIR`, else `data/`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from geo.config import SettingsError, get_settings
from geo.records import check_dataset


def _label_root(data_dir: Path) -> Path | None:
    """Show paths as typed relative to the working folder, as an editor would open them."""
    cwd = Path.cwd()
    return cwd if data_dir.is_absolute() and data_dir.is_relative_to(cwd) else None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m geo.validate [DATA_DIR]", file=sys.stderr)
        return 2
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
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(dataset.summary_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
