"""The served boundaries in parts (geo.boundaries.parts): the first part and each state's
cities, for the app (geo.mapview.boundary_files) and the static edition (geo.site.assets)."""

from __future__ import annotations

import json

import pytest

from geo.boundaries.parts import INDEX_KEY, bounds_of, city_states, split_cities
from geo.mapview import boundary_files, hashed_name, write_hashed_file
from geo.records import Jurisdiction
from geo.site.assets import geometry_parts_js, read_city_part_js, read_data_js
from geo.site.shapes import expand_shapes


def square(x: float, y: float, size: float = 0.1) -> dict[str, object]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(feature_id: str, level: str, geometry: dict[str, object]) -> dict[str, object]:
    source = {"city": "place"}.get(level, level)
    return {
        "type": "Feature",
        "properties": {"id": feature_id, "level": level, "source": source},
        "geometry": geometry,
    }


DOCUMENT = {
    "type": "FeatureCollection",
    "features": [
        feature("outline-01", "outline", square(-87.0, 33.0, 2.0)),
        feature("ca", "state", square(-120.0, 36.0, 5.0)),
        feature("ca-alameda-county", "county", square(-122.0, 37.5, 0.5)),
        feature("ca-oakland", "city", square(-122.3, 37.7)),
        feature("tx-austin", "city", square(-97.8, 30.2)),
        feature(
            "ca-san-francisco",
            "city",
            {
                "type": "MultiPolygon",
                "coordinates": [
                    square(-122.5, 37.7)["coordinates"],
                    square(-123.0, 37.6, 0.05)["coordinates"],
                ],
            },
        ),
    ],
}
STATES = {"ca-oakland": "CA", "ca-san-francisco": "CA", "tx-austin": "TX"}


@pytest.mark.parametrize(
    ("features", "bounds"),
    [
        ([feature("a", "city", square(1.0, 2.0))], ((2.0, 1.0), (2.1, 1.1))),
        (
            [feature("a", "city", square(1.0, 2.0)), feature("b", "city", square(-5.0, 7.0, 1.0))],
            ((2.0, -5.0), (8.0, 1.1)),
        ),
        ([DOCUMENT["features"][5]], ((37.6, -123.0), (37.8, -122.4))),
    ],
)
def test_bounds_are_latitude_first_around_every_point(features, bounds) -> None:
    (south, west), (north, east) = bounds_of(features)
    assert (south, west, north, east) == pytest.approx([*bounds[0], *bounds[1]])


def test_bounds_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no points"):
        bounds_of([])


def test_cities_are_filed_by_state_and_nothing_else_moves() -> None:
    first, parts = split_cities(DOCUMENT, STATES)
    assert [f["properties"]["id"] for f in first] == ["outline-01", "ca", "ca-alameda-county"]
    assert [p.key for p in parts] == ["ca", "tx"]
    assert [[f["properties"]["id"] for f in p.features] for p in parts] == [
        ["ca-oakland", "ca-san-francisco"],
        ["tx-austin"],
    ]


def test_a_city_without_a_state_is_never_dropped() -> None:
    with pytest.raises(ValueError, match="tx-austin"):
        split_cities(DOCUMENT, {k: v for k, v in STATES.items() if k != "tx-austin"})


def test_city_states_reads_the_data() -> None:
    rows = [
        Jurisdiction(id="ca-oakland", name="Oakland", level="city", state="CA"),
        Jurisdiction(id="ca", name="California", level="state", state="CA"),
    ]
    assert city_states(rows) == {"ca-oakland": "CA"}


def test_the_apps_files_hold_every_feature_once_and_are_named_by_content(tmp_path) -> None:
    head, files = boundary_files(json.dumps(DOCUMENT).encode(), STATES)
    assert all(name == hashed_name(name.rsplit("-", 1)[0], body, ".geojson")
               for name, body in files.items())  # fmt: skip
    first = json.loads(files[head])
    listed = first[INDEX_KEY]
    assert [entry["key"] for entry in listed] == ["ca", "tx"]
    assert sorted(files) == sorted([head, *(entry["file"] for entry in listed)])
    assert list(files)[-1] == head  # written last: the app looks for it alone
    seen = [f["properties"]["id"] for f in first["features"]]
    for entry in listed:
        seen += [f["properties"]["id"] for f in json.loads(files[entry["file"]])["features"]]
    assert sorted(seen) == sorted(f["properties"]["id"] for f in DOCUMENT["features"])
    assert listed[1]["bounds"] == [[30.2, -97.8], [30.3, -97.7]]
    path = write_hashed_file(tmp_path, head, files[head])
    assert path.read_bytes() == files[head] and write_hashed_file(tmp_path, head, b"") == path
    assert not list(tmp_path.glob(".part.*"))


def test_the_static_parts_are_scripts_the_page_reads_back() -> None:
    head, parts = geometry_parts_js(json.dumps(DOCUMENT).encode(), STATES)
    first = read_data_js(head.body, "frtGeometry")
    assert [f["properties"]["id"] for f in expand_shapes(first)] == [
        "outline-01", "ca", "ca-alameda-county"
    ]  # fmt: skip
    assert [entry["file"] for entry in first[INDEX_KEY]] == [p.name for p in parts]
    for entry, part in zip(first[INDEX_KEY], parts, strict=True):
        key, compact = read_city_part_js(part.body)
        assert key == entry["key"] and part.name.startswith(f"cities-{key}.")
        assert {f["properties"]["level"] for f in expand_shapes(compact)} == {"city"}
