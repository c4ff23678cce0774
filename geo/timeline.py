"""Status through time: fold the dated events of each jurisdiction to a chosen date.

Rules (also in data/README.md):
- The status of a jurisdiction on a date is the status of its latest standing event on or
  before that date. Before its first event it has no status ("no record", which is not "not
  using").
- A `failed` event closes a proposal: from its date, the `pending` rows of that proposal (same
  place, same proposal key, dated on or before it) no longer stand, and the `failed` row itself
  never sets a status. The place so returns to the status it had before the proposal, or to
  another proposal still open, or to no record.
- A month-only date (`YYYY-MM`) counts from the first day of its month.
- Events on the same date keep the order of the file (the later row wins).
- The story starts in 2019 (`STORY_START_YEAR`): the slider and the Timeline begin there, and
  a law passed earlier and still in force already shows in 2019.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from geo.records import Event
from geo.vocabulary import NO_RECORD, STATUSES

STORY_START_YEAR = 2019


def in_date_order(events: Iterable[Event]) -> list[Event]:
    """Events by date; ties keep their given order (sorted() is stable)."""
    return sorted(events, key=lambda event: event.when)


def standing_events(events: Iterable[Event], on: date) -> dict[str, list[Event]]:
    """Per jurisdiction, its events on or before `on` that still stand, oldest first: every
    event except `failed` rows and the `pending` rows of the proposals they closed."""
    standing: dict[str, list[Event]] = {}
    for event in in_date_order(events):
        if event.when > on:
            break
        rows = standing.setdefault(event.jurisdiction_id, [])
        if event.ends_proposal:
            rows[:] = [
                e
                for e in rows
                if not (e.status == "pending" and e.proposal_key == event.proposal_key)
            ]
        else:
            rows.append(event)
    return standing


def latest_events(events: Iterable[Event], on: date) -> dict[str, Event]:
    """For each jurisdiction with a standing event on or before `on`, the latest one: the
    event that sets its status."""
    return {jid: rows[-1] for jid, rows in standing_events(events, on).items() if rows}


def status_as_of(events: Iterable[Event], on: date) -> dict[str, str]:
    """Jurisdiction id -> status on `on` (jurisdictions with no event yet are absent)."""
    return {jid: event.status for jid, event in latest_events(events, on).items()}


def counts_as_of(
    jurisdiction_ids: Iterable[str], events: Iterable[Event], on: date
) -> dict[str, int]:
    """How many of the given jurisdictions are in each status on `on`, plus "no_record"."""
    ids = list(jurisdiction_ids)
    statuses = status_as_of(events, on)
    tally = Counter(statuses.get(jid, NO_RECORD) for jid in ids)
    return {status: tally.get(status, 0) for status in (*STATUSES, NO_RECORD)}


def history(events: Iterable[Event], jurisdiction_id: str) -> list[Event]:
    """Every event of one jurisdiction, oldest first."""
    return in_date_order(e for e in events if e.jurisdiction_id == jurisdiction_id)


def year_end(year: int, today: date) -> date:
    """The date a year stands for: 31 December, or today for the current year."""
    return min(date(year, 12, 31), today)


def year_range(events: Sequence[Event], today: date) -> tuple[int, int]:
    """From the first event's year, but not before the story starts, to the current year."""
    first = min((event.when.year for event in events), default=today.year)
    return min(max(first, STORY_START_YEAR), today.year), today.year


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s month to `last`'s month."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_counts(
    jurisdiction_ids: Iterable[str], events: Sequence[Event], first: date, last: date
) -> list[tuple[date, dict[str, int]]]:
    """Counts by status at the end of every month (or `last`, for the final month)."""
    ids = list(jurisdiction_ids)
    rows = []
    for start in month_starts(first, last):
        next_month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(date.fromordinal(next_month.toordinal() - 1), last)
        rows.append((start, counts_as_of(ids, events, end)))
    return rows
