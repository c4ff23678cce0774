"""Published counts beside ours: fold the data on each count's date and compare.

Rules (also in data/README.md, "Published counts"):
- We count the measures in force on the count's date, read from the one snapshot
  (geo.timeline.snapshot): each place's strongest measure in force, drawn as the map draws it
  (a narrow ban counts as restricted), or `repealed` when only ended measures remain.
  Proposals and reports of use do not change what is in force (a state with a law and a
  pending bill still has its law). Context places never count.
- A state count counts US states (by USPS code) whose state-level rows are in one of the
  count's statuses; a local count counts US cities and counties, optionally in one state.
- Places the source's definition leaves out (`excludes`, explained in the row's note) are
  taken out of our count.
- Tolerance: 2 for a state count; for a local count, 2 or a fifth of the published number,
  whichever is larger. An `at_least` count only needs ours not to fall below it by more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from geo.records import Dataset, Tally
from geo.timeline import snapshot

STATE_TOLERANCE = 2
LOCAL_TOLERANCE_SHARE = 0.2


def in_force_as_of(dataset: Dataset, on: date) -> dict[str, str]:
    """Jurisdiction id -> how its measure in force on `on` is drawn (context places aside)."""
    return {
        state.jurisdiction_id: state.measure_status
        for state in snapshot(dataset, on).counted()
        if state.measure_status is not None
    }


def tolerance(tally: Tally) -> int:
    if tally.level == "state":
        return STATE_TOLERANCE
    return max(2, round(tally.count * LOCAL_TOLERANCE_SHARE))


def counted_members(dataset: Dataset, tally: Tally) -> tuple[str, ...]:
    """What we count for `tally`: USPS codes for a state count, jurisdiction ids otherwise."""
    in_force = in_force_as_of(dataset, tally.when)
    chosen = set(tally.statuses)
    excluded = set(tally.excluded)
    members = set()
    for j in dataset.jurisdictions:
        if j.id in excluded or in_force.get(j.id) not in chosen:
            continue
        if tally.state and j.state != tally.state:
            continue
        if tally.level == "state" and j.level == "state":
            members.add(j.state)
        elif tally.level == "local" and j.level in ("city", "county"):
            members.add(j.id)
    return tuple(sorted(members))


@dataclass(frozen=True)
class Comparison:
    tally: Tally
    ours: tuple[str, ...]
    tolerance: int

    @property
    def our_count(self) -> int:
        return len(self.ours)

    @property
    def difference(self) -> int:
        return self.our_count - self.tally.count

    @property
    def within(self) -> bool:
        if self.tally.bound == "at_least":
            return self.difference >= -self.tolerance
        return abs(self.difference) <= self.tolerance

    @property
    def only_theirs(self) -> tuple[str, ...]:
        """Places the source names that we do not count on that date."""
        return tuple(m for m in self.tally.member_list if m not in self.ours)

    @property
    def only_ours(self) -> tuple[str, ...]:
        """Places we count that the source does not name (only meaningful when the source
        names every member it counts)."""
        named = set(self.tally.member_list)
        return tuple(m for m in self.ours if m not in named)

    def explain(self) -> str:
        bound = "at least " if self.tally.bound == "at_least" else ""
        return (
            f"{self.tally.id} ({self.tally.date}, {self.tally.source_name}): published "
            f"{bound}{self.tally.count}, ours {self.our_count}, tolerance {self.tolerance}; "
            f"named by the source but not counted by us: {', '.join(self.only_theirs) or 'none'}; "
            f"counted by us but not named by the source: {', '.join(self.only_ours) or 'none'}"
        )


def compare(dataset: Dataset, tally: Tally) -> Comparison:
    return Comparison(tally, counted_members(dataset, tally), tolerance(tally))


def comparisons(dataset: Dataset) -> list[Comparison]:
    """Every published count beside ours, oldest first."""
    return [compare(dataset, t) for t in sorted(dataset.tallies, key=lambda t: t.when)]
