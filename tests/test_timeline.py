"""Status through time (geo/timeline.py), on Event records built directly."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from geo.records import Event
from geo.timeline import (
    counts_as_of,
    history,
    in_date_order,
    latest_events,
    month_starts,
    monthly_counts,
    status_as_of,
    year_end,
    year_range,
)

_ids = itertools.count(1)

ALL_COUNTS = ("banned", "moratorium", "restricted", "pending", "using", "repealed", "no_record")


def ev(jurisdiction_id: str, when: str, status: str, proposal: str = "") -> Event:
    return Event(
        id=f"event-{next(_ids)}",
        proposal=proposal,
        jurisdiction_id=jurisdiction_id,
        date=when,
        status=status,
        measure="",
        vote="",
        summary="Fixture event.",
        source_name="Fixture Source",
        source_url="https://example.org/fixture",
        confidence="high",
    )


def counts(**nonzero: int) -> dict[str, int]:
    assert set(nonzero) <= set(ALL_COUNTS), nonzero
    return {key: nonzero.get(key, 0) for key in ALL_COUNTS}


D = date.fromisoformat

# (events as (jurisdiction, date, status) in file order, [(on, expected statuses)])
STATUS_CASES = {
    "ban-then-repeal": (
        [("oak", "2019-07-16", "banned"), ("oak", "2023-03-01", "repealed")],
        [
            ("2019-07-15", {}),
            ("2019-07-16", {"oak": "banned"}),
            ("2023-02-28", {"oak": "banned"}),
            ("2023-03-01", {"oak": "repealed"}),
            ("2024-01-01", {"oak": "repealed"}),
        ],
    ),
    "pending-then-banned-same-month-exact-days": (
        [("sf", "2019-05-06", "pending"), ("sf", "2019-05-14", "banned")],
        [
            ("2019-05-05", {}),
            ("2019-05-06", {"sf": "pending"}),
            ("2019-05-13", {"sf": "pending"}),
            ("2019-05-14", {"sf": "banned"}),
            ("2019-05-31", {"sf": "banned"}),
        ],
    ),
    # The month-only row is written after the exact day, and still counts from May 1.
    "month-only-pending-then-exact-day-ban": (
        [("sf", "2019-05-14", "banned"), ("sf", "2019-05", "pending")],
        [
            ("2019-04-30", {}),
            ("2019-05-01", {"sf": "pending"}),
            ("2019-05-13", {"sf": "pending"}),
            ("2019-05-14", {"sf": "banned"}),
        ],
    ),
    "month-only-ban-then-exact-day-pending": (
        [("x", "2019-05", "banned"), ("x", "2019-05-20", "pending")],
        [
            ("2019-05-01", {"x": "banned"}),
            ("2019-05-19", {"x": "banned"}),
            ("2019-05-20", {"x": "pending"}),
        ],
    ),
    "month-only-date": (
        [("ca", "2019-10", "moratorium")],
        [
            ("2019-09-30", {}),
            ("2019-10-01", {"ca": "moratorium"}),
            ("2019-10-31", {"ca": "moratorium"}),
        ],
    ),
    "before-any-event": (
        [("oak", "2019-07-16", "banned"), ("sf", "2019-05-14", "banned")],
        [
            ("2000-01-01", {}),
            ("2019-05-13", {}),
            ("2019-06-01", {"sf": "banned"}),
            ("2019-07-16", {"sf": "banned", "oak": "banned"}),
        ],
    ),
    "events-given-out-of-order": (
        [
            ("p", "2023-03-01", "repealed"),
            ("p", "2020-09-09", "banned"),
            ("p", "2021-01", "restricted"),
        ],
        [
            ("2020-09-08", {}),
            ("2020-12-31", {"p": "banned"}),
            ("2021-01-01", {"p": "restricted"}),
            ("2023-03-01", {"p": "repealed"}),
        ],
    ),
    "same-date-tie-later-row-wins": (
        [("t", "2020-01-01", "pending"), ("t", "2020-01-01", "banned")],
        [("2019-12-31", {}), ("2020-01-01", {"t": "banned"})],
    ),
    "same-date-tie-reversed-file-order": (
        [("t", "2020-01-01", "banned"), ("t", "2020-01-01", "pending")],
        [("2020-01-01", {"t": "pending"}), ("2021-01-01", {"t": "pending"})],
    ),
    "month-only-and-first-of-month-tie-keeps-file-order": (
        [("t", "2020-02-01", "pending"), ("t", "2020-02", "banned")],
        [("2020-01-31", {}), ("2020-02-01", {"t": "banned"})],
    ),
    "interleaved-jurisdictions": (
        [
            ("a", "2019-01-10", "using"),
            ("b", "2019-02-10", "pending"),
            ("a", "2019-03-10", "banned"),
            ("b", "2019-04-10", "banned"),
            ("a", "2019-05", "repealed"),
        ],
        [
            ("2019-02-10", {"a": "using", "b": "pending"}),
            ("2019-03-31", {"a": "banned", "b": "pending"}),
            ("2019-05-01", {"a": "repealed", "b": "banned"}),
        ],
    ),
    # A proposal that ends returns the place to the status it had before the proposal.
    "failed-proposal-returns-to-no-record": (
        [("den", "2019-09-11", "pending", "p"), ("den", "2020-05-04", "failed", "p")],
        [("2019-12-31", {"den": "pending"}), ("2020-05-03", {"den": "pending"}),
         ("2020-05-04", {}), ("2024-01-01", {})],
    ),
    "failed-proposal-returns-to-using": (
        [("a", "2019-05", "using"), ("a", "2020-01-10", "pending", "p"),
         ("a", "2021-03-01", "failed", "p")],
        [("2020-06-30", {"a": "pending"}), ("2021-03-01", {"a": "using"})],
    ),
    "proposal-inside-an-existing-ban": (
        [("a", "2019-06-27", "banned"), ("a", "2021-02-01", "pending", "stronger"),
         ("a", "2021-09-01", "failed", "stronger")],
        [("2021-01-31", {"a": "banned"}), ("2021-02-01", {"a": "pending"}),
         ("2021-09-01", {"a": "banned"})],
    ),
    "two-overlapping-proposals": (
        [("a", "2019-01-01", "restricted"), ("a", "2020-01-01", "pending", "one"),
         ("a", "2020-06-01", "pending", "two"), ("a", "2020-09-01", "failed", "one"),
         ("a", "2021-01-01", "failed", "two")],
        [("2020-07-01", {"a": "pending"}), ("2020-09-01", {"a": "pending"}),
         ("2021-01-01", {"a": "restricted"})],
    ),
    "overlapping-proposals-ending-in-the-other-order": (
        [("a", "2020-01-01", "pending", "one"), ("a", "2020-06-01", "pending", "two"),
         ("a", "2020-09-01", "failed", "two"), ("a", "2021-01-01", "failed", "one")],
        [("2020-09-01", {"a": "pending"}), ("2021-01-01", {})],
    ),
    "every-stage-of-a-proposal-ends-together": (
        [("ca", "2023-01-01", "repealed"), ("ca", "2023-03-21", "pending", "ab1034"),
         ("ca", "2023-05-15", "pending", "ab1034"), ("ca", "2023-09-11", "failed", "ab1034")],
        [("2023-06-01", {"ca": "pending"}), ("2023-09-11", {"ca": "repealed"})],
    ),
    "an-enacted-proposal-is-not-undone-by-another-failing": (
        [("a", "2020-01-01", "pending", "one"), ("a", "2020-03-01", "banned"),
         ("a", "2021-01-01", "pending", "two"), ("a", "2021-06-01", "failed", "two")],
        [("2020-03-01", {"a": "banned"}), ("2021-01-01", {"a": "pending"}),
         ("2021-06-01", {"a": "banned"})],
    ),
    "a-proposal-that-failed-can-be-filed-again": (
        [("a", "2020-01-01", "pending", "p"), ("a", "2020-06-01", "failed", "p"),
         ("a", "2021-01-01", "pending", "p")],
        [("2020-06-01", {}), ("2021-01-01", {"a": "pending"})],
    ),
    "failed-on-the-day-it-was-filed-closes-it": (
        [("a", "2019-01-01", "banned"), ("a", "2020-01-01", "pending", "p"),
         ("a", "2020-01-01", "failed", "p")],
        [("2020-01-01", {"a": "banned"})],
    ),
    "a-failure-closes-only-its-own-place": (
        [("a", "2020-01-01", "pending", "p"), ("b", "2020-01-01", "pending", "p"),
         ("a", "2020-06-01", "failed", "p")],
        [("2020-06-01", {"b": "pending"})],
    ),
    "ban-replaced-by-regulation-is-restricted": (
        [("va", "2021-04-07", "banned"), ("va", "2022-04-27", "restricted")],
        [("2021-12-31", {"va": "banned"}), ("2022-12-31", {"va": "restricted"})],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(STATUS_CASES))
def test_status_as_of(name: str) -> None:
    spec, queries = STATUS_CASES[name]
    events = [ev(*item) for item in spec]
    for on, expected in queries:
        assert status_as_of(events, D(on)) == expected, on


def test_latest_events_returns_the_winning_event() -> None:
    first = ev("t", "2020-01-01", "pending")
    second = ev("t", "2020-01-01", "banned")
    other = ev("u", "2020-03", "using")
    latest = latest_events([other, first, second], D("2020-06-30"))
    assert latest == {"t": second, "u": other}
    assert latest_events([other, first, second], D("2020-02-29")) == {"t": second}


def test_in_date_order_is_stable() -> None:
    a = ev("x", "2021-06-15", "banned")
    b = ev("x", "2021-06", "pending")
    c = ev("y", "2021-06-01", "using")
    d = ev("x", "2020-12-31", "pending")
    assert [e.id for e in in_date_order([a, b, c, d])] == [d.id, b.id, c.id, a.id]


def test_history_is_one_jurisdiction_oldest_first() -> None:
    late = ev("oak", "2023-03-01", "repealed")
    early = ev("oak", "2019-06", "pending")
    other = ev("sf", "2019-05-14", "banned")
    middle = ev("oak", "2019-07-16", "banned")
    assert history([late, other, early, middle], "oak") == [early, middle, late]
    assert history([late, other], "nowhere") == []


COUNT_EVENTS = [
    ("oak", "2019-07-16", "banned"),
    ("sf", "2019-05-14", "banned"),
    ("sf", "2019-05-06", "pending"),
    ("boston", "2020-06-24", "banned"),
    ("boston", "2018-11", "using"),
    ("elsewhere", "2015-01-01", "banned"),  # not among the ids counted
]
COUNT_IDS = ["oak", "sf", "boston", "ma-state"]  # ma-state has no event at all


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2017-01-01", counts(no_record=4)),
        ("2018-11-01", counts(using=1, no_record=3)),
        ("2019-05-10", counts(pending=1, using=1, no_record=2)),
        ("2019-07-16", counts(banned=2, using=1, no_record=1)),
        ("2020-12-31", counts(banned=3, no_record=1)),
    ],
)
def test_counts_as_of(on: str, expected: dict[str, int]) -> None:
    events = [ev(*item) for item in COUNT_EVENTS]
    assert counts_as_of(COUNT_IDS, events, D(on)) == expected


def test_counts_as_of_jurisdiction_without_events_is_no_record() -> None:
    assert counts_as_of(["ma-state"], [], D("2024-01-01")) == counts(no_record=1)


@pytest.mark.parametrize(
    ("year", "today", "expected"),
    [
        (2020, "2024-06-15", "2020-12-31"),
        (2023, "2024-01-01", "2023-12-31"),
        (2024, "2024-06-15", "2024-06-15"),
        (2024, "2024-12-31", "2024-12-31"),
        (2024, "2024-01-01", "2024-01-01"),
    ],
)
def test_year_end(year: int, today: str, expected: str) -> None:
    assert year_end(year, D(today)) == D(expected)


@pytest.mark.parametrize(
    ("spec", "today", "expected"),
    [
        ([("a", "2023-03-01", "banned"), ("b", "2019-10", "pending")], "2024-06-15", (2019, 2024)),
        # A law from before the story starts is shown from 2019 on.
        ([("a", "2018-11", "using"), ("a", "2020-06-24", "banned")], "2025-01-01", (2019, 2025)),
        ([("a", "2020-06-24", "banned")], "2025-01-01", (2020, 2025)),
        ([("a", "2024-02-02", "banned")], "2024-06-15", (2024, 2024)),
        ([], "2024-06-15", (2024, 2024)),
    ],
)
def test_year_range(
    spec: list[tuple[str, str, str]], today: str, expected: tuple[int, int]
) -> None:
    assert year_range([ev(*item) for item in spec], D(today)) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2019-11-15", "2020-02-03", ["2019-11-01", "2019-12-01", "2020-01-01", "2020-02-01"]),
        ("2020-03-31", "2020-03-01", ["2020-03-01"]),
        ("2020-03-02", "2020-03-31", ["2020-03-01"]),
        ("2020-04-01", "2020-03-31", []),
    ],
)
def test_month_starts(first: str, last: str, expected: list[str]) -> None:
    assert month_starts(D(first), D(last)) == [D(x) for x in expected]


def test_monthly_counts_are_taken_at_month_end_and_at_last() -> None:
    events = [
        ev("sf", "2019-05-06", "pending"),
        ev("sf", "2019-05-31", "banned"),  # the last day of May counts for May
        ev("oak", "2019-06", "pending"),
        ev("oak", "2019-07-16", "banned"),  # after `last`: not counted
        ev("eu", "2019-07-11", "pending"),  # after `last`: not counted
    ]
    rows = monthly_counts(["sf", "oak", "eu"], events, D("2019-04-10"), D("2019-07-10"))
    assert rows == [
        (D("2019-04-01"), counts(no_record=3)),
        (D("2019-05-01"), counts(banned=1, no_record=2)),
        (D("2019-06-01"), counts(banned=1, pending=1, no_record=1)),
        (D("2019-07-01"), counts(banned=1, pending=1, no_record=1)),
    ]


def test_monthly_counts_across_a_year_end_and_a_leap_day() -> None:
    events = [
        ev("a", "2019-12-31", "banned"),
        ev("b", "2020-01-01", "pending"),
        ev("b", "2020-02-29", "banned"),
    ]
    rows = monthly_counts(["a", "b"], events, D("2019-12-15"), D("2020-02-29"))
    assert [start for start, _ in rows] == [D("2019-12-01"), D("2020-01-01"), D("2020-02-01")]
    assert [row for _, row in rows] == [
        counts(banned=1, no_record=1),
        counts(banned=1, pending=1),
        counts(banned=2),
    ]


def test_monthly_counts_before_the_last_day_of_february() -> None:
    events = [ev("b", "2021-02-28", "banned")]
    rows = monthly_counts(["b"], events, D("2021-01-01"), D("2021-03-01"))
    assert rows == [
        (D("2021-01-01"), counts(no_record=1)),
        (D("2021-02-01"), counts(banned=1)),
        (D("2021-03-01"), counts(banned=1)),
    ]
