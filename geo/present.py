"""Pure presentation helpers: dates, counts and rows as people read them.

No Streamlit here: these return plain strings and tables the pages (and tests) can use.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from geo.records import STATUSES, Dataset, Event, Jurisdiction, Quote
from geo.timeline import CHANGE_KINDS, PlaceState, Proposal, changes, history, snapshot, year_end
from geo.vocabulary import (  # noqa: F401 (re-exported: the words of the map)
    CAVEAT_SENTENCES,
    CONFIDENCE_LABELS,
    EVENT_LABELS,
    LEGEND_ORDER,
    LEVEL_LABELS,
    MARK_LABELS,
    MARK_MEANINGS,
    MARKS,
    PROPOSAL_KIND_LABELS,
    SCOPE_LABELS,
    STANCE_LABELS,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_MEANINGS,
)

# The map frame's accessible name: its document title, its (visually hidden) heading and the
# iframe's aria-label. The same map in words is under the map (map_in_words) and on Places.
MAP_TITLE = "Map of facial recognition bans and use, by place"
MAP_KEYS = "Map: arrow keys move it, plus and minus zoom; Tab leaves it"
# The app's name, and its pages: (URL path, file, title, icon); app.py makes one st.Page of
# each, and each page's browser tab reads page_title(title).
APP_TITLE = "Facial recognition bans map"
# The app's description for search engines and link previews: the map frame puts it in the
# page's head (Streamlit's page has none and a script cannot set one), and the proxy in deploy/
# writes it into the page before it leaves the server.
APP_DESCRIPTION = (
    "Where US cities, counties and states have banned, paused or restricted facial recognition,"
    " are considering a ban, or still use it, 2019 to today, with a source for every claim."
)
APP_PAGES = (
    ("map", "pages/map.py", "Map", ":material/map:"),
    ("timeline", "pages/timeline.py", "Timeline", ":material/timeline:"),
    ("places", "pages/places.py", "Places", ":material/table_rows:"),
    ("quotes", "pages/quotes.py", "Quotes", ":material/format_quote:"),
    ("about", "pages/about.py", "About", ":material/info:"),
)
QUOTE_OPEN, QUOTE_CLOSE = "\u201c", "\u201d"


def page_title(title: str) -> str:
    """A page's browser tab and bookmark: 'Quotes · Facial recognition bans map'."""
    return f"{title} · {APP_TITLE}"


def quote_words(text: str) -> str:
    """A quote's exact words between quotation marks, as the app shows them (a paragraph at
    full strength: Streamlit draws Markdown block quotes in a faded colour)."""
    return f"{QUOTE_OPEN}{text}{QUOTE_CLOSE}"


def quote_caveat(quote: Quote) -> str:
    """What a reader should know about a quote, in plain sentences (its `caveat` codes, main one
    first), or "" when there is nothing to say. Every edition shows this under the quote, never
    a bare "Confidence: Low", nor the research note behind it (which stays in the downloads)."""
    return " ".join(CAVEAT_SENTENCES[code] for code in quote.caveats)


# A measure as a noun in a sentence: "In force: ban since 14 May 2019 (...)".
MEASURE_NOUNS = {
    "banned": "ban",
    "moratorium": "moratorium",
    "restricted": "rules",
    "repealed": "repeal or expiry",
}


def long_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def event_date(value: str) -> str:
    """'2019-05-14' -> '14 May 2019'; '2019-12' -> 'Dec 2019'."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return long_date(date(*parts))
    return f"{date(parts[0], parts[1], 1):%b %Y}"


def headline(counts: Mapping[str, int], on: date, today: date) -> str:
    """'As of 31 Dec 2020: 17 banned · 5 moratorium · ...' in the legend's words."""
    when = "Today" if on == today else f"As of {long_date(on)}"
    parts = [f"{counts.get(s, 0)} {STATUS_LABELS[s].lower()}" for s in STATUSES]
    return f"{when}: " + " · ".join(parts)


def status_on(dataset: Dataset, jurisdiction_id: str, on: date) -> str:
    """The fill a place draws on `on` (from the one snapshot)."""
    return snapshot(dataset, on).fill(jurisdiction_id)


def _names(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _measure_phrase(event: Event) -> str:
    what = f"{MEASURE_NOUNS[event.status]} since {event_date(event.date)}"
    if event.measure:
        what += f" ({event.measure})"
    if event.scope:
        what += f", {SCOPE_LABELS[event.scope].lower()}"
    return what


def in_force_words(state: PlaceState) -> str:
    """'In force: ban since 14 May 2019 (Stop Secret ...), all government.'"""
    if state.in_force:
        return "In force: " + "; ".join(_measure_phrase(m) for m in state.in_force) + "."
    ended = state.measure
    if ended is not None:
        return f"In force: nothing; the last measure ended {event_date(ended.date)} " + (
            f"({ended.measure})." if ended.measure else "."
        )
    return "In force: nothing recorded."


def _proposal_phrase(proposal: Proposal) -> str:
    kind = PROPOSAL_KIND_LABELS.get(proposal.kind, proposal.kind).lower()
    name = proposal.latest.measure or "a proposal"
    return f"{kind}: {name} (since {event_date(proposal.first.date)})"


def proposals_words(state: PlaceState) -> str:
    """'Open proposals: none.' or 'Open proposals: ban or moratorium: HF 3146 (since ...).'"""
    if not state.proposals:
        return "Open proposals: none."
    return "Open proposals: " + "; ".join(_proposal_phrase(p) for p in state.proposals) + "."


def _years(events: Iterable[Event]) -> str:
    return _names(sorted({str(e.when.year) for e in events}))


def use_words(state: PlaceState) -> str:
    """'Use: reported 2020 and 2024 despite the ban.' and the other cases in words."""
    use = state.use
    if not use.reports:
        return "Use: none reported (which is not the same as not using)."
    said = f"Use: reported {_years(use.reports)}"
    if use.open and use.despite:
        before = [e for e in use.reports if e not in use.despite]
        if before:
            return f"{said}; {_years(use.despite)} despite the ban."
        return f"{said} despite the ban."
    if use.open:
        return f"{said}; not reported ended."
    ended = use.ended_row
    if ended is not None:
        how = f" ({ended.measure})" if ended.measure else ""
        return f"{said}; ended {event_date(ended.date)}{how}."
    return f"{said}; ended by the ban that followed."


def state_words(state: PlaceState) -> list[str]:
    """The place panel's three sentences: what is in force, what is proposed, what is used."""
    return [in_force_words(state), proposals_words(state), use_words(state)]


def place_options(dataset: Dataset) -> list[str]:
    """Jurisdiction ids in the order a person scans a list: by label."""
    return sorted((j.id for j in dataset.jurisdictions), key=lambda i: _label_key(dataset, i))


def _label_key(dataset: Dataset, jurisdiction_id: str) -> str:
    return place_label(dataset.jurisdiction(jurisdiction_id)).casefold()


def history_rows(dataset: Dataset, jurisdiction_id: str) -> list[dict[str, str | None]]:
    return [
        {
            "Date": event_date(e.date),
            "Status": EVENT_LABELS[e.status],
            "Scope": SCOPE_LABELS.get(e.scope, "") or PROPOSAL_KIND_LABELS.get(e.proposal_kind, ""),
            "Measure": e.measure,
            "Vote": e.vote,
            "Summary": e.summary,
            "Confidence": CONFIDENCE_LABELS.get(e.confidence, e.confidence),
            "Source": e.source_url,
            "Read via": e.read_url or None,
            "Note": e.note,
        }
        for e in history(dataset.events, jurisdiction_id)
    ]


def quotes_for(quotes: Iterable[Quote], jurisdiction_id: str | None = None) -> list[Quote]:
    chosen = [q for q in quotes if jurisdiction_id is None or q.jurisdiction_id == jurisdiction_id]
    return sorted(chosen, key=lambda q: (q.when, q.id))


def quotes_in_year(quotes: Iterable[Quote], year: int) -> list[Quote]:
    return [q for q in quotes_for(quotes) if q.when.year == year]


@functools.lru_cache(maxsize=64)
def dataset_quotes_in_year(dataset: Dataset, year: int) -> tuple[Quote, ...]:
    """quotes_in_year of the dataset, sorted once per dataset and year: the map page shows
    them on every rerun (a sort of every quote, 36 ms at 6,700 quotes)."""
    return tuple(quotes_in_year(dataset.quotes, year))


def related_state(dataset: Dataset, jurisdiction: Jurisdiction) -> Jurisdiction | None:
    """The statewide jurisdiction a city or county sits in, when the data has one."""
    if jurisdiction.level not in ("city", "county"):
        return None
    for other in dataset.jurisdictions:
        if other.level == "state" and other.state == jurisdiction.state and other.geoid:
            return other
    return None


def non_us_rows(dataset: Dataset, on: date) -> list[tuple[Jurisdiction, str, Event | None]]:
    """National and international bodies with their fill on a date and the row that set it
    (context places, such as headline-level foreign references, are left out)."""
    shot = snapshot(dataset, on)
    rows = []
    for j in dataset.jurisdictions:
        if j.is_us or j.is_context:
            continue
        state = shot.state(j.id)
        rows.append((j, state.fill, state.cause))
    return rows


@functools.lru_cache(maxsize=8)  # every app run asks (app.py); a walk of every event
def latest_event_date(dataset: Dataset) -> str:
    return max((e.date for e in dataset.events), default="")


# --- the map's words: place names, the legend, the map in words, announcements ----------


def place_label(jurisdiction: Jurisdiction) -> str:
    """The name a person would say: 'Oakland, CA', 'King County, WA', 'European Union'."""
    if jurisdiction.level in ("city", "county") and jurisdiction.state:
        return f"{jurisdiction.name}, {jurisdiction.state}"
    return jurisdiction.name


def legend_rows(counts: Mapping[str, int] | None = None) -> Sequence[tuple[str, str, str, str]]:
    """(status, colour, label, meaning) in legend order, for the legend Streamlit draws."""
    return [
        (s, STATUS_COLOURS[s], STATUS_LABELS[s], STATUS_MEANINGS[s])
        for s in LEGEND_ORDER
        if counts is None or s in counts
    ]


def legend_marks(counts: Mapping[str, int] | None = None) -> list[tuple[str, str, str]]:
    """(mark, label, meaning) for every mark drawn on top of the fills, in vocabulary order."""
    return [(m, MARK_LABELS[m], MARK_MEANINGS[m]) for m in MARKS]


def legend_text(counts: Mapping[str, int]) -> str:
    """The legend in words, for screen readers: 'Banned: 17; Moratorium: 5; ...'; the marks'
    counts are in `counts` under their keys (geo.drawing.mark_counts)."""
    rows = [(status, label) for status, _c, label, _m in legend_rows()]
    rows += [(mark, label) for mark, label, _m in legend_marks()]
    return "Legend. " + "; ".join(f"{label}: {counts.get(key, 0)}" for key, label in rows)


def map_in_words(counts: Mapping[str, int], when: str) -> str:
    """The map's short text alternative: what it shows, the counts in the legend's words.

    `when` is "today" or a date as people write it ("31 Dec 2020").
    """
    parts = [f"{label} {counts.get(status, 0)}" for status, _c, label, _m in legend_rows()]
    parts += [f"{label} {counts[mark]}" for mark, label, _m in legend_marks() if mark in counts]
    return f"The map in words, {when}: " + ", ".join(parts) + "."


def place_announcement(label: str | None, status_label: str | None, when: str) -> str:
    """What the live region under the place chooser says (a screen reader reads it out)."""
    if label is None or status_label is None:
        return "No place chosen: choose one above, or click the map, to open its panel."
    return f"{label}: {status_label}, {when}. Its history, sources and quotes are below."


# --- the story of a year: what changed on the map since the year before ---------------------

STORY_NAMES = 6  # names listed per kind of change, then "and N more"
# Each kind of change (geo.timeline.CHANGE_KINDS) in words, for one place and for n places.
STORY_WORDS = {
    "banned": ("1 new ban or moratorium", "{n} new bans and moratoria"),
    "restricted": ("rules adopted in 1 place", "rules adopted in {n} places"),
    "repealed": ("1 repealed or expired", "{n} repealed or expired"),
    "proposed": ("a ban proposed in 1 place", "a ban proposed in {n} places"),
    "use": ("use reported in 1 place", "use reported in {n} places"),
}


def _story_names(names: Sequence[str], cap: int = STORY_NAMES) -> str:
    """'A; B; C', or the first `cap` names and 'and N more'. Semicolons: a label may hold a
    comma ('Portland, OR')."""
    shown = list(names[:cap])
    if len(names) > cap:
        shown.append(f"and {len(names) - cap} more")
    return "; ".join(shown)


def story_words(year: int, changed: Mapping[str, Sequence[str]]) -> str:
    """'2020: 11 new bans and moratoria: Boston, MA; ... and 5 more. Use reported in 1 place:
    Detroit, MI.' from place labels by kind of change (nothing changed: says so)."""
    sentences = []
    for kind in CHANGE_KINDS:
        names = changed.get(kind, ())
        if names:
            one, many = STORY_WORDS[kind]
            count = one if len(names) == 1 else many.format(n=len(names))
            sentence = f"{count}: {_story_names(names)}."
            sentences.append(sentence[0].upper() + sentence[1:])
    return f"{year}: " + (" ".join(sentences) if sentences else "nothing changed on the map.")


def year_story(dataset: Dataset, year: int, today: date) -> str:
    """What changed on the map in `year`: its snapshot against the one a year before (both
    year ends, geo.timeline.year_end), every place named by place_label."""
    before = snapshot(dataset, year_end(year - 1, today))
    changed = changes(before, snapshot(dataset, year_end(year, today)))
    labels = {j.id: place_label(j) for j in dataset.jurisdictions}
    return story_words(year, {kind: [labels[i] for i in ids] for kind, ids in changed.items()})
