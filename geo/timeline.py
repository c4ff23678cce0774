"""Law and practice through time: one snapshot of every place on a date.

Rules (also in data/README.md, "Reading events through time"):
- Events are read in date order; a month-only date (`YYYY-MM`) counts from the first day of
  its month; events on the same date keep the order of the file.
- **Measures** (`banned`, `moratorium`, `restricted`, `repealed`) are kept per track: the broad
  track (scope `government` or `police`) and one track per narrow scope. Within a track the
  latest measure replaces the earlier ones (a ban replaced by rules, rules repealed). A narrow
  `banned` or `moratorium` draws as `restricted`. The measure in force is the strongest of the
  tracks (banned, moratorium, restricted, then repealed).
- **Proposals** (`pending` rows, keyed by `proposal`) stay open until a `failed` row closes
  them, a measure row names them (passed), a later measure on their track decides the question
  (a council or parliament without sessions adopting rules instead of a ban), or the session of
  their latest pending row ends (`data/sessions.csv`).
- **Use** (`using` rows) stays reported until a `use_ended` row, or a broad ban or moratorium,
  ends it. Use reported while a broad ban or moratorium stands is use despite it.
- **The fill**: a ban, moratorium or rules in force; else "Still using" if use is reported and
  not ended; else "Ban pending" if a ban or moratorium proposal is open; else "Repealed /
  expired" if a measure ended and nothing replaced it; else no record (not "not using").
- **Marks** on top: `ban_proposal` where a ban proposal is open over a weaker fill, and
  `use_despite` where use is reported while a broad ban or moratorium stands.
- Context places (jurisdictions.csv `role` = `context`) are folded but never counted.
- The story starts in 2019 (`STORY_START_YEAR`): the slider and the Timeline begin there, and
  a law passed earlier and still in force already shows in 2019.

`snapshot` is the one fold: the map, the headline, the legend, the Timeline, the Places page,
the place panel, the published-count check, the downloads, the export and the static edition
all read it (tests/test_layout.py keeps any other module from folding events itself).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from geo.records import Dataset, Event, Session
from geo.vocabulary import BROAD_SCOPES, MARKS, NO_RECORD, STATUSES

STORY_START_YEAR = 2019
# The order of strength of a measure's fill: the strongest measure in force sets the fill.
_STRENGTH = ("banned", "moratorium", "restricted", "repealed")
_LIMITS = ("banned", "moratorium", "restricted")
_STOPS_USE = ("banned", "moratorium")
BROAD = "broad"


def in_date_order(events: Iterable[Event]) -> list[Event]:
    """Events by date; ties keep their given order (sorted() is stable)."""
    return sorted(events, key=lambda event: event.when)


def track(event: Event) -> str:
    """Which measures replace one another: all broad ones, or those of one narrow scope."""
    return BROAD if event.scope in BROAD_SCOPES else event.scope


def drawn_status(event: Event) -> str:
    """The fill a measure row draws: a narrow ban or moratorium is drawn as restricted."""
    if event.status in _STOPS_USE and event.scope not in BROAD_SCOPES:
        return "restricted"
    return event.status


@dataclass(frozen=True)
class Proposal:
    """An open proposal: the row that opened it and its latest stage."""

    key: str
    first: Event
    latest: Event

    @property
    def kind(self) -> str:
        return self.latest.proposal_kind

    @property
    def is_ban(self) -> bool:
        """A ban or moratorium of all government or police use: only these read "Ban
        pending" (a proposal to ban one vendor or one agency's use is shown in words)."""
        return self.kind == "ban" and self.latest.is_broad


@dataclass(frozen=True)
class Use:
    """Reported use up to a date: every report, and the row that ended the latest one."""

    reports: tuple[Event, ...] = ()
    despite: tuple[Event, ...] = ()
    ended_by: Event | None = None
    open: bool = False

    @property
    def ended_row(self) -> Event | None:
        """The `use_ended` row that ended the latest report (None: open, or a ban ended it)."""
        if self.open or self.ended_by is None or not self.reports:
            return None
        return self.ended_by if self.ended_by.when >= self.reports[-1].when else None


@dataclass(frozen=True)
class PlaceState:
    """One place on one date: what is in force, what is proposed, what is reported."""

    jurisdiction_id: str
    measures: tuple[Event, ...] = ()  # in force, one per track, strongest first
    proposals: tuple[Proposal, ...] = ()  # open, oldest first
    use: Use = field(default_factory=Use)
    context: bool = False

    @property
    def measure(self) -> Event | None:
        """The measure in force that sets the fill (a `repealed` one when only those remain)."""
        return self.measures[0] if self.measures else None

    @property
    def measure_status(self) -> str | None:
        """How the measure in force (or the last one that ended) is drawn; None: none yet."""
        return None if self.measure is None else drawn_status(self.measure)

    @property
    def in_force(self) -> tuple[Event, ...]:
        """The measures that limit use today (not the ended ones)."""
        return tuple(m for m in self.measures if m.status in _LIMITS)

    @property
    def ban_proposals(self) -> tuple[Proposal, ...]:
        return tuple(p for p in self.proposals if p.is_ban)

    @property
    def fill(self) -> str:
        measure = self.measure_status
        if measure in _LIMITS:
            return measure
        if self.use.open:
            return "using"
        if self.ban_proposals:
            return "pending"
        return measure or NO_RECORD

    @property
    def cause(self) -> Event | None:
        """The row that set the fill."""
        fill = self.fill
        if fill in _STRENGTH:
            return self.measure
        if fill == "using":
            return self.use.reports[-1]
        if fill == "pending":
            return self.ban_proposals[-1].latest
        return None

    @property
    def use_despite(self) -> bool:
        measure = self.measure
        stands = measure is not None and measure.is_broad and measure.status in _STOPS_USE
        return stands and self.use.open

    @property
    def marks(self) -> tuple[str, ...]:
        found = {
            "ban_proposal": bool(self.ban_proposals)
            and self.fill in ("restricted", "repealed", "using"),
            "use_despite": self.use_despite,
        }
        return tuple(mark for mark in MARKS if found[mark])


def session_end(sessions: Sequence[Session], event: Event) -> date | None:
    """The last day of the session that holds `event` (None: no session listed for it)."""
    for session in sessions:
        if session.jurisdiction_id == event.jurisdiction_id and session.holds(event.when):
            return session.ends
    return None


def fold_place(
    jurisdiction_id: str, events: Sequence[Event], sessions: Sequence[Session], on: date
) -> PlaceState:
    """One place's state on `on` from its own events (already in date order)."""
    tracks: dict[str, Event] = {}
    proposals: dict[str, Proposal] = {}
    reports: list[Event] = []
    despite: list[Event] = []
    ended_by: Event | None = None
    use_open = False
    for event in events:
        if event.when > on:
            break
        if event.is_measure:
            tracks[track(event)] = event
            # The body has decided the question on this track, by passing this proposal or
            # another text: its earlier proposals on the same track close.
            proposals = {
                key: p
                for key, p in proposals.items()
                if key != event.proposal and track(p.latest) != track(event)
            }
            if event.is_broad and event.status in _STOPS_USE:
                use_open = False
        elif event.status == "pending":
            key = event.proposal_key
            first = proposals[key].first if key in proposals else event
            proposals[key] = Proposal(key, first, event)
        elif event.ends_proposal:
            proposals.pop(event.proposal, None)
        elif event.status == "using":
            reports.append(event)
            broad = tracks.get(BROAD)
            if broad is not None and broad.status in _STOPS_USE:
                despite.append(event)
            use_open = True
        else:  # use_ended
            use_open = False
            ended_by = event
    open_proposals = []
    for proposal in proposals.values():
        ends = session_end(sessions, proposal.latest)
        if ends is None or on <= ends:
            open_proposals.append(proposal)
    measures = sorted(tracks.values(), key=lambda e: (_STRENGTH.index(drawn_status(e)), e.when))
    return PlaceState(
        jurisdiction_id,
        tuple(measures),
        tuple(sorted(open_proposals, key=lambda p: p.first.when)),
        Use(tuple(reports), tuple(despite), ended_by, use_open),
    )


@dataclass(frozen=True)
class Snapshot:
    """Every place on one date, and the counts of what the map shows."""

    on: date
    places: Mapping[str, PlaceState]

    def state(self, jurisdiction_id: str) -> PlaceState:
        return self.places.get(jurisdiction_id) or PlaceState(jurisdiction_id)

    def fill(self, jurisdiction_id: str) -> str:
        return self.state(jurisdiction_id).fill

    def counted(self, jurisdiction_ids: Iterable[str] | None = None) -> list[PlaceState]:
        """The places that count (never context places), optionally only the given ones."""
        ids = self.places.keys() if jurisdiction_ids is None else jurisdiction_ids
        return [s for s in (self.state(j) for j in ids) if not s.context]

    def counts(self, jurisdiction_ids: Iterable[str] | None = None) -> dict[str, int]:
        """How many places draw each fill, plus "no_record" (context places never count)."""
        tally = Counter(s.fill for s in self.counted(jurisdiction_ids))
        return {status: tally.get(status, 0) for status in (*STATUSES, NO_RECORD)}

    def mark_counts(self, jurisdiction_ids: Iterable[str] | None = None) -> dict[str, int]:
        tally = Counter(m for s in self.counted(jurisdiction_ids) for m in s.marks)
        return {mark: tally.get(mark, 0) for mark in MARKS}


def fold(
    events: Iterable[Event],
    on: date,
    sessions: Sequence[Session] = (),
    jurisdiction_ids: Iterable[str] = (),
    context: Iterable[str] = (),
) -> Snapshot:
    """The one fold: every place's state on `on` (places with no event yet are no record)."""
    by_place: dict[str, list[Event]] = {jid: [] for jid in jurisdiction_ids}
    for event in in_date_order(events):
        by_place.setdefault(event.jurisdiction_id, []).append(event)
    contexts = set(context)
    places = {}
    for jid, rows in by_place.items():
        state = fold_place(jid, rows, sessions, on)
        if jid in contexts:
            state = PlaceState(jid, state.measures, state.proposals, state.use, True)
        places[jid] = state
    return Snapshot(on, places)


@functools.lru_cache(maxsize=64)
def snapshot(dataset: Dataset, on: date) -> Snapshot:
    """The dataset's snapshot on `on`, computed once per dataset and date."""
    return fold(
        dataset.events,
        on,
        dataset.sessions,
        (j.id for j in dataset.jurisdictions),
        (j.id for j in dataset.jurisdictions if j.is_context),
    )


def status_as_of(dataset: Dataset, on: date) -> dict[str, str]:
    """Jurisdiction id -> its fill on `on` (places with no record are absent)."""
    shot = snapshot(dataset, on)
    return {jid: s.fill for jid, s in shot.places.items() if s.fill != NO_RECORD}


def counts_as_of(dataset: Dataset, on: date) -> dict[str, int]:
    """How many places (context places aside) draw each fill on `on`, plus "no_record"."""
    return snapshot(dataset, on).counts()


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


@functools.lru_cache(maxsize=16)
def dataset_years(dataset: Dataset, today: date) -> tuple[int, int]:
    """`year_range` of the dataset's events, walked once per dataset and day: the map page
    asked for it twice per rerun, 0.16 s of a rerun at 50,000 events (issue 24)."""
    return year_range(dataset.events, today)


def warm_years(dataset: Dataset, today: date) -> None:
    """Fold every year end the map can show (and the one before the first, which the year's
    story compares with) into the snapshot cache. At 5,000 places a fold takes about 0.2 s,
    the largest part of the first rerun to a year; run in the background, readers moving the
    slider find the years folded."""
    first, last = dataset_years(dataset, today)
    for year in range(last, first - 2, -1):
        snapshot(dataset, year_end(year, today))


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s month to `last`'s month."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_counts(dataset: Dataset, first: date, last: date) -> list[tuple[date, Snapshot]]:
    """The snapshot at the end of every month (or `last`, for the final month)."""
    rows = []
    for start in month_starts(first, last):
        next_month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(date.fromordinal(next_month.toordinal() - 1), last)
        rows.append((start, snapshot(dataset, end)))
    return rows


def causes(dataset: Dataset, on: date) -> dict[str, Event]:
    """Jurisdiction id -> the row that sets its colour on `on` (places with none are absent)."""
    shot = snapshot(dataset, on)
    return {jid: s.cause for jid, s in shot.places.items() if s.cause is not None}


# What changed on the map from one date to another, by kind, in the order the story tells it.
CHANGE_KINDS = ("banned", "restricted", "repealed", "proposed", "use")
_BECAME = {"banned": _STOPS_USE, "restricted": ("restricted",), "repealed": ("repealed",)}


def _change_row(kind: str, before: PlaceState, after: PlaceState) -> Event | None:
    """The row that made `after` differ from `before` in this way (None: no such change)."""
    if kind in _BECAME:
        became = after.fill in _BECAME[kind] and before.fill not in _BECAME[kind]
        return after.cause if became else None
    if kind == "proposed":
        known = {p.key for p in before.ban_proposals}
        fresh = [p.first for p in after.ban_proposals if p.key not in known]
        return fresh[0] if fresh else None
    return after.use.reports[-1] if after.use.open and not before.use.open else None


def changes(before: Snapshot, after: Snapshot) -> dict[str, tuple[str, ...]]:
    """Per kind (CHANGE_KINDS), the places counted on the map that changed that way between
    the two snapshots, in the order the changes happened: a ban or moratorium that now draws
    where none did, rules, a repeal or expiry likewise; a ban proposal opened; use reported
    where none was open."""
    found: dict[str, list[tuple[date, int, str]]] = {kind: [] for kind in CHANGE_KINDS}
    for n, state in enumerate(after.counted()):
        earlier = before.state(state.jurisdiction_id)
        for kind in CHANGE_KINDS:
            row = _change_row(kind, earlier, state)
            if row is not None:
                found[kind].append((row.when, n, state.jurisdiction_id))
    return {kind: tuple(jid for _w, _n, jid in sorted(rows)) for kind, rows in found.items()}
