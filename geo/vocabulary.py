"""The one vocabulary: each status, level, stance, confidence and quote caveat, its label,
colour, meaning.

The models, the fold, the map, the legend, the tables, the export and the codebook
(data/README.md, checked by tests/test_vocabulary.py) all take their words from here.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_RECORD = "no_record"


@dataclass(frozen=True)
class Term:
    value: str
    label: str
    meaning: str
    colour: str = ""


# What a place can be in on a date, in legend order. Okabe-Ito colours: distinguishable with
# the common forms of colour blindness.
PLACE_STATUS_TERMS: tuple[Term, ...] = (
    Term("banned", "Banned", "a law, ordinance or voter measure bars government use", "#0072B2"),
    Term("moratorium", "Moratorium", "a ban with a time limit, or a suspension", "#56B4E9"),
    Term(
        "restricted", "Restricted", "rules or a court ruling limit use, short of a ban", "#009E73"
    ),
    Term(
        "pending",
        "Ban pending",
        "a ban or moratorium is proposed, with no measure in force",
        "#F0E442",
    ),
    Term("using", "Still using", "use reported and not ended, with no measure in force", "#D55E00"),
    Term("repealed", "Repealed / expired", "a ban or moratorium repealed or expired", "#CC79A7"),
)
NO_RECORD_TERM = Term(
    NO_RECORD, "No record", "nothing recorded yet; not the same as not using", "#BDBDBD"
)
# An event can also close a proposal; it is never a place's status (see timeline.latest_events).
FAILED_TERM = Term(
    "failed",
    "Proposal ended",
    "a proposal failed, was withdrawn, died or lapsed; the place returns to its earlier status",
    "#BDBDBD",
)
# An event can also say that reported use stopped without a law (switched off, a pilot or
# contract ended, an agency's own order to stop): it ends use and is never a place's status.
USE_ENDED_TERM = Term(
    "use_ended",
    "Use ended",
    "reported use stopped: switched off, a pilot or contract ended, or the agency's own order",
    "#BDBDBD",
)
# What a measure or a proposal covers. Only the broad scopes may draw as "Banned" or
# "Moratorium"; a narrower ban draws as "Restricted", its scope named in the panel and tables.
SCOPE_TERMS: tuple[Term, ...] = (
    Term("government", "All government", "every department of the government, police included"),
    Term("police", "Police", "police and other law enforcement"),
    Term("schools", "Schools", "schools only"),
    Term("vendor", "One vendor", "one vendor or product only (for example Clearview AI)"),
    Term("devices", "Cameras or drones", "face recognition on body cameras, drones or dash cams"),
    Term("immigration", "Immigration enforcement", "immigration enforcement only"),
    Term("other", "Other narrow use", "another narrow slice of use, named in the summary"),
)
BROAD_SCOPES: tuple[str, ...] = ("government", "police")
# What a proposal would do. Only an open `ban` proposal may read "Ban pending".
PROPOSAL_KIND_TERMS: tuple[Term, ...] = (
    Term("ban", "Ban or moratorium", "a proposal to ban or pause use"),
    Term("rules", "Rules", "a proposal to regulate use, short of a ban"),
    Term("authorise", "Authorisation of use", "a proposal to allow or fund use"),
)
# Marks drawn on top of a place's fill (never colour alone: each has its own shape).
MARK_TERMS: tuple[Term, ...] = (
    Term(
        "ban_proposal",
        "Ban proposed",
        "a ban or moratorium is proposed where a weaker measure (or none) is in force",
        "#000000",
    ),
    Term(
        "use_despite",
        "Use despite a ban",
        "use reported while a ban or moratorium stands",
        "#000000",
    ),
)
# Jurisdictions that are context rather than a government acting (a stadium's vendor test,
# headline-level foreign references): never counted or drawn as government users.
ROLE_TERMS: tuple[Term, ...] = (
    Term("government", "Government", "a government or public body"),
    Term("context", "Context", "kept for context; not a government acting"),
)
LEVEL_TERMS: tuple[Term, ...] = (
    Term("city", "City", "a city, town or township"),
    Term("county", "County", "a county"),
    Term("state", "State", "a US state (or a statewide body)"),
    Term("country", "Country", "a national government"),
    Term("supranational", "International", "an international body"),
)
STANCE_TERMS: tuple[Term, ...] = (
    Term("supports_ban", "Supports a ban", "speaks for a ban or limits"),
    Term("opposes_ban", "Opposes a ban", "speaks against a ban or limits"),
    Term("neutral", "Neutral", "neither for nor against"),
)
CONFIDENCE_TERMS: tuple[Term, ...] = (
    Term("high", "High", "a primary source, or several consistent ones"),
    Term("medium", "Medium", "one good source, a copy, or a detail unverified"),
    Term("low", "Low", "a single weak source, an inference, or contradicted"),
)

# Why a quote is not at full confidence, in one plain sentence a reader sees under the quote
# (data/quotes.csv `caveat`; the research note behind it stays in the data and the downloads).
# Each code is chosen from what the row's note, read_url and confidence already say.
CAVEAT_TERMS: tuple[Term, ...] = (
    Term(
        "copy_only",
        "Copy only",
        "Read only in a copy; the words were not seen in the original.",
    ),
    Term(
        "via_other_outlet",
        "Read via another outlet",
        "Read where another outlet carried it, not on the original publisher's page.",
    ),
    Term(
        "speaker_unconfirmed",
        "Speaker not named",
        "The speaker is not named in the source that was read.",
    ),
    Term(
        "attribution_doubt",
        "Attribution in doubt",
        "Other sources give these words to someone else.",
    ),
    Term(
        "date_approximate",
        "Date worked out",
        "The source does not show the exact date; the date given is worked out or estimated.",
    ),
    Term(
        "wording_unchecked",
        "Wording unchecked",
        "Wording as recorded by researchers; not re-checked against the published page.",
    ),
    Term(
        "wording_differs",
        "Wording differs",
        "Other published versions of these words differ slightly.",
    ),
)


def values(terms: tuple[Term, ...]) -> tuple[str, ...]:
    return tuple(term.value for term in terms)


STATUSES: tuple[str, ...] = values(PLACE_STATUS_TERMS)
PROPOSAL_ENDED = FAILED_TERM.value
USE_ENDED = USE_ENDED_TERM.value
EVENT_STATUSES: tuple[str, ...] = (*STATUSES, PROPOSAL_ENDED, USE_ENDED)
# Statuses of rows that set a measure; `pending` opens a proposal, `using` reports use.
MEASURE_STATUSES: tuple[str, ...] = ("banned", "moratorium", "restricted", "repealed")
SCOPES: tuple[str, ...] = values(SCOPE_TERMS)
PROPOSAL_KINDS: tuple[str, ...] = values(PROPOSAL_KIND_TERMS)
MARKS: tuple[str, ...] = values(MARK_TERMS)
ROLES: tuple[str, ...] = values(ROLE_TERMS)
LEVELS: tuple[str, ...] = values(LEVEL_TERMS)
US_LEVELS: tuple[str, ...] = ("city", "county", "state")
STANCES: tuple[str, ...] = values(STANCE_TERMS)
CONFIDENCES: tuple[str, ...] = values(CONFIDENCE_TERMS)
CAVEATS: tuple[str, ...] = values(CAVEAT_TERMS)
# Several caveats may apply to one quote: `date_approximate; via_other_outlet`, main one first.
CAVEAT_SEPARATOR = ";"
# The statuses in which a place limits FR: what the published counts of "places with a ban or
# limit" count (data/tallies.csv).
LIMITING_STATUSES: tuple[str, ...] = ("banned", "moratorium", "restricted")

_STATUS_TERMS = (*PLACE_STATUS_TERMS, NO_RECORD_TERM, FAILED_TERM, USE_ENDED_TERM)
STATUS_COLOURS: dict[str, str] = {t.value: t.colour for t in _STATUS_TERMS}
STATUS_LABELS: dict[str, str] = {t.value: t.label for t in _STATUS_TERMS}
STATUS_MEANINGS: dict[str, str] = {t.value: t.meaning for t in _STATUS_TERMS}
LEGEND_ORDER: tuple[str, ...] = (*STATUSES, NO_RECORD)
# What the panel says of a place kept only for context (role `context`).
CONTEXT_LABEL = "Context (not a government acting)"
# An event in a history names what happened, not what the map draws: a report of use is not
# "Still using" (a later ban may stand), a bill of rules is not "Ban pending".
EVENT_LABELS: dict[str, str] = {**STATUS_LABELS, "using": "Use reported", "pending": "Proposed"}
LEVEL_LABELS: dict[str, str] = {t.value: t.label for t in LEVEL_TERMS}
STANCE_LABELS: dict[str, str] = {t.value: t.label for t in STANCE_TERMS}
CONFIDENCE_LABELS: dict[str, str] = {t.value: t.label for t in CONFIDENCE_TERMS}
CAVEAT_SENTENCES: dict[str, str] = {t.value: t.meaning for t in CAVEAT_TERMS}
SCOPE_LABELS: dict[str, str] = {t.value: t.label for t in SCOPE_TERMS}
PROPOSAL_KIND_LABELS: dict[str, str] = {t.value: t.label for t in PROPOSAL_KIND_TERMS}
MARK_LABELS: dict[str, str] = {t.value: t.label for t in MARK_TERMS}
MARK_MEANINGS: dict[str, str] = {t.value: t.meaning for t in MARK_TERMS}
