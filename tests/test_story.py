"""The story of a year: what changed on the map since the year before (geo.timeline.changes,
geo.present.story_words and year_story), one sentence for both editions.

The tables use events built directly (tests/test_timeline.py's `ev`); the real data's checks
derive every expected value from the snapshot, never by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from geo.escape import markdown_text
from geo.present import STORY_NAMES, STORY_WORDS, place_label, story_words, year_story
from geo.site.data import site_data, year_dates
from geo.timeline import CHANGE_KINDS, changes, fold, snapshot, year_end
from tests.support.data import real
from tests.support.run import open_app
from tests.test_timeline import ev

BEFORE, AFTER = date(2019, 12, 31), date(2020, 12, 31)
P = "pending"
NOTHING = dict.fromkeys(CHANGE_KINDS, ())

# (case, events, context places, what changed in 2020 by kind)
CHANGE_CASES = [
    ("a ban passes", [ev("a", "2020-03-01", "banned")], (), {"banned": ("a",)}),
    ("a moratorium passes", [ev("a", "2020-03-01", "moratorium")], (), {"banned": ("a",)}),
    ("a ban of last year is not new", [ev("a", "2019-05-01", "banned")], (), {}),
    (
        "a moratorium made a ban is not a new ban",
        [ev("a", "2019-05-01", "moratorium"), ev("a", "2020-05-01", "banned")],
        (),
        {},
    ),
    (
        "rules, then a ban",
        [ev("a", "2019-05-01", "restricted"), ev("a", "2020-05", "banned")],
        (),
        {"banned": ("a",)},
    ),
    (
        "a narrow ban draws as rules",
        [ev("a", "2020-02-01", "banned", scope="schools")],
        (),
        {"restricted": ("a",)},
    ),
    (
        "a ban repealed",
        [ev("a", "2019-05-01", "banned"), ev("a", "2020-07-01", "repealed")],
        (),
        {"repealed": ("a",)},
    ),
    ("a ban proposed", [ev("a", "2020-02-01", P, "p1")], (), {"proposed": ("a",)}),
    (
        "a proposal open since last year is not new",
        [ev("a", "2019-11-01", P, "p1"), ev("a", "2020-02-01", P, "p1")],
        (),
        {},
    ),
    (
        "a rules proposal is not a ban proposal",
        [ev("a", "2020-02-01", P, "p1", kind="rules")],
        (),
        {},
    ),
    (
        "a ban proposed and passed in the same year is a ban",
        [ev("a", "2020-02-01", P, "p1"), ev("a", "2020-06-01", "banned", "p1")],
        (),
        {"banned": ("a",)},
    ),
    ("use reported", [ev("a", "2020-04-01", "using")], (), {"use": ("a",)}),
    (
        "use reported again while still open is not new",
        [ev("a", "2019-04-01", "using"), ev("a", "2020-04-01", "using")],
        (),
        {},
    ),
    (
        "use reported despite a ban",
        [ev("a", "2019-05-01", "banned"), ev("a", "2020-04-01", "using")],
        (),
        {"use": ("a",)},
    ),
    (
        "use, then a ban in the same year: a ban (the ban ends the use)",
        [ev("a", "2020-02-01", "using"), ev("a", "2020-05-01", "banned")],
        (),
        {"banned": ("a",)},
    ),
    (
        "places in the order their changes happened",
        [
            ev("a", "2020-09-01", "banned"),
            ev("b", "2020-01-15", "banned"),
            ev("c", "2020-09-01", "banned"),
        ],
        (),
        {"banned": ("b", "a", "c")},
    ),
    (
        "several kinds at once",
        [
            ev("a", "2020-03-01", "banned"),
            ev("b", "2019-03-01", "banned"),
            ev("b", "2020-03-01", "repealed"),
            ev("c", "2020-03-01", "using"),
        ],
        (),
        {"banned": ("a",), "repealed": ("b",), "use": ("c",)},
    ),
    ("a context place is never counted", [ev("x", "2020-03-01", "banned")], ("x",), {}),
]


@pytest.mark.parametrize(
    ("events", "context", "want"),
    [case[1:] for case in CHANGE_CASES],
    ids=[case[0] for case in CHANGE_CASES],
)
def test_changes_between_two_year_ends(events, context, want) -> None:
    ids = sorted({e.jurisdiction_id for e in events})
    before = fold(events, BEFORE, (), ids, context)
    after = fold(events, AFTER, (), ids, context)
    assert changes(before, after) == {**NOTHING, **want}


def _count(kind: str, n: int) -> str:
    one, many = STORY_WORDS[kind]
    return one if n == 1 else many.format(n=n)


NAMES = [f"Place {n}, ST" for n in range(1, STORY_NAMES + 3)]
# (case, year, names by kind, the sentence)
WORD_CASES = [
    ("nothing changed", 2023, {}, "2023: nothing changed on the map."),
    (
        "one ban",
        2022,
        {"banned": ["Sebastopol, CA"]},
        f"2022: {_count('banned', 1)}: Sebastopol, CA.",
    ),
    (
        "names are split by semicolons (a label holds a comma)",
        2020,
        {"use": NAMES[:2]},
        f"2020: {_count('use', 2).capitalize()}: Place 1, ST; Place 2, ST.",
    ),
    (
        "a long list is cut, the rest counted",
        2020,
        {"banned": NAMES},
        f"2020: {_count('banned', len(NAMES))}: "
        + "; ".join(NAMES[:STORY_NAMES])
        + f"; and {len(NAMES) - STORY_NAMES} more.",
    ),
    (
        "kinds in the story's order, each a sentence starting with a capital",
        2021,
        {"use": ["U, ST"], "banned": ["B, ST"], "proposed": ["P, ST"], "repealed": ["R, ST"]},
        f"2021: {_count('banned', 1)}: B, ST. {_count('repealed', 1)}: R, ST. "
        f"{_count('proposed', 1).capitalize()}: P, ST. {_count('use', 1).capitalize()}: U, ST.",
    ),
]


@pytest.mark.parametrize(
    ("year", "changed", "want"), [c[1:] for c in WORD_CASES], ids=[c[0] for c in WORD_CASES]
)
def test_story_words(year, changed, want) -> None:
    assert story_words(year, changed) == want


def test_every_kind_has_words() -> None:
    assert set(STORY_WORDS) == set(CHANGE_KINDS)


def test_each_year_of_the_real_data_names_what_its_snapshot_changed() -> None:
    dataset, today = real(), date.today()
    for year in year_dates(dataset, today):
        changed = changes(
            snapshot(dataset, year_end(year - 1, today)), snapshot(dataset, year_end(year, today))
        )
        story = year_story(dataset, year, today)
        assert story.startswith(f"{year}: "), story
        for kind, ids in changed.items():
            if ids:
                assert f"{_count(kind, len(ids))}: ".lower() in story.lower(), (year, kind)
                for jid in ids[:STORY_NAMES]:
                    assert place_label(dataset.jurisdiction(jid)) in story, (year, jid)


def test_the_static_edition_carries_the_same_story_every_year() -> None:
    dataset, today = real(), date.today()
    dates = year_dates(dataset, today)
    data = site_data(dataset, frozenset(), dates, today)
    stories = {year: data["byYear"][str(year)]["story"] for year in dates}  # type: ignore[index]
    assert stories == {year: year_story(dataset, year, today) for year in dates}


def test_the_app_tells_the_static_edition_s_story_every_year(app_env) -> None:
    """The app's status line under the year, for every year, is the static edition's sentence
    (through the Markdown door, geo.escape.markdown_text)."""
    dataset, today = real(), date.today()
    dates = year_dates(dataset, today)
    data = site_data(dataset, frozenset(), dates, today)
    at = open_app()
    for year in sorted(dates):
        at.slider(key="year").set_value(year).run()
        assert not at.exception
        story = data["byYear"][str(year)]["story"]  # type: ignore[index]
        shown = [i.value for i in at.info if i.value.startswith(f"{year}\\:")]
        assert shown == [markdown_text(story)], year
