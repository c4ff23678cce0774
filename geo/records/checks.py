"""Rules across rows and files: headers, unique ids, references, proposals, tallies, copies."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import date
from urllib.parse import urlsplit

from pydantic import ValidationError

from geo.csvfile import Problem, Row, Table
from geo.records.fields import GEOID_DIGITS, STATE_FIPS
from geo.records.models import (
    ORIGINAL_NOT_FOUND,
    Event,
    FileSpec,
    Jurisdiction,
    Located,
    Quote,
    R,
    Session,
    Tally,
)
from geo.vocabulary import CAVEATS


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


def records(table: Table, spec: FileSpec, model: type[R]) -> tuple[list[Located[R]], list[Problem]]:
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


def cell_problem(table: Table, line: int, field: str, reason: str) -> Problem:
    """A problem at one field of the row starting on `line` (column 1 if the cell is absent)."""
    return Problem(table.path, line, _cell_column(table, line, field), field, reason)


def unique(
    table: Table, items: list[Located[R]], key: Callable[[R], object], field: str, what: str
) -> list[Problem]:
    first: dict[object, int] = {}
    problems = []
    for item in items:
        value = key(item.record)
        if value in first:
            reason = f"{what} already on line {first[value]}"
            problems.append(cell_problem(table, item.line, field, reason))
        else:
            first[value] = item.line
    return problems


def jurisdiction_problems(table: Table, items: list[Located[Jurisdiction]]) -> list[Problem]:
    problems = []
    for item in items:
        j = item.record

        def problem(field: str, reason: str, line: int = item.line) -> Problem:
            return cell_problem(table, line, field, reason)

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
    problems += unique(table, items, lambda j: j.id, "id", "this id is")
    us_items = [i for i in items if i.record.geoid]
    problems += unique(table, us_items, lambda j: j.geoid, "geoid", "this GEOID is")
    return problems


def reference_problems(
    table: Table, items: list[Located], known: set[str], names: str
) -> list[Problem]:
    return [
        cell_problem(
            table,
            item.line,
            "jurisdiction_id",
            f"{item.record.jurisdiction_id!r} is not an id in {names}",
        )
        for item in items
        if item.record.jurisdiction_id not in known
    ]


def proposal_problems(table: Table, items: list[Located[Event]]) -> list[Problem]:
    """A `failed` row closes a proposal that a `pending` row of the same place opened on or
    before its date; a measure row may name the proposal it enacts (the same rule); no other
    row names a proposal."""
    problems = []
    opened: dict[tuple[str, str], date] = {}
    for item in items:
        event = item.record
        if event.status == "pending":
            key = (event.jurisdiction_id, event.proposal_key)
            opened[key] = min(opened.get(key, event.when), event.when)
    for item in items:
        event = item.record
        if event.ends_proposal and not event.proposal:
            reason = "a failed row names the proposal it closes (the pending row's proposal)"
            problems.append(cell_problem(table, item.line, "proposal", reason))
        elif event.ends_proposal or (event.proposal and event.is_measure):
            since = opened.get((event.jurisdiction_id, event.proposal))
            if since is None or since > event.when:
                reason = (
                    f"no pending row of {event.jurisdiction_id} on or before {event.date} "
                    f"has the proposal {event.proposal!r}"
                )
                problems.append(cell_problem(table, item.line, "proposal", reason))
        elif event.proposal and event.status != "pending":
            reason = "only pending, failed and measure rows name a proposal"
            problems.append(cell_problem(table, item.line, "proposal", reason))
    return problems


def scope_problems(table: Table, items: list[Located[Event]]) -> list[Problem]:
    """Measures and proposals say what they cover; only a proposal has a kind."""
    problems = []
    for item in items:
        event = item.record
        needs_scope = event.is_measure or event.status == "pending"
        if needs_scope and not event.scope:
            reason = f"a {event.status} row says what it covers (government, police, ...)"
            problems.append(cell_problem(table, item.line, "scope", reason))
        elif event.scope and not needs_scope:
            reason = "only measure and pending rows have a scope"
            problems.append(cell_problem(table, item.line, "scope", reason))
        if event.status == "pending" and not event.proposal_kind:
            reason = "a pending row says what it proposes: ban, rules or authorise"
            problems.append(cell_problem(table, item.line, "proposal_kind", reason))
        elif event.proposal_kind and event.status != "pending":
            reason = "only pending rows have a proposal_kind"
            problems.append(cell_problem(table, item.line, "proposal_kind", reason))
    return problems


# Legislatures whose bills die with their session: a pending row of theirs must fall in a
# session listed in sessions.csv (data/README.md, "Proposals"). Other places may list
# sessions too (a city council's term); their proposals then end with them as well.
def has_sessions(jurisdiction: Jurisdiction) -> bool:
    return jurisdiction.level == "state" or jurisdiction.id == "us-federal"


def session_problems(
    table: Table,
    items: list[Located[Session]],
    known: set[str],
) -> list[Problem]:
    """Sessions name a place, end on or after they start, and do not overlap."""
    problems = []
    for item in items:
        session = item.record
        if session.jurisdiction_id not in known:
            reason = f"{session.jurisdiction_id!r} is not an id in jurisdictions.csv"
            problems.append(cell_problem(table, item.line, "jurisdiction_id", reason))
        if session.ends < session.starts:
            problems.append(cell_problem(table, item.line, "end", "is before start"))
    by_place: dict[str, list[Located[Session]]] = {}
    for item in items:
        by_place.setdefault(item.record.jurisdiction_id, []).append(item)
    for rows in by_place.values():
        rows.sort(key=lambda i: i.record.starts)
        for before, after in itertools.pairwise(rows):
            if after.record.starts < before.record.ends:  # one may begin the day one ends
                reason = f"overlaps the session on line {before.line}"
                problems.append(cell_problem(table, after.line, "start", reason))
    return problems


def pending_session_problems(
    table: Table,
    items: list[Located[Event]],
    jurisdictions: list[Located[Jurisdiction]],
    sessions: list[Located[Session]],
    sessions_file: str,
) -> list[Problem]:
    """Every pending row of a state or national legislature falls in one of its sessions."""
    legislatures = {j.record.id for j in jurisdictions if has_sessions(j.record)}
    problems = []
    for item in items:
        event = item.record
        if event.status != "pending" or event.jurisdiction_id not in legislatures:
            continue
        held = [
            s
            for s in sessions
            if s.record.jurisdiction_id == event.jurisdiction_id and s.record.holds(event.when)
        ]
        if not held:
            reason = (
                f"no session of {event.jurisdiction_id} in {sessions_file} holds {event.date}: "
                "a bill stands no longer than its session"
            )
            problems.append(cell_problem(table, item.line, "date", reason))
    return problems


def tally_problems(table: Table, items: list[Located[Tally]], known: set[str]) -> list[Problem]:
    """A state count names USPS codes; a local one names jurisdiction ids; exclusions and the
    optional state filter must exist."""
    problems = []
    for item in items:
        tally = item.record

        def problem(field: str, reason: str, line: int = item.line) -> Problem:
            return cell_problem(table, line, field, reason)

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


def read_url_problems(table: Table, items: list[Located]) -> list[Problem]:
    return [
        cell_problem(table, item.line, "read_url", "is the same as source_url; leave it empty")
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


def mirror_problems(table: Table, items: list[Located], domains: list[str]) -> list[Problem]:
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
            problems.append(cell_problem(table, item.line, "source_url", reason))
    return problems


def empty_problems(table: Table, spec: FileSpec) -> list[Problem]:
    """A file that must hold rows (`spec.rows_required`) but has only its header."""
    if not spec.rows_required or not table.header or table.rows or table.problems:
        return []
    reason = "the file has a header but no rows; at least one row is required"
    return [Problem(table.path, 2, 1, "row", reason)]


def caveat_problems(table: Table, items: list[Located[Quote]]) -> list[Problem]:
    """A low-confidence quote says why, in words a reader sees (its `caveat`). A file written
    before the column existed has no caveats to check: it still reads, as none."""
    if "caveat" not in table.header:
        return []
    reason = f"a low-confidence quote needs a caveat (one of: {', '.join(CAVEATS)})"
    return [
        cell_problem(table, item.line, "caveat", reason)
        for item in items
        if item.record.confidence == "low" and not item.record.caveats
    ]
