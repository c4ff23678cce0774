"""Coverage: what each jurisdiction got (a polygon, a point, or why none), and the report."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from geo.boundaries.sources import PLACE_GEOID_DIGITS, sha256_bytes
from geo.records import Dataset, Jurisdiction

Outcome = Literal["polygon", "missing", "point", "abroad"]


@dataclass(frozen=True)
class Coverage:
    """What one jurisdiction got: a polygon, or why not."""

    id: str
    level: str
    geoid: str
    outcome: Outcome
    source: str = ""  # 'place' | 'county' | 'state' when there is a polygon
    vertices: int = 0
    reason: str = ""
    # Why there is no polygon: 'unreachable' | 'not-built' | 'not-found' | 'source' | 'empty'.
    cause: str = ""

    def result(self) -> str:
        if self.outcome == "polygon":
            return f"-> {self.source} polygon ({self.vertices:,} vertices)"
        if self.outcome == "abroad":
            return "-> not mapped (outside the US)"
        if self.outcome == "point":
            return f"-> point: {self.reason}"
        return f"-> none: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "level": self.level,
            "geoid": self.geoid,
            "outcome": self.outcome,
            "source": self.source,
            "vertices": self.vertices,
            "reason": self.reason,
            "cause": self.cause,
        }


def coverage_from_dict(raw: Mapping[str, object]) -> Coverage:
    outcome = str(raw["outcome"])
    if outcome not in ("polygon", "missing", "point", "abroad"):
        raise ValueError(f"unknown outcome {outcome!r}")
    return Coverage(
        id=str(raw["id"]),
        level=str(raw["level"]),
        geoid=str(raw["geoid"]),
        outcome=outcome,  # type: ignore[arg-type]
        source=str(raw["source"]),
        vertices=int(str(raw["vertices"])),
        reason=str(raw["reason"]),
        cause=str(raw["cause"]),
    )


def report_lines(coverage: Sequence[Coverage]) -> list[str]:
    """One aligned line per jurisdiction: `id  level  geoid  -> result`."""
    if not coverage:
        return []
    width_id = max(len(c.id) for c in coverage)
    width_level = max(len(c.level) for c in coverage)
    width_geoid = max(len(c.geoid) for c in coverage)
    return [
        f"{c.id:<{width_id}}  {c.level:<{width_level}}  {c.geoid:<{width_geoid}}  {c.result()}"
        for c in coverage
    ]


def missing(j: Jurisdiction, reason: str, cause: str) -> Coverage:
    return Coverage(j.id, j.level, j.geoid, "missing", reason=reason, cause=cause)


def places_needed(dataset: Dataset) -> dict[str, list[Jurisdiction]]:
    """Cities with a place GEOID, by state FIPS (the files to read), in a stable order."""
    by_state: dict[str, list[Jurisdiction]] = {}
    for j in dataset.jurisdictions:
        if j.level == "city" and len(j.geoid) == PLACE_GEOID_DIGITS:
            by_state.setdefault(j.geoid[:2], []).append(j)
    return dict(sorted(by_state.items()))


def dataset_key(dataset: Dataset) -> str:
    """Changes whenever a US jurisdiction's id, level or GEOID does (not names or events)."""
    rows = sorted([j.id, j.level, j.geoid] for j in dataset.jurisdictions if j.is_us)
    return sha256_bytes(json.dumps(rows, separators=(",", ":")).encode("utf-8"))
