"""One cell at a time: text cleaning, limits, URLs, dates, slugs, as pydantic field types."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator

from geo.csvsafe import is_formula
from geo.vocabulary import CAVEAT_SEPARATOR, CAVEATS

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
# Unicode's Bidi_Control set: with the marks (ALM, LRM, RLM) as well.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f"
)
# Characters that take no space: text can hide words or split a word a reader sees whole.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
ZWJ = "\u200d"
# Unicode tag characters: invisible, and able to carry a whole hidden message.
TAGS = range(0xE0000, 0xE0080)

# Length caps: generous for real prose, small enough to keep a page and a popup sane.
MAX_NAME = 120
MAX_SHORT = 300
MAX_SUMMARY = 600  # "one or two sentences"
MAX_NOTE = 1000
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


def _emoji_join(text: str, index: int) -> bool:
    """A zero-width joiner inside an emoji sequence (👩🏽‍⚖️): between two pictographs
    (a modifier or variation selector may end the first), where it is part of one symbol."""
    before = text[index - 1] if index else ""
    after = text[index + 1 : index + 2]
    symbol = ("So", "Sk", "Mn")
    return (
        bool(before and after)
        and unicodedata.category(before) in symbol
        and not before.isascii()
        and unicodedata.category(after) == "So"
    )


def visible_text(value: str) -> str:
    """Refuse zero-width and tag characters (a joiner inside an emoji sequence is allowed)."""
    for index, ch in enumerate(value):
        if ord(ch) in TAGS:
            raise ValueError(f"contains the invisible tag character U+{ord(ch):04X}")
        if ch in ZERO_WIDTH and not (ch == ZWJ and _emoji_join(value, index)):
            raise ValueError(f"contains the zero-width character U+{ord(ch):04X}")
    return value


def no_formula(value: str) -> str:
    """Refuse text a spreadsheet would run as a formula (it starts with = + - @ tab or CR)."""
    if is_formula(value):
        raise ValueError(
            f"starts with {value[0]!r}, which a spreadsheet reads as a formula; "
            "start the text another way"
        )
    return value


def _capped(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"is {len(value)} characters long; the limit is {limit}")
        return value

    check.limit = limit  # type: ignore[attr-defined]  # read by field_limit (and the codebook test)
    return check


def field_limit(metadata: list[object]) -> int | None:
    """The length cap among a field's validators (None: uncapped)."""
    for item in metadata:
        limit = getattr(getattr(item, "func", None), "limit", None)
        if limit is not None:
            return int(limit)
    return None


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
    return _port_checked(value)


def _port_checked(value: str) -> str:
    """The address must have a host, and a port (when given) that is a number in range."""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (reading it parses it)
    except ValueError:
        raise ValueError("is not a well-formed web address (the port is not a number)") from None
    if not parts.hostname:
        raise ValueError("is not a well-formed web address (no host)")
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


def caveat_codes(value: str) -> tuple[str, ...]:
    """The codes of a `caveat` cell, in the order written: `date_approximate; copy_only`."""
    return tuple(code.strip() for code in value.split(CAVEAT_SEPARATOR)) if value else ()


def _caveats(value: str) -> str:
    """Known codes from the vocabulary (geo.vocabulary.CAVEAT_TERMS), each at most once."""
    seen: set[str] = set()
    for code in caveat_codes(value):
        if not code:
            raise ValueError("has an empty code: separate codes with one semicolon")
        if code not in CAVEATS:
            raise ValueError(f"{code!r} is not one of: {', '.join(CAVEATS)}")
        if code in seen:
            raise ValueError(f"{code!r} is given twice")
        seen.add(code)
    return value


Text = Annotated[
    str, AfterValidator(clean_text), AfterValidator(visible_text), AfterValidator(no_formula)
]
Slug = Annotated[str, AfterValidator(clean_text), AfterValidator(_slug)]
Name = Annotated[Text, AfterValidator(_required), AfterValidator(_capped(MAX_NAME))]
Short = Annotated[Text, AfterValidator(_capped(MAX_SHORT))]
RequiredShort = Annotated[Short, AfterValidator(_required)]
Summary = Annotated[Text, AfterValidator(_required), AfterValidator(_capped(MAX_SUMMARY))]
Note = Annotated[Text, AfterValidator(_capped(MAX_NOTE))]
QuoteText = Annotated[Text, AfterValidator(_required), AfterValidator(_capped(MAX_QUOTE))]
Url = Annotated[str, AfterValidator(check_url)]
OptionalUrl = Annotated[str, AfterValidator(lambda v: check_url(v) if v else v)]
OptionalSlug = Annotated[str, AfterValidator(clean_text), AfterValidator(lambda v: v and _slug(v))]
DateText = Annotated[str, AfterValidator(lambda v: (parse_date(v), v)[1])]
OptionalFloat = Annotated[float | None, BeforeValidator(_optional_number)]
Caveats = Annotated[str, AfterValidator(clean_text), AfterValidator(_caveats)]
