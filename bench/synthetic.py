"""A synthetic dataset of real Census places, for the scale curve (`python -m bench --scale N`).

The places are real: N incorporated places (cities, towns, villages; no census-designated
places) drawn at random, with a fixed seed, from the Census Bureau's 2015 place files of the
50 states and DC (../shared/census), each with its own GEOID and a representative point. The
events are not: each place gets about ten, on days between 1 January 2019 and today, whose
kinds (status, scope, proposal kind) and confidence are drawn with the weights of the real
data/events.csv. Quotes come at the real data's rate per place. Every row says it is
synthetic, and the whole passes `python -m geo.validate`.

Only cities are made, so no pending row belongs to a legislature with sessions (states and
us-federal must list theirs in sessions.csv). A `failed` row closes the latest proposal of its
place still open; one drawn before any is open becomes a proposal instead.

The result is built from Census files: it is written to a temporary or artifacts folder and
never committed (../shared/census/README.md).
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import pyogrio

from geo.boundaries.geometry import NAD83, WGS84
from geo.boundaries.sources import place_file_name
from geo.records import FILES, Dataset, Event
from geo.records.fields import STATE_FIPS

CENSUS_YEAR = 2015
FIRST_DAY = date(2019, 1, 1)
EVENTS_PER_PLACE = (8, 12)  # about ten: drawn evenly from this range, both ends included
TERRITORIES = frozenset({"AS", "GU", "MP", "PR", "VI"})
CDP = "57"  # the Census LSAD code of a census-designated place (no government of its own)
SOURCE = "https://example.org/frt-scale/"

EventKind = tuple[str, str, str]  # status, scope, proposal_kind


@dataclass(frozen=True)
class Place:
    geoid: str
    name: str
    usps: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Mix:
    """What the real data holds, as weights: event kinds, confidence, stances, quotes/place."""

    kinds: tuple[tuple[EventKind, int], ...]
    confidence: tuple[tuple[str, int], ...]
    stances: tuple[tuple[str, int], ...]
    quotes_per_place: float


def mix_of(dataset: Dataset) -> Mix:
    """The weights of the real dataset (statuses with their scopes and proposal kinds)."""
    kinds = Counter((e.status, e.scope, e.proposal_kind) for e in dataset.events)
    confidence = Counter(e.confidence for e in dataset.events)
    stances = Counter(q.stance for q in dataset.quotes)
    places = len(dataset.jurisdictions) or 1
    return Mix(
        tuple(sorted(kinds.items())),
        tuple(sorted(confidence.items())),
        tuple(sorted(stances.items())),
        len(dataset.quotes) / places,
    )


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ('Cañon City' -> 'canon-city')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "place"


def place_ids(places: Sequence[Place]) -> list[str]:
    """`{usps}-{name}` per place, as the codebook asks; a repeated one gets its GEOID."""
    seen: set[str] = set()
    ids = []
    for place in places:
        jid = f"{place.usps.lower()}-{slug(place.name)}"
        if jid in seen:
            jid = f"{jid}-{place.geoid}"
        seen.add(jid)
        ids.append(jid)
    return ids


def census_places(census: Path, count: int, seed: int) -> list[Place]:
    """`count` incorporated places of the 50 states and DC, drawn with `seed`, by GEOID."""
    usps_of = {fips: usps for usps, fips in STATE_FIPS.items() if usps not in TERRITORIES}
    frames = []
    for fips in sorted(usps_of):
        frame = pyogrio.read_dataframe(
            census / place_file_name(CENSUS_YEAR, fips), columns=["GEOID", "NAME", "LSAD"]
        )
        frames.append(frame[frame["LSAD"] != CDP])
    rows = [row for frame in frames for row in frame.itertuples(index=False)]
    rows.sort(key=lambda row: row.GEOID)
    if count > len(rows):
        raise ValueError(f"only {len(rows):,} incorporated places to draw from, not {count:,}")
    chosen = sorted(random.Random(seed).sample(rows, count), key=lambda row: row.GEOID)
    points = representative_points([row.geometry for row in chosen])
    return [
        Place(row.GEOID, row.NAME, usps_of[row.GEOID[:2]], round(lat, 4), round(lon, 4))
        for row, (lat, lon) in zip(chosen, points, strict=True)
    ]


def representative_points(geometries: Sequence[object]) -> list[tuple[float, float]]:
    """A point inside each place (as data/README.md asks), in WGS84 degrees: (lat, lon)."""
    points = gpd.GeoSeries(list(geometries), crs=NAD83).representative_point().to_crs(WGS84)
    return [(point.y, point.x) for point in points]


def _days(rng: random.Random, count: int, today: date) -> list[date]:
    """`count` different days from FIRST_DAY to `today`, in order."""
    span = (today - FIRST_DAY).days + 1
    return sorted(FIRST_DAY + timedelta(days=n) for n in rng.sample(range(span), count))


def _summary(kind: EventKind, name: str) -> str:
    status, scope, proposal_kind = kind
    what = " ".join(w for w in (status, scope, proposal_kind) if w)
    return (
        f"Synthetic event ({what}) in {name}, made by bench/synthetic.py for the scale "
        "benchmark from the mix of kinds in data/events.csv; no such event happened, and "
        "the source link leads nowhere."
    )


def place_events(
    jid: str, name: str, mix: Mix, rng: random.Random, today: date
) -> list[dict[str, str]]:
    """About ten events of one place, in date order, one per day."""
    count = rng.randint(*EVENTS_PER_PLACE)
    kinds = rng.choices([k for k, _w in mix.kinds], [w for _k, w in mix.kinds], k=count)
    proposals = [k for k, _w in mix.kinds if k[0] == "pending"]
    weights = [w for k, w in mix.kinds if k[0] == "pending"]
    confidence = rng.choices(
        [c for c, _w in mix.confidence], [w for _c, w in mix.confidence], k=count
    )
    open_proposals: list[str] = []
    rows = []
    for day, kind, sure in zip(_days(rng, count, today), kinds, confidence, strict=True):
        if kind[0] == "failed" and not open_proposals:
            kind = rng.choices(proposals, weights)[0]
        event_id = f"{jid}-{day.isoformat()}"
        proposal = open_proposals.pop() if kind[0] == "failed" else ""
        if kind[0] == "pending":
            open_proposals.append(event_id)  # its own proposal: the key is the row's id
        status, scope, proposal_kind = kind
        rows.append(
            {"id": event_id, "jurisdiction_id": jid, "date": day.isoformat(), "status": status,
             "scope": scope, "measure": f"Synthetic {status} {len(rows) + 1}",
             "summary": _summary(kind, name), "source_name": "Synthetic (bench/synthetic.py)",
             "source_url": SOURCE + event_id, "confidence": sure, "proposal": proposal,
             "proposal_kind": proposal_kind}
        )  # fmt: skip
    return rows


def place_quotes(
    jid: str, name: str, days: Sequence[str], mix: Mix, rng: random.Random, first: int
) -> list[dict[str, str]]:
    """The real data's number of quotes per place, on average; numbered from `first`."""
    whole, part = divmod(mix.quotes_per_place, 1)
    count = int(whole) + (rng.random() < part)
    stances = [s for s, _w in mix.stances]
    weights = [w for _s, w in mix.stances]
    return [
        {"id": f"q-{first + n:06d}", "jurisdiction_id": jid, "date": rng.choice(days),
         "speaker": f"Synthetic speaker {first + n}", "stance": rng.choices(stances, weights)[0],
         "text": f"Synthetic words about {name}, number {first + n}, made for the scale "
                 "benchmark; nobody said them.",
         "source_name": "Synthetic (bench/synthetic.py)",
         "source_url": f"{SOURCE}q-{first + n:06d}", "confidence": "high"}
        for n in range(count)
    ]  # fmt: skip


def _write(path: Path, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_dataset(out: Path, places: Sequence[Place], mix: Mix, seed: int, today: date) -> Path:
    """jurisdictions.csv, events.csv and quotes.csv of the synthetic data, into `out`."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    jurisdictions, events, quotes = [], [], []
    for place, jid in zip(places, place_ids(places), strict=True):
        jurisdictions.append(
            {"id": jid, "name": place.name, "level": "city", "state": place.usps,
             "geoid": place.geoid, "lat": f"{place.lat:.4f}", "lon": f"{place.lon:.4f}"}
        )  # fmt: skip
        rows = place_events(jid, place.name, mix, rng, today)
        events += rows
        quotes += place_quotes(jid, place.name, [r["date"] for r in rows], mix, rng, len(quotes))
    spec = {s.name: s.columns for s in FILES}
    _write(out / "jurisdictions.csv", spec["jurisdictions.csv"], jurisdictions)
    _write(out / "events.csv", spec["events.csv"], events)
    _write(out / "quotes.csv", spec["quotes.csv"], quotes)
    return out


def kinds_of(events: Iterable[Event]) -> Counter[EventKind]:
    """How many events of each kind (for a check that the mix followed the real one)."""
    return Counter((e.status, e.scope, e.proposal_kind) for e in events)


def build(
    out: Path, census: Path, count: int, real: Dataset, seed: int = 24, today: date | None = None
) -> Path:
    """The synthetic dataset of `count` places, written into `out`; `out`."""
    places = census_places(census, count, seed)
    return write_dataset(out, places, mix_of(real), seed, today or date.today())
