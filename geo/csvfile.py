"""Read a CSV file into rows that remember where each field stands in the file.

The `csv` module parses; this module adds, for every field, the line and column a person
sees in an editor (1-based, counting characters), so that every validation error can point
at `path:line:column`. Nothing is skipped or padded: a ragged row, an undecodable byte or
broken quoting is reported as a `Problem`, and the caller decides what it means.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, at a place a person can open in an editor."""

    path: str
    line: int
    column: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class Cell:
    value: str
    line: int
    column: int


@dataclass(frozen=True)
class Row:
    """One data record: its cells by column name, and where the record starts."""

    line: int
    cells: dict[str, Cell]
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Table:
    path: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    problems: tuple[Problem, ...]
    header_columns: tuple[int, ...] = ()


def _field_starts(record_text: str) -> list[int]:
    """Offsets at which each field of one CSV record starts (the `csv` module's dialect)."""
    starts = [0]
    in_quotes = False
    at_field_start = True
    i = 0
    while i < len(record_text):
        ch = record_text[i]
        if in_quotes:
            if ch == '"':
                if record_text[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    in_quotes = False
        elif ch == '"' and at_field_start:
            in_quotes = True
        elif ch == ",":
            starts.append(i + 1)
            at_field_start = True
            i += 1
            continue
        at_field_start = False
        i += 1
    return starts


def _line_col(record_text: str, offset: int, first_line: int) -> tuple[int, int]:
    before = record_text[:offset]
    newlines = before.count("\n") + before.count("\r") - before.count("\r\n")
    if newlines == 0:
        return first_line, offset + 1
    last_break = max(before.rfind("\n"), before.rfind("\r"))
    return first_line + newlines, offset - last_break


def _decode(path: Path, label: str) -> tuple[str | None, Problem | None]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, err.start) + 1
        # Editor columns count characters, not bytes; the bytes before the error decode.
        before = data[line_start : err.start].decode("utf-8").removeprefix("\ufeff")
        column = len(before) + 1
        return None, Problem(label, line, column, "file", "is not valid UTF-8 text")
    return text.removeprefix("\ufeff"), None


def read_table(path: Path, label: str | None = None) -> Table:
    """Read one CSV file. `label` is the path shown in messages (default: as given)."""
    shown = label or str(path)
    if not path.is_file():
        return Table(shown, (), (), (Problem(shown, 1, 1, "file", "file is missing"),))
    text, problem = _decode(path, shown)
    if text is None:
        return Table(shown, (), (), (problem,) if problem else ())
    lines = list(io.StringIO(text, newline=""))
    if not lines:
        return Table(shown, (), (), (Problem(shown, 1, 1, "header", "file is empty"),))

    reader = csv.reader(iter(lines), strict=True)
    problems: list[Problem] = []
    rows: list[Row] = []
    header: tuple[str, ...] = ()
    header_columns: tuple[int, ...] = ()
    consumed = 0
    while True:
        start = consumed + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            # Broken quoting leaves the rest of the file unreadable; say where it broke.
            problems.append(Problem(shown, start, 1, "row", f"malformed CSV ({err})"))
            break
        consumed = reader.line_num
        raw = "".join(lines[start - 1 : consumed])
        if not record or (len(record) == 1 and record[0] == "" and not raw.strip()):
            continue  # a blank line carries no data
        starts = _field_starts(raw)
        positions = [_line_col(raw, offset, start) for offset in starts]
        if not header:
            header = tuple(record)
            header_columns = tuple(col for _, col in positions)
            continue
        content = raw.rstrip("\r\n")
        end_line, end_col = _line_col(raw, len(content), start)
        if len(record) != len(header):
            if len(record) > len(header):
                line, col = positions[len(header)]
                reason = f"row has {len(record)} fields, the header has {len(header)} (extra field)"
            else:
                line, col = end_line, end_col
                reason = (
                    f"row has {len(record)} fields, the header has {len(header)} (missing field)"
                )
            problems.append(Problem(shown, line, col, "row", reason))
            continue
        cells = {
            name: Cell(value, positions[i][0], positions[i][1])
            for i, (name, value) in enumerate(zip(header, record, strict=True))
        }
        rows.append(Row(start, cells, end_line, end_col))
    if not header:
        problems.insert(0, Problem(shown, 1, 1, "header", "file has no header row"))
    return Table(shown, header, tuple(rows), tuple(problems), header_columns)
