"""The About page's tables: the codebook, source counts and quality, published tallies."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.config import PROJECT_ROOT
from geo.present import place_label
from geo.records import Dataset, Event, Quote, mirror_of
from geo.tallies import comparisons
from geo.timeline import (
    in_date_order,
)

CODEBOOK = PROJECT_ROOT / "data" / "README.md"


_HEADING = re.compile(r"^(#{1,5}) ")
_FENCE = re.compile(r"^(```|~~~)")


def demote_headings(markdown: str, levels: int = 1) -> str:
    """Move every Markdown heading down `levels` (# -> ##), outside fenced code blocks."""
    lines = []
    fenced = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _HEADING.match(line):
            line = "#" * levels + line
        lines.append(line)
    return "\n".join(lines)


def codebook_markdown(path: Path = CODEBOOK) -> str:
    """The project's codebook (trusted project text), with headings one level down so it
    sits under a page's own headings. Says so when the file is missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return f"The codebook ({path.name}) is missing from this copy of the project."
    return demote_headings(text)


def latest_event(dataset: Dataset) -> Event | None:
    """The most recent event (the later row in the file, on a tie)."""
    ordered = in_date_order(dataset.events)
    return ordered[-1] if ordered else None


def source_counts(dataset: Dataset) -> pd.DataFrame:
    """Publishers cited by events and quotes, with how many rows cite each, most cited first."""
    tally: dict[str, list[int]] = {}
    for e in dataset.events:
        tally.setdefault(e.source_name, [0, 0])[0] += 1
    for q in dataset.quotes:
        tally.setdefault(q.source_name, [0, 0])[1] += 1
    rows = [{"Source": name, "Events": ev, "Quotes": qu} for name, (ev, qu) in tally.items()]
    frame = pd.DataFrame(rows, columns=["Source", "Events", "Quotes"])
    frame["total"] = frame["Events"] + frame["Quotes"]
    frame = frame.sort_values(["total", "Source"], ascending=[False, True], kind="stable")
    return frame.drop(columns="total").reset_index(drop=True)


@dataclass(frozen=True)
class SourceQuality:
    """How the events and quotes are sourced (the codebook's "Sources and copies")."""

    original: int  # the original publisher or an official record
    licensed: int  # a licensed republication, named "Publisher (via partner)"
    copy_only: int  # a copy on data/mirrors.csv; the note says the original was not found

    @property
    def total(self) -> int:
        return self.original + self.licensed + self.copy_only

    def share(self, part: int) -> float:
        return part / self.total if self.total else 0.0


def source_kind(record: Event | Quote, mirror_domains: Collection[str]) -> str:
    if mirror_of(record.source_url, mirror_domains):
        return "copy_only"
    if "(via " in record.source_name:
        return "licensed"
    return "original"


def source_quality(dataset: Dataset) -> SourceQuality:
    domains = [m.domain for m in dataset.mirrors]
    records: tuple[Event | Quote, ...] = (*dataset.events, *dataset.quotes)
    kinds = Counter(source_kind(r, domains) for r in records)
    return SourceQuality(kinds["original"], kinds["licensed"], kinds["copy_only"])


TALLY_COLUMNS = (
    "As of", "Counted by the source", "Published", "Ours", "Places we count that the source "
    "leaves out", "Source", "Link", "Read via", "Note",
)  # fmt: skip


def tallies_table(dataset: Dataset) -> pd.DataFrame:
    """Each published count beside ours on the same date (geo.tallies has the rules)."""
    rows = []
    for c in comparisons(dataset):
        t = c.tally
        # The validator refuses an `excludes` id that is not a jurisdiction.
        left_out = [place_label(dataset.jurisdiction(j)) for j in t.excluded]
        rows.append(
            {
                "As of": t.date,
                "Counted by the source": t.counted,
                "Published": f"at least {t.count}" if t.bound == "at_least" else str(t.count),
                "Ours": str(c.our_count),
                TALLY_COLUMNS[4]: ", ".join(left_out),
                "Source": t.source_name,
                "Link": t.source_url,
                "Read via": t.read_url or None,
                "Note": t.note,
            }
        )
    return pd.DataFrame(rows, columns=list(TALLY_COLUMNS))
