"""Published counts as a check the project carries (geo/tallies.py, data/tallies.csv)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from geo.records import Dataset, Event, Jurisdiction, Tally
from geo.tallies import compare, in_force_as_of, tolerance
from tests.support.data import real

_ids = itertools.count(1)


def test_our_count_is_within_tolerance_of_each_published_count() -> None:
    comparisons = [compare(real(), tally) for tally in real().tallies]
    assert comparisons
    outside = [c.explain() for c in comparisons if not c.within]
    assert not outside, "\n".join(outside)


@pytest.mark.parametrize(
    ("on", "count"), [(date(2022, 12, 31), 12), (date(2024, 12, 31), 15)], ids=["2022", "2024"]
)
def test_the_cdt_state_counts_are_carried(on: date, count: int) -> None:
    (tally,) = [t for t in real().tallies if t.when == on and t.level == "state"]
    assert tally.count == count
    assert "techpolicy.press" in tally.source_url


def test_every_count_is_checked_against_a_fold_not_a_constant(tmp_path: Path) -> None:
    """Dropping the events that make a count moves ours: the check reads the data."""
    tally = next(t for t in real().tallies if t.id == "t-007")
    fewer = Dataset(
        real().jurisdictions,
        tuple(e for e in real().events if not e.jurisdiction_id.startswith("ma-")),
        real().quotes,
        real().tallies,
    )
    assert compare(real(), tally).within
    assert not compare(fewer, tally).within
    assert compare(fewer, tally).only_theirs == tally.member_list


# --- the fold of measures in force, table-driven --------------------------------------------


def ev(jid: str, when: str, status: str, proposal: str = "", scope: str = "") -> Event:
    measure_or_bill = status in ("banned", "moratorium", "restricted", "repealed", "pending")
    return Event(id=f"e-{next(_ids)}", jurisdiction_id=jid, date=when, status=status,
                 summary="Fixture.", source_name="Fixture", source_url="https://example.org/f",
                 confidence="high", proposal=proposal,
                 scope=(scope or "government") if measure_or_bill else "",
                 proposal_kind="ban" if status == "pending" else "")  # fmt: skip


def fixture_dataset(events: list[Event]) -> Dataset:
    ids = sorted({e.jurisdiction_id for e in events})
    places = tuple(Jurisdiction(id=jid, name=jid, level="country", lat=0.0, lon=0.0) for jid in ids)
    return Dataset(places, tuple(events), ())


IN_FORCE_CASES = {
    "a-pending-bill-does-not-undo-a-law": (
        [("ma", "2020-12-31", "restricted"), ("ma", "2025-01-13", "pending", "s1053")],
        "2025-06-01", {"ma": "restricted"},
    ),
    "a-report-of-use-does-not-undo-a-ban": (
        [("sf", "2019-05-14", "banned"), ("sf", "2020-09-25", "using")],
        "2021-01-01", {"sf": "banned"},
    ),
    "a-repeal-is-in-force": (
        [("jx", "2020-08", "banned"), ("jx", "2025-02", "repealed")],
        "2025-06-01", {"jx": "repealed"},
    ),
    "only-proposals-and-use-mean-nothing-in-force": (
        [("den", "2019-09-11", "pending", "p"), ("dal", "2024-05-13", "using")],
        "2025-01-01", {},
    ),
    "a-narrow-ban-counts-as-restricted": (
        [("nys", "2023-09-27", "banned", "", "schools")],
        "2024-01-01", {"nys": "restricted"},
    ),
    "a-ban-replaced-by-rules-is-restricted": (
        [("va", "2021-04-07", "banned"), ("va", "2022-04-27", "restricted")],
        "2022-12-31", {"va": "restricted"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(IN_FORCE_CASES))
def test_in_force_as_of(name: str) -> None:
    spec, on, expected = IN_FORCE_CASES[name]
    dataset = fixture_dataset([ev(*row) for row in spec])
    assert in_force_as_of(dataset, date.fromisoformat(on)) == expected


def _tally(**fields: str) -> Tally:
    base = {"id": "t-1", "date": "2021-01-01", "count": "10", "level": "local",
            "compare_statuses": "banned", "counted": "Fixture count.", "source_name": "Fixture",
            "source_url": "https://example.org/t"}  # fmt: skip
    return Tally.model_validate(base | fields)


PLACES = tuple(
    Jurisdiction(id=jid, name=name, level=level, state=state, geoid=geoid, lat=1.0, lon=1.0)
    for jid, name, level, state, geoid in [
        ("ma-a", "A", "city", "MA", "2500001"), ("ma-b", "B", "city", "MA", "2500002"),
        ("ca-c", "C", "city", "CA", "0600003"), ("ma", "Massachusetts", "state", "MA", "25"),
        ("ca", "California", "state", "CA", "06"),
    ]
)  # fmt: skip
EVENTS = tuple(
    ev(*row)
    for row in [("ma-a", "2020-01-01", "banned"), ("ma-b", "2020-02-01", "moratorium"),
                ("ca-c", "2020-03-01", "banned"), ("ma", "2020-12-31", "restricted"),
                ("ca", "2019-10-08", "moratorium"), ("ca", "2023-01-01", "repealed")]
)  # fmt: skip
FIXTURE = Dataset(PLACES, EVENTS, ())

COMPARE_CASES = [
    # (tally fields, our count, within)
    ({"count": "2"}, 2, True),
    ({"count": "2", "compare_statuses": "banned moratorium"}, 3, True),
    ({"count": "2", "state": "MA", "compare_statuses": "banned moratorium"}, 2, True),
    ({"count": "2", "excludes": "ca-c"}, 1, True),
    ({"count": "5"}, 2, False),  # 3 below, tolerance 2
    ({"count": "5", "bound": "at_least"}, 2, False),
    ({"count": "4", "bound": "at_least"}, 2, True),
    ({"count": "0", "bound": "at_least"}, 2, True),
    ({"level": "state", "count": "2", "compare_statuses": "moratorium restricted"}, 2, True),
    ({"level": "state", "count": "2", "compare_statuses": "moratorium restricted",
      "date": "2023-06-01"}, 1, True),
    ({"level": "state", "count": "4", "compare_statuses": "restricted"}, 1, False),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "ours", "within"), COMPARE_CASES)
def test_compare(fields: dict[str, str], ours: int, within: bool) -> None:
    comparison = compare(FIXTURE, _tally(**fields))
    assert (comparison.our_count, comparison.within) == (ours, within), comparison.explain()


@pytest.mark.parametrize(
    ("level", "count", "expected"),
    [
        ("state", "15", 2),
        ("state", "1", 2),
        ("local", "5", 2),
        ("local", "17", 3),
        ("local", "40", 8),
    ],
)
def test_tolerance(level: str, count: str, expected: int) -> None:
    assert tolerance(_tally(level=level, count=count)) == expected


def test_a_failure_names_the_places_on_each_side() -> None:
    comparison = compare(FIXTURE, _tally(count="9", members="ma-a; ca-c; ma-b"))
    assert not comparison.within
    assert comparison.only_theirs == ("ma-b",)
    assert "named by the source but not counted by us: ma-b" in comparison.explain()
