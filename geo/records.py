"""The three data files as typed, validated records.

One pydantic model per row checks the fields of that row; cross-file rules (unique ids,
references, duplicates) run on top. Every problem is collected, each with the file, line and
column a person can open, before anything is reported. A row with a problem never becomes a
record, and the dataset as a whole is refused while any problem remains.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Generic, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError

from geo.csvfile import Problem, Row, Table, read_table
from geo.vocabulary import PROPOSAL_ENDED, STATUSES, US_LEVELS

# The words themselves live in geo.vocabulary; these Literal types must list the same values
# (tests/test_vocabulary.py checks it), because pydantic needs them written out.

EventStatus = Literal[
    "banned", "moratorium", "restricted", "pending", "using", "repealed", "failed"
]
Level = Literal["city", "county", "state", "country", "supranational"]
Stance = Literal["supports_ban", "opposes_ban", "neutral"]
Confidence = Literal["high", "medium", "low"]

# USPS code -> Census state FIPS, for the GEOID prefix check.
STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69", "PR": "72", "VI": "78",
}  # fmt: skip
# A city is a Census place (7 digits); a New England or New Jersey town that the place files
# do not carry is a county subdivision (10 digits) and is drawn as a marker.
GEOID_DIGITS = {"city": (7, 10), "county": (5,), "state": (2,)}

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")  # ASCII digits only
EARLIEST_YEAR = 2000
# Bidi embeddings, overrides and isolates can make text read differently than it is stored.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Length caps: generous for real prose, small enough to keep a page and a popup sane.
MAX_NAME = 120
MAX_SHORT = 300
MAX_SUMMARY = 1000
MAX_QUOTE = 2000
MAX_URL = 2000


def clean_text(value: str) -> str:
    """NFC-normalise; refuse control and bidi-override characters and outer spaces."""
    text = unicodedata.normalize("NFC", value)
    for ch in text:
        if ch in BIDI_CONTROLS:
            raise ValueError(f"contains the bidi control character U+{ord(ch):04X}")
        if unicodedata.category(ch) == "Cc":
            raise ValueError(f"contains the control character U+{ord(ch):04X}")
    if text != text.strip():
        raise ValueError("has leading or trailing spaces")
    return text


def _capped(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"is {len(value)} characters long; the limit is {limit}")
        return value

    return check


def _required(value: str) -> str:
    if not value:
        raise ValueError("is required")
    return value


def _optional_number(value: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError("must be a number") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def check_url(value: str) -> str:
    """Only absolute http(s) links: no javascript:, data:, file: or anything that hides one."""
    if not value:
        raise ValueError("is required")
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValueError("must not contain spaces, control or invisible characters")
    if not value.startswith(("https://", "http://")):
        raise ValueError("must be an http:// or https:// link")
    if len(value) > MAX_URL:
        raise ValueError(f"is {len(value)} characters long; the limit is {MAX_URL}")
    parts = urlsplit(value)
    if not parts.netloc or "\\" in value or "@" in parts.netloc:
        raise ValueError("is not a well-formed web address")
    return value


def parse_date(value: str, today: date | None = None) -> date:
    """`YYYY-MM-DD`, or `YYYY-MM` (counted from the first day of its month)."""
    match = DATE.fullmatch(value)
    if not match:
        raise ValueError("must be YYYY-MM-DD, or YYYY-MM when the day is unknown")
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ValueError(f"{value} is not a real calendar date") from None
    if year < EARLIEST_YEAR:
        raise ValueError(f"is before {EARLIEST_YEAR}")
    if parsed > (today or date.today()):
        raise ValueError(f"{value} is in the future")
    return parsed


def _slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise ValueError("must be lower-case letters, digits and single hyphens, like ca-oakland")
    return value


Text = Annotated[str, AfterValidator(clean_text)]
Slug = Annotated[str, AfterValidator(clean_text), AfterValidator(_slug)]
Name = Annotated[Text, AfterValidator(_required), AfterValidator(_capped(MAX_NAME))]
Short = Annotated[Text, AfterValidator(_capped(MAX_SHORT))]
RequiredShort = Annotated[Short, AfterValidator(_required)]
Summary = Annotated[Text, AfterValidator(_required), AfterValidator(_capped(MAX_SUMMARY))]
Note = Annotated[Text, AfterValidator(_capped(MAX_SUMMARY))]
QuoteText = Annotated[Text, AfterValidator(_required), AfterValidator(_capped(MAX_QUOTE))]
Url = Annotated[str, AfterValidator(check_url)]
OptionalUrl = Annotated[str, AfterValidator(lambda v: check_url(v) if v else v)]
OptionalSlug = Annotated[str, AfterValidator(clean_text), AfterValidator(lambda v: v and _slug(v))]
DateText = Annotated[str, AfterValidator(lambda v: (parse_date(v), v)[1])]
OptionalFloat = Annotated[float | None, BeforeValidator(_optional_number)]


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

    @property
    def is_us(self) -> bool:
        return self.level in US_LEVELS


class Event(Record):
    id: Slug
    jurisdiction_id: Slug
    date: DateText
    status: EventStatus
    measure: Short = ""
    vote: Short = ""
    summary: Summary
    source_name: RequiredShort
    source_url: Url
    confidence: Confidence
    proposal: OptionalSlug = ""
    read_url: OptionalUrl = ""
    note: Note = ""

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
        return parse_date(self.date, today=date.max)

    @property
    def day_known(self) -> bool:
        return len(self.date) == 10


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

    @property
    def when(self) -> datetime.date:  # `date` is a field name in these classes
        return parse_date(self.date, today=date.max)


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
        return parse_date(self.date, today=date.max)

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
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


FILES = (
    FileSpec("jurisdictions.csv", Jurisdiction, frozenset({"note"})),
    FileSpec("events.csv", Event, frozenset({"measure", "vote", "proposal", "read_url", "note"})),
    FileSpec("quotes.csv", Quote, frozenset({"role", "confidence", "note", "read_url"})),
    FileSpec(
        "tallies.csv",
        Tally,
        frozenset({"bound", "state", "excludes", "members", "read_url", "note"}),
        False,
    ),
    FileSpec("mirrors.csv", MirrorDomain, frozenset(), False),
)
# The three tables of the record itself: what the downloads and the export carry.
DATA_FILES = FILES[:3]


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

    def jurisdiction(self, jurisdiction_id: str) -> Jurisdiction:
        for item in self.jurisdictions:
            if item.id == jurisdiction_id:
                return item
        raise KeyError(jurisdiction_id)

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


def _header_problems(table: Table, spec: FileSpec) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for index, name in enumerate(table.header):
        column = table.header_columns[index] if table.header_columns else 1
        if name in seen:
            problems.append(Problem(table.path, 1, column, name, "column appears twice"))
        elif name not in spec.columns:
            expected = ", ".join(spec.columns)
            problems.append(
                Problem(table.path, 1, column, name, f"unknown column (expected: {expected})")
            )
        seen.add(name)
    end_column = sum(len(n) + 1 for n in table.header) or 1
    for name in spec.columns:
        if name not in seen and name not in spec.optional:
            problems.append(Problem(table.path, 1, end_column, name, "required column is missing"))
    return problems


def _row_problems(table: Table, row: Row, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "row"
        cell = row.cells.get(field)
        line, column = (cell.line, cell.column) if cell else (row.line, 1)
        reason = item["msg"].removeprefix("Value error, ")
        if item["type"] == "literal_error":
            reason = f"{cell.value if cell else ''!r} is not one of: " + item["msg"].split(
                "Input should be "
            )[-1].replace("'", "")
        elif item["type"] == "float_parsing":
            reason = "must be a number"
        problems.append(Problem(table.path, line, column, field, reason))
    return problems


def _records(
    table: Table, spec: FileSpec, model: type[R]
) -> tuple[list[Located[R]], list[Problem]]:
    problems = list(table.problems)
    if not table.header:
        return [], problems  # missing, empty or undecodable: the reason is already there
    problems += _header_problems(table, spec)
    if any(p.line == 1 and p.field != "row" for p in problems):
        return [], problems  # a broken header makes every row's columns meaningless
    records: list[Located[R]] = []
    for row in table.rows:
        values = {name: cell.value for name, cell in row.cells.items()}
        try:
            records.append(Located(model.model_validate(values), row.line))
        except ValidationError as error:
            problems.extend(_row_problems(table, row, error))
    return records, problems


def _cell_column(table: Table, line: int, field: str) -> int:
    for row in table.rows:
        if row.line == line and field in row.cells:
            return row.cells[field].column
    return 1


def _unique(
    table: Table, items: list[Located[R]], key: Callable[[R], object], field: str, what: str
) -> list[Problem]:
    first: dict[object, int] = {}
    problems = []
    for item in items:
        value = key(item.record)
        if value in first:
            column = _cell_column(table, item.line, field)
            reason = f"{what} already on line {first[value]}"
            problems.append(Problem(table.path, item.line, column, field, reason))
        else:
            first[value] = item.line
    return problems


def _jurisdiction_problems(table: Table, items: list[Located[Jurisdiction]]) -> list[Problem]:
    problems = []
    for item in items:
        j = item.record

        def problem(field: str, reason: str, line: int = item.line) -> Problem:
            return Problem(table.path, line, _cell_column(table, line, field), field, reason)

        if j.is_us:
            if j.state not in STATE_FIPS:
                problems.append(problem("state", f"{j.state!r} is not a USPS state code"))
            digits = GEOID_DIGITS[j.level]
            if not (len(j.geoid) in digits and j.geoid.isascii() and j.geoid.isdigit()):
                shown = " or ".join(str(d) for d in digits)
                problems.append(problem("geoid", f"a {j.level} needs a {shown}-digit GEOID"))
            elif j.state in STATE_FIPS and not j.geoid.startswith(STATE_FIPS[j.state]):
                reason = f"does not start with {j.state}'s FIPS code {STATE_FIPS[j.state]}"
                problems.append(problem("geoid", reason))
            if j.lat is None or j.lon is None:
                problems.append(problem("lat", "a US jurisdiction needs lat and lon"))
        else:
            if j.state or j.geoid:
                problems.append(problem("geoid", f"a {j.level} has no US state or GEOID"))
        if j.lat is not None and not -90 <= j.lat <= 90:
            problems.append(problem("lat", "must be between -90 and 90"))
        if j.lon is not None and not -180 <= j.lon <= 180:
            problems.append(problem("lon", "must be between -180 and 180"))
    problems += _unique(table, items, lambda j: j.id, "id", "this id is")
    us_items = [i for i in items if i.record.geoid]
    problems += _unique(table, us_items, lambda j: j.geoid, "geoid", "this GEOID is")
    return problems


def _reference_problems(
    table: Table, items: list[Located], known: set[str], names: str
) -> list[Problem]:
    return [
        Problem(
            table.path,
            item.line,
            _cell_column(table, item.line, "jurisdiction_id"),
            "jurisdiction_id",
            f"{item.record.jurisdiction_id!r} is not an id in {names}",
        )
        for item in items
        if item.record.jurisdiction_id not in known
    ]


def _proposal_problems(table: Table, items: list[Located[Event]]) -> list[Problem]:
    """A `failed` row closes a proposal that a `pending` row of the same place opened on or
    before its date; only `pending` and `failed` rows name a proposal."""
    problems = []
    opened: dict[tuple[str, str], date] = {}
    for item in items:
        event = item.record
        if event.status == "pending":
            key = (event.jurisdiction_id, event.proposal_key)
            opened[key] = min(opened.get(key, event.when), event.when)
    for item in items:
        event = item.record
        column = _cell_column(table, item.line, "proposal")
        if event.ends_proposal:
            if not event.proposal:
                reason = "a failed row names the proposal it closes (the pending row's proposal)"
                problems.append(Problem(table.path, item.line, column, "proposal", reason))
                continue
            since = opened.get((event.jurisdiction_id, event.proposal))
            if since is None or since > event.when:
                reason = (
                    f"no pending row of {event.jurisdiction_id} on or before {event.date} "
                    f"has the proposal {event.proposal!r}"
                )
                problems.append(Problem(table.path, item.line, column, "proposal", reason))
        elif event.proposal and event.status != "pending":
            reason = "only pending and failed rows name a proposal"
            problems.append(Problem(table.path, item.line, column, "proposal", reason))
    return problems


def _tally_problems(table: Table, items: list[Located[Tally]], known: set[str]) -> list[Problem]:
    """A state count names USPS codes; a local one names jurisdiction ids; exclusions and the
    optional state filter must exist."""
    problems = []
    for item in items:
        tally = item.record

        def problem(field: str, reason: str, line: int = item.line) -> Problem:
            return Problem(table.path, line, _cell_column(table, line, field), field, reason)

        if tally.state and tally.state not in STATE_FIPS:
            problems.append(problem("state", f"{tally.state!r} is not a USPS state code"))
        for member in tally.member_list:
            if tally.level == "state" and member not in STATE_FIPS:
                problems.append(problem("members", f"{member!r} is not a USPS state code"))
            elif tally.level == "local" and member not in known:
                problems.append(problem("members", f"{member!r} is not an id in jurisdictions.csv"))
        for jid in tally.excluded:
            if jid not in known:
                problems.append(problem("excludes", f"{jid!r} is not an id in jurisdictions.csv"))
    return problems


def _read_url_problems(table: Table, items: list[Located]) -> list[Problem]:
    return [
        Problem(
            table.path,
            item.line,
            _cell_column(table, item.line, "read_url"),
            "read_url",
            "is the same as source_url; leave it empty",
        )
        for item in items
        if item.record.read_url and item.record.read_url == item.record.source_url
    ]


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def mirror_of(url: str, domains: Iterable[str]) -> str | None:
    """The listed mirror domain that `url` is on (the domain itself or a subdomain of it)."""
    host = host_of(url)
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def _mirror_problems(table: Table, items: list[Located], domains: list[str]) -> list[Problem]:
    """A source on a known mirror is allowed only when the note says the original was looked
    for and not found."""
    problems = []
    for item in items:
        domain = mirror_of(item.record.source_url, domains)
        if domain and ORIGINAL_NOT_FOUND not in item.record.note.lower():
            reason = (
                f"{domain} is on the mirror list (mirrors.csv): link the original publisher "
                f"(keep the copy in read_url), or say '{ORIGINAL_NOT_FOUND}' in the note"
            )
            column = _cell_column(table, item.line, "source_url")
            problems.append(Problem(table.path, item.line, column, "source_url", reason))
    return problems


def _read_tables(data_dir: Path, label_root: Path | None) -> dict[str, Table]:
    tables = {}
    for spec in FILES:
        path = data_dir / spec.name
        label = str(path.relative_to(label_root)) if label_root else str(path)
        if not spec.required_file and not path.exists():
            tables[spec.name] = Table(label, (), (), ())
        else:
            tables[spec.name] = read_table(path, label)
    return tables


def check_dataset(data_dir: Path, label_root: Path | None = None) -> tuple[Dataset, list[Problem]]:
    """Read and validate the data files; return the valid records and every problem."""
    tables = _read_tables(data_dir, label_root)
    jt, et, qt, tt, mt = (tables[spec.name] for spec in FILES)
    jurisdictions, problems = _records(jt, FILES[0], Jurisdiction)
    events, event_problems = _records(et, FILES[1], Event)
    quotes, quote_problems = _records(qt, FILES[2], Quote)
    tallies, tally_problems = _records(tt, FILES[3], Tally)
    mirrors, mirror_problems = _records(mt, FILES[4], MirrorDomain)
    problems += event_problems + quote_problems + tally_problems + mirror_problems

    problems += _jurisdiction_problems(jt, jurisdictions)
    # Every id written in jurisdictions.csv, even on a row with another problem: a broken
    # jurisdiction row is reported once, not again on each event and quote that names it.
    known = {row.cells["id"].value for row in jt.rows if "id" in row.cells}
    # A reference can only be judged once jurisdictions.csv itself could be read.
    if not jt.problems and not any(p.path == jt.path and p.line == 1 for p in problems):
        problems += _reference_problems(et, events, known, FILES[0].name)
        problems += _reference_problems(qt, quotes, known, FILES[0].name)
    problems += _unique(et, events, lambda e: e.id, "id", "this id is")
    problems += _unique(
        et, events, lambda e: (e.jurisdiction_id, e.date, e.status, e.proposal), "status",
        "the same jurisdiction, date and status is",
    )  # fmt: skip
    problems += _proposal_problems(et, events)
    problems += _unique(qt, quotes, lambda q: q.id, "id", "this id is")
    problems += _unique(
        qt, quotes, lambda q: (q.jurisdiction_id, q.speaker, q.text), "text",
        "the same speaker, place and words are",
    )  # fmt: skip
    problems += _unique(tt, tallies, lambda t: t.id, "id", "this id is")
    if not jt.problems:
        problems += _tally_problems(tt, tallies, known)
    problems += _unique(mt, mirrors, lambda m: m.domain, "domain", "this domain is")
    domains = [m.record.domain for m in mirrors]
    for table, items in ((et, events), (qt, quotes), (tt, tallies)):
        problems += _read_url_problems(table, items)
        problems += _mirror_problems(table, items, domains)

    dataset = Dataset(
        tuple(i.record for i in jurisdictions),
        tuple(i.record for i in events),
        tuple(i.record for i in quotes),
        tuple(i.record for i in tallies),
        tuple(i.record for i in mirrors),
    )
    order = {spec.name: n for n, spec in enumerate(FILES)}

    def sort_key(p: Problem) -> tuple[int, int, int]:
        return (order.get(Path(p.path).name, 9), p.line, p.column)

    return dataset, sorted(problems, key=sort_key)


def load_dataset(data_dir: Path) -> Dataset:
    """The validated dataset, or `DataError` listing every problem."""
    dataset, problems = check_dataset(data_dir)
    if problems:
        raise DataError(problems)
    return dataset
