"""The link checker's reports: `linkcheck.md` (for people and a CI job summary),
`linkcheck.json` and `linkcheck.csv`. `ReportWriter` writes them as the run goes: the CSV grows a
row per URL as each answer comes, and the Markdown says the run is not finished until it is, so
a run that is killed still leaves what it found. Text from servers is capped (`cap`).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from geo.csvsafe import csv_line, csv_text

Result = Literal["ok", "moved", "dead", "error", "refused"]
# Report order, worst first; `refused`: the host is not on the public internet (never asked).
RESULTS: tuple[Result, ...] = ("dead", "error", "refused", "moved", "ok")
REPORT_FILES = ("linkcheck.md", "linkcheck.json", "linkcheck.csv")
# Reason phrases, Locations and error texts come from servers: at most this many characters.
MAX_SERVER_TEXT = 200


def cap(text: str, limit: int = MAX_SERVER_TEXT) -> str:
    """`text`, cut to `limit` characters (the last one an ellipsis) when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@dataclass(frozen=True)
class Place:
    """Where a URL is written: file, line and field."""

    path: str
    line: int
    field: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.field}"


@dataclass(frozen=True)
class Outcome:
    url: str
    result: Result
    detail: str
    status: int | None
    location: str
    method: str
    attempts: int
    places: tuple[Place, ...] = field(default=())


# --- reports -------------------------------------------------------------------------------


def _code(text: str) -> str:
    """Text from the data or a server, shown literally in Markdown: a code span (a run of
    backticks longer than any inside it) with the table's pipe escaped."""
    text = " ".join(text.split())
    run = 1
    while "`" * run in text:
        run += 1
    fence = "`" * run
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def counts(outcomes: Iterable[Outcome]) -> dict[Result, int]:
    tally: dict[Result, int] = dict.fromkeys(RESULTS, 0)
    for outcome in outcomes:
        tally[outcome.result] += 1
    return tally


SECTION_TITLES: dict[Result, str] = {
    "dead": "Dead (HTTP 4xx or 5xx)",
    "error": "No answer (timeout, TLS or connection failure)",
    "refused": "Refused (the host is not on the public internet; never requested)",
    "moved": "Moved (redirect)",
    "ok": "OK",
}


def markdown_report(outcomes: Sequence[Outcome], checked_at: datetime) -> str:
    tally = counts(outcomes)
    lines = [
        "# Link check",
        "",
        f"Checked {len(outcomes)} distinct URLs from `data/` on "
        f"{checked_at.strftime('%Y-%m-%d %H:%M UTC')}: "
        + ", ".join(f"{tally[r]} {r}" for r in RESULTS)
        + ".",
        "",
        "Nothing was changed. Fix a dead or moved link in a pull request after reading the page:",
        "find the original (or an archived copy, in `read_url`) and say in the note what changed.",
        "A 403 or 429 is often a site refusing robots rather than a missing page: open it by hand.",
    ]
    for result in RESULTS:
        chosen = [o for o in outcomes if o.result == result]
        if not chosen or result == "ok":
            continue
        lines += ["", f"## {SECTION_TITLES[result]}: {len(chosen)}", ""]
        lines += ["| URL | Answer | New address | Where |", "|---|---|---|---|"]
        for o in chosen:
            where = "<br>".join(_code(str(p)) for p in o.places)
            new = _code(o.location) if o.location else ""
            lines.append(f"| {_code(o.url)} | {_code(o.detail)} | {new} | {where} |")
    if tally["ok"]:
        lines += ["", f"{tally['ok']} URLs answered 2xx and are listed in the JSON and CSV files."]
    return "\n".join(lines) + "\n"


def json_report(outcomes: Sequence[Outcome], checked_at: datetime) -> str:
    rows = []
    for o in outcomes:
        row = asdict(o)
        row["places"] = [asdict(p) for p in o.places]
        rows.append(row)
    document = {"checked_at": checked_at.isoformat(), "counts": counts(outcomes), "links": rows}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("url", "result", "status", "detail", "location", "method", "attempts", "where")


def csv_row(o: Outcome) -> list[str]:
    where = "; ".join(str(p) for p in o.places)
    status = "" if o.status is None else str(o.status)
    return [o.url, o.result, status, o.detail, o.location, o.method, str(o.attempts), where]


def csv_report(outcomes: Sequence[Outcome]) -> str:
    """Every field quoted, a formula from a server neutralised (`geo.csvsafe`)."""
    return csv_text(CSV_COLUMNS, (csv_row(o) for o in outcomes))


def _replace_text(path: Path, text: str) -> None:
    """Write beside `path`, then swap: a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def write_reports(outcomes: Sequence[Outcome], out: Path, checked_at: datetime) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    texts = (
        markdown_report(outcomes, checked_at),
        json_report(outcomes, checked_at),
        csv_report(outcomes),
    )
    paths = [out / name for name in REPORT_FILES]
    for path, text in zip(paths, texts, strict=True):
        _replace_text(path, text)
    return paths


UNFINISHED = (
    "# Link check\n\n**Not finished**: the run started on {when} and was stopped before the "
    "end. `linkcheck.csv` lists every URL checked so far.\n"
)


class ReportWriter:
    """The reports, written as the run goes; `finish` writes them whole, in the links' order."""

    def __init__(self, out: Path, checked_at: datetime) -> None:
        self.out = out
        self.checked_at = checked_at
        self._lock = threading.Lock()
        out.mkdir(parents=True, exist_ok=True)
        when = checked_at.strftime("%Y-%m-%d %H:%M UTC")
        _replace_text(out / REPORT_FILES[0], UNFINISHED.format(when=when))
        (out / REPORT_FILES[1]).unlink(missing_ok=True)
        _replace_text(out / REPORT_FILES[2], csv_line(CSV_COLUMNS))

    def add(self, outcome: Outcome) -> None:
        """One more row in the CSV, on disk before the next URL is asked."""
        with self._lock, (self.out / REPORT_FILES[2]).open("a", encoding="utf-8") as table:
            table.write(csv_line(csv_row(outcome)))
            table.flush()
            os.fsync(table.fileno())

    def finish(self, outcomes: Sequence[Outcome]) -> list[Path]:
        return write_reports(outcomes, self.out, self.checked_at)
