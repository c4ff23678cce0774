"""The data files as typed, validated records.

One pydantic model per row checks the fields of that row (`fields`, `models`); rules across
rows and files (unique ids, references, proposals, tallies, copies) run on top (`checks`).
Every problem is collected, each with the file, line and column a person can open, before
anything is reported. A row with a problem never becomes a record, and the dataset as a whole
is refused while any problem remains. Import every name from `geo.records`.
"""

from __future__ import annotations

from pathlib import Path

from geo.csvfile import Problem, Table, read_table
from geo.records.checks import (
    caveat_problems,
    empty_problems,
    host_of,
    jurisdiction_problems,
    mirror_of,
    mirror_problems,
    pending_session_problems,
    proposal_problems,
    read_url_problems,
    records,
    reference_problems,
    scope_problems,
    session_problems,
    tally_problems,
    unique,
)
from geo.records.fields import (
    MAX_NAME,
    MAX_NOTE,
    MAX_QUOTE,
    MAX_SHORT,
    MAX_SUMMARY,
    MAX_URL,
    check_url,
    clean_text,
    parse_date,
)
from geo.records.models import (
    DATA_FILES,
    FILES,
    ORIGINAL_NOT_FOUND,
    SESSIONS_FILE,
    DataError,
    Dataset,
    Event,
    FileSpec,
    Jurisdiction,
    Located,
    MirrorDomain,
    Quote,
    Record,
    Session,
    Tally,
)
from geo.vocabulary import STATUSES

__all__ = [
    "DATA_FILES",
    "FILES",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_QUOTE",
    "MAX_SHORT",
    "MAX_SUMMARY",
    "MAX_URL",
    "ORIGINAL_NOT_FOUND",
    "SESSIONS_FILE",
    "STATUSES",
    "DataError",
    "Dataset",
    "Event",
    "FileSpec",
    "Jurisdiction",
    "Located",
    "MirrorDomain",
    "Quote",
    "Record",
    "Session",
    "Tally",
    "check_dataset",
    "check_url",
    "clean_text",
    "host_of",
    "load_dataset",
    "mirror_of",
    "parse_date",
]


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
    jt, et, qt, tt, mt, st = (tables[spec.name] for spec in FILES)
    jurisdictions, problems = records(jt, FILES[0], Jurisdiction)
    events, event_problems = records(et, FILES[1], Event)
    quotes, quote_problems = records(qt, FILES[2], Quote)
    tallies, tally_rows = records(tt, FILES[3], Tally)
    mirrors, mirror_rows = records(mt, FILES[4], MirrorDomain)
    sessions, session_rows = records(st, FILES[5], Session)
    problems += event_problems + quote_problems + tally_rows + mirror_rows + session_rows
    for spec in FILES:
        problems += empty_problems(tables[spec.name], spec)

    problems += jurisdiction_problems(jt, jurisdictions)
    # Every id written in jurisdictions.csv, even on a row with another problem: a broken
    # jurisdiction row is reported once, not again on each event and quote that names it.
    known = {row.cells["id"].value for row in jt.rows if "id" in row.cells}
    # A reference can only be judged once jurisdictions.csv itself could be read.
    if jt.rows and not any(p.path == jt.path and p.line == 1 for p in problems) and not jt.problems:
        problems += reference_problems(et, events, known, FILES[0].name)
        problems += reference_problems(qt, quotes, known, FILES[0].name)
    problems += unique(et, events, lambda e: e.id, "id", "this id is")
    problems += unique(
        et, events, lambda e: (e.jurisdiction_id, e.date, e.status, e.proposal), "status",
        "the same jurisdiction, date and status is",
    )  # fmt: skip
    problems += proposal_problems(et, events)
    problems += scope_problems(et, events)
    if not jt.problems:
        problems += session_problems(st, sessions, known)
        problems += pending_session_problems(et, events, jurisdictions, sessions, FILES[5].name)
    problems += unique(qt, quotes, lambda q: q.id, "id", "this id is")
    problems += caveat_problems(qt, quotes)
    problems += unique(
        qt, quotes, lambda q: (q.jurisdiction_id, q.speaker, q.text), "text",
        "the same speaker, place and words are",
    )  # fmt: skip
    problems += unique(tt, tallies, lambda t: t.id, "id", "this id is")
    if not jt.problems:
        problems += tally_problems(tt, tallies, known)
    problems += unique(mt, mirrors, lambda m: m.domain, "domain", "this domain is")
    domains = [m.record.domain for m in mirrors]
    for table, items in ((et, events), (qt, quotes), (tt, tallies), (st, sessions)):
        problems += read_url_problems(table, items)
        problems += mirror_problems(table, items, domains)

    dataset = Dataset(
        tuple(i.record for i in jurisdictions),
        tuple(i.record for i in events),
        tuple(i.record for i in quotes),
        tuple(i.record for i in tallies),
        tuple(i.record for i in mirrors),
        tuple(i.record for i in sessions),
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
