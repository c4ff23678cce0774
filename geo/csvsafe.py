"""CSV the project writes, safe to open in a spreadsheet (OWASP "CSV injection").

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula. The
validator refuses such text (`geo.records.fields`); every CSV the project writes also goes
through `csv_bytes`, which quotes every field and puts a `'` before a formula's first
character, in case one ever gets past the validator. Plain numbers (`-122.4`) and a lone `-`
are not formulas and are written as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def is_formula(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula."""
    if not text.startswith(FORMULA_LEADS) or text == "-":
        return False
    return _PLAIN_NUMBER.fullmatch(text) is None


def neutralise(text: str) -> str:
    """`text`, with a `'` in front when a spreadsheet would read it as a formula."""
    return "'" + text if is_formula(text) else text


def csv_line(values: Iterable[str]) -> str:
    """One CSV record: every field quoted, every formula neutralised, ending in LF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow([neutralise(value) for value in values])
    return buffer.getvalue()


def csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A CSV document: the header, then the rows, each written by `csv_line`."""
    return csv_line(header) + "".join(csv_line(row) for row in rows)


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    """`csv_text` as UTF-8."""
    return csv_text(header, rows).encode("utf-8")
