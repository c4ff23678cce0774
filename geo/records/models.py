"""The row models (one pydantic model per file), the file specs and the Dataset they make."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from geo.csvfile import Problem
from geo.records.fields import (
    Caveats,
    DateText,
    Name,
    Note,
    OptionalFloat,
    OptionalSlug,
    OptionalUrl,
    QuoteText,
    RequiredShort,
    Short,
    Slug,
    Summary,
    Url,
    caveat_codes,
    parse_date,
)
from geo.vocabulary import BROAD_SCOPES, MEASURE_STATUSES, PROPOSAL_ENDED, STATUSES, US_LEVELS

# The words themselves live in geo.vocabulary; these Literal types must list the same values
# (tests/test_vocabulary.py checks it), because pydantic needs them written out.

EventStatus = Literal[
    "banned", "moratorium", "restricted", "pending", "using", "repealed", "failed", "use_ended"
]
Scope = Literal["government", "police", "schools", "vendor", "devices", "immigration", "other"]
ProposalKind = Literal["ban", "rules", "authorise"]
Role = Literal["government", "context"]
Level = Literal["city", "county", "state", "country", "supranational"]
Stance = Literal["supports_ban", "opposes_ban", "neutral"]
Confidence = Literal["high", "medium", "low"]


@functools.lru_cache(maxsize=16_384)
def row_date(text: str) -> datetime.date:
    """A validated row's date, parsed once per distinct text: the fold sorts and compares
    rows by date on every snapshot, and parsing each time was most of a snapshot's cost with
    50,000 events (`python -m bench --scale`). A few thousand distinct days fit the cache."""
    return parse_date(text, today=date.max)


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class Jurisdiction(Record):
    id: Slug
    name: Name
    level: Level
    state: Short = ""
    geoid: Short = ""
    lat: OptionalFloat = None
    lon: OptionalFloat = None
    note: Note = ""
    role: Annotated[Role, BeforeValidator(lambda v: v or "government")] = "government"

    @property
    def is_us(self) -> bool:
        return self.level in US_LEVELS

    @property
    def on_map(self) -> bool:
        """Drawn on the map: a US place that is a government acting (context places are
        listed, never drawn)."""
        return self.is_us and not self.is_context

    @property
    def is_context(self) -> bool:
        """Kept for context, not a government acting: never counted or drawn as one."""
        return self.role == "context"


class Event(Record):
    id: Slug
    jurisdiction_id: Slug
    date: DateText
    status: EventStatus
    scope: Annotated[Scope | Literal[""], BeforeValidator(lambda v: v or "")] = ""
    measure: Short = ""
    vote: Short = ""
    summary: Summary
    source_name: RequiredShort
    source_url: Url
    confidence: Confidence
    proposal: OptionalSlug = ""
    proposal_kind: Annotated[ProposalKind | Literal[""], BeforeValidator(lambda v: v or "")] = ""
    read_url: OptionalUrl = ""
    note: Note = ""

    @property
    def is_measure(self) -> bool:
        """A row that sets a measure: banned, moratorium, restricted or repealed."""
        return self.status in MEASURE_STATUSES

    @property
    def is_broad(self) -> bool:
        """The measure or proposal covers all government or police use."""
        return self.scope in BROAD_SCOPES

    @property
    def proposal_key(self) -> str:
        """Which proposal a `pending` row opens or a `failed` row closes (the row's own id
        when a single pending row stands for its proposal)."""
        return self.proposal or self.id

    @property
    def ends_proposal(self) -> bool:
        return self.status == PROPOSAL_ENDED

    @property
    def when(self) -> datetime.date:  # `date` is a field name in these classes
        return row_date(self.date)

    @property
    def day_known(self) -> bool:
        return len(self.date) == 10


class Session(Record):
    """A legislative session: a bill not enacted by its end dies with it."""

    jurisdiction_id: Slug
    session: RequiredShort
    start: DateText
    end: Annotated[str, AfterValidator(lambda v: (parse_date(v, today=date.max), v)[1])]
    source_name: RequiredShort
    source_url: Url
    read_url: OptionalUrl = ""
    note: Note = ""

    @property
    def starts(self) -> datetime.date:
        return parse_date(self.start, today=date.max)

    @property
    def ends(self) -> datetime.date:
        """The last day of the session (a month-only end counts to the month's last day)."""
        end = parse_date(self.end, today=date.max)
        if len(self.end) == 7:
            following = date(end.year + end.month // 12, end.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return end

    def holds(self, day: datetime.date) -> bool:
        return self.starts <= day <= self.ends


class Quote(Record):
    id: Slug
    jurisdiction_id: Slug
    date: DateText
    speaker: RequiredShort
    role: Short = ""
    stance: Stance
    text: QuoteText
    source_name: RequiredShort
    source_url: Url
    confidence: Confidence = "high"
    note: Note = ""
    read_url: OptionalUrl = ""
    caveat: Caveats = ""

    @property
    def when(self) -> datetime.date:  # `date` is a field name in these classes
        return row_date(self.date)

    @property
    def caveats(self) -> tuple[str, ...]:
        """Why the quote is not at full confidence, as codes (main one first)."""
        return caveat_codes(self.caveat)


TallyLevel = Literal["state", "local"]
TallyBound = Literal["exact", "at_least"]
MirrorKind = Literal["mirror", "aggregator", "scraper"]
# A row whose only witness is a copy says so with these words in its note (data/README.md).
ORIGINAL_NOT_FOUND = "original not found"


def _statuses(value: str) -> str:
    words = value.split()
    if not words:
        raise ValueError("is required")
    for word in words:
        if word not in STATUSES:
            raise ValueError(f"{word!r} is not one of: {', '.join(STATUSES)}")
    return value


def _count(value: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number")
    return int(value)


def _domain(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", value):
        raise ValueError("must be a bare lower-case host name, like example.com")
    return value


class Tally(Record):
    """A count published by someone else, which the project's own count is checked against."""

    id: Slug
    date: DateText
    count: Annotated[int, BeforeValidator(_count)]
    bound: TallyBound = "exact"
    level: TallyLevel
    state: Short = ""
    compare_statuses: Annotated[str, AfterValidator(_statuses)]
    excludes: Short = ""
    counted: Summary
    members: Note = ""
    source_name: RequiredShort
    source_url: Url
    read_url: OptionalUrl = ""
    note: Note = ""

    @property
    def when(self) -> datetime.date:  # `date` is a field name in these classes
        return row_date(self.date)

    @property
    def member_list(self) -> tuple[str, ...]:
        """USPS codes for a state count, jurisdiction ids for a local one."""
        return tuple(m.strip() for m in self.members.split(";") if m.strip())

    @property
    def excluded(self) -> tuple[str, ...]:
        """Jurisdiction ids that the source's definition leaves out (the note says why)."""
        return tuple(self.excludes.split())

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(self.compare_statuses.split())


class MirrorDomain(Record):
    """A site that copies other publishers' work: not a source of its own."""

    domain: Annotated[str, AfterValidator(_domain)]
    kind: MirrorKind
    reason: Summary


@dataclass(frozen=True)
class FileSpec:
    name: str
    model: type[Record]
    optional: frozenset[str]
    required_file: bool = True

    @property
    def rows_required(self) -> bool:
        """A record file that must hold at least one row (a header alone is an error)."""
        return self.name in ROWS_REQUIRED

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


# Files that are refused when they hold a header and no rows.
ROWS_REQUIRED = frozenset({"jurisdictions.csv", "events.csv"})

FILES = (
    FileSpec("jurisdictions.csv", Jurisdiction, frozenset({"note", "role"})),
    FileSpec(
        "events.csv",
        Event,
        frozenset({"measure", "vote", "proposal", "read_url", "note"}),
    ),
    # `caveat` came after the others: a file written before it still reads (as no caveats).
    FileSpec("quotes.csv", Quote, frozenset({"role", "confidence", "note", "read_url", "caveat"})),
    FileSpec(
        "tallies.csv",
        Tally,
        frozenset({"bound", "state", "excludes", "members", "read_url", "note"}),
        False,
    ),
    FileSpec("mirrors.csv", MirrorDomain, frozenset(), False),
    FileSpec("sessions.csv", Session, frozenset({"read_url", "note"}), False),
)
# The three tables of the record itself: what the downloads and the export carry. The
# sessions (when a bill stops standing) are downloaded beside them (geo.downloads.dataset_csvs).
DATA_FILES = FILES[:3]
SESSIONS_FILE = FILES[5]


R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Located(Generic[R]):
    """A validated record and the line its row starts on."""

    record: R
    line: int


@dataclass(frozen=True)
class Dataset:
    jurisdictions: tuple[Jurisdiction, ...]
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]
    tallies: tuple[Tally, ...] = ()
    mirrors: tuple[MirrorDomain, ...] = ()
    sessions: tuple[Session, ...] = ()

    def __hash__(self) -> int:
        """Hashed once: the snapshot cache (geo.timeline.snapshot) looks the dataset up on
        every call, and hashing every record each time would make that a walk of the data."""
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(
                (self.jurisdictions, self.events, self.quotes, self.tallies, self.mirrors,
                 self.sessions)
            )  # fmt: skip
            object.__setattr__(self, "_hash", cached)
        return cached

    def jurisdiction(self, jurisdiction_id: str) -> Jurisdiction:
        """The jurisdiction with this id (KeyError if none), through an index built once: the
        place chooser looks up every place on every rerun, and a walk of the tuple per lookup
        made that quadratic (3.7 s a rerun with 5,000 places, `python -m bench --scale`)."""
        index: dict[str, Jurisdiction] | None = self.__dict__.get("_by_id")
        if index is None:
            index = {}
            for item in self.jurisdictions:
                index.setdefault(item.id, item)  # the first row wins, as the walk did
            object.__setattr__(self, "_by_id", index)
        return index[jurisdiction_id]

    def summary_line(self) -> str:
        return (
            f"ok: {len(self.jurisdictions)} jurisdictions, {len(self.events)} events, "
            f"{len(self.quotes)} quotes"
        )


class DataError(Exception):
    """The data folder has problems; `problems` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
