"""Law and practice through time (geo/timeline.py), on Event records built directly.

Each case lists events in file order and, for some dates, what the map draws: the fill and
any marks of every place that has one. A measure or pending row is broad ("government")
and a pending row a ban proposal unless the case says otherwise.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from geo.records import Event, Session
from geo.timeline import fold, history, in_date_order, month_starts, year_end, year_range

_ids = itertools.count(1)

ALL_COUNTS = ("banned", "moratorium", "restricted", "pending", "using", "repealed", "no_record")
MEASURES = ("banned", "moratorium", "restricted", "repealed")


def ev(
    jurisdiction_id: str,
    when: str,
    status: str,
    proposal: str = "",
    *,
    scope: str | None = None,
    kind: str | None = None,
) -> Event:
    needs_scope = status in MEASURES or status == "pending"
    return Event(
        id=f"event-{next(_ids)}",
        proposal=proposal,
        jurisdiction_id=jurisdiction_id,
        date=when,
        status=status,
        scope=(scope or "government") if needs_scope else "",
        proposal_kind=(kind or "ban") if status == "pending" else "",
        measure="",
        vote="",
        summary="Fixture event.",
        source_name="Fixture Source",
        source_url="https://example.org/fixture",
        confidence="high",
    )


def session(jurisdiction_id: str, start: str, end: str) -> Session:
    return Session(
        jurisdiction_id=jurisdiction_id,
        session="Fixture session",
        start=start,
        end=end,
        source_name="Fixture Source",
        source_url="https://example.org/session",
    )


def counts(**nonzero: int) -> dict[str, int]:
    assert set(nonzero) <= set(ALL_COUNTS), nonzero
    return {key: nonzero.get(key, 0) for key in ALL_COUNTS}


D = date.fromisoformat
P = "pending"


def drawn(events: list[Event], on: str, sessions: tuple[Session, ...] = ()) -> dict[str, str]:
    """Place -> its fill, with any marks after a '+' ("banned+use_despite")."""
    shot = fold(events, D(on), sessions)
    return {
        jid: "+".join((state.fill, *state.marks))
        for jid, state in shot.places.items()
        if state.fill != "no_record" or state.marks
    }


# (events as ev() arguments in file order, [(on, expected drawing)])
CASES: dict[str, tuple[list[tuple], list[tuple[str, dict[str, str]]]]] = {
    "ban-then-repeal": (
        [("oak", "2019-07-16", "banned"), ("oak", "2023-03-01", "repealed")],
        [("2019-07-15", {}), ("2019-07-16", {"oak": "banned"}),
         ("2023-02-28", {"oak": "banned"}), ("2023-03-01", {"oak": "repealed"})],
    ),
    "pending-then-banned-same-month-exact-days": (
        [("sf", "2019-05-06", P), ("sf", "2019-05-14", "banned")],
        [("2019-05-05", {}), ("2019-05-06", {"sf": "pending"}),
         ("2019-05-13", {"sf": "pending"}), ("2019-05-14", {"sf": "banned"})],
    ),
    # The month-only row is written after the exact day, and still counts from May 1.
    "month-only-pending-then-exact-day-ban": (
        [("sf", "2019-05-14", "banned"), ("sf", "2019-05", P)],
        [("2019-04-30", {}), ("2019-05-01", {"sf": "pending"}), ("2019-05-14", {"sf": "banned"})],
    ),
    "month-only-date": (
        [("ca", "2019-10", "moratorium")],
        [("2019-09-30", {}), ("2019-10-01", {"ca": "moratorium"})],
    ),
    "before-any-event": (
        [("oak", "2019-07-16", "banned"), ("sf", "2019-05-14", "banned")],
        [("2000-01-01", {}), ("2019-06-01", {"sf": "banned"}),
         ("2019-07-16", {"sf": "banned", "oak": "banned"})],
    ),
    "events-given-out-of-order": (
        [("p", "2023-03-01", "repealed"), ("p", "2020-09-09", "banned"),
         ("p", "2021-01", "restricted")],
        [("2020-09-08", {}), ("2020-12-31", {"p": "banned"}), ("2021-01-01", {"p": "restricted"}),
         ("2023-03-01", {"p": "repealed"})],
    ),
    "same-date-tie-later-row-wins": (
        [("t", "2020-01-01", "restricted"), ("t", "2020-01-01", "banned")],
        [("2020-01-01", {"t": "banned"})],
    ),
    "same-date-tie-reversed-file-order": (
        [("t", "2020-01-01", "banned"), ("t", "2020-01-01", "restricted")],
        [("2020-01-01", {"t": "restricted"})],
    ),
    # The law in force, not the newest event: a newer proposal does not undo a measure.
    "a-measure-with-a-newer-ban-proposal": (
        [("a", "2019-06-27", "banned"), ("a", "2021-02-01", P, "stronger")],
        [("2021-02-01", {"a": "banned"})],
    ),
    "rules-with-a-newer-ban-proposal-draw-the-pattern": (
        [("ma", "2020-12-31", "restricted", {"scope": "police"}), ("ma", "2025-01-13", P, "b")],
        [("2025-01-13", {"ma": "restricted+ban_proposal"})],
    ),
    "rules-with-a-newer-rules-proposal-draw-no-pattern": (
        [("ma", "2020-12-31", "restricted"), ("ma", "2025-01-13", P, "b", {"kind": "rules"})],
        [("2025-01-13", {"ma": "restricted"})],
    ),
    "only-a-ban-proposal-reads-ban-pending": (
        [("il", "2026-02-05", P, "rules", {"kind": "rules"}),
         ("ny", "2025-01-09", P, "auth", {"kind": "authorise"}),
         ("mn", "2025-04-07", P, "ban")],
        [("2026-03-01", {"mn": "pending"})],
    ),
    # A measure with a newer use report: the ban stands, the use is drawn on top of it.
    "a-ban-with-a-newer-use-report": (
        [("sf", "2019-05-14", "banned"), ("sf", "2020-09-25", "using"),
         ("sf", "2024-05-18", "using")],
        [("2019-12-31", {"sf": "banned"}), ("2020-12-31", {"sf": "banned+use_despite"}),
         ("2024-12-31", {"sf": "banned+use_despite"})],
    ),
    "a-ban-ends-earlier-use": (
        [("bos", "2019-05", "using"), ("bos", "2020-06-24", "banned")],
        [("2019-12-31", {"bos": "using"}), ("2020-06-24", {"bos": "banned"})],
    ),
    "rules-do-not-end-use": (
        [("det", "2019-09-19", "using"), ("det", "2024-06-28", "restricted", {"scope": "police"})],
        [("2024-12-31", {"det": "restricted"})],
    ),
    "use-ended": (
        [("lock", "2020-01", "using"), ("lock", "2020-12-22", "use_ended")],
        [("2020-06-30", {"lock": "using"}), ("2020-12-22", {})],
    ),
    "use-ended-returns-to-an-open-ban-proposal": (
        [("a", "2019-05", "using"), ("a", "2019-06-01", P, "p"), ("a", "2019-07-18", "use_ended")],
        [("2019-06-30", {"a": "using+ban_proposal"}), ("2019-07-18", {"a": "pending"})],
    ),
    "use-reported-again-after-it-ended": (
        [("a", "2019-05", "using"), ("a", "2019-07-18", "use_ended"), ("a", "2021-01", "using")],
        [("2020-01-01", {}), ("2021-01-01", {"a": "using"})],
    ),
    # A narrow scope: a ban on schools, one vendor or cameras is drawn as restricted.
    "a-narrow-ban-is-drawn-restricted": (
        [("nys", "2023-09-27", "banned", {"scope": "schools"}),
         ("nj", "2020-01-24", "moratorium", {"scope": "vendor"}),
         ("ca", "2019-10-08", "moratorium", {"scope": "devices"})],
        [("2023-12-31", {"nys": "restricted", "nj": "restricted", "ca": "restricted"})],
    ),
    "a-narrow-measure-never-weakens-a-broad-ban": (
        [("a", "2019-01-01", "banned"), ("a", "2023-06-01", "restricted", {"scope": "devices"})],
        [("2023-12-31", {"a": "banned"})],
    ),
    "a-narrow-repeal-ends-only-its-own-track": (
        [("ca", "2019-10-08", "moratorium", {"scope": "devices"}),
         ("ca", "2020-01-01", "restricted", {"scope": "schools"}),
         ("ca", "2023-01-01", "repealed", {"scope": "devices"})],
        [("2023-01-01", {"ca": "restricted"})],
    ),
    "a-narrow-ban-does-not-make-use-despite": (
        [("a", "2020-01-01", "banned", {"scope": "schools"}), ("a", "2021-01-01", "using")],
        [("2021-01-01", {"a": "restricted"})],
    ),
    "ban-replaced-by-regulation-is-restricted": (
        [("va", "2021-04-07", "banned", {"scope": "police"}),
         ("va", "2022-04-27", "restricted", {"scope": "police"})],
        [("2021-12-31", {"va": "banned"}), ("2022-12-31", {"va": "restricted"})],
    ),
    "a-repealed-measure-gives-way-to-reported-use": (
        [("ms", "2020-08", "banned"), ("ms", "2025-02", "repealed"), ("ms", "2025-06", "using")],
        [("2025-03-01", {"ms": "repealed"}), ("2025-06-01", {"ms": "using"})],
    ),
    # A proposal closed by failure returns the place to what it was before.
    "failed-proposal-returns-to-no-record": (
        [("den", "2019-09-11", P, "p"), ("den", "2020-05-04", "failed", "p")],
        [("2020-05-03", {"den": "pending"}), ("2020-05-04", {})],
    ),
    "failed-proposal-returns-to-using": (
        [("a", "2019-05", "using"), ("a", "2020-01-10", P, "p"),
         ("a", "2021-03-01", "failed", "p")],
        [("2020-06-30", {"a": "using+ban_proposal"}), ("2021-03-01", {"a": "using"})],
    ),
    "two-overlapping-proposals": (
        [("a", "2020-01-01", P, "one"), ("a", "2020-06-01", P, "two"),
         ("a", "2020-09-01", "failed", "one"), ("a", "2021-01-01", "failed", "two")],
        [("2020-09-01", {"a": "pending"}), ("2021-01-01", {})],
    ),
    "every-stage-of-a-proposal-ends-together": (
        [("ca", "2023-01-01", "repealed"), ("ca", "2023-03-21", P, "ab1034"),
         ("ca", "2023-05-15", P, "ab1034"), ("ca", "2023-09-11", "failed", "ab1034")],
        [("2023-06-01", {"ca": "pending"}), ("2023-09-11", {"ca": "repealed"})],
    ),
    "a-proposal-that-failed-can-be-filed-again": (
        [("a", "2020-01-01", P, "p"), ("a", "2020-06-01", "failed", "p"),
         ("a", "2021-01-01", P, "p")],
        [("2020-06-01", {}), ("2021-01-01", {"a": "pending"})],
    ),
    "a-failure-closes-only-its-own-place": (
        [("a", "2020-01-01", P, "p"), ("b", "2020-01-01", P, "p"),
         ("a", "2020-06-01", "failed", "p")],
        [("2020-06-01", {"b": "pending"})],
    ),
    # A proposal closed by passage: the measure row names it.
    "a-proposal-closed-by-passage": (
        [("oak", "2019-07-16", P, "ban"), ("oak", "2019-09-17", "restricted", "ban"),
         ("oak", "2019-10-01", P, "other")],
        [("2019-09-17", {"oak": "restricted"}), ("2019-10-01", {"oak": "restricted+ban_proposal"})],
    ),
    "a-passed-proposal-no-longer-shows-over-a-weaker-measure": (
        [("ma", "2019-01-15", P, "b"), ("ma", "2020-12-31", "restricted", "b")],
        [("2020-12-30", {"ma": "pending"}), ("2020-12-31", {"ma": "restricted"})],
    ),
    # A later measure on the same track decides the question: rules instead of a ban.
    "a-later-measure-on-the-track-closes-older-proposals": (
        [("ann-arbor", "2021-01-04", P, "ban", {"scope": "police"}),
         ("ann-arbor", "2024-06-03", "restricted", {"scope": "police"})],
        [("2024-06-02", {"ann-arbor": "pending"}), ("2024-06-03", {"ann-arbor": "restricted"})],
    ),
    "a-narrow-measure-leaves-a-broad-proposal-open": (
        [("il", "2023-01-10", P, "ban"), ("il", "2023-06-01", "restricted", {"scope": "devices"})],
        [("2023-06-01", {"il": "restricted+ban_proposal"})],
    ),
    "a-broad-measure-leaves-a-narrow-proposal-open": (
        [("ny", "2023-01-10", P, "schools", {"scope": "schools", "kind": "rules"}),
         ("ny", "2023-06-01", "banned"), ("ny", "2024-01-01", "failed", "schools")],
        [("2023-06-01", {"ny": "banned"})],
    ),
}  # fmt: skip

# Sessions: a bill not enacted stands no longer than its session.
SESSIONS = (session("mi", "2019-01-09", "2020-12-31"), session("mi", "2021-01-13", "2022-12"))
SESSION_CASES: dict[str, tuple[list[tuple], list[tuple[str, dict[str, str]]]]] = {
    "a-proposal-closed-by-its-sessions-end": (
        [("mi", "2019-05-22", P, "sb342"), ("mi", "2019-12", P, "sb342")],
        [("2020-12-31", {"mi": "pending"}), ("2021-01-01", {})],
    ),
    "a-bill-refiled-in-the-next-session-reopens": (
        [("mi", "2019-05-22", P, "b"), ("mi", "2021-03-01", P, "b")],
        [("2021-02-01", {}), ("2021-03-01", {"mi": "pending"}), ("2022-12-31", {"mi": "pending"}),
         ("2023-01-01", {})],
    ),
    "a-place-without-sessions-keeps-its-proposal-open": (
        [("ann-arbor", "2021-01-04", P, "b")],
        [("2026-01-01", {"ann-arbor": "pending"})],
    ),
    "a-proposal-that-passed-within-its-session": (
        [("mi", "2019-05-22", P, "b"), ("mi", "2020-06-01", "banned", "b")],
        [("2021-06-01", {"mi": "banned"})],
    ),
}  # fmt: skip


# Every case with the sessions it is read with (the first table needs none).
FOLD_CASES = {
    **{name: (case, ()) for name, case in CASES.items()},
    **{name: (case, SESSIONS) for name, case in SESSION_CASES.items()},
}


@pytest.mark.parametrize("name", list(FOLD_CASES))
def test_fold(name: str) -> None:
    (spec, queries), sessions = FOLD_CASES[name]
    events = [
        ev(*item) if not isinstance(item[-1], dict) else ev(*item[:-1], **item[-1]) for item in spec
    ]
    for on, expected in queries:
        assert drawn(events, on, sessions) == expected, on


def test_an_empty_events_file_draws_every_place_as_no_record() -> None:
    shot = fold([], D("2024-01-01"), (), ["a", "b"])
    assert shot.counts() == counts(no_record=2)
    assert shot.mark_counts() == {"ban_proposal": 0, "use_despite": 0}
    assert shot.state("a").cause is None
    assert year_range([], D("2024-06-15")) == (2024, 2024)


def test_context_places_are_folded_but_never_counted() -> None:
    events = [ev("rose-bowl", "2020-01-01", "using"), ev("sf", "2019-05-14", "banned")]
    shot = fold(events, D("2021-01-01"), (), ["rose-bowl", "sf"], ["rose-bowl"])
    assert shot.state("rose-bowl").fill == "using"
    assert shot.counts() == counts(banned=1)


def test_the_state_keeps_the_rows_that_set_it() -> None:
    ban = ev("sf", "2019-05-14", "banned")
    rules = ev("sf", "2021-01-01", "restricted", scope="devices")
    first = ev("sf", "2020-09-25", "using")
    second = ev("sf", "2024-05-18", "using")
    bill = ev("sf", "2024-06-01", P, "x", kind="rules")
    state = fold([ban, rules, first, second, bill], D("2024-12-31")).state("sf")
    assert state.measure == ban
    assert state.in_force == (ban, rules)
    assert state.cause == ban
    assert state.use.reports == (first, second)
    assert state.use.despite == (first, second)
    assert [p.first for p in state.proposals] == [bill]


def test_counts_hold_fills_and_marks() -> None:
    events = [
        ev("oak", "2019-07-16", "banned"),
        ev("sf", "2019-05-14", "banned"),
        ev("sf", "2020-09-25", "using"),
        ev("bos", "2018-11", "using"),
        ev("ma", "2020-12-31", "restricted"),
        ev("ma", "2021-01-01", P, "b"),
    ]
    shot = fold(events, D("2021-06-30"), (), ["oak", "sf", "bos", "ma", "nowhere"])
    assert shot.counts() == counts(banned=2, using=1, restricted=1, no_record=1)
    assert shot.mark_counts() == {"ban_proposal": 1, "use_despite": 1}


def test_in_date_order_is_stable() -> None:
    a = ev("x", "2021-06-15", "banned")
    b = ev("x", "2021-06", P)
    c = ev("y", "2021-06-01", "using")
    d = ev("x", "2020-12-31", P)
    assert [e.id for e in in_date_order([a, b, c, d])] == [d.id, b.id, c.id, a.id]


def test_history_is_one_jurisdiction_oldest_first() -> None:
    late = ev("oak", "2023-03-01", "repealed")
    early = ev("oak", "2019-06", P)
    other = ev("sf", "2019-05-14", "banned")
    middle = ev("oak", "2019-07-16", "banned")
    assert history([late, other, early, middle], "oak") == [early, middle, late]
    assert history([late, other], "nowhere") == []


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


# --- the real data: no fill weaker than the law in force, every year-end -----------------------


def test_no_fill_is_weaker_than_the_measure_in_force_in_any_year() -> None:
    """For every place and every year-end from 2019 to today: a place with a measure in force
    is drawn as that measure (a broad ban as Banned, a narrow one as Restricted), whatever
    newer proposal or report of use it has; and the counts are the fills'."""
    from collections import Counter

    from geo.timeline import drawn_status, snapshot
    from tests.support.data import real

    dataset, today = real(), date.today()
    first, last = year_range(dataset.events, today)
    for year in range(first, last + 1):
        shot = snapshot(dataset, year_end(year, today))
        for state in shot.counted():
            # A repeal is no limit: reported use or an open ban proposal outranks it.
            if state.measure is not None and state.measure.status != "repealed":
                assert state.fill == drawn_status(state.measure), (year, state.jurisdiction_id)
        fills = Counter(state.fill for state in shot.counted())
        assert {k: v for k, v in shot.counts().items() if v} == dict(fills), year
