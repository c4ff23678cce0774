"""Size budgets of what the map sends, on a real boundary build: a regression fails CI.

Deterministic figures only (bytes, vertices, identity of the base map); timings live in
`python -m bench` (see BENCHMARKS.md), never in tests. Needs the Census place files in
../shared/census (as in CI).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

from bench.server import offline_env
from geo import boundaries as geo_boundaries
from geo.config import get_settings
from geo.mapview import AssetUrls, base_map, status_layer, status_payload
from geo.records import Dataset, load_dataset
from geo.timeline import snapshot, year_end, year_range
from tests.support.census import require_census

ROOT = Path(__file__).resolve().parent.parent

# 346,846 bytes with 52 polygons; 404,882 with 76 (issue 12 added 26 places, about 2.2 KB each).
# Raised from 400,000 to 450,000 in the same commit, room for about 20 more places.
GEOJSON_BUDGET = 450_000  # bytes of all GeoJSON the browser fetches
VERTEX_CAP = 25_000  # vertices in that GeoJSON (21,073 at 2015 vintage)
# Bytes of one year's status layer script: about 10,500 with the whole drawing contract per
# place; about 1,000 with one code per place (issue 24), names and points in the places file.
STATUS_LAYER_BUDGET = 2_000
ASSETS = AssetUrls("../geo.ui.leaflet/leaflet.js", "../geo.ui.leaflet/leaflet.css", "../b.geojson")


@pytest.fixture(scope="module")
def real_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Settings for a real build from ../shared/census into a fresh cache."""
    env = offline_env(tmp_path_factory.mktemp("budget-cache"), require_census())
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("FRT_DATA_DIR", raising=False)
        yield env


@pytest.fixture(scope="module")
def dataset(real_env: dict[str, str]) -> Dataset:
    return load_dataset(get_settings(real_env).data_dir)


@pytest.fixture(scope="module")
def built(real_env: dict[str, str], dataset: Dataset) -> geo_boundaries.Boundaries:
    result = geo_boundaries.load_boundaries(dataset, get_settings(real_env), allow_build=True)
    assert not result.notices, result.notices  # a complete build: every city has its polygon
    return result


def years(dataset: Dataset) -> list[int]:
    first, last = year_range(dataset.events, date.today())
    return list(range(first, last + 1))


def test_served_geojson_is_within_its_byte_budget(built):
    served = geo_boundaries.served_geojson(built)
    assert len(served) <= GEOJSON_BUDGET, f"{len(served):,} bytes of GeoJSON"
    assert built.served_path is not None
    assert built.served_path.read_bytes() == served  # what the browser fetches is what we measured


def test_served_geojson_vertex_count_is_capped(built):
    vertices = geo_boundaries.geojson_vertices(geo_boundaries.served_geojson(built))
    assert vertices <= VERTEX_CAP, f"{vertices:,} vertices"


def test_every_years_status_layer_is_small(dataset, built):
    """What a year change sends for the map: the status layer script, as st_folium sends it."""
    selections = [None, max((j.id for j in dataset.jurisdictions), key=len)]
    sizes = {}
    for year in years(dataset):
        shot = snapshot(dataset, year_end(year, date.today()))
        for selected in selections:
            payload = status_payload(dataset, shot, selected)
            script = _get_feature_group_string(status_layer(payload), base_map(ASSETS))
            sizes[(year, selected)] = len(script.encode("utf-8"))
    assert max(sizes.values()) <= STATUS_LAYER_BUDGET, sizes


def test_base_map_is_the_same_for_every_year(dataset):
    """The base map does not depend on the year, so streamlit-folium keeps its frame."""
    keys = {generate_js_hash(_get_map_string(base_map(ASSETS)), "map") for _ in years(dataset)}
    assert len(keys) == 1


def _map_component(at: AppTest) -> tuple[str, dict]:
    for element in at.get("component_instance"):
        proto = element.proto
        if "st_folium" in proto.component_name:
            return proto.id, json.loads(proto.json_args)
    raise AssertionError("no map component on the page")


def test_a_year_change_keeps_the_map_frame_and_sends_only_statuses(real_env, built):
    """On the real page: the st_folium key (its hash of the base map script) and the script
    stay the same between years; only the small feature group changes."""
    st.cache_data.clear()
    st.cache_resource.clear()  # other tests may have cached the no-Census fallback
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["year"] = "2019"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        first_id, first = _map_component(at)
        at.slider(key="year").set_value(2021).run()
        assert not at.exception, [e.value for e in at.exception]
        second_id, second = _map_component(at)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    assert first_id == second_id  # same hash key: Streamlit keeps the iframe and Leaflet
    assert first["script"] == second["script"]
    assert first["feature_group"] != second["feature_group"]
    assert len(second["feature_group"].encode("utf-8")) <= STATUS_LAYER_BUDGET
    assert "boundaries-" in first["script"]  # the geometry is fetched as a file, not inlined
    assert "places-" in first["script"]  # so are the places' names and points
